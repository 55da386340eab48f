/**
 * The `hostwatch` command line: the headless user's interface and the tests' most stable handle on
 * the engine. `serve` runs the engine with the browser UI; the other commands read (or, for
 * `rules import`, write) the same database and work while `serve` or the app runs.
 */
import { parseArgs } from 'node:util';
import { runAlerts } from './cli/alerts.ts';
import { runSilences } from './cli/silences.ts';
import { runMaintenance } from './cli/maintenance.ts';
import { runChecks } from './cli/checks.ts';
import { runMetrics } from './cli/metrics.ts';
import { runCleanup } from './cli/cleanup.ts';
import { runHosts } from './cli/hosts.ts';
import { runRules } from './cli/rules.ts';
import { runServe } from './cli/serve.ts';
import { runStatus } from './cli/status.ts';
import { runStorage } from './cli/storage.ts';
import { runReport } from './cli/report.ts';
import { UsageError } from './cli/usage.ts';
import { defaultDataDir, packageVersion } from './paths.ts';

const USAGE = `Usage: hostwatch <command> [options]

Commands:
  serve [--port N] [--host 127.0.0.1] [--interval SECONDS] [--secret-key-file FILE]
                        run the engine and serve the UI to a browser (prints the URL with its token);
                        --interval polls every host at that rate for this run, over their saved intervals;
                        --secret-key-file keeps host passwords stored, encrypted with the key in FILE
                        (made if missing); without it they are kept in memory until serve stops
  status [--json]       hosts, their latest values and firing alerts
  metrics [--json]      every series with its latest value
  alerts list [--json] [--state pending|firing|resolved] [--severity info|warning|critical] [--limit N]
                        alert history, newest first
  silences add MATCHER... [--duration 2h] [--comment TEXT] [--author NAME]
                        silence the alerts the matchers match (host=web1 alertname="Host down"
                        severity!=info mountpoint=~"/var.*"): they notify nobody until it ends
  silences list [--json] | silences expire ID
  maintenance add NAME MATCHER... (--from TIME --to TIME | --weekly mon,fri --start 02:00 --end 04:00 [--tz ZONE])
                        a window when the matched alerts notify nobody: once, or every week on those
                        days between those times of the zone (default this machine's)
  maintenance list [--json] | maintenance remove ID
  rules list [--json]   alert rules
  rules export [--json] rules as YAML (or JSON), ready for import
  rules import FILE     add the rules of a YAML or JSON file
  rules test FILE       check a rules file: each problem with its line and column (exit 1 when any)
  checks list [--json] [--host NAME]
                        service checks with their newest state (from their history) and since when
  checks add http URL | tcp HOST:PORT | dns NAME | ping HOST | systemd UNIT | process NAME
             | container NAME|'*' | command NAME | log FILE|journal [--name NAME] [--host HOSTNAME]
             [--interval 30s] [--timeout 5s] [--from here|host] [--status 200-299] [--contains TEXT]...
             [--server ADDRESS] [--record A|AAAA|CNAME|MX|TXT] [--disable] [--maintenance on]
                        add a check (http: --status, --contains; dns: --server, --record; http, tcp and
                        dns: --from host runs it through the host's SSH connection; systemd: --inactive-ok;
                        process: --match name|command-line, --min N, --max N, NAME a pattern for
                        command-line; container: --socket PATH, --include-stopped with '*'; command: a
                        command of the host's settings (hosts edit --command); log: --pattern RE,
                        --window 5m, --warning N, --critical N, and for the journal --priority err,
                        --unit UNIT). systemd, process, container, command and log checks look at
                        what runs on their --host
  checks edit NAME [--host HOSTNAME] [--name NEW] [--interval …] [--timeout …] [--enable | --disable]
             [--maintenance on|off] [the type's flags]
                        change only what is given
  checks remove NAME [--host HOSTNAME]
  checks run NAME [--host HOSTNAME] [--json]
                        run it once now from here and print what it found (exit 1 when down)
  checks export [--json] checks as YAML (or JSON), ready for import
  checks import FILE    add or replace (same host and name) the checks of a YAML or JSON file
  cleanup [--days N]    delete history older than each tier's retention now (the engine does it daily);
                        --days N keeps N days of raw samples in this pass
  storage [--raw DAYS] [--minute DAYS] [--hour DAYS] [--json]
                        database size, each host's share, retention per tier (raw samples 14 days,
                        1-minute rollups 90, 1-hour rollups 730 by default); the flags set it
  report [--range 24h|7d|30d|DURATION | --from TIME --to TIME] [--host NAME]... [--format html|pdf|md|json|csv]
         [--out FILE]   a health report of the range (default the last 24 h) for the hosts (default all),
                        written to FILE (default hostwatch-report-DATE.FORMAT here; - for stdout);
                        pdf needs Chromium, Chrome or Edge (or HOSTWATCH_CHROMIUM)
  hosts list [--json]   the watched hosts
  hosts add ssh://user@host:port [--name NAME] [--identity FILE] [--jump user@bastion:port]...
            [--auth auto|agent|identity|password|keyboard-interactive] [--interval SECONDS]
            [--command NAME=COMMAND]... [--no-command NAME]...
            [--password-stdin --secret-key-file FILE] [--accept-new | --fingerprint SHA256:...]
                        connect (verifying the host key as ssh does), log in, take a first snapshot, save
  hosts edit NAME [ssh://user@host:port] [the same options]
  hosts import-ssh-config [FILE] [--accept-new] [--json]
                        add the hosts of an OpenSSH client config (default ~/.ssh/config) not watched yet,
                        each verified as by hosts add; prints added / exists / failed / skipped per alias
  hosts remove NAME [--keep-history]
  hosts restrict-key NAME
                        print the authorized_keys line that pins NAME's key to the read-only report loop

Options for every command:
  --data-dir DIR        the database folder (default ${defaultDataDir()})
  --help, --version`;

