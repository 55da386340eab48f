/**
 * Property tests: whatever text a parser is given (random bytes, soups of the tokens its format uses,
 * real outputs truncated or spliced anywhere), it returns without throwing and no NaN or Infinity
 * escapes; the snapshotter likewise, and its ratios stay within 0–1 and its rates non-negative.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseDf } from '../../../electron/core/collectors/linux/df.ts';
import { parseDiskstats } from '../../../electron/core/collectors/linux/diskstats.ts';
import { parseLoadavg } from '../../../electron/core/collectors/linux/loadavg.ts';
import { parseMeminfo } from '../../../electron/core/collectors/linux/meminfo.ts';
import { parseMountinfo } from '../../../electron/core/collectors/linux/mountinfo.ts';
import { parseNetDev } from '../../../electron/core/collectors/linux/netdev.ts';
import { parsePasswd } from '../../../electron/core/collectors/linux/passwd.ts';
import { parsePidStat, parsePidStatus } from '../../../electron/core/collectors/linux/pid.ts';
import { countProcesses } from '../../../electron/core/collectors/linux/proc-listing.ts';
import { parseProcStat, type CpuTimes } from '../../../electron/core/collectors/linux/stat.ts';
import { parseThermal } from '../../../electron/core/collectors/linux/thermal.ts';
import { parseUptime } from '../../../electron/core/collectors/linux/uptime.ts';
import { cpuUtilization } from '../../../electron/core/collectors/rates.ts';
import { LinuxSnapshotter } from '../../../electron/core/collectors/snapshotter.ts';
import { fixture } from './fixtures.ts';

const FIXTURES = [
  'stat-2core-vm.txt', 'stat-64core-server.txt', 'stat-old-kernel-offline-cpu.txt', 'meminfo-vm.txt',
  'meminfo-rhel6-no-memavailable.txt', 'meminfo-laptop-swap.txt', 'netdev-router.txt', 'netdev-2.4-kernel.txt',
  'diskstats-desktop.txt', 'diskstats-2.6-kernel.txt', 'df-gnu.txt', 'df-busybox.txt', 'df-512-blocks.txt',
  'mountinfo-desktop.txt', 'mountinfo-container.txt', 'thermal-intel-laptop.txt', 'thermal-amd-desktop.txt',
].map(fixture);

const TOKENS = [
  ' ', '  ', '\t', '\n', '\n', ':', '%', '-', '/', '(', ')', '.', '\\040', '\0', '0', '1', '42', '4096',
  '18446744073709551615', '9'.repeat(400), '-1', '-5000', '1.5', '1e308', 'NaN', 'Infinity', '0x1f', 'kB',
  'cpu', 'cpu0', 'cpu12', 'MemTotal:', 'MemFree:', 'MemAvailable:', 'SwapTotal:', 'SwapFree:', 'eth0:', 'lo:',
  'sda', 'nvme0n1', 'Filesystem', '1024-blocks', '512-blocks', 'K-blocks', 'ext4', 'tmpfs', 'overlay',
  '/dev/sda1', 'Mounted on', '/sys/class/hwmon/hwmon0/temp1_input:', '/sys/class/hwmon/hwmon0/name:',
  '/sys/class/thermal/thermal_zone0/temp:', '/sys/class/thermal/thermal_zone0/type:', 'Uid:', 'VmRSS:',
];

/** Random text: arbitrary code units, token soups, and real outputs cut or spliced at random places. */
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 120 }).map((t) => t.join('')),
  fc.tuple(fc.constantFrom(...FIXTURES), fc.nat(), fc.nat()).map(([f, a, b]) => f.slice(a % (f.length + 1), b % (f.length + 1) || undefined)),
  fc.tuple(fc.constantFrom(...FIXTURES), fc.nat(), fc.array(fc.constantFrom(...TOKENS), { maxLength: 8 }))
    .map(([f, at, t]) => { const i = at % (f.length + 1); return f.slice(0, i) + t.join('') + f.slice(i); }),
);

/** Throws when any number reachable from `value` is NaN or infinite. */
function assertFinite(value: unknown, path = 'value'): void {
  if (typeof value === 'number') assert.ok(Number.isFinite(value), `${path} is ${value}`);
  else if (value instanceof Map) for (const [k, v] of value) { assertFinite(k, `${path} key`); assertFinite(v, `${path}[${String(k)}]`); }
  else if (Array.isArray(value)) value.forEach((v, i) => assertFinite(v, `${path}[${i}]`));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) assertFinite(v, `${path}.${k}`);
}

const PARSERS: Record<string, (t: string) => unknown> = {
  parseProcStat, parseMeminfo, parseLoadavg, parseUptime, parseNetDev, parseDiskstats, parseDf, parseMountinfo,
  parseThermal, parsePidStat, parsePidStatus, parsePasswd, countProcesses,
};

for (const [name, parse] of Object.entries(PARSERS)) {
  test(`${name} never throws and never yields NaN or Infinity, whatever the text`, () => {
    fc.assert(fc.property(text, (t) => assertFinite(parse(t))), { numRuns: 1500 });
  });
}

const tick = fc.nat({ max: 2 ** 40 });
const cpuTimes: fc.Arbitrary<CpuTimes> = fc.record({
  user: tick, nice: tick, system: tick, idle: tick, iowait: tick, irq: tick, softirq: tick, steal: tick,
  guest: tick, guestNice: tick,
});

test('cpuUtilization of any two readings is absent or a ratio within 0–1', () => {
  fc.assert(fc.property(cpuTimes, cpuTimes, (a, b) => {
    const u = cpuUtilization(a, b);
    assert.ok(u === undefined || (u >= 0 && u <= 1), String(u));
  }), { numRuns: 2000 });
});

test('the snapshotter turns any sections into finite samples, ratios within 0–1, rates ≥ 0', () => {
  const sections = fc.record({
    stat: text, meminfo: text, loadavg: text, uptime: text, netdev: text, diskstats: text, proc: text,
    thermal: text, df: text, mountinfo: text,
  }, { requiredKeys: [] });
  fc.assert(fc.property(fc.array(fc.tuple(sections, fc.integer({ min: 0, max: 5000 })), { minLength: 1, maxLength: 4 }),
    (rounds) => {
      const snapshotter = new LinuxSnapshotter();
      let now = 1_000_000;
      for (const [s, step] of rounds) {
        now += step;
        const { samples } = snapshotter.snapshot(s, now);
        for (const sample of samples) {
          assert.ok(Number.isFinite(sample.value), `${sample.metric} = ${sample.value}`);
          if (sample.metric.endsWith('.utilization')) assert.ok(sample.value >= 0 && sample.value <= 1, sample.metric);
          if (sample.metric.startsWith('system.network') || sample.metric.startsWith('system.disk')) {
            assert.ok(sample.value >= 0, sample.metric);
          }
        }
      }
    }), { numRuns: 500 });
});
