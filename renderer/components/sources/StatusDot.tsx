/** A status at a glance: a coloured dot and the word beside it (never the colour alone). */
import { relativeTime as relative } from '../../lib/zoneTime.ts';
import type { StatusKind } from './sourceFormat.ts';

export function StatusDot({ kind, word, title }: { kind: StatusKind; word: string; title?: string }) {
  return (
    <span className={`status status--${kind}`} title={title} data-testid="status">
      <span className="status__dot" aria-hidden="true" />
      {word}
    </span>
  );
}

/**
 * A time as words ("in 23 minutes") with the timestamp beside it (and on hover). `now` re-renders it as
 * time passes; the words use the clock at render time, so a run that just started never reads "in a few
 * seconds".
 */
export function When({
  ms,
  now,
  format,
  empty = '—',
}: {
  ms: number | null;
  now: number;
  format: (ms: number) => string;
  empty?: string;
}) {
  if (ms === null) return <span className="muted">{empty}</span>;
  return (
    <span className="when" title={format(ms)}>
      <span>{relative(ms, Math.max(now, Date.now()))}</span>{' '}
      <span className="when__stamp mono">{format(ms).slice(0, 19)}</span>
    </span>
  );
}
