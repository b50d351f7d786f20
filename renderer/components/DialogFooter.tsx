import * as Dialog from '@radix-ui/react-dialog';
import type { ReactNode } from 'react';

/**
 * The foot of a form dialog: what went wrong (announced), then Cancel, which closes the dialog, and the
 * dialog's own action (`children`, its submit button).
 */
export function DialogFooter({ error, children }: { error: string | null; children: ReactNode }) {
  return (
    <>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="cform__buttons">
        <Dialog.Close asChild>
          <button type="button" className="button button--ghost">
            Cancel
          </button>
        </Dialog.Close>
        {children}
      </div>
    </>
  );
}
