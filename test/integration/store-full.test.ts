/**
 * The history store when the disk fails it: a full filesystem (a real, small tmpfs filled to ENOSPC under
 * the running engine) and database files Hostwatch must not touch (corrupt, or from a newer release).
 *
 * The full-disk test runs the real engine with the real collector of this machine and the real API server
 * over WebSocket, in this process. Mounting a tmpfs needs root: without it the test is skipped, except
 * under CI, where it fails.
 */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { ApiServer } from '../../electron/core/api/server.ts';
import { startHttpServer } from '../../electron/core/api/transport.http.ts';
import { DB_FILE, startEngine } from '../../electron/core/engine.ts';
import { openDatabase } from '../../electron/core/store/database.ts';
import { SCHEMA_VERSION } from '../../electron/core/store/migrations.ts';
import { SampleStore } from '../../electron/core/store/samples.ts';
import type { EventMessage, Snapshot, StorageStatus } from '../../shared/api.ts';
import { HOSTS, T0, nextGrid, snapshotOf } from '../support/ingest-data.ts';
import { connect } from '../support/ws-client.ts';

const TMPFS_MIB = 16;

function tempDir(t: TestContext, prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

type Defer = (cleanup: () => unknown) => void;

/**
 * Cleanups that run after the test in reverse order of registration (node:test runs `after` hooks in
 * order, and the tmpfs can only be unmounted once the engine has closed its database), all of them even
 * when one fails.
 */
function cleanups(t: TestContext): Defer {
  const stack: (() => unknown)[] = [];
  t.after(async () => {
    const errors: unknown[] = [];
    for (const cleanup of stack.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length) throw errors[0];
  });
  return (cleanup) => { stack.push(cleanup); };
}

/**
 * Mounts a tmpfs of `mib` MiB on a new directory, unmounted and removed by `defer`. Returns null
 * (the test skipped) when mounting is impossible outside CI; throws under CI.
 */
function mountTmpfs(t: TestContext, defer: Defer, mib: number): string | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mib}m,mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    fs.rmdirSync(dir);
    const reason = `cannot mount a tmpfs (needs root): ${(error as Error).message.trim()}`;
    if (process.env.CI) throw new Error(`the full-disk test needs a tmpfs under CI; ${reason}`);
    t.skip(reason);
    return null;
  }
  defer(() => {
    execFileSync('umount', [dir], { stdio: 'pipe' });
    fs.rmdirSync(dir);
  });
  return dir;
}

