/**
 * While history is not being written (the disk is full, or writing fails): a banner on every view,
 * linking to Settings (`linked` is false on Settings itself). It goes away with the `storage` event
 * that says writing resumed.
 */
import { storageProblem, useStorage } from '../stores/storage.ts';

export function StorageBanner({ linked }: { linked: boolean }) {
  const status = useStorage((s) => s.status);
  const problem = status && storageProblem(status);
  if (!status || !problem) return null;
  return (
    <div className="banner tone-critical" role="alert" data-testid="storage-banner" data-state={status.state}>
      <span aria-hidden="true">✖ </span>{problem}.
      {status.state === 'full' && ' Free some disk space: writing resumes by itself.'}
      {linked && <> <a href="#/settings">Storage settings</a></>}
    </div>
  );
}
