/**
 * A small fleet for the report tests, written through SampleStore and AlertRepository into a real SQLite
 * file, with every sample also kept in memory so tests can check the report against brute force.
 *
 * Range: T0 … T0 + 6 h (T0 on an hour), polls every 10 s.
 * - web (`web-1`, ssh): all range; unreachable T0+2h…T0+3h (one hour) and 2 min at T0+4h when it
 *   reboots; /var grows 2 GiB a day with 10 GiB free at the end (full in 5 days); two NICs and a disk
 *   with an LVM volume on it; alerts fired, resolved, one still firing.
 * - db (`<script>alert(1)</script>`): data from T0+3h only; memory 95 %, swap 60 %.
 * - idle (`=cmd|' /C calc'!A0`): no data at all.
 * - local (`this-pc`): quiet all range; info alerts only, a noisy one among them.
 * Windows before T0+5h are sealed; the last hour stays in the head, as on a running engine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import type { Alert, Sample } from '../../../shared/api.ts';
import { Attr, type Attributes } from '../../../shared/metrics.ts';
import { AlertRepository } from '../../../electron/core/store/alerts.ts';
import { precisionOf, quantize } from '../../../electron/core/store/codec.ts';
import { openDatabase, type Database } from '../../../electron/core/store/database.ts';
import { HostRepository } from '../../../electron/core/store/hosts.ts';
import { SampleStore } from '../../../electron/core/store/samples.ts';
import type { ReportSources } from '../../../electron/core/reports/gather.ts';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const GIB = 1024 ** 3;
/** In the past, on an hour. */
export const T0 = Date.UTC(2026, 0, 5, 0);
export const FROM = T0;
export const TO = T0 + 6 * HOUR;
/** When the report is made: a minute after the range. */
export const NOW = TO + MINUTE;
export const POLL = 10_000;
export const HOSTILE_HTML = '<script>alert(1)</script>';
export const HOSTILE_FORMULA = "=cmd|' /C calc'!A0";

export const GAP = { from: T0 + 2 * HOUR, to: T0 + 3 * HOUR };
export const REBOOT = { downFrom: T0 + 4 * HOUR, downTo: T0 + 4 * HOUR + 2 * MINUTE, bootAt: T0 + 4 * HOUR + MINUTE };
export const FIRST_BOOT = T0 - 10 * DAY;
export const VAR_LIMIT = 100 * GIB;
export const VAR_SLOPE_PER_DAY = 2 * GIB;
export const VAR_FREE_AT_END = 10 * GIB;

/** One appended sample, as the tests see it. */
export interface Appended {
  host: string;
  t: number;
  metric: string;
  attributes: Attributes;
  value: number;
}

export interface Seeded {
  db: Database;
  dir: string;
  sources: ReportSources;
  samples: SampleStore;
  alerts: AlertRepository;
  hosts: HostRepository;
  /** Every sample appended. */
  appended: Appended[];
  /** The alerts stored, by a name the tests use. */
  stored: Record<string, Alert>;
}

/** A deterministic value in [lo, hi) with 3 decimals (exactly what the store keeps for a ratio). */
function wave(i: number, lo: number, hi: number): number {
  return Math.round((lo + (hi - lo) * (((i * 7919) % 1000) / 1000)) * 1000) / 1000;
}

const cpuTotal = {};
const core0 = { [Attr.cpu]: '0' };
const root = { [Attr.mountpoint]: '/' };
const varMount = { [Attr.mountpoint]: '/var' };
const fsState = (mount: Attributes, state: string) => ({ ...mount, [Attr.filesystemState]: state });
const nic = (device: string, direction: string) => ({ [Attr.device]: device, [Attr.networkDirection]: direction });
const disk = (device: string, direction: string) => ({ [Attr.device]: device, [Attr.diskDirection]: direction });

