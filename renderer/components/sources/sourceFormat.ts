/** How the sources screen words its numbers and states: relative times, bytes, a source's status. */
import type { MethodOutput } from '../../../shared/contract.ts';
import { formatCount } from '../../lib/format.ts';

export type SourceSummary = MethodOutput<'sources.list'>[number];
export type SyncRun = MethodOutput<'sync.runs'>[number];
export type SyncObject = MethodOutput<'sync.objects'>[number];

const UNITS: [number, string][] = [
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
  [1000, 'second'],
];

/** "in 23 minutes", "5 hours ago", "just now" (rounded to the largest whole unit). */
export function relativeTime(ms: number, now: number): string {
  const diff = ms - now;
  const abs = Math.abs(diff);
  if (abs < 5000) return diff >= 0 ? 'in a few seconds' : 'just now';
  for (const [size, unit] of UNITS) {
    if (abs >= size) {
      const n = Math.round(abs / size);
      const words = `${n} ${unit}${n === 1 ? '' : 's'}`;
      return diff > 0 ? `in ${words}` : `${words} ago`;
    }
  }
  return 'just now';
}

/** `1.2 MB`, `512 B` (decimal units, as transfer sizes are usually given). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${formatCount(n)} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 'B';
  for (const u of units) {
    if (value < 1000) break;
    value /= 1000;
    unit = u;
  }
  return `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${unit}`;
}

export type StatusKind = 'ok' | 'syncing' | 'failing' | 'disabled' | 'never' | 'stopped';

/** What the dot and the word beside it say about a source. */
export function sourceStatus(
  source: Pick<SourceSummary, 'enabled' | 'status' | 'errors'>,
  syncing: boolean,
): { kind: StatusKind; word: string; title: string } {
  if (syncing || source.status === 'running')
    return { kind: 'syncing', word: 'syncing', title: 'A pass is running now.' };
  if (!source.enabled)
    return { kind: 'disabled', word: 'disabled', title: 'Not synced on its schedule (enable it in Edit).' };
  switch (source.status) {
    case 'never':
      return { kind: 'never', word: 'never run', title: 'No pass has run yet: press Sync now.' };
    case 'ok':
      return { kind: 'ok', word: 'ok', title: 'The last pass read every object.' };
    case 'partial':
      return {
        kind: 'failing',
        word: 'failing',
        title: `The last pass could not read ${formatCount(source.errors)} object${source.errors === 1 ? '' : 's'}; the others were read.`,
      };
    case 'failed':
      return { kind: 'failing', word: 'failing', title: 'The last pass failed: see its error.' };
    default:
      return {
        kind: 'stopped',
        word: source.status,
        title: 'The last pass was stopped before it finished; the next one continues where it stopped.',
      };
  }
}

/** A run's status in the history table, with the same dot colours. */
export function runStatusKind(status: SyncRun['status']): StatusKind {
  switch (status) {
    case 'ok':
      return 'ok';
    case 'running':
      return 'syncing';
    case 'partial':
    case 'failed':
      return 'failing';
    default:
      return 'stopped';
  }
}
