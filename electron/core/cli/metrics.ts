/** `hostwatch metrics`: every live series of every host with its latest value and unit. */
import { metricDefinition, seriesKey } from '../../../shared/metrics.ts';
import type { CliOptions } from '../cli.ts';
import { formatMetric, formatTime, printJson, table } from './output.ts';
import { openCliStore } from './store.ts';

export function runMetrics(options: CliOptions): number {
  const store = openCliStore(options.dataDir, false);
  try {
    const rows = store.hosts.list().flatMap((host) =>
      store.samples().latest(host.id).map((s) => ({
        host: host.id,
        metric: s.metric,
        attributes: s.attributes,
        unit: metricDefinition(s.metric)?.unit ?? '',
        value: s.value,
        t: s.t,
      })));
    if (options.json) {
      printJson(rows);
      return 0;
    }
    console.log(table(['HOST', 'SERIES', 'VALUE', 'AT'], rows.map((r) => [
      r.host, seriesKey(r.metric, r.attributes), formatMetric(r.metric, r.value), formatTime(r.t),
    ])));
    return 0;
  } finally {
    store.close();
  }
}
