/**
 * The answer reader (frame.ts) and the parsers of answers (sections.ts, processes.ts) against hostile
 * input: random, truncated and split chunks, floods, forged delimiters and process names with newlines.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { AnswerReader, FrameError, type Answer } from '../../../electron/core/collectors/ssh/frame.ts';
import { isValidNonce, restrictedKeyLine, LOOP } from '../../../electron/core/collectors/ssh/loop.ts';
import { parseProcessesAnswer } from '../../../electron/core/collectors/ssh/processes.ts';
import { snapshotSections, splitHeadOutput } from '../../../electron/core/collectors/ssh/sections.ts';
import { LinuxSnapshotter } from '../../../electron/core/collectors/snapshotter.ts';

const NONCE = 'abcdefABCDEF0123456789';
const d = (name: string) => `@@hostwatch ${NONCE} ${name}\n`;
const answerText = (parts: [string, string][]) =>
  d('begin') + parts.map(([name, text]) => d(name) + text).join('') + d('end');

/** Feeds `chunks` and returns the answer or the error; never lets another exception through. */
function read(chunks: readonly (string | Buffer)[], limits = {}): Answer | FrameError | null {
  const reader = new AnswerReader(NONCE, limits);
  reader.expect(0);
  for (const chunk of chunks) {
    try {
      const answer = reader.feed(chunk);
      if (answer) return answer;
    } catch (error) {
      if (error instanceof FrameError) return error;
      throw error;
    }
  }
  return null;
}

/** Cuts `text` at the given fractions into chunks. */
function split(text: string, cuts: number[]): Buffer[] {
  const bytes = Buffer.from(text);
  const at = [...new Set(cuts.map((c) => Math.floor(c * bytes.length)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let start = 0;
  for (const a of [...at, bytes.length]) {
    out.push(bytes.subarray(start, a));
    start = a;
  }
  return out;
}

describe('AnswerReader', () => {
  test('finds the answer after banner text, whatever the chunking, with parts byte-exact', () => {
    const parts: [string, string][] = [['files', '==> /proc/stat <==\ncpu 1 2 3\n'], ['empty', ''], ['df', 'Filesystem 1024-blocks\n/mnt/My Disk ünïcode\n']];
    const text = `Welcome to host!\n@@hostwatch ${NONCE} begin but not quite\n@@hostwatch other begin\n` + answerText(parts);
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 }), (cuts) => {
      const answer = read(split(text, cuts));
      assert.ok(answer instanceof Map);
      assert.deepEqual([...answer], parts);
    }));
  });

  test('random and hostile chunks end in an answer, an error or nothing: never another exception', () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.constantFrom(d('begin'), d('end'), d('files'), d('BAD name'), `@@hostwatch ${NONCE} `, '\n', '==> /proc/stat <==\n'),
      fc.uint8Array({ maxLength: 100 }).map((a) => Buffer.from(a)),
    );
    fc.assert(fc.property(fc.array(piece, { maxLength: 40 }), (chunks) => {
      const result = read(chunks, { maxAnswerBytes: 4096 });
      assert.ok(result === null || result instanceof Map || result instanceof FrameError);
      if (result instanceof Map) {
        for (const [name, text] of result) assert.ok(/^[a-z]+$/.test(name) && typeof text === 'string');
        // Whatever the parts hold, the snapshotter makes finite samples of them.
        const parts = new LinuxSnapshotter().snapshot(snapshotSections(result), 1000);
        for (const s of parts.samples) assert.ok(Number.isFinite(s.value));
      }
    }));
  });

  test('a truncated answer is never complete', () => {
    const text = answerText([['files', 'x\n'], ['df', 'y\n']]);
    fc.assert(fc.property(fc.integer({ min: 0, max: text.length - 1 }), (n) => {
      assert.equal(read([text.slice(0, n)]), null);
    }));
  });

  test('a flood is cut off at the byte cap, before or inside the answer', () => {
    const flood = 'y'.repeat(64 * 1024);
    const before = read(Array.from({ length: 20 }, () => flood));
    assert.ok(before instanceof FrameError && before.code === 'too_large');
    const inside = read([d('begin') + d('files'), ...Array.from({ length: 20 }, () => flood)]);
    assert.ok(inside instanceof FrameError && inside.code === 'too_large');
  });

  test('output nobody asked for is tolerated up to the cap, then refused', () => {
    const reader = new AnswerReader(NONCE, { maxAnswerBytes: 100 });
    assert.equal(reader.feed('x'.repeat(100)), null);
    assert.throws(() => reader.feed('x'), (e: unknown) => e instanceof FrameError && e.code === 'idle_output');
  });

  test('an answer overdue at its deadline is a timeout; one in time is not', () => {
    const reader = new AnswerReader(NONCE, { answerTimeoutMs: 1000 });
    reader.expect(5000);
    reader.feed(d('begin'));
    reader.checkDeadline(5999);
    assert.throws(() => reader.checkDeadline(6000), (e: unknown) => e instanceof FrameError && e.code === 'timeout');
    assert.equal(reader.pending, false);
  });

  test('repeated parts and text before the first part are malformed', () => {
    const twice = read([d('begin') + d('df') + 'a\n' + d('df') + 'b\n' + d('end')]);
    assert.ok(twice instanceof FrameError && twice.code === 'malformed');
    const stray = read([d('begin') + 'stray\n' + d('df') + d('end')]);
    assert.ok(stray instanceof FrameError && stray.code === 'malformed');
  });

  test('answers follow one another on the same reader', () => {
    const reader = new AnswerReader(NONCE);
    for (let i = 0; i < 3; i++) {
      reader.expect(i);
      assert.deepEqual([...reader.feed(answerText([['n', `${i}\n`]]))!], [['n', `${i}\n`]]);
    }
  });
});

