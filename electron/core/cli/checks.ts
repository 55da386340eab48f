/**
 * `hostwatch checks list | add | edit | remove | run | export | import`: service checks from the command
 * line, written to the same database a running `serve` or app reads (it picks changes up at its next
 * poll, through `PRAGMA data_version`). The CLI has no live state: `list` shows each check's newest
 * state change from its history, and `run` runs a check once from this process, storing nothing.
 *
 * Files (`export` writes them, `import` reads them) are YAML, or JSON, which YAML reads too: a list of
 * checks, or `{ checks: [...] }`. Each check has the keys of CheckSpec (shared/checks), with two
 * friendlier spellings: `host` is a host's name (or id), this machine when left out; and durations are
 * `interval`, `timeout`, `retryInterval`, `initialDelay` and `degradedAbove` (for intervalSeconds,
 * timeoutSeconds, …), written `30s`, `5m`, `1h30m`, `1.5s`, `250ms` or as a number of seconds. A setting
 * left out takes its default; `export` leaves defaults out. For example:
 *
 *   checks:
 *     - name: Web site
 *       type: http
 *       url: https://example.com/health
 *       interval: 30s
 *       timeout: 5s
 *       acceptedStatus: 200-299
 *       conditions:
 *         - { kind: body_contains, text: ok }
 *     - name: Postgres
 *       type: tcp
 *       host: db1            # the host named db1; its SSH connection carries the check (from: host)
 *       target: localhost
 *       port: 5432
 *       from: host
 *     - { name: Mail, type: dns, query: example.com, recordType: MX, server: 1.1.1.1, interval: 5m }
 *     - { name: Router, type: ping, target: 192.168.1.1, count: 5 }
 *
 * An import validates every check first and writes nothing if any is invalid (each error names the
 * item, 1-based, and the field); a check with the same host and name as a stored one replaces it, so
 * importing an export twice changes nothing.
 */
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import {
  CHECK_SCHEMAS, CHECK_TYPES, CheckSpec, HOST_CHECK_TYPES, checkCommon, checkTarget as targetText,
  type Check, type CheckResult, type CheckType,
} from '../../../shared/checks/index.ts';
import { durationText, parseDuration } from '../../../shared/duration.ts';
import { formatDuration } from '../../../shared/format.ts';
import { localContext } from '../checks/local.ts';
import { defaultRunners } from '../checks/registry.ts';
import { CheckScheduler } from '../checks/scheduler.ts';
import { CheckRepository } from '../store/checks.ts';
import type { CliOptions } from '../cli.ts';
import { formatTime, printJson, table } from './output.ts';
import { openCliStore, type CliStore } from './store.ts';
import { UsageError } from './usage.ts';

/** The id of this machine's host (fleet.ts LOCAL_HOST_ID; not imported, to keep the fleet out of here). */
const LOCAL = 'local';


/** File key → spec key, for the settings in seconds. */
const DURATION_KEYS = {
  interval: 'intervalSeconds',
  timeout: 'timeoutSeconds',
  retryInterval: 'retryIntervalSeconds',
  initialDelay: 'initialDelaySeconds',
  degradedAbove: 'degradedAboveSeconds',
} as const;
const FILE_KEY_OF: Record<string, string> = Object.fromEntries(Object.entries(DURATION_KEYS).map(([file, spec]) => [spec, file]));
/** Settings in seconds that may be null (not set). */
const NULLABLE = new Set<string>(['retryIntervalSeconds', 'degradedAboveSeconds']);

/** What each type's target is called in the usage. */
const TARGET_WORD: Record<CheckType, string> = {
  http: 'URL', tcp: 'HOST:PORT', dns: 'NAME', ping: 'HOST',
  systemd: 'UNIT', process: 'NAME', container: 'CONTAINER', command: 'COMMAND', log: 'FILE',
};

/** The flag (or argument) that sets each spec key, for add/edit errors. */
const FLAG_OF: Record<string, string> = {
  name: '--name', host: '--host', intervalSeconds: '--interval', timeoutSeconds: '--timeout',
  acceptedStatus: '--status', conditions: '--contains', server: '--server', recordType: '--record', from: '--from',
  url: 'URL', target: 'HOST', port: 'PORT', query: 'NAME', enabled: '--enable/--disable', maintenance: '--maintenance',
  unit: 'UNIT', container: 'CONTAINER', command: 'COMMAND', path: 'FILE', socket: '--socket', match: '--match',
  minCount: '--min', maxCount: '--max', windowSeconds: '--window', warningCount: '--warning', criticalCount: '--critical',
  priority: '--priority', inactiveIsUp: '--inactive-ok', includeStopped: '--include-stopped',
};

