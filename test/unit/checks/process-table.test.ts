/**
 * The process table parser (proc(5) stat lines and ps args): names with spaces, parentheses and line
 * breaks, kworker names longer than 16 bytes, processes gone between the listing and the reading, ps
 * failing, and any text at all (property tests: it returns or throws an Error, and never invents a
 * process).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseProcessTable } from '../../../electron/core/checks/runners/process-table.ts';

/** A stat line with the fields the parser reads: ppid, utime, stime (ticks), starttime (ticks), rss (pages). */
function stat(pid: number, name: string, o: { ppid?: number; utime?: number; stime?: number; start?: number; rss?: number } = {}): string {
  const f = ['S', o.ppid ?? 1, pid, pid, 0, -1, 4194560, 0, 0, 0, 0, o.utime ?? 0, o.stime ?? 0, 0, 0, 20, 0, 1, 0, o.start ?? 0, 1000, o.rss ?? 0];
  return `${pid} (${name}) ${f.join(' ')} 18446744073709551615 1 1 0 0 0`;
}

function output(stats: string[], ps: string[], self = 999): string {
  return [`self ${self}`, '100 4096', '5000.50 9000.00', '--hostwatch-stat', ...stats, '--hostwatch-ps', ...ps, ''].join('\n');
}

test('stat lines become processes with seconds and bytes; ps adds the command lines', () => {
  const table = parseProcessTable(output([
    stat(1, 'systemd', { ppid: 0, utime: 150, stime: 50, start: 1, rss: 3000 }),
    stat(812, 'nginx', { utime: 1234, stime: 66, start: 200_000, rss: 2560 }),
  ], ['    1 /sbin/init', '  812 nginx: master process /usr/sbin/nginx -g daemon on;']));
  assert.equal(table.self, 999);
  assert.equal(table.uptimeSeconds, 5000.5);
  assert.equal(table.commandLineError, null);
  assert.deepEqual(table.processes, [
    { pid: 1, ppid: 0, name: 'systemd', commandLine: '/sbin/init', cpuSeconds: 2, startedSeconds: 0.01, rssBytes: 3000 * 4096 },
    { pid: 812, ppid: 1, name: 'nginx', commandLine: 'nginx: master process /usr/sbin/nginx -g daemon on;', cpuSeconds: 13, startedSeconds: 2000, rssBytes: 2560 * 4096 },
  ]);
});

test('names that look like the rest of the line, hold a line break, or are long kworker names', () => {
  const names = ['x) R 1 2 3 (y', 'a b', ')', 'two\nlines', 'kworker/0:0H-events_highpri', '((('];
  const table = parseProcessTable(output(names.map((n, i) => stat(10 + i, n, { rss: i })), []));
  assert.deepEqual(table.processes.map((p) => [p.pid, p.name, p.rssBytes / 4096]), names.map((n, i) => [10 + i, n, i]));
});

test('a broken line is skipped, the rest kept; ps failing is said, not fatal', () => {
  // (A name may hold a line break, so a cut line right before another is read as that one's name: the kernel
  // never cuts a stat line, and a name that pretends to be another process still counts once.)
  const table = parseProcessTable(output([stat(78, 'ok'), '79 (short) S 1 2', '77 (gone'], ['ps: unknown option -- o']));
  assert.deepEqual(table.processes.map((p) => p.pid), [78]);
  assert.match(table.commandLineError ?? '', /^ps could not list command lines: ps: unknown option/);
});

test('output that is not the script\'s is an error saying so', () => {
  assert.throws(() => parseProcessTable(''), /did not list its processes/);
  assert.throws(() => parseProcessTable('fish: Unknown command\n--hostwatch-stat\n--hostwatch-ps\n'), /something else than its process table/);
});

test('any text: an Error or processes that each have a line of their own in the text (property)', () => {
  fc.assert(fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom(stat(5, 'a'), '--hostwatch-stat', '--hostwatch-ps', 'self 1', '100 4096', '1.0 2.0'))), (lines) => {
    const text = lines.join('\n');
    let table;
    try {
      table = parseProcessTable(text);
    } catch (error) {
      assert.ok(error instanceof Error);
      return;
    }
    for (const p of table.processes) assert.ok(text.includes(`${p.pid} (`), `pid ${p.pid} is in the text`);
  }), { numRuns: 500 });
});
