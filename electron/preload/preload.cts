/**
 * The window's preload: exposes `window.hostwatch` ({ desktop, platform, onNavigate }) and nothing
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
