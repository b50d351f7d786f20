import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { generateCorpus } from '../../bench/generate.ts';
import { DRONAHQ_FIXED } from '../../bench/corpus/dronahq.ts';
import { GRAVITEE_FIXED } from '../../bench/corpus/gravitee.ts';
import { PROPHECY_FIXED } from '../../bench/corpus/prophecy.ts';
import { fixedVocabulary, PHRASES, RARE_WORDS, TOPIC_WORDS } from '../../bench/corpus/vocab.ts';
import { listFiles, stringValues, tokens } from './readBack.ts';

const topic = new Set<string>(TOPIC_WORDS);
const fixedTokens = new Set(
  [...fixedVocabulary(), ...PROPHECY_FIXED, ...DRONAHQ_FIXED, ...GRAVITEE_FIXED].flatMap((s) => tokens(s)),
);

describe('vocabulary', () => {
  test('topic words never occur as a token of a fixed string', () => {
    expect([...topic].filter((w) => fixedTokens.has(w))).toEqual([]);
  });

  test('rare words and the phrases’ second words occur nowhere else', () => {
    const others = new Set([...topic, ...fixedTokens]);
    for (const w of RARE_WORDS) expect(others.has(w), w).toBe(false);
    for (const [a, b] of PHRASES) {
      expect(topic.has(a), a).toBe(true);
      expect(others.has(b), b).toBe(false);
    }
  });

  test('topic words are single lower-case tokens that cannot be mistaken for hex ids', () => {
    for (const w of topic) {
      expect(tokens(w)).toEqual([w]);
      expect(/^[0-9a-f]+$/.test(w), w).toBe(false);
    }
    expect(topic.size).toBeGreaterThanOrEqual(200);
  });

  test('for several seeds, the generator counts its frequent word, rare word and phrase exactly', async () => {
    const words = new Set<string>();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-vocab-'));
    try {
      for (const seed of [2, 3, 4, 5, 6]) {
        const dir = path.join(tmp, String(seed));
        const truth = await generateCorpus({ dir, seed, events: 1500, files: 6, gzipRatio: 0 });
        words.add(truth.words.frequent.word);
        const [a, b] = truth.words.phrase.text.split(' ');
        let freq = 0;
        let rare = 0;
        let phrase = 0;
        for (const file of listFiles(path.join(dir, 'data'))) {
          for (const line of fs.readFileSync(path.join(dir, 'data', file), 'utf8').split('\n')) {
            if (line === '') continue;
            const values = stringValues(JSON.parse(line)).map(tokens);
            if (values.some((t) => t.includes(truth.words.frequent.word))) freq++;
            if (values.some((t) => t.includes(truth.words.rare.word))) rare++;
            if (values.some((t) => t.some((x, i) => x === a && t[i + 1] === b))) phrase++;
          }
        }
        expect(freq, `seed ${seed}: ${truth.words.frequent.word}`).toBe(truth.words.frequent.events);
        expect(rare).toBe(truth.words.rare.events);
        expect(phrase).toBe(truth.words.phrase.events);
        expect(freq).toBeGreaterThan(0);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    expect(words.size).toBeGreaterThan(1);
  });
});
