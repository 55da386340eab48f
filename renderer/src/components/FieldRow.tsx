/**
 * One labelled form field: the label, the control, a hint, and the field's validation message (with
 * an icon, announced) in place of the hint when there is one. The control should set
 * `aria-describedby={`${htmlFor}-error`}` while invalid.
 */
import type { ReactNode } from 'react';

export function FieldRow({ label, htmlFor, error, hint, children, className }: {
  label: ReactNode; htmlFor: string; error?: string | undefined; hint?: ReactNode; children: ReactNode; className?: string;
}) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {hint && !error && <p className="hint">{hint}</p>}
      {error && <p className="field-error" id={`${htmlFor}-error`} role="alert"><span aria-hidden="true">✖ </span>{error}</p>}
    </div>
  );
}

/** aria attributes of a control whose field shows `error`. */
export function invalidProps(id: string, error: string | undefined): { 'aria-invalid'?: true; 'aria-describedby'?: string } {
  return error ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {};
}
