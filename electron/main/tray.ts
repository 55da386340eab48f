/**
 * The tray icon: a dot coloured by the worst firing alert (green ok, amber warning, red critical,
 * grey unknown while the engine is down), a tooltip and a menu saying the same in words, muting
 * notifications for a while, and the way back to the window once it is closed.
 */
import { Menu, Tray, nativeImage } from 'electron';
import type { NativeImage } from 'electron';
import { join } from 'node:path';
import type { MuteFor } from '../../shared/silences.ts';
import type { TrayStatus } from '../core/utility-messages.ts';

const DESCRIPTIONS: Record<TrayStatus, string> = {
  ok: 'All clear',
  warning: 'Warning alerts firing',
  critical: 'Critical alerts firing',
  unknown: 'Engine not running',
};

export interface StatusTrayOptions {
  /** The folder of tray-<status>.png and its @2x variant (Electron picks @2x on HiDPI itself). */
  iconDir: string;
  onOpen(): void;
  onQuit(): void;
  /** Mutes desktop notifications for a while (a silence of every alert). */
  onMute(period: MuteFor): void;
}

export class StatusTray {
  readonly #tray: Tray;
  readonly #options: StatusTrayOptions;
  #status: TrayStatus | null = null;

  /** Creates the tray icon in the `unknown` state. Call after app 'ready'. */
  constructor(options: StatusTrayOptions) {
    this.#options = options;
    this.#tray = new Tray(this.#icon('unknown'));
    // Windows and macOS: a click opens the window; Linux panels show the menu instead.
    this.#tray.on('click', () => options.onOpen());
    this.setStatus('unknown');
  }

  /** Shows `status` in the icon, the tooltip and the menu's first line. */
  setStatus(status: TrayStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    const words = `Hostwatch: ${DESCRIPTIONS[status]}`;
    this.#tray.setImage(this.#icon(status));
    this.#tray.setToolTip(words);
    // Linux panels (AppIndicator) show no tooltip, so the menu names the state too.
    this.#tray.setContextMenu(Menu.buildFromTemplate([
      { label: words, enabled: false },
      { type: 'separator' },
      { label: 'Open Hostwatch', click: () => this.#options.onOpen() },
      { label: 'Mute notifications', submenu: [
        { label: 'For 1 hour', click: () => this.#options.onMute('hour') },
        { label: 'For 4 hours', click: () => this.#options.onMute('four-hours') },
        { label: 'Until 08:00 tomorrow', click: () => this.#options.onMute('tomorrow') },
      ] },
      { type: 'separator' },
      { label: 'Quit', click: () => this.#options.onQuit() },
    ]));
  }

  #icon(status: TrayStatus): NativeImage {
    return nativeImage.createFromPath(join(this.#options.iconDir, `tray-${status}.png`));
  }
}
