/**
 * `hostwatch silences add MATCHER… [--duration 2h] [--comment TEXT] [--author NAME] | list | expire ID`:
 * silences from the command line, in the same database a running serve or app reads at each
 * notification. Matchers are Alertmanager's: `host=web1`, `alertname="Host down"`, `severity!=info`,
 * `system.filesystem.mountpoint=~"/var.*"`.
 */
import { userInfo } from 'node:os';
import { parseDuration } from '../../../shared/duration.ts';
import { formatDuration } from '../../../shared/format.ts';
import { SilenceSpec, matchersText, parseMatcher, type Matcher } from '../../../shared/silences.ts';
import type { CliOptions } from '../cli.ts';
import { SilenceRepository } from '../store/silences.ts';
import { formatTime, printJson, table } from './output.ts';
import { openCliStore } from './store.ts';
import { UsageError } from './usage.ts';

export function runSilences(args: readonly string[], options: CliOptions): number {
  const [sub = 'list', ...rest] = args;
  switch (sub) {
    case 'list':
      if (rest.length > 0) throw new UsageError('silences list takes no arguments');
      return list(options);
    case 'add': return add(rest, options);
    case 'expire': return expire(idOf(rest, 'silences expire', 'silences list'), options);
    default: throw new UsageError(`silences takes list, add or expire, not '${sub}'`);
  }
}

/** Matchers as the command line gives them (`host=web1`…); a usage error names one that is not. */
export function matchersOf(texts: readonly string[]): Matcher[] {
  return texts.map((text) => {
    const matcher = parseMatcher(text);
    if (!matcher) throw new UsageError(`'${text}' is not a matcher: write name=value, name!=value, name=~regex or name!~regex`);
    return matcher;
  });
}

/** The one ID argument of `command` (`silences expire`), a whole number; a usage error otherwise. */
export function idOf(args: readonly string[], command: string, list: string): number {
  const id = Number(args[0]);
  if (args.length !== 1 || !Number.isInteger(id)) throw new UsageError(`${command} takes one ID (see \`hostwatch ${list}\`)`);
  return id;
}

function add(args: readonly string[], options: CliOptions): number {
  if (args.length === 0) throw new UsageError('silences add takes one or more matchers, like host=web1 alertname="Host down"');
  const matchers = matchersOf(args);
  const seconds = parseDuration(options.silence.duration ?? '2h');
  if (seconds === null || seconds <= 0) throw new UsageError(`--duration takes a duration like 30m, 2h or 1d, not '${options.silence.duration}'`);
  const now = Date.now();
  const spec = SilenceSpec.safeParse({
    matchers, startsAt: now, endsAt: now + seconds * 1000,
    createdBy: options.silence.author ?? userInfo().username, comment: options.silence.comment ?? '',
  });
  if (!spec.success) throw new Error(`the silence is not valid: ${spec.error.issues.map((i) => i.message).join('; ')}`);
  const store = openCliStore(options.dataDir, false);
  try {
    const silence = new SilenceRepository(store.db).create(spec.data, now);
    if (options.json) printJson(silence);
    else console.log(`Silence ${silence.id}: ${matchersText(silence.matchers)} until ${formatTime(silence.endsAt)} (${formatDuration(seconds)}).`);
    return 0;
  } finally {
    store.close();
  }
}

function list(options: CliOptions): number {
  const store = openCliStore(options.dataDir, false);
  try {
    const silences = new SilenceRepository(store.db).list();
    if (options.json) {
      printJson(silences);
      return 0;
    }
    if (silences.length === 0) {
      console.log('No silences: add one with `hostwatch silences add host=web1 --duration 2h`.');
      return 0;
    }
    console.log(table(['ID', 'STATE', 'MATCHERS', 'STARTS', 'ENDS', 'BY', 'COMMENT'], silences.map((s) => [
      String(s.id), s.state, matchersText(s.matchers), formatTime(s.startsAt), formatTime(s.endsAt), s.createdBy, s.comment,
    ])));
    return 0;
  } finally {
    store.close();
  }
}

function expire(id: number, options: CliOptions): number {
  const store = openCliStore(options.dataDir, false);
  try {
    const silence = new SilenceRepository(store.db).expire(id);
    if (options.json) printJson(silence);
    else console.log(`Silence ${silence.id} ${matchersText(silence.matchers)} is over.`);
    return 0;
  } finally {
    store.close();
  }
}
