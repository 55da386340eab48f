/**
 * The log pattern check on real files, read here and over SSH (a real sshd on 127.0.0.1): the first run
 * watches from now, appended lines are counted against the pattern over the window, a line still being
 * written waits for its end, rotation and truncation start over, a burst larger than a run reads is cut
 * to its end, a missing file is down in words, and a path full of shell syntax stays a path.
 */
import assert from 'node:assert/strict';
import { appendFileSync, chmodSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LogCheck } from '../../shared/checks/index.ts';
import { localContext } from '../../electron/core/checks/local.ts';
import type { CheckContext } from '../../electron/core/checks/runner.ts';
import { LOG_READ_CAP_BYTES, logRunner } from '../../electron/core/checks/runners/log.ts';
import type { SshCollector } from '../../electron/core/collectors/ssh/collector.ts';
import { onlineCollector, sshContext } from '../support/ssh-context.ts';
import { sshdSkipReason, startSshd, type Sshd } from '../support/sshd.ts';

const skip = sshdSkipReason();
if (skip !== null && process.env.CI) throw new Error(`the log check tests need sshd under CI: ${skip}`);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hwtest-log-'));
  chmodSync(dir, 0o755);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const matches = (o: { metrics: { metric: string; value: number }[] }) => o.metrics.find((m) => m.metric === 'hostwatch.check.log.matches')!.value;

function behaves(where: string, makeContext: (memory: Record<string, unknown>) => CheckContext) {
  test(`${where}: from now on, matching lines counted over the window; a half-written line waits`, async () => {
    const file = join(dir, `app-${where.replace(/\W/g, '')}.log`);
    writeFileSync(file, 'ERROR old, before the check\n');
    chmodSync(file, 0o644);
    const spec = LogCheck.parse({ type: 'log', name: 'app', path: file, pattern: '^ERROR', windowSeconds: 60, warningCount: 1, criticalCount: 3 });
    const memory = {};
    const first = await logRunner(spec, makeContext(memory));
    assert.deepEqual([first.status, matches(first)], ['up', 0], 'what was there before is not counted');

    appendFileSync(file, 'INFO fine\nERROR one\nERROR two\nERROR thr');
    const second = await logRunner(spec, makeContext(memory));
    assert.deepEqual([second.status, second.reason, matches(second)], ['degraded', '2 lines matched /^ERROR/ in the last 1 min, more than 1', 2]);
    assert.equal(second.excerpt, 'ERROR one\nERROR two');

    appendFileSync(file, 'ee\nERROR four\n');
    const third = await logRunner(spec, makeContext(memory));
    assert.deepEqual([third.status, third.reason], ['down', '4 lines matched /^ERROR/ in the last 1 min, more than 3']);
    assert.equal(third.excerpt, 'ERROR three\nERROR four', 'this run found the rest of “three”, and “four”');
  });

  test(`${where}: rotation and truncation start over; a burst is read from its end; a missing file is down`, async () => {
    const file = join(dir, `rot-${where.replace(/\W/g, '')}.log`);
    writeFileSync(file, 'x\n');
    chmodSync(file, 0o644);
    const spec = LogCheck.parse({ type: 'log', name: 'rot', path: file, pattern: 'panic', windowSeconds: 1, criticalCount: 0 });
    const memory = {};
    await logRunner(spec, makeContext(memory));

    renameSync(file, `${file}.1`);
    writeFileSync(file, 'panic: after rotation\n');
    chmodSync(file, 0o644);
    const rotated = await logRunner(spec, makeContext(memory));
    assert.deepEqual([rotated.status, matches(rotated)], ['down', 1]);
    assert.ok(rotated.details.facts!.some((f) => f.value.includes('rotated')));

    await pause(1100);
    truncateSync(file, 0);
    appendFileSync(file, 'panic again\n');
    const truncated = await logRunner(spec, makeContext(memory));
    assert.equal(matches(truncated), 1, 'read from the start of the truncated file, the window past');

    await pause(1100);
    appendFileSync(file, `${'noise\n'.repeat(LOG_READ_CAP_BYTES / 6 + 1000)}panic at the end\n`);
    const burst = await logRunner(spec, makeContext(memory));
    assert.equal(matches(burst), 1);
    assert.ok(burst.details.facts!.some((f) => /bytes skipped/.test(f.value)));

    const missing = await logRunner(LogCheck.parse({ type: 'log', name: 'm', path: join(dir, 'nope.log') }), makeContext({}));
    assert.equal(missing.status, 'down');
    assert.match(missing.reason, /^cannot read .*nope\.log: .*No such file/);
  });

  test(`${where}: a path with shell syntax is only a path`, async () => {
    const file = join(dir, `it's $(touch owned) ;.log`);
    writeFileSync(file, 'a\n');
    chmodSync(file, 0o644);
    const memory = {};
    const spec = LogCheck.parse({ type: 'log', name: 'q', path: file, criticalCount: 0 });
    await logRunner(spec, makeContext(memory));
    appendFileSync(file, 'b\n');
    assert.equal(matches(await logRunner(spec, makeContext(memory))), 1);
    assert.throws(() => rmSync(join(dir, 'owned')), /ENOENT/, 'nothing was run from the path');
  });
}

describe('log checks on this machine', () => behaves('here', (memory) => localContext(10_000, undefined, memory)));

describe('log checks over SSH', { skip: skip ?? false }, () => {
  let sshd: Sshd;
  let collector: SshCollector;
  before(async () => {
    sshd = await startSshd();
    collector = await onlineCollector({ sshd });
  });
  after(async () => {
    await collector?.close();
    await sshd?.close();
  });
  behaves('over SSH', (memory) => sshContext(collector, 10_000, memory));
});
