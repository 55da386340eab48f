/**
 * The fields a report export and a report schedule share: the hosts (an "All hosts" toggle over a
 * checkbox per host) and the format (a radio per format with what it is good for); and what an export
 * includes (a checkbox per section).
 */
import { useId } from 'react';
import type { ReportFormat, ReportSection } from '../../../../shared/report.ts';
import { useHosts } from '../../stores/hosts.ts';
import type { HostChoice } from './hostChoice.ts';
import { isPicked, toggleAll, toggleHost } from './hostChoice.ts';
import { FORMATS, SECTION_CHOICES } from './exportForm.ts';

export function HostPicker({ value, onChange, error, allHint, disabled }: {
  value: HostChoice; onChange(v: HostChoice): void; error?: string | undefined; allHint?: string; disabled?: boolean;
}) {
  const hosts = useHosts((s) => s.hosts);
  const ids = hosts.map((h) => h.id);
  const errorId = useId();
  const sorted = [...hosts].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  return (
    <fieldset className={`fieldset report-hosts${error ? ' field-invalid' : ''}`} data-testid="report-hosts" disabled={disabled}
      aria-describedby={error ? errorId : undefined}>
      <legend>Hosts</legend>
      <label className="check">
        <input type="checkbox" checked={value.all} data-testid="report-hosts-all" onChange={(e) => onChange(toggleAll(e.target.checked))} />
        All hosts <span className="muted">({hosts.length})</span>
      </label>
      {allHint && <p className="hint">{allHint}</p>}
      <ul className="report-host-list" aria-label="Hosts in the report">
        {sorted.map((h) => (
          <li key={h.id}>
            <label className="check report-host" title={h.name}>
              <input type="checkbox" checked={isPicked(value, h.id)} data-testid="report-host" data-host={h.id}
                onChange={(e) => onChange(toggleHost(value, ids, h.id, e.target.checked))} />
              <span className="report-host-name">{h.name}</span>
            </label>
          </li>
        ))}
      </ul>
      {error && <p className="field-error" id={errorId} role="alert"><span aria-hidden="true">✖ </span>{error}</p>}
    </fieldset>
  );
}

export function FormatPicker({ value, onChange, disabled }: { value: ReportFormat; onChange(f: ReportFormat): void; disabled?: boolean }) {
  const name = useId();
  return (
    <fieldset className="fieldset report-formats" disabled={disabled}>
      <legend>Format</legend>
      {FORMATS.map((f) => (
        <label key={f.id} className="report-format">
          <input type="radio" name={name} value={f.id} checked={value === f.id} data-testid={`report-format-${f.id}`}
            onChange={() => onChange(f.id)} />
          <span className="report-format-label">{f.label}</span>
          <span className="hint">{f.hint}</span>
        </label>
      ))}
    </fieldset>
  );
}

/** The sections to include; charts need resources, and Markdown has none. */
export function SectionPicker({ value, format, onChange }: {
  value: ReportSection[]; format: ReportFormat; onChange(v: ReportSection[]): void;
}) {
  const set = (id: ReportSection, on: boolean) => onChange(on ? [...value.filter((s) => s !== id), id] : value.filter((s) => s !== id));
  return (
    <fieldset className="fieldset report-formats report-sections" data-testid="report-sections">
      <legend>Include</legend>
      {SECTION_CHOICES.map((s) => {
        const off = s.id === 'charts' && (format === 'md' || !value.includes('resources'));
        return (
          <label key={s.id} className="report-format">
            <input type="checkbox" checked={value.includes(s.id) && !off} disabled={off} data-testid={`report-section-${s.id}`}
              onChange={(e) => set(s.id, e.target.checked)} />
            <span className="report-format-label">{s.label}</span>
            <span className="hint">{off && format === 'md' ? 'Markdown has no charts' : s.hint}</span>
          </label>
        );
      })}
      <p className="hint">The overall and per-host status always count everything.</p>
    </fieldset>
  );
}
