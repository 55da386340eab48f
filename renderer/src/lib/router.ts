/**
 * Hash routes: `#/` fleet, `#/host/:id` and its settings `#/host/:id/settings`, `#/checks` and one
 * check `#/checks/:id`, `#/alerts`, `#/rules`, `#/settings`.
 * The hash keeps routing working from file:// in Electron; the main process may also navigate through
 * the preload's `onNavigate`.
 */
import { useSyncExternalStore } from 'react';

export type HostTab = 'overview' | 'settings';

export type Route =
  | { view: 'fleet' }
  | { view: 'host'; id: string; tab: HostTab }
  | { view: 'checks' }
  | { view: 'check'; id: number }
  | { view: 'alerts' }
  | { view: 'rules' }
  | { view: 'settings' }
  | { view: 'missing'; path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path === '/' || path === '') return { view: 'fleet' };
  if (path === '/checks') return { view: 'checks' };
  const check = /^\/checks\/(\d+)$/.exec(path);
  if (check?.[1]) return { view: 'check', id: Number(check[1]) };
  if (path === '/alerts') return { view: 'alerts' };
  if (path === '/rules') return { view: 'rules' };
  if (path === '/settings') return { view: 'settings' };
  const host = /^\/host\/([^/]+)(\/settings)?$/.exec(path);
  if (host?.[1]) return { view: 'host', id: decodeURIComponent(host[1]), tab: host[2] ? 'settings' : 'overview' };
  return { view: 'missing', path };
}

export function hostHref(id: string, tab: HostTab = 'overview'): string {
  return `#/host/${encodeURIComponent(id)}${tab === 'settings' ? '/settings' : ''}`;
}

export function checkHref(id: number): string {
  return `#/checks/${id}`;
}

export function navigate(path: string): void {
  location.hash = path.startsWith('#') ? path : `#${path}`;
}

function subscribe(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => location.hash);
  return parseRoute(hash);
}
