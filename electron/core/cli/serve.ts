/** `hostwatch serve`: the engine with the browser UI, until SIGINT or SIGTERM. */
import { ApiServer } from '../api/server.ts';
import { startHttpServer } from '../api/transport.http.ts';
import { startEngine } from '../engine.ts';
import { REPORT_FILE_TYPES, writeReport } from '../reports/export.ts';
import { NoChromiumError, findChromium } from '../reports/pdf.ts';
import { createSshSupport } from '../collectors/ssh/support.ts';
import { packageVersion, rendererDir } from '../paths.ts';
import { loadOrCreateKeyFile } from '../secrets.ts';
import type { CliOptions } from '../cli.ts';

/** Runs until a signal arrives; resolves to the exit code. Prints the URL (with its token) on stdout. */
export async function runServe(options: CliOptions): Promise<number> {
  const engine = await startEngine({
    dataDir: options.dataDir,
    version: packageVersion(),
    intervalMs: options.intervalSeconds === undefined ? undefined : options.intervalSeconds * 1000,
    remote: (db) => createSshSupport(db),
    ...(options.secretKeyFile ? { secretKey: loadOrCreateKeyFile(options.secretKeyFile) } : {}),
  });
  let server;
  try {
    server = await startHttpServer({
      api: new ApiServer(engine),
      staticDir: rendererDir(),
      host: options.host,
      port: options.port,
      token: process.env.HOSTWATCH_TOKEN || undefined,
      reports: {
        fileType: (format) => REPORT_FILE_TYPES[format],
        refusal: (request, format) => {
          const known = new Set(engine.fleet.statuses().map((h) => h.id));
          const unknown = request.hosts.find((id) => !known.has(id));
          if (unknown !== undefined) return { reason: 'not_found', message: `No host ${unknown}` };
          return format === 'pdf' && !findChromium() ? { reason: 'unavailable', message: new NoChromiumError().message } : null;
        },
        write: (request, format, out) => {
          const onProgress = engine.reportProgress(request);
          return writeReport(engine.reportSources(), request, format, out, onProgress ? { onProgress } : {});
        },
      },
    });
  } catch (error) {
    await engine.stop();
    throw new Error(`cannot listen on ${options.host}:${options.port}: ${(error as Error).message}`);
  }
  console.log(`Hostwatch is watching this machine; data in ${options.dataDir}`);
  console.log(`Open ${server.url}`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  console.log(`hostwatch: ${signal}, stopping`);
  await server.close();
  await engine.stop();
  return 0;
}
