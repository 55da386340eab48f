/**
 * Native OS notifications for the engine's `notification` events; clicking one opens the window on
 * the host (or the alerts) it is about.
 */
import { Notification as NativeNotification } from 'electron';
import type { Notification } from '../../shared/api.ts';

/**
 * Recent notifications, kept referenced: one collected by the GC loses its click handler, and a
 * notification can still be clicked in the OS's notification centre after it left the screen.
 */
const recent = new Set<NativeNotification>();
const KEEP_RECENT = 20;

/**
 * The UI route a notification leads to: the host's page, or the alerts when there is no host or its
 * id has characters a route may not carry (the preload accepts only `#/` + [\w/.-]).
 */
export function routeOf(notification: Notification): string {
  const host = notification.host;
  return host !== null && /^[\w.-]+$/.test(host) ? `#/host/${host}` : '#/alerts';
}

/** Shows `notification`; `onClick` receives its route. Does nothing where the OS has no notifications. */
export function notify(notification: Notification, onClick: (route: string) => void): void {
  if (!NativeNotification.isSupported()) return;
  const native = new NativeNotification({
    title: notification.title,
    body: notification.hostName ? `${notification.hostName}: ${notification.body}` : notification.body,
    urgency: notification.severity === 'critical' ? 'critical' : 'normal',
  });
  native.on('click', () => onClick(routeOf(notification)));
  native.on('failed', () => recent.delete(native));
  recent.add(native);
  if (recent.size > KEEP_RECENT) recent.delete(recent.values().next().value!);
  native.show();
}
