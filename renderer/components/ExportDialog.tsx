/**
 * The export dialog: what the current query (or an investigation's pinned events) matches, exported in
 * full — no row cap — as a signed evidence bundle, NDJSON, CSV or an HTML report. It shows the count
 * before starting, the progress while the engine writes, and at the end the reconciled count, the file's
 * size and SHA-256, the signing key and how to verify the bundle offline. The file is written by the
 * engine into the app's exports folder (exports.create never takes a path); it leaves with a one-time
 * download link (serve) or the native save dialog (desktop).
 */
import * as Dialog from '@radix-ui/react-dialog';
import { useCallback, useEffect, useRef, useState } from 'react';
import { BRIDGE_GLOBAL } from '../../shared/bridge.ts';
import type { ExportFormat, MethodOutput } from '../../shared/contract.ts';
import { describeError, type AuditClient } from '../api/types.ts';
import { formatBytes, formatCount } from '../lib/format.ts';

type ExportFile = MethodOutput<'exports.create'>;

export interface ExportDialogProps {
  client: AuditClient;
  open: boolean;
  onOpenChange(open: boolean): void;
  /** The query to export as the engine runs it (the time range already combined in). */
  query?: string;
  /** What the user sees as the selection: the query as typed and the range, in words. */
  scope?: { query: string; range?: string };
  /** Export this investigation's pinned events instead of a query's matches. */
  investigation?: string;
}

const FORMATS: { value: ExportFormat; label: string; hint: string }[] = [
  {
    value: 'bundle',
    label: 'Evidence bundle (.zip)',
    hint: 'Recommended: the events, CSV and report with a signed manifest; anyone can verify it offline.',
  },
  { value: 'ndjson', label: 'NDJSON', hint: 'The redacted raw events, one per line, in time order.' },
  { value: 'csv', label: 'CSV', hint: 'Normalised columns, for spreadsheets.' },
  {
    value: 'html',
    label: 'HTML report',
    hint: 'Summary, counts, a timeline and the first 1,000 rows; opens without a network.',
  },
];

type Phase =
  | { kind: 'setup' }
  | { kind: 'running'; job: string; exported: number; total: number; packing: boolean; cancelling: boolean }
  | { kind: 'done'; file: ExportFile }
  | { kind: 'error'; message: string; cancelled: boolean };

/** The desktop window has the preload's bridge; a browser page talks to `serve`. */
const onDesktop = () => typeof window !== 'undefined' && BRIDGE_GLOBAL in window;

