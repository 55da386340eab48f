/**
 * The /proc parsers on texts from several kinds of systems: CPU times, memory, load, uptime, process
 * listing, network interfaces and block devices.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isWholeDisk, parseDiskstats } from '../../../electron/core/collectors/linux/diskstats.ts';
import { parseLoadavg } from '../../../electron/core/collectors/linux/loadavg.ts';
import { parseMeminfo } from '../../../electron/core/collectors/linux/meminfo.ts';
import { DEFAULT_EXCLUDED_INTERFACES, nameMatcher, parseNetDev } from '../../../electron/core/collectors/linux/netdev.ts';
import { countProcesses } from '../../../electron/core/collectors/linux/proc-listing.ts';
import { parseProcStat } from '../../../electron/core/collectors/linux/stat.ts';
import { parseUptime } from '../../../electron/core/collectors/linux/uptime.ts';
import { fixture } from './fixtures.ts';

describe('parseProcStat', () => {
  test('reads the total and both cores of a 2-core VM', () => {
    const { value, error } = parseProcStat(fixture('stat-2core-vm.txt'));
    assert.equal(error, null);
    assert.deepEqual(value.total, {
      user: 7288, nice: 0, system: 3598, idle: 106272, iowait: 508, irq: 0, softirq: 112,
      steal: 25, guest: 0, guestNice: 0,
    });
    assert.deepEqual(value.cores.map((c) => c.cpu), [0, 1]);
    assert.equal(value.cores[1]!.times.user, 4407);
  });

  test('reads 64 cores of a server whose totals are the sums of its cores', () => {
    const { value, error } = parseProcStat(fixture('stat-64core-server.txt'));
    assert.equal(error, null);
    assert.equal(value.cores.length, 64);
    assert.deepEqual(value.cores.map((c) => c.cpu), Array.from({ length: 64 }, (_, i) => i));
    assert.equal(value.total!.user, value.cores.reduce((s, c) => s + c.times.user, 0));
    assert.equal(value.total!.guest, value.cores.reduce((s, c) => s + c.times.guest, 0));
  });

  test('keeps logical numbers of online CPUs when one is offline, and zeroes fields an old kernel lacks', () => {
    const { value, error } = parseProcStat(fixture('stat-old-kernel-offline-cpu.txt'));
    assert.equal(error, null);
    assert.deepEqual(value.cores.map((c) => c.cpu), [0, 2]);
    assert.equal(value.total!.softirq, 13544);
    assert.equal(value.total!.steal, 0);
    assert.equal(value.total!.guestNice, 0);
  });

  test('reports an error and no total when the cpu line is missing or has a non-number', () => {
    assert.equal(parseProcStat('intr 1 2 3\n').value.total, null);
    assert.notEqual(parseProcStat('intr 1 2 3\n').error, null);
    const bad = parseProcStat('cpu  1 2 x 4 5\ncpu0 1 2 3 4 5\n');
    assert.equal(bad.value.total, null);
    assert.equal(bad.value.cores.length, 1);
    assert.match(bad.error!, /cpu/);
  });

  test('counts malformed per-core lines as errors but keeps the others', () => {
    const { value, error } = parseProcStat('cpu  10 0 10 80 0\ncpu0 5 0 5 40\ncpuX 5 0 5 40 0\ncpu1 5 0\n');
    assert.equal(value.total!.user, 10);
    assert.deepEqual(value.cores.map((c) => c.cpu), [0]);
    assert.match(error!, /2 malformed/);
  });
});

describe('parseMeminfo', () => {
  test('converts kB to bytes and reads MemAvailable on a modern kernel', () => {
    const { value, error } = parseMeminfo(fixture('meminfo-laptop-swap.txt'));
    assert.equal(error, null);
    assert.equal(value!.memTotal, 16107456 * 1024);
    assert.equal(value!.memAvailable, 6871296 * 1024);
    assert.equal(value!.availableEstimated, false);
    assert.equal(value!.sReclaimable, 501232 * 1024);
    assert.equal(value!.swapTotal, 8388604 * 1024);
    assert.equal(value!.swapFree, 7340028 * 1024);
  });

  test('estimates MemAvailable as MemFree + Buffers + Cached on a kernel without it', () => {
    const { value, error } = parseMeminfo(fixture('meminfo-rhel6-no-memavailable.txt'));
    assert.equal(error, null);
    assert.equal(value!.availableEstimated, true);
    assert.equal(value!.memAvailable, (345612 + 205816 + 4987520) * 1024);
  });

  test('gives no value when MemTotal is missing, and names other missing fields', () => {
    assert.equal(parseMeminfo('MemFree: 10 kB\n').value, null);
    const partial = parseMeminfo('MemTotal: 100 kB\nMemFree: 10 kB\nMemAvailable: 50 kB\n');
    assert.equal(partial.value!.memAvailable, 50 * 1024);
    assert.match(partial.error!, /Buffers.*Cached.*SwapTotal.*SwapFree/);
  });

  test('ignores a size line without its kB unit', () => {
    assert.equal(parseMeminfo('MemTotal: 100\nMemFree: 10 kB\n').value, null);
  });
});

describe('parseLoadavg and parseUptime', () => {
  test('reads the three load averages', () => {
    assert.deepEqual(parseLoadavg('0.47 0.31 0.13 1/90 6116\n'), {
      value: { load1: 0.47, load5: 0.31, load15: 0.13 }, error: null,
    });
    assert.equal(parseLoadavg('12.50 8.00 64.99 31/2048 912834').value!.load15, 64.99);
  });

  test('rejects load averages that are not plain decimals', () => {
    for (const text of ['', '0.47 0.31', '0.47 0.31 -1', '1e3 0 0', 'Infinity 0 0', '0x1 0 0', '. 0 0']) {
      assert.equal(parseLoadavg(text).value, null, text);
      assert.notEqual(parseLoadavg(text).error, null, text);
    }
  });

  test('reads uptime seconds and ignores the idle field', () => {
    assert.deepEqual(parseUptime('253.67 423.42\n'), { value: 253.67, error: null });
    assert.equal(parseUptime('31536000.01 63000000.00').value, 31536000.01);
    assert.equal(parseUptime('').value, null);
    assert.equal(parseUptime('abc 1').value, null);
  });
});

describe('countProcesses', () => {
  test('counts only the numeric entries of a /proc listing', () => {
    const listing = ['1', '2', '1068', 'self', 'thread-self', 'acpi', 'cpuinfo', '12a', '', '99'].join('\n');
    assert.equal(countProcesses(listing), 4);
    assert.equal(countProcesses('1  2\t3 sys\n'), 3);
    assert.equal(countProcesses(''), 0);
  });
});

describe('parseNetDev', () => {
  test('reads interfaces whose names have dots and dashes', () => {
    const { value, error } = parseNetDev(fixture('netdev-router.txt'));
    assert.equal(error, null);
    const byName = new Map(value.map((i) => [i.name, i]));
    assert.deepEqual(byName.get('eth0.100'), {
      name: 'eth0.100', receiveBytes: 1847261, receivePackets: 12098, transmitBytes: 921874, transmitPackets: 8123,
    });
    assert.equal(byName.get('br-lan')!.transmitBytes, 901283712);
    assert.equal(byName.get('wlp3s0')!.receiveBytes, 781234123);
    assert.equal(byName.get('eth0')!.receiveBytes, 3920184201);
    assert.equal(value.length, 12);
  });

  test('reads a counter glued to the colon, as 2.4 kernels print wide values', () => {
    const eth0 = parseNetDev(fixture('netdev-2.4-kernel.txt')).value.find((i) => i.name === 'eth0');
    assert.equal(eth0!.receiveBytes, 2147483647);
    assert.equal(eth0!.transmitBytes, 98123123);
  });

  test('skips a truncated line and says so', () => {
    const { value, error } = parseNetDev('  eth0: 1 2 3\n  eth1: 1 2 0 0 0 0 0 0 3 4 0 0 0 0 0 0\n');
    assert.deepEqual(value.map((i) => i.name), ['eth1']);
    assert.match(error!, /1 malformed/);
  });

  test('the default exclusions drop loopback, container, bridge and overlay interfaces only', () => {
    const excluded = nameMatcher(DEFAULT_EXCLUDED_INTERFACES);
    const kept = parseNetDev(fixture('netdev-router.txt')).value.map((i) => i.name).filter((n) => !excluded(n));
    assert.deepEqual(kept, ['eth0', 'eth0.100', 'wlp3s0', 'wg-home']);
  });
});

describe('parseDiskstats', () => {
  test('converts sectors to bytes at 512 bytes a sector', () => {
    const { value, error } = parseDiskstats(fixture('diskstats-desktop.txt'));
    assert.equal(error, null);
    const nvme = value.find((d) => d.name === 'nvme0n1')!;
    assert.deepEqual(nvme, {
      name: 'nvme0n1', readsCompleted: 1023918, readBytes: 83918212 * 512, writesCompleted: 2891234,
      writeBytes: 192837465 * 512,
    });
  });

  test('keeps whole disks and drops partitions, loop, ram, zram, floppy and optical devices', () => {
    const names = parseDiskstats(fixture('diskstats-desktop.txt')).value.map((d) => d.name).filter(isWholeDisk);
    assert.deepEqual(names, ['nvme0n1', 'sda', 'dm-0', 'mmcblk0', 'md0', 'xvda']);
  });

  test('reads a 2.6 kernel with 14 fields and skips its 7-field partition lines silently', () => {
    const { value, error } = parseDiskstats(fixture('diskstats-2.6-kernel.txt'));
    assert.equal(error, null);
    assert.deepEqual(value.map((d) => d.name), ['sda', 'sdb', 'vda']);
    assert.equal(value[0]!.writeBytes, 17829344 * 512);
  });

  test('counts lines with non-numeric counters as malformed', () => {
    const { value, error } = parseDiskstats('8 0 sda 1 0 x 0 1 0 1 0 0 0 0\n');
    assert.equal(value.length, 0);
    assert.match(error!, /1 malformed/);
  });
});
