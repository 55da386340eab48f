/**
 * The ping check's runner: runs the system's `ping` (iputils) with execFile, never through a shell, and
 * reads its summary lines.
 */
import { execFile } from 'node:child_process';
import type { PingCheck } from '../../../../shared/checks/index.ts';
import { abortedReason, excerptOf, formatSeconds, type CheckOutcome, type Runner } from '../runner.ts';

/**
 * Seconds between echo requests. iputils lets anyone go down to 0.2 s (its floor for users before
 * 20210202; 2 ms since), so this works with or without root.
 */
const INTERVAL_SECONDS = 0.2;
/** Bytes of ping's output (stdout and stderr each) read at most; past that ping is killed. */
const OUTPUT_CAP_BYTES = 64 * 1024;
/** After ping was interrupted at the timeout (SIGINT: it prints its summary), ms before it is killed. */
const KILL_AFTER_MS = 500;

/** What the summary lines of ping's output say. */
export interface PingSummary {
  /** Echo requests sent. */
  sent: number;
  /** Replies received (duplicates not counted). */
  received: number;
  /** The average round trip, seconds; null when nothing came back. */
  rttAvgSeconds: number | null;
}

/**
 * Reads the summary of a ping's output (iputils ping(8); BusyBox and BSD print the same two lines):
 * `3 packets transmitted, 3 received, 0% packet loss, time 2003ms` (also `3 packets received`, with
 * `+1 errors` or `+2 duplicates` between) and `rtt min/avg/max/mdev = 0.046/0.136/0.287/0.107 ms`
 * (`round-trip min/avg/max[/stddev] = … ms` elsewhere). Null without the packets line; the loss is
 * computed from the counts, not read (iputils rounds it).
 */
export function parsePingSummary(output: string): PingSummary | null {
  const counts = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(output);
  if (!counts) return null;
  const rtt = /(?:rtt|round-trip) min\/avg\/max(?:\/\w+)? = [\d.]+\/([\d.]+)\/[\d.]+(?:\/[\d.]+)? ms/.exec(output);
  const avg = rtt ? Number(rtt[1]) : NaN;
  return {
    sent: Number(counts[1]),
    received: Number(counts[2]),
    rttAvgSeconds: Number.isFinite(avg) ? avg / 1000 : null,
  };
}

/**
 * The ping runner: `ping -n -c COUNT -W WAIT -i 0.2 -- TARGET` (`binary`: default `ping` from PATH),
 * with WAIT (seconds to wait for replies after the last request) fitted so that ping ends within the
 * check's timeout; at the timeout ping gets SIGINT (it prints its summary), then SIGKILL. The loss
 * (ratio 0–1) is down at or above `downLossRatio` ("no reply to 3 echo requests", "loss 67 %"),
 * degraded below it; an average round trip above `degradedAboveSeconds` is degraded. details.sent,
 * details.received, details.rttSeconds (average, seconds); metric probe_icmp_loss_ratio. No ping
 * binary: down "ping is not installed"; a name that does not resolve: down "no such host". Runs from
 * this machine only: a context through SSH gets a `down` outcome.
 */
