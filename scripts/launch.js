// What `npm start` and `npm run dist` need to know before they do anything: is the Electron binary here,
// and can a window open. Plain functions over the environment (no 'electron' import: requiring the
// electron package tries to download its binary when it is missing).
import fs from 'node:fs';
import path from 'node:path';

/**
 * The Electron executable under node_modules/electron (or $ELECTRON_OVERRIDE_DIST_PATH), as
 * `{ binary }`, or `{ missing }` with a sentence saying why there is none.
 */
export function findElectron(root, env = process.env) {
  const pkg = path.join(root, 'node_modules', 'electron');
  if (!fs.existsSync(path.join(pkg, 'package.json')))
    return { missing: 'the electron package is not installed (run npm install)' };
  let name = null;
  try {
    name = fs.readFileSync(path.join(pkg, 'path.txt'), 'utf8').trim();
  } catch {
    // No path.txt: the postinstall that downloads the binary never ran (install scripts are off).
  }
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH || path.join(pkg, 'dist');
  const binary = name ? path.join(dist, name) : null;
  if (binary === null || !fs.existsSync(binary))
    return {
      missing:
        'the Electron binary is not installed (npm skips its download because install scripts are off, see .npmrc; ' +
        'fetch it once with `node node_modules/electron/install.js`, which needs access to GitHub)',
    };
  return { binary };
}

/** Null when a window can open, else why not (Linux without DISPLAY or WAYLAND_DISPLAY). */
export function missingDisplay(env = process.env, platform = process.platform) {
  if (platform !== 'linux' && platform !== 'freebsd' && platform !== 'openbsd') return null;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return null;
  return 'no display is available (DISPLAY and WAYLAND_DISPLAY are unset)';
}

/**
 * `npm start`'s choice: `{ mode: 'electron', binary }` on a workstation, else `{ mode: 'serve', reason }`
 * with every reason the desktop window cannot open.
 */
export function decideLaunch(root, env = process.env, platform = process.platform) {
  const electron = findElectron(root, env);
  const display = missingDisplay(env, platform);
  const reasons = [display, electron.missing].filter(Boolean);
  if (reasons.length === 0 && env.AUDIT_EXPLORER_SERVE !== '1')
    return { mode: 'electron', binary: electron.binary };
  if (env.AUDIT_EXPLORER_SERVE === '1') reasons.push('AUDIT_EXPLORER_SERVE=1 asks for the web UI');
  return { mode: 'serve', reason: reasons.join('; and ') };
}
