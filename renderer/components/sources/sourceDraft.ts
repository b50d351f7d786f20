/**
 * The add/edit form's state and its way to a configuration: every field of shared/sourceConfig.ts as the
 * form holds it, turned into the JSON the service takes and checked with the same zod schema the service
 * uses, so the form says what is wrong before Save (the service still checks again: it is the one that
 * decides).
 */
import { SourceConfigSchema } from '../../../shared/sourceConfig.ts';

export type SourceKind = 's3' | 'azure' | 'gcs' | 'folder';
export const KINDS: { kind: SourceKind; label: string }[] = [
  { kind: 's3', label: 'Amazon S3 (or compatible)' },
  { kind: 'azure', label: 'Azure Blob Storage' },
  { kind: 'gcs', label: 'Google Cloud Storage' },
  { kind: 'folder', label: 'Local folder or mount' },
];

/**
 * A secret field: `kept` is what the saved source holds (the service shows a stored secret as "stored",
 * an environment reference by its name); `typed` is a new value. A kept secret is sent back as it came
 * ("stored" keeps it), so the form never needs, nor sees, the value.
 */
export interface SecretDraft {
  kept: 'stored' | { env: string } | null;
  replacing: boolean;
  typed: string;
}

const secret = (kept: SecretDraft['kept'] = null): SecretDraft => ({ kept, replacing: false, typed: '' });

export interface Draft {
  kind: SourceKind;
  name: string;
  prefix: string;
  include: string;
  schedule: string;
  format: string;
  redact: boolean;
  enabled: boolean;
  path: string;
  bucket: string;
  container: string;
  region: string;
  endpoint: string;
  forcePathStyle: boolean;
  projectId: string;
  s3Auth: 'default' | 'profile' | 'keys';
  profile: string;
  accessKeyId: string;
  secretAccessKey: SecretDraft;
  sessionToken: SecretDraft;
  azureAuth: 'connectionString' | 'sasUrl' | 'accountKey';
  connectionString: SecretDraft;
  sasUrl: SecretDraft;
  accountName: string;
  accountKey: SecretDraft;
  gcsAuth: 'default' | 'serviceAccount';
  json: SecretDraft;
}

export type SecretField =
  'secretAccessKey' | 'sessionToken' | 'connectionString' | 'sasUrl' | 'accountKey' | 'json';

export function emptyDraft(kind: SourceKind = 'folder'): Draft {
  return {
    kind,
    name: '',
    prefix: '',
    include: '',
    schedule: '0 0 */1 * * *',
    format: 'auto',
    redact: true,
    enabled: true,
    path: '',
    bucket: '',
    container: '',
    region: 'us-east-1',
    endpoint: '',
    forcePathStyle: false,
    projectId: '',
    s3Auth: 'default',
    profile: '',
    accessKeyId: '',
    secretAccessKey: secret(),
    sessionToken: secret(),
    azureAuth: 'connectionString',
    connectionString: secret(),
    sasUrl: secret(),
    accountName: '',
    accountKey: secret(),
    gcsAuth: 'default',
    json: secret(),
  };
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const keptOf = (v: unknown): SecretDraft['kept'] =>
  v === 'stored'
    ? 'stored'
    : v !== null && typeof v === 'object' && typeof (v as { env?: unknown }).env === 'string'
      ? { env: (v as { env: string }).env }
      : null;

/** The form for a saved source, from `sources.get`'s configuration (its secrets shown as "stored"). */
export function draftFromConfig(config: Record<string, unknown>): Draft {
  const d = emptyDraft((config.kind as SourceKind) ?? 'folder');
  const c = (config.credentials ?? {}) as Record<string, unknown>;
  const type = str(c.type);
  Object.assign(d, {
    name: str(config.name),
    prefix: str(config.prefix),
    include: str(config.include),
    schedule: str(config.schedule) || d.schedule,
    format: str(config.format) || 'auto',
    redact: config.redact !== false,
    enabled: config.enabled !== false,
    path: str(config.path),
    bucket: str(config.bucket),
    container: str(config.container),
    region: str(config.region) || d.region,
    endpoint: str(config.endpoint),
    forcePathStyle: config.forcePathStyle === true,
    projectId: str(config.projectId),
  });
  if (d.kind === 's3') {
    d.s3Auth = type === 'profile' || type === 'keys' ? type : 'default';
    d.profile = str(c.profile);
    d.accessKeyId = str(c.accessKeyId);
    d.secretAccessKey = secret(keptOf(c.secretAccessKey));
    d.sessionToken = secret(keptOf(c.sessionToken));
  } else if (d.kind === 'azure') {
    d.azureAuth = type === 'sasUrl' || type === 'accountKey' ? type : 'connectionString';
    d.connectionString = secret(keptOf(c.connectionString));
    d.sasUrl = secret(keptOf(c.sasUrl));
    d.accountName = str(c.accountName);
    d.accountKey = secret(keptOf(c.accountKey));
  } else if (d.kind === 'gcs') {
    d.gcsAuth = type === 'serviceAccount' ? 'serviceAccount' : 'default';
    d.json = secret(keptOf(c.json));
  }
  return d;
}

/** What a secret field sends: the kept reference unless replaced, else the typed value (or nothing). */
function secretOut(s: SecretDraft): unknown {
  if (s.kept !== null && !s.replacing) return s.kept;
  return s.typed === '' ? undefined : s.typed;
}

const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());

