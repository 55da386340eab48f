/**
 * Silences (shared/silences.ts): the list from `silences.list`, loaded on connect and after each change
 * made here; silencing a firing alert's host and rule for a while in one call.
 */
import { create } from 'zustand';
import type { Alert } from '../../../shared/api.ts';
import { alertLabels, matchesAll, type Silence } from '../../../shared/silences.ts';
import { client, errorMessage } from '../api/index.ts';
import { onConnected } from './connection.ts';

interface SilencesStore {
  silences: Silence[];
  loaded: boolean;
  error: string | null;
}

export const useSilences = create<SilencesStore>()(() => ({ silences: [], loaded: false, error: null }));

export async function loadSilences(): Promise<void> {
  try {
    useSilences.setState({ silences: await client.request('silences.list'), loaded: true, error: null });
  } catch (err) {
    useSilences.setState({ error: errorMessage(err) });
  }
}

onConnected(() => { void loadSilences(); });

/** Silences `alert`'s rule on its host from now for `hours`; who: this app. */
export async function silenceAlert(alert: Alert, hours: number): Promise<Silence> {
  const now = Date.now();
  const silence = await client.request('silences.create', {
    matchers: [{ name: 'alertname', op: '=', value: alert.ruleName }, { name: 'host', op: '=', value: alert.host }],
    startsAt: now, endsAt: now + hours * 3_600_000, createdBy: 'Hostwatch app', comment: `Silenced from the alert for ${hours} h`,
  });
  await loadSilences();
  return silence;
}

/** Ends silence `id` now. */
export async function expireSilence(id: number): Promise<void> {
  await client.request('silences.expire', { id });
  await loadSilences();
}

/** The active silence that quiets `alert` at `now` (the one ending last), or null. */
export function silenceOf(silences: readonly Silence[], alert: Alert, hostName: string, now: number): Silence | null {
  const labels = alertLabels(alert, hostName);
  const matching = silences.filter((s) => s.startsAt <= now && now < s.endsAt && matchesAll(s.matchers, labels));
  return matching.sort((a, b) => b.endsAt - a.endsAt)[0] ?? null;
}
