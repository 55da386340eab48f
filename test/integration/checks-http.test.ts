/**
 * The HTTP(S) check runner against real node:http and node:https servers on 127.0.0.1: statuses,
 * redirects (relative, loops, 303, credentials across origins), timeouts, a 50 MiB body and a
 * decompression bomb cut at the read cap, compressed bodies, body/JSON/header conditions, a health
 * endpoint's dependencies, and certificates made by the real openssl at test time (trusted through
 * the runner's `ca` option, expiring in 2 days, expired, self-signed, for another name). Under CI a
 * missing openssl fails the HTTPS tests; elsewhere they are skipped with the reason.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { promises as dns } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { HttpCheck, type CheckCertificate } from '../../shared/checks/index.ts';
import { Attr } from '../../shared/metrics.ts';
import { localContext } from '../../electron/core/checks/local.ts';
import { EXCERPT_CHARS, RESPONSE_CAP_BYTES, type CheckOutcome } from '../../electron/core/checks/runner.ts';
import { httpRunner } from '../../electron/core/checks/runners/http.ts';
import { makeTestCerts, opensslSkipReason, type TestCerts } from '../support/tls-certs.ts';

const opensslSkip = opensslSkipReason();
if (opensslSkip !== null && process.env.CI) throw new Error(`the HTTPS check tests need openssl under CI: ${opensslSkip}`);

const execFileAsync = promisify(execFile);
const MiB = 1024 * 1024;
const CUT = ' (only the first 1.0 MiB was read)';

/** The spec the runner gets: `fields` parsed like a stored check (defaults filled), 2 s timeout. */
function spec(fields: Record<string, unknown>): HttpCheck {
  return HttpCheck.parse({ name: 'web', type: 'http', timeoutSeconds: 2, ...fields });
}

/** One run of `fields` from this machine, with its wall time in seconds. */
async function run(fields: Record<string, unknown>, ca?: string[]): Promise<CheckOutcome & { wall: number }> {
  const check = spec(fields);
  const started = performance.now();
  const outcome = await httpRunner(ca ? { ca } : {})(check, localContext(check.timeoutSeconds * 1000));
  return { ...outcome, wall: (performance.now() - started) / 1000 };
}

/** The metrics as a person checks them. */
function statusMetric(code: number) {
  return { metric: 'probe_http_status_code', attributes: {}, value: code };
}

/** Asserts status and reason (with the outcome in the message when they differ). */
function assertOutcome(outcome: CheckOutcome, status: string, reason: string | RegExp): void {
  const seen = JSON.stringify({ status: outcome.status, reason: outcome.reason });
  assert.equal(outcome.status, status, seen);
  if (typeof reason === 'string') assert.equal(outcome.reason, reason, seen);
  else assert.match(outcome.reason, reason, seen);
}

/** Starts `server` on 127.0.0.1, port 0; resolves with its port. */
async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** `n` gzip members of 1 MiB of zeros each, concatenated (a valid gzip stream): n MiB from ~n KiB. */
function gzipBomb(n: number): Buffer {
  const member = zlib.gzipSync(Buffer.alloc(MiB), { level: 9 });
  return Buffer.concat(Array.from({ length: n }, () => member));
}

const JSON_DOC = {
  status: 'ok', count: 5, ratio: 0.25, enabled: true, missing: null,
  items: [{ state: 'ready' }, { state: 'busy' }],
  tags: ['a', 'b'], counts: [1, 2, 3],
  nested: { 'a-b': { c: true } },
};

// ---------------------------------------------------------------------------------------------------
// Plain HTTP

