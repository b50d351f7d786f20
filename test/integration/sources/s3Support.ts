import type { S3RetrySettings } from '../../../electron/agent/sources/s3.ts';
import { S3Source } from '../../../electron/agent/sources/s3.ts';
import { MemorySecretStore } from '../../../electron/agent/sources/secrets/secretStore.ts';
import type { ListPage, RemoteObject } from '../../../electron/agent/sources/source.ts';
import { S3SourceSchema } from '../../../shared/sourceConfig.ts';
import { S3RVER_CREDENTIALS } from '../../support/s3Server.ts';

/** An S3 source on `endpoint` with s3rver's keys, the secret held in a memory store; `config` overrides. */
export async function s3Source(
  endpoint: string,
  bucket: string,
  config: Record<string, unknown> = {},
  retry?: S3RetrySettings,
): Promise<S3Source> {
  const secrets = new MemorySecretStore();
  await secrets.set('s3-test/secretAccessKey', S3RVER_CREDENTIALS.secretAccessKey);
  const parsed = S3SourceSchema.parse({
    name: 's3-test',
    kind: 's3',
    bucket,
    endpoint,
    forcePathStyle: true,
    credentials: {
      type: 'keys',
      accessKeyId: S3RVER_CREDENTIALS.accessKeyId,
      secretAccessKey: { secret: 's3-test/secretAccessKey' },
    },
    ...config,
  });
  return new S3Source(parsed, { secrets, retry });
}

export async function listAll(
  source: { list: S3Source['list'] },
  prefix = '',
  pageSize?: number,
): Promise<{ objects: RemoteObject[]; pages: number }> {
  const objects: RemoteObject[] = [];
  let token: string | undefined;
  for (let pages = 1; pages < 1000; pages++) {
    const page: ListPage = await source.list({ prefix, pageSize, pageToken: token });
    objects.push(...page.objects);
    if (!page.next) return { objects, pages };
    token = page.next;
  }
  throw new Error('listing did not end');
}
