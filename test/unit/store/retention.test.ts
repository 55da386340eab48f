/** Retention on a real SQLite file: what is older than the cut-off goes, the rest stays, space comes back. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../../electron/core/store/database.ts';
import { Retention } from '../../../electron/core/store/retention.ts';
import { SampleStore } from '../../../electron/core/store/samples.ts';
import { tempDataDir } from '../../support/serve.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

test('samples before the cut-off are deleted, later ones and their series kept, emptied series dropped', async () => {
  const file = join(tempDataDir(), 'hostwatch.db');
  const db = openDatabase(file);
  try {
    assert.equal(db.pragma('auto_vacuum', { simple: true }), 2, 'a new database vacuums incrementally');
    const store = new SampleStore(db);
    // 20 days of one sample a minute for a live series; a series last seen on day 2.
    for (let t = T0; t < T0 + 20 * DAY; t += 60_000) {
      const samples = [{ metric: 'system.cpu.utilization', attributes: {}, value: 0.5 }];
      if (t < T0 + 2 * DAY) samples.push({ metric: 'system.network.io', attributes: { 'system.device': 'usb0', 'network.io.direction': 'receive' }, value: 1 });
      store.append({ host: 'local', time: t, samples, errors: [] });
      if ((t - T0) % (600 * 60_000) === 0) store.flush(); // the buffer holds at most 1200 snapshots
    }
    store.flush();
    db.pragma('wal_checkpoint(TRUNCATE)'); // the samples into the main file, so its size says what is stored
    const before = statSync(file).size;
    let pauses = 0;
    const result = await new Retention(db).prune(T0 + 6 * DAY, async () => { pauses++; });
    assert.equal(result.samples, 6 * 1440 + 2 * 1440);
    assert.equal(result.series, 1, 'the series not seen since day 2 is gone');
    assert.equal(pauses, 2, 'one pause per series');
    const left = db.prepare('SELECT min(t) AS first, count(*) AS n FROM samples').get() as { first: number; n: number };
    assert.equal(left.first, T0 + 6 * DAY);
    assert.equal(left.n, 14 * 1440);
    db.pragma('wal_checkpoint(TRUNCATE)');
    assert.ok(result.pagesFreed > 0 && statSync(file).size < before, 'the file shrank');
  } finally {
    db.close();
  }
});
