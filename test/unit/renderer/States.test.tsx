// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

describe('states', () => {
  it('first run: an empty database offers the sample data, and loading it shows events', async () => {
    const memory = createMemoryClient(fixtureEvents());
    memory.clear();
    render(<SearchScreen client={memory.client} />);
    fireEvent.click(await screen.findByTestId('load-samples'));
    await waitFor(() => expect(screen.getByTestId('total').textContent).toBe('60'));
    expect(memory.calls.some((c) => c.method === 'samples.load')).toBe(true);
  });

  it('first run with no source configured: "Add a source" opens the sources screen with its form', async () => {
    const memory = createMemoryClient(fixtureEvents());
    memory.clear();
    render(<SearchScreen client={memory.client} />);
    const add = await screen.findByTestId('first-run-add-source');
    expect(add.getAttribute('href')).toBe('#/sources/+new');
    expect(screen.getByTestId('load-samples')).toBeTruthy();
  });

  it('empty: says what the database holds and offers to widen the time range', async () => {
    window.history.replaceState(null, '', '/?q=user%3Anobody&range=15m');
    const memory = createMemoryClient(fixtureEvents());
    render(<SearchScreen client={memory.client} />);
    const empty = await screen.findByTestId('empty');
    await waitFor(() => expect(empty.textContent).toContain('The database holds 60 events'));
    fireEvent.click(screen.getByTestId('widen-range'));
    await waitFor(() => expect(new URLSearchParams(window.location.search).get('range')).toBe('all'));
  });

  it('error: a query the engine refuses shows its message; one that does not parse is not sent', async () => {
    window.history.replaceState(null, '', '/?q=user%3Aa%20OR');
    const memory = createMemoryClient(fixtureEvents());
    render(<SearchScreen client={memory.client} />);
    expect((await screen.findByTestId('search-error')).textContent).toContain('column 8');
    expect(memory.calls.filter((c) => c.method === 'events.search')).toEqual([]);
  });

  it('live: new events arriving offer a refresh', async () => {
    const memory = createMemoryClient(fixtureEvents());
    render(<SearchScreen client={memory.client} />);
    await screen.findByTestId('total');
    memory.emit({ name: 'events.changed', payload: { total: 75, added: 15 } });
    await waitFor(() =>
      expect(document.querySelector('.banner')?.textContent).toContain('15 new events arrived'),
    );
  });
});
