/** Reading "now" values out of a snapshot: absent is unknown, never zero. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Sample, Snapshot } from '../../../shared/api.ts';
import {
  busiestFilesystem, cpuCount, cpuNow, memoryNow, sampleValue, samplesOf, swapNow, unknownReason,
} from '../../../renderer/src/lib/snapshot.ts';

function snap(samples: Sample[], errors: Snapshot['errors'] = []): Snapshot {
  return { host: 'local', time: 1_000_000, samples, errors };
}
const s = (metric: string, value: number, attributes: Record<string, string> = {}): Sample => ({ metric, attributes, value });

test('sampleValue matches attributes exactly: the whole-CPU value is not a core\'s', () => {
  const sn = snap([
    s('system.cpu.utilization', 0.9, { 'cpu.logical_number': '0' }),
    s('system.cpu.utilization', 0.25),
    s('system.cpu.utilization', 0.1, { 'cpu.logical_number': '1' }),
  ]);
  assert.equal(cpuNow(sn), 0.25);
  assert.equal(sampleValue(sn, 'system.cpu.utilization', { 'cpu.logical_number': '1' }), 0.1);
  assert.equal(sampleValue(sn, 'system.cpu.utilization', { 'cpu.logical_number': '7' }), undefined);
});

test('a missing sample or snapshot is undefined, not zero', () => {
  assert.equal(cpuNow(undefined), undefined);
  assert.equal(cpuNow(snap([])), undefined);
  assert.equal(cpuCount(snap([s('system.cpu.logical.count', 8)])), 8);
  assert.equal(cpuNow(snap([s('system.cpu.utilization', 0)])), 0, 'a real zero stays zero');
  assert.deepEqual(memoryNow(undefined), { utilization: undefined, used: undefined, total: undefined });
});

test('samplesOf lists every series of one metric only', () => {
  const sn = snap([s('system.network.io', 1, { x: 'a' }), s('system.disk.io', 2), s('system.network.io', 3, { x: 'b' })]);
  assert.deepEqual(samplesOf(sn, 'system.network.io').map((x) => x.value), [1, 3]);
  assert.deepEqual(samplesOf(undefined, 'system.network.io'), []);
});

test('unknownReason says why a value is missing, naming the sources that failed', () => {
  assert.equal(unknownReason(undefined), 'No data from this host yet');
  assert.equal(unknownReason(snap([])), 'Not in the latest snapshot');
  assert.equal(
    unknownReason(snap([], [{ source: 'memory', message: 'permission denied' }, { source: 'swap', message: 'no /proc' }])),
    'Could not be collected: memory: permission denied; swap: no /proc',
  );
});

test('memory now: utilization, used bytes (state=used only) and total', () => {
  const sn = snap([
    s('system.memory.utilization', 0.5),
    s('system.memory.usage', 300, { 'system.memory.state': 'cached' }),
    s('system.memory.usage', 400, { 'system.memory.state': 'used' }),
    s('system.memory.limit', 800),
  ]);
  assert.deepEqual(memoryNow(sn), { utilization: 0.5, used: 400, total: 800 });
});

test('swap total is used + free, and unknown when either is missing', () => {
  const used = s('system.paging.usage', 100, { 'system.paging.state': 'used' });
  const free = s('system.paging.usage', 900, { 'system.paging.state': 'free' });
  assert.deepEqual(swapNow(snap([used, free, s('system.paging.utilization', 0.1)])), { utilization: 0.1, used: 100, total: 1000 });
  assert.equal(swapNow(snap([used])).total, undefined);
  assert.equal(swapNow(snap([free])).total, undefined);
});

test('busiest filesystem is the fullest one, with its own used and size', () => {
  const mp = 'system.filesystem.mountpoint';
  const st = 'system.filesystem.state';
  const sn = snap([
    s('system.filesystem.utilization', 0.3, { [mp]: '/' }),
    s('system.filesystem.utilization', 0.95, { [mp]: '/data' }),
    s('system.filesystem.utilization', 0.5, { [mp]: '/boot' }),
    s('system.filesystem.usage', 10, { [mp]: '/', [st]: 'used' }),
    s('system.filesystem.usage', 95, { [mp]: '/data', [st]: 'used' }),
    s('system.filesystem.usage', 5, { [mp]: '/data', [st]: 'free' }),
    s('system.filesystem.limit', 100, { [mp]: '/data' }),
    s('system.filesystem.limit', 40, { [mp]: '/' }),
  ]);
  assert.deepEqual(busiestFilesystem(sn), { mountpoint: '/data', utilization: 0.95, used: 95, total: 100 });
  assert.deepEqual(busiestFilesystem(snap([])), { mountpoint: undefined, utilization: undefined, used: undefined, total: undefined });
});
