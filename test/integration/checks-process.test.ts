/**
 * The process check against this machine's real process table, run here and over SSH (a real sshd on
 * 127.0.0.1, test/support/sshd.ts): counts by name and by command line, limits, CPU and memory of the
 * matching processes, a process whose name is built to confuse a parser, and the checking script never
 * counting itself, whatever the pattern.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ProcessCheck } from '../../shared/checks/index.ts';
import { localContext } from '../../electron/core/checks/local.ts';
import type { CheckContext } from '../../electron/core/checks/runner.ts';
import { processRunner } from '../../electron/core/checks/runners/process.ts';
import type { SshCollector } from '../../electron/core/collectors/ssh/collector.ts';
import { onlineCollector, sshContext } from '../support/ssh-context.ts';
import { sshdSkipReason, startSshd, type Sshd } from '../support/sshd.ts';

const skip = sshdSkipReason();
if (skip !== null && process.env.CI) throw new Error(`the process check tests need sshd under CI: ${skip}`);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const spec = (s: Record<string, unknown>) => ProcessCheck.parse({ type: 'process', name: 'test', ...s });
/** A marker in every command line this test starts, so only its processes match. */
const MARK = `hwmark${process.pid}`;

let dir: string;
const children: ChildProcess[] = [];

/** Starts `program` (a symlink whose name becomes the process's name) with `args`. */
function start(program: string, args: string[]): ChildProcess {
  const child = spawn(join(dir, program), args, { stdio: 'ignore' });
  children.push(child);
  return child;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hwtest-proc-'));
  chmodSync(dir, 0o755);
  // Shells named by their symlink, each waiting on a sleep and carrying the marker in its command line.
  symlinkSync('/bin/sh', join(dir, 'hwtest-sleeper'));
  // A name made to look like the end of a /proc/PID/stat name: `x) R 1 2 3 (y`, 13 characters.
  symlinkSync('/bin/sh', join(dir, 'x) R 1 2 3 (y'));
  symlinkSync('/bin/sh', join(dir, 'hwtest-busy'));
  for (let i = 0; i < 3; i++) start('hwtest-sleeper', ['-c', `sleep 3600; : ${MARK} worker-${i}`]);
  start('x) R 1 2 3 (y', ['-c', `sleep 3600; : ${MARK} odd`]);
  start('hwtest-busy', ['-c', `while :; do :; done # ${MARK}`]);
  await pause(300);
});

after(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** The same checks, wherever the script runs. */
function behaves(where: string, context: () => CheckContext) {
  test(`${where}: three sleepers by name, with their memory; limits make it down`, async () => {
    const found = await processRunner(spec({ pattern: 'hwtest-sleeper', minCount: 3 }), context());
    assert.equal(found.status, 'up', found.reason);
    const metric = (name: string) => found.metrics.find((m) => m.metric === name)!.value;
    assert.equal(metric('hostwatch.check.process.count'), 3);
    assert.ok(metric('hostwatch.check.process.memory.usage') > 3 * 100 * 1024, 'each sleeper holds some memory');
    assert.ok(found.details.facts!.some((f) => f.name.startsWith('PID ') && f.value.includes(`: ${MARK} worker-`)));

    const tooMany = await processRunner(spec({ pattern: 'hwtest-sleeper', maxCount: 2 }), context());
    assert.deepEqual([tooMany.status, tooMany.reason], ['down', '3 processes named hwtest-sleeper, at most 2 wanted']);
    const tooFew = await processRunner(spec({ pattern: 'hwtest-sleeper', minCount: 4 }), context());
    assert.deepEqual([tooFew.status, tooFew.reason], ['down', '3 processes named hwtest-sleeper, at least 4 wanted']);
    const none = await processRunner(spec({ pattern: 'hwtest-nothing' }), context());
    assert.deepEqual([none.status, none.reason], ['down', 'no process named hwtest-nothing']);
  });

  test(`${where}: a command-line pattern; a name built to confuse the parser is read right`, async () => {
    const all = await processRunner(spec({ match: 'commandLine', pattern: `${MARK}( |$)`, minCount: 5, maxCount: 5 }), context());
    assert.equal(all.status, 'up', all.reason);
    const odd = await processRunner(spec({ pattern: 'x) R 1 2 3 (y' }), context());
    assert.equal(odd.status, 'up', odd.reason);
    assert.ok(odd.details.facts!.some((f) => f.value.includes(`${MARK} odd`)), JSON.stringify(odd.details.facts));
  });

  test(`${where}: the checking script never counts itself, whatever the pattern`, async () => {
    for (const pattern of ['proc/\\[0-9\\]', 'ps -e -o pid=', 'getconf', 'timeout -s KILL', 'hostwatch-stat']) {
      const self = await processRunner(spec({ match: 'commandLine', pattern, minCount: 0, maxCount: 1 }), context());
      assert.equal(self.metrics.find((m) => m.metric === 'hostwatch.check.process.count')!.value, 0, `/${pattern}/ matched the script`);
    }
  });

  test(`${where}: a busy process shows its CPU, measured between runs`, async () => {
    const ctx = context();
    const check = spec({ match: 'commandLine', pattern: `while :; do :; done # ${MARK}` });
    await processRunner(check, ctx);
    await pause(1500);
    const busy = await processRunner(check, ctx);
    const cpu = busy.metrics.find((m) => m.metric === 'hostwatch.check.process.cpu.utilization')!.value;
    assert.ok(cpu > 0.4 && cpu < 1.2, `a spinning shell uses about one core, not ${cpu}`);
  });
}

describe('process checks on this machine', () => {
  behaves('here', () => localContext(10_000));
});

describe('process checks over SSH', { skip: skip ?? false }, () => {
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
  behaves('over SSH', () => sshContext(collector, 10_000));
});
