/** `hostwatch cleanup [--days N]`: deletes raw samples older than N days now, as the engine does daily. */
import { formatBytes } from '../../../shared/format.ts';
import { DEFAULT_RETENTION_DAYS } from '../engine.ts';
import { Retention } from '../store/retention.ts';
import type { CliOptions } from '../cli.ts';
import { printJson } from './output.ts';
import { openCliStore } from './store.ts';

export async function runCleanup(options: CliOptions): Promise<number> {
  const days = options.days ?? DEFAULT_RETENTION_DAYS;
  const store = openCliStore(options.dataDir, false);
  try {
    const pageSize = store.db.pragma('page_size', { simple: true }) as number;
    const result = await new Retention(store.db).prune(Date.now() - days * 86_400_000, async () => {});
    if (options.json) printJson({ days, ...result, bytesFreed: result.pagesFreed * pageSize });
    else {
      console.log(`Deleted ${result.samples} samples older than ${days} days and ${result.series} series left empty; ` +
        `gave ${formatBytes(result.pagesFreed * pageSize)} back to the disk.`);
    }
    return 0;
  } finally {
    store.close();
  }
}
