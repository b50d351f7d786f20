/**
 * Builds the {@link Source} a configuration describes, with its secrets resolved from the secret store
 * (or the environment). The one place that knows each implementation's constructor.
 */
import type { SourceConfig } from '../../../shared/sourceConfig.ts';
import { createAzureSource, type AzureRetrySettings } from './azure.ts';
import { FolderSource } from './folder.ts';
import { createGcsSource, type GcsRetrySettings } from './gcs.ts';
import { S3Source, type S3RetrySettings } from './s3.ts';
import { resolveSecret, type SecretStore } from './secrets/secretStore.ts';
import type { Source } from './source.ts';

/** Retry tuning per kind (tests shorten the SDKs' waits); each SDK's defaults otherwise. */
export interface OpenSourceOptions {
  readonly s3?: S3RetrySettings;
  readonly azure?: AzureRetrySettings;
  readonly gcs?: GcsRetrySettings;
  /** Where `{ "env": … }` references resolve; the process environment by default. */
  readonly env?: SecretStore;
}

/**
 * The source for `config`. Secrets are read here (Azure, GCS) or on the first request (S3's provider), so
 * a missing one fails as a SecretResolutionError naming the source and field, never showing a value.
 */
export async function openSource(
  config: SourceConfig,
  secrets: SecretStore,
  options: OpenSourceOptions = {},
): Promise<Source> {
  const where = (field: string) => ({ source: config.name, field: `credentials.${field}` });
  switch (config.kind) {
    case 's3':
      return new S3Source(config, { secrets, env: options.env, retry: options.s3 });
    case 'azure': {
      const c = config.credentials;
      const resolved =
        c.type === 'connectionString'
          ? {
              connectionString: await resolveSecret(
                c.connectionString,
                secrets,
                where('connectionString'),
                options.env,
              ),
            }
          : c.type === 'sasUrl'
            ? { sasUrl: await resolveSecret(c.sasUrl, secrets, where('sasUrl'), options.env) }
            : { accountKey: await resolveSecret(c.accountKey, secrets, where('accountKey'), options.env) };
      return createAzureSource(config, resolved, { retry: options.azure });
    }
    case 'gcs': {
      const c = config.credentials;
      const resolved =
        c.type === 'serviceAccount'
          ? { serviceAccountJson: await resolveSecret(c.json, secrets, where('json'), options.env) }
          : {};
      return createGcsSource(config, resolved, { retry: options.gcs });
    }
    case 'folder':
      return new FolderSource({ name: config.name, path: config.path });
    default:
      return assertNever(config);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected source kind: ${JSON.stringify(value)}`);
}
