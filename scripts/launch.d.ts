// Types for scripts/launch.js (plain JavaScript: it runs before Node 24 is provisioned).
export function findElectron(
  root: string,
  env?: NodeJS.ProcessEnv,
): { binary: string; missing?: undefined } | { missing: string; binary?: undefined };
export function missingDisplay(env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): string | null;
export function decideLaunch(
  root: string,
  env?: NodeJS.ProcessEnv,
  platform?: NodeJS.Platform,
): { mode: 'electron'; binary: string } | { mode: 'serve'; reason: string };
