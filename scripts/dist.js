#!/usr/bin/env node
// `npm run dist`: the installer for this OS (Linux AppImage + deb, macOS dmg, Windows nsis) with
// electron-builder. Packaging needs the Electron binary for this platform and electron-builder's own tools
// (NSIS, AppImage and dmg helpers), which it downloads from GitHub on first use; a machine that reaches
// only the npm registry has neither, so this says why and stops (exit 1) instead of failing deep inside a
// download. Nothing here compiles native code: better-sqlite3's prebuilt N-API binary is packed as it is.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectron } from './launch.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function stop(sentence) {
  process.stderr.write(`npm run dist: ${sentence}\n`);
  process.exit(1);
}

const builderCli = path.join(root, 'node_modules', 'electron-builder', 'cli.js');
if (!fs.existsSync(builderCli))
  stop('electron-builder is not installed. Run npm install, then npm run dist again.');
const electron = findElectron(root);
if (electron.missing)
  stop(
    `cannot build the installer on this machine: ${electron.missing}, and electron-builder would then ` +
      'download its packaging tools from GitHub as well. Run npm run dist on a workstation that can reach GitHub.',
  );

const { buildDist } = await import('./build.js');
await buildDist({ force: true });
const platformFlag = { darwin: '--mac', win32: '--win', linux: '--linux' }[process.platform];
if (!platformFlag) stop(`there is no installer target for ${process.platform}.`);
const version = JSON.parse(
  fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8'),
).version;
const result = spawnSync(
  process.execPath,
  [
    builderCli,
    platformFlag,
    '--config',
    'electron-builder.yml',
    // The Electron already installed, not a second download of it.
    `-c.electronDist=${path.dirname(electron.binary)}`,
    `-c.electronVersion=${version}`,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } },
);
if (result.status !== 0)
  stop(
    'electron-builder failed (its output is above). It downloads its packaging tools from GitHub on first ' +
      'use: check that this machine can reach github.com, then run npm run dist again.',
  );
process.stdout.write(`Installers are in ${path.join(root, 'out')}.\n`);
