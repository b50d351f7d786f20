/**
 * Builds the {@link Source} a configuration describes, with its secrets resolved from the secret store
 * (or the environment). The one place that knows each implementation's constructor.
 *
 * Each implementation (and its SDK) is loaded when a source of its kind is first opened: loading all three
 * SDKs cost every CLI command ~0.4 s on an idle machine here (Azure's alone ~0.3 s, ~0.8 s under load),
 * more than a whole re-sync of an unchanged bucket spends on its own work.
 */
import type { SourceConfig } from '../../../shared/sourceConfig.ts';
import type { AzureRetrySettings } from './azure.ts';
import type { GcsRetrySettings } from './gcs.ts';
import type { S3RetrySettings } from './s3.ts';
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
    case 's3': {
      const { S3Source } = await import('./s3.ts');
      return new S3Source(config, { secrets, env: options.env, retry: options.s3 });
    }
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
      const { createAzureSource } = await import('./azure.ts');
      return createAzureSource(config, resolved, { retry: options.azure });
    }
    case 'gcs': {
      const c = config.credentials;
      const resolved =
        c.type === 'serviceAccount'
          ? { serviceAccountJson: await resolveSecret(c.json, secrets, where('json'), options.env) }
          : {};
      const { createGcsSource } = await import('./gcs.ts');
      return createGcsSource(config, resolved, { retry: options.gcs });
    }
    case 'folder': {
      const { FolderSource } = await import('./folder.ts');
      return new FolderSource({ name: config.name, path: config.path });
    }
    default:
      return assertNever(config);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected source kind: ${JSON.stringify(value)}`);
}