/** Writes `file` until the filesystem says ENOSPC (big writes, then page-sized ones); returns bytes written. */
function fillUp(file: string): number {
  const fd = fs.openSync(file, 'w');
  let total = 0;
  try {
    for (const size of [1 << 20, 4096, 512]) {
      const buffer = Buffer.alloc(size, 0xa5);
      for (;;) {
        try {
          total += fs.writeSync(fd, buffer);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw error;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return total;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns something other than undefined/false, or fails with `what` after `ms`. */
async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined | false> | T | undefined | false): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(100);
  }
}

/** `PRAGMA integrity_check` of `file` by a plain connection: its rows, or the error it threw (as text). */
function integrity(file: string): unknown {
  const db = new Sqlite(file);
  try {
    return db.pragma('integrity_check');
  } catch (error) {
    return `${(error as { code?: string }).code}: ${(error as Error).message}`;
  } finally {
    db.close();
  }
}

test('a full disk pauses writing with a "full" state and an alert, the engine keeps answering, and everything resumes when space returns', async (t) => {
  const defer = cleanups(t);
  const dir = mountTmpfs(t, defer, TMPFS_MIB);
  if (dir === null) return;
  const file = path.join(dir, DB_FILE);
  const engine = await startEngine({ dataDir: dir, version: 'test', intervalMs: 200 });
  let engineStopped = false;
  defer(async () => { if (!engineStopped) await engine.stop(); });
  const http = await startHttpServer({ api: new ApiServer(engine), staticDir: tempDir(t, 'hostwatch-static-'), port: 0 });
  let httpClosed = false;
  defer(async () => { if (!httpClosed) await http.close(); });
  const client = await connect(new URL(http.url).origin, http.token);
  defer(() => client.close());
  const events: { e: EventMessage; at: number }[] = [];
  client.listen((e, at) => events.push({ e, at }));
  const storageEvents = () => events.filter(({ e }) => e.event === 'storage').map(({ e }) => e.data as StorageStatus);
  const localSnapshots = (from: number, to = Infinity) => events
    .filter(({ e, at }) => e.event === 'snapshot' && (e.data as Snapshot).host === 'local' && at >= from && at <= to)
    .map(({ e }) => e.data as Snapshot);

  // Healthy first: snapshots flow and get written.
  await client.waitFor((e) => e.event === 'snapshot');
  await sleep(1500);
  let status = await client.request('storage.status');
  assert.equal(status.state, 'ok');
  assert.equal(status.message, null);
  assert.equal(status.file, file);
  assert.ok(status.bytes > 0);

  // The disk fills up. The engine's WAL is seconds old (no checkpoint has reset it), so its next flush
  // needs the file to grow and gets SQLITE_FULL at once; a WAL with room left would delay that until the
  // next checkpoint fails to grow the database file.
  const filler = path.join(dir, 'filler');
  const fillerBytes = fillUp(filler);
  const filledAt = Date.now();
  t.diagnostic(`filler: ${(fillerBytes / 2 ** 20).toFixed(1)} MiB; database ${(status.bytes / 2 ** 20).toFixed(2)} MiB before`);
  assert.ok(fs.statfsSync(dir).bavail * fs.statfsSync(dir).bsize < 4096, 'the tmpfs is full');

  const full = await until('the storage state becomes full', 30_000, async () => {
    const s = await client.request('storage.status');
    return s.state === 'full' ? s : undefined;
  });
  const fullAt = Date.now();
  t.diagnostic(`storage full ${fullAt - filledAt} ms after the disk filled up`);
  assert.match(full.message ?? '', /full/i, 'the message says the disk is full');
  assert.equal(full.file, file);
  assert.ok(full.since >= filledAt - 1000 && full.since <= fullAt, 'since: when writing stopped');
  assert.ok(storageEvents().some((s) => s.state === 'full'), 'a storage event announced the full state');

  const alert = await until('the "Storage full" alert fires', 10_000, async () =>
    (await client.request('alerts.active')).find((a) => a.ruleName === 'Storage full' && a.state === 'firing'));
  assert.equal(alert.host, 'local');
  assert.equal(alert.severity, 'critical');

  // The engine stays alive while full: snapshots keep coming, API calls answer, snapshots wait in memory.
  await sleep(3000);
  const during = localSnapshots(fullAt);
  assert.ok(during.length >= 10, `${during.length} snapshots of this machine in 3 s while the disk is full`);
  const hosts = await client.request('hosts.list');
  assert.equal(hosts[0]!.id, 'local');
  assert.equal(hosts[0]!.state, 'online');
  const rules = await client.request('rules.list');
  assert.ok(rules.some((r) => r.name === 'Storage full'));
  status = await client.request('storage.status');
  assert.equal(status.state, 'full', 'still full: nothing was freed');
  assert.ok(status.pendingSnapshots >= during.length,
    `${status.pendingSnapshots} snapshots pending, ${during.length} taken since the disk is full`);

  // Space comes back.
  const firstWaiting = localSnapshots(filledAt)[0]!.time;
  fs.rmSync(filler);
  const freedAt = Date.now();
  const ok = await until('the storage state returns to ok', 10_000, async () => {
    const s = await client.request('storage.status');
    return s.state === 'ok' ? s : undefined;
  });
  const okAt = Date.now();
  t.diagnostic(`storage ok ${okAt - freedAt} ms after the filler was deleted`);
  assert.equal(ok.message, null);
  assert.ok(storageEvents().some((s, i, all) => s.state === 'ok' && all.slice(0, i).some((x) => x.state === 'full')),
    'a storage event announced the return to ok');
  await until('the pending snapshots are written', 5000, async () =>
    (await client.request('storage.status')).pendingSnapshots <= 1);
  await until('the "Storage full" alert resolves', 10_000, async () =>
    !(await client.request('alerts.active')).some((a) => a.ruleName === 'Storage full' && a.state === 'firing'));
  // Alert history could not be written while the disk was full; once it can, the alert is in it, resolved.
  const history = await until('the "Storage full" alert is in the alert history', 5000, async () =>
    (await client.request('alerts.history', { host: 'local', limit: 1000 }))
      .find((a) => a.ruleName === 'Storage full' && a.state === 'resolved'));
  assert.ok(history.firedAt !== null && history.firedAt >= filledAt - 1000 && history.firedAt <= fullAt + 1000,
    `fired when the disk filled up: ${JSON.stringify(history)}`);
  const taken = localSnapshots(filledAt, okAt).map((s) => s.time);
  const lastTaken = taken.at(-1)!;

  client.close();
  httpClosed = true;
  await http.close();
  engineStopped = true;
  await engine.stop();

  // On disk, read by a fresh connection: sound, and holding what was taken while the disk was full.
  assert.deepEqual(integrity(file), [{ integrity_check: 'ok' }]);
  const db = openDatabase(file);
  try {
    const store = new SampleStore(db);
    const from = firstWaiting - (firstWaiting % 1000);
    const result = store.query({ host: 'local', metric: 'up', from, to: lastTaken, maxPoints: Math.ceil((lastTaken - from + 1) / 1000) });
    assert.equal(result.step, 1000);
    const buckets = new Set(result.series[0]?.points.map((p) => p.t));
    const lost = taken.filter((time) => !buckets.has(time - (time % 1000)));
    assert.deepEqual(lost.map((time) => new Date(time).toISOString()), [],
      `snapshots taken while the disk was full were not written (${taken.length} taken)`);
    // And the storage-full metric itself was recorded: 1 while full.
    const flag = store.query({ host: 'local', metric: 'hostwatch.storage.full', from, to: lastTaken, maxPoints: 1 });
    assert.equal(flag.series[0]?.points[0]?.max, 1, 'hostwatch.storage.full was 1 while the disk was full');
  } finally {
    db.close();
  }
});

/**
 * A database Hostwatch wrote, built once and copied by each test: 5 hosts × 40 series over 6 simulated
 * hours of 5 s polls (some gaps), flushed a minute at a time, reopened and sealed up to its last poll (so
 * most of it is in blocks, the last ~2 hours in the head log), closed (no WAL left).
 */
let fixture: Promise<string> | undefined;
function realDatabase(t: TestContext): Promise<string> {
  fixture ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-fixture-'));
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, DB_FILE);
    let db = openDatabase(file);
    let store = new SampleStore(db);
    let grid = T0;
    let last = grid;
    for (let i = 0; i < 6 * 720; i++) {
      for (let h = 0; h < HOSTS.length; h++) store.append(snapshotOf(h, grid));
      if (i % 12 === 11) store.flush();
      last = grid;
      grid = nextGrid(grid);
    }
    store.flush();
    db.close();
    db = openDatabase(file);
    store = new SampleStore(db);
    const sealed = await store.seal(last, async () => {});
    assert.ok(sealed.windows > 0, 'the fixture has sealed blocks');
    assert.ok((db.prepare('SELECT count(*) FROM head').pluck().get() as number) > 0, 'the fixture has a head log');
    db.close();
    assert.ok(!fs.existsSync(`${file}-wal`));
    return file;
  })();
  return fixture.then((file) => {
    const copy = path.join(tempDir(t, 'hostwatch-db-'), DB_FILE);
    fs.copyFileSync(file, copy);
    return copy;
  });
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Starts the engine on `file`'s directory expecting it to refuse; returns the error (stops an engine that started). */
async function refusal(file: string): Promise<Error> {
  const outcome = await startEngine({ dataDir: path.dirname(file), version: 'test', intervalMs: 200 }).then(
    (engine) => engine,
    (error: unknown) => error as Error,
  );
  if (outcome instanceof Error) return outcome;
  const stopped = await outcome.stop().then(() => 'stopped', (error: unknown) => `stop() threw: ${String(error)}`);
  assert.fail(`the engine started on a database it should have refused (then ${stopped})`);
}

