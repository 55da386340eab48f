/**
 * The command check's runner, with the Nagios plugin API's semantics ("Plugin Return Codes", "Plugin
 * Output"): the host's own command (from its settings, never from the check) runs on the host, and its
 * exit code says the state — 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN — with the first line of its output
 * as the reason and the performance data after `|` as facts.
 */
import type { CommandCheck } from '../../../../shared/checks/index.ts';
import { abortedReason, CheckUnavailableError, excerptOf, type CheckOutcome, type Runner } from '../runner.ts';

/** Performance data items shown at most. */
const MAX_PERFDATA = 20;

/** One item of Nagios performance data: `'label'=value[UOM];[warn];[crit];[min];[max]`. */
export interface PerfData {
  label: string;
  value: string;
  unit: string;
}

/**
 * Splits a plugin's first line into its status text and performance data (Nagios plugin guidelines,
 * "Performance data": space-separated `label=value[UOM];warn;crit;min;max`, a label with spaces in single
 * quotes, `''` for a quote). Items that do not parse are skipped; at most MAX_PERFDATA are kept.
 */
export function parsePluginLine(line: string): { text: string; perfdata: PerfData[] } {
  const bar = line.indexOf('|');
  const text = (bar < 0 ? line : line.slice(0, bar)).trim();
  const perfdata: PerfData[] = [];
  if (bar >= 0) {
    const item = /\s*(?:'((?:[^']|'')+)'|([^\s=']+))=(-?[\d.]+(?:[eE][-+]?\d+)?|U)([a-zA-Z%]*)(?:;[^\s]*)?/gy;
    const rest = line.slice(bar + 1);
    let m: RegExpExecArray | null;
    while (perfdata.length < MAX_PERFDATA && (m = item.exec(rest)) !== null) {
      perfdata.push({ label: (m[1] ?? m[2]!).replaceAll("''", "'"), value: m[3]!, unit: m[4]! });
    }
  }
  return { text, perfdata };
}

/**
 * Runs a command check: the command named `spec.command` in the host's settings, through `sh` on the
 * host, bounded by the check's timeout (killed there past it). 0 → up, 1 → degraded, 2 → down, each with
 * the first line of output (before `|`) as the reason; 3 (UNKNOWN) → CheckUnavailableError, so the
 * check is `unknown`, as Nagios means it; any other code, a signal or the timeout → down saying so.
 * Metric hostwatch.check.command.exit_code. Throws CheckUnavailableError also when the host cannot be
 * reached.
 */
export const commandRunner: Runner<CommandCheck> = async (spec, context) => {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const down = (reason: string, excerpt: string | null = null, metrics: CheckOutcome['metrics'] = []): CheckOutcome =>
    ({ status: 'down', reason, durationSeconds: elapsed(), excerpt, details: {}, metrics });

  const command = context.hostCommand(spec.command);
  if (command === null) return down(`the host has no command named ${spec.command} in its settings`);
  let result;
  try {
    result = await context.runScript(command);
  } catch (error) {
    if (error instanceof CheckUnavailableError) throw error;
    return down(context.signal.aborted ? abortedReason(context) : `the command could not run: ${error instanceof Error ? error.message : String(error)}`);
  }
  const output = result.stdout.trim() === '' ? result.stderr : result.stdout;
  const first = output.split('\n').find((l) => l.trim() !== '') ?? '';
  const { text, perfdata } = parsePluginLine(first.slice(0, 4096));
  const excerpt = output === '' ? null : excerptOf(output);
  const code = result.exitCode;
  const metrics = code === null ? [] : [{ metric: 'hostwatch.check.command.exit_code', attributes: {}, value: code }];
  const details = {
    facts: [
      { name: 'Exit code', value: code === null ? `killed (${result.signal})` : String(code) },
      ...perfdata.map((p) => ({ name: p.label, value: `${p.value}${p.unit}` })),
    ],
  };
  const said = text === '' ? '' : `: ${text.slice(0, 500)}`;
  if (result.truncated) return { ...down(`the command printed more than 1 MiB${said}`, excerpt, metrics), details };
  if (code === 0) return { status: 'up', reason: '', durationSeconds: elapsed(), excerpt, details, metrics };
  if (code === 1) return { status: 'degraded', reason: text || 'WARNING (exit code 1)', durationSeconds: elapsed(), excerpt, details, metrics };
  if (code === 2) return { ...down(text || 'CRITICAL (exit code 2)', excerpt, metrics), details };
  if (code === 3) throw new CheckUnavailableError(text || 'UNKNOWN (exit code 3)');
  // The host's `timeout -s KILL` ends a command that outlives the check's timeout.
  if (code === null || code === 137) return { ...down(`killed${result.signal ? ` by ${result.signal}` : ''} (past the timeout of ${context.timeoutMs / 1000} s?)${said}`, excerpt, metrics), details };
  if (code === 127) return { ...down(`command not found${said}`, excerpt, metrics), details };
  if (code === 126) return { ...down(`the command cannot be run (permission denied?)${said}`, excerpt, metrics), details };
  return { ...down(`exit code ${code}${said}`, excerpt, metrics), details };
};
