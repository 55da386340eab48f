/**
 * The process check's runner: lists the host's processes with one script (process-table.ts), matches
 * them here — by the kernel's name exactly, or a regular expression on the command line — and counts
 * them, with their CPU and memory. The host never sees the pattern, so no `pgrep -f`-style match can
 * find the checking shell itself; the script's own processes (its shell, its `cat` and `ps`, and the
 * `timeout` that wraps it over SSH) are left out by their ids.
 */
import type { ProcessCheck } from '../../../../shared/checks/index.ts';
import { formatBytes, formatPercent } from '../../../../shared/format.ts';
import { abortedReason, CheckUnavailableError, excerptOf, type CheckContext, type CheckOutcome, type Runner } from '../runner.ts';
import { PROCESS_TABLE_SCRIPT, parseProcessTable, type ProcessEntry, type ProcessTable } from './process-table.ts';

/** What SshCollector.runScript runs the script under (collectors/ssh/collector.ts). */
const SSH_WRAPPER = 'timeout -s KILL ';

/** Matching processes listed in a result, at most. */
const LISTED = 10;

/** What the runner keeps between runs: each matching process's CPU seconds by `pid:start`, and the uptime then. */
interface ProcessMemory {
  uptimeSeconds: number;
  cpu: Map<string, number>;
}

/**
 * Runs a process check: down when fewer than `minCount` or more than `maxCount` processes match, with
 * the count in the reason; up otherwise. Metrics: hostwatch.check.process.count, .cpu.utilization (the
 * matching processes' CPU time since the last run — or since they started, for the first run and new
 * processes — over that time, as a share of one core) and .memory.usage (resident bytes, summed).
 * Facts: the count, CPU, memory, and the first LISTED processes. Throws CheckUnavailableError when the
 * host cannot be reached.
 */
export const processRunner: Runner<ProcessCheck> = async (spec, context) => {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const down = (reason: string, excerpt: string | null = null): CheckOutcome =>
    ({ status: 'down', reason, durationSeconds: elapsed(), excerpt, details: {}, metrics: [] });

  let table: ProcessTable;
  try {
    const result = await context.runScript(PROCESS_TABLE_SCRIPT);
    if (result.exitCode === null && result.signal !== null && !result.truncated) return down(`the listing was killed (${result.signal})`);
    table = parseProcessTable(result.stdout);
  } catch (error) {
    if (error instanceof CheckUnavailableError) throw error;
    if (context.signal.aborted) return down(abortedReason(context));
    return down(error instanceof Error ? error.message : String(error));
  }
  if (spec.match === 'commandLine' && table.commandLineError !== null) return down(table.commandLineError);

  const own = ownProcesses(table);
  const pattern = spec.match === 'commandLine' ? new RegExp(spec.pattern, 'u') : null;
  const matching = table.processes.filter((p) => !own.has(p.pid)
    && (pattern === null ? p.name === spec.pattern : p.commandLine !== null && pattern.test(p.commandLine)));

  const cpu = cpuShare(matching, table, context);
  const rss = matching.reduce((sum, p) => sum + p.rssBytes, 0);
  const count = matching.length;
  const what = spec.match === 'name' ? `named ${spec.pattern}` : `matching /${spec.pattern}/`;
  let reason = '';
  if (count < spec.minCount) {
    reason = count === 0 ? `no process ${what}` : `${count} ${count === 1 ? 'process' : 'processes'} ${what}, at least ${spec.minCount} wanted`;
  } else if (spec.maxCount !== null && count > spec.maxCount) {
    reason = `${count} processes ${what}, at most ${spec.maxCount} wanted`;
  }
  const listed = matching.slice(0, LISTED).map((p) => ({
    name: `PID ${p.pid}`,
    value: `${(p.commandLine ?? p.name).slice(0, 200)} · ${formatBytes(p.rssBytes)}`,
  }));
  return {
    status: reason === '' ? 'up' : 'down',
    reason,
    durationSeconds: elapsed(),
    excerpt: reason === '' || count === 0 ? null : excerptOf(matching.map((p) => `${p.pid} ${p.commandLine ?? p.name}`).join('\n')),
    details: {
      facts: [
        { name: 'Processes', value: String(count) },
        { name: 'CPU', value: `${formatPercent(cpu)} of a core` },
        { name: 'Memory', value: formatBytes(rss) },
        ...listed,
        ...(count > LISTED ? [{ name: 'More', value: `${count - LISTED} more` }] : []),
      ],
    },
    metrics: [
      { metric: 'hostwatch.check.process.count', attributes: {}, value: count },
      { metric: 'hostwatch.check.process.cpu.utilization', attributes: {}, value: cpu },
      { metric: 'hostwatch.check.process.memory.usage', attributes: {}, value: rss },
    ],
  };
};

/**
 * The script's shell, what it started, and over SSH what wraps it: the `timeout` that bounds it and the
 * login shell that started that (`sh -c "timeout -s KILL 10 sh"`), found up the parent chain.
 */
function ownProcesses(table: ProcessTable): Set<number> {
  const own = new Set([table.self]);
  const byPid = new Map(table.processes.map((p) => [p.pid, p]));
  for (let p = byPid.get(byPid.get(table.self)?.ppid ?? -1); p && !own.has(p.pid); p = byPid.get(p.ppid)) {
    if (p.name !== 'timeout' && !p.commandLine?.includes(SSH_WRAPPER)) break;
    own.add(p.pid);
  }
  for (const p of table.processes) if (p.ppid === table.self) own.add(p.pid);
  return own;
}

/**
 * The matching processes' CPU as a share of one core: the CPU seconds each used since the last run (or
 * since it started) over the seconds that passed, summed. Remembers this run's figures in the context.
 */
function cpuShare(matching: readonly ProcessEntry[], table: ProcessTable, context: CheckContext): number {
  const before = context.memory.process as ProcessMemory | undefined;
  const now: ProcessMemory = { uptimeSeconds: table.uptimeSeconds, cpu: new Map() };
  let share = 0;
  for (const p of matching) {
    const key = `${p.pid}:${p.startedSeconds}`;
    now.cpu.set(key, p.cpuSeconds);
    const previous = before?.cpu.get(key);
    const used = previous === undefined ? p.cpuSeconds : p.cpuSeconds - previous;
    const over = previous === undefined ? table.uptimeSeconds - p.startedSeconds : table.uptimeSeconds - before!.uptimeSeconds;
    if (over > 0 && used >= 0) share += used / over;
  }
  context.memory.process = now;
  return share;
}
