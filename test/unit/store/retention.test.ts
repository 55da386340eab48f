/** Retention on a real SQLite file: exactly the blocks past their tier's cut-off go, queries fall back to a kept tier. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import fc from 'fast-check';
import type { Retention } from '../../../shared/api.ts';
import { openDatabase, type Database } from '../../../electron/core/store/database.ts';
import { pruneHistory } from '../../../electron/core/store/retention.ts';
import { SampleStore } from '../../../electron/core/store/samples.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const D0 = Date.UTC(2026, 0, 1);
const DAYS = 6;
const RETENTION: Retention = { rawDays: 1, minuteDays: 2, hourDays: 3 };
const LOAD = 'system.cpu.load_average.1m';
const NET = 'system.network.io';
const NET_ATTRS = { 'system.device': 'usb0', 'network.io.direction': 'receive' };
const noPause = async () => {};

/** The load average every 5 minutes for six days, a network series on the first day only. */
const loadAt = (t: number) => Math.round(((t / (5 * MINUTE)) % 37) * 7) / 100;

let template: string | null = null;

/** A database with that history sealed, built once and copied for each test. */
async function openCopy(t: TestContext): Promise<{ db: Database; store: SampleStore; file: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-retention-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'hostwatch.db');
  if (!template) {
    const templateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-retention-template-'));
    process.on('exit', () => fs.rmSync(templateDir, { recursive: true, force: true }));
    template = path.join(templateDir, 'hostwatch.db');
    const db = openDatabase(template);
    const store = new SampleStore(db);
    for (let t = D0; t < D0 + DAYS * DAY; t += 5 * MINUTE) {
      const samples = [{ metric: LOAD, attributes: {}, value: loadAt(t) }];
      if (t < D0 + DAY) samples.push({ metric: NET, attributes: NET_ATTRS, value: 1000 });
      store.append({ host: 'local', time: t, samples, errors: [] });
      if (t % (6 * HOUR) === 0) store.flush();
    }
    store.flush();
    await store.seal(D0 + DAYS * DAY + HOUR, noPause);
    db.close();
  }
  fs.copyFileSync(template, file);
  const db = openDatabase(file);
  t.after(() => { if (db.open) db.close(); });
  return { db, store: new SampleStore(db), file };
}

interface Block { id: number; tier: number; start: number }

function blocks(db: Database): Block[] {
  return db.prepare<[], Block>('SELECT series_id AS id, tier, start FROM chunks ORDER BY series_id, tier, start').all();
}

function timesStarts(db: Database): number[] {
  return db.prepare<[], number>('SELECT start FROM chunk_times ORDER BY start').pluck().all();
}

/** The documented rule: a block goes once its whole span (an hour; a day for 1-hour rollups) is older than the cut-off. */
function kept(block: Block, now: number, r: Retention): boolean {
  const [days, span] = block.tier === 0 ? [r.rawDays, HOUR] : block.tier === 1 ? [r.minuteDays, HOUR] : [r.hourDays, DAY];
  return block.start + span > now - days * DAY;
}

test('the template history is sealed as expected', async (t) => {
  const { db } = await openCopy(t);
  const all = blocks(db);
  assert.equal(all.filter((b) => b.tier === 0).length, DAYS * 24 + 24);
  assert.equal(all.filter((b) => b.tier === 2).length, DAYS + 1);
  assert.equal(timesStarts(db).length, DAYS * 24);
  assert.equal(db.prepare('SELECT count(*) FROM head').pluck().get(), 0);
});