export async function runChecks(args: readonly string[], options: CliOptions): Promise<number> {
  const [sub = 'list', ...rest] = args;
  switch (sub) {
    case 'list': {
      if (rest.length > 0) throw new UsageError('checks list takes no arguments (filter with --host NAME)');
      return list(options);
    }
    case 'add': return add(rest, options);
    case 'edit': return edit(rest, options);
    case 'remove': return remove(rest, options);
    case 'run': return await run(rest, options);
    case 'export': {
      if (rest.length > 0) throw new UsageError('checks export takes no arguments');
      return exportChecks(options);
    }
    case 'import': {
      if (rest.length !== 1) throw new UsageError('checks import takes one FILE');
      return importChecks(rest[0]!, options);
    }
    default: throw new UsageError(`checks takes list, add, edit, remove, run, export or import, not '${sub}'`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Hosts and checks by name

interface HostDirectory {
  /** The id of the host named (or with the id) `text`, or null. */
  resolve(text: string): string | null;
  /** The name of host `id`, as `hosts list` shows it. */
  name(id: string): string;
}

function hostDirectory(store: CliStore): HostDirectory {
  const hosts = store.hosts.list();
  return {
    resolve(text) {
      const t = text.trim();
      const exact = hosts.find((h) => h.id === t || h.name === t);
      if (exact) return exact.id;
      const folded = hosts.filter((h) => h.name.toLowerCase() === t.toLowerCase());
      if (folded.length === 1) return folded[0]!.id;
      // This machine before `serve` or the app first ran (no row yet).
      return t === LOCAL || t.toLowerCase() === 'this machine' ? LOCAL : null;
    },
    name: (id) => hosts.find((h) => h.id === id)?.name ?? (id === LOCAL ? 'this machine' : id),
  };
}

/** The one --host given, or undefined; --host is repeatable for `report`, not here. */
function hostFlag(options: CliOptions): string | undefined {
  if (options.hosts.length > 1) throw new UsageError('checks takes one --host');
  return options.hosts[0];
}

function resolveHost(hosts: HostDirectory, text: string): string {
  const id = hosts.resolve(text);
  if (id === null) throw new Error(`no host named ${text} (see \`hostwatch hosts list\`)`);
  return id;
}

/** The check named `name` (on --host, if given); throws when there is none, or several on different hosts. */
function findCheck(repository: CheckRepository, hosts: HostDirectory, name: string, options: CliOptions): Check {
  const host = hostFlag(options);
  const hostId = host === undefined ? undefined : resolveHost(hosts, host);
  const all = repository.list().filter((c) => hostId === undefined || c.spec.host === hostId);
  let found = all.filter((c) => c.spec.name === name);
  if (found.length === 0) found = all.filter((c) => c.spec.name.toLowerCase() === name.toLowerCase());
  if (found.length === 0) {
    throw new Error(`no check named ${name}${host === undefined ? '' : ` on ${hosts.name(hostId!)}`} (see \`hostwatch checks list\`)`);
  }
  if (found.length > 1) {
    const on = found.map((c) => hosts.name(c.spec.host)).join(', ');
    throw new Error(`there is a check named ${name} on several hosts (${on}): add --host NAME to say which`);
  }
  return found[0]!;
}

// ---------------------------------------------------------------------------------------------------
// Words and numbers

/** Seconds in `value`: a number, `30s`, `5m`, `1h30m`, `1.5s`, `250ms`; null when it is none of them. */
export function parseSeconds(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const t = value.trim().toLowerCase();
  const ms = /^(\d+(?:\.\d+)?)\s*ms$/.exec(t);
  if (ms) return Number(ms[1]) / 1000;
  const plain = /^(\d+(?:\.\d+)?)\s*s?$/.exec(t);
  if (plain) return Number(plain[1]);
  return parseDuration(t);
}

/** Seconds as parseSeconds reads them back: 30 → "30s", 300 → "5m", 1.5 → "1.5s", 0.25 → "250ms". */
export function secondsText(seconds: number): string {
  if (Number.isInteger(seconds)) return durationText(seconds);
  const ms = Math.round(seconds * 1e6) / 1e3;
  return seconds < 1 && Number.isInteger(ms) ? `${ms}ms` : `${seconds}s`;
}

/** A name people read for a new check, from what it looks at (tcp: HOST:PORT as typed). */
function defaultName(input: Record<string, unknown>, target: string): string {
  let name = target;
  switch (input.type) {
    case 'http': {
      try {
        const url = new URL(target);
        name = `${url.host}${url.pathname === '/' ? '' : url.pathname}`;
      } catch {
        // The spec's validation says what is wrong with it.
      }
      break;
    }
    case 'dns': name = `DNS ${target}${input.recordType && input.recordType !== 'A' ? ` ${String(input.recordType)}` : ''}`; break;
    case 'ping': name = `ping ${target}`; break;
  }
  return name.slice(0, 120);
}

/** `host:port` or `[v6]:port`; null when there is no port. */
function splitHostPort(text: string): { host: string; port: number } | null {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^\s:[\]]+):(\d+)$/.exec(text);
  return m ? { host: m[1]!, port: Number(m[2]) } : null;
}

/** Zod's issues as lines `LABEL: message`, one per field (the first issue of each). */
function issueLines(issues: readonly { path: readonly PropertyKey[]; message: string }[], label: (path: readonly PropertyKey[]) => string): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const issue of issues) {
    const where = label(issue.path);
    if (seen.has(where)) continue;
    seen.add(where);
    lines.push(`${where}: ${issue.message}`);
  }
  return lines;
}