export function ExportDialog({
  client,
  open,
  onOpenChange,
  query = '',
  scope,
  investigation,
}: ExportDialogProps) {
  const [format, setFormat] = useState<ExportFormat>('bundle');
  const [bom, setBom] = useState(false);
  const [pseudonymize, setPseudonymize] = useState(false);
  const [matched, setMatched] = useState<number | null | 'error'>(null);
  const [fingerprint, setFingerprint] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'setup' });
  const jobRef = useRef<string | null>(null);
  // Opened by a plain button (no Radix Trigger): give the focus back to whatever opened it.
  const opener = useRef<HTMLElement | null>(null);

  // On opening: the count the export will reconcile with, and the key a bundle is signed with.
  useEffect(() => {
    if (!open) return;
    let live = true;
    setPhase({ kind: 'setup' });
    setMatched(null);
    const counting =
      investigation !== undefined
        ? client['investigations.list']({}).then(
            (r) =>
              r.investigations.find((c) => c.name.toLowerCase() === investigation.toLowerCase())?.pinned ?? 0,
          )
        : client['events.count']({ query }).then((r) => r.total);
    counting.then(
      (n) => live && setMatched(n),
      () => live && setMatched('error'),
    );
    client['keys.show']({}).then(
      (k) => live && setFingerprint(k.fingerprint),
      () => live && setFingerprint(null),
    );
    return () => {
      live = false;
    };
  }, [open, client, query, investigation]);

  // Progress of this dialog's job only (another tab may be exporting too).
  useEffect(() => {
    if (!open) return;
    return client.subscribe((event) => {
      if (event.name !== 'export.progress' || event.payload.job !== jobRef.current) return;
      const p = event.payload;
      setPhase((prev) =>
        prev.kind === 'running' && prev.job === p.job
          ? { ...prev, exported: p.exported, total: p.total, packing: p.phase === 'zip' }
          : prev,
      );
    });
  }, [open, client]);

  const start = useCallback(async () => {
    const job = newJobId();
    jobRef.current = job;
    const total = typeof matched === 'number' ? matched : 0;
    setPhase({ kind: 'running', job, exported: 0, total, packing: false, cancelling: false });
    try {
      const file = await client['exports.create']({
        query: investigation !== undefined ? '' : query,
        investigation: investigation ?? null,
        format,
        bom: format === 'csv' && bom,
        pseudonymize,
        job,
      });
      if (jobRef.current === job) setPhase({ kind: 'done', file });
    } catch (error) {
      if (jobRef.current !== job) return;
      const e = describeError(error);
      setPhase({
        kind: 'error',
        cancelled: e.code === 'cancelled',
        message:
          e.code === 'cancelled'
            ? 'The export was cancelled; nothing was kept.'
            : `The export failed: ${e.message}`,
      });
    }
  }, [client, query, investigation, format, bom, pseudonymize, matched]);

  const cancel = () => {
    if (phase.kind !== 'running') return;
    setPhase({ ...phase, cancelling: true });
    void client['exports.cancel']({ job: phase.job }).catch(() => undefined);
  };

  const running = phase.kind === 'running';
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        // A running export is cancelled with its own button, not by a stray Esc or click outside.
        if (!next && running) return;
        if (!next) jobRef.current = null;
        onOpenChange(next);
      }}
    >
      <Dialog.Portal>
        <Dialog.Content
          className="dialog export-dialog"
          data-testid="export-dialog"
          onOpenAutoFocus={() => {
            opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
          }}
          onCloseAutoFocus={(e) => {
            if (opener.current?.isConnected) {
              e.preventDefault();
              opener.current.focus();
            }
          }}
          aria-describedby="export-scope"
        >
          <Dialog.Title>
            {investigation !== undefined ? 'Export the investigation' : 'Export events'}
          </Dialog.Title>
          <Scope
            id="export-scope"
            scope={scope}
            query={query}
            investigation={investigation}
            matched={matched}
          />
          {phase.kind === 'setup' && (
            <Setup
              format={format}
              onFormat={setFormat}
              bom={bom}
              onBom={setBom}
              pseudonymize={pseudonymize}
              onPseudonymize={setPseudonymize}
              fingerprint={fingerprint}
            />
          )}
          {phase.kind === 'running' && <Progress phase={phase} />}
          {phase.kind === 'done' && <Done client={client} file={phase.file} />}
          {phase.kind === 'error' && (
            <p className={phase.cancelled ? 'export-dialog__note' : 'export-dialog__error'} role="alert">
              {phase.message}
            </p>
          )}
          <div className="export-dialog__actions">
            {phase.kind === 'setup' && (
              <>
                <Dialog.Close asChild>
                  <button type="button" className="button">
                    Close
                  </button>
                </Dialog.Close>
                <button
                  type="button"
                  className="button button--primary"
                  data-testid="export-start"
                  disabled={typeof matched !== 'number' || matched === 0}
                  onClick={() => void start()}
                >
                  {typeof matched === 'number'
                    ? matched === 0
                      ? 'Nothing to export'
                      : `Export ${formatCount(matched)} ${matched === 1 ? 'event' : 'events'}`
                    : 'Export'}
                </button>
              </>
            )}
            {phase.kind === 'running' && (
              <button
                type="button"
                className="button"
                data-testid="export-cancel"
                // The start button is gone: keyboard users land on what they can do now.
                autoFocus
                disabled={phase.cancelling}
                onClick={cancel}
              >
                {phase.cancelling ? 'Cancelling…' : 'Cancel export'}
              </button>
            )}
            {(phase.kind === 'done' || phase.kind === 'error') && (
              <>
                <button
                  type="button"
                  className="button"
                  autoFocus={phase.kind === 'error'}
                  onClick={() => setPhase({ kind: 'setup' })}
                >
                  {phase.kind === 'done' ? 'Export another' : 'Back'}
                </button>
                <Dialog.Close asChild>
                  <button type="button" className="button">
                    Close
                  </button>
                </Dialog.Close>
              </>
            )}
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function Scope({
  id,
  scope,
  query,
  investigation,
  matched,
}: {
  id: string;
  scope: ExportDialogProps['scope'];
  query: string;
  investigation: string | undefined;
  matched: number | null | 'error';
}) {
  const shown = scope?.query ?? query;
  return (
    <div id={id} className="export-dialog__scope">
      <p>
        {investigation !== undefined ? (
          <>
            The pinned events of <strong>{investigation}</strong>
          </>
        ) : (
          <>
            <span className="muted">Query</span>{' '}
            <code className="export-dialog__query">{shown.trim() === '' ? '(everything)' : shown}</code>
            {scope?.range && (
              <>
                {' '}
                <span className="muted">·</span> <span className="mono">{scope.range}</span>
              </>
            )}
          </>
        )}
      </p>
      <p data-testid="export-matched">
        {matched === null ? (
          <span className="muted">Counting…</span>
        ) : matched === 'error' ? (
          <span className="export-dialog__error">Could not count the events: run the search again.</span>
        ) : (
          <>
            <strong>{formatCount(matched)}</strong> {matched === 1 ? 'event matches' : 'events match'}; every
            one is exported (no row limit).
          </>
        )}
      </p>
    </div>
  );
}