test('pruneHistory deletes exactly the blocks whose whole span is older than their tier\'s cut-off, at each boundary', async (t) => {
  const { db } = await openCopy(t);
  const original = blocks(db);
  const originalTimes = timesStarts(db);
  const seriesIds = db.prepare<[], number>('SELECT id FROM series ORDER BY id').pluck().all();
  // A raw window, a 1-minute block and a day of 1-hour rollups each reach their cut-off: 1 ms before, at it.
  // [tier, block start, the time its span reaches its cut-off]
  const targets: [number, number, number][] = [
    [0, D0 + 30 * HOUR, D0 + 30 * HOUR + HOUR + RETENTION.rawDays * DAY],
    [1, D0 + 40 * HOUR, D0 + 40 * HOUR + HOUR + RETENTION.minuteDays * DAY],
    [2, D0, D0 + DAY + RETENTION.hourDays * DAY], // the network series' last block: the series goes with it
    [2, D0 + 3 * DAY, D0 + 3 * DAY + DAY + RETENTION.hourDays * DAY],
  ];
  const nows = targets.flatMap(([, , b]) => [b - 1, b]).sort((a, b) => a - b);
  let previous = original;
  let previousTimes = originalTimes;
  let seriesLeft = seriesIds;
  for (const now of nows) {
    let pauses = 0;
    const result = await pruneHistory(db, RETENTION, now, { pause: async () => { pauses++; } });
    const left = blocks(db);
    const times = timesStarts(db);
    assert.deepEqual(left, original.filter((b) => kept(b, now, RETENTION)), `blocks at now = ${new Date(now).toISOString()}`);
    assert.deepEqual(times, originalTimes.filter((s) => s + HOUR > now - RETENTION.rawDays * DAY), `times blocks at ${now}`);
    assert.equal(result.blocks, previous.length - left.length + previousTimes.length - times.length);
    const nowSeries = db.prepare<[], number>('SELECT id FROM series ORDER BY id').pluck().all();
    assert.deepEqual(nowSeries, seriesIds.filter((id) => left.some((b) => b.id === id)), 'series without blocks are deleted');
    assert.deepEqual(result.series, seriesLeft.filter((id) => !nowSeries.includes(id)));
    assert.equal(pauses, seriesLeft.length, 'one pause per series');
    for (const [tier, start, boundary] of targets) {
      const there = left.some((b) => b.tier === tier && b.start === start && b.id === seriesIds[0]);
      if (now === boundary - 1) assert.ok(there, `tier ${tier} block at ${start} kept 1 ms before its cut-off`);
      if (now === boundary) assert.ok(!there, `tier ${tier} block at ${start} deleted at its cut-off`);
    }
    previous = left;
    previousTimes = times;
    seriesLeft = nowSeries;
  }
  assert.equal(seriesLeft.length, 1, 'the network series went with its last block');
  const netBlocks = original.filter((b) => b.id === seriesIds[1]);
  assert.ok(netBlocks.length > 0 && netBlocks.every((b) => b.start < D0 + DAY));
});

test('pruneHistory at random times keeps exactly what the rule keeps', async (t) => {
  const { file } = await openCopy(t);
  const db0 = openDatabase(file);
  const original = blocks(db0);
  const originalTimes = timesStarts(db0);
  db0.close();
  const dir = path.dirname(file);
  let run = 0;
  await fc.assert(fc.asyncProperty(
    fc.record({ rawDays: fc.integer({ min: 1, max: 4 }), minuteDays: fc.integer({ min: 1, max: 6 }), hourDays: fc.integer({ min: 1, max: 8 }) }),
    fc.integer({ min: D0, max: D0 + 14 * DAY }),
    async (retention, now) => {
      const copy = path.join(dir, `run-${run++}.db`);
      fs.copyFileSync(file, copy);
      const db = openDatabase(copy);
      try {
        await pruneHistory(db, retention, now, { pause: noPause });
        assert.deepEqual(blocks(db), original.filter((b) => kept(b, now, retention)));
        assert.deepEqual(timesStarts(db), originalTimes.filter((s) => s + HOUR > now - retention.rawDays * DAY));
      } finally {
        db.close();
        for (const suffix of ['', '-wal', '-shm']) fs.rmSync(copy + suffix, { force: true });
      }
    }), { numRuns: 15 });
});

test('a series in `keep` stays without blocks; one not in it and without blocks is deleted', async (t) => {
  const { db, store } = await openCopy(t);
  store.append({ host: 'local', time: D0 + DAYS * DAY + 10 * MINUTE, samples: [{ metric: 'system.uptime', attributes: {}, value: 5 }], errors: [] });
  store.flush();
  const fresh = db.prepare<[], number>("SELECT id FROM series WHERE metric = 'system.uptime'").pluck().get()!;
  assert.deepEqual(store.liveSeriesIds(), new Set([fresh]));
  let result = await pruneHistory(db, RETENTION, D0 + DAYS * DAY, { pause: noPause, keep: () => store.liveSeriesIds() });
  assert.ok(!result.series.includes(fresh));
  assert.equal(db.prepare('SELECT count(*) FROM series WHERE id = ?').pluck().get(fresh), 1);
  result = await pruneHistory(db, RETENTION, D0 + DAYS * DAY, { pause: noPause });
  assert.ok(result.series.includes(fresh), 'without keep it has no block, so it goes');
});

