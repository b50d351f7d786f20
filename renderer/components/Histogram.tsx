/**
 * The strip of matches over time, stacked by outcome. Dragging selects a range and a click on a bar zooms
 * to that bucket; both become the time range of the next search.
 */
import { useRef, useState } from 'react';
import type { PointerEvent as ReactPointerEvent } from 'react';
import type { SearchResult } from '../api/types.ts';
import { formatCount, formatSpan, formatTimestamp } from '../lib/format.ts';
import type { TimeZoneMode } from '../lib/format.ts';

const BAR = 10;
const HEIGHT = 60;
/** Bottom to top: the colour order the legend and the table use too. */
const STACK = ['success', 'unknown', 'failure'] as const;

export interface HistogramProps {
  histogram: NonNullable<SearchResult['histogram']>;
  zone: TimeZoneMode;
  onSelect(from: number, to: number): void;
}

export function Histogram({ histogram, zone, onSelect }: HistogramProps) {
  const { from, bucketMs, counts, byOutcome } = histogram;
  const n = counts.length;
  const max = Math.max(1, ...counts);
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ start: number; end: number } | null>(null);

  const bucketAt = (clientX: number): number => {
    const rect = svg.current!.getBoundingClientRect();
    const x = rect.width > 0 ? (clientX - rect.left) / rect.width : 0;
    return Math.min(n - 1, Math.max(0, Math.floor(x * n)));
  };
  const down = (e: ReactPointerEvent<SVGSVGElement>) => {
    if (e.button !== 0 || n === 0) return;
    svg.current!.setPointerCapture?.(e.pointerId);
    const b = bucketAt(e.clientX);
    setDrag({ start: b, end: b });
  };
  const move = (e: ReactPointerEvent<SVGSVGElement>) => {
    if (drag) setDrag({ ...drag, end: bucketAt(e.clientX) });
  };
  const up = (e: ReactPointerEvent<SVGSVGElement>) => {
    if (!drag) return;
    const end = bucketAt(e.clientX);
    const lo = Math.min(drag.start, end);
    const hi = Math.max(drag.start, end);
    setDrag(null);
    onSelect(from + lo * bucketMs, from + (hi + 1) * bucketMs);
  };

  const sel = drag ? { lo: Math.min(drag.start, drag.end), hi: Math.max(drag.start, drag.end) } : null;
  return (
    <figure className="histogram" aria-label="Matches over time by outcome">
      <svg
        ref={svg}
        className="histogram__chart"
        data-testid="histogram"
        viewBox={`0 0 ${n * BAR} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Histogram: ${n} buckets of ${formatSpan(bucketMs)}; drag to select a range, click a bar to zoom`}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={() => setDrag(null)}
      >
        {counts.map((total, i) => {
          let y = HEIGHT;
          return (
            <g key={i} className="histogram__bar">
              <title>
                {`${formatTimestamp(from + i * bucketMs, zone).slice(0, 19)} · ${formatCount(total)} events (✓ ${formatCount(byOutcome.success[i] ?? 0)} · ✕ ${formatCount(byOutcome.failure[i] ?? 0)} · ? ${formatCount(byOutcome.unknown[i] ?? 0)})`}
              </title>
              <rect className="histogram__hit" x={i * BAR} y={0} width={BAR} height={HEIGHT} />
              {STACK.map((outcome) => {
                const value = byOutcome[outcome][i] ?? 0;
                if (value === 0) return null;
                const h = Math.max(1, (value / max) * (HEIGHT - 2));
                y -= h;
                return (
                  <rect
                    key={outcome}
                    className={`histogram__seg outcome-fill--${outcome}`}
                    x={i * BAR + 1}
                    y={y}
                    width={BAR - 2}
                    height={h}
                  />
                );
              })}
            </g>
          );
        })}
        {sel && (
          <rect
            className="histogram__selection"
            x={sel.lo * BAR}
            y={0}
            width={(sel.hi - sel.lo + 1) * BAR}
            height={HEIGHT}
          />
        )}
      </svg>
      <figcaption className="histogram__legend">
        {(['success', 'failure', 'unknown'] as const).map((o) => (
          <span key={o} className="legend-item">
            <span className={`swatch outcome-fill--${o}`} aria-hidden="true" /> <OutcomeIcon outcome={o} />{' '}
            {o}
          </span>
        ))}
        <span className="muted">· {formatSpan(bucketMs)} per bar · drag to select, click to zoom</span>
      </figcaption>
    </figure>
  );
}

/** The mark that goes with an outcome's colour, so colour is never the only signal. */
export function OutcomeIcon({ outcome }: { outcome: string }) {
  const icon = outcome === 'success' ? '✓' : outcome === 'failure' ? '✕' : '?';
  return (
    <span className={`outcome-icon outcome--${outcome}`} aria-hidden="true">
      {icon}
    </span>
  );
}
