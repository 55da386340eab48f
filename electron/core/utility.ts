/**
 * Entry of the engine under Electron, run by main as a `utilityProcess`: starts the engine, serves
 * the API on every MessagePort main hands over (one per window), and tells main what it shows outside
 * the window: native notifications and the tray's status colour. Plain Node: Electron's
 * `process.parentPort` is typed here, so core never imports 'electron'.
 *
 * Arguments: `--data-dir DIR --version X.Y.Z`; then main's first message, `start`, brings the key that
 * seals stored secrets.
 */
import { parseArgs } from 'node:util';
import type { Alert, Notification } from '../../shared/api.ts';
import { ApiServer } from './api/server.ts';
import { startEngine } from './engine.ts';
import type { Engine } from './engine.ts';
import type { FromCoreMessage, ToCoreMessage } from './utility-messages.ts';
import { FiringStatus } from './utility-status.ts';
import { ReportFormat, ReportRequest } from '../../shared/report.ts';
import { SilenceSpec } from '../../shared/silences.ts';
import { reportHtml, writeReportFile } from './reports/export.ts';
import { createSshSupport } from './collectors/ssh/support.ts';

/** The parts of Electron's MessagePortMain used here. */
interface PortMain {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  postMessage(message: unknown): void;
  start(): void;
}

/** The parts of Electron's ParentPort (`process.parentPort` in a utility process) used here. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown; ports: PortMain[] }) => void): void;
  postMessage(message: FromCoreMessage): void;
}

const maybeParentPort = (process as { parentPort?: ParentPort }).parentPort;
if (!maybeParentPort) {
  console.error('hostwatch: utility.js runs inside the desktop app; to run the engine alone use `hostwatch serve`.');
  process.exit(1);
}
const parentPort: ParentPort = maybeParentPort;

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { 'data-dir': { type: 'string' }, version: { type: 'string' } },
  strict: false,
  allowPositionals: true,
});
const dataDir = values['data-dir'];
const version = values.version;
if (typeof dataDir !== 'string' || typeof version !== 'string') {
  console.error('hostwatch: the engine needs --data-dir DIR and --version X.Y.Z');
  process.exit(1);
}

let engine: Engine | undefined;
let server: ApiServer | undefined;
// Ports may arrive before `start`: they wait for the engine.
const waitingPorts: PortMain[] = [];
const start = await new Promise<{ secretKey: string | null }>((resolve) => {
  parentPort.on('message', ({ data, ports }) => {
    const message = data as ToCoreMessage;
    if (message?.type === 'start') resolve(message);
    else if (message?.type === 'connect') {
      if (server) ports.forEach(serve);
      else waitingPorts.push(...ports);
    } else if (message?.type === 'stop') {
      void shutdown(); // before `start` too: then there is nothing to stop but the process
    } else if (message?.type === 'report') {
      void answerReport(message);
    } else if (message?.type === 'mute') {
      mute(message.spec);
    }
  });
});

try {
  engine = await startEngine({
    dataDir,
    version,
    remote: (db) => createSshSupport(db),
    ...(start.secretKey ? { secretKey: Buffer.from(start.secretKey, 'base64') } : {}),
  });
} catch (error) {
  // Main restarts the process with backoff; the reason goes to its log.
  console.error('hostwatch: the engine could not start:', error);
  process.exit(1);
}
const running = engine;
server = new ApiServer(running);
waitingPorts.splice(0).forEach(serve);

// Subscribing and reading the active alerts in the same turn: no event can fall between them.
const status = new FiringStatus();
let lastWorst = status.worst();
running.onEvent(({ event, data }) => {
  if (event === 'notification') {
    parentPort.postMessage({ type: 'notification', data: data as Notification });
  } else if (event === 'alert') {
    const worst = status.update((data as { alert: Alert }).alert);
    if (worst !== lastWorst) parentPort.postMessage({ type: 'status', worst: (lastWorst = worst) });
  }
});
for (const alert of running.activeAlerts()) lastWorst = status.update(alert);
parentPort.postMessage({ type: 'status', worst: lastWorst });

/** Serves the API to one client over a MessagePort until the port closes. */
function serve(port: PortMain): void {
  const connection = server!.connect((message) => port.postMessage(message));
  port.on('message', (event) => connection.receive(event.data));
  port.on('close', () => connection.close());
  port.start();
}

/** Stores the tray's mute as a silence, when it is one (main's messages are checked like any input). */
function mute(spec: unknown): void {
  const parsed = SilenceSpec.safeParse(spec);
  if (!engine || !parsed.success) {
    console.error('hostwatch: the mute could not be stored:', engine ? parsed.error?.message : 'the engine is still starting');
    return;
  }
  engine.silences.create(parsed.data);
}

/** Writes the report main asked for (or, for a PDF, answers its HTML for main to print). */
async function answerReport(message: Extract<ToCoreMessage, { type: 'report' }>): Promise<void> {
  const answer = (error: string | null, html: string | null) =>
    parentPort.postMessage({ type: 'report', id: message.id, error, html } satisfies FromCoreMessage);
  try {
    if (!engine) throw new Error('The engine is still starting; try again in a moment.');
    const request = ReportRequest.parse(message.request);
    const onProgress = engine.reportProgress(request);
    const options = onProgress ? { onProgress } : {};
    if (message.format === 'pdf') answer(null, await reportHtml(engine.reportSources(), request, options));
    else {
      await writeReportFile(engine.reportSources(), request, ReportFormat.parse(message.format), message.path, options);
      answer(null, null);
    }
  } catch (error) {
    answer(error instanceof Error ? error.message : String(error), null);
  }
}

let stopping = false;
/** Stops the engine (flushing buffered samples) once, then exits. */
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  try {
    await engine?.stop();
  } catch (error) {
    console.error('hostwatch: stopping the engine failed:', error);
  }
  process.exit(0);
}

// utilityProcess.kill() sends SIGTERM on POSIX; SIGINT reaches us when `npm start` is interrupted.
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
