/**
 * The add/edit form of a source: one set of fields per kind with every credential option the service
 * takes (shared/sourceConfig.ts), validated as the user types with the service's own schema; "Test
 * connection" tries the configuration before it is saved; a stored secret shows "stored" and a Replace
 * button, never its value.
 */
import { useId, useMemo, useState, type ReactNode } from 'react';
import type { MethodOutput } from '../../../shared/contract.ts';
import { BUILTIN_FORMATS } from '../../../shared/formats/registry.ts';
import { describeError, type AuditClient } from '../../api/types.ts';
import { CronSummary } from '../CronField.tsx';
import {
  configOf,
  FIELD_HELP,
  KINDS,
  serverFieldErrors,
  validateDraft,
  type Draft,
  type SecretDraft,
  type SecretField,
  type SourceKind,
} from './sourceDraft.ts';
import { TestResult } from './TestResult.tsx';

type TestReport = MethodOutput<'sources.test'>;

export function SourceForm({
  client,
  initial,
  editing,
  onSaved,
  onCancel,
}: {
  client: AuditClient;
  initial: Draft;
  /** The saved source's name when editing (its kind and name cannot change). */
  editing: string | null;
  onSaved(name: string): void;
  onCancel(): void;
}) {
  const [draft, setDraft] = useState<Draft>(initial);
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState<'save' | 'test' | null>(null);
  const [serverError, setServerError] = useState<{
    fields: Record<string, string>;
    rest: string | null;
  } | null>(null);
  const [test, setTest] = useState<TestReport | { error: string } | null>(null);
  const errors = useMemo(() => validateDraft(draft), [draft]);
  const valid = Object.keys(errors).length === 0;

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setTouched((t) => new Set(t).add(key));
    setServerError(null);
    setTest(null);
  };
  const errorOf = (field: string) =>
    serverError?.fields[field] ??
    ((submitted || touched.has(field)) && errors[field] ? errors[field] : undefined);

  const save = async () => {
    setSubmitted(true);
    if (!valid) return;
    setBusy('save');
    setServerError(null);
    try {
      const config = configOf(draft);
      const saved =
        editing === null
          ? await client['sources.add']({ config })
          : await client['sources.update']({ name: editing, config });
      onSaved(saved.name);
    } catch (error) {
      setServerError(serverFieldErrors(describeError(error).message));
    } finally {
      setBusy(null);
    }
  };

  const runTest = async () => {
    setSubmitted(true);
    if (!valid) return;
    setBusy('test');
    setTest(null);
    try {
      const config = configOf(draft);
      setTest(await client['sources.test'](editing === null ? { config } : { name: editing, config }));
    } catch (error) {
      const message = describeError(error).message;
      setServerError(serverFieldErrors(message));
      setTest({ error: message });
    } finally {
      setBusy(null);
    }
  };

  const text = (
    field: keyof Draft & string,
    label: string,
    props: { placeholder?: string; mono?: boolean; hint?: string } = {},
  ) => (
    <Field label={label} field={field} error={errorOf(field)} hint={props.hint ?? FIELD_HELP[field]}>
      {(id, describedBy) => (
        <input
          id={id}
          className={`input${props.mono ? ' mono' : ''}`}
          value={draft[field] as string}
          placeholder={props.placeholder}
          aria-invalid={errorOf(field) ? true : undefined}
          aria-describedby={describedBy}
          data-testid={`field-${field}`}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => set(field, e.target.value as never)}
          onBlur={() => setTouched((t) => new Set(t).add(field))}
        />
      )}
    </Field>
  );
  const secret = (field: SecretField, label: string, multiline = false) => (
    <SecretInput
      field={field}
      label={label}
      value={draft[field]}
      multiline={multiline}
      error={errorOf(field)}
      onChange={(v) => set(field, v)}
    />
  );

  return (
    <form
      className="source-form"
      data-testid="source-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <fieldset className="source-form__group">
        <legend>Kind</legend>
        <Choice
          name="kind"
          value={draft.kind}
          disabled={editing !== null}
          options={KINDS.map((k) => ({ value: k.kind, label: k.label }))}
          onChange={(kind) => set('kind', kind as SourceKind)}
        />
        {editing !== null && (
          <p className="muted">The kind of a saved source cannot change: add a new source instead.</p>
        )}
      </fieldset>

      <fieldset className="source-form__group">
        <legend>Where</legend>
        <div className="source-form__grid">
          {editing === null ? (
            text('name', 'Name', { placeholder: 'prod-audit' })
          ) : (
            <Field label="Name" field="name" hint="A saved source keeps its name.">
              {(id) => (
                <input id={id} className="input" value={draft.name} readOnly data-testid="field-name" />
              )}
            </Field>
          )}
          {draft.kind === 'folder' &&
            text('path', 'Folder path', { placeholder: '/var/log/audit', mono: true })}
          {(draft.kind === 's3' || draft.kind === 'gcs') &&
            text('bucket', 'Bucket', { placeholder: 'acme-audit-logs' })}
          {draft.kind === 'azure' && text('container', 'Container', { placeholder: 'audit' })}
          {draft.kind === 's3' && text('region', 'Region', { placeholder: 'us-east-1' })}
          {draft.kind === 'gcs' && text('projectId', 'Project id (optional)', { placeholder: 'acme-prod' })}
          {draft.kind !== 'folder' &&
            text('endpoint', 'Endpoint (optional)', { placeholder: 'http://127.0.0.1:9000', mono: true })}
          {text('prefix', draft.kind === 'folder' ? 'Subfolder (optional)' : 'Prefix (optional)', {
            placeholder: draft.kind === 'folder' ? 'prod/audit' : 'prod/audit/',
            mono: true,
            hint:
              draft.kind === 'folder'
                ? 'Write a folder below the path to read only it, e.g. prod/audit, or leave it empty for all.'
                : undefined,
          })}
          {text('include', 'Include glob (optional)', { placeholder: '**/*.ndjson', mono: true })}
        </div>
        {draft.kind === 's3' && (
          <Check
            label="Path-style addressing (MinIO, Ceph and most S3-compatible stores need it)"
            checked={draft.forcePathStyle}
            testid="field-forcePathStyle"
            onChange={(v) => set('forcePathStyle', v)}
          />
        )}
      </fieldset>

      {draft.kind !== 'folder' && (
        <fieldset className="source-form__group" data-testid="credentials">
          <legend>Credentials</legend>
          {draft.kind === 's3' && (
            <>
              <Choice
                name="s3Auth"
                value={draft.s3Auth}
                options={[
                  { value: 'default', label: 'Default chain (environment, ~/.aws, SSO, instance role)' },
                  { value: 'profile', label: 'Named profile' },
                  { value: 'keys', label: 'Access keys' },
                ]}
                onChange={(v) => set('s3Auth', v as Draft['s3Auth'])}
              />
              <div className="source-form__grid">
                {draft.s3Auth === 'profile' && text('profile', 'Profile', { placeholder: 'audit-reader' })}
                {draft.s3Auth === 'keys' && (
                  <>
                    {text('accessKeyId', 'Access key id', { placeholder: 'AKIA…', mono: true })}
                    {secret('secretAccessKey', 'Secret access key')}
                    {secret('sessionToken', 'Session token (optional)')}
                  </>
                )}
              </div>
            </>
          )}
          {draft.kind === 'azure' && (
            <>
              <Choice
                name="azureAuth"
                value={draft.azureAuth}
                options={[
                  { value: 'connectionString', label: 'Connection string' },
                  { value: 'sasUrl', label: 'SAS URL' },
                  { value: 'accountKey', label: 'Account name and key' },
                ]}
                onChange={(v) => set('azureAuth', v as Draft['azureAuth'])}
              />
              <div className="source-form__grid">
                {draft.azureAuth === 'connectionString' && secret('connectionString', 'Connection string')}
                {draft.azureAuth === 'sasUrl' && secret('sasUrl', 'SAS URL')}
                {draft.azureAuth === 'accountKey' && (
                  <>
                    {text('accountName', 'Account name', { placeholder: 'acmeaudit' })}
                    {secret('accountKey', 'Account key')}
                  </>
                )}
              </div>
            </>
          )}
          {draft.kind === 'gcs' && (
            <>
              <Choice
                name="gcsAuth"
                value={draft.gcsAuth}
                options={[
                  { value: 'default', label: 'Application default credentials (gcloud, metadata server)' },
                  { value: 'serviceAccount', label: 'Service account JSON key' },
                ]}
                onChange={(v) => set('gcsAuth', v as Draft['gcsAuth'])}
              />
              {draft.gcsAuth === 'serviceAccount' && secret('json', 'Service account key (JSON)', true)}
            </>
          )}
          {errorOf('credentials') && <p className="form-error">{errorOf('credentials')}</p>}
          <p className="muted">
            Secrets go to the secret store when you save; this screen never shows them again.
          </p>
        </fieldset>
      )}

      <fieldset className="source-form__group">
        <legend>How</legend>
        <div className="source-form__grid">
          <div className="source-form__schedule">
            {text('schedule', 'Schedule (6-field cron, seconds first)', {
              placeholder: '0 0 */1 * * *',
              mono: true,
            })}
            {/* What the schedule means, from the scheduler's own preview (the field checks itself). */}
            {!errorOf('schedule') && <CronSummary client={client} value={draft.schedule} timeZone="local" />}
          </div>
          <Field label="Format" field="format" error={errorOf('format')} hint={FIELD_HELP.format}>
            {(id, describedBy) => (
              <>
                <input
                  id={id}
                  className="input mono"
                  list={`${id}-formats`}
                  value={draft.format}
                  aria-describedby={describedBy}
                  data-testid="field-format"
                  onChange={(e) => set('format', e.target.value)}
                />
                <datalist id={`${id}-formats`}>
                  <option value="auto" />
                  {BUILTIN_FORMATS.map((f) => (
                    <option key={f.id} value={f.id} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
        </div>
        <Check
          label="Redact secrets in events (passwords, tokens, keys) before they are stored"
          checked={draft.redact}
          testid="field-redact"
          onChange={(v) => set('redact', v)}
        />
        <Check
          label="Enabled: sync on the schedule"
          checked={draft.enabled}
          testid="field-enabled"
          onChange={(v) => set('enabled', v)}
        />
      </fieldset>

      {serverError?.rest && (
        <p className="form-error" role="alert" data-testid="form-error">
          {serverError.rest}
        </p>
      )}
      {submitted && !valid && (
        <p className="form-error" role="alert" data-testid="form-invalid">
          Fix the {Object.keys(errors).length === 1 ? 'field' : `${Object.keys(errors).length} fields`} marked
          above: {Object.keys(errors).join(', ')}.
        </p>
      )}
      {test && (
        <TestResult report={'error' in test ? { ok: false, message: test.error, sample: [] } : test} />
      )}
      <div className="source-form__actions">
        <button
          type="submit"
          className="button button--primary"
          disabled={busy !== null}
          data-testid="form-save"
        >
          {busy === 'save' ? 'Saving…' : editing === null ? 'Add source' : 'Save changes'}
        </button>
        <button
          type="button"
          className="button"
          disabled={busy !== null}
          data-testid="form-test"
          onClick={() => void runTest()}
        >
          {busy === 'test' ? 'Testing…' : 'Test connection'}
        </button>
        <button type="button" className="button button--ghost" onClick={onCancel} data-testid="form-cancel">
          Cancel
        </button>
      </div>
    </form>
  );
}

function Field({
  label,
  field,
  error,
  hint,
  children,
}: {
  label: string;
  field: string;
  error?: string;
  hint?: string;
  children: (id: string, describedBy: string | undefined) => ReactNode;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className={`source-field${error ? ' source-field--error' : ''}`} data-field={field}>
      <label htmlFor={id}>{label}</label>
      {children(id, error ? errorId : undefined)}
      {error ? (
        <span id={errorId} className="source-field__error" data-testid={`error-${field}`}>
          {error}
        </span>
      ) : (
        hint && <span className="source-field__hint">{hint}</span>
      )}
    </div>
  );
}

function SecretInput({
  field,
  label,
  value,
  multiline,
  error,
  onChange,
}: {
  field: SecretField;
  label: string;
  value: SecretDraft;
  multiline: boolean;
  error?: string;
  onChange(value: SecretDraft): void;
}) {
  const showKept = value.kept !== null && !value.replacing;
  return (
    <Field label={label} field={field} error={error} hint={FIELD_HELP[field]}>
      {(id, describedBy) =>
        showKept ? (
          <div className="secret-kept" data-testid={`secret-${field}`}>
            <span className="secret-kept__word" id={id}>
              {value.kept === 'stored'
                ? 'stored'
                : `from environment variable ${(value.kept as { env: string }).env}`}
            </span>
            <button
              type="button"
              className="button"
              data-testid={`replace-${field}`}
              aria-label={`Replace the ${label.toLowerCase()}`}
              onClick={() => onChange({ ...value, replacing: true, typed: '' })}
            >
              Replace
            </button>
          </div>
        ) : (
          <div className="secret-new">
            {multiline ? (
              <textarea
                id={id}
                className="input mono"
                rows={4}
                value={value.typed}
                aria-describedby={describedBy}
                data-testid={`field-${field}`}
                spellCheck={false}
                autoComplete="off"
                onChange={(e) => onChange({ ...value, typed: e.target.value })}
              />
            ) : (
              <input
                id={id}
                type="password"
                className="input mono"
                value={value.typed}
                aria-describedby={describedBy}
                data-testid={`field-${field}`}
                autoComplete="new-password"
                spellCheck={false}
                onChange={(e) => onChange({ ...value, typed: e.target.value })}
              />
            )}
            {value.kept !== null && (
              <button
                type="button"
                className="button button--ghost"
                data-testid={`keep-${field}`}
                onClick={() => onChange({ ...value, replacing: false, typed: '' })}
              >
                Keep stored
              </button>
            )}
          </div>
        )
      }
    </Field>
  );
}

function Choice({
  name,
  value,
  options,
  disabled,
  onChange,
}: {
  name: string;
  value: string;
  options: { value: string; label: string }[];
  disabled?: boolean;
  onChange(value: string): void;
}) {
  return (
    <div className="choice" role="radiogroup">
      {options.map((o) => (
        <label key={o.value} className={`choice__item${value === o.value ? ' choice__item--on' : ''}`}>
          <input
            type="radio"
            name={name}
            value={o.value}
            checked={value === o.value}
            disabled={disabled}
            data-testid={`${name}-${o.value}`}
            onChange={() => onChange(o.value)}
          />
          {o.label}
        </label>
      ))}
    </div>
  );
}

function Check({
  label,
  checked,
  testid,
  onChange,
}: {
  label: string;
  checked: boolean;
  testid: string;
  onChange(value: boolean): void;
}) {
  return (
    <label className="check">
      <input
        type="checkbox"
        checked={checked}
        data-testid={testid}
        onChange={(e) => onChange(e.target.checked)}
      />
      {label}
    </label>
  );
}