export async function seed(t: TestContext): Promise<Seeded> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-report-'));
  const db = openDatabase(path.join(dir, 'hostwatch.db'));
  t.after(() => {
    if (db.open) db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const samples = new SampleStore(db);
  const alerts = new AlertRepository(db);
  const hosts = new HostRepository(db);
  hosts.upsert('local', 'this-pc', 'local', T0 - 2 * DAY);
  hosts.addRemote({ name: 'web-1', address: 'web1.example.net', port: 22, user: 'ops', auth: 'agent', jump: [], intervalSeconds: 10, enabled: true, commands: [] }, null, T0 - DAY);
  hosts.addRemote({ name: HOSTILE_HTML, address: 'db.example.net', port: 22, user: 'ops', auth: 'agent', jump: [], intervalSeconds: 10, enabled: true, commands: [] }, null, T0 - DAY + 1);
  hosts.addRemote({ name: HOSTILE_FORMULA, address: 'idle.example.net', port: 22, user: 'ops', auth: 'agent', jump: [], intervalSeconds: 10, enabled: true, commands: [] }, null, T0 - DAY + 2);
  const ids = Object.fromEntries(hosts.list().map((h) => [h.name, h.id]));
  const web = ids['web-1']!;
  const dbHost = ids[HOSTILE_HTML]!;

  const appended: Appended[] = [];
  const snap = (host: string, time: number, list: [string, Attributes, number][]) => {
    const s: Sample[] = list.map(([metric, attributes, value]) => ({ metric, attributes, value }));
    samples.append({ host, time, samples: s, errors: [] });
    // What the store keeps: each value rounded to its metric's precision.
    for (const x of s) appended.push({ host, t: time, ...x, value: quantize(x.value, precisionOf(x.metric)) });
  };

  for (let i = 0, time = FROM; time < TO; i++, time += POLL) {
    // web-1
    const down = (time >= GAP.from && time < GAP.to) || (time >= REBOOT.downFrom && time < REBOOT.downTo);
    if (down) snap(web, time, [['up', {}, 0]]);
    else {
      const boot = time < REBOOT.downFrom ? FIRST_BOOT : REBOOT.bootAt;
      const varUsed = VAR_LIMIT - VAR_FREE_AT_END - VAR_SLOPE_PER_DAY * (TO - time) / DAY;
      snap(web, time, [
        ['up', {}, 1],
        ['system.uptime', {}, (time - boot) / 1000],
        ['system.cpu.utilization', cpuTotal, wave(i, 0.05, 0.85)],
        ['system.cpu.utilization', core0, 1],
        ['system.memory.utilization', {}, wave(i + 3, 0.4, 0.6)],
        ['system.paging.utilization', {}, 0.01],
        ['system.filesystem.utilization', root, 0.5],
        ['system.filesystem.usage', fsState(root, 'used'), 20 * GIB],
        ['system.filesystem.usage', fsState(root, 'free'), 20 * GIB],
        ['system.filesystem.limit', root, 40 * GIB],
        ['system.filesystem.utilization', varMount, varUsed / VAR_LIMIT],
        ['system.filesystem.usage', fsState(varMount, 'used'), varUsed],
        ['system.filesystem.usage', fsState(varMount, 'free'), VAR_LIMIT - varUsed],
        ['system.filesystem.limit', varMount, VAR_LIMIT],
        ['system.network.io', nic('eth0', 'receive'), 1000 + 100 * (i % 7)],
        ['system.network.io', nic('eth0', 'transmit'), 2000 + 10 * (i % 13)],
        ['system.network.io', nic('eth1', 'receive'), 50 * (i % 3)],
        ['system.network.io', nic('eth1', 'transmit'), 60],
        ['system.disk.io', disk('sda', 'read'), 4096 * (i % 5)],
        ['system.disk.io', disk('sda', 'write'), 8192 * (i % 4)],
        // The LVM volume on sda: its I/O is sda's, counted once.
        ['system.disk.io', disk('dm-0', 'read'), 4096 * (i % 5)],
        ['system.disk.io', disk('dm-0', 'write'), 8192 * (i % 4)],
      ]);
    }
    // db: from T0+3h
    if (time >= T0 + 3 * HOUR) {
      snap(dbHost, time, [
        ['up', {}, 1],
        ['system.uptime', {}, (time - FIRST_BOOT) / 1000],
        ['system.cpu.utilization', cpuTotal, wave(i, 0.1, 0.3)],
        ['system.memory.utilization', {}, 0.95],
        ['system.paging.utilization', {}, 0.6],
      ]);
    }
    // local: quiet
    snap('local', time, [
      ['up', {}, 1],
      ['system.uptime', {}, (time - FIRST_BOOT) / 1000],
      ['system.cpu.utilization', cpuTotal, 0.02],
      ['system.memory.utilization', {}, 0.3],
      ['system.paging.utilization', {}, 0],
    ]);
    if (i % 60 === 59) samples.flush();
  }
  samples.flush();
  // Windows before T0+5h are sealed: the last hour is still in the head.
  await samples.seal(T0 + 5 * HOUR + 3 * MINUTE, async () => {});

  const alert = (fields: Partial<Omit<Alert, 'id'>>): Alert => alerts.insert({
    ruleId: 1, ruleName: 'High CPU usage', host: web, metric: 'system.cpu.utilization', attributes: {},
    severity: 'warning', state: 'resolved', value: 0.9, threshold: 0.8, summary: 'High CPU usage: 90%',
    activeAt: T0, firedAt: T0, resolvedAt: null, ...fields,
  });
  const stored: Record<string, Alert> = {
    hostDown: alert({
      ruleId: 4, ruleName: 'Host down', metric: 'up', severity: 'critical', value: 0, threshold: 1,
      summary: 'web-1 cannot be reached', activeAt: GAP.from, firedAt: GAP.from + MINUTE, resolvedAt: GAP.to,
    }),
    fsFiring: alert({
      ruleId: 3, ruleName: 'Filesystem almost full', metric: 'system.filesystem.utilization', attributes: varMount,
      severity: 'critical', state: 'firing', value: 0.91, threshold: 0.9, summary: 'Filesystem /var is 91% full',
      activeAt: T0 + 5 * HOUR, firedAt: T0 + 5 * HOUR, resolvedAt: null,
    }),
    cpuBefore: alert({ activeAt: T0 - 65 * MINUTE, firedAt: T0 - HOUR, resolvedAt: T0 + 30 * MINUTE }),
    cpuLongBefore: alert({ activeAt: T0 - 3 * HOUR, firedAt: T0 - 3 * HOUR, resolvedAt: T0 - 2 * HOUR }),
    pendingOnly: alert({
      host: dbHost, ruleId: 2, ruleName: 'High memory usage', metric: 'system.memory.utilization', state: 'pending',
      activeAt: T0 + 4 * HOUR, firedAt: null, resolvedAt: null,
    }),
    memoryLate: alert({
      host: dbHost, ruleId: 2, ruleName: 'High memory usage', metric: 'system.memory.utilization', value: 0.95,
      threshold: 0.85, summary: 'High memory usage: 95%', activeAt: T0 + 5 * HOUR - 5 * MINUTE, firedAt: T0 + 5 * HOUR,
      resolvedAt: TO + HOUR,
    }),
    info: alert({
      host: 'local', ruleId: 8, ruleName: 'Info rule', severity: 'info', summary: 'FYI', activeAt: T0 + HOUR,
      firedAt: T0 + HOUR, resolvedAt: T0 + HOUR + 10 * MINUTE,
    }),
    ghost: alert({ host: 'ghost', firedAt: T0 + HOUR, activeAt: T0 + HOUR, resolvedAt: T0 + 2 * HOUR }),
    afterRange: alert({ activeAt: TO + MINUTE, firedAt: TO + 2 * MINUTE, state: 'firing' }),
  };
  for (let k = 0; k < 12; k++) {
    stored[`flappy${k}`] = alert({
      host: 'local', ruleId: 9, ruleName: 'Flappy', severity: 'info', summary: 'flap', activeAt: T0 + k * 20 * MINUTE,
      firedAt: T0 + k * 20 * MINUTE, resolvedAt: T0 + k * 20 * MINUTE + MINUTE,
    });
  }
  const sources: ReportSources = { samples, alerts, hosts, version: '9.9.9-test' };
  return { db, dir, sources, samples, alerts, hosts, appended, stored };
}

/** The samples of one series (by exact attributes) of a host, in time order. */
export function series(appended: readonly Appended[], host: string, metric: string, attributes: Attributes = {}): Appended[] {
  const key = JSON.stringify(Object.entries(attributes).sort());
  return appended.filter((a) => a.host === host && a.metric === metric && JSON.stringify(Object.entries(a.attributes).sort()) === key);
}

/** Per 1-minute bucket (aligned to the minute): avg, min and max of the values, in time order. */
export function minuteBuckets(values: readonly { t: number; value: number }[]): { t: number; avg: number; min: number; max: number }[] {
  const byMinute = new Map<number, number[]>();
  for (const v of values) {
    const m = Math.floor(v.t / MINUTE) * MINUTE;
    let list = byMinute.get(m);
    if (!list) byMinute.set(m, (list = []));
    list.push(v.value);
  }
  return [...byMinute].sort((a, b) => a[0] - b[0]).map(([t, list]) => ({
    t, avg: list.reduce((s, v) => s + v, 0) / list.length, min: Math.min(...list), max: Math.max(...list),
  }));
}

/** The nearest-rank percentile, written out the slow way. */
export function nearestRank(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  let k = 0;
  while ((k + 1) / sorted.length < p) k++;
  return sorted[k]!;
}
