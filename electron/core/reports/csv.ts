/**
 * A report's data as CSV (RFC 4180): the buckets the report was computed from, one row per bucket and
 * series, for a spreadsheet or a script. Text cells are quoted when needed and neutralised against
 * formula injection (OWASP "CSV Injection"): a host named `=cmd|' /C calc'!A0` stays text.
 */
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Attr, metricDefinition, type Attributes } from '../../../shared/metrics.ts';
import type { Report } from '../../../shared/report.ts';
import { ANY } from '../../../shared/rules.ts';
import type { SampleStore } from '../store/samples.ts';

/** The columns; `unit` is the catalog unit of avg/min/max on that row ('1' ratio, 'By/s', 's' …). */
export const CSV_HEADER = ['time', 'host', 'host_name', 'metric', 'attributes', 'unit', 'avg', 'min', 'max'] as const;

/**
 * The series a CSV holds per host: what the report's figures come from, per device (not summed), plus
 * the used bytes the filesystem trends are fitted to, and each service check's success and run time.
 */
const CSV_SERIES: readonly { metric: string; matchers?: Attributes }[] = [
  { metric: 'up' },
  { metric: 'system.uptime' },
  { metric: 'system.cpu.utilization', matchers: { [Attr.cpu]: '' } },
  { metric: 'system.memory.utilization' },
  { metric: 'system.paging.utilization' },
  { metric: 'system.filesystem.utilization', matchers: { [Attr.mountpoint]: ANY } },
  { metric: 'system.filesystem.usage', matchers: { [Attr.mountpoint]: ANY, [Attr.filesystemState]: 'used' } },
  { metric: 'system.network.io' },
  { metric: 'system.disk.io' },
  { metric: 'probe_success', matchers: { [Attr.check]: ANY } },
  { metric: 'probe_duration_seconds', matchers: { [Attr.check]: ANY } },
];

/** Rows are written in chunks of about this many characters. */
const CHUNK_CHARS = 1 << 16;

/** Leading characters a spreadsheet takes as the start of a formula (or that hide one: tab, CR, LF, NUL). */
const FORMULA_START = /^[=+\-@\t\r\n\0]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One text cell: prefixed with an apostrophe when it starts like a formula (= + - @, tab, CR, LF, NUL),
 * then quoted per RFC 4180 when it holds a comma, quote or line break (quotes doubled).
 */
export function csvText(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One number cell, as written: shortest round-trip decimal (negative numbers stay numbers). */
export function csvNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : '';
}

/**
 * Attributes as `key=value;key=value`, keys sorted (empty for none); `%`, `;` and `=` inside a key or
 * value are percent-encoded (`%25`, `%3B`, `%3D`) so a mount point holding them cannot be misread.
 */
export function attributesText(attributes: Attributes): string {
  return Object.keys(attributes).sort().map((k) => `${encodePart(k)}=${encodePart(attributes[k]!)}`).join(';');
}

function encodePart(text: string): string {
  return text.replace(/[%;=]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The CSV of `report` as text chunks (header first, CRLF line ends as RFC 4180 has them): per host of the
 * report, per series of CSV_SERIES, one row per bucket of the report's range, read from `samples` the
 * way the report read them (same buckets: Report.bucketSeconds wide, `time` its start in ISO 8601 UTC).
 * Reads one host at a time, so memory stays at one host's buckets whatever the range.
 */
export function* reportCsvChunks(report: Report, samples: SampleStore): Generator<string> {
  const maxPoints = Math.ceil((report.to - report.from) / (report.bucketSeconds * 1000)) + 1;
  const iso = isoTimeFormatter();
  let chunk = `${CSV_HEADER.join(',')}\r\n`;
  for (const host of report.hosts) {
    const hostCells = `${csvText(host.id)},${csvText(host.name)},`;
    for (const { metric, matchers } of CSV_SERIES) {
      const result = samples.query({
        host: host.id, metric, ...(matchers ? { matchers } : {}), from: report.from, to: report.to, maxPoints,
      }, report.generatedAt);
      const unit = csvText(metricDefinition(metric)?.unit ?? '');
      for (const series of result.series) {
        // Everything but the time and the figures is the same on every row of a series.
        const middle = `,${hostCells}${csvText(series.metric)},${csvText(attributesText(series.attributes))},${unit},`;
        for (const p of series.points) {
          chunk += `${iso(p.t)}${middle}${csvNumber(p.avg)},${csvNumber(p.min)},${csvNumber(p.max)}\r\n`;
          if (chunk.length >= CHUNK_CHARS) {
            yield chunk;
            chunk = '';
          }
        }
      }
    }
  }
  if (chunk.length > 0) yield chunk;
}

const DAY_MS = 86_400_000;

/**
 * `t` (ms since epoch) as ISO 8601 UTC, `2026-03-04T14:05:00.000Z`, as Date.toISOString writes it but
 * about 5× faster on a run of times in the same day (tens of millions of rows on a 30-day report):
 * the date part is made once a day.
 */
export function isoTimeFormatter(): (t: number) => string {
  let day = Number.NaN;
  let prefix = '';
  return (t) => {
    const d = Math.floor(t / DAY_MS);
    if (d !== day || !(t >= 0)) {
      if (!(t >= 0) || t >= 253_402_300_800_000) return new Date(t).toISOString(); // outside years 1970–9999
      day = d;
      prefix = new Date(d * DAY_MS).toISOString().slice(0, 11);
    }
    let ms = t - d * DAY_MS;
    const h = Math.floor(ms / 3_600_000);
    ms -= h * 3_600_000;
    const m = Math.floor(ms / 60_000);
    ms -= m * 60_000;
    const sec = Math.floor(ms / 1000);
    ms -= sec * 1000;
    return `${prefix}${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${sec < 10 ? '0' : ''}${sec}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
  };
}

/**
 * Writes the CSV of `report` (see reportCsvChunks) to `out` with backpressure, ends it, and resolves
 * once it is finished; rejects with the stream's error (a full disk), having stopped reading.
 */
export async function writeReportCsv(report: Report, samples: SampleStore, out: Writable): Promise<void> {
  await pipeline(Readable.from(reportCsvChunks(report, samples), { objectMode: false }), out);
}
