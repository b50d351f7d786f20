/** Helpers shared by the source integration tests (GCS, Azure): reading bodies and listing every page. */
import type { Readable } from 'node:stream';
import type { RemoteObject, Source } from '../../../electron/agent/sources/source.ts';

export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Every object under the prefix, page by page; also returns how many pages it took. */
export async function listAll(
  source: Source,
  options: { prefix?: string; pageSize?: number } = {},
): Promise<{ objects: RemoteObject[]; pages: number }> {
  const objects: RemoteObject[] = [];
  let pageToken: string | undefined;
  let pages = 0;
  do {
    const page = await source.list({ ...options, pageToken });
    objects.push(...page.objects);
    pageToken = page.next ?? undefined;
    pages++;
    if (pages > 1000) throw new Error('listing does not end');
  } while (pageToken);
  return { objects, pages };
}

/** An NDJSON body of `count` small events, numbered from `from`. */
export function ndjson(count: number, from = 0): string {
  let out = '';
  for (let i = from; i < from + count; i++) out += `{"n":${i},"msg":"event ${i}"}\n`;
  return out;
}
