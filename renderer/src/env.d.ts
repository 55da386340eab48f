/** What the desktop preload exposes on `window`; absent in the browser. */
interface HostwatchBridge {
  readonly desktop: true;
  readonly platform: string;
  /** The main process asks the window to show a route (menu, tray, notification click). */
  onNavigate(cb: (path: string) => void): void;
  /**
   * Asks where to save (the native save dialog), then has the report written there. Resolves to the
   * file's path, or null when the user cancelled the dialog; rejects with the reason it failed.
   */
  exportReport(params: {
    request: import('../../shared/report.ts').ReportRequest;
    format: import('../../shared/report.ts').ReportFormat;
  }): Promise<{ path: string } | null>;
  /** Opens a report exported in this run with the system's default app; false when it could not. */
  openReport(path: string): Promise<boolean>;
  /** Shows a report exported in this run in the system's file manager; false when it could not. */
  showReport(path: string): Promise<boolean>;
}

interface Window {
  readonly hostwatch?: HostwatchBridge;
}
