/**
 * The window's preload: exposes `window.hostwatch` ({ desktop, platform, onNavigate, exportReport,
 * openReport, showReport }) and nothing
 * else, and carries the engine's MessagePorts from main to the page. CommonJS, since a sandboxed
 * preload cannot load ES modules; the sandbox's require offers 'electron' only.
 *
 * MessagePorts cannot cross contextBridge, so each one is handed to the page with window.postMessage
 * (the pattern of Electron's MessagePort guide). The page asks for a port with a
 * `{ type: 'hostwatch:port-request' }` window message when its transport starts; main answers with one.
 */
import type { IpcRendererEvent } from 'electron';

const { contextBridge, ipcRenderer }: typeof import('electron') = require('electron');

/** The DOM parts used here (this file is checked with Node's types, not the DOM's). */
declare const window: {
  postMessage(message: unknown, targetOrigin: string, transfer?: readonly unknown[]): void;
  addEventListener(type: 'message', listener: (event: { source: unknown; data: unknown }) => void): void;
};

/** A route main may ask the UI to show: a hash path of plain characters. */
const ROUTE = /^#\/[\w/.-]*$/;

contextBridge.exposeInMainWorld('hostwatch', {
  desktop: true,
  platform: process.platform,
  /**
   * Exports a report through the native save dialog: `{ request: { from, to, hosts }, format }`.
   * Resolves to `{ path }`, or null when the user cancelled; rejects with the reason it failed.
   */
  exportReport(params: unknown): Promise<{ path: string } | null> {
    return ipcRenderer.invoke('hostwatch:export-report', params);
  },
  /** Opens a report exported in this run with the system's default app. */
  openReport(path: string): Promise<boolean> {
    return ipcRenderer.invoke('hostwatch:open-report', path);
  },
  /** Shows a report exported in this run in the system's file manager. */
  showReport(path: string): Promise<boolean> {
    return ipcRenderer.invoke('hostwatch:show-report', path);
  },
  /** Calls `cb` with each route main asks for (tray, menu, notification clicks). */
  onNavigate(cb: (path: string) => void): void {
    ipcRenderer.on('hostwatch:navigate', (_event: IpcRendererEvent, path: unknown) => {
      if (typeof path === 'string' && ROUTE.test(path)) cb(path);
    });
  },
});

ipcRenderer.on('hostwatch:port', (event: IpcRendererEvent) => {
  window.postMessage({ type: 'hostwatch:port' }, '*', event.ports);
});

window.addEventListener('message', (event) => {
  const data = event.data as { type?: unknown } | null;
  if (event.source === window && data?.type === 'hostwatch:port-request') ipcRenderer.send('hostwatch:port-request');
});
