// @vitest-environment happy-dom
import { EditorView } from '@codemirror/view';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DetailDrawer } from '../../../renderer/components/DetailDrawer.tsx';
import { prettyJson, redactedRanges } from '../../../renderer/components/JsonView.tsx';
import { SearchScreen } from '../../../renderer/screens/SearchScreen.tsx';
import { createMemoryClient, fixtureEvents } from '../../support/memoryClient.ts';
import { fakeLayout } from './layout.ts';

let restore: () => void;
beforeEach(() => {
  restore = fakeLayout();
  window.history.replaceState(null, '', '/');
  localStorage.clear();
});
afterEach(() => {
  cleanup();
  restore();
});

const events = fixtureEvents();
/** The query bar's text (its DOM also holds the placeholder when empty). */
const queryText = () => EditorView.findFromDOM(screen.getByTestId('query-input'))!.state.doc.toString();
/** setPassword: carries a redacted secret in its raw line. */
const secretEvent = events.find((e) => e.action === 'setPassword')!;
const summary = (() => {
  const { raw: _raw, ...rest } = secretEvent;
  return rest;
})();

function drawer(overrides: Partial<Parameters<typeof DetailDrawer>[0]> = {}) {
  const memory = createMemoryClient(events);
  const props = {
    event: summary,
    client: memory.client,
    zone: 'utc' as const,
    onClose: vi.fn(),
    onFilter: vi.fn(),
    onPivot: vi.fn(),
    ...overrides,
  };
  render(<DetailDrawer {...props} />);
  return { props, memory };
}

describe('DetailDrawer', () => {
  it('shows the normalised fields and fetches the raw line by id and time', async () => {
    const { memory } = drawer();
    expect(within(screen.getByTestId('field-user')).getByText(secretEvent.user!)).toBeTruthy();
    expect(within(screen.getByTestId('field-action')).getByText('setPassword')).toBeTruthy();
    await waitFor(() => screen.getByTestId('raw-json'));
    expect(memory.calls.find((c) => c.method === 'events.get')?.input).toEqual({
      id: secretEvent.id,
      ts: secretEvent.ts,
    });
  });

  it('pretty-prints the raw JSON and marks [REDACTED] values (the marks are checked on screen in e2e)', async () => {
    drawer();
    const raw = await screen.findByTestId('raw-json');
    // The box is there before CodeMirror mounts into it (an effect): wait for the editor itself.
    const editor = await waitFor(() => {
      const found = raw.querySelector<HTMLElement>('.cm-editor');
      if (!found) throw new Error('The raw JSON editor has not mounted yet.');
      return found;
    });
    const view = EditorView.findFromDOM(editor)!;
    const doc = view.state.doc.toString();
    expect(doc).toBe(prettyJson(secretEvent.raw!));
    expect(doc).toContain('"newPassword": "[REDACTED]"');
    expect(redactedRanges(doc).map(([from, to]) => doc.slice(from, to))).toEqual(['"[REDACTED]"']);
  });

  it('shows provenance as source · object · line', () => {
    drawer();
    expect(screen.getByTestId('provenance').textContent).toBe(
      `${secretEvent.source} · ${secretEvent.object} · line ${secretEvent.line}`,
    );
  });

  it('filters a field in or out with its buttons', () => {
    const { props } = drawer();
    fireEvent.click(screen.getByTestId('filter-in-user'));
    fireEvent.click(screen.getByTestId('filter-out-entity'));
    expect((props.onFilter as ReturnType<typeof vi.fn>).mock.calls).toEqual([
      ['user', secretEvent.user, false],
      ['entity', secretEvent.entity, true],
    ]);
  });

  it('offers the pivots and closes on Esc', () => {
    const { props } = drawer();
    fireEvent.click(screen.getByTestId('pivot-user'));
    fireEvent.click(screen.getByTestId('pivot-txn'));
    fireEvent.click(screen.getByTestId('pivot-target'));
    fireEvent.click(screen.getByTestId('pivot-surrounding'));
    expect(
      (props.onPivot as ReturnType<typeof vi.fn>).mock.calls.map((c) => (c[0] as { kind: string }).kind),
    ).toEqual(['user', 'txn', 'target', 'surrounding']);
    fireEvent.keyDown(screen.getByTestId('detail'), { key: 'Escape' });
    expect(props.onClose).toHaveBeenCalled();
  });

  it('disables the transaction pivot for an event without one', () => {
    drawer({ event: { ...summary, txn: null } });
    expect((screen.getByTestId('pivot-txn') as HTMLButtonElement).disabled).toBe(true);
  });

  it('on the screen: Enter on a row opens it; "same user ±30 min" rewrites query and range, Back restores', async () => {
    const memory = createMemoryClient(events);
    render(<SearchScreen client={memory.client} />);
    await waitFor(() => screen.getAllByTestId('result-row'));
    const grid = screen.getByTestId('results');
    fireEvent.focus(grid);
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    fireEvent.keyDown(grid, { key: 'Enter' });
    const detail = await screen.findByTestId('detail');
    const opened = events[1]!;
    expect(within(detail).getByTestId('field-user').textContent).toContain(opened.user!);

    fireEvent.click(screen.getByTestId('pivot-user'));
    await waitFor(() => expect(queryText()).toBe(`user:${opened.user}`));
    const params = new URLSearchParams(window.location.search);
    expect(params.get('q')).toBe(`user:${opened.user}`);
    expect(params.get('range')).toMatch(/^\d{4}-\d\d-\d\dT.*Z\.\.\d{4}-.*Z$/);
    const sent = memory.calls.filter((c) => c.method === 'events.search').at(-1)!.input as { query: string };
    expect(sent.query).toMatch(
      new RegExp(`^user:${opened.user!.replace('.', '\\.')} after:\\S+ before:\\S+$`),
    );

    window.history.back();
    await waitFor(() => expect(queryText()).toBe(''));
  });
});
