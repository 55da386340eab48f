/**
 * "Export report…": range, hosts and format, then the report is made (a bar filled by the engine's
 * progress events, host by host, and the seconds spent) and saved. In the desktop app it goes
 * through the native save dialog and ends with "Open file" / "Show in folder"; in a browser it is
 * downloaded. A failure is shown in the dialog, with the form kept as it was to try again.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ReportRequest } from '../../../../shared/report.ts';
import { formatBytes } from '../../../../shared/format.ts';
import { client, errorMessage, isDesktop } from '../../api/index.ts';
import { downloadReport, exportInApp } from '../../api/reports.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { FieldRow, invalidProps } from '../../components/FieldRow.tsx';
import { useClock } from '../../stores/clock.ts';
import { useHosts } from '../../stores/hosts.ts';
import { showToast } from '../../stores/toasts.ts';
import { formatRangeWithZone } from '../../lib/time.ts';
import type { ExportForm, RangeChoice } from './exportForm.ts';
import { FORMATS, RANGE_CHOICES, initialForm, validate } from './exportForm.ts';
import { FormatPicker, HostPicker, SectionPicker } from './ReportFields.tsx';

type Phase =
  | { phase: 'form'; error: string | null }
  | { phase: 'busy'; startedAt: number; summary: string; progress: string }
  | { phase: 'saved'; path: string; problem: string | null }
  | { phase: 'downloaded'; fileName: string; bytes: number };

/** "Last 7 days · 3 hosts · PDF", for the busy state. */
function summaryOf(form: ExportForm, request: ReportRequest, hostCount: number): string {
  const range = form.range === 'custom' ? formatRangeWithZone(request.from, request.to) : RANGE_CHOICES.find((r) => r.id === form.range)!.label;
  const n = request.hosts.length === 0 ? hostCount : request.hosts.length;
  return `${range} · ${n} ${n === 1 ? 'host' : 'hosts'} · ${FORMATS.find((f) => f.id === form.format)!.label}`;
}

function RangePicker({ value, onChange, labelledBy }: { value: RangeChoice; onChange(r: RangeChoice): void; labelledBy: string }) {
  return (
    <div className="segmented" role="group" aria-labelledby={labelledBy}>
      {RANGE_CHOICES.map((r) => (
        <button key={r.id} type="button" aria-pressed={value === r.id} data-testid={`export-range-${r.id}`} onClick={() => onChange(r.id)}>
          {r.label}
        </button>
      ))}
    </div>
  );
}

function Busy({ startedAt, summary, progress, onCancel }: {
  startedAt: number; summary: string; progress: string; onCancel: (() => void) | null;
}) {
  // Its own second, counted from the start (the shared clock ticks on another phase).
  const [now, setNow] = useState(startedAt);
  const [hosts, setHosts] = useState<{ done: number; total: number } | null>(null);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    const off = client.on('reportProgress', (p) => { if (p.progress === progress) setHosts({ done: p.done, total: p.total }); });
    return () => {
      clearInterval(timer);
      off();
    };
  }, [progress]);
  const elapsed = Math.max(0, Math.floor((now - startedAt) / 1000));
  // Until the first host is done the share is unknown: the bar sweeps. Writing the file follows the last.
  const share = hosts && hosts.total > 0 ? hosts.done / hosts.total : null;
  return (
    <div className="export-busy" data-testid="export-busy">
      <p className="export-busy-line">
        <span>{hosts && hosts.done === hosts.total ? 'Writing the file…' : 'Making the report…'}</span>
        <span className="num muted" data-testid="export-elapsed">
          {hosts ? `${hosts.done} of ${hosts.total} ${hosts.total === 1 ? 'host' : 'hosts'} · ` : ''}{elapsed} s
        </span>
      </p>
      <div className="progress" role="progressbar" aria-label="Making the report" data-testid="export-progress"
        aria-valuemin={0} aria-valuemax={100} aria-valuenow={share === null ? undefined : Math.round(share * 100)}
        aria-valuetext={`${hosts ? `${hosts.done} of ${hosts.total} hosts, ` : ''}${elapsed} seconds so far`}>
        <div className={share === null ? 'progress-bar' : 'progress-bar progress-bar-known'} style={share === null ? undefined : { width: `${share * 100}%` }} />
      </div>
      <p className="hint">{summary}</p>
      {onCancel ? (
        <div className="dialog-actions export-actions">
          <button type="button" className="button" onClick={onCancel} data-testid="export-cancel" autoFocus>Cancel</button>
        </div>
      ) : (
        <p className="hint">Long ranges of many hosts take a while. Closing this keeps it going; you are told when the file is saved.</p>
      )}
    </div>
  );
}

function Saved({ path, problem, onProblem }: { path: string; problem: string | null; onProblem(p: string | null): void }) {
  const act = (run: (p: string) => Promise<boolean>, failed: string) => {
    onProblem(null);
    run(path).then((ok) => { if (!ok) onProblem(failed); }, (err: unknown) => onProblem(`${failed}: ${errorMessage(err)}`));
  };
  const bridge = window.hostwatch!;
  return (
    <div className="export-done" data-testid="export-done">
      <p className="calm"><span aria-hidden="true">✓ </span>Saved to <code data-testid="export-path">{path}</code></p>
      <div className="export-file-actions">
        <button type="button" className="button" autoFocus onClick={() => act((p) => bridge.openReport(p), 'The file could not be opened')}>Open file</button>
        <button type="button" className="button" onClick={() => act((p) => bridge.showReport(p), 'The folder could not be shown')}>Show in folder</button>
      </div>
      {problem && <p className="error-text" role="alert">{problem} — it may have been moved or deleted since.</p>}
    </div>
  );
}

