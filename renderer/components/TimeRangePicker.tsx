/** The time range beside the query: presets, absolute from/to, and the UTC/local toggle. */
import * as Popover from '@radix-ui/react-popover';
import { useState } from 'react';
import { fromInputValue, toInputValue, zoneLabel } from '../lib/format.ts';
import type { TimeZoneMode } from '../lib/format.ts';
import { ALL_TIME, PRESETS, rangeLabel } from '../lib/timeRange.ts';
import type { TimeRange } from '../lib/timeRange.ts';

export interface TimeRangePickerProps {
  range: TimeRange;
  zone: TimeZoneMode;
  onChange(range: TimeRange): void;
  onZoneChange(zone: TimeZoneMode): void;
}

export function TimeRangePicker({ range, zone, onChange, onZoneChange }: TimeRangePickerProps) {
  const [open, setOpen] = useState(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const openWith = (next: boolean) => {
    if (next) {
      setFrom(toInputValue(range.kind === 'between' ? range.from : null, zone));
      setTo(toInputValue(range.kind === 'between' ? range.to : null, zone));
    }
    setOpen(next);
  };
  const pick = (r: TimeRange) => {
    onChange(r);
    setOpen(false);
  };
  const fromMs = fromInputValue(from, zone);
  const toMs = fromInputValue(to, zone);
  const invalid =
    (from !== '' && fromMs == null) ||
    (to !== '' && toMs == null) ||
    (fromMs != null && toMs != null && fromMs >= toMs);

  return (
    <div className="time-controls">
      <Popover.Root open={open} onOpenChange={openWith}>
        <Popover.Trigger asChild>
          <button
            type="button"
            className="button time-range__trigger"
            data-testid="time-range"
            aria-label={`Time range: ${rangeLabel(range, zone)}`}
          >
            {rangeLabel(range, zone)} <span aria-hidden="true">▾</span>
          </button>
        </Popover.Trigger>
        <Popover.Portal>
          <Popover.Content className="popover time-range" align="end" sideOffset={6}>
            <div className="time-range__presets" role="group" aria-label="Quick ranges">
              {PRESETS.map((p) => (
                <button
                  key={p.text}
                  type="button"
                  className="button button--ghost"
                  aria-pressed={range.kind === 'last' && range.text === p.text}
                  data-testid={`range-${p.text}`}
                  onClick={() => pick({ kind: 'last', text: p.text })}
                >
                  {p.label}
                </button>
              ))}
              <button
                type="button"
                className="button button--ghost"
                aria-pressed={range.kind === 'all'}
                data-testid="range-all"
                onClick={() => pick(ALL_TIME)}
              >
                All time
              </button>
            </div>
            <form
              className="time-range__absolute"
              onSubmit={(e) => {
                e.preventDefault();
                if (!invalid && (fromMs != null || toMs != null))
                  pick({ kind: 'between', from: fromMs, to: toMs });
              }}
            >
              <label>
                From <span className="muted">({zoneLabel(zone)})</span>
                <input
                  type="text"
                  inputMode="numeric"
                  placeholder="2026-03-07 14:00"
                  aria-describedby="range-format"
                  value={from}
                  onChange={(e) => setFrom(e.target.value)}
                  data-testid="range-from"
                />
              </label>
              <label>
                To <span className="muted">(exclusive)</span>
                <input
                  type="text"
                  inputMode="numeric"
                  placeholder="2026-03-08"
                  aria-describedby="range-format"
                  value={to}
                  onChange={(e) => setTo(e.target.value)}
                  data-testid="range-to"
                />
              </label>
              <p className="muted time-range__hint" id="range-format">
                YYYY-MM-DD or YYYY-MM-DD HH:MM; leave one empty for an open end.
              </p>
              {invalid && (
                <p className="form-error" role="alert">
                  {(from !== '' && fromMs == null) || (to !== '' && toMs == null)
                    ? 'Write the date as 2026-03-07 or 2026-03-07 14:00.'
                    : 'Set “from” before “to”.'}
                </p>
              )}
              <button
                type="submit"
                className="button button--primary"
                disabled={invalid || (fromMs == null && toMs == null)}
              >
                Apply range
              </button>
            </form>
          </Popover.Content>
        </Popover.Portal>
      </Popover.Root>
      <div className="segmented" role="group" aria-label="Time zone">
        {(['utc', 'local'] as const).map((z) => (
          <button
            key={z}
            type="button"
            aria-pressed={zone === z}
            data-testid={`zone-${z}`}
            onClick={() => onZoneChange(z)}
          >
            {z === 'utc' ? 'UTC' : 'Local'}
          </button>
        ))}
      </div>
    </div>
  );
}