function Setup(props: {
  format: ExportFormat;
  onFormat(f: ExportFormat): void;
  bom: boolean;
  onBom(on: boolean): void;
  pseudonymize: boolean;
  onPseudonymize(on: boolean): void;
  fingerprint: string | null;
}) {
  return (
    <>
      <fieldset className="export-dialog__formats">
        <legend>Format</legend>
        {FORMATS.map((f) => (
          <div key={f.value} className="export-dialog__format">
            <label>
              <input
                type="radio"
                name="export-format"
                value={f.value}
                checked={props.format === f.value}
                onChange={() => props.onFormat(f.value)}
                data-testid={`export-format-${f.value}`}
              />
              <span>
                <span className="export-dialog__label">{f.label}</span>
                <span className="export-dialog__hint muted">{f.hint}</span>
                {f.value === 'bundle' && props.fingerprint && (
                  <span className="export-dialog__hint muted">
                    Signed with this installation&apos;s key <code>{props.fingerprint}</code>
                  </span>
                )}
              </span>
            </label>
            {f.value === 'csv' && (
              <label className="export-dialog__sub">
                <input
                  type="checkbox"
                  checked={props.bom}
                  disabled={props.format !== 'csv'}
                  onChange={(e) => props.onBom(e.target.checked)}
                  data-testid="export-bom"
                />
                UTF-8 with BOM for Excel
              </label>
            )}
          </div>
        ))}
      </fieldset>
      <label className="export-dialog__option">
        <input
          type="checkbox"
          checked={props.pseudonymize}
          onChange={(e) => props.onPseudonymize(e.target.checked)}
          data-testid="export-pseudonymize"
        />
        <span>
          Pseudonymise users
          <span className="export-dialog__hint muted">
            Each user becomes <code>user-…</code> (keyed HMAC, a new key for this export: the same user gets
            the same pseudonym within it). Redacted values stay redacted in every format.
          </span>
        </span>
      </label>
    </>
  );
}

function Progress({ phase }: { phase: Extract<Phase, { kind: 'running' }> }) {
  const label = phase.packing
    ? `Packing the bundle… ${formatCount(phase.exported)} events written`
    : `Exporting… ${formatCount(phase.exported)} of ${formatCount(phase.total)} events`;
  return (
    <div className="export-dialog__progress" data-testid="export-progress">
      <p aria-live="polite">{phase.cancelling ? 'Cancelling…' : label}</p>
      {phase.packing ? (
        <progress aria-label="Packing the bundle" />
      ) : (
        <progress aria-label="Events exported" max={Math.max(phase.total, 1)} value={phase.exported} />
      )}
    </div>
  );
}

