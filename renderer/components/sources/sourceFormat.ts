/** How the sources screen words a source's status and its runs. */
import type { MethodOutput } from '../../../shared/contract.ts';
import { formatCount } from '../../lib/format.ts';

export type SourceSummary = MethodOutput<'sources.list'>[number];
export type SyncRun = MethodOutput<'sync.runs'>[number];
export type SyncObject = MethodOutput<'sync.objects'>[number];

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
