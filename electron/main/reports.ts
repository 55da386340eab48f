/**
 * Exporting a report from the app: the native save dialog, then the engine writes the file, or for a
 * PDF hands over the HTML, which Electron's own Chromium prints (printToPDF) in a hidden window with
 * JavaScript off. The renderer may open or reveal only files exported here in this run.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BrowserWindow, dialog, ipcMain, shell } from 'electron';
import { z } from 'zod';
import { ReportFormat, ReportRequest } from '../../shared/report.ts';
import type { CoreProcess } from './core-process.ts';

const FILTERS: Record<ReportFormat, Electron.FileFilter> = {
  html: { name: 'HTML report', extensions: ['html'] },
  pdf: { name: 'PDF report', extensions: ['pdf'] },
  md: { name: 'Markdown report', extensions: ['md'] },
  json: { name: 'JSON report', extensions: ['json'] },
  csv: { name: 'CSV samples', extensions: ['csv'] },
};

const ExportParams = z.object({ request: ReportRequest, format: ReportFormat }).strict();

/** Registers the report IPC handlers for windows of `owner()`; call once after app 'ready'. */
export function handleReportExport(core: CoreProcess, owner: () => BrowserWindow | null): void {
  const exported = new Set<string>();
  ipcMain.handle('hostwatch:export-report', async (_event, raw: unknown) => {
    const { request, format } = ExportParams.parse(raw);
    const day = new Date(request.to).toISOString().slice(0, 10);
    const window = owner();
    const options: Electron.SaveDialogOptions = {
      defaultPath: path.join(os.homedir(), `hostwatch-report-${day}.${FILTERS[format].extensions[0]}`),
      filters: [FILTERS[format]],
    };
    const choice = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
    if (choice.canceled || !choice.filePath) return null;
    const html = await core.report(request, format, choice.filePath);
    if (format === 'pdf') await fs.writeFile(choice.filePath, await printToPdf(html ?? ''));
    exported.add(choice.filePath);
    return { path: choice.filePath };
  });
  ipcMain.handle('hostwatch:open-report', async (_event, file: unknown) => {
    if (typeof file !== 'string' || !exported.has(file)) return false;
    return (await shell.openPath(file)) === '';
  });
  ipcMain.handle('hostwatch:show-report', (_event, file: unknown) => {
    if (typeof file !== 'string' || !exported.has(file)) return false;
    shell.showItemInFolder(file);
    return true;
  });
}

/** Prints a self-contained page to A4 PDF bytes in a hidden, script-less window. */
async function printToPdf(html: string): Promise<Buffer> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hostwatch-report-'));
  const page = path.join(dir, 'report.html');
  const window = new BrowserWindow({
    show: false,
    webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false },
  });
  try {
    await fs.writeFile(page, html);
    await window.loadFile(page);
    return await window.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
  } finally {
    window.destroy();
    await fs.rm(dir, { recursive: true, force: true });
  }
}
