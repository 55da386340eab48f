/**
 * Store write benchmark: 60 snapshots of ~150 samples, 1 s apart in sample time, one flush each (as the
 * engine does), into a database holding an hour of history. Prints what reached the disk per sample stored, from the growth of
 * the database + WAL files and from /proc/self/io (proc(5): `wchar` bytes passed to write(2),
 * `write_bytes` bytes sent to the block layer, 0 on tmpfs), and the flush time median and p95.
 *
 *   node test/bench/store.bench.ts [directory]   (default: a new folder in the OS temp directory)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Sample, Snapshot } from '../../shared/api.ts';
import { Attr } from '../../shared/metrics.ts';
import { openDatabase } from '../../electron/core/store/database.ts';
import { SampleStore } from '../../electron/core/store/samples.ts';

const SNAPSHOTS = 60;
/** Seconds of history written before measuring. */
const HISTORY = 3600;

/** A plausible host: 16 cores, 5 filesystems, 4 disks, 6 interfaces, 8 sensors: 150 series. */
function samplesAt(i: number): Sample[] {
  const s: Sample[] = [];
  const v = (base: number) => base * (1 + 0.1 * Math.sin(i + s.length));
  s.push({ metric: 'system.cpu.utilization', attributes: {}, value: v(0.3) });
  for (let c = 0; c < 16; c++) s.push({ metric: 'system.cpu.utilization', attributes: { [Attr.cpu]: String(c) }, value: v(0.3) });
  for (const m of ['1m', '5m', '15m']) s.push({ metric: `system.cpu.load_average.${m}`, attributes: {}, value: v(1.2) });
  for (const state of ['used', 'free', 'cached', 'buffers']) {
    s.push({ metric: 'system.memory.usage', attributes: { [Attr.memoryState]: state }, value: v(4e9) });
  }
  s.push({ metric: 'system.memory.limit', attributes: {}, value: 16e9 });
  s.push({ metric: 'system.memory.utilization', attributes: {}, value: v(0.4) });
  for (const state of ['used', 'free']) s.push({ metric: 'system.paging.usage', attributes: { [Attr.pagingState]: state }, value: v(1e9) });
  s.push({ metric: 'system.paging.utilization', attributes: {}, value: v(0.1) });
  for (const mount of ['/', '/home', '/var', '/boot', '/srv']) {
    for (const state of ['used', 'free', 'reserved']) {
      s.push({ metric: 'system.filesystem.usage', attributes: { [Attr.mountpoint]: mount, [Attr.filesystemState]: state }, value: v(1e11) });
    }
    s.push({ metric: 'system.filesystem.limit', attributes: { [Attr.mountpoint]: mount }, value: 5e11 });
    s.push({ metric: 'system.filesystem.utilization', attributes: { [Attr.mountpoint]: mount }, value: v(0.6) });
  }
  for (const device of ['nvme0n1', 'nvme1n1', 'sda', 'sdb']) {
    for (const direction of ['read', 'write']) {
      s.push({ metric: 'system.disk.io', attributes: { [Attr.device]: device, [Attr.diskDirection]: direction }, value: v(2e6) });
      s.push({ metric: 'system.disk.operations', attributes: { [Attr.device]: device, [Attr.diskDirection]: direction }, value: v(120) });
    }
  }
  for (const device of ['eth0', 'eth1', 'wlan0', 'tun0', 'eno1', 'bond0']) {
    for (const direction of ['receive', 'transmit']) {
      s.push({ metric: 'system.network.io', attributes: { [Attr.device]: device, [Attr.networkDirection]: direction }, value: v(1e5) });
    }
  }
  s.push({ metric: 'system.uptime', attributes: {}, value: 86400 + i });
  s.push({ metric: 'system.process.count', attributes: {}, value: 312 });
  for (let h = 0; s.length < 150; h++) s.push({ metric: 'hw.temperature', attributes: { [Attr.sensor]: `sensor${h}` }, value: v(50) });
  return s;
}

function procIo(): { wchar: number; writeBytes: number } | null {
  try {
    const fields = new Map(fs.readFileSync('/proc/self/io', 'utf8').trim().split('\n').map((line) => {
      const [key, value] = line.split(':');
      return [key, Number(value)] as const;
    }));
    return { wchar: fields.get('wchar') ?? 0, writeBytes: fields.get('write_bytes') ?? 0 };
  } catch {
    return null; // not Linux
  }
}

function size(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

const dir = process.argv[2] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-bench-'));
const file = path.join(dir, 'bench.db');
const db = openDatabase(file);
const store = new SampleStore(db);
const t0 = Date.now();

// Warm-up: an hour of history written at once (it creates the series too), so each series already
// spans its own pages, as in a database that has run for a while; measure the steady state after it.
for (let i = -HISTORY; i <= 0; i++) store.append({ host: 'local', time: t0 + i * 1000, samples: samplesAt(i), errors: [] });
store.flush();
db.pragma('wal_checkpoint(TRUNCATE)');

const filesBefore = size(file) + size(`${file}-wal`);
const ioBefore = procIo();
const flushMs: number[] = [];
let written = 0;
for (let i = 1; i <= SNAPSHOTS; i++) {
  const snapshot: Snapshot = { host: 'local', time: t0 + i * 1000, samples: samplesAt(i), errors: [] };
  store.append(snapshot);
  const start = process.hrtime.bigint();
  written += store.flush();
  flushMs.push(Number(process.hrtime.bigint() - start) / 1e6);
}
const ioAfter = procIo();
const filesAfter = size(file) + size(`${file}-wal`);
db.close();

flushMs.sort((a, b) => a - b);
const pick = (q: number) => flushMs[Math.min(flushMs.length - 1, Math.floor(q * flushMs.length))]!;
const perSample = (bytes: number) => `${(bytes / written).toFixed(0)} B/sample`;
console.log(`database: ${file}`);
console.log(`samples written: ${written} (${SNAPSHOTS} flushes of ${written / SNAPSHOTS})`);
console.log(`db + wal growth: ${filesAfter - filesBefore} B = ${perSample(filesAfter - filesBefore)}`);
if (ioBefore && ioAfter) {
  console.log(`wchar (write(2)): ${ioAfter.wchar - ioBefore.wchar} B = ${perSample(ioAfter.wchar - ioBefore.wchar)}`);
  console.log(`write_bytes (block layer): ${ioAfter.writeBytes - ioBefore.writeBytes} B = ${perSample(ioAfter.writeBytes - ioBefore.writeBytes)}`);
}
console.log(`flush: median ${pick(0.5).toFixed(2)} ms, p95 ${pick(0.95).toFixed(2)} ms`);
if (process.argv[2] === undefined) fs.rmSync(dir, { recursive: true, force: true });
