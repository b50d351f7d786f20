/** Removing a source asks first, and whether its events go too (pinned events stay either way). */
import * as Dialog from '@radix-ui/react-dialog';
import { useState } from 'react';
import { describeError, type AuditClient } from '../../api/types.ts';
import { formatCount } from '../../lib/format.ts';

export function RemoveDialog({
  client,
  name,
  events,
  open,
  onOpenChange,
  onRemoved,
}: {
  client: AuditClient;
  name: string;
  events: number;
  open: boolean;
  onOpenChange(open: boolean): void;
  onRemoved(eventsDeleted: number): void;
}) {
  const [deleteEvents, setDeleteEvents] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Content className="dialog" data-testid="remove-dialog">
          <Dialog.Title>Remove source {name}?</Dialog.Title>
          <Dialog.Description>
            It stops syncing and its stored secrets are forgotten. Its {formatCount(events)} event
            {events === 1 ? '' : 's'} stay searchable unless you delete them below.
          </Dialog.Description>
          <label className="check">
            <input
              type="checkbox"
              checked={deleteEvents}
              data-testid="remove-delete-events"
              onChange={(e) => setDeleteEvents(e.target.checked)}
            />
            Also delete its {formatCount(events)} event{events === 1 ? '' : 's'}
          </label>
          <p className="muted">
            Events pinned in an investigation are kept either way: they are evidence, as retention keeps them.
          </p>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <div className="source-form__actions">
            <button
              type="button"
              className="button button--danger"
              disabled={busy}
              data-testid="remove-confirm"
              onClick={() => {
                setBusy(true);
                setError(null);
                client['sources.remove']({ name, deleteEvents }).then(
                  (r) => onRemoved(r.eventsDeleted),
                  (e: unknown) => {
                    setBusy(false);
                    setError(describeError(e).message);
                  },
                );
              }}
            >
              {busy ? 'Removing…' : deleteEvents ? 'Remove source and events' : 'Remove source'}
            </button>
            <Dialog.Close asChild>
              <button type="button" className="button">
                Cancel
              </button>
            </Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