describe('the loop text', () => {
  test('is one line without the characters a forced command cannot carry', () => {
    assert.doesNotMatch(LOOP, /['\\!\n\r]/);
  });

  test('nonces are 16–64 ASCII letters and digits', () => {
    assert.ok(isValidNonce('a'.repeat(16)) && isValidNonce('Z9'.repeat(32)));
    for (const bad of ['a'.repeat(15), 'a'.repeat(65), '$(id)aaaaaaaaaaaaaa', 'a;baaaaaaaaaaaaaaaa', 'ééééééééééééééééé']) assert.ok(!isValidNonce(bad));
  });

  test('restrictedKeyLine refuses what is not one public key line', () => {
    assert.throws(() => restrictedKeyLine('ssh-ed25519 AAAA\nssh-rsa AAAA'));
    assert.throws(() => restrictedKeyLine('command="id" ssh-ed25519 AAAA'));
    assert.match(restrictedKeyLine('ssh-ed25519 AAAAC3Nza me@host'), /^restrict,command="exec sh -c '[^'"]*(\\"[^'"]*)*'" ssh-ed25519 AAAAC3Nza me@host$/);
  });
});

describe('answer parsers', () => {
  test('head output splits into files; GNU and BusyBox separators are removed; unknown headers are text', () => {
    const text = '==> /a <==\n1\n2\n\n==> /b <==\n\n==> /x <==\n\n==> /c <==\nlast\n';
    const files = splitHeadOutput(text, (p) => ['/a', '/b', '/c'].includes(p));
    assert.deepEqual([...files], [['/a', '1\n2\n'], ['/b', '\n==> /x <==\n'], ['/c', 'last\n']]);
    const again = splitHeadOutput('==> /a <==\n==> /a <==\n', (p) => p === '/a');
    assert.deepEqual([...again], [['/a', '==> /a <==\n']]);
  });

  test('sensor files become the path:value lines the thermal parser reads; a host without sensors has none', () => {
    const files = '==> /proc/stat <==\ncpu 1 1 1 1\n\n==> /sys/class/hwmon/hwmon0/name <==\ncoretemp\n\n'
      + '==> /sys/class/hwmon/hwmon0/temp1_input <==\n45000\n\n==> /sys/class/hwmon/hwmon0/temp1_label <==\nPackage id 0\n';
    const sections = snapshotSections(new Map([['files', files]]));
    assert.equal(sections.thermal, '/sys/class/hwmon/hwmon0/name:coretemp\n/sys/class/hwmon/hwmon0/temp1_input:45000\n'
      + '/sys/class/hwmon/hwmon0/temp1_label:Package id 0\n');
    assert.deepEqual(sections.meminfo, { error: 'not readable on the host' });
    assert.equal(snapshotSections(new Map([['files', '==> /proc/stat <==\ncpu 1\n']])).thermal, '');
  });

  test('a process name with a newline cannot add or alter another process', () => {
    const stat = (pid: number, comm: string, utime: number) =>
      `${pid} (${comm}) S 1 1 1 0 -1 0 0 0 0 0 ${utime} 0 0 0 20 0 1 0 100 1000 50 0`.split('\n').map((l) => `/proc/${pid}/stat:${l}`).join('\n');
    const text = [stat(1, 'init', 5), stat(666, 'x\n1 (init) S 1 1 1 0 -1 0 0 0 0 0 99999 0 0 0 20 0 1 0 100 1000 50 0\n777 (fake', 7)].join('\n') + '\n';
    const status = '/proc/1/status:Uid:\t0\t0\t0\t0\n/proc/1/status:VmRSS:\t  4 kB\n/proc/666/status:Uid:\t1000\t1000\t1000\t1000\n';
    const processes = parseProcessesAnswer(new Map([['stat', text], ['status', status]]));
    assert.deepEqual(processes.map((p) => [p.pid, p.stat.comm, p.stat.cpuTicks, p.uid, p.rssBytes]), [
      [1, 'init', 5, 0, 4096],
      [666, 'x\n1 (init) S 1 1 1 0 -1 0 0 0 0 0 99999 0 0 0 20 0 1 0 100 1000 50 0\n777 (fake', 7, 1000, 0],
    ]);
  });
});
