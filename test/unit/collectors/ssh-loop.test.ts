/**
 * The remote loop run for real by this machine's sh (dash here), dash and bash, fed on stdin as an SSH
 * session would feed it: its answers parse into the same numbers the local collector reads, it ignores
 * requests with a bad nonce and script lines, and it works as a forced command.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { after, describe, test } from 'node:test';
import type { Sample } from '../../../shared/api.ts';
import { seriesKey } from '../../../shared/metrics.ts';
import { AnswerReader, type Answer } from '../../../electron/core/collectors/ssh/frame.ts';
import { parseInventoryAnswer } from '../../../electron/core/collectors/ssh/inventory.ts';
import { FORCED_COMMAND, LOOP, READY_LINE, requestLine, type LoopVerb } from '../../../electron/core/collectors/ssh/loop.ts';
import { parseProcessesAnswer, RemoteProcessSampler } from '../../../electron/core/collectors/ssh/processes.ts';
import { snapshotSections } from '../../../electron/core/collectors/ssh/sections.ts';
import { LocalCollector } from '../../../electron/core/collectors/local.ts';
import { LinuxSnapshotter } from '../../../electron/core/collectors/snapshotter.ts';
import { parsePasswd } from '../../../electron/core/collectors/linux/passwd.ts';

const NONCE = 'Nonce0123456789abcdefXYZ';

function missing(shell: string): string | null {
  if (process.platform !== 'linux') return 'Linux only';
  const found = spawnSync(shell, ['-c', 'exit 0']).status === 0;
  if (found) return null;
  if (process.env.CI) throw new Error(`${shell} is required under CI`);
  return `${shell} is not installed`;
}

/** A shell running the loop on this machine, talked to like a session. */
class LocalLoop {
  readonly child: ChildProcessWithoutNullStreams;
  readonly output: Buffer[] = [];
  readonly #reader: AnswerReader;
  #listener: ((chunk: Buffer) => void) | null = null;

