// The sources form's model: what it sends, what it says about each field, and secrets kept as "stored".
import { describe, expect, it } from 'vitest';
import {
  configOf,
  draftFromConfig,
  emptyDraft,
  serverFieldErrors,
  validateDraft,
} from '../../../../../renderer/components/sources/sourceDraft.ts';
import { SourceConfigSchema } from '../../../../../shared/sourceConfig.ts';
import { sourceStatus } from '../../../../../renderer/components/sources/sourceFormat.ts';

describe('the source form model', () => {
  it('a complete folder draft is valid and sends what the service schema accepts', () => {
    const d = { ...emptyDraft('folder'), name: 'local', path: '/var/log/audit', include: '**/*.ndjson' };
    expect(validateDraft(d)).toEqual({});
    const config = configOf(d);
    expect(SourceConfigSchema.parse(config)).toMatchObject({ kind: 'folder', path: '/var/log/audit' });
    expect(config).not.toHaveProperty('bucket');
  });

  it('names each missing or wrong field and says what to write', () => {
    const d = { ...emptyDraft('s3'), name: 'bad name', s3Auth: 'keys' as const, endpoint: 'nope' };
    const errors = validateDraft(d);
    expect(Object.keys(errors).sort()).toEqual([
      'accessKeyId',
      'bucket',
      'endpoint',
      'name',
      'secretAccessKey',
    ]);
    expect(errors.bucket).toMatch(/^Required\. Write the bucket’s name/);
    expect(errors.endpoint).toMatch(/^Not a URL\./);
    expect(validateDraft({ ...emptyDraft('folder'), name: 'x', path: 'rel' }).path).toMatch(/not absolute/);
    expect(
      validateDraft({ ...emptyDraft('folder'), name: 'x', path: '/a', schedule: '0 * * * *' }).schedule,
    ).toMatch(/has 5 fields, not 6/);
  });

  it('every credential type of every kind validates once its fields are filled', () => {
    const filled = (s: string) => ({ kept: null, replacing: false, typed: s });
    const drafts = [
      { ...emptyDraft('s3'), name: 'a', bucket: 'b', s3Auth: 'default' as const },
      { ...emptyDraft('s3'), name: 'a', bucket: 'b', s3Auth: 'profile' as const, profile: 'p' },
      {
        ...emptyDraft('s3'),
        name: 'a',
        bucket: 'b',
        s3Auth: 'keys' as const,
        accessKeyId: 'k',
        secretAccessKey: filled('s'),
      },
      { ...emptyDraft('azure'), name: 'a', container: 'c', connectionString: filled('cs') },
      {
        ...emptyDraft('azure'),
        name: 'a',
        container: 'c',
        azureAuth: 'sasUrl' as const,
        sasUrl: filled('https://x'),
      },
      {
        ...emptyDraft('azure'),
        name: 'a',
        container: 'c',
        azureAuth: 'accountKey' as const,
        accountName: 'n',
        accountKey: filled('k'),
      },
      { ...emptyDraft('gcs'), name: 'a', bucket: 'b' },
      {
        ...emptyDraft('gcs'),
        name: 'a',
        bucket: 'b',
        gcsAuth: 'serviceAccount' as const,
        json: filled('{}'),
      },
    ];
    for (const d of drafts) {
      expect(validateDraft(d), JSON.stringify(configOf(d))).toEqual({});
      expect(SourceConfigSchema.safeParse(configOf(d)).success).toBe(true);
    }
  });

  it('a stored secret goes back as "stored" (the service keeps it) unless replaced', () => {
    const d = draftFromConfig({
      name: 'b',
      kind: 's3',
      bucket: 'x',
      credentials: { type: 'keys', accessKeyId: 'AK', secretAccessKey: 'stored' },
    });
    expect(d.secretAccessKey).toEqual({ kept: 'stored', replacing: false, typed: '' });
    expect(configOf(d).credentials).toEqual({ type: 'keys', accessKeyId: 'AK', secretAccessKey: 'stored' });
    const replaced = { ...d, secretAccessKey: { kept: 'stored' as const, replacing: true, typed: 'new' } };
    expect(configOf(replaced).credentials).toMatchObject({ secretAccessKey: 'new' });
    const emptied = { ...d, secretAccessKey: { kept: 'stored' as const, replacing: true, typed: '' } };
    expect(validateDraft(emptied).secretAccessKey).toMatch(/^Required/);
  });

  it("splits the service's message per field", () => {
    expect(
      serverFieldErrors(
        'Source configuration: path: "x" is not absolute. Write…; schedule: "1" is not a 6-field cron',
      ),
    ).toEqual({
      fields: { path: '"x" is not absolute. Write…', schedule: '"1" is not a 6-field cron' },
      rest: null,
    });
    expect(serverFieldErrors('The database is busy.')).toEqual({ fields: {}, rest: 'The database is busy.' });
  });

  it('statuses in words', () => {
    const base = { enabled: true, errors: 0 };
    expect(sourceStatus({ ...base, status: 'never' }, false).word).toBe('never run');
    expect(sourceStatus({ ...base, status: 'ok' }, true).word).toBe('syncing');
    expect(sourceStatus({ ...base, status: 'partial', errors: 2 }, false)).toMatchObject({ kind: 'failing' });
    expect(sourceStatus({ ...base, enabled: false, status: 'ok' }, false).word).toBe('disabled');
  });
});