export function pingRunner(options: { binary?: string } = {}): Runner<PingCheck> {
  const binary = options.binary ?? 'ping';
  return async (spec, context) => {
    const started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    const down = (reason: string, excerpt: string | null = null): CheckOutcome =>
      ({ status: 'down', reason, durationSeconds: elapsed(), excerpt, details: {}, metrics: [] });
    if (context.via === 'ssh') return down('ping runs from this machine only');
    if (context.signal.aborted) return down(abortedReason(context));

    const timeoutSeconds = context.timeoutMs / 1000;
    const wait = Math.max(0.05, timeoutSeconds - (spec.count - 1) * INTERVAL_SECONDS - Math.min(0.25, timeoutSeconds / 4));
    // Whole seconds when it can (iputils before 20190709 reads -W as an integer).
    const waitArg = wait >= 1 ? String(Math.floor(wait)) : wait.toFixed(3);
    const target = spec.target.replace(/^\[(.*)\]$/, '$1');
    const args = ['-n', '-c', String(spec.count), '-W', waitArg, '-i', String(INTERVAL_SECONDS), '--', target];

    const run = await runPing(binary, args, context.signal);
    const excerptText = (run.stdout.includes('---') ? run.stdout.slice(run.stdout.indexOf('---')) : run.stdout).trim() || run.stderr.trim();
    const excerpt = excerptText === '' ? null : excerptOf(excerptText);
    if (run.spawnError === 'ENOENT') return down('ping is not installed');
    if (run.spawnError !== null) return down(`ping could not be started (${run.spawnError})`);

    const summary = parsePingSummary(run.stdout);
    if (summary === null || summary.sent === 0) {
      if (run.aborted) return down(abortedReason(context), excerpt);
      return down(errorReason(run.stderr, run.exitCode), excerpt);
    }
    const loss = Math.max(0, summary.sent - summary.received) / summary.sent;
    const details = {
      sent: summary.sent,
      received: summary.received,
      ...(summary.rttAvgSeconds !== null ? { rttSeconds: summary.rttAvgSeconds } : {}),
    };
    const outcome = (status: CheckOutcome['status'], reason: string): CheckOutcome => ({
      status, reason, durationSeconds: elapsed(), excerpt, details,
      metrics: [{ metric: 'probe_icmp_loss_ratio', attributes: {}, value: loss }],
    });
    if (run.aborted) return outcome('down', abortedReason(context));
    const lossText = `loss ${Math.round(loss * 100)} %`;
    if (loss > 0 && loss >= spec.downLossRatio) {
      if (summary.received > 0) return outcome('down', lossText);
      const requests = summary.sent === 1 ? 'echo request' : 'echo requests';
      const error = /^From (\S+?)(?: \([^)]*\))?:? icmp_seq=\d+ (.+)$/m.exec(run.stdout);
      return outcome('down', `no reply to ${summary.sent} ${requests}${error ? ` (${error[2]!.trim()} from ${error[1]})` : ''}`);
    }
    const warnings: string[] = [];
    if (loss > 0) warnings.push(lossText);
    if (spec.degradedAboveSeconds !== null && summary.rttAvgSeconds !== null && summary.rttAvgSeconds > spec.degradedAboveSeconds) {
      warnings.push(`round trip ${formatSeconds(summary.rttAvgSeconds)} on average, above ${spec.degradedAboveSeconds} s`);
    }
    return outcome(warnings.length > 0 ? 'degraded' : 'up', warnings.join('; '));
  };
}

interface PingRun {
  stdout: string;
  stderr: string;
  /** ping's exit code (null if it did not exit by itself). */
  exitCode: number | null;
  /** The code of the error starting it (ENOENT: not installed), or null. */
  spawnError: string | null;
  /** Whether it was stopped at the signal. */
  aborted: boolean;
}

/** Runs `binary` with `args` (no shell), interrupted when `signal` aborts; never rejects. */
function runPing(binary: string, args: string[], signal: AbortSignal): Promise<PingRun> {
  return new Promise((resolve) => {
    let killer: NodeJS.Timeout | undefined;
    // Not execFile's `signal` option: it kills with SIGTERM whatever `killSignal` says, and ping dies
    // without its summary. maxBuffer: past it, execFile kills ping (SIGINT too).
    const child = execFile(binary, args, {
      killSignal: 'SIGINT', maxBuffer: OUTPUT_CAP_BYTES, encoding: 'utf8', windowsHide: true,
      // The summary is parsed: keep it in English whatever the user's locale.
      env: { ...process.env, LC_ALL: 'C' },
    }, (error, stdout, stderr) => {
      clearTimeout(killer);
      signal.removeEventListener('abort', onAbort);
      const code = (error as NodeJS.ErrnoException | null)?.code;
      const spawnError = error !== null && child.pid === undefined && typeof code === 'string' ? code : null;
      resolve({
        stdout, stderr,
        exitCode: error === null ? 0 : typeof code === 'number' ? code : null,
        spawnError,
        aborted: signal.aborted,
      });
    });
    // ping prints its summary on SIGINT; kill it if it hangs anyway.
    const onAbort = () => {
      child.kill('SIGINT');
      killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Why ping failed without a summary, from its error message (stderr). */
function errorReason(stderr: string, exitCode: number | null): string {
  if (/name or service not known|unknown host|bad address|no address associated|nodename nor servname/i.test(stderr)) return 'no such host';
  if (/temporary failure in name resolution/i.test(stderr)) return 'the host name could not be resolved (DNS did not answer)';
  const line = stderr.split('\n').map((l) => l.trim()).find((l) => l !== '');
  if (line === undefined) return exitCode === null ? 'ping was stopped' : `ping exited with code ${exitCode} without a summary`;
  const message = line.replace(/^ping:\s*/, '');
  if (/operation not permitted|permission denied/i.test(message)) return `ping is not allowed to send ICMP here (${message})`;
  return message;
}
