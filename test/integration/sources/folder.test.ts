import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FolderSource } from '../../../electron/agent/sources/folder.ts';
import type { ListPage, RemoteObject } from '../../../electron/agent/sources/source.ts';
import { ObjectChangedError, PermanentSourceError } from '../../../electron/agent/sources/source.ts';
import { readAll } from '../../support/streams.ts';

const dirs: string[] = [];

/** A fresh temp folder, readable by everyone so the permission tests can run as another user. */
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-folder-'));
  fs.chmodSync(dir, 0o755);
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) {
    fs.chmodSync(dir, 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function write(root: string, key: string, data: string | Buffer): string {
  const file = path.join(root, ...key.split('/'));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
  return file;
}

async function listAll(source: FolderSource, prefix = '', pageSize = 1000): Promise<RemoteObject[]> {
  const objects: RemoteObject[] = [];
  let token: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page: ListPage = await source.list({ prefix, pageSize, pageToken: token });
    expect(page.objects.length).toBeLessThanOrEqual(pageSize);
    objects.push(...page.objects);
    if (!page.next) return objects;
    token = page.next;
  }
  throw new Error('listing did not end');
}

async function find(source: FolderSource, key: string): Promise<RemoteObject> {
  const object = (await listAll(source)).find((o) => o.key === key);
  if (!object) throw new Error(`${key} not listed`);
  return object;
}

describe('FolderSource listing', () => {
  it('lists regular files recursively, sorted, with /-separated keys relative to the root', async () => {
    const root = tempDir();
    for (const key of ['b.ndjson', 'a/2.ndjson', 'a/1.ndjson', 'a/deep/x.ndjson', 'a-c.ndjson'])
      write(root, key, 'x\n');
    const keys = (await listAll(new FolderSource({ name: 'f', path: root }))).map((o) => o.key);
    expect(keys).toEqual(['a-c.ndjson', 'a/1.ndjson', 'a/2.ndjson', 'a/deep/x.ndjson', 'b.ndjson']);
  });

  it('skips hidden files and folders, fifos and other non-regular files', async () => {
    const root = tempDir();
    write(root, 'keep.ndjson', 'x\n');
    write(root, '.partial.ndjson', 'x\n');
    write(root, '.hidden/inside.ndjson', 'x\n');
    write(root, 'sub/.tmp', 'x\n');
    execFileSync('mkfifo', [path.join(root, 'pipe')]);
    const keys = (await listAll(new FolderSource({ name: 'f', path: root }))).map((o) => o.key);
    expect(keys).toEqual(['keep.ndjson']);
  });

  it('pages of 1 and 2 return every file exactly once, in order', async () => {
    const root = tempDir();
    const expected = Array.from({ length: 7 }, (_, i) => `d${i % 3}/f${i}.ndjson`).sort();
    for (const key of expected) write(root, key, `${key}\n`);
    const source = new FolderSource({ name: 'f', path: root });
    for (const size of [1, 2]) expect((await listAll(source, '', size)).map((o) => o.key)).toEqual(expected);
  });

  it('a file added behind the page token between pages is picked up on the next page', async () => {
    const root = tempDir();
    write(root, 'a.ndjson', 'x\n');
    write(root, 'c.ndjson', 'x\n');
    const source = new FolderSource({ name: 'f', path: root });
    const first = await source.list({ pageSize: 1 });
    expect(first.objects.map((o) => o.key)).toEqual(['a.ndjson']);
    write(root, 'b.ndjson', 'x\n');
    const second = await source.list({ pageSize: 5, pageToken: first.next! });
    expect(second.objects.map((o) => o.key)).toEqual(['b.ndjson', 'c.ndjson']);
    expect(second.next).toBeNull();
  });

  it('lists only keys under the prefix, whether it ends in a folder or part of a name', async () => {
    const root = tempDir();
    for (const key of [
      'prod/audit/1.ndjson',
      'prod/audit/2.ndjson',
      'prod/auditx.ndjson',
      'dev/audit/1.ndjson',
    ])
      write(root, key, 'x\n');
    const source = new FolderSource({ name: 'f', path: root });
    expect((await listAll(source, 'prod/audit/')).map((o) => o.key)).toEqual([
      'prod/audit/1.ndjson',
      'prod/audit/2.ndjson',
    ]);
    expect((await listAll(source, 'prod/audit', 1)).map((o) => o.key)).toEqual([
      'prod/audit/1.ndjson',
      'prod/audit/2.ndjson',
      'prod/auditx.ndjson',
    ]);
    expect(await listAll(source, 'nothing/here/')).toEqual([]);
  });

  it('versions a file by size, mtime and inode', async () => {
    const root = tempDir();
    const file = write(root, 'a.ndjson', 'one\n');
    const object = await find(new FolderSource({ name: 'f', path: root }), 'a.ndjson');
    const stat = fs.statSync(file, { bigint: true });
    expect(object).toMatchObject({ size: 4, inode: Number(stat.ino), modified: Number(stat.mtimeMs) });
    expect(object.version).toMatch(new RegExp(`^4-${stat.mtimeMs}\\.\\d{6}-${stat.ino}$`));
  });

  it('refuses a key or prefix that would leave the root', async () => {
    const source = new FolderSource({ name: 'f', path: tempDir() });
    await expect(source.open('../etc/passwd', { version: '1-1-1' })).rejects.toMatchObject({
      reason: 'bad_config',
    });
    await expect(source.list({ prefix: '../' })).rejects.toMatchObject({ reason: 'bad_config' });
  });
});

describe('FolderSource appends and rotation', () => {
  it('a grown file keeps its inode, gets a new version, and its tail reads from the offset', async () => {
    const root = tempDir();
    const file = write(root, 'app.log', 'line 1\nline 2\n');
    const source = new FolderSource({ name: 'f', path: root });
    const before = await find(source, 'app.log');
    fs.appendFileSync(file, 'line 3\n');
    const after = await find(source, 'app.log');
    expect(after.inode).toBe(before.inode);
    expect(after.version).not.toBe(before.version);
    const opened = await source.open('app.log', { offset: before.size, version: after.version });
    expect(opened.offset).toBe(before.size);
    expect((await readAll(opened.body)).toString()).toBe('line 3\n');
  });

  it('reads a file that grew after it was listed to its current end', async () => {
    const root = tempDir();
    const file = write(root, 'app.log', 'a\n');
    const source = new FolderSource({ name: 'f', path: root });
    const listed = await find(source, 'app.log');
    fs.appendFileSync(file, 'b\n');
    const opened = await source.open('app.log', { offset: 0, version: listed.version });
    expect((await readAll(opened.body)).toString()).toBe('a\nb\n');
  });

  it('a rotated file (renamed, new file under the old name) is a new inode; the old version no longer opens', async () => {
    const root = tempDir();
    const file = write(root, 'app.log', 'old 1\nold 2\n');
    const source = new FolderSource({ name: 'f', path: root });
    const before = await find(source, 'app.log');
    fs.renameSync(file, path.join(root, 'app.log.1'));
    write(root, 'app.log', 'new 1\n');
    const objects = await listAll(source);
    expect(objects.map((o) => o.key)).toEqual(['app.log', 'app.log.1']);
    expect(objects[0]!.inode).not.toBe(before.inode);
    expect(objects[1]!.inode).toBe(before.inode); // the rotated file keeps its identity under its new name
    await expect(
      source.open('app.log', { offset: before.size, version: before.version }),
    ).rejects.toBeInstanceOf(ObjectChangedError);
    const fresh = await source.open('app.log', { offset: 0, version: objects[0]!.version });
    expect((await readAll(fresh.body)).toString()).toBe('new 1\n');
  });

  it('a file rewritten shorter, or shorter than the offset, or removed, is changed', async () => {
    const root = tempDir();
    const file = write(root, 'a.log', 'first content\n');
    const source = new FolderSource({ name: 'f', path: root });
    const listed = await find(source, 'a.log');
    fs.truncateSync(file, 5); // same inode, smaller than listed
    await expect(source.open('a.log', { offset: 0, version: listed.version })).rejects.toBeInstanceOf(
      ObjectChangedError,
    );
    const small = await find(source, 'a.log');
    await expect(source.open('a.log', { offset: 6, version: small.version })).rejects.toBeInstanceOf(
      ObjectChangedError,
    );
    fs.rmSync(file);
    await expect(source.open('a.log', { offset: 0, version: small.version })).rejects.toBeInstanceOf(
      ObjectChangedError,
    );
  });

  it('a file replaced by a fifo since the listing is changed, and opening it does not hang', async () => {
    const root = tempDir();
    const file = write(root, 'a.log', 'x\n');
    const source = new FolderSource({ name: 'f', path: root });
    const listed = await find(source, 'a.log');
    fs.rmSync(file);
    execFileSync('mkfifo', [file]);
    await expect(source.open('a.log', { version: listed.version })).rejects.toBeInstanceOf(
      ObjectChangedError,
    );
  });

  it('a file replaced while being read is read to the end of the content it had (a safe outcome)', async () => {
    const root = tempDir();
    const original = Buffer.alloc(1024 * 1024, 'a');
    const file = write(root, 'big.log', original);
    const source = new FolderSource({ name: 'f', path: root });
    const listed = await find(source, 'big.log');
    const { body } = await source.open('big.log', { version: listed.version });
    const chunks: Buffer[] = [];
    for await (const chunk of body) {
      if (chunks.length === 0) {
        // Replace it mid-read the way exporters do: write aside, rename over.
        fs.writeFileSync(`${file}.new`, 'replacement\n');
        fs.renameSync(`${file}.new`, file);
      }
      chunks.push(chunk as Buffer);
    }
    expect(Buffer.concat(chunks).equals(original)).toBe(true);
    const now = await find(source, 'big.log');
    expect(now.version).not.toBe(listed.version);
  });

  it('a file truncated in place while being read fails the stream with ObjectChangedError', async () => {
    const root = tempDir();
    const file = write(root, 'big.log', Buffer.alloc(1024 * 1024, 'a'));
    const source = new FolderSource({ name: 'f', path: root });
    const listed = await find(source, 'big.log');
    const { body } = await source.open('big.log', { version: listed.version });
    const error = await (async () => {
      let first = true;
      for await (const _ of body) {
        if (first) fs.truncateSync(file, 1000);
        first = false;
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectChangedError);
  });

  it('stops reading when the signal aborts', async () => {
    const root = tempDir();
    write(root, 'big.log', Buffer.alloc(2 * 1024 * 1024, 'a'));
    const source = new FolderSource({ name: 'f', path: root });
    const listed = await find(source, 'big.log');
    const controller = new AbortController();
    const { body } = await source.open('big.log', { version: listed.version, signal: controller.signal });
    controller.abort();
    await expect(readAll(body)).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('FolderSource symlinks', () => {
  it('follows links to files inside the root; skips links that leave it, dangling links and linked folders', async () => {
    const root = tempDir();
    const outside = tempDir();
    write(root, 'real/a.ndjson', 'inside\n');
    write(outside, 'secret.ndjson', 'outside\n');
    fs.symlinkSync(path.join(root, 'real/a.ndjson'), path.join(root, 'link.ndjson'));
    fs.symlinkSync(path.join(outside, 'secret.ndjson'), path.join(root, 'escape.ndjson'));
    fs.symlinkSync(path.join(root, 'missing.ndjson'), path.join(root, 'dangling.ndjson'));
    fs.symlinkSync(path.join(root, 'real'), path.join(root, 'linked-dir'));
    const source = new FolderSource({ name: 'f', path: root });
    const objects = await listAll(source);
    expect(objects.map((o) => o.key)).toEqual(['link.ndjson', 'real/a.ndjson']);
    expect(objects[0]!.inode).toBe(objects[1]!.inode);
    const opened = await source.open('link.ndjson', { version: objects[0]!.version });
    expect((await readAll(opened.body)).toString()).toBe('inside\n');
    // A key that was a file when listed and became a link out of the root is not read.
    fs.rmSync(path.join(root, 'real/a.ndjson'));
    fs.symlinkSync(path.join(outside, 'secret.ndjson'), path.join(root, 'real/a.ndjson'));
    await expect(source.open('real/a.ndjson', { version: objects[1]!.version })).rejects.toBeInstanceOf(
      ObjectChangedError,
    );
  });

  it('accepts a root that is itself a symlink', async () => {
    const real = tempDir();
    write(real, 'a.ndjson', 'x\n');
    const holder = tempDir();
    fs.symlinkSync(real, path.join(holder, 'mounted'));
    const keys = (await listAll(new FolderSource({ name: 'f', path: path.join(holder, 'mounted') }))).map(
      (o) => o.key,
    );
    expect(keys).toEqual(['a.ndjson']);
  });
});

describe('FolderSource permanent errors and the connection test', () => {
  it('a missing root is not_found and says to check the path', async () => {
    const source = new FolderSource({ name: 'gravitee', path: path.join(tempDir(), 'nope') });
    const error = await source.list({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentSourceError);
    expect(error).toMatchObject({ reason: 'not_found' });
    expect((error as Error).message).toMatch(/folder source 'gravitee' does not exist\. Check the path/);
    const report = await source.test();
    expect(report).toMatchObject({ ok: false, sample: [] });
    expect(report.message).toMatch(/does not exist/);
  });

  it('a root that is a file, or a relative path, is a configuration error', async () => {
    const file = write(tempDir(), 'f.ndjson', 'x\n');
    await expect(new FolderSource({ name: 'f', path: file }).list({})).rejects.toMatchObject({
      reason: 'bad_config',
    });
    expect(() => new FolderSource({ name: 'f', path: 'relative/dir' })).toThrow(/is not absolute/);
  });

  it('the connection test reports what it reached, with a sample of keys', async () => {
    const root = tempDir();
    for (let i = 0; i < 7; i++) write(root, `audit/${i}.ndjson`, 'x\n');
    const report = await new FolderSource({ name: 'f', path: root }).test({ prefix: 'audit/' });
    expect(report.ok).toBe(true);
    expect(report.sample).toEqual([
      'audit/0.ndjson',
      'audit/1.ndjson',
      'audit/2.ndjson',
      'audit/3.ndjson',
      'audit/4.ndjson',
    ]);
    expect(report.message).toMatch(/Reached folder .*: 5 or more files under 'audit\/'/);
    const empty = await new FolderSource({ name: 'f', path: root }).test({ prefix: 'other/' });
    expect(empty).toMatchObject({ ok: true, sample: [] });
    expect(empty.message).toMatch(/no files under 'other\/' yet/);
  });

  it('the connection test answers with what went wrong even for an unexpected file-system error', async () => {
    const report = await new FolderSource({ name: 'f', path: tempDir() }).test({
      prefix: `${'x'.repeat(300)}/`,
    });
    expect(report).toMatchObject({ ok: false, sample: [] });
    expect(report.message).toMatch(/^Could not list folder .*ENAMETOOLONG/);
  });

  // Root ignores file permissions, so when the tests run as root the check runs in a child as `nobody`.
  const runAs = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const folderModule = fileURLToPath(new URL('../../../electron/agent/sources/folder.ts', import.meta.url));

  /**
   * Why the unprivileged child cannot run here, or null: as `nobody` it must reach Node and this checkout,
   * which a clone inside a private folder (`mktemp -d` makes one, mode 700) does not allow.
   */
  function unprivilegedProblem(): string | null {
    if (runAs.uid === undefined) return null;
    const probe = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', `await import(${JSON.stringify(folderModule)})`],
      { ...runAs, cwd: os.tmpdir(), encoding: 'utf8' },
    );
    if (probe.error === undefined && probe.status === 0) return null;
    return `user nobody cannot run ${process.execPath} on ${folderModule} (${probe.error?.message ?? probe.stderr.trim().split('\n')[0]}): the checkout is in a folder other users cannot enter`;
  }

  /** Runs `body` (an async function of `source`) in a child process without root's file-permission bypass. */
  function unprivileged(
    root: string,
    body: string,
  ): { reason?: string; name?: string; message?: string; ok?: boolean } {
    const script = `
      const { FolderSource } = await import(${JSON.stringify(folderModule)});
      const source = new FolderSource({ name: 'locked', path: ${JSON.stringify(root)} });
      try { const value = await (${body})(source); console.log(JSON.stringify(value)); }
      catch (e) { console.log(JSON.stringify({ name: e.name, reason: e.reason, message: e.message })); }`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      ...runAs,
      cwd: os.tmpdir(),
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout) as { reason?: string; name?: string; message?: string; ok?: boolean };
  }

  it.skipIf(process.platform === 'win32')(
    'an unreadable root, folder or file is forbidden, with what to do',
    async (ctx) => {
      const problem = unprivilegedProblem();
      if (problem !== null) ctx.skip(problem);
      const root = tempDir();
      write(root, 'open/a.ndjson', 'x\n');
      const locked = write(root, 'locked/b.ndjson', 'x\n');
      const unreadable = write(root, 'unreadable.ndjson', 'x\n');
      fs.chmodSync(path.dirname(locked), 0o700);
      fs.chmodSync(unreadable, 0o600);
      if (runAs.uid === undefined) {
        fs.chmodSync(path.dirname(locked), 0o000);
        fs.chmodSync(unreadable, 0o000);
      }
      const listing = unprivileged(root, '(s) => s.list({})');
      expect(listing).toMatchObject({ name: 'PermanentSourceError', reason: 'forbidden' });
      expect(listing.message).toMatch(
        /Permission denied trying to list the folder .*locked \(folder source 'locked'\)\. Give the user/,
      );

      const version = (await find(new FolderSource({ name: 'f', path: root }), 'unreadable.ndjson')).version;
      const open = unprivileged(
        root,
        `(s) => s.open('unreadable.ndjson', { version: ${JSON.stringify(version)} })`,
      );
      expect(open).toMatchObject({ name: 'PermanentSourceError', reason: 'forbidden' });

      fs.chmodSync(root, runAs.uid === undefined ? 0o000 : 0o700);
      const report = unprivileged(root, '(s) => s.test()');
      expect(report.ok).toBe(false);
      expect(report.message).toMatch(/Permission denied/);
    },
  );
});
