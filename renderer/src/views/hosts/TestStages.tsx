/**
 * The outcome of "Test connection", stage by stage (resolving, connecting, host key, logging in, first
 * poll): ✓ or ✗, the engine's message and how long it took; stages after a failure were not tried.
 * While the test runs, every stage shows as waiting. Then the host key the server offered, when it is
 * not trusted yet, with the user's "I have checked this fingerprint" confirmation.
 */
import type { Result } from '../../../../shared/api.ts';
import { msText, TEST_STAGES } from '../../lib/hostText.ts';

export type TestOutcome = Result<'hosts.test'>;

export function TestStages({ running, result }: { running: boolean; result: TestOutcome | null }) {
  if (!running && !result) return null;
  const failedAt = result?.stages.findIndex((s) => !s.ok) ?? -1;
  return (
    <ol className="test-stages" aria-label="Connection test" aria-busy={running}>
      {TEST_STAGES.map(({ stage, label }, i) => {
        const got = result?.stages.find((s) => s.stage === stage);
        if (!got) {
          const skipped = !running && failedAt >= 0 && i > failedAt;
          return (
            <li key={stage} className="test-stage test-stage-waiting">
              <span className="test-icon" aria-hidden="true">{running ? '…' : '–'}</span>
              <span className="test-label">{label}</span>
              <span className="test-message muted">{running ? 'waiting' : skipped ? 'not tried' : ''}</span>
              <span />
            </li>
          );
        }
        return (
          <li key={stage} className={`test-stage ${got.ok ? 'tone-ok' : 'tone-critical'}`} data-testid="host-test-stage"
            data-stage={stage} data-ok={String(got.ok)}>
            <span className="test-icon" aria-label={got.ok ? 'passed' : 'failed'}>{got.ok ? '✓' : '✗'}</span>
            <span className="test-label">{label}</span>
            <span className="test-message">{got.message}</span>
            <span className="test-ms num muted">{msText(got.ms)}</span>
          </li>
        );
      })}
    </ol>
  );
}

/**
 * The host key a test met that is not trusted yet: its type and SHA256 fingerprint, and the
 * confirmation that the user compared it. `changed`: the address already has another known key.
 */
export function KeyPrompt({ keyType, fingerprint, changed, checked, onCheck, canAccept }: {
  keyType: string; fingerprint: string; changed: boolean; checked: boolean; onCheck(v: boolean): void; canAccept: boolean;
}) {
  return (
    <div className={`key-prompt ${changed ? 'tone-critical' : 'tone-warning'}`} role="group" aria-label="Host key">
      <p className="key-prompt-title">
        <span aria-hidden="true">{changed ? '✖ ' : '▲ '}</span>
        {changed
          ? 'This server’s key differs from the one known for this address. If you did not reinstall it, do not trust this key.'
          : 'The server offered a host key this computer has not seen before.'}
      </p>
      <p className="key-line">
        <span className="muted">{keyType}</span>{' '}
        <code className="fingerprint" data-testid="host-key-fingerprint">{fingerprint}</code>
      </p>
      <p className="hint">
        Compare it with what the server shows (on the server: <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>),
        or ask whoever runs it.
      </p>
      {canAccept ? (
        <label className="check">
          <input type="checkbox" checked={checked} onChange={(e) => onCheck(e.target.checked)} data-testid="host-key-accept" />
          I have checked this fingerprint — trust this key
        </label>
      ) : (
        <p className="hint">Save, then trust the key from the banner on the host’s page.</p>
      )}
    </div>
  );
}
