/**
 * LinuxSnapshotter: section texts in, catalog samples out, with rates from its own baselines and
 * errors confined to the sections that failed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Sample } from '../../../shared/api.ts';
import { metricDefinition, seriesKey } from '../../../shared/metrics.ts';
import { LinuxSnapshotter, type LinuxSections } from '../../../electron/core/collectors/snapshotter.ts';
import { fixture } from './fixtures.ts';

const NETDEV_HEADER = 'Inter-|   Receive                                                |  Transmit\n'
  + ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';
const netdev = (eth0Rx: number, eth0Tx: number, wlanRx: number): string => NETDEV_HEADER
  + `    lo: 100 1 0 0 0 0 0 0 100 1 0 0 0 0 0 0\n`
  + `  eth0: ${eth0Rx} 10 0 0 0 0 0 0 ${eth0Tx} 10 0 0 0 0 0 0\n`
  + `wlp3s0: ${wlanRx} 10 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n`
  + `docker0: 5000 10 0 0 0 0 0 0 5000 10 0 0 0 0 0 0\n`;
const diskstats = (reads: number, sectorsRead: number, writes: number, sectorsWritten: number): string =>
  `   8       0 sda ${reads} 0 ${sectorsRead} 0 ${writes} 0 ${sectorsWritten} 0 0 0 0 0 0 0 0 0 0\n`
  + `   8       1 sda1 ${reads} 0 ${sectorsRead} 0 ${writes} 0 ${sectorsWritten} 0 0 0 0 0 0 0 0 0 0\n`
  + '   7       0 loop0 10 0 20 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n';
const stat = (u0: number, i0: number, u1: number, i1: number): string =>
  `cpu  ${u0 + u1} 0 0 ${i0 + i1} 0 0 0 0 0 0\ncpu0 ${u0} 0 0 ${i0} 0 0 0 0 0 0\ncpu1 ${u1} 0 0 ${i1} 0 0 0 0 0 0\nintr 1\n`;

function sections(over: Partial<LinuxSections> = {}): LinuxSections {
  return {
    stat: stat(100, 900, 200, 800),
    meminfo: fixture('meminfo-laptop-swap.txt'),
    loadavg: '0.47 0.31 0.13 1/90 6116\n',
    uptime: '253.67 423.42\n',
    netdev: netdev(1000, 2000, 0),
    diskstats: diskstats(100, 1000, 50, 4000),
    proc: '1\n2\n17\nself\nsys\n',
    thermal: fixture('thermal-amd-desktop.txt').split('\n').slice(0, 3).join('\n'),
    df: fixture('df-gnu.txt'),
    ...over,
  };
}

function valueOf(samples: readonly Sample[], metric: string, attributes: Record<string, string> = {}): number | undefined {
  const key = seriesKey(metric, attributes);
  return samples.find((s) => seriesKey(s.metric, s.attributes) === key)?.value;
}

describe('LinuxSnapshotter', () => {
  test('the first snapshot has gauges but no CPU utilization, disk or network rates', () => {
    const { samples, errors } = new LinuxSnapshotter().snapshot(sections(), 1_000);
    assert.deepEqual(errors, []);
    const metrics = new Set(samples.map((s) => s.metric));
    for (const m of ['system.cpu.utilization', 'system.network.io', 'system.disk.io', 'system.disk.operations']) {
      assert.equal(metrics.has(m), false, m);
    }
    assert.equal(valueOf(samples, 'system.cpu.logical.count'), 2);
    assert.equal(valueOf(samples, 'system.cpu.load_average.5m'), 0.31);
    assert.equal(valueOf(samples, 'system.uptime'), 253.67);
    assert.equal(valueOf(samples, 'system.process.count'), 3);
    assert.equal(valueOf(samples, 'hw.temperature', { 'hw.id': 'k10temp Tctl' }), 54.625);
  });

  test('the second snapshot has rates over the elapsed time, from this instance\'s baselines', () => {
    const snapshotter = new LinuxSnapshotter();
    snapshotter.snapshot(sections(), 10_000);
    const { samples, errors } = snapshotter.snapshot(sections({
      stat: stat(130, 970, 300, 800),
      netdev: netdev(5000, 3000, 800),
      diskstats: diskstats(110, 1800, 70, 4400),
    }), 12_000);
    assert.deepEqual(errors, []);
    // Ticks: cpu0 busy 30 of 100, cpu1 busy 100 of 100, all 130 of 200.
    assert.equal(valueOf(samples, 'system.cpu.utilization'), 130 / 200);
    assert.equal(valueOf(samples, 'system.cpu.utilization', { 'cpu.logical_number': '0' }), 0.3);
    assert.equal(valueOf(samples, 'system.cpu.utilization', { 'cpu.logical_number': '1' }), 1);
    const eth0 = (direction: string) => ({ 'system.device': 'eth0', 'network.io.direction': direction });
    assert.equal(valueOf(samples, 'system.network.io', eth0('receive')), 2000);
    assert.equal(valueOf(samples, 'system.network.io', eth0('transmit')), 500);
    assert.equal(valueOf(samples, 'system.network.io', { 'system.device': 'wlp3s0', 'network.io.direction': 'receive' }), 400);
    const sda = (direction: string) => ({ 'system.device': 'sda', 'disk.io.direction': direction });
    assert.equal(valueOf(samples, 'system.disk.io', sda('read')), 800 * 512 / 2);
    assert.equal(valueOf(samples, 'system.disk.io', sda('write')), 400 * 512 / 2);
    assert.equal(valueOf(samples, 'system.disk.operations', sda('read')), 5);
    assert.equal(valueOf(samples, 'system.disk.operations', sda('write')), 10);
    const devices = new Set(samples.map((s) => s.attributes['system.device']).filter((d) => d !== undefined));
    assert.deepEqual([...devices].sort(), ['eth0', 'sda', 'wlp3s0']);
  });

  test('an interface whose counters went backwards has no rate that interval; the others do', () => {
    const snapshotter = new LinuxSnapshotter();
    snapshotter.snapshot(sections({ netdev: netdev(9000, 9000, 100) }), 0);
    const { samples } = snapshotter.snapshot(sections({ netdev: netdev(100, 9100, 200) }), 1000);
    const eth0 = (direction: string) => ({ 'system.device': 'eth0', 'network.io.direction': direction });
    assert.equal(valueOf(samples, 'system.network.io', eth0('receive')), undefined);
    assert.equal(valueOf(samples, 'system.network.io', eth0('transmit')), 100);
    assert.equal(valueOf(samples, 'system.network.io', { 'system.device': 'wlp3s0', 'network.io.direction': 'receive' }), 100);
  });

  test('memory used is total less available; cached includes reclaimable slab, as free(1) shows', () => {
    const { samples } = new LinuxSnapshotter().snapshot(sections(), 0);
    const kib = 1024;
    const used = (16107456 - 6871296) * kib;
    assert.equal(valueOf(samples, 'system.memory.limit'), 16107456 * kib);
    assert.equal(valueOf(samples, 'system.memory.usage', { 'system.memory.state': 'used' }), used);
    assert.equal(valueOf(samples, 'system.memory.usage', { 'system.memory.state': 'free' }), 903812 * kib);
    assert.equal(valueOf(samples, 'system.memory.usage', { 'system.memory.state': 'cached' }), (5921140 + 501232) * kib);
    assert.equal(valueOf(samples, 'system.memory.usage', { 'system.memory.state': 'buffers' }), 412344 * kib);
    assert.equal(valueOf(samples, 'system.memory.utilization'), used / (16107456 * kib));
    assert.equal(valueOf(samples, 'system.paging.usage', { 'system.paging.state': 'used' }), (8388604 - 7340028) * kib);
    assert.equal(valueOf(samples, 'system.paging.utilization'), (8388604 - 7340028) / 8388604);
  });

  test('swap utilization is 0 on a host without swap', () => {
    const { samples } = new LinuxSnapshotter().snapshot(sections({ meminfo: fixture('meminfo-vm.txt') }), 0);
    assert.equal(valueOf(samples, 'system.paging.utilization'), 0);
    assert.equal(valueOf(samples, 'system.paging.usage', { 'system.paging.state': 'used' }), 0);
  });

  test('a missing or unreadable section is an error for its metrics only', () => {
    const { samples, errors } = new LinuxSnapshotter().snapshot(
      sections({ meminfo: undefined, diskstats: { error: 'EACCES: permission denied' } }), 0);
    assert.deepEqual(errors, [
      { source: '/proc/meminfo', message: 'not read' },
      { source: '/proc/diskstats', message: 'EACCES: permission denied' },
    ]);
    assert.equal(samples.some((s) => s.metric.startsWith('system.memory') || s.metric.startsWith('system.paging')), false);
    assert.equal(valueOf(samples, 'system.cpu.logical.count'), 2);
    assert.notEqual(valueOf(samples, 'system.filesystem.limit', { 'system.filesystem.mountpoint': '/' }), undefined);
  });

  test('a malformed section gives an error and what parsed', () => {
    const { samples, errors } = new LinuxSnapshotter().snapshot(
      sections({ loadavg: 'garbage', stat: 'cpu  1 2 3 4 5\ncpu0 1 2 3\ncpu1 1 0 1 1\n' }), 0);
    assert.deepEqual(errors.map((e) => e.source), ['/proc/stat', '/proc/loadavg']);
    assert.equal(valueOf(samples, 'system.cpu.logical.count'), 1);
    assert.equal(samples.some((s) => s.metric.startsWith('system.cpu.load_average')), false);
  });

  test('filesystems from df: usage by state, limit and df-style utilization, pseudo ones left out', () => {
    const { samples } = new LinuxSnapshotter().snapshot(sections(), 0);
    const mp = (m: string) => ({ 'system.filesystem.mountpoint': m });
    const kib = 1024;
    assert.equal(valueOf(samples, 'system.filesystem.limit', mp('/media/alice/My Passport')), 960302804 * kib);
    assert.equal(valueOf(samples, 'system.filesystem.usage', { ...mp('/'), 'system.filesystem.state': 'used' }), 301827364 * kib);
    assert.equal(valueOf(samples, 'system.filesystem.usage', { ...mp('/'), 'system.filesystem.state': 'free' }), 153316012 * kib);
    assert.equal(valueOf(samples, 'system.filesystem.usage', { ...mp('/'), 'system.filesystem.state': 'reserved' }),
      (479596204 - 301827364 - 153316012) * kib);
    assert.equal(valueOf(samples, 'system.filesystem.utilization', mp('/')), 301827364 / (301827364 + 153316012));
    const mounts = new Set(samples.map((s) => s.attributes['system.filesystem.mountpoint']).filter(Boolean));
    assert.deepEqual([...mounts], ['/', '/boot/efi', '/media/alice/My Passport', '/mnt/nas home']);
  });

  test('df lines are selected by the mount table when mountinfo comes with them', () => {
    const { samples } = new LinuxSnapshotter().snapshot(
      sections({ mountinfo: fixture('mountinfo-desktop.txt') }), 0);
    const mounts = new Set(samples.map((s) => s.attributes['system.filesystem.mountpoint']).filter(Boolean));
    assert.deepEqual([...mounts], ['/', '/boot/efi', '/media/alice/My Passport', '/mnt/nas home']);
  });

  test('statfs usage, when given, is used instead of df', () => {
    const { samples } = new LinuxSnapshotter().snapshot(sections({
      filesystems: [{ mountpoint: '/data', size: 1000, used: 600, free: 300, reserved: 100 }],
    }), 0);
    const mounts = new Set(samples.map((s) => s.attributes['system.filesystem.mountpoint']).filter(Boolean));
    assert.deepEqual([...mounts], ['/data']);
    assert.equal(valueOf(samples, 'system.filesystem.utilization', { 'system.filesystem.mountpoint': '/data' }), 600 / 900);
  });

  test('interfaces can be chosen by option instead of the default exclusions', () => {
    const snapshotter = new LinuxSnapshotter({ excludeInterfaces: ['lo', 'wlp*'] });
    snapshotter.snapshot(sections(), 0);
    const { samples } = snapshotter.snapshot(sections(), 1000);
    const devices = new Set(samples.filter((s) => s.metric === 'system.network.io').map((s) => s.attributes['system.device']));
    assert.deepEqual([...devices], ['eth0', 'docker0']);
  });

  test('every sample names a catalog metric with attributes that metric declares', () => {
    const snapshotter = new LinuxSnapshotter();
    snapshotter.snapshot(sections(), 0);
    const { samples } = snapshotter.snapshot(sections({ stat: stat(150, 950, 250, 850) }), 1000);
    assert.ok(samples.length > 40);
    for (const s of samples) {
      const def = metricDefinition(s.metric);
      assert.ok(def, s.metric);
      for (const key of Object.keys(s.attributes)) assert.ok(def.attributes.includes(key), `${s.metric} ${key}`);
      assert.ok(Number.isFinite(s.value));
    }
  });
});
