/**
 * The parsers of filesystem tables (`df -kP`, mountinfo), temperature sensors, and per-process files.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { filesystemUtilization, usageFromDf, usageFromStatfs } from '../../../electron/core/collectors/filesystem-usage.ts';
import { parseDf, selectDfEntries } from '../../../electron/core/collectors/linux/df.ts';
import { parseMountinfo, selectFilesystems, unescapeMountPath } from '../../../electron/core/collectors/linux/mountinfo.ts';
import { parsePasswd } from '../../../electron/core/collectors/linux/passwd.ts';
import { formatCmdline, processName, parsePidStat, parsePidStatus } from '../../../electron/core/collectors/linux/pid.ts';
import { parseThermal } from '../../../electron/core/collectors/linux/thermal.ts';
import { fixture } from './fixtures.ts';

describe('parseDf', () => {
  test('reads GNU df -kP with spaces in mount points, sizes in bytes', () => {
    const { value, error } = parseDf(fixture('df-gnu.txt'));
    assert.equal(error, null);
    assert.equal(value.length, 10);
    assert.deepEqual(value.find((e) => e.mountpoint === '/'), {
      source: '/dev/nvme0n1p2', mountpoint: '/', size: 479596204 * 1024, used: 301827364 * 1024,
      available: 153316012 * 1024,
    });
    assert.ok(value.some((e) => e.mountpoint === '/media/alice/My Passport' && e.source === '/dev/sda1'));
    assert.ok(value.some((e) => e.mountpoint === '/mnt/nas home' && e.source === 'nas:/export/home'));
  });

  test('reads BusyBox df -kP and joins a source wrapped onto its own line', () => {
    const { value, error } = parseDf(fixture('df-busybox.txt'));
    assert.equal(error, null);
    assert.deepEqual(value.at(-1), {
      source: '/dev/mapper/very-long-volume-group-name-data-logical-volume', mountpoint: '/srv/data',
      size: 103081248 * 1024, used: 41234112 * 1024, available: 56588840 * 1024,
    });
    assert.equal(value[0]!.source, '/dev/root');
  });

  test('takes the block size from the header and leaves out filesystems of size 0', () => {
    const { value, error } = parseDf(fixture('df-512-blocks.txt'));
    assert.equal(error, null);
    assert.deepEqual(value.map((e) => [e.mountpoint, e.size]), [['/', 41152736 * 512]]);
  });

  test('returns nothing without a header, rather than guess the block size', () => {
    const { value, error } = parseDf('/dev/sda1 100 50 50 50% /\n');
    assert.equal(value.length, 0);
    assert.match(error!, /header/);
  });

  test('selects disks and shares by source when no mount table is known', () => {
    const kept = selectDfEntries(parseDf(fixture('df-gnu.txt')).value).map((e) => e.mountpoint);
    assert.deepEqual(kept, ['/', '/boot/efi', '/media/alice/My Passport', '/mnt/nas home']);
  });

  test('selects exactly the given mount points when a mount table is known', () => {
    const kept = selectDfEntries(parseDf(fixture('df-gnu.txt')).value, new Set(['/', '/var/lib/docker']));
    assert.deepEqual(kept.map((e) => e.mountpoint), ['/', '/var/lib/docker']);
  });
});

describe('parseMountinfo and selectFilesystems', () => {
  test('decodes octal escapes of spaces, tabs and backslashes', () => {
    assert.equal(unescapeMountPath('/media/alice/My\\040Passport'), '/media/alice/My Passport');
    assert.equal(unescapeMountPath('/home/alice/tab\\011and\\134back'), '/home/alice/tab\tand\\back');
    assert.equal(unescapeMountPath('/odd\\04'), '/odd\\04');
  });

  test('reads device, root, mount point, type and source past the optional fields', () => {
    const { value, error } = parseMountinfo(fixture('mountinfo-desktop.txt'));
    assert.equal(error, null);
    assert.deepEqual(value.find((m) => m.device === '8:1'), {
      device: '8:1', root: '/', mountpoint: '/media/alice/My Passport', fstype: 'exfat', source: '/dev/sda1',
    });
  });

  test('keeps disks and network shares, drops pseudo filesystems, snaps and container layers', () => {
    const kept = selectFilesystems(parseMountinfo(fixture('mountinfo-desktop.txt')).value);
    assert.deepEqual(kept.map((m) => m.mountpoint),
      ['/', '/boot/efi', '/media/alice/My Passport', '/mnt/nas home', '/home/alice/tab\tand\\back']);
  });

  test('keeps one mount per device: the root directory one, then the shortest mount point', () => {
    const kept = selectFilesystems(parseMountinfo(fixture('mountinfo-container.txt')).value);
    // The overlay at / is the container's root; bind mounts of the host disk collapse to /data.
    assert.deepEqual(kept.map((m) => [m.mountpoint, m.fstype]), [['/', 'overlay'], ['/data', 'ext4']]);
  });

  test('skips and counts lines without the separator', () => {
    const { value, error } = parseMountinfo('22 28 0:21 / /sys rw shared:7 sysfs sysfs rw\n');
    assert.equal(value.length, 0);
    assert.match(error!, /1 malformed/);
  });
});

describe('filesystem usage', () => {
  test('statfs gives df numbers: used from bfree, free from bavail, the rest reserved', () => {
    const u = usageFromStatfs('/', { bsize: 4096, blocks: 1000, bfree: 300, bavail: 250 });
    assert.deepEqual(u, { mountpoint: '/', size: 4096000, used: 700 * 4096, free: 250 * 4096, reserved: 50 * 4096 });
    // df's Use%: used / (used + available) = 700 / 950.
    assert.equal(filesystemUtilization(u), 700 / 950);
  });

  test('a df line gives the same usage, reserved being what used and available leave', () => {
    const u = usageFromDf({ source: '/dev/sda1', mountpoint: '/', size: 1000, used: 700, available: 250 });
    assert.deepEqual(u, { mountpoint: '/', size: 1000, used: 700, free: 250, reserved: 50 });
  });

  test('an empty filesystem is 0 % used, and reserved never goes negative', () => {
    const u = usageFromStatfs('/empty', { bsize: 4096, blocks: 0, bfree: 0, bavail: 10 });
    assert.equal(u.reserved, 0);
    assert.equal(filesystemUtilization(usageFromDf({ source: 'x', mountpoint: '/x', size: 0, used: 0, available: 0 })), 0);
  });
});

describe('parseThermal', () => {
  test('names hwmon sensors by chip and label and leaves out zones an hwmon chip already reports', () => {
    const { value, error } = parseThermal(fixture('thermal-intel-laptop.txt'));
    assert.equal(error, null);
    assert.deepEqual(value, [
      { sensor: 'acpitz temp1', celsius: 27.8 },
      { sensor: 'nvme Composite', celsius: 38.85 },
      { sensor: 'nvme Sensor 1', celsius: 41.85 },
      { sensor: 'nvme Composite hwmon2', celsius: 35.85 },
      { sensor: 'coretemp Package id 0', celsius: 49 },
      { sensor: 'coretemp Core 0', celsius: 46 },
      { sensor: 'coretemp Core 1', celsius: 47 },
      { sensor: 'INT3400 Thermal', celsius: 20 },
      { sensor: 'x86_pkg_temp', celsius: 48 },
    ]);
  });

  test('reads k10temp Tctl, negative millidegrees, and counts an unreadable input', () => {
    const { value, error } = parseThermal(fixture('thermal-amd-desktop.txt'));
    assert.deepEqual(value.map((t) => [t.sensor, t.celsius]), [
      ['k10temp Tctl', 54.625], ['k10temp Tccd1', 44.25], ['amdgpu edge', 41], ['it8688 temp1', -128],
    ]);
    assert.match(error!, /1 unreadable/);
  });

  test('a host without sensors has no temperatures and no error', () => {
    assert.deepEqual(parseThermal(''), { value: [], error: null });
  });
});

describe('per-process files', () => {
  const stat = '4242 (Web Content (x) ) S 1 4242 4242 0 -1 4194560 812 0 0 0 1234 567 0 0 20 0 28 0 '
    + '98765 3012345678 51234 18446744073709551615 1 1 0 0 0 0 0 4096 1260 0 0 0 17 3 0 0 0 0 0\n';

  test('reads a stat whose comm holds spaces and parentheses', () => {
    assert.deepEqual(parsePidStat(stat), {
      comm: 'Web Content (x) ', cpuTicks: 1234 + 567, startTicks: 98765, rssPages: 51234,
    });
  });

  test('returns null for a truncated stat', () => {
    assert.equal(parsePidStat('4242 (bash) S 1 4242'), null);
    assert.equal(parsePidStat(''), null);
  });

  test('reads the effective uid and VmRSS from status; kernel threads have no RSS', () => {
    const status = 'Name:\tsshd\nUid:\t0\t1000\t0\t0\nGid:\t0\t0\t0\t0\nVmRSS:\t    9876 kB\n';
    assert.deepEqual(parsePidStatus(status), { rssBytes: 9876 * 1024, uid: 1000 });
    assert.deepEqual(parsePidStatus('Name:\tkthreadd\nUid:\t0\t0\t0\t0\n'), { rssBytes: 0, uid: 0 });
    assert.deepEqual(parsePidStatus(''), { rssBytes: 0, uid: -1 });
  });

  test('joins cmdline arguments with spaces and cuts long ones', () => {
    assert.equal(formatCmdline('/usr/bin/node\u0000server.js\u0000--port\u00008080\u0000', 100),
      '/usr/bin/node server.js --port 8080');
    assert.equal(formatCmdline('', 100), '');
    assert.equal(formatCmdline('abcdef\0', 3), 'abc');
  });

  test('maps uids to names from /etc/passwd, first entry winning', () => {
    const users = parsePasswd('# comment\nroot:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n'
      + 'toor:x:0:0::/root:/bin/sh\nbroken:x:abc:0::/:/bin/false\n\n');
    assert.deepEqual([...users], [[0, 'root'], [1000, 'alice']]);
  });
});

test('a process is named by argv[0] unless it is a kernel thread or rewrote its title', () => {
  assert.equal(processName('MainThread', '/usr/bin/node\0server.js\0'), 'node');
  assert.equal(processName('chromium', '/usr/lib/chromium/chromium\0--type=renderer\0'), 'chromium');
  assert.equal(processName('kworker/0:1', ''), 'kworker/0:1');
  assert.equal(processName('sshd', 'sshd: root@pts/0\0'), 'sshd');
  assert.equal(processName('postgres', 'postgres: checkpointer \0'), 'postgres');
  assert.equal(processName('bash', '-bash\0'), '-bash');
});
