/**
 * A Markdown note being written: a text box, a preview, Save (Ctrl+Enter) and Cancel (Esc). Also edits a
 * case's description (`initial` text, its own Save label and test ids, and an empty text is allowed: it
 * clears the description).
 */
import { useId, useState } from 'react';
import { describeError } from '../../api/types.ts';
import { Markdown } from './Markdown.tsx';

export function NoteEditor({
  label,
  onSave,
  onCancel,
  autoFocus = true,
  initial = '',
  saveLabel = 'Save note',
  allowEmpty = false,
  testId = 'note',
}: {
  label: string;
  onSave(body: string): Promise<void>;
  onCancel?(): void;
  autoFocus?: boolean;
  initial?: string;
  saveLabel?: string;
  allowEmpty?: boolean;
  /** Prefix of the test ids (`<testId>-text`, `-save`, `-preview`). */
  testId?: string;
}) {
  const [body, setBody] = useState(initial);
  const [preview, setPreview] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const hint = useId();
  const empty = !allowEmpty && !body.trim();
  const save = () => {
    if (empty || busy) return;
    setBusy(true);
    setError(null);
    onSave(body)
      .then(() => setBody(''))
      .catch((e: unknown) => setError(describeError(e).message))
      .finally(() => setBusy(false));
  };
  return (
    <form
      className="note-editor"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      {preview ? (
        <div className="note-editor__preview" aria-label="Preview" data-testid={`${testId}-preview`}>
          {body.trim() ? <Markdown text={body} /> : <p className="muted">Nothing to preview.</p>}
        </div>
      ) : (
        <textarea
          className="input note-editor__text"
          aria-label={label}
          aria-describedby={hint}
          rows={4}
          maxLength={100_000}
          value={body}
          autoFocus={autoFocus}
          data-testid={`${testId}-text`}
          placeholder="Markdown: **bold**, `code`, - lists, [links](https://…)"
          onChange={(e) => setBody(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              save();
            } else if (e.key === 'Escape' && onCancel) {
              e.stopPropagation();
              onCancel();
            }
          }}
        />
      )}
      <div className="note-editor__buttons">
        <span id={hint} className="muted">
          Markdown; Ctrl+Enter saves{onCancel ? ', Esc cancels' : ''}.
        </span>
        <button
          type="button"
          className="button cw-small button--ghost"
          aria-pressed={preview}
          onClick={() => setPreview(!preview)}
        >
          Preview
        </button>
        {onCancel && (
          <button type="button" className="button cw-small button--ghost" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button
          type="submit"
          className="button cw-small button--primary"
          disabled={empty || busy}
          data-testid={`${testId}-save`}
        >
          {saveLabel}
        </button>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