  constructor(argv: string[], nonce = NONCE) {
    this.child = spawn(argv[0]!, argv.slice(1), { stdio: 'pipe' });
    this.#reader = new AnswerReader(nonce, { answerTimeoutMs: 10_000 });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.output.push(chunk);
      this.#listener?.(chunk);
    });
  }

  /** Resolves when the ready line has been printed. */
  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no ready line')), 5000);
      const check = () => {
        if (Buffer.concat(this.output).toString().split('\n').includes(READY_LINE)) {
          clearTimeout(timer);
          this.#listener = null;
          resolve();
        }
      };
      this.#listener = check;
      check();
    });
  }

  write(text: string): void {
    this.child.stdin.write(text);
  }

  /** Writes `verb` and resolves with its answer. */
  request(verb: LoopVerb, nonce = NONCE): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${verb}`)), 10_000);
      this.#reader.expect(Date.now());
      this.#listener = (chunk) => {
        try {
          const answer = this.#reader.feed(chunk);
          if (answer) {
            clearTimeout(timer);
            this.#listener = null;
            resolve(answer);
          }
        } catch (error) {
          clearTimeout(timer);
          reject(error);
        }
      };
      this.write(requestLine(verb, nonce));
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end(); // the loop ends at end of input
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  }
}

function value(samples: readonly Sample[], metric: string, attributes: Record<string, string> = {}): number | undefined {
  const key = seriesKey(metric, attributes);
  return samples.find((s) => seriesKey(s.metric, s.attributes) === key)?.value;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const shell of ['sh', 'dash', 'bash']) {
  describe(`the loop run by ${shell} on stdin`, { skip: missing(shell) ?? false }, () => {
    const loops: LocalLoop[] = [];
    const start = async (argv = [shell]) => {
      const loop = new LocalLoop(argv);
      loops.push(loop);
      if (argv.length === 1) loop.write(`${LOOP}\n`);
      await loop.ready();
      return loop;
    };
    after(async () => {
      for (const loop of loops) await loop.stop();
    });

    test('snapshots parse into the values the local collector reads, with rates on the second', async () => {
      const loop = await start();
      const snapshotter = new LinuxSnapshotter();
      const local = new LocalCollector('local');
      const t0 = Date.now();
      snapshotter.snapshot(snapshotSections(await loop.request('snapshot')), t0);
      await local.collect(t0);
      await pause(1000);
      const t1 = Date.now();
      const remote = snapshotter.snapshot(snapshotSections(await loop.request('snapshot')), t1);
      const mine = await local.collect(t1);
      assert.deepEqual(remote.errors, []);
      for (const s of remote.samples) assert.ok(Number.isFinite(s.value), `${s.metric} ${s.value}`);
      assert.equal(value(remote.samples, 'system.memory.limit'), value(mine.samples, 'system.memory.limit'));
      assert.equal(value(remote.samples, 'system.cpu.logical.count'), value(mine.samples, 'system.cpu.logical.count'));
      const count = (ss: readonly Sample[], m: string) => ss.filter((s) => s.metric === m).length;
      assert.equal(count(remote.samples, 'system.cpu.utilization'), count(mine.samples, 'system.cpu.utilization'));
      assert.equal(count(remote.samples, 'system.network.io'), count(mine.samples, 'system.network.io'));
      assert.equal(count(remote.samples, 'system.disk.io'), count(mine.samples, 'system.disk.io'));
      assert.ok(Math.abs(value(remote.samples, 'system.uptime')! - value(mine.samples, 'system.uptime')!) < 2);
      assert.ok(Math.abs(value(remote.samples, 'system.process.count')! - value(mine.samples, 'system.process.count')!) <= 10);
      assert.ok(Math.abs(value(remote.samples, 'system.cpu.utilization')! - value(mine.samples, 'system.cpu.utilization')!) < 0.25);
      // df (KiB) and statfs (bytes) of the same filesystems: the same mount points, sizes equal to a KiB.
      const mounts = (ss: readonly Sample[]) => ss.filter((s) => s.metric === 'system.filesystem.limit')
        .map((s) => s.attributes['system.filesystem.mountpoint']).sort();
      assert.deepEqual(mounts(remote.samples), mounts(mine.samples));
      for (const m of mounts(mine.samples)) {
        const a = { 'system.filesystem.mountpoint': m! };
        assert.ok(Math.abs(value(remote.samples, 'system.filesystem.limit', a)! - value(mine.samples, 'system.filesystem.limit', a)!) < 1024, m);
      }
    });

    test('requests with a bad nonce, a script line or extra words are ignored; the first good nonce is kept', async () => {
      const loop = await start();
      loop.write('snapshot $(id)\nsnapshot a;b\nsnapshot short\nid\nsnapshot `id`\nsnapshot ../../../../etc\n');
      loop.write(`snapshot ${NONCE} extra\n${LOOP}\n`);
      const answer = await loop.request('passwd');
      assert.ok(answer.get('passwd')!.includes('root:'));
      // Only the one good request was answered, and no command ran.
      const text = Buffer.concat(loop.output).toString();
      assert.equal(text.split('\n').filter((l) => l.endsWith(' begin')).length, 1);
      assert.doesNotMatch(text, /(^|\s)uid=\d+\(/);
      // Another well-formed nonce is ignored from now on: the answer still comes under the first.
      loop.write(requestLine('passwd', 'Another0123456789nonce'));
      await loop.request('passwd');
      assert.equal(Buffer.concat(loop.output).toString().split('\n').filter((l) => l.endsWith(' begin')).length, 2);
    });

    test('as a forced command it ignores the script it is sent and answers', async () => {
      // What sshd runs for a key pinned with restrictedKeyLine: the user's shell -c the forced command.
      const loop = new LocalLoop([shell, '-c', FORCED_COMMAND]);
      loops.push(loop);
      loop.write(`${LOOP}\nid\n`);
      await loop.ready();
      const answer = await loop.request('snapshot');
      assert.deepEqual(new LinuxSnapshotter().snapshot(snapshotSections(answer), Date.now()).errors, []);
      assert.doesNotMatch(Buffer.concat(loop.output).toString(), /(^|\s)uid=\d+\(/);
    });

    test('processes, users and inventory answers parse', async () => {
      const loop = await start();
      const processes = parseProcessesAnswer(await loop.request('processes'));
      assert.ok(processes.some((p) => p.pid === loop.child.pid), 'the shell itself is listed');
      assert.ok(processes.some((p) => p.rssBytes > 0 && p.uid >= 0));
      const users = parsePasswd((await loop.request('passwd')).get('passwd')!);
      assert.equal(users.get(0), 'root');
      const sampler = new RemoteProcessSampler();
      sampler.top(await loop.request('processes'), Date.now(), users);
      await pause(300);
      const top = sampler.top(await loop.request('processes'), Date.now(), users);
      assert.ok(top.length > 0 && top.length <= 20);
      for (const p of top) assert.ok(Number.isFinite(p.cpu) && p.cpu >= 0 && p.memory >= 0);
      const inventory = parseInventoryAnswer('h', await loop.request('inventory'));
      const local = await new LocalCollector('h').inventory();
      assert.equal(inventory.hostname, local.hostname);
      assert.equal(inventory.kernel, local.kernel);
      assert.equal(inventory.memoryTotal, local.memoryTotal);
      assert.equal(inventory.logicalCpus, local.logicalCpus);
      assert.ok(inventory.os.length > 0 && inventory.arch.length > 0);
    });
  });
}
