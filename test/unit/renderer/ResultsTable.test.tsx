// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ResultsTable } from '../../../renderer/components/ResultsTable.tsx';
import { DEFAULT_COLUMNS } from '../../../renderer/components/columns.ts';
import { SearchScreen } from '../../../renderer/screens/SearchScreen.tsx';
import { createMemoryClient, fixtureEvents } from '../../support/memoryClient.ts';
import { fakeLayout } from './layout.ts';

let restore: () => void;
beforeEach(() => {
  restore = fakeLayout(1200, 600);
  window.history.replaceState(null, '', '/');
  localStorage.clear();
});
afterEach(() => {
  cleanup();
  restore();
});

const events = fixtureEvents();

function table(overrides: Partial<Parameters<typeof ResultsTable>[0]> = {}) {
  const props = {
    total: 1_000_000,
    rowAt: (i: number) => (i < events.length ? events[i] : undefined),
    version: 0,
    onNeedRows: vi.fn(),
    columns: DEFAULT_COLUMNS,
    zone: 'utc' as const,
    selected: null,
    onSelect: vi.fn(),
    onOpen: vi.fn(),
    resetKey: 'q',
    ...overrides,
  };
  render(<ResultsTable {...props} />);
  return props;
}

describe('ResultsTable', () => {
  it('renders only the visible rows of a million, with the default columns and ms timestamps', () => {
    table();
    const rows = screen.getAllByTestId('result-row');
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(80);
    const headers = screen.getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers.map((h) => h?.split(' ')[0])).toEqual([
      'Time',
      'User',
      'Entity',
      'Action',
      'Op',
      'Outcome',
      'Target',
      'Source',
    ]);
    expect(rows[0]!.textContent).toMatch(
      /^2026-03-07 12:00:00\.000alice@acme\.ioProjectreleaseProjectMutation/,
    );
  });

  it('marks failure rows with the failure class and says the outcome in words', () => {
    table();
    const failure = screen.getAllByTestId('result-row').find((r) => r.textContent?.includes('failure'))!;
    expect(failure.className).toContain('row--failure');
    expect(failure.textContent).toContain('✕');
  });

  it('asks for the rows it shows that have not arrived (keyset pages as you scroll)', async () => {
    const props = table({ rowAt: (i) => (i < 10 ? events[i] : undefined) });
    await waitFor(() => expect(props.onNeedRows).toHaveBeenCalled());
    const asked = Math.max(
      ...(props.onNeedRows as ReturnType<typeof vi.fn>).mock.calls.map((c) => c[1] as number),
    );
    expect(asked).toBeGreaterThan(10);
    expect(screen.getAllByText('Loading…').length).toBeGreaterThan(0);
  });

  it('moves with ↑/↓ and opens the selected row with Enter', () => {
    const props = table({ selected: 3 });
    const grid = screen.getByTestId('results');
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    fireEvent.keyDown(grid, { key: 'ArrowUp' });
    fireEvent.keyDown(grid, { key: 'Enter' });
    expect((props.onSelect as ReturnType<typeof vi.fn>).mock.calls).toEqual([[4], [2]]);
    expect(props.onOpen).toHaveBeenCalledWith(3);
  });

  it('shows local time when the zone is local', () => {
    table({ zone: 'local' });
    const first = screen.getAllByTestId('result-row')[0]!;
    const d = new Date(events[0]!.ts!);
    const hh = String(d.getHours()).padStart(2, '0');
    expect(first.textContent).toContain(` ${hh}:00:00.000`);
  });

  it('on the screen: the column choice persists in localStorage', async () => {
    localStorage.setItem('audit-explorer.columns', JSON.stringify(['ts', 'user', 'txn']));
    const memory = createMemoryClient(fixtureEvents());
    render(<SearchScreen client={memory.client} />);
    await waitFor(() => screen.getAllByTestId('result-row'));
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent?.split(' ')[0])).toEqual([
      'Time',
      'User',
      'Txn',
    ]);
    expect(screen.getByTestId('total').textContent).toBe('60');
  });
});
