/**
 * The UI's Content-Security-Policy, one definition for both doors: `serve` sends it with every page, the
 * desktop shell with every response of its `app://` protocol. Our own scripts and styles only, no inline
 * code, no framing.
 */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
