/**
 * The session-wide half of Electron's security checklist: a Content Security Policy on every
 * response, and no permission for the page except showing notifications. The per-window half
 * (navigation, new windows) is in window.ts.
 */
import type { Session } from 'electron';

/**
 * The page's Content Security Policy. renderer/index.html carries the same policy in a meta tag,
 * which is what counts for a page loaded from file:// (frame-ancestors only works as a header).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Applies the policy and the permission rules to `session` (the default session: the app has one). */
export function secureSession(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    callback(permission === 'notifications');
  });
  session.setPermissionCheckHandler((_contents, permission) => permission === 'notifications');
}
