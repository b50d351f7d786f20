/**
 * A source configuration on its way in and out: validation with errors that name the field and say what
 * to write, secrets moved into the secret store (the database keeps `{ "secret": name }` references), and
 * the shape shown to the user (every stored secret shown as "stored").
 */
import path from 'node:path';
import type { ZodError } from 'zod';
import { SourceConfigSchema, type SecretValue, type SourceConfig } from '../../../shared/sourceConfig.ts';
import { resolveFormats } from '../ingest/formatConfig.ts';
import type { SecretStore } from '../sources/secrets/secretStore.ts';

import { cronProblem } from './cronTimes.ts';
import { SourceConfigError } from './errors.ts';

export { SourceConfigError };

/** What a stored secret is shown as (`sources show`, `--json`, the UI). */
export const STORED_SECRET = 'stored';

const KINDS = 's3, azure, gcs or folder';

/** The credentials of a configuration as a plain record (a folder source has none). */
const credentialsOf = (config: SourceConfig): Record<string, unknown> | null =>
  'credentials' in config ? (config.credentials as Record<string, unknown>) : null;

/**
 * Validates a configuration as the user wrote it (JSON from `sources add --file`, the UI's form).
 * @throws SourceConfigError naming every bad field and what to write instead.
 */
export function parseSourceConfig(input: unknown): SourceConfig {
  const parsed = SourceConfigSchema.safeParse(input);
  if (!parsed.success) throw new SourceConfigError(describeIssues(parsed.error, input));
  const config = parsed.data;
  const problems: string[] = [];
  const schedule = cronProblem(config.schedule);
  if (schedule !== null) problems.push(`schedule: ${schedule}`);
  if (config.kind === 'folder' && !path.isAbsolute(config.path))
    problems.push(
      `path: "${config.path}" is not absolute. Write the folder's full path, e.g. "/var/log/audit".`,
    );
  if (config.format !== 'auto') {
    try {
      resolveFormats({ pinned: config.format });
    } catch (error) {
      problems.push(
        `format: ${(error as Error).message.replace(/add a mapping\.$/, 'or "auto" to detect per line.')}`,
      );
    }
  }
  if (config.include !== undefined && config.include.trim() === '')
    problems.push(
      'include: empty. Leave it out to take every object, or write a glob such as "**/*.ndjson".',
    );
  if (problems.length > 0) throw new SourceConfigError(`Source configuration: ${problems.join('; ')}`);
  return config;
}

function describeIssues(error: ZodError, input: unknown): string {
  const kind =
    input !== null && typeof input === 'object' && 'kind' in input
      ? String((input as { kind: unknown }).kind)
      : null;
  const lines = error.issues.map((issue) => {
    const field = issue.path.join('.') || 'configuration';
    if (issue.path[0] === 'kind' || (issue.path.length === 0 && issue.code === 'invalid_union'))
      return `kind: write "kind": one of ${KINDS} (got ${JSON.stringify(kind)})`;
    if (issue.code === 'unrecognized_keys')
      return `${field}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}: remove ${issue.keys.length > 1 ? 'them' : 'it'} (check the spelling against the README)`;
    if (issue.code === 'invalid_type' && /received undefined/.test(issue.message))
      return `${field}: missing. Add "${String(issue.path[issue.path.length - 1])}" (${issue.expected})`;
    if (issue.code === 'invalid_union' && issue.path[0] === 'credentials')
      return `${field}: not one of the credential shapes for a ${kind} source. Write ${CREDENTIAL_HELP[kind ?? ''] ?? 'the credentials the README shows for this kind'}`;
    return `${field}: ${issue.message}`;
  });
  return `Source configuration: ${lines.join('; ')}`;
}

const CREDENTIAL_HELP: Record<string, string> = {
  s3: '{"type":"default"}, {"type":"profile","profile":"NAME"} or {"type":"keys","accessKeyId":"…","secretAccessKey":"…"}',
  azure:
    '{"type":"connectionString","connectionString":"…"}, {"type":"sasUrl","sasUrl":"…"} or {"type":"accountKey","accountName":"…","accountKey":"…"}',
  gcs: '{"type":"default"} or {"type":"serviceAccount","json":"<the key file\'s JSON>"}',
};

