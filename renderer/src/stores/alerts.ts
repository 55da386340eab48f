/**
 * Alerts: the active ones (pending and firing, from `alerts.active`) and the history (`alerts.history`,
 * filtered on the engine), both kept live from `alert` events.
 */
import { create } from 'zustand';
import type { Alert, AlertState } from '../../../shared/api.ts';
import type { Severity } from '../../../shared/rules.ts';
import { client, errorMessage } from '../api/index.ts';
import { onConnected } from './connection.ts';

export interface HistoryFilter {
  severity?: Severity;
  state?: AlertState;
  host?: string;
}

interface AlertsStore {
  active: Alert[];
  activeLoaded: boolean;
  history: Alert[];
  historyLoaded: boolean;
  historyFilter: HistoryFilter;
  error: string | null;
}

export const useAlerts = create<AlertsStore>()(() => ({
  active: [], activeLoaded: false, history: [], historyLoaded: false, historyFilter: {}, error: null,
}));

const HISTORY_LIMIT = 500;

function matches(alert: Alert, f: HistoryFilter): boolean {
  return (!f.severity || alert.severity === f.severity)
    && (!f.state || alert.state === f.state)
    && (!f.host || alert.host === f.host);
}

async function loadActive(): Promise<void> {
  try {
    const active = await client.request('alerts.active');
    useAlerts.setState({ active, activeLoaded: true });
  } catch (err) {
    useAlerts.setState({ error: errorMessage(err) });
  }
}

let historyRequest = 0;

/** (Re)loads the history with `filter` (kept for the live updates that follow). */
export async function loadHistory(filter: HistoryFilter = useAlerts.getState().historyFilter): Promise<void> {
  const ticket = ++historyRequest;
  useAlerts.setState({ historyFilter: filter });
  try {
    const history = await client.request('alerts.history', { ...filter, limit: HISTORY_LIMIT });
    if (ticket === historyRequest) useAlerts.setState({ history, historyLoaded: true, error: null });
  } catch (err) {
    if (ticket === historyRequest) useAlerts.setState({ error: errorMessage(err), historyLoaded: true });
  }
}

client.on('alert', ({ alert, transition }) => {
  useAlerts.setState((s) => {
    const active = s.active.filter((a) => a.id !== alert.id);
    if (transition === 'pending' || transition === 'firing') active.unshift(alert);
    let history = s.history;
    // The history holds alerts that fired; a pending one appears once it fires.
    if (alert.firedAt !== null) {
      const i = history.findIndex((a) => a.id === alert.id);
      if (matches(alert, s.historyFilter)) {
        history = i >= 0 ? history.map((a) => (a.id === alert.id ? alert : a)) : [alert, ...history].slice(0, HISTORY_LIMIT);
      } else if (i >= 0) {
        history = history.filter((a) => a.id !== alert.id);
      }
    }
    return { active, history };
  });
});

onConnected(() => {
  void loadActive();
  void loadHistory();
});

/** Number of firing alerts, for one host or all. */
export function useFiringCount(host?: string): number {
  return useAlerts((s) => s.active.filter((a) => a.state === 'firing' && (host === undefined || a.host === host)).length);
}
