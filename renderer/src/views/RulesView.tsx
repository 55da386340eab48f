/** Alert rules: the list with an enabled toggle, add / edit in a dialog, delete with confirmation. */
import { useMemo, useState } from 'react';
import type { Rule } from '../../../shared/rules.ts';
import { errorMessage } from '../api/index.ts';
import { deleteRule, specOf, updateRule, useRules } from '../stores/rules.ts';
import { showToast } from '../stores/toasts.ts';
import { severityLook, SEVERITY_RANK } from '../lib/status.ts';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { RuleDialog } from './rules/RuleDialog.tsx';
import { ruleExpression } from '../../../shared/rules.ts';

function EnabledToggle({ rule }: { rule: Rule }) {
  const [busy, setBusy] = useState(false);
  return (
    <label className="switch" title={rule.enabled ? 'Enabled: click to pause' : 'Paused: click to enable'}>
      <input
        type="checkbox"
        role="switch"
        checked={rule.enabled}
        disabled={busy}
        aria-label={`Rule ${rule.name} enabled`}
        data-testid="rule-enabled-toggle"
        onChange={(e) => {
          setBusy(true);
          updateRule(rule.id, { ...specOf(rule), enabled: e.target.checked })
            .catch((err: unknown) => showToast({ title: 'Could not change the rule', body: errorMessage(err), severity: 'critical', host: null }))
            .finally(() => setBusy(false));
        }}
      />
      <span className="switch-track" aria-hidden="true" />
      <span className="switch-word">{rule.enabled ? 'On' : 'Paused'}</span>
    </label>
  );
}

function ConfirmDelete({ rule, onClose }: { rule: Rule; onClose(): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog title={`Delete rule “${rule.name}”?`} onClose={onClose} testId="rule-delete-dialog">
      <p>Hostwatch stops watching <code>{ruleExpression(rule)}</code>. This cannot be undone.</p>
      {error && <p className="error-box" role="alert">Could not delete: {error}</p>}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose} autoFocus>Keep it</button>
        <button type="button" className="button button-danger" disabled={busy} data-testid="rule-delete-confirm"
          onClick={() => {
            setBusy(true);
            deleteRule(rule.id).then(onClose, (err: unknown) => { setError(errorMessage(err)); setBusy(false); });
          }}>
          Delete rule
        </button>
      </div>
    </Dialog>
  );
}

export function RulesView() {
  const rules = useRules((s) => s.rules);
  const loaded = useRules((s) => s.loaded);
  const error = useRules((s) => s.error);
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Rule | null>(null);
  const [query, setQuery] = useState('');

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return rules
      .filter((r) => !q || `${r.name} ${r.metric}`.toLowerCase().includes(q))
      .sort((a, b) => Number(b.enabled) - Number(a.enabled) || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.name.localeCompare(b.name));
  }, [rules, query]);

  return (
    <main className="view" aria-labelledby="rules-title">
      <div className="view-head">
        <h1 id="rules-title">Rules</h1>
        <input className="search" type="search" placeholder="Filter rules  ( / )" aria-label="Filter rules" data-search
          value={query} onChange={(e) => setQuery(e.target.value)} />
        <button type="button" className="button button-primary" onClick={() => setEditing('new')} data-testid="rule-add">Add rule</button>
      </div>
      {error && <p className="error-box" role="alert">Could not load rules: {error}</p>}
      {!loaded ? (
        <div className="sk sk-table" aria-label="Loading rules" />
      ) : rules.length === 0 ? (
        <div className="empty"><h2>No rules</h2><p>Add a rule to be told when a metric crosses a threshold.</p></div>
      ) : (
        <div className="panel table-wrap">
          <table className="table" data-testid="rules-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Expression</th>
                <th scope="col">Severity</th>
                <th scope="col">Enabled</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={r.id} data-testid="rule-row" data-rule={r.name} data-rule-id={r.id} className={r.enabled ? undefined : 'row-dim'}>
                  <td className="rule-name">{r.name}</td>
                  <td><code className="expr">{ruleExpression(r)}</code></td>
                  <td><StatusBadge look={severityLook(r.severity)} /></td>
                  <td><EnabledToggle rule={r} /></td>
                  <td className="actions">
                    <button type="button" className="button button-small" onClick={() => setEditing(r)} data-testid="rule-edit">Edit</button>
                    <button type="button" className="button button-small button-danger-quiet" onClick={() => setDeleting(r)} data-testid="rule-delete">Delete</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {shown.length === 0 && <p className="muted">No rule matches “{query}”.</p>}
        </div>
      )}
      {editing && <RuleDialog rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {deleting && <ConfirmDelete rule={deleting} onClose={() => setDeleting(null)} />}
    </main>
  );
}