describe('HTTP', () => {
  let base = '';
  let other = '';
  let server: http.Server;
  let otherServer: http.Server;
  const timers = new Set<NodeJS.Timeout>();
  /** Bytes /huge wrote before the client went away. */
  let hugeSent = 0;
  let hugeClosed: Promise<void> = Promise.resolve();
  /** A port nothing listens on (set by the connection failure test). */
  let closedPort = 0;
  const bomb = gzipBomb(512);

  before(async () => {
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const later = (ms: number, fn: () => void) => {
        const timer = setTimeout(() => { timers.delete(timer); fn(); }, ms);
        timers.add(timer);
      };
      switch (url.pathname) {
        case '/ok': return res.writeHead(200, { 'content-type': 'text/plain' }).end('all ok here');
        case '/unavailable': return res.writeHead(503).end('down for maintenance');
        case '/created': return res.writeHead(201).end('created');
        case '/r/start': return res.writeHead(302, { location: 'next' }).end();
        case '/r/next': return res.writeHead(301, { location: '/r/final?from=next' }).end();
        case '/r/final': return res.writeHead(200).end(`final ${req.url}`);
        case '/loop': return res.writeHead(302, { location: '/loop' }).end('loop');
        case '/see-other': return res.writeHead(303, { location: '/method' }).end();
        case '/temporary': return res.writeHead(307, { location: '/method' }).end();
        case '/method': {
          let size = 0;
          req.on('data', (chunk: Buffer) => { size += chunk.length; });
          req.on('end', () => res.writeHead(200).end(`${req.method} ${size} bytes type=${req.headers['content-type'] ?? 'none'}`));
          return;
        }
        case '/same-origin': return res.writeHead(302, { location: '/auth' }).end();
        case '/other-origin': return res.writeHead(302, { location: `${other}/auth` }).end();
        case '/auth': return res.writeHead(200).end(`auth=${req.headers.authorization ?? 'none'}`);
        case '/to-closed': return res.writeHead(302, { location: `http://127.0.0.1:${closedPort}/` }).end();
        case '/ftp': return res.writeHead(302, { location: 'ftp://example.com/file' }).end();
        case '/slow': return later(3000, () => res.writeHead(200).end('too late'));
        case '/slowish': return later(300, () => res.writeHead(200).end('ok, eventually'));
        case '/huge': {
          const total = 50 * MiB;
          const chunk = Buffer.alloc(64 * 1024, 'x');
          hugeSent = 0;
          hugeClosed = new Promise((resolve) => res.once('close', () => resolve()));
          res.writeHead(200, { 'content-type': 'text/plain', 'content-length': total });
          const pump = () => {
            while (hugeSent < total - chunk.length && !res.destroyed) {
              hugeSent += chunk.length;
              if (!res.write(chunk)) return void res.once('drain', pump);
            }
            if (!res.destroyed) res.end(Buffer.concat([Buffer.alloc(total - hugeSent - 3, 'x'), Buffer.from('END')]));
          };
          return pump();
        }
        case '/gzip': return res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/plain' })
          .end(zlib.gzipSync('compressed hello, gzip'));
        case '/br': return res.writeHead(200, { 'content-encoding': 'br', 'content-type': 'text/plain' })
          .end(zlib.brotliCompressSync('compressed hello, brotli'));
        case '/deflate-raw': return res.writeHead(200, { 'content-encoding': 'deflate', 'content-type': 'text/plain' })
          .end(zlib.deflateRawSync('compressed hello, raw deflate'));
        case '/bomb': return res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/plain' }).end(bomb);
        case '/corrupt-gzip': return res.writeHead(200, { 'content-encoding': 'gzip' }).end('this is not gzip at all');
        case '/latin1': return res.writeHead(200, { 'content-type': 'text/plain; charset=iso-8859-1' }).end(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
        case '/json': return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(JSON_DOC));
        case '/text': return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>not json</html>');
        case '/headers': return res.writeHead(200, [
          ['content-type', 'application/json; charset=utf-8'], ['x-version', '2.1.0'],
          ['set-cookie', 'a=1'], ['set-cookie', 'b=2'],
        ]).end('{}');
        case '/ready': return res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({
          status: 'fail',
          checks: {
            db: { healthy: false, message: 'connection refused', latency_ms: 12 },
            cache: { healthy: true, status: 'degraded', message: 'slow', latency_ms: 250 },
            queue: { healthy: true, latency_ms: 3 },
          },
        }));
        case '/ready-degraded': return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
          status: 'warn',
          checks: { cache: { healthy: true, status: 'warn', message: 'slow' }, queue: { healthy: true } },
        }));
        case '/ready-self-down': return res.writeHead(200).end(JSON.stringify({ status: 'DOWN' }));
        case '/ready-microprofile': return res.writeHead(200).end(JSON.stringify({
          status: 'UP', checks: [{ name: 'db', status: 'UP' }, { name: 'disk', status: 'UP', data: { free: 1 } }],
        }));
        case '/ready-ietf': return res.writeHead(200, { 'content-type': 'application/health+json' }).end(JSON.stringify({
          status: 'pass', checks: { 'db:connections': [{ status: 'pass', observedValue: 3 }, { status: 'warn', output: 'pool nearly full' }] },
        }));
        case '/ready-spring': return res.writeHead(503).end(JSON.stringify({
          status: 'DOWN', components: { db: { status: 'DOWN', details: { error: 'timeout' } }, ping: { status: 'UP' } },
        }));
        default: return res.writeHead(404).end('not found');
      }
    });
    otherServer = http.createServer((req, res) => res.writeHead(200).end(`auth=${req.headers.authorization ?? 'none'}`));
    base = `http://127.0.0.1:${await listen(server)}`;
    other = `http://127.0.0.1:${await listen(otherServer)}`;
  });

  after(async () => {
    for (const timer of timers) clearTimeout(timer);
    await close(server);
    await close(otherServer);
  });

  test('200 with a body is up, with the status, an excerpt and only the status metric', async () => {
    const outcome = await run({ url: `${base}/ok` });
    assertOutcome(outcome, 'up', '');
    assert.deepEqual(outcome.details, { statusCode: 200 });
    assert.equal(outcome.excerpt, 'all ok here');
    assert.deepEqual(outcome.metrics, [statusMetric(200)]);
    assert.ok(outcome.durationSeconds > 0 && outcome.durationSeconds < 1, `${outcome.durationSeconds} s`);
  });

  test('a status outside the accepted ranges is down; inside them, up', async () => {
    const down = await run({ url: `${base}/unavailable` });
    assertOutcome(down, 'down', 'status 503 is not in 200-299');
    assert.deepEqual(down.details, { statusCode: 503 });
    assert.equal(down.excerpt, 'down for maintenance');
    assert.deepEqual(down.metrics, [statusMetric(503)]);

    const narrow = await run({ url: `${base}/created`, acceptedStatus: '200,204-206' });
    assertOutcome(narrow, 'down', 'status 201 is not in 200,204-206');
    const accepted = await run({ url: `${base}/unavailable`, acceptedStatus: '200-299,503' });
    assertOutcome(accepted, 'up', '');
    assert.deepEqual(accepted.metrics, [statusMetric(503)]);
  });

  test('a redirect chain with relative Locations is followed; the final status is judged', async () => {
    const outcome = await run({ url: `${base}/r/start`, conditions: [{ kind: 'body_contains', text: 'final /r/final?from=next' }] });
    assertOutcome(outcome, 'up', '');
    assert.deepEqual(outcome.details, { statusCode: 200 });
    assert.deepEqual(outcome.metrics, [statusMetric(200)]);

    const tooMany = await run({ url: `${base}/r/start`, maxRedirects: 1 });
    assertOutcome(tooMany, 'down', 'more than 1 redirect');
    assert.deepEqual(tooMany.metrics, [statusMetric(301)]);

    // maxRedirects 0: nothing is followed, the 3xx is the final status.
    const notFollowed = await run({ url: `${base}/r/start`, maxRedirects: 0 });
    assertOutcome(notFollowed, 'down', 'status 302 is not in 200-299');
    assertOutcome(await run({ url: `${base}/r/start`, maxRedirects: 0, acceptedStatus: '302' }), 'up', '');
  });

  test('a redirect loop is down after maxRedirects', async () => {
    const outcome = await run({ url: `${base}/loop`, maxRedirects: 3 });
    assertOutcome(outcome, 'down', 'more than 3 redirects');
    assert.deepEqual(outcome.details, { statusCode: 302 });
    assert.deepEqual(outcome.metrics, [statusMetric(302)]);
    assert.equal(outcome.excerpt, null);
  });

  test('303 turns a POST into a GET without its body; 307 repeats it', async () => {
    const post = { method: 'POST', body: '{"a":1}', headers: { 'Content-Type': 'application/json' } };
    const seeOther = await run({ url: `${base}/see-other`, ...post });
    assertOutcome(seeOther, 'up', '');
    assert.equal(seeOther.excerpt, 'GET 0 bytes type=none');
    const temporary = await run({ url: `${base}/temporary`, ...post });
    assert.equal(temporary.excerpt, 'POST 7 bytes type=application/json');
  });

  test('credentials go along a same-origin redirect, not to another origin; other schemes are refused', async () => {
    const headers = { Authorization: 'Bearer secret' };
    assert.equal((await run({ url: `${base}/same-origin`, headers })).excerpt, 'auth=Bearer secret');
    assert.equal((await run({ url: `${base}/other-origin`, headers })).excerpt, 'auth=none');
    const userInfo = await run({ url: `${base.replace('http://', 'http://me:p%40ss@')}/auth` });
    assert.equal(userInfo.excerpt, `auth=Basic ${Buffer.from('me:p@ss').toString('base64')}`);
    assertOutcome(await run({ url: `${base}/ftp` }), 'down', 'status 302 redirects to a ftp address, not http(s)');
  });

  test('a response slower than the timeout ends the run at the timeout', async () => {
    const outcome = await run({ url: `${base}/slow`, timeoutSeconds: 0.5 });
    assertOutcome(outcome, 'down', 'timed out after 0.5 s');
    assert.deepEqual(outcome.details, {});
    assert.deepEqual(outcome.metrics, [statusMetric(0)]);
    assert.ok(outcome.wall >= 0.45 && outcome.wall < 1, `ended after ${outcome.wall} s`);
    assert.ok(outcome.durationSeconds >= 0.45 && outcome.durationSeconds < 1, `${outcome.durationSeconds} s`);
  });

  test('slower than degradedAboveSeconds is degraded', async () => {
    const outcome = await run({ url: `${base}/slowish`, degradedAboveSeconds: 0.1 });
    assertOutcome(outcome, 'degraded', /^responded in 0\.[345] s, above 0\.1 s$/);
    assert.deepEqual(outcome.metrics, [statusMetric(200)]);
    assertOutcome(await run({ url: `${base}/slowish`, degradedAboveSeconds: 1 }), 'up', '');
  });

  test('a 50 MiB body is cut at the cap: fast, the connection closed', async () => {
    const outcome = await run({ url: `${base}/huge`, conditions: [{ kind: 'body_contains', text: 'END' }] });
    await hugeClosed;
    assertOutcome(outcome, 'down', `body does not contain "END"${CUT}`);
    assert.equal(outcome.excerpt, `${'x'.repeat(EXCERPT_CHARS)}…`);
    assert.deepEqual(outcome.details, { statusCode: 200 });
    assert.deepEqual(outcome.metrics, [statusMetric(200)]);
    assert.ok(outcome.wall < 1.5, `took ${outcome.wall} s`);
    assert.ok(hugeSent > RESPONSE_CAP_BYTES && hugeSent < 16 * MiB,
      `the server got to write ${hugeSent} bytes before the runner closed the connection`);

    // Conditions the cut part cannot break still hold.
    assertOutcome(await run({ url: `${base}/huge`, conditions: [{ kind: 'body_matches', pattern: '^x{1000}' }] }), 'up', '');
  });

  test('compressed bodies are decompressed: gzip, br, and deflate sent without its zlib wrapper', async () => {
    for (const [path, text] of [['/gzip', 'compressed hello, gzip'], ['/br', 'compressed hello, brotli'], ['/deflate-raw', 'compressed hello, raw deflate']]) {
      const outcome = await run({ url: `${base}${path}`, conditions: [{ kind: 'body_contains', text }] });
      assertOutcome(outcome, 'up', '');
      assert.equal(outcome.excerpt, text);
    }
    const corrupt = await run({ url: `${base}/corrupt-gzip`, conditions: [{ kind: 'body_contains', text: 'gzip' }] });
    assertOutcome(corrupt, 'down', 'body does not contain "gzip" (the body could not be decoded: gzip: incorrect header check)');
    // A check that does not read the body does not mind.
    assertOutcome(await run({ url: `${base}/corrupt-gzip` }), 'up', '');
  });

  test('a decompression bomb (512 MiB from 0.5 MiB of gzip) is cut at the cap after decompressing', async () => {
    const outcome = await run({ url: `${base}/bomb`, conditions: [{ kind: 'body_contains', text: 'treasure' }] });
    assertOutcome(outcome, 'down', `body does not contain "treasure"${CUT}`);
    assert.equal(outcome.excerpt, `${'\0'.repeat(EXCERPT_CHARS)}…`);
    assert.ok(outcome.wall < 1.5, `took ${outcome.wall} s`);
  });

  test('memory stays bounded on the 50 MiB body and the bomb (peak RSS of a fresh process)', async () => {
    // In a process of its own, so the peak RSS the kernel keeps is this run's and nothing else's.
    const runner = new URL('../../electron/core/checks/runners/http.ts', import.meta.url).href;
    const local = new URL('../../electron/core/checks/local.ts', import.meta.url).href;
    const checks = new URL('../../shared/checks/index.ts', import.meta.url).href;
    const script = `
      import { httpRunner } from ${JSON.stringify(runner)};
      import { localContext } from ${JSON.stringify(local)};
      import { HttpCheck } from ${JSON.stringify(checks)};
      const out = {};
      for (const path of ['/huge', '/bomb']) {
        const spec = HttpCheck.parse({ name: 'web', type: 'http', url: ${JSON.stringify(base)} + path, conditions: [{ kind: 'body_contains', text: 'END' }] });
        globalThis.gc?.();
        const before = process.resourceUsage().maxRSS;
        const outcome = await httpRunner()(spec, localContext(5000));
        out[path] = { status: outcome.status, reason: outcome.reason, growthKiB: process.resourceUsage().maxRSS - before };
      }
      console.log(JSON.stringify(out));`;
    const { stdout } = await execFileAsync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { timeout: 10_000 });
    const result = JSON.parse(stdout) as Record<string, { status: string; reason: string; growthKiB: number }>;
    for (const path of ['/huge', '/bomb']) {
      const r = result[path];
      assert.ok(r, path);
      assert.equal(r.status, 'down', path);
      assert.equal(r.reason, `body does not contain "END"${CUT}`, path);
      assert.ok(r.growthKiB < 32 * 1024, `${path}: the peak RSS grew by ${(r.growthKiB / 1024).toFixed(1)} MiB`);
    }
  });

  test('the body is read in the charset its Content-Type names', async () => {
    const outcome = await run({ url: `${base}/latin1`, conditions: [{ kind: 'body_contains', text: 'café' }] });
    assertOutcome(outcome, 'up', '');
    assert.equal(outcome.excerpt, 'café');
  });

  test('body conditions: contains, not contains, matches; the first failing one is the reason', async () => {
    const url = `${base}/ok`;
    assertOutcome(await run({ url, conditions: [
      { kind: 'body_contains', text: 'ok' }, { kind: 'body_not_contains', text: 'error' }, { kind: 'body_matches', pattern: '^all \\w+ here$' },
    ] }), 'up', '');
    assertOutcome(await run({ url, conditions: [{ kind: 'body_contains', text: 'ok' }, { kind: 'body_contains', text: 'fine' }, { kind: 'body_contains', text: 'nope' }] }),
      'down', 'body does not contain "fine"');
    assertOutcome(await run({ url, conditions: [{ kind: 'body_not_contains', text: 'ok' }] }), 'down', 'body contains "ok"');
    assertOutcome(await run({ url, conditions: [{ kind: 'body_matches', pattern: '^ok' }] }), 'down', 'body does not match /^ok/');
    // The status comes before the conditions.
    assertOutcome(await run({ url: `${base}/unavailable`, conditions: [{ kind: 'body_contains', text: 'nope' }] }),
      'down', 'status 503 is not in 200-299');
  });

  test('JSON conditions: ==, !=, <, >, contains, paths into arrays and quoted names, numbers as numbers', async () => {
    const url = `${base}/json`;
    const json = (path: string, op: string, value: unknown) => ({ kind: 'json', path, op, value });
    const passing = [
      json('$.status', '==', 'ok'), json('$.count', '==', 5), json('$.ratio', '==', 0.25), json('$.enabled', '==', true),
      json('$.missing', '==', null), json('$.count', '==', '5'), json('$.status', '!=', 'fail'), json('$.absent', '!=', 'x'),
      json('$.count', '<', 10), json('$.count', '>', 4.5), json('$.ratio', '<', '1'),
      json('$.tags', 'contains', 'b'), json('$.counts', 'contains', 3), json('$.items[0].state', 'contains', 'rea'),
      json('$.items[1].state', '==', 'busy'), json("$.nested['a-b'].c", '==', true), json("$['status']", '==', 'ok'),
    ];
    const all = await run({ url, conditions: passing });
    assertOutcome(all, 'up', '');

    const failing: [unknown, string][] = [
      [json('$.status', '==', 'fail'), '$.status is "ok", expected == "fail"'],
      [json('$.status', '!=', 'ok'), '$.status is "ok", expected != "ok"'],
      [json('$.count', '<', 3), '$.count is 5, expected < 3'],
      [json('$.count', '>', 10), '$.count is 5, expected > 10'],
      [json('$.status', '>', 1), '$.status is "ok", not a number (expected > 1)'],
      [json('$.tags', 'contains', 'z'), '$.tags is ["a","b"], expected contains "z"'],
      [json('$.count', 'contains', 5), '$.count is 5, neither text nor a list (expected contains 5)'],
      [json('$.items[5].state', '==', 'busy'), '$.items[5].state is missing, expected == "busy"'],
      [json('$.items.state', '==', 'busy'), '$.items.state is missing, expected == "busy"'],
      [json('$.enabled', '==', false), '$.enabled is true, expected == false'],
    ];
    for (const [condition, reason] of failing) {
      const outcome = await run({ url, conditions: [json('$.status', '==', 'ok'), condition] });
      assertOutcome(outcome, 'down', reason);
      assert.deepEqual(outcome.metrics, [statusMetric(200)]);
    }
    assertOutcome(await run({ url: `${base}/text`, conditions: [json('$.status', '==', 'ok')] }), 'down', 'body is not JSON');
  });

  test('header conditions: ==, !=, contains, matches, present, absent; repeated headers joined', async () => {
    const url = `${base}/headers`;
    const header = (name: string, op: string, value = '') => ({ kind: 'header', name, op, value });
    assertOutcome(await run({ url, conditions: [
      header('content-type', 'contains', 'json'), header('X-Version', '==', '2.1.0'), header('x-version', 'matches', '^2\\.'),
      header('x-version', '!=', '3'), header('x-version', 'present'), header('x-missing', 'absent'),
      header('set-cookie', '==', 'a=1, b=2'), header('x-missing', '!=', 'x'),
    ] }), 'up', '');
    const failing: [unknown, string][] = [
      [header('x-missing', 'present'), 'header x-missing is missing'],
      [header('x-missing', '==', 'a'), 'header x-missing is missing'],
      [header('x-version', 'absent'), 'header x-version is present'],
      [header('content-type', '==', 'text/html'), 'header content-type is "application/json; charset=utf-8", expected == "text/html"'],
      [header('x-version', '!=', '2.1.0'), 'header x-version is "2.1.0", expected != "2.1.0"'],
      [header('x-version', 'contains', 'beta'), 'header x-version is "2.1.0", expected contains "beta"'],
      [header('x-version', 'matches', '^3'), 'header x-version is "2.1.0", expected to match /^3/'],
    ];
    for (const [condition, reason] of failing) assertOutcome(await run({ url, conditions: [condition] }), 'down', reason);
    // A pattern that is no regular expression is refused with the settings, before any run.
    assert.throws(() => HttpCheck.parse({ name: 'x', type: 'http', url, conditions: [header('x-version', 'matches', '(')] }),
      /Not a valid regular expression/);
  });

  test('a health endpoint: each dependency shown and measured; one down makes it down, one degraded degraded', async () => {
    const down = await run({ url: `${base}/ready`, readiness: true });
    assertOutcome(down, 'down', 'dependency db is down: connection refused');
    assert.deepEqual(down.details, {
      statusCode: 503,
      dependencies: [
        { name: 'db', status: 'down', message: 'connection refused', latencySeconds: 0.012 },
        { name: 'cache', status: 'degraded', message: 'slow', latencySeconds: 0.25 },
        { name: 'queue', status: 'up', message: null, latencySeconds: 0.003 },
      ],
    });
    assert.deepEqual(down.metrics, [
      statusMetric(503),
      { metric: 'probe_dependency_success', attributes: { [Attr.dependency]: 'db' }, value: 0 },
      { metric: 'probe_dependency_success', attributes: { [Attr.dependency]: 'cache' }, value: 1 },
      { metric: 'probe_dependency_success', attributes: { [Attr.dependency]: 'queue' }, value: 1 },
    ]);

    const degraded = await run({ url: `${base}/ready-degraded`, readiness: true });
    assertOutcome(degraded, 'degraded', 'dependency cache is degraded: slow');
    assert.deepEqual(degraded.metrics, [
      statusMetric(200),
      { metric: 'probe_dependency_success', attributes: { [Attr.dependency]: 'cache' }, value: 1 },
      { metric: 'probe_dependency_success', attributes: { [Attr.dependency]: 'queue' }, value: 1 },
    ]);

    const selfDown = await run({ url: `${base}/ready-self-down`, readiness: true });
    assertOutcome(selfDown, 'down', 'health status is "DOWN"');
    assert.deepEqual(selfDown.details, { statusCode: 200, dependencies: [] });
    assert.deepEqual(selfDown.metrics, [statusMetric(200)]);

    const microprofile = await run({ url: `${base}/ready-microprofile`, readiness: true });
    assertOutcome(microprofile, 'up', '');
    assert.deepEqual(microprofile.details.dependencies, [
      { name: 'db', status: 'up', message: null, latencySeconds: null },
      { name: 'disk', status: 'up', message: null, latencySeconds: null },
    ]);

    // The IETF draft's lists of observations (the worst counts) and Spring Boot's components.
    const ietf = await run({ url: `${base}/ready-ietf`, readiness: true });
    assertOutcome(ietf, 'degraded', 'dependency db:connections is degraded: pool nearly full');
    assert.deepEqual(ietf.metrics, [statusMetric(200), { metric: 'probe_dependency_success', attributes: { [Attr.dependency]: 'db:connections' }, value: 1 }]);
    const spring = await run({ url: `${base}/ready-spring`, readiness: true });
    assertOutcome(spring, 'down', 'dependency db is down');
    assert.deepEqual(spring.metrics, [
      statusMetric(503),
      { metric: 'probe_dependency_success', attributes: { [Attr.dependency]: 'db' }, value: 0 },
      { metric: 'probe_dependency_success', attributes: { [Attr.dependency]: 'ping' }, value: 1 },
    ]);

    assertOutcome(await run({ url: `${base}/text`, readiness: true }), 'down', 'health response is not JSON');
    assertOutcome(await run({ url: `${base}/json`, readiness: true }), 'up', '');
    assertOutcome(await run({ url: `${base}/headers`, readiness: true }), 'down', 'health response has neither a status nor checks');
  });

  test('connection failures are down, in words', async () => {
    const closed = http.createServer();
    closedPort = await listen(closed);
    await close(closed);
    const refused = await run({ url: `http://127.0.0.1:${closedPort}/` });
    assertOutcome(refused, 'down', 'connection refused');
    assert.deepEqual(refused.details, {});
    assert.deepEqual(refused.metrics, [statusMetric(0)]);
    assert.equal(refused.excerpt, null);

    // Redirected to it: the final request got no response, so no status.
    const redirected = await run({ url: `${base}/to-closed` });
    assertOutcome(redirected, 'down', 'connection refused');
    assert.deepEqual(redirected.details, {});
    assert.deepEqual(redirected.metrics, [statusMetric(0)]);

    assertOutcome(await run({ url: `${base.replace('http:', 'https:')}/ok` }), 'down', 'TLS handshake failed: wrong version number');
  });

  test('an unknown host name is down: no such host', async (t) => {
    const skip = await dns.lookup('nosuch.invalid').then(() => 'nosuch.invalid resolves here',
      (error: NodeJS.ErrnoException) => (error.code === 'ENOTFOUND' ? null : `the resolver answers nosuch.invalid with ${error.code}`));
    if (skip !== null) return t.skip(skip);
    assertOutcome(await run({ url: 'http://nosuch.invalid/' }), 'down', 'no such host');
  });
});

