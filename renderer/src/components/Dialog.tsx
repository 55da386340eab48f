/**
 * A modal dialog on the native <dialog>: focus is trapped, Escape closes it (the `cancel` event), and
 * focus returns to where it was. The first element marked `data-autofocus` gets the focus on opening.
 */
import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';

export interface DialogProps {
  title: string;
  onClose(): void;
  children: ReactNode;
  testId?: string;
  wide?: boolean;
  /** Another class on the dialog (its own width, say). */
  className?: string;
}

export function Dialog({ title, onClose, children, testId, wide, className }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // showModal() focuses the first focusable element (the close button); a field marked
    // `data-autofocus` takes the focus instead (React's autoFocus runs before the dialog opens).
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      if (dialog.open) dialog.close();
      previous?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={`dialog${wide ? ' dialog-wide' : ''}${className ? ` ${className}` : ''}`}
      aria-labelledby="dialog-title"
      data-testid={testId}
      onCancel={(e) => { e.preventDefault(); onClose(); }}
    >
      <header className="dialog-head">
        <h2 id="dialog-title">{title}</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close">✕</button>
      </header>
      {children}
    </dialog>
  );
}
