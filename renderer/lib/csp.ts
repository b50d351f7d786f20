/**
 * What the page does to run under serve's strict Content-Security-Policy (`script-src 'self'; style-src
 * 'self'`) without a single violation report.
 *
 * CodeMirror themes itself through style-mod, which writes a `<style>` element into a document's head and
 * uses a constructed stylesheet only inside shadow roots. Our pages run under `style-src 'self'`, which
 * blocks the element (CodeMirror would render unstyled). Constructed stylesheets are CSSOM, which CSP
 * allows, so the document's mounts are routed through a stand-in root that has no `head`: style-mod then
 * adopts one constructed sheet into the real document. Adopted sheets cascade after linked ones, so
 * styles.css overrides CodeMirror's theme with one extra class of specificity.
 */
import { StyleModule } from 'style-mod';
import { z } from 'zod';

/**
 * zod (the HTTP client checks pushed events with the contract's schemas) probes `new Function` when an
 * object schema is built, to decide whether to compile validators; under `script-src 'self'` the probe is
 * refused and reported as a violation even though zod catches it. Jitless validation needs no probe. This
 * runs when the module is evaluated, so main.tsx imports it before anything that builds a schema.
 */
z.config({ jitless: true });

export function fitStrictCsp(doc: Document): void {
  routeCodeMirrorStylesThroughCssom(doc);
}

function routeCodeMirrorStylesThroughCssom(doc: Document): void {
  if (!('adoptedStyleSheets' in doc) || typeof CSSStyleSheet === 'undefined') return;
  const standIn = {
    ownerDocument: doc,
    get adoptedStyleSheets() {
      return doc.adoptedStyleSheets;
    },
    set adoptedStyleSheets(sheets: CSSStyleSheet[]) {
      doc.adoptedStyleSheets = sheets;
    },
  };
  const mount = StyleModule.mount.bind(StyleModule);
  StyleModule.mount = (root, modules, options) =>
    mount(root === doc ? (standIn as unknown as Document) : root, modules, options);
}
