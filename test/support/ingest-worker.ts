/**
 * Heavy ingest into a real database until killed, for the kill -9 test (test/integration/store-crash.test.ts).
 *
 *   node test/support/ingest-worker.ts FILE
 *
 * Opens FILE with openDatabase and a SampleStore, reads back the newest stored snapshot time and goes on
 * from the grid point after it (the fleet of test/support/ingest-data.ts from T0 on an empty database).
 * Each batch is one grid point of every host, flushed at once; the clock is simulated, so it runs as
 * fast as the store takes it. Every 5 simulated minutes it seals (windows end every simulated hour).
 *
 * Lines on stdout, each written only after what it reports has happened (stdout to a pipe is
 * synchronous on Linux, so a line that reached the parent was written before the next step began):
 *   start GRID              the first grid point this run writes
 *   ack GRID                the batch of GRID was flushed: it is durable
 *   sealing GRID DUE        seal(now = GRID) begins; DUE = 1 when an hour window ended since the last seal
 *   sealed GRID WINDOWS SAMPLES MS   seal returned
 * Exits by itself only on an error (message on stderr) or when stdin closes (the parent is gone).
 */
import { openDatabase } from '../../electron/core/store/database.ts';
import { SEAL_GRACE_MS, SampleStore } from '../../electron/core/store/samples.ts';
import { HOSTS, HOUR_MS, T0, gridOf, nextGrid, snapshotOf } from './ingest-data.ts';

/** Seal every this many simulated ms. */
const SEAL_EVERY_MS = 5 * 60_000;
/** Batches between yields to the event loop (so a closed stdin is noticed). */
const YIELD_EVERY = 64;

const file = process.argv[2];
if (!file) {
  console.error('usage: node test/support/ingest-worker.ts FILE');
  process.exit(2);
}

let parentGone = false;
process.stdin.on('end', () => { parentGone = true; });
process.stdin.on('error', () => { parentGone = true; });
process.stdin.resume();
// The parent stopped reading: it is gone too.
process.stdout.on('error', () => process.exit(0));

const say = (line: string) => { process.stdout.write(`${line}\n`); };

const db = openDatabase(file);
const store = new SampleStore(db);

let newest = -Infinity;
for (const host of HOSTS) {
  for (const sample of store.latest(host)) newest = Math.max(newest, sample.t);
}
let grid = newest === -Infinity ? T0 : nextGrid(gridOf(newest));
say(`start ${grid}`);

let lastSeal = grid;
// The hour windows ended (grace included) before this run; on a new database the first one ends at T0 + 1 h.
let sealedHours = newest === -Infinity ? Math.floor(T0 / HOUR_MS) : Math.floor((grid - SEAL_GRACE_MS) / HOUR_MS);
let batches = 0;
while (!parentGone) {
  for (let h = 0; h < HOSTS.length; h++) store.append(snapshotOf(h, grid));
  store.flush();
  say(`ack ${grid}`);

  if (grid - lastSeal >= SEAL_EVERY_MS) {
    lastSeal = grid;
    const hours = Math.floor((grid - SEAL_GRACE_MS) / HOUR_MS);
    say(`sealing ${grid} ${hours > sealedHours ? 1 : 0}`);
    sealedHours = hours;
    const started = performance.now();
    const sealed = await store.seal(grid, async () => {});
    say(`sealed ${grid} ${sealed.windows} ${sealed.samples} ${(performance.now() - started).toFixed(1)}`);
  }
  if (++batches % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
  grid = nextGrid(grid);
}
// Only reached when the parent went away without killing us.
db.close();
