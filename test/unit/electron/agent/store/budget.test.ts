import { describe, expect, test } from 'vitest';
import { QueryTooCostlyError, SearchBudget } from '../../../../../electron/agent/store/budget.ts';

/** A clock the test moves by hand. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

const thrown = (f: () => void): QueryTooCostlyError => {
  try {
    f();
  } catch (error) {
    if (error instanceof QueryTooCostlyError) return error;
    throw error;
  }
  throw new Error('expected a QueryTooCostlyError');
};

describe('SearchBudget', () => {
  test('checks pass until the time limit, then stop the search', () => {
    const clock = manualClock();
    const budget = new SearchBudget({ timeMs: 5_000, memoryMiB: 1 }, clock.now);
    clock.advance(4_999);
    budget.check();
    clock.advance(1);
    expect(thrown(() => budget.check()).message).toBe(
      'This search stopped after 5.0 s, its time limit, before it finished. Use fewer terms, or add a field' +
        ' or time filter to narrow it.',
    );
  });

  test('past the time limit, the message names the term that matched most, when it matched a lot', () => {
    const clock = manualClock();
    const budget = new SearchBudget({ timeMs: 5_000, memoryMiB: 256 }, clock.now);
    budget.took("the free-text term 'rare'", 12);
    budget.took("the free-text term 'pr*'", 2_100_000);
    budget.took("the free-text term 'other'", 400_000);
    clock.advance(5_200);
    expect(thrown(() => budget.check()).message).toBe(
      "This search stopped after 5.2 s, its time limit: the free-text term 'pr*' matches 2.1M events. Add a" +
        ' field or time filter, or search for something rarer.',
    );
  });

  test('took() checks the time too, so a slow lookup stops the search right after it', () => {
    const clock = manualClock();
    const budget = new SearchBudget({ timeMs: 100, memoryMiB: 1 }, clock.now);
    clock.advance(150);
    expect(() => budget.took('x', 1)).toThrow(/^This search stopped after 0\.1 s/);
  });

  test('the memory budget is counted in keys of 16 bytes', () => {
    const budget = new SearchBudget({ timeMs: 1e9, memoryMiB: 1 }, () => 0);
    expect(budget.keysLeft()).toBe(65_536);
    budget.took('a', 65_000);
    expect(budget.keysLeft()).toBe(536);
    expect(budget.overMemory("the free-text term 'b'", 536).message).toBe(
      "This search would need more than its 1 MiB of memory: the free-text term 'b' matches more than 536" +
        ' events, on top of what the other terms matched. Add a field or time filter, or search for something' +
        ' rarer.',
    );
  });

  test('the scan’s scratch (a byte per row of the largest segment per key set) counts against memory', () => {
    const budget = new SearchBudget({ timeMs: 1e9, memoryMiB: 1 }, () => 0);
    for (let i = 0; i < 10; i++) budget.took(`w${i}`, 100);
    budget.reserveMarks(100_000);
    expect(() => budget.reserveMarks(200_000)).toThrow(/its 10 free-text and value lookups/);
  });
});
