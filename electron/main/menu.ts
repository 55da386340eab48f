/**
 * The application menu: the platform's standard menus by role; the developer's View items (reload,
 * DevTools) only when running from a checkout, not in a packaged build.
 */
import { Menu } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';

/** Builds the menu for this platform; `packaged` is app.isPackaged. */
export function buildAppMenu(packaged: boolean): Menu {
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
  return Menu.buildFromTemplate([
    ...(mac ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
  ]);
}
