// @vitest-environment happy-dom
import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CHUNK, useSearch } from '../../../renderer/hooks/useSearch.ts';
import { createMemoryClient, fixtureEvents } from '../../support/memoryClient.ts';

/** 3,000 events a minute apart, from the fixture's shapes. */
function manyEvents() {
  const base = fixtureEvents();
  return Array.from({ length: 3000 }, (_, i) => ({
    ...base[i % base.length]!,
    id: (0xb0000 + i).toString(16).padStart(32, '0'),
    ts: Date.UTC(2026, 0, 1) + i * 60_000,
  }));
}

describe('useSearch paging', () => {
  it('continues the keyset for the next chunk and lands a far jump through the histogram', async () => {
    const events = manyEvents();
    const newestFirst = [...events].sort((a, b) => b.ts! - a.ts!);
    const memory = createMemoryClient(events);
    const { result } = renderHook(() => useSearch(memory.client));
    act(() => result.current.run(''));
    await waitFor(() => expect(result.current.state.status).toBe('ok'));
    expect(result.current.rowAt(0)?.id).toBe(newestFirst[0]!.id);

    act(() => result.current.needRows(CHUNK, CHUNK + 10));
    await waitFor(() => expect(result.current.rowAt(CHUNK)?.id).toBe(newestFirst[CHUNK]!.id));
    expect(memory.calls.at(-1)!.input).toMatchObject({ cursor: String(CHUNK), limit: CHUNK });

    const far = 2_750;
    act(() => result.current.needRows(far, far + 20));
    await waitFor(() => expect(result.current.rowAt(far)?.id).toBe(newestFirst[far]!.id));
    expect(result.current.rowAt(far + 20)?.id).toBe(newestFirst[far + 20]!.id);
    const jump = memory.calls.at(-1)!.input as { query: string; limit: number };
    expect(jump.query).toMatch(/^before:\S+$/);
    // It read at most one bucket's worth, not the 2,750 rows before it.
    expect(jump.limit).toBeLessThan(far);
  });
});
