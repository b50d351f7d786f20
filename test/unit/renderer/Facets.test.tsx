// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Facets } from '../../../renderer/components/Facets.tsx';
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

const facets = {
  user: {
    values: [
      { value: 'alice@acme.io', count: 20 },
      { value: 'bob@acme.io', count: 5 },
    ],
    other: 3,
    distinct: 4,
  },
  outcome: {
    values: [
      { value: 'failure', count: 9 },
      { value: null, count: 1 },
    ],
    other: 0,
    distinct: 2,
  },
};

describe('Facets', () => {
  it('adds field:value on click and -field:value on alt-click or with the exclude button', () => {
    const onToggle = vi.fn();
    const { client } = createMemoryClient([]);
    render(<Facets facets={facets} query="" countedQuery="" client={client} onToggle={onToggle} />);
    fireEvent.click(screen.getByTestId('facet-value-user-alice@acme.io'));
    fireEvent.click(screen.getByTestId('facet-value-user-bob@acme.io'), { altKey: true });
    fireEvent.click(screen.getByTestId('facet-exclude-outcome-failure'));
    expect(onToggle.mock.calls).toEqual([
      ['user', 'alice@acme.io', false],
      ['user', 'bob@acme.io', true],
      ['outcome', 'failure', true],
    ]);
  });

  it('shows exact counts, the distinct count, which values the query holds, and "more…" for the rest', () => {
    const { client } = createMemoryClient([]);
    render(
      <Facets
        facets={facets}
        query="-user:bob@acme.io user:alice@acme.io"
        countedQuery=""
        client={client}
        onToggle={() => {}}
      />,
    );
    const user = screen.getByTestId('facet-user');
    expect(within(user).getByText('4')).toBeTruthy();
    expect(screen.getByTestId('facet-value-user-alice@acme.io').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('facet-exclude-user-bob@acme.io').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('facet-more-user').textContent).toContain('2 values, 3 events');
    expect(screen.queryByTestId('facet-more-outcome')).toBeNull();
    // Events without a value cannot be filtered by it: shown, not clickable.
    expect((screen.getByTestId('facet-value-outcome-(none)') as HTMLButtonElement).disabled).toBe(true);
  });

  it('on the screen: a click rewrites the query bar and searches, a second click takes the term out', async () => {
    const memory = createMemoryClient(fixtureEvents());
    render(<SearchScreen client={memory.client} />);
    await waitFor(() => screen.getByTestId('facet-value-user-alice@acme.io'));
    await act(async () => fireEvent.click(screen.getByTestId('facet-value-user-alice@acme.io')));
    await waitFor(() => expect(screen.getByTestId('query-input').textContent).toBe('user:alice@acme.io'));
    await waitFor(() => expect(screen.getByTestId('total').textContent).toBe('20'));
    expect(new URLSearchParams(window.location.search).get('q')).toBe('user:alice@acme.io');

    await act(async () => fireEvent.click(screen.getByTestId('facet-value-entity-User'), { altKey: true }));
    await waitFor(() =>
      expect(screen.getByTestId('query-input').textContent).toBe('user:alice@acme.io -entity:User'),
    );
    await waitFor(() => expect(screen.getByTestId('total').textContent).toBe('10'));
    const searched = memory.calls
      .filter((c) => c.method === 'events.search')
      .map((c) => (c.input as { query: string }).query);
    expect(searched).toContain('user:alice@acme.io -entity:User');

    await act(async () => fireEvent.click(screen.getByTestId('facet-value-user-alice@acme.io')));
    await waitFor(() => expect(screen.getByTestId('query-input').textContent).toBe('-entity:User'));
  });

  it('"more…" lists the long tail with events.facet and a bigger limit', async () => {
    const memory = createMemoryClient(fixtureEvents());
    render(
      <Facets
        facets={facets}
        query=""
        countedQuery="outcome:success"
        client={memory.client}
        onToggle={() => {}}
      />,
    );
    fireEvent.click(screen.getByTestId('facet-more-user'));
    const dialog = await screen.findByTestId('facet-dialog');
    await waitFor(() => within(dialog).getByText('carol@acme.io'));
    expect(memory.calls.find((c) => c.method === 'events.facet')?.input).toEqual({
      query: 'outcome:success',
      field: 'user',
      limit: 1000,
    });
  });
});