test('after raw is pruned, a query of that old range reads the 1-minute tier, and older still the 1-hour tier', async (t) => {
  const { db, store } = await openCopy(t);
  const now = D0 + DAYS * DAY;
  store.setRetention(RETENTION);
  await pruneHistory(db, RETENTION, now, { pause: noPause });
  const query = (from: number, to: number, maxPoints: number) => store.query({ host: 'local', metric: LOAD, from, to, maxPoints }, now);
  const loadSamples = (from: number, to: number) => {
    const out: [number, number][] = [];
    for (let t = Math.ceil(from / (5 * MINUTE)) * 5 * MINUTE; t <= to; t += 5 * MINUTE) out.push([t, loadAt(t)]);
    return out;
  };
  const brute = (samples: [number, number][], origin: number, step: number) => {
    const buckets = new Map<number, number[]>();
    for (const [t, v] of samples) {
      const i = Math.floor((t - origin) / step);
      buckets.set(i, [...(buckets.get(i) ?? []), v]);
    }
    return [...buckets].map(([i, vs]) => ({ t: origin + i * step, min: Math.min(...vs), max: Math.max(...vs), avg: vs.reduce((a, b) => a + b, 0) / vs.length }));
  };
  const same = (actual: { t: number; min: number; max: number; avg: number }[], want: ReturnType<typeof brute>) => {
    assert.deepEqual(actual.map((p) => [p.t, p.min, p.max]), want.map((p) => [p.t, p.min, p.max]));
    actual.forEach((p, i) => assert.ok(Math.abs(p.avg - want[i]!.avg) <= 0.005 + 1e-9, `${p.avg} vs ${want[i]!.avg}`));
  };

  // Within raw retention: raw, every sample.
  const recent = query(now - 2 * HOUR, now - HOUR, 3601);
  assert.equal(recent.tier, 'raw');
  same(recent.series[0]!.points, brute(loadSamples(now - 2 * HOUR, now - HOUR), now - 2 * HOUR, recent.step));
  // Raw was pruned there (36 h ago): the same one-hour chart at 1 s resolution comes from 1-minute rollups.
  const from = now - 36 * HOUR;
  assert.equal(blocks(db).filter((b) => b.tier === 0 && b.start === from).length, 0, 'no raw block left there');
  const old = query(from, from + HOUR - 1, 3600);
  assert.deepEqual([old.tier, old.step], ['1m', MINUTE]);
  same(old.series[0]!.points, brute(loadSamples(from, from + HOUR - 1), from, MINUTE));
  // Beyond the 1-minute retention too (60 h ago): 1-hour rollups.
  const older = query(now - 60 * HOUR, now - 54 * HOUR - 1, 3600);
  assert.equal(older.tier, '1h');
  same(older.series[0]!.points, brute(loadSamples(now - 60 * HOUR, now - 54 * HOUR - 1), now - 60 * HOUR, HOUR));
});

test('pruning gives the freed pages back to the OS', async (t) => {
  const { db, file } = await openCopy(t);
  assert.equal(db.pragma('auto_vacuum', { simple: true }), 2, 'a new database vacuums incrementally');
  db.pragma('wal_checkpoint(TRUNCATE)');
  const before = fs.statSync(file).size;
  const result = await pruneHistory(db, { rawDays: 1, minuteDays: 1, hourDays: 1 }, D0 + DAYS * DAY, { pause: noPause });
  assert.ok(result.blocks > 0 && result.pagesFreed > 0, JSON.stringify(result));
  db.pragma('wal_checkpoint(TRUNCATE)');
  assert.ok(fs.statSync(file).size < before, 'the file shrank');
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
});

test('a series first flushed while pruneHistory runs keeps its row and its samples', async (t) => {
  // The engine passes keep: () => samples.liveSeriesIds(), then calls forgetSeries(result.series). A host
  // added (or a disk plugged in) during the pass gets series rows with no block.
  const { db, store } = await openCopy(t);
  const now = D0 + DAYS * DAY;
  let polled = false;
  const result = await pruneHistory(db, RETENTION, now, {
    keep: () => store.liveSeriesIds(),
    pause: async () => {
      if (polled) return;
      polled = true;
      store.append({ host: 'new-host', time: now, samples: [{ metric: LOAD, attributes: {}, value: 1.5 }], errors: [] });
      store.flush();
    },
  });
  store.forgetSeries(result.series);
  assert.equal(db.prepare("SELECT count(*) FROM series WHERE host = 'new-host'").pluck().get(), 1);
  assert.equal(store.query({ host: 'new-host', metric: LOAD, from: now - 1000, to: now + 1000, maxPoints: 10 }, now).series.length, 1);
});
