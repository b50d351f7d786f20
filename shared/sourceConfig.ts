/**
 * What a user writes to configure a source (`audit-explorer sources add --file SOURCE.json`, the Sources
 * screen): one zod schema per kind, so every door validates the same way and errors name the field.
 *
 * Secrets never live in this shape once stored: a credential field holds either the value as typed (on
 * the way in, before the service moves it into the secret store) or a reference `{ "secret": "name" }`
 * (what the database keeps), or `{ "env": "VAR" }` (read from the environment when the source is opened).
 */
import { z } from 'zod';

/** A secret as configured: typed in (moved to the secret store on save), stored, or from the environment. */
export const SecretValueSchema = z.union([
  z.string().min(1),
  z.strictObject({ secret: z.string().min(1) }),
  z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name') }),
]);
export type SecretValue = z.infer<typeof SecretValueSchema>;

/** 6-field cron (seconds first), as the exporters write their own schedules. */
export const DEFAULT_SYNC_SCHEDULE = '0 0 */1 * * *';

const common = {
  name: z
    .string()
    .min(1)
    .max(100)
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
      'letters, digits, dot, dash or underscore, starting with a letter or digit',
    ),
  /** Only keys under this prefix, e.g. `prod/audit/`. */
  prefix: z.string().max(1024).default(''),
  /** A glob on the key below the prefix, e.g. `**\/*.ndjson.gz`; every object when absent. */
  include: z.string().max(1024).optional(),
  schedule: z.string().max(200).default(DEFAULT_SYNC_SCHEDULE),
  /** `auto` (detect per line), a built-in format id, or a generic mapping's name. */
  format: z.string().max(200).default('auto'),
  redact: z.boolean().default(true),
  enabled: z.boolean().default(true),
};

export const S3CredentialsSchema = z.union([
  /** The SDK's default chain: environment, shared config/credentials files, SSO, instance roles. */
  z.strictObject({ type: z.literal('default') }),
  z.strictObject({ type: z.literal('profile'), profile: z.string().min(1) }),
  z.strictObject({
    type: z.literal('keys'),
    accessKeyId: z.string().min(1),
    secretAccessKey: SecretValueSchema,
    sessionToken: SecretValueSchema.optional(),
  }),
]);

export const S3SourceSchema = z.strictObject({
  ...common,
  kind: z.literal('s3'),
  bucket: z.string().min(1),
  region: z.string().min(1).default('us-east-1'),
  /** An S3-compatible store (MinIO, Ceph, a test server): its base URL. */
  endpoint: z.url().optional(),
  forcePathStyle: z.boolean().default(false),
  credentials: S3CredentialsSchema.default({ type: 'default' }),
});

export const AzureCredentialsSchema = z.union([
  z.strictObject({ type: z.literal('connectionString'), connectionString: SecretValueSchema }),
  /** A SAS URL of the container (or of the account, with the container named separately). */
  z.strictObject({ type: z.literal('sasUrl'), sasUrl: SecretValueSchema }),
  z.strictObject({
    type: z.literal('accountKey'),
    accountName: z.string().min(1),
    accountKey: SecretValueSchema,
  }),
]);

export const AzureSourceSchema = z.strictObject({
  ...common,
  kind: z.literal('azure'),
  container: z.string().min(1),
  /** The blob service URL when it is not `https://<account>.blob.core.windows.net` (Azurite, sovereign clouds). */
  endpoint: z.url().optional(),
  credentials: AzureCredentialsSchema,
});

export const GcsCredentialsSchema = z.union([
  /** Application default credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud, metadata server). */
  z.strictObject({ type: z.literal('default') }),
  /** The service account's JSON key, as downloaded from the console. */
  z.strictObject({ type: z.literal('serviceAccount'), json: SecretValueSchema }),
]);

export const GcsSourceSchema = z.strictObject({
  ...common,
  kind: z.literal('gcs'),
  bucket: z.string().min(1),
  projectId: z.string().optional(),
  /** A GCS JSON-API endpoint other than Google's (an emulator). */
  endpoint: z.url().optional(),
  credentials: GcsCredentialsSchema.default({ type: 'default' }),
});

export const FolderSourceSchema = z.strictObject({
  ...common,
  kind: z.literal('folder'),
  /** An absolute local path or a mounted volume (NFS, a PV). */
  path: z.string().min(1),
});

export const SourceConfigSchema = z.discriminatedUnion('kind', [
  S3SourceSchema,
  AzureSourceSchema,
  GcsSourceSchema,
  FolderSourceSchema,
]);

export type SourceConfig = z.output<typeof SourceConfigSchema>;
export type S3SourceConfig = z.output<typeof S3SourceSchema>;
export type AzureSourceConfig = z.output<typeof AzureSourceSchema>;
export type GcsSourceConfig = z.output<typeof GcsSourceSchema>;
export type FolderSourceConfig = z.output<typeof FolderSourceSchema>;
