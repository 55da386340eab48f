/**
 * A report as a file: gathers the Report document (gather.ts) and writes it in the asked format to a
 * stream or a file. One path for the CLI, the HTTP download, the app's export and scheduled reports.
 */
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable, type Writable } from 'node:stream';
import type { Report, ReportFormat, ReportRequest } from '../../../shared/report.ts';
import { writeReportCsv } from './csv.ts';
import { gatherReport, type ReportSources } from './gather.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { htmlToPdf } from './pdf.ts';

export type { ReportSources };

/** Media type and file extension of each format. */
export const REPORT_FILE_TYPES: Record<ReportFormat, { mime: string; extension: string }> = {
  html: { mime: 'text/html; charset=utf-8', extension: 'html' },
  pdf: { mime: 'application/pdf', extension: 'pdf' },
  md: { mime: 'text/markdown; charset=utf-8', extension: 'md' },
  json: { mime: 'application/json; charset=utf-8', extension: 'json' },
  csv: { mime: 'text/csv; charset=utf-8', extension: 'csv' },
};

export interface ReportOptions {
  /** The report's generation time, ms; default now. */
  now?: number;
  /** Prints HTML to PDF; default headless Chromium (pdf.ts). The app passes Electron's printToPDF. */
  printPdf?: (html: string) => Promise<Buffer>;
  /** Called after each host gathered with the hosts done and their total. */
  onProgress?: (done: number, total: number) => void;
}

/** Gathers the report of `request` and returns its HTML (what a PDF is printed from). */
export async function reportHtml(sources: ReportSources, request: ReportRequest, options: ReportOptions = {}): Promise<string> {
  return renderHtml(await gather(sources, request, options));
}

/** The report document, host by host so the engine keeps polling meanwhile. */
function gather(sources: ReportSources, request: ReportRequest, options: ReportOptions): Promise<Report> {
  return gatherReport(sources, request, options.now ?? Date.now(), options.onProgress ? { onProgress: options.onProgress } : {});
}

/**
 * Writes the report of `request` in `format` to `out` (ended when done). Throws the printer's error for
 * a PDF without a browser (pdf.ts NoChromiumError) before anything is written.
 */
export async function writeReport(
  sources: ReportSources, request: ReportRequest, format: ReportFormat, out: Writable, options: ReportOptions = {},
): Promise<void> {
  const report = await gather(sources, request, options);
  if (format === 'csv') return writeReportCsv(report, sources.samples, out);
  const body = format === 'json' ? `${JSON.stringify(report, null, 2)}\n`
    : format === 'md' ? renderMarkdown(report)
    : format === 'html' ? renderHtml(report)
    : await (options.printPdf ?? htmlToPdf)(renderHtml(report));
  await pipeline(Readable.from([body]), out);
}

/**
 * Writes the report to `file` through a temporary file renamed at the end, so a failed or interrupted
 * export never leaves a half-written report under the chosen name.
 */
export async function writeReportFile(
  sources: ReportSources, request: ReportRequest, format: ReportFormat, file: string, options: ReportOptions = {},
): Promise<void> {
  const partial = `${file}.partial`;
  try {
    await writeReport(sources, request, format, fs.createWriteStream(partial), options);
    await fs.promises.rename(partial, file);
  } catch (error) {
    await fs.promises.rm(partial, { force: true });
    throw error;
  }
}
