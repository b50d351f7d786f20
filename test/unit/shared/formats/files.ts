// Reads the repo's own copies of the vendor files (never /work/shared, which the repo must not depend on).
import { readFileSync } from 'node:fs';

/** A sample file under test/fixtures/formats/, as text. */
export function fixtureText(name: string): string {
  return readFileSync(new URL(`../../../fixtures/formats/${name}`, import.meta.url), 'utf8');
}

/** A vendor table under shared/formats/tables/, as bytes. */
export function tableBytes(name: string): Buffer {
  return readFileSync(new URL(`../../../../shared/formats/tables/${name}`, import.meta.url));
}
