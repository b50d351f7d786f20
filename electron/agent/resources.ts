import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | null = null;

/**
 * A path inside the project (the folder holding Audit Explorer's package.json), found from this module's
 * location so it is right from the sources and from the bundles in dist/ alike.
 */
export function projectPath(...parts: string[]): string {
  if (root === null) {
    let dir = path.dirname(fileURLToPath(import.meta.url));
    for (;;) {
      const manifest = path.join(dir, 'package.json');
      if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'audit-explorer')
        break;
      const parent = path.dirname(dir);
      if (parent === dir)
        throw new Error(
          'Cannot find the Audit Explorer folder (its package.json) above ' + fileURLToPath(import.meta.url),
        );
      dir = parent;
    }
    root = dir;
  }
  return path.join(root, ...parts);
}
