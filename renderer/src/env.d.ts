/** What the desktop preload exposes on `window`; absent in the browser. */
interface HostwatchBridge {
  readonly desktop: true;
  readonly platform: string;
  /** The main process asks the window to show a route (menu, tray, notification click). */
  onNavigate(cb: (path: string) => void): void;
}

interface Window {
  readonly hostwatch?: HostwatchBridge;
}
