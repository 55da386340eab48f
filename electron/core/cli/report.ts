/**
 * `hostwatch report`: a health report of a range for some or all hosts, written to a file (or stdout)
 * in HTML, PDF, Markdown, JSON or CSV. Reads the same database the engine writes, while it runs.
 */
import { statSync } from 'node:fs';
import { formatBytes } from '../../../shared/format.ts';
import { parseDuration } from '../../../shared/duration.ts';
import { REPORT_SECTIONS, ReportFormat } from '../../../shared/report.ts';
import type { CliOptions } from '../cli.ts';
import { REPORT_FILE_TYPES, writeReport, writeReportFile } from '../reports/export.ts';
import { packageVersion } from '../paths.ts';
import { CheckRepository } from '../store/checks.ts';
import { findHost } from './hosts.ts';
import { openCliStore } from './store.ts';
import { UsageError } from './usage.ts';

export async function runReport(options: CliOptions): Promise<number> {
  const { from, to } = reportRange(options.report, Date.now());
  const format = ReportFormat.safeParse(options.report.format ?? 'html');
  if (!format.success) throw new UsageError(`--format takes html, pdf, md, json or csv, not '${options.report.format}'`);
  const store = openCliStore(options.dataDir, false);
  try {
    const hosts = options.hosts.map((name) => findHost(store, name).id);
    const sources = { samples: store.samples(), alerts: store.alerts, hosts: store.hosts, checks: new CheckRepository(store.db), version: packageVersion() };
    const request = { from, to, hosts, sections: [...REPORT_SECTIONS] };
    const out = options.report.out ??
      `hostwatch-report-${new Date(to).toISOString().slice(0, 10)}.${REPORT_FILE_TYPES[format.data].extension}`;
    if (out === '-') {
      await writeReport(sources, request, format.data, process.stdout);
      return 0;
    }
    await writeReportFile(sources, request, format.data, out);
    console.error(`Wrote ${out} (${formatBytes(statSync(out).size)}).`);
    return 0;
  } finally {
    store.close();
  }
}

/**
 * The range the flags ask for, ms: `--range DURATION` (24h, 7d, 30d, 1h30m…) ending now, or `--from`
 * and `--to` (ISO 8601 or anything Date parses; `--to` defaults to now). Default: the last 24 hours.
 * Throws a UsageError for a bad value or an empty range.
 */
export function reportRange(flags: CliOptions['report'], now: number): { from: number; to: number } {
  if (flags.range !== undefined && (flags.from !== undefined || flags.to !== undefined)) {
    throw new UsageError('give --range, or --from and --to, not both');
  }
  const time = (text: string, flag: string) => {
    const t = Date.parse(text);
    if (Number.isNaN(t)) throw new UsageError(`${flag} takes a date and time such as 2026-11-20T08:00, not '${text}'`);
    return t;
  };
  if (flags.from !== undefined || flags.to !== undefined) {
    if (flags.from === undefined) throw new UsageError('--to needs --from');
    const from = time(flags.from, '--from');
    const to = flags.to === undefined ? now : time(flags.to, '--to');
    if (!(from < to)) throw new UsageError('--from must be before --to');
    return { from, to };
  }
  const seconds = parseDuration(flags.range ?? '24h');
  if (seconds === null || seconds <= 0) throw new UsageError(`--range takes a duration such as 24h, 7d or 30d, not '${flags.range}'`);
  return { from: now - seconds * 1000, to: now };
}