/** A spec path as the file spells it: `interval`, `conditions[0].text`. */
function filePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(the check)';
  const [first, ...rest] = path;
  const head = typeof first === 'string' ? FILE_KEY_OF[first] ?? first : String(first);
  return head + rest.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
}

/** A spec path as the flag that sets it: `--interval`, `URL`. */
function flagPath(path: readonly PropertyKey[]): string {
  const first = path[0];
  return typeof first === 'string' && FLAG_OF[first] ? FLAG_OF[first] : filePath(path);
}

function durationFlag(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const seconds = parseSeconds(text);
  if (seconds === null) throw new UsageError(`${flag} takes a duration like 30s, 5m or 1.5s, not '${text}'`);
  return seconds;
}

/**
 * Applies the flags given to `input` (a spec, or a new one's start); returns the flags that applied.
 * A flag for another type of check is a usage error.
 */
function applyFlags(input: Record<string, unknown>, type: CheckType, options: CliOptions): string[] {
  const flags = options.checks;
  const given: string[] = [];
  const only = (flag: string, types: readonly CheckType[]) => {
    if (!types.includes(type)) throw new UsageError(`${flag} is for ${types.join(' and ')} checks, and this one is ${type}`);
    given.push(flag);
  };
  const interval = durationFlag(flags.interval, '--interval');
  if (interval !== undefined) { input.intervalSeconds = interval; given.push('--interval'); }
  const timeout = durationFlag(flags.timeout, '--timeout');
  if (timeout !== undefined) { input.timeoutSeconds = timeout; given.push('--timeout'); }
  if (flags.enable && flags.disable) throw new UsageError('give --enable or --disable, not both');
  if (flags.enable || flags.disable) { input.enabled = flags.enable; given.push(flags.enable ? '--enable' : '--disable'); }
  if (flags.maintenance !== undefined) {
    if (flags.maintenance !== 'on' && flags.maintenance !== 'off') {
      throw new UsageError(`--maintenance takes on or off, not '${flags.maintenance}'`);
    }
    input.maintenance = flags.maintenance === 'on';
    given.push('--maintenance');
  }
  if (flags.status !== undefined) { only('--status', ['http']); input.acceptedStatus = flags.status; }
  if (flags.contains.length > 0) {
    only('--contains', ['http']);
    const others = Array.isArray(input.conditions)
      ? (input.conditions as { kind: string }[]).filter((c) => c.kind !== 'body_contains') : [];
    input.conditions = [...others, ...flags.contains.map((text) => ({ kind: 'body_contains', text }))];
  }
  if (flags.server !== undefined) { only('--server', ['dns']); input.server = flags.server === '' ? null : flags.server; }
  if (flags.record !== undefined) { only('--record', ['dns']); input.recordType = flags.record.toUpperCase(); }
  if (flags.from !== undefined) { only('--from', ['http', 'tcp', 'dns']); input.from = flags.from; }
  if (flags.inactiveOk) { only('--inactive-ok', ['systemd']); input.inactiveIsUp = true; }
  if (flags.socket !== undefined) { only('--socket', ['container']); input.socket = flags.socket; }
  if (flags.includeStopped) { only('--include-stopped', ['container']); input.includeStopped = true; }
  if (flags.match !== undefined) {
    only('--match', ['process']);
    if (flags.match !== 'name' && flags.match !== 'command-line') throw new UsageError(`--match takes name or command-line, not '${flags.match}'`);
    input.match = flags.match === 'name' ? 'name' : 'commandLine';
  }
  if (flags.min !== undefined) { only('--min', ['process']); input.minCount = count(flags.min, '--min'); }
  if (flags.max !== undefined) { only('--max', ['process']); input.maxCount = flags.max === 'none' ? null : count(flags.max, '--max'); }
  if (flags.pattern !== undefined) { only('--pattern', ['log']); input.pattern = flags.pattern; }
  const window = durationFlag(flags.window, '--window');
  if (window !== undefined) { only('--window', ['log']); input.windowSeconds = window; }
  if (flags.warning !== undefined) { only('--warning', ['log']); input.warningCount = flags.warning === 'none' ? null : count(flags.warning, '--warning'); }
  if (flags.critical !== undefined) { only('--critical', ['log']); input.criticalCount = count(flags.critical, '--critical'); }
  if (flags.priority !== undefined) { only('--priority', ['log']); input.priority = flags.priority; }
  if (flags.unit !== undefined) { only('--unit', ['log']); input.unit = flags.unit; }
  return given;
}

