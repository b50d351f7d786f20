/**
 * Packaging decisions that can be checked without building an installer: the fuses the afterPack hook
 * flips and where it finds the binary, the files allow-list and native-module settings, and the icons.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const require = createRequire(import.meta.url);
const hook = require(path.join(root, 'scripts', 'afterPack.cjs')) as {
  FUSES: Record<string, boolean>;
  electronBinaryIn(context: unknown): string;
};
const yml = fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');

describe('packaging', () => {
  test('the fuses: no run-as-node, NODE_OPTIONS or --inspect; cookies encrypted; only an integrity-checked asar', async () => {
    expect(hook.FUSES).toEqual({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      GrantFileProtocolExtraPrivileges: false,
    });
    // Every name is one @electron/fuses knows (a typo would silently flip nothing).
    const { FuseV1Options } = await import('@electron/fuses');
    for (const name of Object.keys(hook.FUSES)) expect(FuseV1Options, name).toHaveProperty(name);
    expect(yml).toMatch(/^afterPack: scripts\/afterPack\.cjs$/m);
  });

  test('the hook finds the Electron executable on each platform', () => {
    const context = (platform: string) => ({
      electronPlatformName: platform,
      appOutDir: '/out/x',
      packager: { appInfo: { productFilename: 'Audit Explorer' }, executableName: 'audit-explorer' },
    });
    expect(hook.electronBinaryIn(context('darwin'))).toBe(
      path.join('/out/x', 'Audit Explorer.app', 'Contents', 'MacOS', 'Audit Explorer'),
    );
    expect(hook.electronBinaryIn(context('win32'))).toBe(path.join('/out/x', 'Audit Explorer.exe'));
    expect(hook.electronBinaryIn(context('linux'))).toBe(path.join('/out/x', 'audit-explorer'));
  });

  test('an allow-list of files, better-sqlite3 unpacked, nothing rebuilt from source', () => {
    expect(yml).toMatch(/^files:\n {2}- dist\/\*\*\n(?: {2}- .*\n)*? {2}- package\.json$/m);
    expect(yml).toMatch(/^asarUnpack:\n {2}- node_modules\/better-sqlite3\/\*\*$/m);
    expect(yml).toMatch(/^npmRebuild: false$/m);
    expect(yml).toMatch(/^buildDependenciesFromSource: false$/m);
    expect(yml).toMatch(/^productName: Audit Explorer$/m);
    expect(yml).toMatch(/target: \[AppImage, deb\]/);
    expect(yml).toMatch(/target: \[dmg\]/);
    expect(yml).toMatch(/hardenedRuntime: true/);
    expect(yml).toMatch(/target: \[nsis\]/);
  });

  test('the icons exist and are what their names say', () => {
    const png = fs.readFileSync(path.join(root, 'build', 'icon.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(512);
    expect(
      fs
        .readFileSync(path.join(root, 'build', 'icon.icns'))
        .subarray(0, 4)
        .toString(),
    ).toBe('icns');
    expect(fs.readFileSync(path.join(root, 'build', 'icon.ico')).readUInt16LE(2)).toBe(1);
    expect(fs.existsSync(path.join(root, 'build', 'entitlements.mac.plist'))).toBe(true);
    expect(fs.existsSync(path.join(root, 'renderer', 'public', 'app-icon.png'))).toBe(true);
  });
});