/** The configuration the service takes (`sources.add`, `sources.update`, `sources.test`). */
export function configOf(d: Draft): Record<string, unknown> {
  const common = {
    name: d.name.trim(),
    kind: d.kind,
    prefix: d.prefix,
    include: optional(d.include),
    schedule: d.schedule.trim(),
    format: d.format.trim() || 'auto',
    redact: d.redact,
    enabled: d.enabled,
  };
  const drop = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  switch (d.kind) {
    case 'folder':
      return drop({ ...common, path: d.path.trim() });
    case 's3':
      return drop({
        ...common,
        bucket: d.bucket.trim(),
        region: d.region.trim(),
        endpoint: optional(d.endpoint),
        forcePathStyle: d.forcePathStyle,
        credentials:
          d.s3Auth === 'default'
            ? { type: 'default' }
            : d.s3Auth === 'profile'
              ? { type: 'profile', profile: d.profile.trim() }
              : drop({
                  type: 'keys',
                  accessKeyId: d.accessKeyId.trim(),
                  secretAccessKey: secretOut(d.secretAccessKey),
                  sessionToken: secretOut(d.sessionToken),
                }),
      });
    case 'azure':
      return drop({
        ...common,
        container: d.container.trim(),
        endpoint: optional(d.endpoint),
        credentials:
          d.azureAuth === 'connectionString'
            ? drop({ type: 'connectionString', connectionString: secretOut(d.connectionString) })
            : d.azureAuth === 'sasUrl'
              ? drop({ type: 'sasUrl', sasUrl: secretOut(d.sasUrl) })
              : drop({
                  type: 'accountKey',
                  accountName: d.accountName.trim(),
                  accountKey: secretOut(d.accountKey),
                }),
      });
    case 'gcs':
      return drop({
        ...common,
        bucket: d.bucket.trim(),
        projectId: optional(d.projectId),
        endpoint: optional(d.endpoint),
        credentials:
          d.gcsAuth === 'default'
            ? { type: 'default' }
            : drop({ type: 'serviceAccount', json: secretOut(d.json) }),
      });
  }
}

/** What to write in each field, said when it is missing or wrong. */
export const FIELD_HELP: Record<string, string> = {
  name: 'Write a short name: letters, digits, dot, dash or underscore, e.g. prod-audit.',
  path: 'Write the folder’s full path, e.g. /var/log/audit.',
  bucket: 'Write the bucket’s name, e.g. acme-audit-logs.',
  container: 'Write the container’s name, e.g. audit.',
  region: 'Write the bucket’s region, e.g. us-east-1.',
  endpoint: 'Write a URL such as http://127.0.0.1:9000, or leave it empty for the cloud’s own.',
  profile: 'Write a profile name from ~/.aws/config, e.g. audit-reader.',
  accessKeyId: 'Write the access key id, e.g. AKIA…',
  secretAccessKey: 'Paste the secret access key.',
  sessionToken: 'Paste the session token, or leave it empty for long-term keys.',
  connectionString: 'Paste the storage account’s connection string (DefaultEndpointsProtocol=…).',
  sasUrl: 'Paste the container’s SAS URL (https://….blob.core.windows.net/container?sv=…).',
  accountName: 'Write the storage account’s name.',
  accountKey: 'Paste one of the storage account’s access keys.',
  json: 'Paste the service account’s JSON key file, as downloaded from the console.',
  schedule:
    'Write 6 cron fields, seconds first: seconds minutes hours day-of-month month day-of-week, e.g. 0 0 */1 * * * for every hour.',
  format: 'Write auto (detect each line), a built-in format id, or a mapping’s name.',
  include: 'Write a glob below the prefix, e.g. **/*.ndjson, or leave it empty for every object.',
  prefix: 'Write the key prefix to read, e.g. prod/audit/, or leave it empty for all.',
};

