/**
 * The main window: hardened per Electron's security checklist (isolated, sandboxed preload, no Node,
 * no navigation away from the app, no new windows), loading the built UI from disk, and put back
 * where the user left it.
 */
import { BrowserWindow, screen, shell } from 'electron';
import type { WebContents } from 'electron';
import { MIN_HEIGHT, MIN_WIDTH, readWindowState, writeWindowState } from './window-state.ts';

export interface MainWindowOptions {
  /** The built UI, dist/renderer/index.html. */
  page: string;
  /** The built preload, dist/electron/preload/preload.cjs. */
  preload: string;
  /** The window icon (Linux and Windows title bars and task switchers). */
  icon: string;
  /** Where the window's size and position are kept. */
  stateFile: string;
}

/**
 * Creates the window, shows it once the page has painted, and starts loading the UI, opened on
 * `route` (a hash route such as `#/alerts`) when given.
 */
export function createMainWindow(options: MainWindowOptions, route?: string): BrowserWindow {
  const workAreas = screen.getAllDisplays().map((display) => display.workArea);
  const saved = readWindowState(options.stateFile, workAreas);
  const window = new BrowserWindow({
    ...(saved?.bounds ?? { width: 1280, height: 820 }),
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    title: 'Hostwatch',
    icon: options.icon,
    show: false,
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  // maximize() also shows the window, so it waits for the first paint too.
  window.once('ready-to-show', () => (saved?.maximized ? window.maximize() : window.show()));
  window.on('close', () => {
    writeWindowState(options.stateFile, { bounds: window.getNormalBounds(), maximized: window.isMaximized() });
  });
  confine(window.webContents);
  window.loadFile(options.page, route ? { hash: route.slice(1) } : {}).catch((error: unknown) => {
    console.error(`hostwatch: cannot load the UI from ${options.page}:`, error);
  });
  return window;
}

/**
 * Asks the open UI to show `route` (a hash route such as `#/host/local`); if the page is still
 * loading, once it has loaded.
 */
export function showRoute(window: BrowserWindow, route: string): void {
  const contents = window.webContents;
  const send = () => contents.send('hostwatch:navigate', route);
  if (contents.isLoading()) contents.once('did-finish-load', send);
  else send();
}

/** Keeps the page in the app: every navigation and new window is refused; https links open outside. */
function confine(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    openIfHttps(event.url);
  });
  contents.setWindowOpenHandler(({ url }) => {
    openIfHttps(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Opens an https URL in the user's browser; anything else (file:, javascript:, http:) is dropped. */
function openIfHttps(url: string): void {
  if (URL.parse(url)?.protocol === 'https:') void shell.openExternal(url);
}