// ---------------------------------------------------------------------------------------------------
// HTTPS

describe('HTTPS', { skip: opensslSkip ?? false }, () => {
  let certs: TestCerts;
  const servers: https.Server[] = [];
  const ports: Record<string, number> = {};
  /** Requests each server got (an untrusted one must get none). */
  const requests: Record<string, number> = {};

  before(async () => {
    certs = makeTestCerts();
    for (const name of ['valid', 'expiringSoon', 'expired', 'selfSigned', 'wrongName'] as const) {
      requests[name] = 0;
      const server = https.createServer({ key: certs.key, cert: certs[name] }, (_req, res) => {
        requests[name] = (requests[name] ?? 0) + 1;
        res.writeHead(200, { 'content-type': 'text/plain' }).end('secure hello');
      });
      servers.push(server);
      ports[name] = await listen(server);
    }
  });

  after(async () => {
    for (const server of servers) await close(server);
    certs?.cleanup();
  });

  const url = (name: string) => `https://localhost:${ports[name]}/`;

  /** What details.certificate should say of the server certificate `pem`. */
  function certificate(pem: string, trusted: boolean, error: string | null): CheckCertificate {
    const x = new X509Certificate(pem);
    const names = x.subjectAltName?.split(', ').map((n) => n.replace(/^(DNS|IP Address):/, '')) ?? [];
    return {
      subject: x.subject, issuer: x.issuer, names,
      validFrom: x.validFromDate.getTime(), validTo: x.validToDate.getTime(), earliestExpiry: x.validToDate.getTime(),
      trusted, error,
    };
  }

  function tlsMetrics(status: number, pem: string) {
    return [statusMetric(status), { metric: 'probe_ssl_earliest_cert_expiry', attributes: {}, value: new X509Certificate(pem).validToDate.getTime() / 1000 }];
  }

  test('a certificate from a trusted CA is up, with its details and expiry metric', async () => {
    const outcome = await run({ url: url('valid'), conditions: [{ kind: 'body_contains', text: 'secure' }] }, [certs.ca]);
    assertOutcome(outcome, 'up', '');
    assert.deepEqual(outcome.details, { statusCode: 200, certificate: certificate(certs.valid, true, null) });
    assert.deepEqual(outcome.details.certificate?.names, ['localhost', '127.0.0.1']);
    assert.equal(outcome.details.certificate?.issuer, 'CN=Hostwatch Test CA');
    assert.deepEqual(outcome.metrics, tlsMetrics(200, certs.valid));
    assert.equal(outcome.excerpt, 'secure hello');
  });

  test('the same certificate without its CA trusted is down before any request is sent', async () => {
    const before = requests.valid;
    const outcome = await run({ url: url('valid') });
    assertOutcome(outcome, 'down', 'certificate is signed by an unknown authority');
    assert.deepEqual(outcome.details, { certificate: certificate(certs.valid, false, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE') });
    assert.deepEqual(outcome.metrics, tlsMetrics(0, certs.valid));
    assert.equal(requests.valid, before, 'no request to a server that could not be verified');
  });

  test('expiring in 2 days: down under the default 7 critical days; degraded with 1 critical and 14 warning', async () => {
    const critical = await run({ url: url('expiringSoon') }, [certs.ca]);
    assertOutcome(critical, 'down', 'certificate expires in 2.0 days');
    assert.deepEqual(critical.details, { statusCode: 200, certificate: certificate(certs.expiringSoon, true, null) });
    assert.deepEqual(critical.metrics, tlsMetrics(200, certs.expiringSoon));
    assert.equal(critical.details.certificate?.earliestExpiry, certs.madeAt + 2 * 86_400_000);

    const warning = await run({ url: url('expiringSoon'), tlsCriticalDays: 1, tlsWarningDays: 14 }, [certs.ca]);
    assertOutcome(warning, 'degraded', 'certificate expires in 2.0 days');
    assert.deepEqual(warning.metrics, tlsMetrics(200, certs.expiringSoon));

    assertOutcome(await run({ url: url('expiringSoon'), tlsCriticalDays: 1, tlsWarningDays: 1 }, [certs.ca]), 'up', '');
  });

  test('an expired certificate is down; ignoring TLS errors, its expiry still counts', async () => {
    const expired = await run({ url: url('expired') }, [certs.ca]);
    assertOutcome(expired, 'down', 'certificate has expired');
    assert.deepEqual(expired.details, { certificate: certificate(certs.expired, false, 'CERT_HAS_EXPIRED') });
    assert.deepEqual(expired.metrics, tlsMetrics(0, certs.expired));

    const ignored = await run({ url: url('expired'), ignoreTlsErrors: true }, [certs.ca]);
    assertOutcome(ignored, 'down', 'certificate expired 3.0 days ago');
    assert.deepEqual(ignored.details, { statusCode: 200, certificate: certificate(certs.expired, false, 'CERT_HAS_EXPIRED') });
    assert.deepEqual(ignored.metrics, tlsMetrics(200, certs.expired));
  });

  test('a self-signed certificate is down; ignoring TLS errors it is up, the error still shown', async () => {
    const selfSigned = await run({ url: url('selfSigned') }, [certs.ca]);
    assertOutcome(selfSigned, 'down', 'certificate is self-signed');
    assert.deepEqual(selfSigned.details, { certificate: certificate(certs.selfSigned, false, 'DEPTH_ZERO_SELF_SIGNED_CERT') });
    assert.deepEqual(selfSigned.metrics, tlsMetrics(0, certs.selfSigned));

    const ignored = await run({ url: url('selfSigned'), ignoreTlsErrors: true });
    assertOutcome(ignored, 'up', '');
    assert.deepEqual(ignored.details, { statusCode: 200, certificate: certificate(certs.selfSigned, false, 'DEPTH_ZERO_SELF_SIGNED_CERT') });
    assert.deepEqual(ignored.metrics, tlsMetrics(200, certs.selfSigned));
    assert.equal(ignored.excerpt, 'secure hello');
  });

  test('a certificate for another name is down; ignoring TLS errors it is up', async () => {
    const wrong = await run({ url: url('wrongName') }, [certs.ca]);
    assertOutcome(wrong, 'down', 'certificate is not valid for localhost');
    assert.deepEqual(wrong.details, { certificate: certificate(certs.wrongName, false, 'ERR_TLS_CERT_ALTNAME_INVALID') });
    assert.deepEqual(wrong.details.certificate?.names, ['wrong.example']);
    assert.deepEqual(wrong.metrics, tlsMetrics(0, certs.wrongName));

    const byAddress = await run({ url: `https://127.0.0.1:${ports.wrongName}/` }, [certs.ca]);
    assertOutcome(byAddress, 'down', 'certificate is not valid for 127.0.0.1');

    const ignored = await run({ url: url('wrongName'), ignoreTlsErrors: true }, [certs.ca]);
    assertOutcome(ignored, 'up', '');
    assert.deepEqual(ignored.details.certificate, certificate(certs.wrongName, false, 'ERR_TLS_CERT_ALTNAME_INVALID'));
  });

  test('a certificate valid for the address is up when the URL names the address', async () => {
    const outcome = await run({ url: `https://127.0.0.1:${ports.valid}/` }, [certs.ca]);
    assertOutcome(outcome, 'up', '');
    assert.deepEqual(outcome.metrics, tlsMetrics(200, certs.valid));
  });
});
