/**
 * The log pattern check's runner: counts the new lines that match a pattern, in a file on the host
 * (read from where the last run stopped) or in the systemd journal (journalctl(1), entries since the
 * last run), and judges the count over the check's window. Lines are matched here, never by a `grep`
 * on the host: the pattern never reaches a shell.
 */
import type { LogCheck } from '../../../../shared/checks/index.ts';
import { abortedReason, CheckUnavailableError, excerptOf, type CheckContext, type CheckOutcome, type Runner } from '../runner.ts';
import { shQuote } from './sh-quote.ts';

/** Bytes of a file read at most per run; a file that grew more is read from its last this-many bytes. */
export const LOG_READ_CAP_BYTES = 512 * 1024;
/** Matching lines kept for the excerpt. */
const EXCERPT_LINES = 5;

/** What the runner keeps between runs (CheckContext.memory.log). */
interface LogMemory {
  /** file: the inode and the offset read up to; journal: the host's time (seconds) of the last entry seen. */
  inode?: string;
  offset?: number;
  since?: number;
  /** Matches per run, for the window: when (ms) and how many. */
  counts: { at: number; n: number }[];
}

/** What one read found: the new lines, and what to say about how they were read. */
interface Read {
  lines: string[];
  note: string | null;
  firstRun: boolean;
}

/**
 * The script that reads a file's new bytes: prints `INODE SIZE START` (START: where it read from) then
 * the bytes from START, at most LOG_READ_CAP_BYTES. A new inode (rotated) or a smaller size (truncated)
 * starts over at 0; more than the cap to read skips to the last LOG_READ_CAP_BYTES; without a previous
 * offset nothing is read (START = SIZE). Prints `missing: …` when the file cannot be read.
 */
export function fileReadScript(path: string, inode: string | null, offset: number | null): string {
  return [
    `f=${shQuote(path)}`,
    `st=$(stat -L -c '%i %s' -- "$f" 2>&1) || { echo "missing: $st"; exit 0; }`,
    '[ -r "$f" ] || { echo "missing: cannot read $f"; exit 0; }',
    'set -- $st; inode=$1; size=$2',
    inode === null || offset === null ? 'start=$size' : `start=${offset}; [ "$inode" = ${shQuote(inode)} ] && [ "$size" -ge "$start" ] || start=0`,
    `[ $((size - start)) -gt ${LOG_READ_CAP_BYTES} ] && start=$((size - ${LOG_READ_CAP_BYTES}))`,
    'echo "$inode $size $start"',
    `[ "$size" -gt "$start" ] && tail -c +$((start + 1)) -- "$f" | head -c ${LOG_READ_CAP_BYTES}`,
    'exit 0',
  ].join('\n');
}

/**
 * The script that reads the journal: prints the host's time (`date +%s`), then, with a previous time,
 * the entries since then at PRIORITY and above (of UNIT, if given) as `short-unix` lines (`SECONDS.MICRO
 * host ident[pid]: message`).
 */
export function journalReadScript(spec: Pick<LogCheck, 'priority' | 'unit'>, since: number | null): string {
  const unit = spec.unit ? ` -u ${shQuote(spec.unit)}` : '';
  return [
    'date +%s',
    since === null ? 'exit 0' : `journalctl --no-pager -q -o short-unix -p ${spec.priority}${unit} --since @${Math.floor(since)} 2>&1`,
  ].join('\n');
}

/**
 * Runs a log check: the new lines since the last run, those matching `pattern` (all when empty) counted,
 * summed over the runs of the last `windowSeconds`: above criticalCount → down, above warningCount →
 * degraded, with the count in the reason and the last matching lines as the excerpt. The first run
 * reads nothing ("watching from now"). Metric hostwatch.check.log.matches (the window's sum). Throws
 * CheckUnavailableError when the host cannot be reached.
 */
