/**
 * In-app toasts: one per engine notification (and for errors of user actions). In the browser, a
 * notification is also shown through the Notification API when the user allowed it; the desktop app's
 * main process shows native ones itself, so the renderer does not.
 */
import { create } from 'zustand';
import type { Notification as HwNotification } from '../../../shared/api.ts';
import type { Severity } from '../../../shared/rules.ts';
import { client, isDesktop } from '../api/index.ts';

export interface Toast {
  id: number;
  title: string;
  body: string;
  severity: Severity;
  /** The host the toast is about (its id, for a link, and its name); absent for others. */
  host?: string | null;
  hostName?: string | null;
}

interface ToastsStore { toasts: Toast[] }

export const useToasts = create<ToastsStore>()(() => ({ toasts: [] }));

const TOAST_MS = 8000;
const MAX_TOASTS = 5;
let nextId = 1;

export function dismissToast(id: number): void {
  useToasts.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
}

export function showToast(t: Omit<Toast, 'id'>): void {
  const id = nextId++;
  useToasts.setState((s) => ({ toasts: [...s.toasts, { ...t, id }].slice(-MAX_TOASTS) }));
  setTimeout(() => dismissToast(id), TOAST_MS);
}

function notifyBrowser(n: HwNotification): void {
  if (isDesktop || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    new Notification(n.title, { body: n.body, tag: n.alertId !== null ? `alert-${n.alertId}` : undefined });
  } catch {
    // Some browsers only allow notifications from a service worker; the toast still shows.
  }
}

client.on('notification', (n) => {
  showToast({ title: n.title, body: n.body, severity: n.severity, host: n.host, hostName: n.hostName });
  notifyBrowser(n);
});
