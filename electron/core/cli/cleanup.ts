/**
 * `hostwatch cleanup [--days N]`: deletes history older than the retention of each tier now, as the
 * engine does daily; `--days N` keeps N days of raw samples for this pass instead of the setting.
 */
import { formatBytes } from '../../../shared/format.ts';
import { pruneHistory } from '../store/retention.ts';
import type { CliOptions } from '../cli.ts';
import { printJson } from './output.ts';
import { openCliStore } from './store.ts';

export async function runCleanup(options: CliOptions): Promise<number> {
  const store = openCliStore(options.dataDir, false);
  try {
    const samples = store.samples();
    const retention = { ...samples.retention, rawDays: options.days ?? samples.retention.rawDays };
    const pageSize = store.db.pragma('page_size', { simple: true }) as number;
    const result = await pruneHistory(store.db, retention, Date.now(), { pause: async () => {}, keep: () => samples.liveSeriesIds() });
    const bytesFreed = result.pagesFreed * pageSize;
    if (options.json) printJson({ retention, blocks: result.blocks, series: result.series.length, bytesFreed });
    else {
      console.log(`Kept ${retention.rawDays} days of raw samples, ${retention.minuteDays} of 1-minute and ` +
        `${retention.hourDays} of 1-hour rollups: deleted ${result.blocks} blocks and ${result.series.length} ` +
        `series left empty; gave ${formatBytes(bytesFreed)} back to the disk.`);
    }
    return 0;
  } finally {
    store.close();
  }
}