/** Errors per form field (`credentials.x` is reported on field `x`), empty when the draft is valid. */
export function validateDraft(d: Draft): Record<string, string> {
  const errors: Record<string, string> = {};
  const parsed = SourceConfigSchema.safeParse(configOf(d));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // A credentials union that fails names no field of its own: the fields of the chosen type are
      // each checked below, so this is only reported when nothing more precise is.
      const path = issue.path.map(String);
      const field = path[0] === 'credentials' ? (path[1] ?? 'credentials') : (path[0] ?? 'name');
      if (errors[field]) continue;
      const missing = issue.code === 'invalid_type' || issue.code === 'too_small';
      const help = FIELD_HELP[field];
      errors[field] =
        missing && help
          ? `Required. ${help}`
          : issue.code === 'invalid_format' && field === 'endpoint'
            ? `Not a URL. ${FIELD_HELP.endpoint}`
            : issue.code === 'invalid_format' && field === 'name'
              ? `Use ${issue.message}.`
              : issue.message;
    }
    if (errors.credentials)
      Object.assign(errors, credentialFieldErrors(d), { credentials: errors.credentials });
  }
  // What the service checks beyond the schema (sync/sourceSettings.ts), said the same way.
  if (d.schedule.trim() !== '' && d.schedule.trim().split(/\s+/).length !== 6)
    errors.schedule = `"${d.schedule.trim()}" has ${d.schedule.trim().split(/\s+/).length} fields, not 6. ${FIELD_HELP.schedule}`;
  if (d.kind === 'folder' && d.path.trim() !== '' && !/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(d.path.trim()))
    errors.path = `"${d.path.trim()}" is not absolute. ${FIELD_HELP.path}`;
  if (errors.credentials && Object.keys(credentialFieldErrors(d)).length > 0) delete errors.credentials;
  return errors;
}

/** The missing fields of the chosen credential type (a failed union says only "no shape matched"). */
function credentialFieldErrors(d: Draft): Record<string, string> {
  const out: Record<string, string> = {};
  const need = (field: string, value: string | SecretDraft) => {
    const empty = typeof value === 'string' ? value.trim() === '' : secretOut(value) === undefined;
    if (empty) out[field] = `Required. ${FIELD_HELP[field] ?? ''}`.trim();
  };
  if (d.kind === 's3' && d.s3Auth === 'profile') need('profile', d.profile);
  if (d.kind === 's3' && d.s3Auth === 'keys') {
    need('accessKeyId', d.accessKeyId);
    need('secretAccessKey', d.secretAccessKey);
  }
  if (d.kind === 'azure' && d.azureAuth === 'connectionString') need('connectionString', d.connectionString);
  if (d.kind === 'azure' && d.azureAuth === 'sasUrl') need('sasUrl', d.sasUrl);
  if (d.kind === 'azure' && d.azureAuth === 'accountKey') {
    need('accountName', d.accountName);
    need('accountKey', d.accountKey);
  }
  if (d.kind === 'gcs' && d.gcsAuth === 'serviceAccount') need('json', d.json);
  return out;
}

/**
 * The service's errors name their fields (`Source configuration: path: "x" is not absolute…; schedule: …`):
 * split per field so each shows under its input; what names no known field stays in `rest`.
 */
export function serverFieldErrors(message: string): { fields: Record<string, string>; rest: string | null } {
  const body = message.replace(/^Source configuration:\s*/, '');
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  for (const part of body.split(/;\s+(?=[A-Za-z.]+:)/)) {
    const m = /^([A-Za-z.]+):\s*(.*)$/s.exec(part);
    const field = m ? m[1]!.replace(/^credentials\./, '') : null;
    if (m && field && (field in FIELD_HELP || field === 'credentials' || field === 'kind'))
      fields[field] = m[2]!;
    else rest.push(part);
  }
  return { fields, rest: rest.length > 0 ? rest.join('; ') : null };
}
