/**
 * The desktop window's pages come from our own `app://` protocol (the security checklist prefers a custom
 * protocol to `file://`: a page on `file://` may read any file the user can). These are its decisions as
 * plain functions: which URL is our page, and which file a URL names.
 */
import path from 'node:path';

export const APP_SCHEME = 'app';
/** The host every page of ours has: `app://audit-explorer/index.html`. */
export const APP_HOST = 'audit-explorer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the window opens. */
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/**
 * Whether a frame URL is one of our pages: the `app://audit-explorer` origin exactly. A `file://` page, an
 * `https:` page the window was somehow navigated to, a `data:`/`blob:` frame, an iframe's `about:blank` —
 * all false. `null` (a frame already gone) is false too.
 */
export function isOwnPage(frameUrl: string | null | undefined): boolean {
  if (typeof frameUrl !== 'string' || frameUrl === '') return false;
  let url: URL;
  try {
    url = new URL(frameUrl);
  } catch {
    return false;
  }
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.port === '';
}

/**
 * The file an `app://` request names inside `root` (the built renderer), or null when the URL is not ours
 * or would leave the folder (`..`, encoded separators, NUL). A path without an extension is one of the
 * UI's own routes and gets index.html, as under `serve`.
 */
export function resolveAppFile(root: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  // The URL parser has resolved literal dot segments already; an encoded one (%2e%2e, ..%2f) is an attempt.
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').includes('..')) return null;
  const relative = path.posix.normalize(decoded).replace(/^\/+/, '');
  const base = path.resolve(root);
  const name = relative === '' || path.posix.extname(relative) === '' ? 'index.html' : relative;
  const file = path.resolve(base, name);
  if (!file.startsWith(base + path.sep)) return null;
  return file;
}

/** Which links leave the app for the default browser: `https:` only (never `file:`, `javascript:`, custom). */
export function isExternalLink(target: string): boolean {
  try {
    return new URL(target).protocol === 'https:';
  } catch {
    return false;
  }
}

/** Content types the UI's build uses. */
export const APP_CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * Which permission requests are granted: none, except writing text to the clipboard from our own page
 * (the detail drawer's "copy provenance" uses `navigator.clipboard.writeText`, which Electron routes
 * through this check). Reading the clipboard, notifications from the page, media, geolocation, HID… are
 * all refused.
 */
export function allowPermission(permission: string, requestingUrl: string | null | undefined): boolean {
  return permission === 'clipboard-sanitized-write' && isOwnPage(requestingUrl);
}
