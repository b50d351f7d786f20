/**
 * The result rows, virtualized: the list is as tall as the total, rows arrive page by page (keyset cursor)
 * as they scroll into view, and only the visible ones are in the DOM.
 */
import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import type { AuditEvent } from '../api/types.ts';
import { formatTimestamp } from '../lib/format.ts';
import type { TimeZoneMode } from '../lib/format.ts';
import { COLUMNS, DEFAULT_COLUMNS, cellText } from './columns.ts';
import type { ColumnKey } from './columns.ts';
import { OutcomeIcon } from './Histogram.tsx';

const ROW_HEIGHT = 28;
/** The sticky header's height: rows start below it inside the scroller. */
const HEAD_HEIGHT = 30;

export interface ResultsTableProps {
  total: number;
  /** The row at an index, or undefined while its page has not arrived. */
  rowAt(index: number): AuditEvent | undefined;
  /** Changes whenever rows arrive, so the visible ones re-render. */
  version: number;
  /** Asks for the rows first..last (the visible ones) to be loaded. */
  onNeedRows(first: number, last: number): void;
  columns: readonly ColumnKey[];
  zone: TimeZoneMode;
  selected: number | null;
  onSelect(index: number): void;
  onOpen(index: number): void;
  /** A new search resets the scroll position. */
  resetKey: string;
}

export function ResultsTable(props: ResultsTableProps) {
  const { total, rowAt, version, onNeedRows, columns, zone, selected, onSelect, onOpen, resetKey } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
    scrollMargin: HEAD_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const first = items.length > 0 ? items[0]!.index : -1;
  const last = items.length > 0 ? items[items.length - 1]!.index : -1;

  useEffect(() => {
    if (last >= 0) onNeedRows(first, last);
  }, [first, last, version, onNeedRows]);

  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [resetKey]);

  // The grid's column tracks are a CSS variable set through the CSSOM (allowed by a strict style-src).
  const table = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const defs = columns.map((k) => COLUMNS.find((c) => c.key === k)!);
    table.current?.style.setProperty('--columns', defs.map((c) => c.width).join(' '));
    table.current?.style.setProperty('--table-min', `${defs.reduce((n, c) => n + c.min, 1)}rem`);
  }, [columns]);
  useLayoutEffect(() => {
    scroller.current
      ?.querySelector<HTMLElement>('.rows')
      ?.style.setProperty('--rows-height', `${virtualizer.getTotalSize()}px`);
  });

  const move = (index: number) => {
    const clamped = Math.max(0, Math.min(total - 1, index));
    onSelect(clamped);
    virtualizer.scrollToIndex(clamped, { align: 'auto' });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (total === 0) return;
    const page = Math.max(
      1,
      Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1,
    );
    const current = selected ?? -1;
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(current + 1),
      ArrowUp: () => move(Math.max(0, current - 1)),
      PageDown: () => move(current + page),
      PageUp: () => move(current - page),
      Home: () => move(0),
      End: () => move(total - 1),
      Enter: () => selected != null && onOpen(selected),
    };
    const action = keys[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  };

  return (
    <div className="results" ref={table}>
      <div
        className="results__body"
        ref={scroller}
        tabIndex={0}
        role="grid"
        aria-label="Results: ↑/↓ to move, Enter to open"
        aria-rowcount={total}
        aria-activedescendant={selected != null ? `row-${selected}` : undefined}
        data-testid="results"
        onKeyDown={onKeyDown}
        onFocus={() => selected == null && total > 0 && onSelect(0)}
      >
        {/* Inside the scroller (sticky) so it scrolls sideways with the rows. */}
        <div className="results__head" role="row">
          {columns.map((key) => (
            <div key={key} role="columnheader" className={`cell cell--${key}`}>
              {COLUMNS.find((c) => c.key === key)!.label}
              {key === 'ts' && (
                <span className="muted"> ▾ newest first, {zone === 'utc' ? 'UTC' : 'local'}</span>
              )}
            </div>
          ))}
        </div>
        <div className="rows">
          {items.map((item) => {
            const event = rowAt(item.index);
            return (
              <Row
                key={item.key}
                index={item.index}
                start={item.start - HEAD_HEIGHT}
                event={event}
                columns={columns}
                zone={zone}
                selected={selected === item.index}
                onClick={() => {
                  onSelect(item.index);
                  if (event) onOpen(item.index);
                }}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

function Row({
  index,
  start,
  event,
  columns,
  zone,
  selected,
  onClick,
}: {
  index: number;
  start: number;
  event: AuditEvent | undefined;
  columns: readonly ColumnKey[];
  zone: TimeZoneMode;
  selected: boolean;
  onClick(): void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    ref.current?.style.setProperty('--row-top', `${start}px`);
  }, [start]);
  const classes = [
    'row',
    event?.outcome === 'failure' ? 'row--failure' : '',
    selected ? 'row--selected' : '',
    event ? '' : 'row--loading',
  ];
  return (
    <div
      ref={ref}
      id={`row-${index}`}
      role="row"
      aria-rowindex={index + 1}
      aria-selected={selected}
      className={classes.filter(Boolean).join(' ')}
      data-testid="result-row"
      data-index={index}
      onClick={onClick}
    >
      {event ? (
        columns.map((key) => <Cell key={key} event={event} column={key} zone={zone} />)
      ) : (
        <div role="gridcell" className="cell cell--placeholder">
          Loading…
        </div>
      )}
    </div>
  );
}

function Cell({ event, column, zone }: { event: AuditEvent; column: ColumnKey; zone: TimeZoneMode }) {
  if (column === 'ts') {
    return (
      <div role="gridcell" className="cell cell--ts mono">
        {formatTimestamp(event.ts, zone)}
      </div>
    );
  }
  if (column === 'outcome') {
    return (
      <div role="gridcell" className={`cell cell--outcome outcome--${event.outcome}`}>
        <OutcomeIcon outcome={event.outcome} /> {event.outcome}
      </div>
    );
  }
  const text = cellText(event, column);
  return (
    <div role="gridcell" className={`cell cell--${column}`} title={text || undefined}>
      {text || <span className="muted">—</span>}
    </div>
  );
}

export function ColumnChooser({
  columns,
  onChange,
}: {
  columns: readonly ColumnKey[];
  onChange(columns: ColumnKey[]): void;
}) {
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger asChild>
        <button
          type="button"
          className="button button--ghost column-chooser"
          aria-label="Choose columns"
          data-testid="column-chooser"
        >
          ⚙ Columns
        </button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="popover menu" align="end" sideOffset={4}>
          <DropdownMenu.Label className="menu__label">Columns</DropdownMenu.Label>
          {COLUMNS.map((c) => (
            <DropdownMenu.CheckboxItem
              key={c.key}
              className="menu__item"
              checked={columns.includes(c.key)}
              disabled={c.key === 'ts'}
              data-testid={`column-${c.key}`}
              onSelect={(e) => e.preventDefault()}
              onCheckedChange={(on) =>
                onChange(COLUMNS.map((x) => x.key).filter((k) => (k === c.key ? on : columns.includes(k))))
              }
            >
              <DropdownMenu.ItemIndicator className="menu__check">✓</DropdownMenu.ItemIndicator>
              {c.label}
            </DropdownMenu.CheckboxItem>
          ))}
          <DropdownMenu.Separator className="menu__separator" />
          <DropdownMenu.Item className="menu__item" onSelect={() => onChange([...DEFAULT_COLUMNS])}>
            Reset to defaults
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
