/**
 * Runs the engine (electron/core/utility.ts) in an Electron utility process: forks it, restarts it
 * with backoff when it dies, hands each window a MessagePort straight to it, and passes on what it
 * reports for the OS shell (notifications, the tray's status).
 *
 * Ports: a window's renderer asks for one when its transport starts ('hostwatch:port-request' over
 * IPC, sent by the preload), and every window gets a fresh one after each restart. The renderer
 * notices a dead engine on its own (its port goes quiet) and shows that it is restarting.
 */
import { MessageChannelMain, utilityProcess } from 'electron';
import type { UtilityProcess, WebContents } from 'electron';
import type { Notification } from '../../shared/api.ts';
import type { ReportFormat, ReportRequest } from '../../shared/report.ts';
import type { SilenceSpec } from '../../shared/silences.ts';
import type { FromCoreMessage, ToCoreMessage, TrayStatus } from '../core/utility-messages.ts';

export interface CoreProcessOptions {
  /** The built utility entry, dist/electron/core/utility.js. */
  modulePath: string;
  dataDir: string;
  version: string;
  onNotification(notification: Notification): void;
  /** Called with `unknown` whenever the engine is down, then with what it reports. */
  onStatus(status: TrayStatus): void;
}

/** Waits before the 1st, 2nd, 3rd and every later restart in a row. */
const RESTART_DELAYS_MS = [1000, 2000, 5000, 10_000];
/** A run at least this long was not a crash loop: the next restart waits the shortest delay again. */
const STABLE_RUN_MS = 60_000;
/** How long stop() lets the engine flush and exit before killing it. */
const STOP_TIMEOUT_MS = 5000;

export class CoreProcess {
  readonly #options: CoreProcessOptions;
  readonly #windows = new Set<WebContents>();
  #child: UtilityProcess | null = null;
  #startedAt = 0;
  #restartsInARow = 0;
  #restartTimer: NodeJS.Timeout | undefined;
  #stopping = false;
  #secretKey: string | null = null;
  #nextReportId = 1;
  readonly #reports = new Map<number, { resolve(html: string | null): void; reject(error: Error): void }>();

  constructor(options: CoreProcessOptions) {
    this.#options = options;
  }

  /**
   * Forks the engine. Call after app 'ready', with the key that seals stored secrets (secret-key.ts;
   * null keeps them in memory only); restarts reuse it.
   */
  start(secretKey: Buffer | null = null): void {
    if (secretKey) this.#secretKey = secretKey.toString('base64');
    this.#fork();
  }

  #fork(): void {
    const { modulePath, dataDir, version } = this.#options;
    const child = utilityProcess.fork(modulePath, ['--data-dir', dataDir, '--version', version], {
      serviceName: 'Hostwatch engine',
    });
    this.#child = child;
    this.#startedAt = Date.now();
    child.on('message', (message: FromCoreMessage) => this.#receive(message));
    child.on('error', (type, location) => console.error(`hostwatch: engine ${type} at ${location}`));
    child.once('exit', (code) => this.#exited(child, code));
    // Sent as a message, never as an argument: arguments are visible to every user in `ps`.
    child.postMessage({ type: 'start', secretKey: this.#secretKey } satisfies ToCoreMessage);
    // Messages to a child that has not spawned yet are queued, so windows can connect at once.
    for (const contents of this.#windows) this.#connect(contents);
  }

  /**
   * Serves `contents` from now on: a port whenever its main frame asks, and a fresh one after every
   * restart, until it is destroyed.
   */
  attach(contents: WebContents): void {
    this.#windows.add(contents);
    contents.once('destroyed', () => this.#windows.delete(contents));
    contents.ipc.on('hostwatch:port-request', (event) => {
      // Only the page itself, not a frame inside it, gets a port.
      if (event.senderFrame?.parent === null) this.#connect(contents);
    });
  }

  /** Asks the engine to flush and exit; kills it if it has not exited within 5 s. */
  stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#restartTimer);
    const child = this.#child;
    if (!child) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill(), STOP_TIMEOUT_MS);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.postMessage({ type: 'stop' } satisfies ToCoreMessage);
    });
  }

  /**
   * Asks the engine for a report: written to `path` in `format` (resolves to null), or for `pdf`, its
   * HTML to print (resolves to the HTML). Rejects with the engine's error, or when it is not running or
   * exits before answering.
   */
  report(request: ReportRequest, format: ReportFormat, path: string): Promise<string | null> {
    const child = this.#child;
    if (!child) return Promise.reject(new Error('The engine is not running; try again in a moment.'));
    const id = this.#nextReportId++;
    return new Promise((resolve, reject) => {
      this.#reports.set(id, { resolve, reject });
      child.postMessage({ type: 'report', id, request, format, path } satisfies ToCoreMessage);
    });
  }

  /** Asks the engine to store `spec` (the tray's mute); nothing happens while it is not running. */
  mute(spec: SilenceSpec): void {
    this.#child?.postMessage({ type: 'mute', spec } satisfies ToCoreMessage);
  }

  /** Gives the engine one end of a new channel and the window's renderer the other. */
  #connect(contents: WebContents): void {
    if (!this.#child || contents.isDestroyed()) return;
    const { port1, port2 } = new MessageChannelMain();
    this.#child.postMessage({ type: 'connect' } satisfies ToCoreMessage, [port1]);
    contents.postMessage('hostwatch:port', null, [port2]);
  }

  #receive(message: FromCoreMessage): void {
    if (message.type === 'notification') this.#options.onNotification(message.data);
    else if (message.type === 'status') this.#options.onStatus(message.worst);
    else if (message.type === 'report') {
      const pending = this.#reports.get(message.id);
      this.#reports.delete(message.id);
      if (message.error === null) pending?.resolve(message.html);
      else pending?.reject(new Error(message.error));
    }
  }

  #exited(child: UtilityProcess, code: number): void {
    if (this.#child !== child) return;
    this.#child = null;
    this.#options.onStatus('unknown');
    for (const pending of this.#reports.values()) pending.reject(new Error('The engine stopped before the report was done.'));
    this.#reports.clear();
    if (this.#stopping) return;
    if (Date.now() - this.#startedAt >= STABLE_RUN_MS) this.#restartsInARow = 0;
    const delay = RESTART_DELAYS_MS[Math.min(this.#restartsInARow, RESTART_DELAYS_MS.length - 1)]!;
    this.#restartsInARow++;
    console.error(`hostwatch: the engine exited (code ${code}); restarting in ${delay / 1000} s`);
    this.#restartTimer = setTimeout(() => this.#fork(), delay);
  }
}
