// preinstall: when the machine's Node is older than 24, put Node 24 (from the npm registry) into .tools/
// so that the `audit-explorer` bin and the npm scripts can run on it.
import { createRequire } from 'node:module';

const { REQUIRED_MAJOR, currentMajor, provision } = createRequire(import.meta.url)('./node24.cjs');

if (currentMajor() < REQUIRED_MAJOR) provision();