/** Pages (1-based) of `table`'s b-tree and overflow pages, from SQLite's dbstat. */
function pagesOf(file: string, table: string): number[] {
  const db = new Sqlite(file, { readonly: true });
  try {
    return db.prepare<[string], number>('SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno').pluck().all(table);
  } finally {
    db.close();
  }
}

for (const [what, table] of [['sealed history (blocks)', 'chunks'], ['the head log', 'head']] as const) {
  test(`a database with garbage over pages of ${what} is refused with its name, said to be left untouched, and not one byte of it changes`, async (t) => {
    const file = await realDatabase(t);
    const pageSize = (() => { const db = new Sqlite(file, { readonly: true }); try { return db.pragma('page_size', { simple: true }) as number; } finally { db.close(); } })();
    const pages = fs.statSync(file).size / pageSize;
    // Three of the table's pages nearest the middle of the file.
    const candidates = pagesOf(file, table);
    assert.ok(candidates.length >= 3, `${table} has ${candidates.length} pages`);
    const middle = candidates.findIndex((p) => p >= pages / 2);
    const victims = candidates.slice(Math.max(0, Math.min(middle, candidates.length - 3)), undefined).slice(0, 3);
    const bytes = fs.readFileSync(file);
    let x = 12345;
    for (const page of victims) {
      for (let i = (page - 1) * pageSize; i < page * pageSize; i++) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        bytes[i] = x >>> 24;
      }
    }
    fs.writeFileSync(file, bytes);
    t.diagnostic(`garbage over pages ${victims.join(', ')} of ${pages} (${table})`);
    // SQLite itself finds it corrupt (checked on a copy, so the file under test is opened only by Hostwatch).
    const probe = path.join(tempDir(t, 'hostwatch-probe-'), 'copy.db');
    fs.copyFileSync(file, probe);
    assert.notDeepEqual(integrity(probe), [{ integrity_check: 'ok' }], 'the garbage corrupts the database');

    const before = sha256(file);
    const error = await refusal(file);
    assert.ok(error.message.includes(file), `the error names the file: ${error.message}`);
    assert.match(error.message, /corrupt|malformed|damaged/i);
    assert.match(error.message, /left untouched/i);
    assert.equal(sha256(file), before, 'the corrupt file was changed');
    assert.deepEqual(fs.readdirSync(path.dirname(file)), [DB_FILE], 'no -wal or -shm left behind');
  });
}

test('a database of a newer schema version is refused with its name, said to be left untouched, and not changed', async (t) => {
  const file = await realDatabase(t);
  const db = new Sqlite(file);
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  db.close();

  const before = sha256(file);
  const error = await refusal(file);
  assert.ok(error.message.includes(file), `the error names the file: ${error.message}`);
  assert.match(error.message, /newer/i);
  assert.match(error.message, /left untouched/i);
  assert.equal(sha256(file), before, 'the newer database was changed');
  assert.deepEqual(fs.readdirSync(path.dirname(file)), [DB_FILE], 'no -wal or -shm left behind');
});