/** A whole number ≥ 0 given to `flag`; a usage error otherwise. */
function count(text: string, flag: string): number {
  if (!/^\d{1,9}$/.test(text.trim())) throw new UsageError(`${flag} takes a whole number, not '${text}'`);
  return Number(text);
}

function invalid(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Error {
  return new Error(`the check's settings are not valid, nothing was saved:\n${
    issueLines(issues, flagPath).map((l) => `  ${l}`).join('\n')}`);
}

/** A command check must name a command of its host's settings (only those ever run). */
function ensureCommand(store: CliStore, hosts: HostDirectory, spec: CheckSpec): void {
  if (spec.type !== 'command') return;
  const commands = store.hosts.list().find((h) => h.id === spec.host)?.spec?.commands ?? [];
  if (!commands.some((c) => c.name === spec.command)) {
    throw new Error(`${hosts.name(spec.host)} has no command named ${spec.command}: add it first with ` +
      `\`hostwatch hosts edit ${hosts.name(spec.host)} --command ${spec.command}=COMMAND\``);
  }
}

function ensureFree(repository: CheckRepository, hosts: HostDirectory, spec: CheckSpec, self: number | null): void {
  const taken = repository.list().find((c) => c.spec.host === spec.host && c.spec.name === spec.name && c.id !== self);
  if (taken) {
    throw new Error(`${hosts.name(spec.host)} already has a check named ${spec.name}: choose another --name ` +
      '(or change that one with `hostwatch checks edit`)');
  }
}

// ---------------------------------------------------------------------------------------------------
// Commands

function list(options: CliOptions): number {
  const store = openCliStore(options.dataDir, false);
  try {
    const repository = new CheckRepository(store.db);
    const hosts = hostDirectory(store);
    const host = hostFlag(options);
    const hostId = host === undefined ? undefined : resolveHost(hosts, host);
    const checks = repository.list().filter((c) => hostId === undefined || c.spec.host === hostId);
    const last = repository.lastEvents();
    if (options.json) {
      printJson(checks.map((c) => {
        const event = last.get(c.id);
        return {
          id: c.id, createdAt: c.createdAt, hostName: hosts.name(c.spec.host), target: targetText(c.spec),
          state: event?.to ?? null, since: event?.at ?? null, reason: event?.reason ?? null, spec: c.spec,
        };
      }));
      return 0;
    }
    if (checks.length === 0) {
      console.log(host === undefined
        ? 'No checks yet: add one with `hostwatch checks add http https://example.com/`.'
        : `No checks on ${hosts.name(hostId!)}.`);
      return 0;
    }
    const now = Date.now();
    console.log(table(['NAME', 'HOST', 'TYPE', 'TARGET', 'EVERY', 'STATE', 'LAST'], checks.map((c) => {
      const event = last.get(c.id);
      const marks = [!c.spec.enabled && 'disabled', c.spec.maintenance && event?.to !== 'maintenance' && 'maintenance']
        .filter(Boolean).join(', ');
      return [
        c.spec.name, hosts.name(c.spec.host), c.spec.type, targetText(c.spec), secondsText(c.spec.intervalSeconds),
        `${event?.to ?? '—'}${marks ? ` (${marks})` : ''}`,
        event ? `${formatDuration(Math.max(0, now - event.at) / 1000)} ago` : 'no runs yet',
      ];
    })));
    return 0;
  } finally {
    store.close();
  }
}

function add(args: readonly string[], options: CliOptions): number {
  const [type, target, ...extra] = args;
  if (type === undefined || !(CHECK_TYPES as readonly string[]).includes(type)) {
    throw new UsageError(`checks add takes a type and its target: http URL, tcp HOST:PORT, dns NAME, ping HOST, systemd UNIT, process NAME, container NAME, command NAME or log FILE|journal${
      type === undefined ? '' : `, not '${type}'`}`);
  }
  const checkType = type as CheckType;
  if (target === undefined || extra.length > 0) throw new UsageError(`checks add ${type} takes one ${TARGET_WORD[checkType]}`);
  const input: Record<string, unknown> = { type };
  switch (checkType) {
    case 'http': input.url = target; break;
    case 'tcp': {
      const address = splitHostPort(target);
      if (!address) throw new UsageError(`checks add tcp takes HOST:PORT (like db.example.com:5432), not '${target}'`);
      input.target = address.host;
      input.port = address.port;
      break;
    }
    case 'dns': input.query = target; break;
    case 'ping': input.target = target; break;
    case 'systemd': input.unit = target; break;
    case 'process': input.pattern = target; break;
    case 'container': input.container = target; break;
    case 'command': input.command = target; break;
    // Paths are absolute: the word `journal` cannot be one.
    case 'log': if (target === 'journal') input.source = 'journal'; else input.path = target; break;
  }
  applyFlags(input, checkType, options);
  input.name = options.hostName ?? defaultName(input, target);
  const store = openCliStore(options.dataDir, true);
  try {
    const repository = new CheckRepository(store.db);
    const hosts = hostDirectory(store);
    const host = hostFlag(options);
    input.host = host === undefined ? LOCAL : resolveHost(hosts, host);
    const parsed = CheckSpec.safeParse(input);
    if (!parsed.success) throw invalid(parsed.error.issues);
    ensureFree(repository, hosts, parsed.data, null);
    ensureCommand(store, hosts, parsed.data);
    const check = repository.insert(parsed.data);
    if (options.json) printJson(check);
    else {
      console.log(`Added ${check.spec.name} on ${hosts.name(check.spec.host)}: ${check.spec.type} ${targetText(check.spec)} ` +
        `every ${secondsText(check.spec.intervalSeconds)}. A running Hostwatch picks it up at its next poll; ` +
        `\`hostwatch checks run "${check.spec.name}"\` runs it once now.`);
    }
    return 0;
  } finally {
    store.close();
  }
}

function edit(args: readonly string[], options: CliOptions): number {
  if (args.length !== 1) throw new UsageError('checks edit takes one NAME (and --host HOSTNAME when several hosts have one of that name)');
  const store = openCliStore(options.dataDir, false);
  try {
    const repository = new CheckRepository(store.db);
    const hosts = hostDirectory(store);
    const check = findCheck(repository, hosts, args[0]!, options);
    const input: Record<string, unknown> = { ...check.spec };
    const given = applyFlags(input, check.spec.type, options);
    if (options.hostName !== undefined) { input.name = options.hostName; given.push('--name'); }
    if (given.length === 0) {
      throw new UsageError('checks edit changes what you give: --name, --interval, --timeout, --enable, --disable, ' +
        '--maintenance on|off, and --status/--contains (http), --server/--record (dns), --from (http, tcp, dns)');
    }
    const parsed = CheckSpec.safeParse(input);
    if (!parsed.success) throw invalid(parsed.error.issues);
    const changed = Object.keys(parsed.data).filter((key) =>
      JSON.stringify((parsed.data as Record<string, unknown>)[key]) !== JSON.stringify((check.spec as Record<string, unknown>)[key]));
    if (changed.length === 0) {
      console.log(`Nothing changed: ${check.spec.name} has these settings already.`);
      return 0;
    }
    ensureFree(repository, hosts, parsed.data, check.id);
    ensureCommand(store, hosts, parsed.data);
    const saved = repository.update(check.id, parsed.data);
    if (options.json) printJson(saved);
    else console.log(`Saved ${saved.spec.name} on ${hosts.name(saved.spec.host)} (changed ${changed.map((k) => FILE_KEY_OF[k] ?? k).join(', ')}).`);
    return 0;
  } finally {
    store.close();
  }
}

function remove(args: readonly string[], options: CliOptions): number {
  if (args.length !== 1) throw new UsageError('checks remove takes one NAME (and --host HOSTNAME when several hosts have one of that name)');
  const store = openCliStore(options.dataDir, false);
  try {
    const repository = new CheckRepository(store.db);
    const hosts = hostDirectory(store);
    const check = findCheck(repository, hosts, args[0]!, options);
    repository.delete(check.id);
    if (options.json) printJson({ id: check.id, deleted: true });
    else console.log(`Removed ${check.spec.name} from ${hosts.name(check.spec.host)}, with its state history.`);
    return 0;
  } finally {
    store.close();
  }
}

/**
 * Runs a check once from this process with the engine's runners and deadline (the scheduler's "test
 * now"), storing nothing. Exit 0 when up or degraded, 1 when down, 2 when it cannot run from here.
 */
async function run(args: readonly string[], options: CliOptions): Promise<number> {
  if (args.length !== 1) throw new UsageError('checks run takes one NAME');
  let check: Check;
  let hostName: string;
  const store = openCliStore(options.dataDir, false);
  try {
    const hosts = hostDirectory(store);
    check = findCheck(new CheckRepository(store.db), hosts, args[0]!, options);
    hostName = hosts.name(check.spec.host);
  } finally {
    store.close();
  }
  const { spec } = check;
  const onHost = HOST_CHECK_TYPES.includes(spec.type);
  if (spec.host !== LOCAL && (onHost || ('from' in spec && spec.from === 'host'))) {
    console.error(`hostwatch: ${spec.name} runs ${onHost ? 'on' : 'from'} ${hostName} through its SSH connection, which only the app or ` +
      '`hostwatch serve` holds: it cannot run from the command line (see its state with `hostwatch checks list`)');
    return 2;
  }
  const scheduler = new CheckScheduler({
    runners: defaultRunners(),
    contextFor: (_check, signal, timeoutMs) => localContext(timeoutMs, signal),
    onRun: () => {},
    concurrency: 1,
  });
  const { result, outcome } = await scheduler.test(check);
  if (options.json) {
    printJson({ id: check.id, name: spec.name, host: hostName, type: spec.type, target: targetText(spec), ran: outcome !== null, result });
  } else {
    printResult(check, hostName, result, outcome !== null);
  }
  return result.status === 'down' ? 1 : 0;
}

function printResult(check: Check, hostName: string, result: CheckResult, ran: boolean): void {
  const { spec } = check;
  const line = (label: string, text: string) => console.log(`  ${label.padEnd(13)}${text}`);
  console.log(`${spec.name} on ${hostName} (${spec.type} ${targetText(spec)}): ${ran ? result.status : 'could not run'}`);
  if (result.reason) line('reason', result.reason);
  line('took', seconds(result.durationSeconds));
  const d = result.details;
  if (d.statusCode !== undefined) line('status code', String(d.statusCode));
  if (d.certificate) {
    const c = d.certificate;
    const days = (c.earliestExpiry - Date.now()) / 86_400_000;
    line('certificate', `${c.subject}, issued by ${c.issuer}`);
    line('', `${days < 0 ? `expired ${dayCount(-days)} ago` : `expires in ${dayCount(days)}`} (${formatTime(c.earliestExpiry)})${
      c.trusted === false ? `; not trusted${c.error ? `: ${c.error}` : ''}` : c.trusted ? '; trusted' : ''}`);
  }
  for (const dep of d.dependencies ?? []) {
    line('dependency', `${dep.name}: ${dep.status}${dep.latencySeconds !== null ? `, ${seconds(dep.latencySeconds)}` : ''}${
      dep.message ? ` (${dep.message})` : ''}`);
  }
  if (d.answers !== undefined || d.rcode !== undefined) {
    line('answers', `${d.answers && d.answers.length > 0 ? d.answers.join(', ') : 'none'}${d.rcode ? ` (${d.rcode})` : ''}`);
  }
  if (d.sent !== undefined) line('answered', `${d.received ?? 0} of ${d.sent}`);
  if (d.rttSeconds !== undefined) line('round trip', `${seconds(d.rttSeconds)} on average`);
  if (result.status !== 'up' && result.excerpt) {
    const text = result.excerpt.replace(/\s+/g, ' ').trim();
    if (text) line('response', text.length > 200 ? `${text.slice(0, 200)}…` : text);
  }
}

/** Days as people count them near a deadline: "1.6 days", "1 day"; whole days from 10 on ("364 days"). */
function dayCount(days: number): string {
  const text = days < 10 ? days.toFixed(1).replace(/\.0$/, '') : String(Math.floor(days));
  return `${text} ${text === '1' ? 'day' : 'days'}`;
}

/** A run's duration: "0.05 ms", "2.4 ms", "12 ms", "1.25 s". */
function seconds(value: number): string {
  if (value >= 1) return `${value.toFixed(2)} s`;
  const ms = value * 1000;
  return `${ms.toFixed(ms < 1 ? 2 : ms < 10 ? 1 : 0)} ms`;
}

// ---------------------------------------------------------------------------------------------------
// Files

/**
 * A spec as the file writes it: name, type, host by name (left out for this machine), what it checks,
 * then when it runs; defaults left out.
 */
function fileItem(spec: CheckSpec, hosts: HostDirectory): Record<string, unknown> {
  const out: Record<string, unknown> = { name: spec.name, type: spec.type };
  if (spec.host !== LOCAL) out.host = hosts.name(spec.host);
  const shape = CHECK_SCHEMAS[spec.type].shape as Record<string, z.ZodType>;
  const common = (key: string) => key in checkCommon;
  const keys = [...Object.keys(shape).filter((k) => !common(k)), ...Object.keys(shape).filter(common)];
  for (const key of keys) {
    const field = shape[key]!;
    if (key === 'name' || key === 'type' || key === 'host') continue;
    const value = (spec as Record<string, unknown>)[key];
    const fallback = field.safeParse(undefined);
    if (fallback.success && JSON.stringify(fallback.data) === JSON.stringify(value)) continue;
    const fileKey = FILE_KEY_OF[key];
    if (fileKey !== undefined) out[fileKey] = typeof value === 'number' ? secondsText(value) : value;
    else out[key] = value;
  }
  return out;
}

/** One item of a file as a spec, or what is wrong with it (field paths as the file spells them). */
function specOfItem(item: unknown, hosts: HostDirectory): { spec: CheckSpec } | { problems: string[] } {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return { problems: ['expected a check: a mapping with name, type and its settings'] };
  }
  const input: Record<string, unknown> = { ...(item as Record<string, unknown>) };
  const problems: string[] = [];
  if (!(CHECK_TYPES as readonly unknown[]).includes(input.type)) {
    const what = input.type === undefined ? 'missing' : `'${String(input.type)}' is not a check type`;
    return { problems: [`type: ${what}; give one of ${CHECK_TYPES.join(', ')}`] };
  }
  const shape = CHECK_SCHEMAS[input.type as CheckType].shape;
  for (const [fileKey, specKey] of Object.entries(DURATION_KEYS)) {
    if (!(fileKey in input)) continue;
    const value = input[fileKey];
    delete input[fileKey];
    if (specKey in input) {
      problems.push(`${fileKey}: give ${fileKey} or ${specKey}, not both`);
    } else if (!(specKey in shape)) {
      problems.push(`${fileKey}: not a setting of ${String(input.type)} checks`);
    } else if (value === null && NULLABLE.has(specKey)) {
      input[specKey] = null;
    } else {
      const seconds = parseSeconds(value);
      if (seconds === null) problems.push(`${fileKey}: '${String(value)}' is not a duration like 30s, 5m or 1.5s`);
      else input[specKey] = seconds;
    }
  }
  if ('host' in input) {
    if (typeof input.host !== 'string') problems.push('host: give the name of a host');
    else {
      const id = hosts.resolve(input.host);
      if (id === null) problems.push(`host: no host named ${input.host} (see \`hostwatch hosts list\`)`);
      else input.host = id;
    }
  }
  for (const key of Object.keys(input)) {
    if (!(key in shape)) problems.push(`${key}: not a setting of ${String(input.type)} checks`);
  }
  if (problems.length > 0) return { problems };
  const parsed = CheckSpec.safeParse(input);
  if (!parsed.success) return { problems: issueLines(parsed.error.issues, filePath) };
  return { spec: parsed.data };
}

