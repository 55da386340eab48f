/**
 * Starts the real `hostwatch serve` (the built bin, as a user runs it) on a free port with its own data
 * directory, and stops it. Tests that drive the engine from outside use this.
 */
import { spawn, execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin', 'hostwatch.js');

export interface Served {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<number | null>;
}

/** A fresh temporary data directory. */
export function tempDataDir(prefix = 'hostwatch-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs `hostwatch serve --port 0`, resolving once it prints its URL (rejects after 20 s or on exit). */
export function serve(args: string[] = [], dataDir = tempDataDir()): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOSTWATCH_TOKEN: '' },
  });
  let output = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open (http:\/\/\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      const url = new URL(match[1]!);
      resolvePromise({
        url: url.href,
        origin: url.origin,
        token: url.searchParams.get('token')!,
        dataDir,
        process: child,
        output: () => output,
        stop: () => new Promise((done) => {
          if (child.exitCode !== null) return done(child.exitCode);
          child.once('exit', (code) => done(code));
          child.kill('SIGTERM');
        }),
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
}

/** Runs the `hostwatch` command line and returns its stdout; throws with stderr on a non-zero exit. */
export function hostwatch(args: string[]): string {
  return execFileSync(process.execPath, [BIN, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
