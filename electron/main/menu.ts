/**
 * The application menu: the platform's standard menus by role; the developer's View items (reload,
 * DevTools) only when running from a checkout, not in a packaged build.
 */
import { Menu } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';

/**
 * Builds the menu for this platform; `packaged` is app.isPackaged. `open(route)` shows the window at a
 * hash route (Settings… / Preferences…, Ctrl+, or ⌘,).
 */
export function buildAppMenu(packaged: boolean, open: (route: string) => void): Menu {
  const developer: MenuItemConstructorOptions[] = packaged ? [] : [
    { role: 'reload' },
    { role: 'forceReload' },
    { role: 'toggleDevTools' },
    { type: 'separator' },
  ];
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...developer,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const mac = process.platform === 'darwin';
  const settings: MenuItemConstructorOptions = {
    label: mac ? 'Settings…' : 'Settings', accelerator: 'CmdOrCtrl+,', click: () => open('#/settings'),
  };
  return Menu.buildFromTemplate([
    ...(mac
      ? [{
        label: 'Hostwatch',
        submenu: [
          { role: 'about' }, { type: 'separator' }, settings, { type: 'separator' }, { role: 'services' },
          { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' },
          { type: 'separator' }, { role: 'quit' },
        ],
      } satisfies MenuItemConstructorOptions]
      : [{ label: 'File', submenu: [settings, { type: 'separator' }, { role: 'quit' }] } satisfies MenuItemConstructorOptions]),
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
  ]);
}
