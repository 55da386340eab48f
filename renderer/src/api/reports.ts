/**
 * Making a report file, the way that fits where the renderer runs: in the desktop app the preload's
 * bridge (native save dialog, then the engine writes the file); in a browser a GET /report on the
 * `hostwatch serve` origin (the session cookie authenticates it), fetched so that an error can be shown,
 * then saved as a download.
 */
import type { ReportFormat, ReportRequest } from '../../../shared/report.ts';
import {
  bridgeErrorText, downloadErrorText, fallbackFileName, fileNameFromDisposition, reportUrl,
} from '../views/reports/exportForm.ts';

/** Desktop: resolves to the saved file's path, or null when the user cancelled the save dialog. */
export async function exportInApp(request: ReportRequest, format: ReportFormat): Promise<{ path: string } | null> {
  const bridge = window.hostwatch;
  if (!bridge) throw new Error('Exporting through the app needs the desktop app');
  try {
    return await bridge.exportReport({ request, format });
  } catch (err) {
    throw new Error(bridgeErrorText(err), { cause: err });
  }
}

/**
 * Browser: fetches the report and hands it to the browser as a download. Rejects with the engine's
 * reason in its words, or with the AbortError when `signal` aborts.
 */
export async function downloadReport(
  request: ReportRequest, format: ReportFormat, signal: AbortSignal,
): Promise<{ fileName: string; bytes: number }> {
  let response: Response;
  try {
    response = await fetch(reportUrl(request, format), { signal, credentials: 'same-origin' });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new Error('The engine could not be reached: check that `hostwatch serve` is still running, then try again.', { cause: err });
  }
  if (!response.ok) throw new Error(downloadErrorText(response.status, await response.text().catch(() => '')));
  let blob: Blob;
  try {
    blob = await response.blob();
  } catch (err) {
    if (signal.aborted) throw err;
    // The engine ends the response early when writing the report fails after it started.
    throw new Error('The engine stopped sending the report part way: its log says why. Try again, or a shorter range.', { cause: err });
  }
  const fileName = fileNameFromDisposition(response.headers.get('Content-Disposition')) ?? fallbackFileName(request, format);
  saveBlob(blob, fileName);
  return { fileName, bytes: blob.size };
}

function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken the blob by the next tick; revoking at once can cancel it in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
