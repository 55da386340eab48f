/**
 * Settings › Scheduled reports: off, daily or weekly, into a folder on the engine's machine, in a
 * format, for all hosts or some; saved with `reports.setSchedule`. Says when the next report is written
 * and what it covers. The schema's messages show next to their fields as the user types, the engine's
 * (a folder it cannot write to) after saving.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import type { ReportSchedule } from '../../../../shared/report.ts';
import { ApiError, errorMessage, isDesktop } from '../../api/index.ts';
import { FieldRow, invalidProps } from '../../components/FieldRow.tsx';
import { useClock } from '../../stores/clock.ts';
import { loadSchedule, saveSchedule, useReports } from '../../stores/reports.ts';
import { showToast } from '../../stores/toasts.ts';
import { localZone } from '../../lib/time.ts';
import { FormatPicker, HostPicker } from '../reports/ReportFields.tsx';
import type { Frequency, ScheduleField, ScheduleForm, ScheduleIssues } from './scheduleForm.ts';
import { formFromSchedule, isDirty, nextReportText, saveIssues, validate } from './scheduleForm.ts';

const FREQUENCIES: readonly { id: Frequency; label: string }[] = [
  { id: 'off', label: 'Off' },
  { id: 'daily', label: 'Daily' },
  { id: 'weekly', label: 'Weekly' },
];

function NextReport({ frequency }: { frequency: Frequency }) {
  // The text changes at midnight at the earliest: the minute is fine enough.
  const minute = useClock((s) => Math.floor(s.now / 60_000));
  // The engine's midnight: the same zone when the engine runs here, as it usually does.
  const text = useMemo(() => nextReportText(frequency, new Date(minute * 60_000), localZone()), [frequency, minute]);
  return (
    <p className="schedule-next" data-testid="schedule-next" aria-live="polite">
      {text ?? 'Off: no report is written on its own. Choose daily or weekly to have one written after each day or week.'}
    </p>
  );
}

function ScheduleEditor({ saved }: { saved: ReportSchedule }) {
  const [form, setForm] = useState<ScheduleForm>(() => formFromSchedule(saved));
  const [touched, setTouched] = useState<Partial<Record<ScheduleField, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [engineIssues, setEngineIssues] = useState<ScheduleIssues>({});
  const [saveError, setSaveError] = useState<string | null>(null);
  const { schedule, issues } = useMemo(() => validate(form), [form]);
  const folderId = useId();
  const frequencyId = useId();
  const off = form.frequency === 'off';

  const show = (f: ScheduleField) => engineIssues[f] ?? (submitted || touched[f] ? issues[f] : undefined);
  const set = <K extends keyof ScheduleForm>(key: K, value: ScheduleForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setTouched((t) => ({ ...t, [key]: true }));
    setEngineIssues(({ [key]: _, ...rest }) => rest);
  };

  const submit = () => {
    setSubmitted(true);
    if (!schedule) return;
    setSaving(true);
    setSaveError(null);
    // On success the editor remounts with the saved schedule: its key is the schedule.
    saveSchedule(schedule)
      .then(
        (s) => showToast({
          title: s.frequency === 'off' ? 'Scheduled reports turned off' : 'Report schedule saved',
          body: s.frequency === 'off' ? 'No report is written on its own any more.' : `${s.frequency === 'daily' ? 'Daily' : 'Weekly'} ${s.format.toUpperCase()} reports go to ${s.folder ?? ''}.`,
          severity: 'info', host: null,
        }),
        (err: unknown) => {
          const placed = saveIssues(err instanceof ApiError ? err.code : 'internal', errorMessage(err));
          setEngineIssues(placed.issues);
          setSaveError(placed.general);
        },
      )
      .finally(() => setSaving(false));
  };

  return (
    <form className="schedule-form" noValidate onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <div className="field">
        <span className="field-label" id={frequencyId}>Frequency</span>
        <div className="segmented" role="group" aria-labelledby={frequencyId}>
          {FREQUENCIES.map((f) => (
            <button key={f.id} type="button" aria-pressed={form.frequency === f.id} data-testid={`schedule-frequency-${f.id}`}
              onClick={() => set('frequency', f.id)}>
              {f.label}
            </button>
          ))}
        </div>
        <NextReport frequency={form.frequency} />
      </div>
      <FieldRow label="Folder" htmlFor={folderId} error={show('folder')}
        hint={<>A folder on {isDesktop ? 'this computer' : 'the machine running the engine'}; it must exist and the engine must be able to write to it.</>}>
        <input id={folderId} type="text" className="schedule-folder" value={form.folder} disabled={off} spellCheck={false}
          placeholder="/home/me/reports" data-testid="schedule-folder" {...invalidProps(folderId, show('folder'))}
          onChange={(e) => set('folder', e.target.value)} onBlur={() => setTouched((t) => ({ ...t, folder: true }))} />
      </FieldRow>
      <div className="schedule-columns">
        <FormatPicker value={form.format} onChange={(f) => set('format', f)} disabled={off} />
        <HostPicker value={form.hosts} onChange={(h) => set('hosts', h)} error={off ? undefined : show('hosts')} disabled={off}
          allHint="All hosts includes hosts added later." />
      </div>
      {saveError && <p className="error-box" role="alert">Could not save the schedule: {saveError}</p>}
      <div className="retention-foot">
        <p className="hint">
          Reports are written by the engine, on {isDesktop ? 'this computer while Hostwatch runs' : 'the machine it runs on, while it runs'}.
          {!off && ` Saving writes the last full ${form.frequency === 'weekly' ? 'week' : 'day'}’s report right away if it is not there yet.`}
        </p>
        <button type="submit" className="button button-primary" disabled={saving || !isDirty(form, saved)} data-testid="schedule-save">
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}

export function ScheduleSection() {
  const schedule = useReports((s) => s.schedule);
  const error = useReports((s) => s.error);
  // The engine sends no event when it changes: fresh each time Settings opens.
  useEffect(() => { void loadSchedule(); }, []);
  return (
    <section className="panel" aria-labelledby="schedule-title" data-testid="report-schedule">
      <h2 id="schedule-title" className="panel-title">Scheduled reports</h2>
      <p className="hint">A health report written to a folder after each day or week, without anyone asking. Off by default.</p>
      {error && !schedule && <p className="error-box" role="alert">Could not load the report schedule: {error}</p>}
      {schedule ? (
        <ScheduleEditor key={JSON.stringify(schedule)} saved={schedule} />
      ) : (
        !error && <div aria-busy="true" aria-label="Loading the report schedule"><div className="sk sk-table settings-sk" /></div>
      )}
    </section>
  );
}
