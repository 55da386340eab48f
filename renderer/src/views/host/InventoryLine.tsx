/** What the host is, in one line: CPU model, OS, kernel, memory (`hosts.inventory`, read once). */
import { useEffect, useState } from 'react';
import type { Inventory } from '../../../../shared/api.ts';
import { formatBytes } from '../../../../shared/format.ts';
import { client } from '../../api/index.ts';
import { onConnected } from '../../stores/connection.ts';

export function InventoryLine({ host }: { host: string }) {
  const [inv, setInv] = useState<Inventory | null | undefined>(undefined);
  useEffect(() => {
    setInv(undefined);
    return onConnected(() => {
      client.request('hosts.inventory', { host }).then(setInv, () => setInv(null));
    });
  }, [host]);
  if (inv === undefined) return <p className="inventory"><span className="sk sk-inline" aria-label="Loading inventory" /></p>;
  if (inv === null) return <p className="inventory muted">Inventory not available yet.</p>;
  const parts = [
    `${inv.cpuModel} (${inv.logicalCpus} logical CPUs)`,
    inv.os,
    `kernel ${inv.kernel}`,
    inv.arch,
    `${formatBytes(inv.memoryTotal)} memory`,
  ];
  return (
    <p className="inventory" data-testid="inventory">
      {inv.hostname && <strong>{inv.hostname}</strong>}
      {parts.map((p) => <span key={p}>{p}</span>)}
    </p>
  );
}
