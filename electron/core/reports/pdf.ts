/**
 * PDF from a report's HTML outside the app: headless Chromium's `--print-to-pdf` (the app itself uses
 * Electron's printToPDF in the main process). The page has no scripts and makes no requests, and the
 * browser runs with a throw-away profile and without background networking.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Browsers that print the same way, in the order they are tried; HOSTWATCH_CHROMIUM goes first. */
const CANDIDATES = {
  linux: ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge'],
  darwin: [
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  ],
  win32: [
    `${process.env['ProgramFiles'] ?? 'C:\\Program Files'}\\Google\\Chrome\\Application\\chrome.exe`,
    `${process.env['ProgramFiles(x86)'] ?? 'C:\\Program Files (x86)'}\\Microsoft\\Edge\\Application\\msedge.exe`,
  ],
} as const;

/** Printing a report takes a second or two; a browser that hangs is stopped. */
const TIMEOUT_MS = 60_000;

/** The Chromium-family browser to print with, or null when none is installed. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const configured = env['HOSTWATCH_CHROMIUM'];
  if (configured) return fs.existsSync(configured) ? configured : null;
  const names: readonly string[] = CANDIDATES[process.platform as keyof typeof CANDIDATES] ?? CANDIDATES.linux;
  for (const name of names) {
    if (path.isAbsolute(name)) {
      if (fs.existsSync(name)) return name;
      continue;
    }
    for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
      const candidate = path.join(dir, name);
      if (dir && fs.existsSync(candidate)) return candidate;
    }
  }
  return null;
}

/** No browser to print with: the message says what to install or set. */
export class NoChromiumError extends Error {
  override name = 'NoChromiumError';
  constructor() {
    super('PDF reports need Chromium, Chrome or Edge, and none was found: install one (Debian: ' +
      '`apt install chromium`), set HOSTWATCH_CHROMIUM to its path, or export HTML and print it to PDF from a browser.');
  }
}

/**
 * Prints `html` (a self-contained page) to a PDF and returns its bytes. Throws NoChromiumError without a
 * browser, and an Error with the browser's output when it fails or runs past a minute.
 */
export async function htmlToPdf(html: string, browser: string | null = findChromium()): Promise<Buffer> {
  if (!browser) throw new NoChromiumError();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-pdf-'));
  try {
    const page = path.join(dir, 'report.html');
    const out = path.join(dir, 'report.pdf');
    fs.writeFileSync(page, html);
    const args = [
      '--headless', '--disable-gpu', '--no-first-run', '--no-default-browser-check',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-extensions',
      `--user-data-dir=${path.join(dir, 'profile')}`, '--no-pdf-header-footer', `--print-to-pdf=${out}`,
      // Chromium's sandbox refuses to run as root (a container, CI); elsewhere it stays on.
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      new URL(`file://${page}`).href,
    ];
    await new Promise<void>((resolve, reject) => {
      execFile(browser, args, { timeout: TIMEOUT_MS, maxBuffer: 1 << 20 }, (error, _stdout, stderr) => {
        if (error) reject(new Error(`${path.basename(browser)} could not print the report: ${error.message}\n${stderr.slice(-2000)}`));
        else resolve();
      });
    });
    const pdf = fs.readFileSync(out);
    if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error(`${path.basename(browser)} wrote no PDF`);
    return pdf;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
