/**
 * Queries built to hurt the engine (issue 7, items 6 and 7): deep nesting, thousands of terms, prefixes
 * that expand to everything, 10k-character text. Every one must end in a result or a clear error the user
 * can act on (exit 2 in the CLI) — never a stack overflow, a crash or a search that runs for minutes.
 * `words` are words the corpus holds, so the shapes that should match do.
 */
export interface HostileQuery {
  readonly name: string;
  readonly query: string;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** `n` items made by `f`, joined by `sep`, cut to whole items within `max` characters. */
function joined(n: number, f: (i: number) => string, sep: string, max = 10_000): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    const next = (i === 0 ? '' : sep) + f(i);
    if (out.length + next.length > max) break;
    out += next;
  }
  return out;
}

export function hostileQueries(words: readonly string[]): HostileQuery[] {
  const word = (i: number) => words[i % words.length]!;
  return [
    // The shapes: 1,665 one-letter prefixes in 9,986 characters, and `ratings OR` 909 times.
    { name: 'one-letter prefixes OR', query: joined(1665, (i) => `${LETTERS[i % 26]}*`, ' OR ') },
    { name: 'one-letter prefixes AND', query: joined(5000, (i) => `${LETTERS[i % 26]}*`, ' ') },
    { name: 'a word ORed 909 times', query: joined(909, () => word(0), ' OR ') },
    {
      name: 'two-letter prefixes OR',
      query: joined(676, (i) => `${LETTERS[i % 26]}${LETTERS[(i / 26) | 0]}*`, ' OR '),
    },
    { name: '2,000 nested parentheses', query: '('.repeat(2000) + word(0) + ')'.repeat(2000) },
    { name: '2,000 NOTs', query: 'NOT '.repeat(2000) + word(0) },
    { name: '2,000 negated groups', query: '-('.repeat(2000) + word(0) + ')'.repeat(2000) },
    { name: '10k-character phrase', query: `"${joined(2000, word, ' ', 9_998)}"` },
    { name: '10k-character word', query: 'x'.repeat(10_000) },
    { name: 'many ORs of distinct words', query: joined(2000, (i) => `${word(i)}${i}`, ' OR ') },
    { name: 'every corpus word ORed', query: joined(words.length, word, ' OR ') },
    { name: 'many negations', query: joined(2000, (i) => `-${word(i)}${i}`, ' ') },
    { name: 'many negated corpus words', query: joined(words.length, (i) => `-${word(i)}`, ' ') },
    { name: 'many field prefixes', query: joined(2000, (i) => `user:${LETTERS[i % 26]}${i}*`, ' ') },
    { name: 'many target prefixes', query: joined(300, (i) => `target:${word(i).slice(0, 3)}*`, ' OR ') },
    {
      name: 'many id prefixes',
      query: joined(256, (i) => `id:${(i % 256).toString(16).padStart(2, '0')}*`, ' OR '),
    },
    { name: 'a lone *', query: '*' },
    { name: 'stars', query: joined(3000, () => '*', ' ') },
    { name: 'empty quotes', query: '""' },
    { name: 'empty quotes repeated', query: joined(3000, () => '""', ' ') },
    { name: 'unclosed quote at the end of 10k', query: `${'a '.repeat(4_990)}"abc` },
    { name: 'unicode', query: 'ünïcødé 日本語 🔥 ﷽ \u202e مرحبا' },
    { name: 'unicode prefixes', query: joined(2000, (i) => `${String.fromCodePoint(0x4e00 + i)}*`, ' OR ') },
    { name: 'lone surrogates', query: '\ud800 \udfff a\ud800*' },
    { name: 'one-letter target prefix', query: 'target:a*' },
    { name: 'prefix of a phrase', query: `"${word(0)} ${word(1).slice(0, 1)}"*` },
    {
      name: 'hundreds of time filters',
      query: joined(2000, (i) => `after:2024-01-${String((i % 28) + 1).padStart(2, '0')}`, ' '),
    },
    { name: 'AND chain', query: joined(3000, (i) => word(i), ' AND ') },
    { name: 'over the length limit', query: `${word(0)} `.repeat(2_500) },
  ];
}
