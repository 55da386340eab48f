/**
 * `hostwatch checks …` as a user runs it: the built bin against a real database in a temp folder. Adds
 * each type, lists, edits, removes; refuses bad input without writing; export → import changes nothing;
 * `run` runs a check once against a real HTTP server and a closed port; and a running `serve` picks up
 * a check the CLI added and runs it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { CheckStatus } from '../../shared/checks/index.ts';
import { openDatabase } from '../../electron/core/store/database.ts';
import { HostRepository } from '../../electron/core/store/hosts.ts';
import { HostSpec } from '../../shared/hosts.ts';
import { BIN, hostwatch, serve, tempDataDir, type Served } from '../support/serve.ts';
import { makeTestCerts, opensslSkipReason } from '../support/tls-certs.ts';
import { connect } from '../support/ws-client.ts';

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  try {
    return { code: 0, stdout: execFileSync(process.execPath, [BIN, ...args], { encoding: 'utf8', stdio: 'pipe' }), stderr: '' };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { code: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

/**
 * `run` without blocking this process: the HTTP server the check talks to lives here, and execFileSync
 * would hold its event loop.
 */
function runAsync(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', env }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

interface Listed { id: number; hostName: string; target: string; state: string | null; since: number | null; spec: Record<string, unknown> }
const listed = (dir: string, ...extra: string[]): Listed[] =>
  JSON.parse(hostwatch(['checks', 'list', '--json', '--data-dir', dir, ...extra]));

/** A remote host row (no connection is made: the CLI only needs its name). */
function addRemoteHost(dir: string, name: string, commands: { name: string; command: string }[] = []): string {
  hostwatch(['rules', 'list', '--data-dir', dir]); // makes the database
  const db = openDatabase(join(dir, 'hostwatch.db'));
  try {
    return new HostRepository(db).addRemote(HostSpec.parse({ name, address: `${name}.example.invalid`, user: 'ops', commands }), null).id;
  } finally {
    db.close();
  }
}

let web: Server;
let port: number;
/** A port nothing listens on. */
let closedPort: number;
const running: Served[] = [];

before(async () => {
  web = createServer((req, res) => {
    if (req.url === '/ok') return void res.end('all good');
    if (req.url === '/busy') {
      res.statusCode = 503;
      return void res.end('maintenance in progress');
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  port = (web.address() as AddressInfo).port;
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});

after(async () => {
  for (const s of running) await s.stop();
  web.close();
});

test('add each type, list it as text and JSON, edit and remove', () => {
  const dir = tempDataDir();
  assert.match(hostwatch(['checks', 'add', 'http', 'https://example.com/health', '--interval', '30s', '--timeout', '5s',
    '--status', '200-299,301', '--contains', 'ok', '--data-dir', dir]), /Added example\.com\/health on .*every 30s/);
  hostwatch(['checks', 'add', 'tcp', 'db.example.com:5432', '--name', 'Postgres', '--timeout', '1.5s', '--data-dir', dir]);
  hostwatch(['checks', 'add', 'dns', 'example.com', '--server', '1.1.1.1', '--record', 'mx', '--interval', '5m', '--data-dir', dir]);
  hostwatch(['checks', 'add', 'ping', '192.168.1.1', '--interval', '1m30s', '--disable', '--data-dir', dir]);

  const checks = listed(dir);
  assert.deepEqual(checks.map((c) => c.spec.name), ['DNS example.com MX', 'Postgres', 'example.com/health', 'ping 192.168.1.1']);
  const byName = new Map(checks.map((c) => [c.spec.name, c]));
  const http = byName.get('example.com/health')!;
  assert.equal(http.spec.type, 'http');
  assert.equal(http.spec.host, 'local');
  assert.equal(http.spec.intervalSeconds, 30);
  assert.equal(http.spec.timeoutSeconds, 5);
  assert.equal(http.spec.acceptedStatus, '200-299,301');
  assert.deepEqual(http.spec.conditions, [{ kind: 'body_contains', text: 'ok' }]);
  assert.equal(http.state, null, 'never ran');
  assert.equal(http.target, 'https://example.com/health');
  const tcp = byName.get('Postgres')!;
  assert.deepEqual([tcp.spec.target, tcp.spec.port, tcp.spec.timeoutSeconds, tcp.target], ['db.example.com', 5432, 1.5, 'db.example.com:5432']);
  const dns = byName.get('DNS example.com MX')!;
  assert.deepEqual([dns.spec.query, dns.spec.recordType, dns.spec.server, dns.spec.intervalSeconds], ['example.com', 'MX', '1.1.1.1', 300]);
  const ping = byName.get('ping 192.168.1.1')!;
  assert.deepEqual([ping.spec.target, ping.spec.intervalSeconds, ping.spec.enabled], ['192.168.1.1', 90, false]);

  const text = hostwatch(['checks', 'list', '--data-dir', dir]);
  const lines = text.trimEnd().split('\n');
  assert.match(lines[0]!, /^NAME +HOST +TYPE +TARGET +EVERY +STATE +LAST$/);
  assert.equal(lines.length, 5);
  assert.match(text, /Postgres +\S.* +tcp +db\.example\.com:5432 +1m +— +no runs yet/);
  assert.match(text, /DNS example\.com MX .* dns +MX example\.com @ 1\.1\.1\.1 +5m/);
  assert.match(text, /ping 192\.168\.1\.1 .* 1m30s +— \(disabled\) +no runs yet/);

  assert.match(hostwatch(['checks', 'edit', 'Postgres', '--interval', '10s', '--maintenance', 'on', '--name', 'Database', '--data-dir', dir]),
    /Saved Database .*changed name, interval, maintenance/);
  const edited = listed(dir).find((c) => c.id === tcp.id)!;
  assert.deepEqual(
    { ...edited.spec },
    { ...tcp.spec, name: 'Database', intervalSeconds: 10, maintenance: true },
    'only what was given changed',
  );
  hostwatch(['checks', 'edit', 'ping 192.168.1.1', '--enable', '--data-dir', dir]);
  assert.equal(listed(dir).find((c) => c.id === ping.id)!.spec.enabled, true);
  assert.match(hostwatch(['checks', 'edit', 'database', '--interval', '10s', '--data-dir', dir]), /Nothing changed/, 'names match regardless of case');

  assert.match(hostwatch(['checks', 'remove', 'Database', '--data-dir', dir]), /Removed Database/);
  assert.deepEqual(listed(dir).map((c) => c.spec.name), ['DNS example.com MX', 'example.com/health', 'ping 192.168.1.1']);
});

test('bad input is refused with the field in words, and nothing is written', () => {
  const dir = tempDataDir();
  hostwatch(['checks', 'add', 'http', 'http://127.0.0.1:9/', '--name', 'Web', '--data-dir', dir]);
  const before = hostwatch(['checks', 'list', '--json', '--data-dir', dir]);

  const badUrl = run(['checks', 'add', 'http', 'ftp://example.com/', '--data-dir', dir]);
  assert.equal(badUrl.code, 1);
  assert.match(badUrl.stderr, /nothing was saved/);
  assert.match(badUrl.stderr, /URL: Enter an http:\/\/ or https:\/\/ address/);

  const badTimes = run(['checks', 'add', 'tcp', 'db:5432', '--interval', '0.5s', '--timeout', '10m', '--data-dir', dir]);
  assert.equal(badTimes.code, 1);
  assert.match(badTimes.stderr, /--interval: Checks run at most once a second\n {2}--timeout: At most 300 s/);

  const badPort = run(['checks', 'add', 'tcp', 'db:70000', '--data-dir', dir]);
  assert.equal(badPort.code, 1);
  assert.match(badPort.stderr, /PORT: Ports go from 1 to 65535/);

  const noPort = run(['checks', 'add', 'tcp', 'db.example.com', '--data-dir', dir]);
  assert.equal(noPort.code, 2);
  assert.match(noPort.stderr, /HOST:PORT/);

  const unknownHost = run(['checks', 'add', 'ping', '10.0.0.1', '--host', 'nowhere', '--data-dir', dir]);
  assert.equal(unknownHost.code, 1);
  assert.match(unknownHost.stderr, /no host named nowhere/);

  const taken = run(['checks', 'add', 'http', 'https://example.org/', '--name', 'Web', '--data-dir', dir]);
  assert.equal(taken.code, 1);
  assert.match(taken.stderr, /already has a check named Web: choose another --name/);

  const wrongFlag = run(['checks', 'add', 'ping', '10.0.0.1', '--status', '200', '--data-dir', dir]);
  assert.equal(wrongFlag.code, 2);
  assert.match(wrongFlag.stderr, /--status is for http checks/);

  const badDuration = run(['checks', 'edit', 'Web', '--interval', 'soon', '--data-dir', dir]);
  assert.equal(badDuration.code, 2);
  assert.match(badDuration.stderr, /--interval takes a duration like 30s/);

  const missing = run(['checks', 'remove', 'Nope', '--data-dir', dir]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no check named Nope/);

  const badType = run(['checks', 'add', 'smtp', 'mail:25', '--data-dir', dir]);
  assert.equal(badType.code, 2);

  assert.equal(hostwatch(['checks', 'list', '--json', '--data-dir', dir]), before);
});

test('a name on several hosts needs --host; checks belong to hosts by name', () => {
  const dir = tempDataDir();
  addRemoteHost(dir, 'web1');
  hostwatch(['checks', 'add', 'tcp', 'localhost:5432', '--name', 'Postgres', '--data-dir', dir]);
  hostwatch(['checks', 'add', 'tcp', 'localhost:5432', '--name', 'Postgres', '--host', 'web1', '--from', 'host', '--data-dir', dir]);
  assert.deepEqual(listed(dir, '--host', 'web1').map((c) => [c.hostName, c.spec.host, c.spec.from]), [['web1', 'web1', 'host']]);
  assert.match(hostwatch(['checks', 'list', '--host', 'web1', '--data-dir', dir]), /Postgres +web1 +tcp +localhost:5432/);

  const ambiguous = run(['checks', 'remove', 'Postgres', '--data-dir', dir]);
  assert.equal(ambiguous.code, 1);
  assert.match(ambiguous.stderr, /on several hosts \(.*web1.*\): add --host NAME/);

  const remote = run(['checks', 'run', 'Postgres', '--host', 'web1', '--data-dir', dir]);
  assert.equal(remote.code, 2);
  assert.match(remote.stderr, /through its SSH connection.*`hostwatch serve`/);

  hostwatch(['checks', 'remove', 'Postgres', '--host', 'web1', '--data-dir', dir]);
  assert.deepEqual(listed(dir).map((c) => c.spec.host), ['local']);
});

test('checks of what runs on a host: each type added with its flags, exported and imported the same; run here only', () => {
  const dir = tempDataDir();
  addRemoteHost(dir, 'web1', [{ name: 'check_queue', command: '/usr/lib/nagios/plugins/check_queue -w 100' }]);
  const add = (...args: string[]) => hostwatch(['checks', 'add', ...args, '--data-dir', dir]);
  add('systemd', 'nginx.service', '--host', 'web1', '--inactive-ok');
  add('process', 'gunicorn: worker', '--match', 'command-line', '--min', '2', '--max', '8', '--host', 'web1');
  add('container', '*', '--socket', '/run/podman/podman.sock', '--include-stopped', '--host', 'web1');
  add('command', 'check_queue', '--host', 'web1');
  add('log', '/var/log/app/error.log', '--pattern', '^ERROR', '--window', '5m', '--warning', '3', '--critical', '10', '--host', 'web1');
  add('log', 'journal', '--priority', 'warning', '--unit', 'nginx.service', '--name', 'nginx warnings', '--host', 'web1');
  const specs = Object.fromEntries(listed(dir).map((c) => [c.spec.type === 'log' ? c.spec.name : c.spec.type, c.spec]));
  assert.deepEqual(Object.keys(specs).sort(), ['/var/log/app/error.log', 'command', 'container', 'nginx warnings', 'process', 'systemd']);
  assert.deepEqual([specs.systemd!.type === 'systemd' && specs.systemd!.inactiveIsUp], [true]);
  const proc = specs.process!;
  assert.ok(proc.type === 'process' && proc.match === 'commandLine' && proc.minCount === 2 && proc.maxCount === 8 && proc.pattern === 'gunicorn: worker');
  const containers = specs.container!;
  assert.ok(containers.type === 'container' && containers.container === '*' && containers.socket === '/run/podman/podman.sock' && containers.includeStopped);
  const file = specs['/var/log/app/error.log']!;
  assert.ok(file.type === 'log' && file.source === 'file' && file.windowSeconds === 300 && file.warningCount === 3 && file.criticalCount === 10);
  const journal = specs['nginx warnings']!;
  assert.ok(journal.type === 'log' && journal.source === 'journal' && journal.priority === 'warning' && journal.unit === 'nginx.service');
  assert.match(hostwatch(['checks', 'list', '--data-dir', dir]), /check_queue/);

  // Only commands of the host's settings, from the command line as from a file.
  const missing = run(['checks', 'add', 'command', 'rm_rf', '--host', 'web1', '--data-dir', dir]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /web1 has no command named rm_rf: add it first with `hostwatch hosts edit web1 --command rm_rf=COMMAND`/);
  const wrongFlag = run(['checks', 'add', 'systemd', 'cron', '--socket', '/x.sock', '--data-dir', dir]);
  assert.equal(wrongFlag.code, 2);
  assert.match(wrongFlag.stderr, /--socket is for container checks, and this one is systemd/);

  const exported = hostwatch(['checks', 'export', '--data-dir', dir]);
  const yaml = join(dir, 'host-checks.yaml');
  writeFileSync(yaml, exported);
  assert.match(hostwatch(['checks', 'import', yaml, '--data-dir', dir]), /0 added, 0 changed, 6 unchanged/);
  writeFileSync(join(dir, 'bad.yaml'), '- { name: sneaky, type: command, host: web1, command: curl_evil }\n');
  const sneaky = run(['checks', 'import', join(dir, 'bad.yaml'), '--data-dir', dir]);
  assert.equal(sneaky.code, 1);
  assert.match(sneaky.stderr, /item 1 \(sneaky\): command: web1 has no command named curl_evil/);

  const remote = run(['checks', 'run', 'nginx.service', '--host', 'web1', '--data-dir', dir]);
  assert.equal(remote.code, 2);
  assert.match(remote.stderr, /runs on web1 through its SSH connection/);
});

test('export then import changes nothing, twice over, and fills another database the same', () => {
  const a = tempDataDir();
  addRemoteHost(a, 'web1');
  hostwatch(['checks', 'add', 'http', 'https://example.com/', '--name', 'Site', '--interval', '30s', '--timeout', '2.5s',
    '--contains', 'Welcome', '--data-dir', a]);
  hostwatch(['checks', 'add', 'tcp', 'localhost:6379', '--name', 'Redis', '--host', 'web1', '--from', 'host', '--data-dir', a]);
  hostwatch(['checks', 'add', 'dns', 'example.com', '--record', 'AAAA', '--data-dir', a]);
  hostwatch(['checks', 'add', 'ping', 'router.lan', '--timeout', '500ms', '--data-dir', a]);
  const exported = hostwatch(['checks', 'export', '--data-dir', a]);
  assert.match(exported, /^checks:\n/);
  assert.match(exported, /interval: 30s\n/);
  assert.match(exported, /timeout: 2\.5s\n/);
  assert.match(exported, /timeout: 500ms\n/);
  assert.match(exported, /host: web1\n/);
  assert.doesNotMatch(exported, /Seconds|maxRedirects|host: local/, 'friendly keys, defaults left out');
  const file = join(a, 'checks.yaml');
  writeFileSync(file, exported);

  const before = hostwatch(['checks', 'list', '--json', '--data-dir', a]);
  assert.match(hostwatch(['checks', 'import', file, '--data-dir', a]), /Imported 4 check\(s\) .*0 added, 0 changed, 4 unchanged/);
  assert.match(hostwatch(['checks', 'import', file, '--data-dir', a]), /0 added, 0 changed, 4 unchanged/);
  assert.equal(hostwatch(['checks', 'list', '--json', '--data-dir', a]), before);

  const b = tempDataDir();
  addRemoteHost(b, 'web1');
  assert.match(hostwatch(['checks', 'import', file, '--data-dir', b]), /4 added/);
  const specs = (dir: string) => listed(dir).map((c) => c.spec);
  assert.deepEqual(specs(b), specs(a));
  assert.equal(hostwatch(['checks', 'export', '--data-dir', b]), exported);
  const json = JSON.parse(hostwatch(['checks', 'export', '--json', '--data-dir', b]));
  assert.equal(json.checks.length, 4);

  // A changed file replaces the check of the same host and name.
  writeFileSync(file, '- { name: Site, type: http, url: "https://example.com/", interval: 1m }\n');
  assert.match(hostwatch(['checks', 'import', file, '--data-dir', b]), /0 added, 1 changed, 0 unchanged/);
  const site = listed(b).find((c) => c.spec.name === 'Site')!;
  assert.equal(site.spec.intervalSeconds, 60);
  assert.deepEqual(site.spec.conditions, []);
});

test('an import with invalid items writes nothing and names each item and field', () => {
  const dir = tempDataDir();
  hostwatch(['checks', 'add', 'ping', '10.0.0.1', '--name', 'Gateway', '--data-dir', dir]);
  const before = hostwatch(['checks', 'list', '--json', '--data-dir', dir]);
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, `checks:
  - { name: Fine, type: http, url: "https://example.com/", interval: 30s }
  - { name: Broken, type: http, url: "example.com", interval: soon }
  - { name: Far, type: tcp, host: nowhere, target: db, port: 5432 }
  - { name: Odd, type: smtp }
  - { name: Typo, type: ping, target: 10.0.0.2, intervall: 5m }
  - { name: Fast, type: dns, query: example.com, interval: 500ms }
  - { name: Fine, type: ping, target: 10.0.0.3 }
  - { name: Certs, type: http, url: "https://example.com/", tlsWarningDays: 5, tlsCriticalDays: 10 }
`);
  const result = run(['checks', 'import', file, '--data-dir', dir]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /nothing imported, 7 invalid check\(s\)/);
  assert.match(result.stderr, /item 2 \(Broken\): interval: 'soon' is not a duration/);
  assert.match(result.stderr, /item 3 \(Far\): host: no host named nowhere/);
  assert.match(result.stderr, /item 4 \(Odd\): type: 'smtp' is not a check type/);
  assert.match(result.stderr, /item 5 \(Typo\): intervall: not a setting of ping checks/);
  assert.match(result.stderr, /item 6 \(Fast\): interval: Checks run at most once a second/);
  assert.match(result.stderr, /item 7 \(Fine\): name: item 1 has the same name on the same host/);
  assert.match(result.stderr, /item 8 \(Certs\): tlsCriticalDays: Critical comes before warning/);
  assert.equal(hostwatch(['checks', 'list', '--json', '--data-dir', dir]), before);

  writeFileSync(file, '- { name: Broken, type: http, url: "example.com" }\n');
  const url = run(['checks', 'import', file, '--data-dir', dir]);
  assert.match(url.stderr, /item 1 \(Broken\): url: Enter an http:\/\/ or https:\/\/ address/);

  writeFileSync(file, 'checks: [unclosed\n');
  const yaml = run(['checks', 'import', file, '--data-dir', dir]);
  assert.equal(yaml.code, 1);
  assert.match(yaml.stderr, /cannot read/);
  assert.equal(hostwatch(['checks', 'list', '--json', '--data-dir', dir]), before);
});

test('run: an http check up, down with a 503 and its reason, and a tcp check on a closed port', async () => {
  const dir = tempDataDir();
  hostwatch(['checks', 'add', 'http', `http://127.0.0.1:${port}/ok`, '--name', 'OK', '--contains', 'good', '--data-dir', dir]);
  hostwatch(['checks', 'add', 'http', `http://127.0.0.1:${port}/busy`, '--name', 'Busy', '--data-dir', dir]);
  hostwatch(['checks', 'add', 'tcp', `127.0.0.1:${closedPort}`, '--name', 'Closed', '--timeout', '3s', '--data-dir', dir]);

  const ok = await runAsync(['checks', 'run', 'OK', '--data-dir', dir]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^OK on .*: up$/m);
  assert.match(ok.stdout, /status code +200/);
  assert.match(ok.stdout, /took +\d/);

  const okJson = JSON.parse((await runAsync(['checks', 'run', 'OK', '--json', '--data-dir', dir])).stdout);
  assert.equal(okJson.result.status, 'up');
  assert.equal(okJson.result.details.statusCode, 200);

  const busy = await runAsync(['checks', 'run', 'Busy', '--data-dir', dir]);
  assert.equal(busy.code, 1);
  assert.match(busy.stdout, /^Busy on .*: down$/m);
  assert.match(busy.stdout, /reason +.*503/);
  assert.match(busy.stdout, /status code +503/);
  assert.match(busy.stdout, /response +maintenance in progress/);
  const busyJson = JSON.parse((await runAsync(['checks', 'run', 'Busy', '--json', '--data-dir', dir])).stdout);
  assert.equal(busyJson.result.status, 'down');
  assert.match(busyJson.result.reason, /503/);

  const closed = await runAsync(['checks', 'run', 'Closed', '--data-dir', dir]);
  assert.notEqual(closed.code, 0);
  assert.match(closed.stdout, /^Closed on .*: down$/m);
  assert.match(closed.stdout, /reason +\S/);
  // `run` stores nothing: the list still has no runs.
  assert.ok(listed(dir).every((c) => c.state === null));
});

test('run: an https check shows its certificate; one expiring in 2 days or untrusted is down', { skip: opensslSkipReason() ?? false }, async () => {
  const certs = makeTestCerts();
  const servers = [certs.valid, certs.expiringSoon].map((cert) =>
    createTlsServer({ key: certs.key, cert }, (_req, res) => res.end('secure')));
  try {
    const ports = await Promise.all(servers.map((server) => new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)))));
    const dir = tempDataDir();
    hostwatch(['checks', 'add', 'http', `https://localhost:${ports[0]}/`, '--name', 'Valid', '--data-dir', dir]);
    hostwatch(['checks', 'add', 'http', `https://localhost:${ports[1]}/`, '--name', 'Expiring', '--data-dir', dir]);
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: join(certs.dir, 'ca.pem') };

    const valid = await runAsync(['checks', 'run', 'Valid', '--data-dir', dir], env);
    assert.equal(valid.code, 0, valid.stdout + valid.stderr);
    assert.match(valid.stdout, /certificate +CN=localhost, issued by CN=Hostwatch Test CA/);
    assert.match(valid.stdout, /expires in 36[45] days .*; trusted/);

    const expiring = await runAsync(['checks', 'run', 'Expiring', '--data-dir', dir], env);
    assert.equal(expiring.code, 1, expiring.stdout + expiring.stderr);
    assert.match(expiring.stdout, /: down$/m);
    assert.match(expiring.stdout, /expires in (1\.9|2) days/);
    const json = JSON.parse((await runAsync(['checks', 'run', 'Expiring', '--json', '--data-dir', dir], env)).stdout);
    assert.equal(json.result.details.certificate.trusted, true);

    // Without the test CA: down, and why, with the certificate still shown.
    const { NODE_EXTRA_CA_CERTS: _extra, ...plain } = process.env;
    const untrusted = await runAsync(['checks', 'run', 'Valid', '--data-dir', dir], plain);
    assert.equal(untrusted.code, 1, untrusted.stdout + untrusted.stderr);
    assert.match(untrusted.stdout, /reason +certificate is signed by an unknown authority/);
    assert.match(untrusted.stdout, /not trusted: UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
  } finally {
    for (const server of servers) server.close();
    certs.cleanup();
  }
});

test('a running serve picks up a check added by the CLI and runs it', async () => {
  const served = await serve();
  running.push(served);
  const client = await connect(served.origin, served.token);
  try {
    hostwatch(['checks', 'add', 'http', `http://127.0.0.1:${port}/ok`, '--name', 'From the CLI', '--interval', '1s',
      '--timeout', '1s', '--data-dir', served.dataDir]);
    const event = await client.waitFor((e) => e.event === 'check' && (e.data as CheckStatus).spec.name === 'From the CLI', 30_000);
    const status = event.data as CheckStatus;
    assert.equal(status.last?.status, 'up');
    assert.equal(status.state, 'up');
    // Its first state change is in the history the CLI reads.
    const deadline = Date.now() + 10_000;
    let check = listed(served.dataDir).find((c) => c.spec.name === 'From the CLI')!;
    while (check.state === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      check = listed(served.dataDir).find((c) => c.spec.name === 'From the CLI')!;
    }
    assert.equal(check.state, 'up');
    assert.match(hostwatch(['checks', 'list', '--data-dir', served.dataDir]), /From the CLI .* up +\d+ s ago/);
  } finally {
    client.close();
  }
});
