/** Host charts: query results and live snapshots into rows, with gaps kept as gaps. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Point, Sample, SeriesData, Snapshot } from '../../../shared/api.ts';
import {
  CHARTS, chartMetrics, mergeInto, rowFromValues, rowsFromQuery, valuesFromSnapshot, withGaps, type ChartSpec, type Row,
} from '../../../renderer/src/views/host/charts.ts';

const chart = (id: ChartSpec['id']): ChartSpec => CHARTS.find((c) => c.id === id)!;
const cpu = chart('cpu');
const network = chart('network');
const DIR = 'network.io.direction';
const DEV = 'system.device';
const pt = (t: number, avg: number, min = avg, max = avg): Point => ({ t, avg, min, max });
const series = (metric: string, attributes: Record<string, string>, points: Point[]): SeriesData => ({ metric, attributes, points });
const snapshot = (samples: Sample[]): Snapshot => ({ host: 'h', time: 0, samples, errors: [] });

test('a chart queries each metric once', () => {
  assert.deepEqual(chartMetrics(network), ['system.network.io']);
  assert.deepEqual(chartMetrics(chart('load')), [
    'system.cpu.load_average.1m', 'system.cpu.load_average.5m', 'system.cpu.load_average.15m',
  ]);
});

test('query rows: one per bucket, in time order, with avg and a min–max band', () => {
  const results = new Map([['system.cpu.utilization', [series('system.cpu.utilization', {}, [pt(20, 0.3, 0.1, 0.6), pt(10, 0.5, 0.4, 0.7)])]]]);
  assert.deepEqual(rowsFromQuery(cpu, results), [
    { t: 10, n: 0, cpu: 0.5, cpu_band: [0.4, 0.7] },
    { t: 20, n: 0, cpu: 0.3, cpu_band: [0.1, 0.6] },
  ]);
});

test('a bucket missing from the query is a gap, not a zero', () => {
  const results = new Map([['system.cpu.utilization', [series('system.cpu.utilization', {}, [pt(0, 0.5), pt(30, 0.7)])]]]);
  const rows = rowsFromQuery(cpu, results);
  assert.deepEqual(rows.map((r) => r.t), [0, 30], 'no row is invented for 10 and 20');
  assert.ok(!rows.some((r) => r.cpu === 0));
  assert.deepEqual(rowsFromQuery(cpu, new Map()), []);
});

test('a line missing from a bucket that another line has stays unknown there, not zero', () => {
  const results = new Map([['system.network.io', [
    series('system.network.io', { [DEV]: 'eth0', [DIR]: 'receive' }, [pt(0, 100), pt(10, 200)]),
    series('system.network.io', { [DEV]: 'eth0', [DIR]: 'transmit' }, [pt(0, 5)]),
  ]]]);
  const rows = rowsFromQuery(network, results);
  assert.equal(rows.length, 2);
  assert.equal(rows[1]!.rx, 200);
  assert.equal(rows[1]!.tx, undefined);
  assert.equal(rows[1]!.tx_band, undefined);
});

test('series of several devices are summed per bucket, bands as sum of minimums to sum of maximums', () => {
  const results = new Map([['system.network.io', [
    series('system.network.io', { [DEV]: 'eth0', [DIR]: 'receive' }, [pt(0, 100, 50, 150)]),
    series('system.network.io', { [DEV]: 'wlan0', [DIR]: 'receive' }, [pt(0, 10, 1, 20)]),
    series('system.network.io', { [DEV]: 'eth0', [DIR]: 'transmit' }, [pt(0, 7, 6, 8)]),
  ]]]);
  assert.deepEqual(rowsFromQuery(network, results), [{ t: 0, n: 0, rx: 110, rx_band: [51, 170], tx: 7, tx_band: [6, 8] }]);
});

test('the CPU chart plots the whole-CPU series only, not each core', () => {
  const results = new Map([['system.cpu.utilization', [
    series('system.cpu.utilization', { 'cpu.logical_number': '0' }, [pt(0, 1)]),
    series('system.cpu.utilization', {}, [pt(0, 0.25)]),
  ]]]);
  assert.deepEqual(rowsFromQuery(cpu, results), [{ t: 0, n: 0, cpu: 0.25, cpu_band: [0.25, 0.25] }]);
});

test('snapshot values go to the right line, summed over devices; a line without samples is absent', () => {
  const values = valuesFromSnapshot(network, snapshot([
    { metric: 'system.network.io', attributes: { [DEV]: 'eth0', [DIR]: 'receive' }, value: 100 },
    { metric: 'system.network.io', attributes: { [DEV]: 'eth1', [DIR]: 'receive' }, value: 20 },
    { metric: 'system.disk.io', attributes: { [DEV]: 'sda', 'disk.io.direction': 'read' }, value: 999 },
  ]));
  assert.deepEqual([...values], [['rx', 120]]);
  assert.equal(values.has('tx'), false);
  assert.deepEqual([...valuesFromSnapshot(cpu, snapshot([]))], []);
});

test('a live snapshot merged into its bucket updates that bucket\'s lines, keeping its time', () => {
  const row = rowFromValues(60_000, new Map([['rx', 100], ['tx', 10]]));
  assert.deepEqual(row, { t: 60_000, n: 1, rx: 100, rx_band: [100, 100], tx: 10, tx_band: [10, 10] });
  const merged = mergeInto(row, new Map([['rx', 300], ['tx', 2]]));
  assert.deepEqual(merged, { t: 60_000, n: 2, rx: 200, rx_band: [100, 300], tx: 6, tx_band: [2, 10] });
  assert.equal(row.rx, 100, 'the old row is not changed');
});

test('a line missing from a merged snapshot keeps its value: unknown does not pull it toward zero', () => {
  const row = rowFromValues(0, new Map([['rx', 100], ['tx', 10]]));
  const merged = mergeInto(row, new Map([['rx', 50]]));
  assert.equal(merged.tx, 10);
  assert.deepEqual(merged.tx_band, [10, 10]);
  assert.equal(merged.rx, 75);
  const added = mergeInto(rowFromValues(0, new Map([['rx', 1]])), new Map([['tx', 4]]));
  assert.equal(added.tx, 4, 'a line first seen in this snapshot starts at its value');
  assert.deepEqual(added.tx_band, [4, 4]);
});

test('merging live snapshots into a bucket gives their mean, minimum and maximum (property)', () => {
  fc.assert(fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 30 }), (vs) => {
    let row = rowFromValues(5, new Map([['cpu', vs[0]!]]));
    for (const v of vs.slice(1)) row = mergeInto(row, new Map([['cpu', v]]));
    const mean = vs.reduce((a, b) => a + b, 0) / vs.length;
    assert.equal(row.n, vs.length);
    assert.equal(row.t, 5);
    assert.ok(Math.abs((row.cpu as number) - mean) <= 1e-6 * Math.max(1, Math.abs(mean)), `${row.cpu} vs ${mean}`);
    assert.deepEqual(row.cpu_band, [Math.min(...vs), Math.max(...vs)]);
  }));
});

test('a snapshot merged into a queried bucket widens its band and moves its average toward the new value', () => {
  const queried: Row = { t: 0, n: 0, cpu: 0.5, cpu_band: [0.2, 0.9] };
  const merged = mergeInto(queried, new Map([['cpu', 0.95]]));
  assert.equal(merged.n, 1);
  assert.deepEqual(merged.cpu_band, [0.2, 0.95]);
  assert.ok((merged.cpu as number) > 0.5 && (merged.cpu as number) < 0.95);
});

test('withGaps inserts a null row where buckets are further apart than the gap, so lines break there', () => {
  const rows: Row[] = [
    { t: 0, n: 0, cpu: 0.1, cpu_band: [0.1, 0.1] },
    { t: 10, n: 0, cpu: 0.2, cpu_band: [0.2, 0.2] },
    { t: 60, n: 0, cpu: 0.3, cpu_band: [0.3, 0.3] },
  ];
  const out = withGaps(rows, 15, ['cpu']);
  assert.deepEqual(out, [rows[0], rows[1], { t: 25, n: 0, cpu: null, cpu_band: null }, rows[2]]);
  const gap = out[2]!;
  assert.ok(gap.t > 10 && gap.t < 60);
});

test('withGaps leaves rows alone when buckets are no further apart than the gap', () => {
  const rows: Row[] = [{ t: 0, n: 0, cpu: 1 }, { t: 15, n: 0, cpu: 1 }, { t: 30, n: 0, cpu: 1 }];
  assert.deepEqual(withGaps(rows, 15, ['cpu']), rows);
  assert.deepEqual(withGaps([], 15, ['cpu']), []);
});

test('a gap row is placed halfway when the hole is under two gaps wide, and nulls every line', () => {
  const rows: Row[] = [{ t: 0, n: 0, rx: 1, tx: 2 }, { t: 20, n: 0, rx: 1, tx: 2 }];
  assert.deepEqual(withGaps(rows, 15, ['rx', 'tx'])[1], { t: 10, n: 0, rx: null, rx_band: null, tx: null, tx_band: null });
});

test('ratio charts are fixed to 0–100%, and only whole-host rules are drawn as thresholds', () => {
  for (const c of CHARTS) {
    if (c.unit === '1') assert.equal(c.yMax, 1, c.id);
    for (const m of c.thresholdMetrics) assert.ok(chartMetrics(c).includes(m), `${c.id} draws thresholds of its own metrics`);
  }
  assert.deepEqual(cpu.matchers, { 'system.cpu.utilization': { 'cpu.logical_number': '' } });
});
