#!/usr/bin/env node
// The `audit-explorer` command. Runs the bundle in dist/ (built on install, rebuilt here when a source
// file changed since); without esbuild it runs the TypeScript sources through Node 24's type stripping.
// On an older Node it re-runs itself on the Node 24 that `npm install` put in .tools/.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';

const { REQUIRED_MAJOR, currentMajor, provision } = createRequire(import.meta.url)('../scripts/node24.cjs');

const args = process.argv.slice(2);
// An import, a sync pass or an export gets its own tuned process (run once more, with the settings of
// scripts/tuning.cjs, unless they are set already).
const { TUNED_FLAGS, TUNED_ENV, isTunedCommand } = createRequire(import.meta.url)('../scripts/tuning.cjs');
const tune = isTunedCommand(args) && !process.env.AUDIT_EXPLORER_TUNED;

if (currentMajor() < REQUIRED_MAJOR || tune) {
  const node = currentMajor() < REQUIRED_MAJOR ? provision() : process.execPath;
  const flags = tune ? TUNED_FLAGS : [];
  const env = tune ? { ...TUNED_ENV, ...process.env, AUDIT_EXPLORER_TUNED: '1' } : process.env;
  process.exitCode = await runChild(node, [...flags, process.argv[1], ...args], env);
} else {
  const { main } = await loadCli();
  process.exitCode = await main(args);
}

/**
 * Runs the command in a child process and stands in for it: a stop signal sent to this process (`kill`,
 * a service manager, Ctrl-C) is passed on, so the child stops its work and commits what it did instead of
 * importing on to the end unseen; this process then ends the way the child did (its exit code, or killed
 * by the same signal). Ctrl-C in a terminal reaches the child twice (from the terminal and from here): it
 * takes both as one request.
 */
function runChild(node, argv, env) {
  const child = spawn(node, argv, { stdio: 'inherit', env });
  const forward = (signal) => child.kill(signal);
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, forward);
  return new Promise((resolve) => {
    child.on('error', (error) => {
      process.stderr.write(`audit-explorer: could not start ${node}: ${error.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      for (const s of signals) process.off(s, forward);
      if (signal === null) resolve(code ?? 1);
      else {
        // End the same way, so that whoever waits for this process sees the signal; should the signal not
        // end it (ignored here), exit with the status a shell reports for it.
        process.kill(process.pid, signal);
        resolve(128 + (os.constants.signals[signal] ?? 0));
      }
    });
  });
}

async function loadCli() {
  try {
    const { buildDist, distIsStale } = await import('../scripts/build.js');
    if (distIsStale()) await buildDist();
    return await import('../dist/main.js');
  } catch (error) {
    // esbuild missing (a production install) or the build failed: the sources run as they are.
    if (process.env.AUDIT_EXPLORER_DEBUG)
      process.stderr.write(`audit-explorer: running from source (${error})\n`);
    return import('../electron/cli/main.ts');
  }
}
