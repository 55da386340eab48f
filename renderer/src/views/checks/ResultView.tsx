/**
 * One run's result, as the check's detail and "Test now" show it: passed / degraded / failed with the
 * reason, how long it took, and what the type found — the HTTP status, the TLS certificate (subject,
 * issuer, names, days to expiry, whether it is trusted), each readiness dependency with its own
 * state, the DNS answers, the ping figures, the facts a host-side check found (a unit's states, a
 * container's health, a command's exit code), each container of an all-containers check — then the
 * excerpt of the response, as text.
 */
import { Fragment } from 'react';
import type { CheckResult, CheckSpec } from '../../../../shared/checks/index.ts';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { runLook } from '../../lib/status.ts';
import { formatDateTime } from '../../lib/time.ts';
import { excerptText, expiryText, pingText } from './checkResult.ts';
import { latencyText } from './checkFigures.ts';

const day = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

export function ResultView({ result, spec, now, showTime = true, testId }: {
  result: CheckResult; spec?: CheckSpec | null; now: number; showTime?: boolean; testId?: string;
}) {
  const look = runLook(result.status);
  const d = result.details;
  const cert = d.certificate;
  const thresholds = spec?.type === 'http' ? { warningDays: spec.tlsWarningDays, criticalDays: spec.tlsCriticalDays } : undefined;
  const expiry = cert ? expiryText(cert, now, thresholds) : null;
  const ping = pingText(d);
  return (
    <div className="result" data-testid={testId} data-status={result.status}>
      <div className="result-head">
        <StatusBadge look={look} testId="result-status" />
        <span className="num">in <span data-testid="result-duration">{latencyText(result.durationSeconds)}</span></span>
        {d.statusCode !== undefined && <span className="num" data-testid="result-code">HTTP {d.statusCode}</span>}
        {showTime && <span className="muted num small push-right">{formatDateTime(result.at)}</span>}
      </div>
      {result.reason && (
        <p className={`result-reason tone-${look.tone}`} data-testid="result-reason">{result.reason}</p>
      )}
      <dl className="result-facts">
        {cert && expiry && (
          <>
            <dt>Certificate</dt>
            <dd data-testid="result-certificate">
              <span className={`badge tone-${expiry.tone}`}>
                <span className="badge-icon" aria-hidden="true">{expiry.tone === 'ok' ? '✓' : expiry.tone === 'warning' ? '▲' : '✖'}</span>
                {expiry.text}
              </span>{' '}
              <span className="muted num">({day.format(cert.earliestExpiry)})</span>
              <div className="result-sub"><span className="muted">Subject</span> {cert.subject}</div>
              <div className="result-sub"><span className="muted">Issuer</span> {cert.issuer}</div>
              {cert.names.length > 0 && <div className="result-sub"><span className="muted">Names</span> {cert.names.join(', ')}</div>}
              {cert.trusted === false && (
                <div className="result-sub error-text">✖ Not trusted{cert.error ? `: ${cert.error}` : ''}</div>
              )}
              {cert.trusted === true && <div className="result-sub muted">✓ Trusted for this name</div>}
            </dd>
          </>
        )}
        {d.answers && (
          <>
            <dt>Answers</dt>
            <dd data-testid="result-answers">
              {d.answers.length === 0 ? <span className="muted">none</span> : (
                <ul className="plain-list">{d.answers.map((a, i) => <li key={i}><code>{a}</code></li>)}</ul>
              )}
              {d.rcode && <div className="result-sub"><span className="muted">Response code</span> <code>{d.rcode}</code></div>}
            </dd>
          </>
        )}
        {!d.answers && d.rcode && (<><dt>Response code</dt><dd><code>{d.rcode}</code></dd></>)}
        {d.facts?.map((f, i) => (
          <Fragment key={`${i}:${f.name}`}>
            <dt>{f.name}</dt>
            <dd className="result-fact" data-testid="result-fact">{f.value}</dd>
          </Fragment>
        ))}
        {ping && (
          <>
            <dt>Ping</dt>
            <dd className="num" data-testid="result-ping">
              {ping}{d.rttSeconds !== undefined && <> · round trip {latencyText(d.rttSeconds)}</>}
            </dd>
          </>
        )}
      </dl>
      {d.dependencies && d.dependencies.length > 0 && (
        <div className="result-deps">
          <h3 className="result-label">{spec?.type === 'container' ? 'Containers' : 'Dependencies'}</h3>
          <table className="table table-compact" data-testid="result-dependencies">
            <tbody>
              {d.dependencies.map((dep) => (
                <tr key={dep.name} data-testid="result-dependency" data-status={dep.status}>
                  <td><StatusBadge look={runLook(dep.status)} /></td>
                  <td className="rule-name">{dep.name}</td>
                  <td className="result-dep-message">{dep.message ?? ''}</td>
                  <td className="num muted">{dep.latencySeconds !== null ? latencyText(dep.latencySeconds) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {result.excerpt !== null && result.excerpt !== '' && (
        <div>
          <h3 className="result-label">Response</h3>
          <pre className="excerpt" data-testid="result-excerpt">{excerptText(result.excerpt)}</pre>
        </div>
      )}
    </div>
  );
}
