/**
 * Settings: the history store (its state, database file, size and each host's share), the retention
 * of each tier, saved with `storage.setRetention`, and the scheduled reports.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import type { Retention, StorageStatus } from '../../../shared/api.ts';
import { formatBytes, formatPercent } from '../../../shared/format.ts';
import { errorMessage } from '../api/index.ts';
import { loadStorage, saveRetention, storageProblem, useStorage } from '../stores/storage.ts';
import { useHosts } from '../stores/hosts.ts';
import { useClock } from '../stores/clock.ts';
import { showToast } from '../stores/toasts.ts';
import { FieldRow, invalidProps } from '../components/FieldRow.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import type { StatusLook } from '../lib/status.ts';
import { TONE_ICON } from '../lib/status.ts';
import { sinceText } from '../lib/hostText.ts';
import { hostHref } from '../lib/router.ts';
import type { RetentionForm as Form, Tier } from './settings/retentionForm.ts';
import { TIERS, formFromRetention, validate } from './settings/retentionForm.ts';
import { ScheduleSection } from './settings/ScheduleSection.tsx';

const STATE_LOOK: Record<StorageStatus['state'], StatusLook> = {
  ok: { tone: 'ok', icon: TONE_ICON.ok, word: 'Writing' },
  full: { tone: 'critical', icon: TONE_ICON.critical, word: 'Storage full' },
  error: { tone: 'critical', icon: TONE_ICON.critical, word: 'Not writing' },
};

const TIER_TEXT: Record<Tier, { label: string; hint: string; testId: string }> = {
  rawDays: {
    label: 'Raw samples',
    hint: 'Every sample as collected: charts up to about a day. Default 14 days.',
    testId: 'retention-raw',
  },
  minuteDays: {
    label: '1-minute rollups',
    hint: 'Min, max and average per minute: charts up to a few months. Default 90 days.',
    testId: 'retention-minute',
  },
  hourDays: {
    label: '1-hour rollups',
    hint: 'Min, max and average per hour: charts over years. Default 730 days.',
    testId: 'retention-hour',
  },
};

function StoreState({ status }: { status: StorageStatus }) {
  const now = useClock((s) => s.now);
  const problem = storageProblem(status);
  return (
    <div className="storage-state" data-testid="storage-state" data-state={status.state}>
      <StatusBadge look={STATE_LOOK[status.state]} />
      <div className="storage-state-text">
        {problem ? <p className="storage-problem">{problem}</p> : <p>Every snapshot is stored as it arrives.</p>}
        {status.state === 'full' && status.message && <p className="storage-message">{status.message}</p>}
        {status.state === 'full' && (
          <p className="hint">Free some space on the disk that holds the database: writing resumes by itself, waiting snapshots first.</p>
        )}
        {problem && <p className="hint">{sinceText(status.since, now)}</p>}
      </div>
    </div>
  );
}

function HostShares({ hosts }: { hosts: StorageStatus['hosts'] }) {
  const watched = useHosts((s) => s.hosts);
  if (hosts.length === 0) return <p className="muted">Nothing counted yet: a host’s share counts its history once the first hour of it is complete.</p>;
  return (
    <table className="table share-table" data-testid="storage-hosts">
      <thead>
        <tr>
          <th scope="col">Host</th>
          <th scope="col"><span className="visually-hidden">Share as a bar</span></th>
          <th scope="col" className="num">Size</th>
          <th scope="col" className="num">Share</th>
        </tr>
      </thead>
      <tbody>
        {hosts.map((h) => (
          <tr key={h.host} data-testid="storage-host" data-host={h.host}>
            {/* A removed host whose history was kept has no page to link to. */}
            <td className="share-name" title={h.name}>{watched.some((w) => w.id === h.host) ? <a href={hostHref(h.host)}>{h.name}</a> : h.name}</td>
            <td className="share-cell">
              <div className="share-bar" aria-hidden="true"><div className="share-fill" style={{ width: `${Math.min(1, h.share) * 100}%` }} /></div>
            </td>
            <td className="num" data-testid="storage-host-bytes">{formatBytes(h.bytes)}</td>
            <td className="num" data-testid="storage-host-share">{formatPercent(h.share)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function HistorySection({ status }: { status: StorageStatus }) {
  return (
    <section className="panel" aria-labelledby="history-title" data-testid="storage-history">
      <h2 id="history-title" className="panel-title">History</h2>
      <StoreState status={status} />
      <dl className="storage-facts">
        <dt>Database</dt>
        <dd><code data-testid="storage-file">{status.file}</code></dd>
        <dt>Size</dt>
        <dd className="num" data-testid="storage-size">{formatBytes(status.bytes)}</dd>
      </dl>
      <h3 className="share-title">Share of each host</h3>
      <HostShares hosts={status.hosts} />
    </section>
  );
}

function RetentionSection({ retention }: { retention: Retention }) {
  const [form, setForm] = useState<Form>(() => formFromRetention(retention));
  const [touched, setTouched] = useState<Partial<Record<Tier, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const { retention: valid, issues } = useMemo(() => validate(form), [form]);
  const baseId = useId();
  const dirty = TIERS.some((t) => form[t].trim() !== String(retention[t]));

  const submit = () => {
    setSubmitted(true);
    if (!valid) return;
    setSaving(true);
    setSaveError(null);
    // On success the section remounts with the saved values: its key is the retention.
    saveRetention(valid)
      .then(
        () => showToast({ title: 'Retention saved', body: 'History older than that is deleted by the cleanup pass that just started.', severity: 'info', host: null }),
        (err: unknown) => setSaveError(errorMessage(err)),
      )
      .finally(() => setSaving(false));
  };

  return (
    <section className="panel" aria-labelledby="retention-title" data-testid="storage-retention">
      <h2 id="retention-title" className="panel-title">Retention</h2>
      <p className="hint">How long each tier of history is kept. Long charts read the rollups, so they stay fast whatever the raw period.</p>
      <form className="retention-form" noValidate onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <div className="retention-fields">
          {TIERS.map((tier) => {
            const id = `${baseId}-${tier}`;
            const error = submitted || touched[tier] ? issues[tier] : undefined;
            const text = TIER_TEXT[tier];
            return (
              <FieldRow key={tier} label={text.label} htmlFor={id} error={error} hint={text.hint}>
                <div className="input-suffix">
                  <input id={id} className="num" type="number" inputMode="numeric" min={1} step={1} value={form[tier]}
                    data-testid={text.testId} {...invalidProps(id, error)}
                    onChange={(e) => {
                      setForm({ ...form, [tier]: e.target.value });
                      setTouched({ ...touched, [tier]: true });
                    }} />
                  <span className="muted">days</span>
                </div>
              </FieldRow>
            );
          })}
        </div>
        {saveError && <p className="error-box" role="alert">Could not save the retention: {saveError}</p>}
        <div className="retention-foot">
          <p className="hint">History older than this is deleted by the next cleanup pass, which starts when you save; the space is given back to the disk.</p>
          <button type="submit" className="button button-primary" disabled={saving || !dirty} data-testid="retention-save">
            {saving ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </section>
  );
}

function retentionKey(r: Retention): string {
  return `${r.rawDays}/${r.minuteDays}/${r.hourDays}`;
}

export function SettingsView() {
  const status = useStorage((s) => s.status);
  const error = useStorage((s) => s.error);
  // Sizes change without events: fresh figures each time the view opens.
  useEffect(() => { void loadStorage(); }, []);

  return (
    <main className="view settings-view" aria-labelledby="settings-title">
      <div className="view-head">
        <h1 id="settings-title">Settings</h1>
      </div>
      {error && <p className="error-box" role="alert">Could not load the storage status: {error}</p>}
      {!status ? (
        !error && (
          <div className="panel" aria-busy="true" aria-label="Loading the storage status">
            <div className="sk sk-title" /><div className="sk sk-table settings-sk" />
          </div>
        )
      ) : (
        <>
          <HistorySection status={status} />
          <RetentionSection key={retentionKey(status.retention)} retention={status.retention} />
        </>
      )}
      <ScheduleSection />
    </main>
  );
}
