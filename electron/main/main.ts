/**
 * The Electron main process: wires the shell's parts together. One instance only (a second launch
 * brings the window forward); on ready it starts the engine, the tray and the window; closing the
 * window leaves Hostwatch watching in the tray; quitting stops the engine cleanly first.
 */
import { app, Menu, session } from 'electron';
import type { BrowserWindow } from 'electron';
import { join } from 'node:path';
import { defaultDataDir } from '../core/paths.ts';
import { CoreProcess } from './core-process.ts';
import { muteSpec } from '../../shared/silences.ts';
import { handleReportExport } from './reports.ts';
import { buildAppMenu } from './menu.ts';
import { notify } from './notifications.ts';
import { appFile } from './paths.ts';
import { loadSecretKey } from './secret-key.ts';
import { secureSession } from './session-policy.ts';
import { StatusTray } from './tray.ts';
import { createMainWindow, showRoute } from './window.ts';

let window: BrowserWindow | null = null;
let tray: StatusTray | null = null;

// The engine's database is where `hostwatch status` and `hostwatch serve` look for it, so the CLI
// reads what the app writes (userData would differ on Linux, and between dev and packaged builds).
const core = new CoreProcess({
  modulePath: appFile('dist', 'electron', 'core', 'utility.js'),
  dataDir: defaultDataDir(),
  version: app.getVersion(),
  onNotification: (notification) => notify(notification, (route) => showWindow(route)),
  onStatus: (status) => tray?.setStatus(status),
});

/**
 * Brings the window forward, creating it if it was closed; with `route` (a hash route such as
 * `#/host/local`), shows that view.
 */
function showWindow(route?: string): void {
  if (window) {
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    if (route) showRoute(window, route);
    return;
  }
  const created = createMainWindow({
    page: appFile('dist', 'renderer', 'index.html'),
    preload: appFile('dist', 'electron', 'preload', 'preload.cjs'),
    icon: appFile('assets', 'icon.png'),
    stateFile: join(app.getPath('userData'), 'window-state.json'),
  }, route);
  core.attach(created.webContents);
  created.on('closed', () => { window = null; });
  window = created;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Listening keeps the app running with no window: the engine, tray and notifications go on.
  app.on('window-all-closed', () => {});

  let coreStopped = false;
  app.on('will-quit', (event) => {
    if (coreStopped) return;
    event.preventDefault();
    void core.stop().finally(() => {
      coreStopped = true;
      app.quit();
    });
  });

  // Not a top-level await: Electron emits 'ready' only after the ESM entry has finished evaluating.
  void app.whenReady().then(() => {
    secureSession(session.defaultSession);
    Menu.setApplicationMenu(buildAppMenu(app.isPackaged, (route) => showWindow(route)));
    tray = new StatusTray({
      iconDir: appFile('assets'), onOpen: () => showWindow(), onQuit: () => app.quit(),
      onMute: (period) => core.mute(muteSpec(period, Date.now())),
    });
    // safeStorage works only once the app is ready.
    core.start(loadSecretKey(app.getPath('userData')));
    handleReportExport(core, () => window);
    showWindow();
    // Registered once ready: a window cannot be created before.
    app.on('second-instance', () => showWindow());
    // macOS: clicking the Dock icon with no window open.
    app.on('activate', () => showWindow());
  });
}
