/** The app:// protocol's decisions: which frame is ours, which file a URL names, which links leave. */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  allowPermission,
  isExternalLink,
  isOwnPage,
  resolveAppFile,
} from '../../../../electron/shell/appProtocol.ts';

const ROOT = path.resolve('/opt/audit/dist/renderer');

describe('app protocol', () => {
  test('our page is app://audit-explorer and nothing that merely looks like it', () => {
    expect(isOwnPage('app://audit-explorer/index.html')).toBe(true);
    expect(isOwnPage('app://audit-explorer/')).toBe(true);
    expect(isOwnPage('app://audit-explorer/index.html?q=1#x')).toBe(true);
    for (const url of [
      'app://audit-explorer.evil/index.html',
      'app://user@audit-explorer/index.html',
      'app://audit-explorer:1/',
      'file:///opt/audit/dist/renderer/index.html',
      'https://audit-explorer/',
      'javascript:alert(1)',
      'not a url',
      null,
      undefined,
    ])
      expect(isOwnPage(url), String(url)).toBe(false);
  });

  test('files resolve inside the renderer folder; routes get index.html; nothing escapes it', () => {
    expect(resolveAppFile(ROOT, 'app://audit-explorer/index.html')).toBe(path.join(ROOT, 'index.html'));
    expect(resolveAppFile(ROOT, 'app://audit-explorer/')).toBe(path.join(ROOT, 'index.html'));
    expect(resolveAppFile(ROOT, 'app://audit-explorer/search')).toBe(path.join(ROOT, 'index.html'));
    expect(resolveAppFile(ROOT, 'app://audit-explorer/assets/index-abc.js')).toBe(
      path.join(ROOT, 'assets', 'index-abc.js'),
    );
    // Dot segments are resolved by the URL parser first: they can only climb to the folder's own root.
    expect(resolveAppFile(ROOT, 'app://audit-explorer/../../etc/passwd.js')).toBe(
      path.join(ROOT, 'etc', 'passwd.js'),
    );
    expect(resolveAppFile(ROOT, 'app://audit-explorer/%2e%2e/%2e%2e/x.js')).toBe(path.join(ROOT, 'x.js'));
    for (const url of [
      'app://audit-explorer/assets/..%2f..%2f..%2fsecrets.json',
      'app://audit-explorer/a%5c..%5c..%5cx.js',
      'app://audit-explorer/x%00.js',
      'app://other/index.html',
      'file:///etc/passwd',
    ])
      expect(resolveAppFile(ROOT, url), url).toBeNull();
  });

  test('only https links open in the browser', () => {
    expect(isExternalLink('https://docs.example.com/a')).toBe(true);
    for (const url of [
      'http://example.com',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'app://audit-explorer/',
    ])
      expect(isExternalLink(url), url).toBe(false);
  });

  test('permissions: only a clipboard write from our page; everything else, from anywhere, refused', () => {
    expect(allowPermission('clipboard-sanitized-write', 'app://audit-explorer/index.html')).toBe(true);
    expect(allowPermission('clipboard-sanitized-write', 'app://audit-explorer')).toBe(true);
    expect(allowPermission('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    for (const permission of [
      'clipboard-read',
      'media',
      'geolocation',
      'notifications',
      'openExternal',
      'hid',
    ])
      expect(allowPermission(permission, 'app://audit-explorer/index.html'), permission).toBe(false);
  });
});
