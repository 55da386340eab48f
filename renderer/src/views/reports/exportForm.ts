/**
 * The Export dialog's model: a range (a preset ending now, or two datetime-local inputs in local time),
 * the hosts and a format, checked and turned into the ReportRequest; and the pieces of both ways a
 * report is made: the browser's GET /report (its URL, the file name the engine gives, its error text)
 * and the desktop bridge (its error text).
 */
import { REPORT_SECTIONS, type ReportFormat, type ReportRequest, type ReportSection } from '../../../../shared/report.ts';
import type { HostChoice } from './hostChoice.ts';
import { hostsIssue, hostsParam } from './hostChoice.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export type RangeChoice = '24h' | '7d' | '30d' | 'custom';

export const RANGE_CHOICES: readonly { id: RangeChoice; label: string; ms: number | null }[] = [
  { id: '24h', label: 'Last 24 h', ms: DAY_MS },
  { id: '7d', label: 'Last 7 days', ms: 7 * DAY_MS },
  { id: '30d', label: 'Last 30 days', ms: 30 * DAY_MS },
  { id: 'custom', label: 'Custom', ms: null },
];

/** Each format with what it is good for; what a report includes follows from the format. */
export const FORMATS: readonly { id: ReportFormat; label: string; hint: string }[] = [
  { id: 'html', label: 'HTML', hint: 'One file, opens in any browser, prints well' },
  { id: 'pdf', label: 'PDF', hint: 'Pages to print, attach to a ticket or hand on' },
  { id: 'md', label: 'Markdown', hint: 'Plain text with tables, for a wiki or a ticket; no charts' },
  { id: 'json', label: 'JSON', hint: 'The whole report as data, in a versioned schema' },
  { id: 'csv', label: 'CSV', hint: 'Every sample of the range, for spreadsheets' },
];

export interface ExportForm {
  range: RangeChoice;
  /** The custom range as typed in the datetime-local inputs (local time). */
  from: string;
  to: string;
  hosts: HostChoice;
  format: ReportFormat;
  /** What the report includes (a CSV holds samples and ignores it). */
  sections: ReportSection[];
}

/** The "Include" choices, in the order the report shows them. */
export const SECTION_CHOICES: readonly { id: ReportSection; label: string; hint: string }[] = [
  { id: 'resources', label: 'Resources', hint: 'CPU, memory, swap, filesystems, network and disk I/O, trends' },
  { id: 'charts', label: 'Charts', hint: 'A small chart of each resource over the range' },
  { id: 'checks', label: 'Service checks', hint: 'Availability, run times and time down of each check' },
  { id: 'alerts', label: 'Alerts', hint: 'Every alert of the range, counts by severity and rule' },
  { id: 'recommendations', label: 'Recommendations', hint: 'What to look at, with the figures behind it' },
];

export type ExportIssues = Partial<Record<'from' | 'to' | 'hosts', string>>;

/** A datetime-local input's value for `ms`, in local time, to the minute. */
export function localInputValue(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A datetime-local input's value as ms (local time), or NaN when it is empty or incomplete. */
export function parseLocalInput(value: string): number {
  // Without an offset, a date-time string is read as local time.
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value) ? new Date(value).getTime() : Number.NaN;
}

/** The form as it opens: the last 24 h, HTML, every host or just `host`; the custom inputs hold the last 24 h too. */
export function initialForm(now: number, host?: string): ExportForm {
  return {
    range: '24h',
    from: localInputValue(now - DAY_MS),
    to: localInputValue(now),
    hosts: host === undefined ? { all: true, picked: [] } : { all: false, picked: [host] },
    format: 'html',
    sections: [...REPORT_SECTIONS],
  };
}

/**
 * The request the form asks for at `now`, or the message to show next to each field that is wrong;
 * `range` is the range alone, known even while the hosts are wrong.
 */
export function validate(form: ExportForm, now: number): {
  request: ReportRequest | null; range: { from: number; to: number } | null; issues: ExportIssues;
} {
  const issues: ExportIssues = {};
  const hosts = hostsIssue(form.hosts);
  if (hosts) issues.hosts = hosts;
  let from: number;
  let to: number;
  const preset = RANGE_CHOICES.find((r) => r.id === form.range)?.ms;
  if (preset) {
    from = now - preset;
    to = now;
  } else {
    from = parseLocalInput(form.from);
    to = parseLocalInput(form.to);
    if (Number.isNaN(from)) issues.from = 'Enter the date and time the report starts';
    else if (from >= now) issues.from = 'This is in the future: there is nothing to report yet';
    if (Number.isNaN(to)) issues.to = 'Enter the date and time the report ends';
    else if (!issues.from && to <= from) issues.to = 'The end must be after the start';
  }
  const range = issues.from || issues.to ? null : { from, to };
  // In the order of REPORT_SECTIONS whatever the clicking order; charts need resources.
  const sections = REPORT_SECTIONS.filter((s) => form.sections.includes(s) && (s !== 'charts' || form.sections.includes('resources')));
  const request = range && !issues.hosts
    ? { ...range, hosts: hostsParam(form.hosts), sections: form.format === 'csv' ? [...REPORT_SECTIONS] : sections }
    : null;
  return { request, range, issues };
}

/** The same-origin URL `hostwatch serve` answers the report file on. */
export function reportUrl(request: ReportRequest, format: ReportFormat): string {
  const query = new URLSearchParams({ from: String(request.from), to: String(request.to), format });
  for (const host of request.hosts) query.append('host', host);
  // Left out when all are asked for, the default.
  if (request.sections.length < REPORT_SECTIONS.length) query.set('sections', request.sections.join(','));
  if (request.progress !== undefined) query.set('progress', request.progress);
  return `/report?${query.toString()}`;
}

/**
 * The file name of a Content-Disposition header (RFC 6266: `filename*=UTF-8''…` preferred over
 * `filename="…"`), without any folder part; null when there is none.
 */
export function fileNameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  let name: string | null = null;
  const extended = /filename\*\s*=\s*utf-8''([^;]+)/i.exec(header);
  if (extended?.[1]) {
    try { name = decodeURIComponent(extended[1].trim()); } catch { name = null; }
  }
  if (name === null) {
    const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/.exec(header);
    name = plain ? (plain[1]?.replace(/\\(.)/g, '$1') ?? plain[2] ?? null) : null;
  }
  const base = name?.split(/[/\\]/).pop()?.trim();
  return base ? base : null;
}

/** A file name when the engine gave none: hostwatch-report-2026-11-22.html (the range's last local day). */
export function fallbackFileName(request: ReportRequest, format: ReportFormat): string {
  return `hostwatch-report-${localInputValue(request.to).slice(0, 10)}.${format}`;
}

/** What a failed GET /report says: the engine's text, or its status when it sent none. */
export function downloadErrorText(status: number, body: string): string {
  const text = body.trim();
  return text || `The engine answered with status ${status} and no explanation.`;
}

/**
 * The reason an IPC call rejected with, without what Electron wraps it in
 * ("Error invoking remote method 'hostwatch:export-report': Error: …").
 */
export function bridgeErrorText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/^Error invoking remote method '[^']*':\s*/, '').replace(/^(?:\w*Error):\s*/, '');
}
