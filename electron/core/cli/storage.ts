/**
 * `hostwatch storage [--raw DAYS] [--minute DAYS] [--hour DAYS] [--json]`: the database's size, each
 * host's share of the history and the retention per tier; with a tier flag, sets that tier's retention
 * (a running engine picks it up at its next cleanup pass).
 */
import { Retention } from '../../../shared/api.ts';
import { formatBytes, formatPercent } from '../../../shared/format.ts';
import type { CliOptions } from '../cli.ts';
import { printJson, table } from './output.ts';
import { openCliStore } from './store.ts';
import { statSync } from 'node:fs';

export function runStorage(options: CliOptions): number {
  const store = openCliStore(options.dataDir, false);
  try {
    const samples = store.samples();
    const { raw, minute, hour } = options.retention;
    if (raw !== undefined || minute !== undefined || hour !== undefined) {
      const current = samples.retention;
      samples.setRetention(Retention.parse({
        rawDays: raw ?? current.rawDays, minuteDays: minute ?? current.minuteDays, hourDays: hour ?? current.hourDays,
      }));
    }
    const names = new Map(store.hosts.list().map((h) => [h.id, h.name]));
    const byHost = [...samples.bytesByHost()].sort((a, b) => b[1] - a[1]);
    const total = byHost.reduce((sum, [, bytes]) => sum + bytes, 0);
    const bytes = size(store.file) + size(`${store.file}-wal`);
    const hosts = byHost.map(([host, hostBytes]) => ({
      host, name: names.get(host) ?? host, bytes: hostBytes, share: total > 0 ? hostBytes / total : 0,
    }));
    if (options.json) {
      printJson({ file: store.file, bytes, hosts, retention: samples.retention });
      return 0;
    }
    const r = samples.retention;
    console.log(`${store.file}: ${formatBytes(bytes)}`);
    console.log(`Retention: raw samples ${r.rawDays} days, 1-minute rollups ${r.minuteDays} days, 1-hour rollups ${r.hourDays} days`);
    if (hosts.length > 0) {
      console.log(table(['HOST', 'HISTORY', 'SHARE'], hosts.map((h) => [h.name, formatBytes(h.bytes), formatPercent(h.share)])));
    }
    return 0;
  } finally {
    store.close();
  }
}

function size(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