/** The credential fields that hold secrets, per kind and credential type. */
function secretFields(config: SourceConfig): string[] {
  const c = credentialsOf(config) as { type: string } | null;
  if (!c) return [];
  switch (`${config.kind}:${c.type}`) {
    case 's3:keys':
      return ['secretAccessKey', 'sessionToken'];
    case 'azure:connectionString':
      return ['connectionString'];
    case 'azure:sasUrl':
      return ['sasUrl'];
    case 'azure:accountKey':
      return ['accountKey'];
    case 'gcs:serviceAccount':
      return ['json'];
    default:
      return [];
  }
}

/** The secret store's name for a source's credential field. */
export const secretName = (source: string, field: string) => `source/${source}/credentials.${field}`;

/**
 * Moves every secret typed into `config` into `store` and returns the configuration to keep, with
 * `{ "secret": name }` in their place. A value written as "stored" keeps the secret `previous` holds
 * (what `sources show` prints can be edited and fed back to `sources update`).
 */
export async function storeSecrets(
  config: SourceConfig,
  store: SecretStore,
  previous: SourceConfig | null = null,
): Promise<SourceConfig> {
  if (credentialsOf(config) === null) return config;
  const credentials = { ...credentialsOf(config) } as Record<string, SecretValue | undefined>;
  const before = ((previous && credentialsOf(previous)) ?? {}) as Record<string, SecretValue | undefined>;
  for (const field of secretFields(config)) {
    const value = credentials[field];
    if (typeof value !== 'string') continue;
    if (value === STORED_SECRET) {
      const kept = before[field];
      if (kept !== undefined && typeof kept === 'object' && 'secret' in kept) {
        credentials[field] = kept;
        continue;
      }
      throw new SourceConfigError(
        `credentials.${field}: "${STORED_SECRET}" stands for a secret already stored, but source '${config.name}' has none there. Write the value itself.`,
      );
    }
    const name = secretName(config.name, field);
    await store.set(name, value);
    credentials[field] = { secret: name };
  }
  return { ...config, credentials } as SourceConfig;
}

/** Forgets the secrets a stored configuration references (on remove, or ones an update no longer uses). */
export async function deleteSecrets(
  config: SourceConfig,
  store: SecretStore,
  keep: SourceConfig | null = null,
): Promise<void> {
  const kept = new Set(keep ? referencedSecrets(keep) : []);
  for (const name of referencedSecrets(config)) if (!kept.has(name)) await store.delete(name);
}

function referencedSecrets(config: SourceConfig): string[] {
  const credentials = (credentialsOf(config) ?? {}) as Record<string, SecretValue | undefined>;
  return secretFields(config).flatMap((field) => {
    const value = credentials[field];
    return value !== undefined && typeof value === 'object' && 'secret' in value ? [value.secret] : [];
  });
}

/**
 * The configuration as shown to the user: a stored secret is "stored", one typed in but not yet stored
 * is "stored" too (it never leaves the service in any output); environment references show their name.
 */
export function publicConfig(config: SourceConfig): Record<string, unknown> {
  const own = credentialsOf(config);
  if (own === null) return { ...config };
  const credentials = { ...own };
  for (const field of secretFields(config)) {
    const value = credentials[field] as SecretValue | undefined;
    if (value === undefined) continue;
    if (typeof value === 'string' || 'secret' in value) credentials[field] = STORED_SECRET;
  }
  return { ...config, credentials };
}

/** Where a source reads from, in one phrase (`s3://bucket/prefix`, a folder path). */
export function locationOf(config: SourceConfig): string {
  switch (config.kind) {
    case 's3':
      return `s3://${config.bucket}/${config.prefix}`;
    case 'gcs':
      return `gs://${config.bucket}/${config.prefix}`;
    case 'azure':
      return `azure://${config.container}/${config.prefix}`;
    case 'folder':
      return config.prefix ? path.join(config.path, config.prefix) : config.path;
  }
}
