/** The host's busiest processes (`processes.top`, then live `processes` events), sortable by CPU or memory. */
import { useEffect, useMemo, useState } from 'react';
import type { ProcessList } from '../../../../shared/api.ts';
import { formatBytes, formatPercent } from '../../../../shared/format.ts';
import { client, errorMessage } from '../../api/index.ts';
import { onConnected } from '../../stores/connection.ts';

type SortKey = 'cpu' | 'memory';

export function ProcessTable({ host }: { host: string }) {
  const [list, setList] = useState<ProcessList | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [sort, setSort] = useState<SortKey>('cpu');

  useEffect(() => {
    setList(undefined);
    const off = client.on('processes', (p) => { if (p.host === host) setList(p); });
    const offConnected = onConnected(() => {
      client.request('processes.top', { host })
        .then((p) => { setList((cur) => (cur && p && cur.time > p.time ? cur : p)); setError(null); })
        .catch((err: unknown) => setError(errorMessage(err)));
    });
    return () => { off(); offConnected(); };
  }, [host]);

  const rows = useMemo(
    () => (list ? [...list.processes].sort((a, b) => b[sort] - a[sort]).slice(0, 25) : []),
    [list, sort],
  );

  const header = (key: SortKey, label: string) => (
    <th scope="col" className="num" aria-sort={sort === key ? 'descending' : 'none'}>
      <button type="button" className="th-button" onClick={() => setSort(key)}>
        {label}{sort === key ? ' ▾' : ''}
      </button>
    </th>
  );

  return (
    <section className="panel" aria-labelledby="processes-title">
      <h2 id="processes-title" className="panel-title">Top processes</h2>
      {error && <p className="error-text">Could not load processes: {error}</p>}
      {list === undefined && !error ? (
        <div className="sk sk-table" aria-label="Loading processes" />
      ) : list === null || rows.length === 0 ? (
        <p className="muted">No process list from this host yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="process-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="num">PID</th>
                <th scope="col">User</th>
                {header('cpu', 'CPU')}
                {header('memory', 'Memory')}
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.pid}>
                  <td title={p.command}>{p.name}</td>
                  <td className="num">{p.pid}</td>
                  <td>{p.user ?? <span className="muted" title="The owner could not be read">—</span>}</td>
                  <td className="num">{formatPercent(p.cpu)}</td>
                  <td className="num">{formatBytes(p.memory)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
