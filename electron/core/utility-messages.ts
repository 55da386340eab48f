/**
 * The messages between Electron's main process and the engine's utility process (utility.ts), as
 * types both sides compile against. Types only: main imports them without loading the engine.
 */
import type { Notification } from '../../shared/api.ts';

/** The tray's summary of firing alerts; `unknown` while the engine is not running. */
export type TrayStatus = 'ok' | 'warning' | 'critical' | 'unknown';

/**
 * Main → utility. `start` comes first and carries the key that seals stored secrets (base64 of 32
 * bytes, kept by main under safeStorage; null where the OS has no keychain: secrets then live in memory
 * only). `connect` carries MessagePorts in the transfer list, each to be served as an API client;
 * `stop` asks the engine to stop and the process to exit.
 */
export type ToCoreMessage =
  | { type: 'start'; secretKey: string | null }
  | { type: 'connect' }
  | { type: 'stop' };

/** Utility → main: what the OS shell shows outside the window. */
export type FromCoreMessage =
  | { type: 'notification'; data: Notification }
  | { type: 'status'; worst: Exclude<TrayStatus, 'unknown'> };
