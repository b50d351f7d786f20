#!/usr/bin/env node
// `npm start`: the desktop app on a workstation (builds what is stale in dist/, then launches Electron on
// this folder), and `audit-explorer serve` where no window can open — no display, or no Electron binary
// (npm does not download it here: install scripts are off). The fallback says so in one line on stderr;
// stdout's first line is then serve's URL, as always. Arguments go to serve (`npm start -- --db FILE`).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decideLaunch } from './launch.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const decision = decideLaunch(root);

if (decision.mode === 'electron') {
  const { buildDist, distIsStale } = await import('./build.js');
  if (distIsStale()) await buildDist();
  const env = { ...process.env };
  // Set in some shells by other tools: it would run our main script as plain Node instead of the app.
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(decision.binary, [root, ...args], { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  process.stderr.write(
    `Audit Explorer: the desktop window cannot open here: ${decision.reason}. ` +
      'Serving the web UI instead: open the URL below in a browser.\n',
  );
  // serve runs in this process (the bin reads its arguments from process.argv), so stopping `npm start`
  // stops the server; on a Node older than 24 the bin re-runs itself on Node 24 with these arguments.
  process.argv = [process.argv[0], path.join(root, 'bin', 'audit-explorer.js'), 'serve', ...args];
  await import('../bin/audit-explorer.js');
}
