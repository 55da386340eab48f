/**
 * `hostwatch maintenance add NAME MATCHER… (--from TIME --to TIME | --weekly mon,fri --start 02:00
 * --end 04:00 [--tz ZONE]) | list | remove ID`: maintenance windows from the command line, in the
 * database a running serve or app reads at each notification. Matchers as for silences (`host=web1`).
 */
import { MaintenanceSpec, WEEKDAYS, inMaintenance, scheduleText } from '../../../shared/maintenance.ts';
import { matchersText } from '../../../shared/silences.ts';
import type { CliOptions } from '../cli.ts';
import { MaintenanceRepository } from '../store/maintenance.ts';
import { printJson, table } from './output.ts';
import { idOf, matchersOf } from './silences.ts';
import { openCliStore } from './store.ts';
import { UsageError } from './usage.ts';

export function runMaintenance(args: readonly string[], options: CliOptions): number {
  const [sub = 'list', ...rest] = args;
  switch (sub) {
    case 'list':
      if (rest.length > 0) throw new UsageError('maintenance list takes no arguments');
      return list(options);
    case 'add': return add(rest, options);
    case 'remove': return remove(idOf(rest, 'maintenance remove', 'maintenance list'), options);
    default: throw new UsageError(`maintenance takes list, add or remove, not '${sub}'`);
  }
}

/** An instant as the command line gives it: ISO 8601 or ms since the epoch. */
function instant(text: string | undefined, flag: string): number {
  const ms = text === undefined ? NaN : /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) throw new UsageError(`${flag} takes a time like 2026-11-22T02:00:00Z, not '${text ?? ''}'`);
  return ms;
}

function add(args: readonly string[], options: CliOptions): number {
  const [name, ...texts] = args;
  if (name === undefined || texts.length === 0) throw new UsageError('maintenance add takes a NAME and one or more matchers, like host=web1');
  const matchers = matchersOf(texts);
  const w = options.maintenance;
  let schedule: unknown;
  if (w.weekly !== undefined) {
    const days = w.weekly.split(',').map((d) => WEEKDAYS.indexOf(d.trim().toLowerCase().slice(0, 3) as (typeof WEEKDAYS)[number]));
    if (days.some((d) => d < 0)) throw new UsageError(`--weekly takes days like mon,wed,fri, not '${w.weekly}'`);
    schedule = { kind: 'weekly', days, start: w.start, end: w.end, timeZone: w.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone };
  } else {
    schedule = { kind: 'once', startsAt: instant(options.report.from, '--from'), endsAt: instant(options.report.to, '--to') };
  }
  const spec = MaintenanceSpec.safeParse({ name, matchers, schedule });
  if (!spec.success) throw new Error(`the window is not valid: ${spec.error.issues.map((i) => `${i.path.join('.') || 'window'}: ${i.message}`).join('; ')}`);
  const store = openCliStore(options.dataDir, false);
  try {
    const window = new MaintenanceRepository(store.db).create(spec.data);
    if (options.json) printJson(window);
    else console.log(`Maintenance window ${window.id} "${window.name}": ${matchersText(window.matchers)} ${scheduleText(window.schedule)}.`);
    return 0;
  } finally {
    store.close();
  }
}

function list(options: CliOptions): number {
  const store = openCliStore(options.dataDir, false);
  try {
    const windows = new MaintenanceRepository(store.db).list();
    const now = Date.now();
    if (options.json) {
      printJson(windows.map((w) => ({ ...w, on: inMaintenance(w.schedule, now) })));
      return 0;
    }
    if (windows.length === 0) {
      console.log('No maintenance windows: add one with `hostwatch maintenance add "Nightly backup" host=db1 --weekly mon,tue,wed,thu,fri --start 02:00 --end 04:00`.');
      return 0;
    }
    console.log(table(['ID', 'NAME', 'MATCHERS', 'WHEN', 'NOW'], windows.map((w) => [
      String(w.id), w.name, matchersText(w.matchers), scheduleText(w.schedule), inMaintenance(w.schedule, now) ? 'on' : 'off',
    ])));
    return 0;
  } finally {
    store.close();
  }
}

function remove(id: number, options: CliOptions): number {
  const store = openCliStore(options.dataDir, false);
  try {
    if (!new MaintenanceRepository(store.db).remove(id)) throw new Error(`no maintenance window ${id} (see \`hostwatch maintenance list\`)`);
    console.log(`Removed maintenance window ${id}.`);
    return 0;
  } finally {
    store.close();
  }
}
