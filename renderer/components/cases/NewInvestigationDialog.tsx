/** "New investigation…": a name (unique, ignoring case) and a description; the service checks both again. */
import * as Dialog from '@radix-ui/react-dialog';
import { useEffect, useState } from 'react';
import type { AuditClient } from '../../api/types.ts';
import { describeError } from '../../api/types.ts';
import type { InvestigationSummary } from './caseTypes.ts';
import { DialogFooter } from '../DialogFooter.tsx';

export function NewInvestigationDialog({
  open,
  onOpenChange,
  client,
  taken,
  onCreated,
  intro,
}: {
  open: boolean;
  onOpenChange(open: boolean): void;
  client: AuditClient;
  /** Names in use (any case), to say so while typing. */
  taken: readonly string[];
  onCreated(created: InvestigationSummary): void | Promise<void>;
  /** What happens after creating (e.g. "The event is pinned to it."). */
  intro?: string;
}) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (open) {
      setName('');
      setDescription('');
      setError(null);
    }
  }, [open]);
  const trimmed = name.trim();
  const clash = taken.some((t) => t.toLowerCase() === trimmed.toLowerCase());
  const problem = clash ? `An investigation named “${trimmed}” exists already: choose another name.` : null;

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Content className="dialog" data-testid="new-case-dialog">
          <Dialog.Title>New investigation</Dialog.Title>
          <Dialog.Description className="muted">
            {intro ??
              'A named case: saved searches, pinned events (kept by retention: legal hold) and notes.'}
          </Dialog.Description>
          <form
            className="cform"
            onSubmit={(e) => {
              e.preventDefault();
              if (!trimmed || clash || busy) return;
              setBusy(true);
              setError(null);
              client['investigations.create']({ name: trimmed, description: description.trim() })
                .then(async (created) => {
                  await onCreated(created);
                  onOpenChange(false);
                })
                .catch((err: unknown) => setError(describeError(err).message))
                .finally(() => setBusy(false));
            }}
          >
            <label className="cform__field">
              <span>Name</span>
              <input
                className="input"
                value={name}
                autoFocus
                required
                maxLength={200}
                placeholder="e.g. INC-2041 billing access"
                data-testid="case-name"
                aria-invalid={clash}
                onChange={(e) => setName(e.target.value)}
              />
              {problem && <span className="form-error">{problem}</span>}
            </label>
            <label className="cform__field">
              <span>
                Description <span className="muted">(Markdown, optional)</span>
              </span>
              <textarea
                className="input"
                rows={4}
                value={description}
                maxLength={100_000}
                data-testid="case-description"
                placeholder="What is being investigated, for whom, and why."
                onChange={(e) => setDescription(e.target.value)}
              />
            </label>
            <DialogFooter error={error}>
              <button
                type="submit"
                className="button button--primary"
                disabled={!trimmed || clash || busy}
                data-testid="case-create"
              >
                Create
              </button>
            </DialogFooter>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
