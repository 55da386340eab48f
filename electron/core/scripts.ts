/**
 * Short `sh` scripts run on a host for the checks that look at what runs there (systemd units,
 * processes, logs, commands): on this machine as a child process, or on a remote host over SSH. Either
 * way the script goes to `sh` on its stdin, so no login shell (fish, tcsh) ever parses it, and what comes
 * back is bounded in bytes and time like every other answer from a host.
 */
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

/** Bytes of stdout (and of stderr) kept at most; the rest is dropped and `truncated` set. */
export const SCRIPT_OUTPUT_CAP_BYTES = 1024 * 1024;

/**
 * What a script did: its exit code (null when a signal ended it, then `signal` names it), its stdout and
 * stderr as UTF-8 (each cut at SCRIPT_OUTPUT_CAP_BYTES), and whether either was cut.
 */
export interface ScriptResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  truncated: boolean;
}

/**
 * Runs a script somewhere for at most `limitMs`: resolves with what it did, rejects when it could not be
 * started or `signal` aborted it (which also ends it).
 */
export type ScriptRunner = (script: string, signal: AbortSignal, limitMs: number) => Promise<ScriptResult>;

/** The streams and end of a running script, wherever it runs. */
export interface ScriptProcess {
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  /** Ends it (the process group here, the channel over SSH). */
  kill(): void;
  /** Resolves with the exit code and signal once it ended. */
  exited: Promise<{ exitCode: number | null; signal: string | null }>;
}

/**
 * Feeds `script` to a started `sh`, reads its output up to the cap and waits for its end. Past the cap
 * the script is killed (a host that floods is not read further). Rejects with `signal`'s reason when it
 * aborts first, after killing the script.
 */
export function superviseScript(process: ScriptProcess, script: string, signal: AbortSignal): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const sizes = { out: 0, err: 0 };
    let truncated = false;
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      action();
    };
    const keep = (chunks: Buffer[], which: 'out' | 'err') => (chunk: Buffer) => {
      const room = SCRIPT_OUTPUT_CAP_BYTES - sizes[which];
      if (chunk.length > room) {
        if (room > 0) chunks.push(chunk.subarray(0, room));
        sizes[which] = SCRIPT_OUTPUT_CAP_BYTES;
        if (!truncated) {
          truncated = true;
          process.kill();
        }
        return;
      }
      chunks.push(chunk);
      sizes[which] += chunk.length;
    };
    const onAbort = () => {
      process.kill();
      settle(() => reject(signal.reason));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    process.stdout.on('data', keep(out, 'out'));
    process.stderr.on('data', keep(err, 'err'));
    // A script that exits before reading all of stdin makes writing fail with EPIPE: its exit tells more.
    process.stdin.on('error', () => {});
    process.stdin.end(`${script}\n`);
    process.exited.then(({ exitCode, signal: ended }) => settle(() => resolve({
      exitCode, signal: ended,
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(err).toString('utf8'),
      truncated,
    })), (error: unknown) => settle(() => reject(error)));
  });
}

/**
 * Runs `script` with this machine's `sh` in a process group of its own, killed whole on abort (the
 * caller's signal carries the limit here).
 */
export const runScriptHere: ScriptRunner = (script, signal) => {
  const child = spawn('sh', [], { stdio: 'pipe', detached: true, env: { ...process.env, LC_ALL: 'C' } });
  const exited = new Promise<{ exitCode: number | null; signal: string | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode, ended) => resolve({ exitCode, signal: ended }));
  });
  const kill = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  return superviseScript({ stdin: child.stdin, stdout: child.stdout, stderr: child.stderr, kill, exited }, script, signal);
};