export function ExportDialog({ host, onClose }: { host?: string; onClose(): void }) {
  const [form, setForm] = useState<ExportForm>(() => initialForm(Date.now(), host));
  const [touched, setTouched] = useState<{ from?: boolean; to?: boolean }>({});
  const [submitted, setSubmitted] = useState(false);
  const [phase, setPhase] = useState<Phase>({ phase: 'form', error: null });
  const hostCount = useHosts((s) => s.hosts.length);
  // The presets end now: re-checked each minute is enough for the range shown and the validation.
  const now = useClock((s) => Math.floor(s.now / 60_000) * 60_000);
  const { request, range, issues } = useMemo(() => validate(form, now), [form, now]);
  const ids = { range: useId(), from: useId(), to: useId() };
  const abort = useRef<AbortController | null>(null);
  const open = useRef(true);

  useEffect(() => {
    open.current = true;
    return () => {
      open.current = false;
      abort.current?.abort();
    };
  }, []);

  const set = <K extends keyof ExportForm>(key: K, value: ExportForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const show = (field: 'from' | 'to') => (submitted || touched[field] ? issues[field] : undefined);

  const start = () => {
    setSubmitted(true);
    // Checked again at this instant: a preset's "now" in the memo is up to a minute old.
    const valid = validate(form, Date.now()).request;
    if (!valid) return;
    const checked = { ...valid, progress: crypto.randomUUID() };
    const { format } = form;
    setPhase({ phase: 'busy', startedAt: Date.now(), summary: summaryOf(form, checked, hostCount), progress: checked.progress });
    if (isDesktop) {
      exportInApp(checked, format).then(
        (saved) => {
          if (open.current) setPhase(saved ? { phase: 'saved', path: saved.path, problem: null } : { phase: 'form', error: null });
          else if (saved) showToast({ title: 'Report saved', body: saved.path, severity: 'info', host: null });
        },
        (err: unknown) => {
          if (open.current) setPhase({ phase: 'form', error: errorMessage(err) });
          else showToast({ title: 'The report could not be made', body: errorMessage(err), severity: 'critical', host: null });
        },
      );
      return;
    }
    const controller = new AbortController();
    abort.current = controller;
    downloadReport(checked, format, controller.signal).then(
      (file) => setPhase({ phase: 'downloaded', ...file }),
      (err: unknown) => { if (!controller.signal.aborted) setPhase({ phase: 'form', error: errorMessage(err) }); },
    );
  };

  const cancel = () => {
    abort.current?.abort();
    setPhase({ phase: 'form', error: null });
  };

  const again = () => {
    setSubmitted(false);
    setPhase({ phase: 'form', error: null });
  };

  return (
    <Dialog title="Export a report" onClose={onClose} testId="export-dialog" wide>
      {phase.phase === 'busy' && <Busy startedAt={phase.startedAt} summary={phase.summary} progress={phase.progress} onCancel={isDesktop ? null : cancel} />}
      {(phase.phase === 'saved' || phase.phase === 'downloaded') && (
        <>
          {phase.phase === 'saved' ? (
            <Saved path={phase.path} problem={phase.problem} onProblem={(problem) => setPhase({ ...phase, problem })} />
          ) : (
            <div className="export-done" data-testid="export-done">
              <p className="calm">
                <span aria-hidden="true">✓ </span>Downloaded <code data-testid="export-file">{phase.fileName}</code>{' '}
                <span className="muted num">({formatBytes(phase.bytes)})</span>
              </p>
              <p className="hint">Your browser saved it where it keeps downloads.</p>
            </div>
          )}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={again} data-testid="export-again">Export another</button>
            <button type="button" className="button button-primary" onClick={onClose} autoFocus={phase.phase === 'downloaded'}>Done</button>
          </div>
        </>
      )}
      {phase.phase === 'form' && (
        <form className="form export-form" noValidate onSubmit={(e) => { e.preventDefault(); start(); }}>
          <div className="field">
            <span className="field-label" id={ids.range}>Range</span>
            <RangePicker value={form.range} onChange={(r) => set('range', r)} labelledBy={ids.range} />
            {form.range === 'custom' && (
              <div className="field-grid field-grid-2">
                <FieldRow label="From" htmlFor={ids.from} error={show('from')}>
                  <input id={ids.from} type="datetime-local" value={form.from} data-testid="export-from" className="num"
                    {...invalidProps(ids.from, show('from'))}
                    onChange={(e) => { set('from', e.target.value); setTouched((t) => ({ ...t, from: true })); }} />
                </FieldRow>
                <FieldRow label="To" htmlFor={ids.to} error={show('to')}>
                  <input id={ids.to} type="datetime-local" value={form.to} data-testid="export-to" className="num"
                    {...invalidProps(ids.to, show('to'))}
                    onChange={(e) => { set('to', e.target.value); setTouched((t) => ({ ...t, to: true })); }} />
                </FieldRow>
              </div>
            )}
            {range && <p className="hint num" data-testid="export-range-text">{formatRangeWithZone(range.from, range.to)}</p>}
          </div>

          <HostPicker value={form.hosts} onChange={(v) => set('hosts', v)} error={issues.hosts} />
          <FormatPicker value={form.format} onChange={(f) => set('format', f)} />
          {form.format !== 'csv' && <SectionPicker value={form.sections} format={form.format} onChange={(v) => set('sections', v)} />}

          {phase.error && (
            <p className="error-box" role="alert" data-testid="export-error">The report could not be made: {phase.error}</p>
          )}
          <div className="dialog-actions">
            {isDesktop && <span className="hint push-right">You choose where to save it next.</span>}
            <button type="button" className="button" onClick={onClose}>Cancel</button>
            <button type="submit" className="button button-primary" data-testid="export-start" disabled={submitted && !request}>
              {isDesktop ? 'Export…' : 'Export'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