function Done({ client, file }: { client: AuditClient; file: ExportFile }) {
  const [copied, setCopied] = useState<string | null>(null);
  const [saving, setSaving] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [folder, setFolder] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    client['exports.list']({ limit: 1 }).then(
      (r) => live && setFolder(r.folder),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client]);
  const desktop = onDesktop();
  const copy = (what: string, text: string) => {
    void navigator.clipboard?.writeText(text).then(
      () => setCopied(what),
      () => setCopied(null),
    );
  };
  const download = async () => {
    setProblem(null);
    try {
      const { url } = await client['exports.download']({ name: file.name });
      const a = document.createElement('a');
      a.href = url;
      a.download = file.name;
      a.rel = 'noopener';
      document.body.append(a);
      a.click();
      a.remove();
    } catch (error) {
      setProblem(`The download could not start: ${describeError(error).message}`);
    }
  };
  const save = async () => {
    setProblem(null);
    try {
      const r = await client['exports.save']({ name: file.name });
      if (r.saved && r.path) setSaving(r.path);
    } catch (error) {
      setProblem(`Could not save: ${describeError(error).message}`);
    }
  };
  const verify = `audit-explorer verify ${file.name}${file.fingerprint ? ` --key ${file.fingerprint}` : ''}`;
  return (
    <div className="export-dialog__done" data-testid="export-done">
      {file.reconciled ? (
        <p className="export-dialog__reconciled" data-testid="export-reconciled">
          <span aria-hidden="true">✓</span> {formatCount(file.exported)} exported ={' '}
          {formatCount(file.matched)} matched
        </p>
      ) : (
        <p className="export-dialog__error" role="alert" data-testid="export-reconciled">
          <span aria-hidden="true">⚠</span> {formatCount(file.exported)} exported ≠{' '}
          {formatCount(file.matched)} matched: the file is incomplete. Do not hand it over; export again.
        </p>
      )}
      <dl className="export-dialog__facts">
        <dt>File</dt>
        <dd className="mono" data-testid="export-file">
          {file.name}
        </dd>
        <dt>Size</dt>
        <dd data-testid="export-size">{formatSize(file.bytes)}</dd>
        <dt>SHA-256</dt>
        <dd>
          <code className="export-dialog__hash" data-testid="export-sha256">
            {file.sha256}
          </code>
          <button type="button" className="button button--small" onClick={() => copy('sha', file.sha256)}>
            {copied === 'sha' ? 'Copied' : 'Copy'}
          </button>
        </dd>
        {file.fingerprint && (
          <>
            <dt>Signed by</dt>
            <dd>
              <code className="export-dialog__hash" data-testid="export-fingerprint">
                {file.fingerprint}
              </code>
              <button
                type="button"
                className="button button--small"
                onClick={() => copy('key', file.fingerprint!)}
              >
                {copied === 'key' ? 'Copied' : 'Copy'}
              </button>
            </dd>
            <dt>Verify</dt>
            <dd>
              <code className="export-dialog__hash" data-testid="export-verify">
                {verify}
              </code>
              <button type="button" className="button button--small" onClick={() => copy('verify', verify)}>
                {copied === 'verify' ? 'Copied' : 'Copy'}
              </button>
              <span className="export-dialog__hint muted">
                Works offline, without this app&apos;s database; the recipient pins the key with{' '}
                <code>--key</code>.
              </span>
            </dd>
          </>
        )}
      </dl>
      {problem && (
        <p className="export-dialog__error" role="alert">
          {problem}
        </p>
      )}
      {saving && (
        <p className="export-dialog__note" role="status">
          Saved to <span className="mono">{saving}</span>
        </p>
      )}
      <div className="export-dialog__get">
        {desktop ? (
          <button
            type="button"
            className="button button--primary"
            data-testid="export-save"
            autoFocus
            onClick={() => void save()}
          >
            Save…
          </button>
        ) : (
          <button
            type="button"
            className="button button--primary"
            data-testid="export-download"
            autoFocus
            onClick={() => void download()}
          >
            Download
          </button>
        )}
        <span className="muted">
          {desktop ? 'Choose where to save a copy.' : 'Each click makes a new one-time link.'}
        </span>
      </div>
      <p className="export-dialog__hint muted" data-testid="export-folder">
        It also stays in the app&apos;s exports folder
        {folder ? (
          <>
            : <span className="mono">{folder}</span>
          </>
        ) : (
          '.'
        )}
      </p>
    </div>
  );
}

/** `4.27 kB (4,265 bytes)`: the size in units, and exactly, for a file handed over as evidence. */
export function formatSize(bytes: number): string {
  return bytes < 1000 ? formatBytes(bytes) : `${formatBytes(bytes)} (${formatCount(bytes)} bytes)`;
}

function newJobId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `ui-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
