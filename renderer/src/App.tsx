/**
 * The app shell: header, offline and storage banners, the routed view, toasts; `/` focuses the view's
 * search.
 */
import { useEffect } from 'react';
import { navigate, useRoute } from './lib/router.ts';
import { Header } from './components/Header.tsx';
import { OfflineBanner } from './components/OfflineBanner.tsx';
import { StorageBanner } from './components/StorageBanner.tsx';
import { Toasts } from './components/Toasts.tsx';
import { FleetView } from './views/FleetView.tsx';
import { HostView } from './views/HostView.tsx';
import { AlertsView } from './views/AlertsView.tsx';
import { ChecksView } from './views/ChecksView.tsx';
import { CheckView } from './views/checks/CheckView.tsx';
import { RulesView } from './views/RulesView.tsx';
import { SettingsView } from './views/SettingsView.tsx';

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

function useSlashFocusesSearch(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || isEditable(e.target)) return;
      if (document.querySelector('dialog[open]')) return;
      const search = document.querySelector<HTMLInputElement>('[data-search]');
      if (!search) return;
      e.preventDefault();
      search.focus();
      search.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function App() {
  const route = useRoute();
  useSlashFocusesSearch();
  useEffect(() => {
    window.hostwatch?.onNavigate((path) => navigate(path));
  }, []);
  useEffect(() => {
    if (route.view === 'check') return; // the check's view names it
    const titles = { fleet: 'Fleet', host: 'Host', checks: 'Checks', check: 'Check', alerts: 'Alerts', rules: 'Rules', settings: 'Settings', missing: 'Not found' } as const;
    document.title = `${route.view === 'host' ? route.id : titles[route.view]} — Hostwatch`;
  }, [route]);

  return (
    <>
      <Header route={route} />
      <OfflineBanner />
      <StorageBanner linked={route.view !== 'settings'} />
      {route.view === 'fleet' && <FleetView />}
      {route.view === 'host' && <HostView key={route.id} id={route.id} tab={route.tab} />}
      {route.view === 'checks' && <ChecksView />}
      {route.view === 'check' && <CheckView key={route.id} id={route.id} />}
      {route.view === 'alerts' && <AlertsView />}
      {route.view === 'rules' && <RulesView />}
      {route.view === 'settings' && <SettingsView />}
      {route.view === 'missing' && (
        <main className="view"><h1>Not found</h1><p>Nothing lives at “{route.path}”. <a href="#/">Go to the fleet</a></p></main>
      )}
      <Toasts />
    </>
  );
}