const CheckFile = z.union([z.array(z.unknown()), z.object({ checks: z.array(z.unknown()) })]);

function exportChecks(options: CliOptions): number {
  const store = openCliStore(options.dataDir, false);
  try {
    const hosts = hostDirectory(store);
    const checks = new CheckRepository(store.db).list().map((c) => fileItem(c.spec, hosts));
    if (options.json) printJson({ checks });
    else process.stdout.write(stringify({ checks }));
    return 0;
  } finally {
    store.close();
  }
}

function importChecks(file: string, options: CliOptions): number {
  let document: unknown;
  try {
    document = parse(readFileSync(file === '-' ? 0 : file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
  const shape = CheckFile.safeParse(document);
  if (!shape.success) throw new Error(`${file}: expected a list of checks or { checks: [...] }`);
  const items = Array.isArray(shape.data) ? shape.data : shape.data.checks;
  const store = openCliStore(options.dataDir, true);
  try {
    const repository = new CheckRepository(store.db);
    const hosts = hostDirectory(store);
    const specs: CheckSpec[] = [];
    const problems: string[] = [];
    const invalidItems = new Set<number>();
    const seen = new Map<string, number>();
    items.forEach((item, index) => {
      const named = typeof item === 'object' && item !== null && 'name' in item ? ` (${String(item.name)})` : '';
      const where = `item ${index + 1}${named}`;
      const result = specOfItem(item, hosts);
      if ('problems' in result) {
        for (const problem of result.problems) problems.push(`  ${where}: ${problem}`);
        invalidItems.add(index);
        return;
      }
      const key = `${result.spec.host}\u0000${result.spec.name}`;
      const first = seen.get(key);
      if (first !== undefined) {
        problems.push(`  ${where}: name: item ${first} has the same name on the same host`);
        invalidItems.add(index);
        return;
      }
      seen.set(key, index + 1);
      try {
        ensureCommand(store, hosts, result.spec);
      } catch (error) {
        problems.push(`  ${where}: command: ${(error as Error).message}`);
        invalidItems.add(index);
        return;
      }
      specs.push(result.spec);
    });
    if (problems.length > 0) {
      throw new Error(`${file}: nothing imported, ${invalidItems.size} invalid check(s):\n${problems.join('\n')}`);
    }
    let added = 0;
    let changed = 0;
    let unchanged = 0;
    store.db.transaction(() => {
      const existing = new Map(repository.list().map((c) => [`${c.spec.host}\u0000${c.spec.name}`, c]));
      for (const spec of specs) {
        const check = existing.get(`${spec.host}\u0000${spec.name}`);
        if (check === undefined) {
          repository.insert(spec);
          added++;
        } else if (JSON.stringify(check.spec) === JSON.stringify(spec)) {
          unchanged++;
        } else {
          repository.update(check.id, spec);
          changed++;
        }
      }
    })();
    if (options.json) printJson({ added, changed, unchanged });
    else console.log(`Imported ${specs.length} check(s) from ${file}: ${added} added, ${changed} changed, ${unchanged} unchanged.`);
    return 0;
  } finally {
    store.close();
  }
}
