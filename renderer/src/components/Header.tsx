/**
 * The header: app name, navigation, the engine connection state, "Test notification", and in the
 * browser an "Enable notifications" button while the permission has not been asked (a permission
 * prompt must come from a user gesture).
 */
import { useState } from 'react';
import type { Route } from '../lib/router.ts';
import { client, errorMessage, isDesktop } from '../api/index.ts';
import { useConnection } from '../stores/connection.ts';
import { useFiringCount } from '../stores/alerts.ts';
import { useFailingChecks } from '../stores/checks.ts';
import { showToast } from '../stores/toasts.ts';

const CONNECTION_LOOK = {
  connecting: { tone: 'info', icon: '↻', word: 'Connecting' },
  open: { tone: 'ok', icon: '●', word: 'Engine connected' },
  closed: { tone: 'critical', icon: '✖', word: 'Engine offline' },
} as const;

function ConnectionState() {
  const state = useConnection((s) => s.state);
  const reason = useConnection((s) => s.reason);
  const look = CONNECTION_LOOK[state];
  return (
    <span className={`badge tone-${look.tone} connection`} data-testid="connection-state" data-state={state} title={reason ?? undefined}>
      <span className="badge-icon" aria-hidden="true">{look.icon}</span>
      {look.word}
    </span>
  );
}

function NotificationPermission() {
  const supported = !isDesktop && typeof Notification !== 'undefined';
  const [permission, setPermission] = useState(supported ? Notification.permission : 'granted');
  if (!supported || permission !== 'default') return null;
  return (
    <button
      type="button"
      className="button"
      onClick={() => { void Notification.requestPermission().then(setPermission); }}
    >
      Enable notifications
    </button>
  );
}

function TestNotification() {
  const [busy, setBusy] = useState(false);
  const open = useConnection((s) => s.state === 'open');
  return (
    <button
      type="button"
      className="button"
      disabled={busy || !open}
      onClick={() => {
        setBusy(true);
        client.request('notifications.test')
          .catch((err: unknown) => showToast({ title: 'Test notification failed', body: errorMessage(err), severity: 'critical', host: null }))
          .finally(() => setBusy(false));
      }}
    >
      Test notification
    </button>
  );
}

function NavLink({ href, current, testId, children }: { href: string; current: boolean; testId: string; children: React.ReactNode }) {
  return (
    <a href={href} className="nav-link" aria-current={current ? 'page' : undefined} data-testid={testId}>{children}</a>
  );
}

export function Header({ route }: { route: Route }) {
  const firing = useFiringCount();
  const failing = useFailingChecks();
  return (
    <header className="app-header">
      <a className="brand" href="#/">
        <svg className="brand-mark" viewBox="0 0 24 24" aria-hidden="true"><path d="M2 13h4l2-6 4 12 3-9 2 3h5" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" /></svg>
        Hostwatch
      </a>
      <nav className="nav" aria-label="Main">
        <NavLink href="#/" current={route.view === 'fleet' || route.view === 'host'} testId="nav-fleet">Fleet</NavLink>
        <NavLink href="#/checks" current={route.view === 'checks' || route.view === 'check'} testId="nav-checks">
          Checks
          {failing > 0 && <span className="count tone-critical" aria-label={`${failing} failing`}>{failing}</span>}
        </NavLink>
        <NavLink href="#/alerts" current={route.view === 'alerts'} testId="nav-alerts">
          Alerts
          {firing > 0 && <span className="count tone-critical" aria-label={`${firing} firing`}>{firing}</span>}
        </NavLink>
        <NavLink href="#/rules" current={route.view === 'rules'} testId="nav-rules">Rules</NavLink>
        <NavLink href="#/settings" current={route.view === 'settings'} testId="nav-settings">Settings</NavLink>
      </nav>
      <div className="header-actions">
        <NotificationPermission />
        <TestNotification />
        <ConnectionState />
      </div>
    </header>
  );
}