export const logRunner: Runner<LogCheck> = async (spec, context) => {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const down = (reason: string, excerpt: string | null = null): CheckOutcome =>
    ({ status: 'down', reason, durationSeconds: elapsed(), excerpt, details: {}, metrics: [] });
  const memory = (context.memory.log ??= { counts: [] }) as LogMemory;

  let read: Read | string;
  try {
    read = spec.source === 'file' ? await readFile(spec, context, memory) : await readJournal(spec, context, memory);
  } catch (error) {
    if (error instanceof CheckUnavailableError) throw error;
    return down(context.signal.aborted ? abortedReason(context) : error instanceof Error ? error.message : String(error));
  }
  if (typeof read === 'string') return down(read);

  const pattern = spec.pattern === '' ? null : new RegExp(spec.pattern, 'u');
  const matching = pattern === null ? read.lines : read.lines.filter((line) => pattern.test(line));
  const now = Date.now();
  memory.counts = memory.counts.filter((c) => c.at > now - spec.windowSeconds * 1000);
  memory.counts.push({ at: now, n: matching.length });
  const total = memory.counts.reduce((sum, c) => sum + c.n, 0);

  const what = `${total} ${total === 1 ? 'line' : 'lines'}${pattern ? ` matched /${spec.pattern}/` : ''} in the last ${windowText(spec.windowSeconds)}`;
  const status = total > spec.criticalCount ? 'down' : spec.warningCount !== null && total > spec.warningCount ? 'degraded' : 'up';
  const reason = status === 'up' ? '' : `${what}, more than ${status === 'down' ? spec.criticalCount : spec.warningCount}`;
  return {
    status,
    reason,
    durationSeconds: elapsed(),
    excerpt: matching.length === 0 ? null : excerptOf(matching.slice(-EXCERPT_LINES).join('\n')),
    details: {
      facts: [
        { name: 'Matching lines', value: what },
        { name: 'New lines this run', value: read.firstRun ? 'none: watching from now' : String(read.lines.length) },
        ...(read.note ? [{ name: 'Note', value: read.note }] : []),
      ],
    },
    metrics: [{ metric: 'hostwatch.check.log.matches', attributes: {}, value: total }],
  };
};

/** The file's new lines, or why it could not be read (a string). */
async function readFile(spec: LogCheck, context: CheckContext, memory: LogMemory): Promise<Read | string> {
  const result = await context.runScript(fileReadScript(spec.path, memory.inode ?? null, memory.offset ?? null));
  const out = result.stdout;
  if (out.startsWith('missing: ')) return `cannot read ${spec.path}: ${out.slice(9).split('\n')[0]!.replace(/^stat: /, '').slice(0, 300)}`;
  const newline = out.indexOf('\n');
  const head = /^(\d+) (\d+) (\d+)$/.exec(newline < 0 ? out : out.slice(0, newline));
  if (!head) return `the host answered something else than ${spec.path}'s size: ${out.slice(0, 200)}`;
  const [inode, size, start] = [head[1]!, Number(head[2]), Number(head[3])];
  const firstRun = memory.inode === undefined;
  const notes: string[] = [];
  if (!firstRun && inode !== memory.inode) notes.push('the file was replaced (rotated): read from its start');
  else if (!firstRun && start === 0 && memory.offset! > 0) notes.push('the file shrank (truncated): read from its start');
  if (!firstRun && start > (inode === memory.inode ? memory.offset! : 0)) notes.push(`${start - (inode === memory.inode ? memory.offset! : 0)} bytes skipped: more was written than a run reads`);
  // Bytes, not characters: the offset must follow what was read, and a line cut short waits for the next run.
  const body = Buffer.from(out.slice(newline + 1), 'utf8');
  const lastNewline = body.lastIndexOf(0x0a);
  const complete = lastNewline < 0 ? Buffer.alloc(0) : body.subarray(0, lastNewline);
  memory.inode = inode;
  memory.offset = firstRun ? size : start + (lastNewline < 0 ? 0 : lastNewline + 1);
  const lines = complete.length === 0 ? [] : complete.toString('utf8').split('\n');
  return { lines, note: notes.length > 0 ? notes.join('; ') : null, firstRun };
}

/** The journal's new entries, or why it could not be read (a string). */
async function readJournal(spec: LogCheck, context: CheckContext, memory: LogMemory): Promise<Read | string> {
  const since = memory.since ?? null;
  const result = await context.runScript(journalReadScript(spec, since));
  const [first = '', ...rest] = result.stdout.split('\n');
  const now = Number(first.trim());
  if (!Number.isFinite(now) || now <= 0) return `the host did not tell its time: ${first.slice(0, 200)}`;
  if (since === null) {
    memory.since = now;
    return { lines: [], note: null, firstRun: true };
  }
  if (result.exitCode !== 0) {
    if (result.exitCode === 127) return 'journalctl is not installed on this host (no systemd journal)';
    return `journalctl: ${rest.join('\n').trim().split('\n')[0]?.slice(0, 300) || `exit code ${result.exitCode}`}`;
  }
  const lines: string[] = [];
  let last = since;
  for (const line of rest) {
    const m = /^(\d+\.\d+) (.*)$/.exec(line);
    if (!m) continue;
    const at = Number(m[1]);
    // --since has whole seconds: entries of the last run's second were counted then.
    if (at <= since) continue;
    lines.push(m[2]!);
    last = Math.max(last, at);
  }
  // Next time from the newest entry counted, or from a little before this read (an entry is written
  // a moment after its time): never back over a counted entry, never a window that only grows.
  memory.since = Math.max(last, now - 2);
  return { lines, note: result.truncated ? 'more than 1 MiB of new entries: counted the first MiB' : null, firstRun: false };
}

/** "5 min", "1 h", "90 s". */
function windowText(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
