/** `hostwatch status`: each host with its latest values, then the alerts firing now. */
import { formatDuration } from '../../../shared/format.ts';
import { Attr } from '../../../shared/metrics.ts';
import type { LatestSample } from '../store/samples.ts';
import type { CliOptions } from '../cli.ts';
import { formatMetric, formatTime, printJson, table } from './output.ts';
import { openCliStore } from './store.ts';

/** The headline values of a host, as `status` shows them; absent when not collected. */
export interface HeadlineValues {
  cpu?: number;
  memory?: number;
  memoryUsed?: number;
  memoryLimit?: number;
  swap?: number;
  load1m?: number;
  busiestFilesystem?: { mountpoint: string; utilization: number };
  uptime?: number;
}

/** Picks the headline values out of a host's latest samples. */
export function headline(samples: readonly LatestSample[]): HeadlineValues {
  const values: HeadlineValues = {};
  for (const s of samples) {
    const attrs = Object.keys(s.attributes).length;
    switch (s.metric) {
      case 'system.cpu.utilization': if (attrs === 0) values.cpu = s.value; break;
      case 'system.memory.utilization': values.memory = s.value; break;
      case 'system.memory.limit': values.memoryLimit = s.value; break;
      case 'system.memory.usage':
        if (s.attributes[Attr.memoryState] === 'used') values.memoryUsed = s.value;
        break;
      case 'system.paging.utilization': values.swap = s.value; break;
      case 'system.cpu.load_average.1m': values.load1m = s.value; break;
      case 'system.uptime': values.uptime = s.value; break;
      case 'system.filesystem.utilization': {
        const mountpoint = s.attributes[Attr.mountpoint] ?? '?';
        if (!values.busiestFilesystem || s.value > values.busiestFilesystem.utilization) {
          values.busiestFilesystem = { mountpoint, utilization: s.value };
        }
        break;
      }
    }
  }
  return values;
}

export function runStatus(options: CliOptions): number {
  const store = openCliStore(options.dataDir, false);
  try {
    const now = Date.now();
    const hosts = store.hosts.list().map((host) => {
      const samples = store.samples().latest(host.id);
      const updatedAt = samples.reduce((max, s) => Math.max(max, s.t), 0) || null;
      return { ...host, updatedAt, values: headline(samples), samples };
    });
    const active = store.alerts.active();
    if (options.json) {
      printJson({ hosts, alerts: active });
      return 0;
    }
    const show = (metric: string, value: number | undefined) =>
      value === undefined ? '—' : formatMetric(metric, value);
    console.log(table(
      ['HOST', 'CPU', 'MEMORY', 'SWAP', 'LOAD 1M', 'BUSIEST FILESYSTEM', 'UPTIME', 'UPDATED'],
      hosts.map((h) => [
        `${h.name} (${h.id})`,
        show('system.cpu.utilization', h.values.cpu),
        h.values.memoryUsed !== undefined && h.values.memoryLimit !== undefined
          ? `${show('system.memory.utilization', h.values.memory)} (${show('system.memory.limit', h.values.memoryUsed)} of ${show('system.memory.limit', h.values.memoryLimit)})`
          : show('system.memory.utilization', h.values.memory),
        show('system.paging.utilization', h.values.swap),
        show('system.cpu.load_average.1m', h.values.load1m),
        h.values.busiestFilesystem
          ? `${h.values.busiestFilesystem.mountpoint} ${show('system.filesystem.utilization', h.values.busiestFilesystem.utilization)}`
          : '—',
        show('system.uptime', h.values.uptime),
        h.updatedAt === null ? 'never' : `${formatDuration(Math.max(0, (now - h.updatedAt) / 1000))} ago`,
      ]),
    ));
    console.log();
    const firing = active.filter((a) => a.state === 'firing');
    if (firing.length === 0) {
      console.log(`No alerts firing${active.length ? ` (${active.length} pending)` : ''}.`);
    } else {
      console.log(`${firing.length} alert${firing.length === 1 ? '' : 's'} firing:`);
      console.log(table(['SEVERITY', 'HOST', 'ALERT', 'VALUE', 'SINCE'], firing.map((a) => [
        a.severity.toUpperCase(), a.host, a.summary, formatMetric(a.metric, a.value), formatTime(a.firedAt),
      ])));
    }
    return 0;
  } finally {
    store.close();
  }
}
