/** "Add host": the connection form in a dialog; on save the new host's card appears in the fleet. */
import type { HostStatus } from '../../../../shared/api.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { showToast } from '../../stores/toasts.ts';
import { HostEditor } from './HostEditor.tsx';
import { emptyHostForm } from './hostForm.ts';

export function AddHostDialog({ onClose, onAdded }: { onClose(): void; onAdded?: (status: HostStatus) => void }) {
  return (
    <Dialog title="Watch a server over SSH" onClose={onClose} testId="host-dialog" wide>
      <p className="dialog-intro muted">Nothing gets installed on it: Hostwatch logs in over SSH and reads <code>/proc</code>, as you would with <code>cat</code>.</p>
      <HostEditor
        hostId={null}
        initial={emptyHostForm()}
        hasSecret={false}
        onCancel={onClose}
        onSaved={(status) => {
          showToast({
            title: `${status.name} added`,
            body: status.enabled ? 'Connecting — its values appear within a few seconds.' : 'Added paused; resume it from its settings.',
            severity: 'info',
            host: null,
          });
          onClose();
          onAdded?.(status);
        }}
      />
    </Dialog>
  );
}
