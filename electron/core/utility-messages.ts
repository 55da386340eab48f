/**
 * The messages between Electron's main process and the engine's utility process (utility.ts), as
 * types both sides compile against. Types only: main imports them without loading the engine.
 */
import type { Notification } from '../../shared/api.ts';
import type { ReportFormat, ReportRequest } from '../../shared/report.ts';
import type { SilenceSpec } from '../../shared/silences.ts';

/** The tray's summary of firing alerts; `unknown` while the engine is not running. */
export type TrayStatus = 'ok' | 'warning' | 'critical' | 'unknown';

/**
 * Main → utility. `start` comes first and carries the key that seals stored secrets (base64 of 32
 * bytes, kept by main under safeStorage; null where the OS has no keychain: secrets then live in memory
 * only). `connect` carries MessagePorts in the transfer list, each to be served as an API client;
 * `stop` asks the engine to stop and the process to exit. `report` asks for a report: written to `path`
 * in `format`, or, with format `pdf`, returned as HTML for main to print (the engine has no Chromium).
 * `mute` stores a silence.
 */
export type ToCoreMessage =
  | { type: 'start'; secretKey: string | null }
  | { type: 'connect' }
  | { type: 'stop' }
  | { type: 'report'; id: number; request: ReportRequest; format: ReportFormat; path: string }
  /** The tray's "mute notifications": a silence of every alert (validated again on arrival). */
  | { type: 'mute'; spec: SilenceSpec };

/** Utility → main: what the OS shell shows outside the window. */
export type FromCoreMessage =
  | { type: 'notification'; data: Notification }
  | { type: 'status'; worst: Exclude<TrayStatus, 'unknown'> }
  /** The answer to `report` `id`: `error` null when done; `html` for a PDF to print. */
  | { type: 'report'; id: number; error: string | null; html: string | null };
