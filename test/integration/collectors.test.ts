/**
 * The local collector on this real machine, checked against independent tools: getconf and nproc for
 * CPUs, free(1) for memory, df(1) for filesystems, ps(1) for processes, /sys for devices.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import { after, before, describe, test } from 'node:test';
import { Inventory, ProcessList, Snapshot, type Sample } from '../../shared/api.ts';
import { seriesKey } from '../../shared/metrics.ts';
import type { Collector } from '../../electron/core/collectors/collector.ts';
import { isWholeDisk } from '../../electron/core/collectors/linux/diskstats.ts';
import { DEFAULT_EXCLUDED_INTERFACES, nameMatcher } from '../../electron/core/collectors/linux/netdev.ts';
import { createLocalCollector } from '../../electron/core/collectors/local.ts';

const MiB = 1024 * 1024;
const run = (file: string, args: string[]): string => execFileSync(file, args, { encoding: 'utf8' });

function value(samples: readonly Sample[], metric: string, attributes: Record<string, string> = {}): number | undefined {
  const key = seriesKey(metric, attributes);
  return samples.find((s) => seriesKey(s.metric, s.attributes) === key)?.value;
}

describe('LocalCollector on this machine', { skip: process.platform !== 'linux' && 'Linux only' }, () => {
  let collector: Collector;
  let first: Snapshot;
  let second: Snapshot;

  before(async () => {
    collector = createLocalCollector();
    first = await collector.collect(Date.now());
    await new Promise((resolve) => setTimeout(resolve, 1000));
    second = await collector.collect(Date.now());
  });
  after(() => collector.close());

  test('snapshots satisfy the API schema, for host "local", without errors', () => {
    for (const s of [first, second]) {
      assert.deepEqual(Snapshot.parse(s), s);
      assert.equal(s.host, 'local');
      assert.deepEqual(s.errors, []);
    }
  });

  test('the first snapshot has no rates, the second has them', () => {
    const rates = ['system.cpu.utilization', 'system.network.io', 'system.disk.io', 'system.disk.operations'];
    assert.equal(first.samples.some((s) => rates.includes(s.metric)), false);
    assert.ok(value(second.samples, 'system.cpu.utilization') !== undefined);
  });

  test('the logical CPU count and per-core series match the online CPUs', () => {
    // getconf counts online CPUs as /proc/stat does; nproc counts those this process may run on.
    const online = Number(run('getconf', ['_NPROCESSORS_ONLN']).trim());
    const nproc = Number(run('nproc', []).trim());
    const count = value(second.samples, 'system.cpu.logical.count');
    assert.equal(count, online);
    assert.ok(nproc <= online);
    const cores = second.samples.filter((s) => s.metric === 'system.cpu.utilization' && 'cpu.logical_number' in s.attributes);
    assert.equal(cores.length, online);
  });

  test('CPU utilization, all and per core, is a ratio within 0–1', () => {
    const all = second.samples.filter((s) => s.metric === 'system.cpu.utilization');
    assert.ok(all.length > 0);
    for (const s of all) assert.ok(s.value >= 0 && s.value <= 1, `${JSON.stringify(s.attributes)} ${s.value}`);
  });

  test('memory total equals free -b exactly, and used (total less available) is close', () => {
    const mem = run('free', ['-b']).split('\n').find((l) => l.startsWith('Mem:'))!.trim().split(/\s+/);
    const total = Number(mem[1]);
    const available = Number(mem[6]);
    assert.equal(value(second.samples, 'system.memory.limit'), total);
    const used = value(second.samples, 'system.memory.usage', { 'system.memory.state': 'used' })!;
    assert.ok(Math.abs(used - (total - available)) < Math.max(64 * MiB, total * 0.02),
      `used ${used} vs free's ${total - available}`);
    const utilization = value(second.samples, 'system.memory.utilization')!;
    assert.ok(Math.abs(utilization - used / total) < 1e-12);
  });

  test('each filesystem reported has df -B1 -P\'s size exactly and its used and available closely', () => {
    const mounts = second.samples.filter((s) => s.metric === 'system.filesystem.limit');
    assert.ok(mounts.some((s) => s.attributes['system.filesystem.mountpoint'] === '/'), 'the root filesystem is reported');
    for (const m of mounts) {
      const mountpoint = m.attributes['system.filesystem.mountpoint']!;
      const line = run('df', ['-B1', '-P', mountpoint]).trim().split('\n')[1]!.split(/\s+/);
      const [size, used, available] = [Number(line[1]), Number(line[2]), Number(line[3])];
      assert.equal(m.value, size, mountpoint);
      const attrs = (state: string) => ({ 'system.filesystem.mountpoint': mountpoint, 'system.filesystem.state': state });
      assert.ok(Math.abs(value(second.samples, 'system.filesystem.usage', attrs('used'))! - used) < 64 * MiB, mountpoint);
      assert.ok(Math.abs(value(second.samples, 'system.filesystem.usage', attrs('free'))! - available) < 64 * MiB, mountpoint);
      const utilization = value(second.samples, 'system.filesystem.utilization', { 'system.filesystem.mountpoint': mountpoint })!;
      assert.ok(Math.abs(utilization - used / (used + available)) < 0.01, mountpoint);
    }
  });

  test('network rates exist for each non-virtual interface in /sys/class/net, and are ≥ 0', () => {
    const excluded = nameMatcher(DEFAULT_EXCLUDED_INTERFACES);
    const interfaces = readdirSync('/sys/class/net').filter((n) => !excluded(n));
    for (const device of interfaces) {
      for (const direction of ['receive', 'transmit']) {
        const v = value(second.samples, 'system.network.io', { 'system.device': device, 'network.io.direction': direction });
        assert.ok(v !== undefined && v >= 0, `${device} ${direction}: ${v}`);
      }
    }
  });

  test('disk rates exist for each whole disk in /sys/block, and are ≥ 0', () => {
    const disks = readdirSync('/sys/block').filter(isWholeDisk);
    assert.ok(disks.length > 0, 'this machine has a disk');
    for (const device of disks) {
      for (const metric of ['system.disk.io', 'system.disk.operations']) {
        for (const direction of ['read', 'write']) {
          const v = value(second.samples, metric, { 'system.device': device, 'disk.io.direction': direction });
          assert.ok(v !== undefined && v >= 0, `${metric} ${device} ${direction}: ${v}`);
        }
      }
    }
  });

  test('uptime, load averages and process count agree with os and ps', () => {
    assert.ok(Math.abs(value(second.samples, 'system.uptime')! - os.uptime()) < 2);
    const [load1] = os.loadavg();
    assert.ok(Math.abs(value(second.samples, 'system.cpu.load_average.1m')! - load1!) < 0.5);
    const ps = run('ps', ['-e', '--no-headers']).trim().split('\n').length;
    const count = value(second.samples, 'system.process.count')!;
    assert.ok(Math.abs(count - ps) <= 10, `${count} processes, ps saw ${ps}`);
  });

  test('processes() finds this process busy after it spun a core between two calls', async () => {
    await collector.processes(Date.now());
    const spinUntil = performance.now() + 500;
    while (performance.now() < spinUntil) { /* busy: one core */ }
    const list = await collector.processes(Date.now());
    assert.deepEqual(ProcessList.parse(list), list);
    assert.ok(list.processes.length > 0 && list.processes.length <= 20);
    for (const p of list.processes) {
      assert.ok(p.pid > 0 && p.cpu >= 0 && p.memory >= 0 && p.name !== '' && p.command !== '', JSON.stringify(p));
    }
    const self = list.processes.find((p) => p.pid === process.pid);
    assert.ok(self, 'this process is among the busiest');
    assert.ok(self.cpu > 0.5 && self.cpu <= 1.5, `cpu ${self.cpu}`);
    assert.equal(self.user, os.userInfo().username);
    const rss = process.memoryUsage().rss;
    assert.ok(Math.abs(self.memory - rss) < rss * 0.5, `memory ${self.memory}, rss ${rss}`);
  });

  test('inventory agrees with os on hostname, CPUs and memory', { timeout: 20_000 }, async () => {
    const inventory = await collector.inventory();
    assert.deepEqual(Inventory.parse(inventory), inventory);
    assert.equal(inventory.hostname, os.hostname());
    assert.equal(inventory.logicalCpus, os.cpus().length);
    assert.equal(inventory.memoryTotal, value(second.samples, 'system.memory.limit'));
    assert.equal(inventory.kernel, os.release());
  });
});