/** The options every command accepts; commands read what they need. */
export interface CliOptions {
  dataDir: string;
  json: boolean;
  port: number;
  /** serve: the address to bind. */
  host: string;
  /** report: --host, repeatable: the hosts to report on (names or ids). */
  hosts: string[];
  /** `serve --interval`: every host's interval for this run; undefined keeps the saved ones. */
  intervalSeconds: number | undefined;
  state: string | undefined;
  severity: string | undefined;
  limit: number;
  /** The key file that seals stored secrets (serve, hosts add/edit). */
  secretKeyFile: string | undefined;
  /** hosts add/edit: --name, --identity, --jump (repeatable), --auth, --password-stdin. */
  hostName: string | undefined;
  identity: string | undefined;
  jump: string[];
  /** maintenance add: the days (`mon,fri`), wall-clock start and end (`02:00`), time zone (default this machine's). */
  maintenance: { weekly: string | undefined; start: string | undefined; end: string | undefined; timeZone: string | undefined };
  /** silences add: how long (`2h`), why, and who (default the OS user). */
  silence: { duration: string | undefined; comment: string | undefined; author: string | undefined };
  /** hosts add/edit: --command NAME=COMMAND (repeatable) sets one, --no-command NAME removes one. */
  commands: { set: string[]; remove: string[] };
  auth: string | undefined;
  passwordStdin: boolean;
  /** hosts add/edit: trust an unknown host key on first use, or only the one with this fingerprint. */
  acceptNew: boolean;
  fingerprint: string | undefined;
  /** hosts remove: keep the host's samples and alerts. */
  keepHistory: boolean;
  /** cleanup: days of raw samples to keep. */
  days: number | undefined;
  /** report: --range, --from, --to, --format, --out as given. */
  report: { range: string | undefined; from: string | undefined; to: string | undefined; format: string | undefined; out: string | undefined };
  /** storage: new retention per tier, days; undefined keeps a tier's. */
  retention: { raw: number | undefined; minute: number | undefined; hour: number | undefined };
  /**
   * checks add/edit: the flags as given, durations as text (`--interval 30s`; for `checks`, --interval is
   * not read as serve's whole seconds); --from is `here` or `host` there.
   */
  checks: {
    interval: string | undefined;
    timeout: string | undefined;
    status: string | undefined;
    contains: string[];
    server: string | undefined;
    record: string | undefined;
    from: string | undefined;
    enable: boolean;
    disable: boolean;
    maintenance: string | undefined;
    /** container: --socket, --include-stopped; process: --match, --min, --max; log: --window, --warning, --critical, --priority, --unit; process and log: --pattern; systemd: --inactive-ok. */
    socket: string | undefined;
    match: string | undefined;
    min: string | undefined;
    max: string | undefined;
    pattern: string | undefined;
    window: string | undefined;
    warning: string | undefined;
    critical: string | undefined;
    priority: string | undefined;
    unit: string | undefined;
    inactiveOk: boolean;
    includeStopped: boolean;
  };
}

/**
 * Runs the command line `argv` (without node and script) and resolves to the exit code:
 * 0 success, 1 failure, 2 usage error. Output goes to stdout, errors to stderr.
 */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
        port: { type: 'string', default: '0' },
        host: { type: 'string', multiple: true, default: [] },
        interval: { type: 'string' },
        state: { type: 'string' },
        severity: { type: 'string' },
        limit: { type: 'string', default: '50' },
        'secret-key-file': { type: 'string' },
        name: { type: 'string' },
        identity: { type: 'string' },
        jump: { type: 'string', multiple: true, default: [] },
        command: { type: 'string', multiple: true, default: [] },
        'no-command': { type: 'string', multiple: true, default: [] },
        auth: { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
        'accept-new': { type: 'boolean', default: false },
        fingerprint: { type: 'string' },
        'keep-history': { type: 'boolean', default: false },
        days: { type: 'string' },
        range: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        raw: { type: 'string' },
        minute: { type: 'string' },
        hour: { type: 'string' },
        timeout: { type: 'string' },
        status: { type: 'string' },
        contains: { type: 'string', multiple: true, default: [] },
        server: { type: 'string' },
        record: { type: 'string' },
        enable: { type: 'boolean', default: false },
        disable: { type: 'boolean', default: false },
        maintenance: { type: 'string' },
        socket: { type: 'string' },
        duration: { type: 'string' },
        weekly: { type: 'string' },
        start: { type: 'string' },
        end: { type: 'string' },
        tz: { type: 'string' },
        comment: { type: 'string' },
        author: { type: 'string' },
        match: { type: 'string' },
        min: { type: 'string' },
        max: { type: 'string' },
        pattern: { type: 'string' },
        window: { type: 'string' },
        warning: { type: 'string' },
        critical: { type: 'string' },
        priority: { type: 'string' },
        unit: { type: 'string' },
        'inactive-ok': { type: 'boolean', default: false },
        'include-stopped': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    console.error(`hostwatch: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    console.log(packageVersion());
    return 0;
  }
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    console.log(USAGE);
    return values.help || command === 'help' ? 0 : 2;
  }
  try {
    const options: CliOptions = {
      dataDir: values['data-dir'] ?? defaultDataDir(),
      json: values.json,
      port: integer(values.port, '--port', 0, 65535),
      host: values.host.at(-1) ?? '127.0.0.1',
      hosts: values.host,
      intervalSeconds: values.interval === undefined || command === 'checks'
        ? undefined : integer(values.interval, '--interval', 1, 3600),
      state: values.state,
      severity: values.severity,
      limit: integer(values.limit, '--limit', 1, 1000),
      secretKeyFile: values['secret-key-file'],
      hostName: values.name,
      identity: values.identity,
      jump: values.jump,
      commands: { set: values.command, remove: values['no-command'] },
      silence: { duration: values.duration, comment: values.comment, author: values.author },
      maintenance: { weekly: values.weekly, start: values.start, end: values.end, timeZone: values.tz },
      auth: values.auth,
      passwordStdin: values['password-stdin'],
      acceptNew: values['accept-new'],
      fingerprint: values.fingerprint,
      keepHistory: values['keep-history'],
      days: values.days === undefined ? undefined : integer(values.days, '--days', 1, 36_500),
      report: { range: values.range, from: values.from, to: values.to, format: values.format, out: values.out },
      retention: {
        raw: values.raw === undefined ? undefined : integer(values.raw, '--raw', 1, 3660),
        minute: values.minute === undefined ? undefined : integer(values.minute, '--minute', 1, 3660),
        hour: values.hour === undefined ? undefined : integer(values.hour, '--hour', 1, 36_600),
      },
      checks: {
        interval: values.interval, timeout: values.timeout, status: values.status, contains: values.contains,
        server: values.server, record: values.record, from: values.from, enable: values.enable,
        disable: values.disable, maintenance: values.maintenance, socket: values.socket, match: values.match,
        min: values.min, max: values.max, pattern: values.pattern, window: values.window, warning: values.warning,
        critical: values.critical, priority: values.priority, unit: values.unit, inactiveOk: values['inactive-ok'],
        includeStopped: values['include-stopped'],
      },
    };
    switch (command) {
      case 'serve': return await runServe(options);
      case 'status': return runStatus(options);
      case 'metrics': return runMetrics(options);
      case 'alerts': return runAlerts(rest, options);
      case 'silences': return runSilences(rest, options);
      case 'maintenance': return runMaintenance(rest, options);
      case 'rules': return runRules(rest, options);
      case 'checks': return await runChecks(rest, options);
      case 'hosts': return await runHosts(rest, options);
      case 'cleanup': return await runCleanup(options);
      case 'storage': return runStorage(options);
      case 'report': return await runReport(options);
      default: throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`hostwatch: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    console.error(`hostwatch: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

function integer(text: string, flag: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} takes a whole number from ${min} to ${max}, not '${text}'`);
  }
  return value;
}

// Run directly (`node electron/core/cli.ts …` in a checkout); bin/hostwatch.js imports main instead.
if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
