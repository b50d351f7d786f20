/**
 * Hostile content for end-to-end tests (off for benchmarks): which files get a BOM, CRLF line endings,
 * a missing final newline, two gzip members or gzip under a plain name; which are re-exported whole;
 * where blank, malformed and duplicate lines go; where long lines and secrets replace ordinary events.
 * Every kind appears at least once; the rest follow small per-event rates. Its own random stream, so
 * the clean events before the first injection are the same as in a non-hostile corpus.
 */
import type { IsoClock } from './iso.ts';
import type { CorpusPlan, FilePlan } from './plan.ts';
import { filePath } from './plan.ts';
import { Rng } from './prng.ts';
import type { Special } from './source.ts';
import type { MalformedKind } from './truth.ts';
import { MALFORMED_KINDS } from './truth.ts';

export type Extra =
  | { kind: 'blank'; text: string }
  | { kind: 'malformed'; malformed: MalformedKind }
  | { kind: 'dup-within' }
  | { kind: 'dup-across' };

export interface FileHostility {
  bom: boolean;
  crlf: boolean;
  noFinalNewline: boolean;
  twoMembers: boolean;
  gzipWithoutExtension: boolean;
  /** Whole-file re-exports written right after this file (this file then gets no other injection). */
  copies: Array<{ path: string; gzip: boolean }>;
  /** Event index → the special event that replaces it. */
  specials: Map<number, Special>;
  /** Event index → lines inserted right after that event (never after the last event). */
  extras: Map<number, Extra[]>;
}

/** Sizes of the very long (valid) lines, in bytes. */
export const LONG_LINE_BYTES = [4 << 20, 2 << 20] as const;
const BLANKS = ['', '   ', '\t', ' \t '];
const RATE = { blank: 0.0005, malformed: 0.0005, dupWithin: 0.001, dupAcross: 0.0005 };

function empty(): FileHostility {
  return {
    bom: false,
    crlf: false,
    noFinalNewline: false,
    twoMembers: false,
    gzipWithoutExtension: false,
    copies: [],
    specials: new Map(),
    extras: new Map(),
  };
}

/** A marker no other string in the corpus contains: one full-text token, easy to grep. */
export function secretMarker(rng: Rng): string {
  return `SECRETMARKER${rng.hex(20)}`;
}

/**
 * Decides every hostile feature and mutates the plan where a feature changes a file (gzip flags and
 * names). Returns the per-file features by file index.
 */
export function planHostility(plan: CorpusPlan): Map<number, FileHostility> {
  const rng = new Rng(plan.options.seed, 0x686f7374); // 'host'
  const out = new Map<number, FileHostility>();
  const mains = plan.files.filter((f) => !f.truncated);
  for (const f of mains) out.set(f.index, empty());
  const get = (f: FilePlan): FileHostility => out.get(f.index)!;

  // Whole-file re-exports of "pristine" files: one identical copy, one with the compression toggled.
  // Taken from formats with several files, so every format keeps files for the other injections.
  const perFormat = new Map<string, number>();
  for (const f of mains) perFormat.set(f.format, (perFormat.get(f.format) ?? 0) + 1);
  // The smallest such files, so re-exported lines stay a modest share of the corpus.
  const several = (min: number): FilePlan[] => mains.filter((f) => perFormat.get(f.format)! >= min);
  const candidates = rng
    .shuffled(several(3).length > 0 ? several(3) : several(2))
    .sort((a, b) => a.events - b.events);
  const pristine = candidates.slice(0, mains.length >= 6 ? 2 : 1);
  pristine.forEach((f, i) => {
    const gzip = i === 0 ? f.gzip : !f.gzip;
    const label = `${f.hourLabel}${f.part > 0 ? `-part${f.part}` : ''}-reexport`;
    get(f).copies.push({ path: filePath({ namespace: f.namespace, hourLabel: label, part: 0 }, gzip), gzip });
  });
  const eligible = rng.shuffled(mains.filter((f) => !pristine.includes(f)));
  const at = (i: number): FilePlan => eligible[i % eligible.length]!;

  get(at(0)).bom = true;
  const gzBom = eligible.find((f, i) => i > 0 && f.gzip);
  if (gzBom) get(gzBom).bom = true;
  get(at(1)).crlf = true;
  const two = at(2);
  get(two).twoMembers = true;
  two.gzip = true;
  const noExt = at(3);
  get(noExt).gzipWithoutExtension = true;
  noExt.gzip = true;
  get(at(4)).noFinalNewline = true;
  for (const f of eligible) f.path = filePath(f, f.gzip && !get(f).gzipWithoutExtension);

  // Specials replace ordinary events; never on a forced rare/phrase position or another special.
  const source = new Map<number, Set<number>>();
  const forcedOf = (f: FilePlan): Set<number> => {
    let s = source.get(f.index);
    if (!s) {
      s = new Set();
      if (f.format === 'prophecy') {
        for (const g of [...plan.rare, ...plan.phrase]) {
          if (g >= f.formatOffset && g < f.formatOffset + f.events) s.add(g - f.formatOffset);
        }
      }
      source.set(f.index, s);
    }
    return s;
  };
  const placeSpecial = (candidates: FilePlan[], special: Special): void => {
    if (candidates.length === 0) return;
    for (let attempt = 0; attempt < 50; attempt++) {
      const f = rng.pick(candidates);
      const k = rng.int(f.events);
      const h = get(f);
      if (forcedOf(f).has(k) || h.specials.has(k)) continue;
      h.specials.set(k, special);
      return;
    }
  };
  const prophecy = eligible.filter((f) => f.format === 'prophecy');
  const plain = prophecy.filter((f) => !f.gzip);
  const gzipped = prophecy.filter((f) => f.gzip);
  placeSpecial(plain.length ? plain : prophecy, { kind: 'long', bytes: LONG_LINE_BYTES[0] });
  placeSpecial(gzipped.length ? gzipped : prophecy, { kind: 'long', bytes: LONG_LINE_BYTES[1] });
  placeSpecial(prophecy, { kind: 'setPassword', marker: secretMarker(rng) });
  const drona = eligible.filter((f) => f.format === 'dronahq');
  const logger = drona.filter((f) => f.shape === 'logger');
  const rows = drona.filter((f) => f.shape === 'row');
  placeSpecial(logger.length ? logger : drona, { kind: 'apiKey', marker: secretMarker(rng) });
  placeSpecial(logger.length ? logger : drona, { kind: 'authorization', marker: secretMarker(rng) });
  placeSpecial(rows.length ? rows : drona, { kind: 'clientSecret', marker: secretMarker(rng) });

  // Extra lines after event k (k < events - 1, so a file always ends with an event).
  const addExtra = (f: FilePlan, k: number, e: Extra): void => {
    const h = get(f);
    const list = h.extras.get(k);
    if (list) list.push(e);
    else h.extras.set(k, [e]);
  };
  const roomy = eligible.filter((f) => f.events >= 2);
  const seenFormat = new Set<string>();
  const hasEarlier = new Set<number>();
  for (const f of plan.files) {
    if (f.truncated) continue;
    if (seenFormat.has(f.format)) hasEarlier.add(f.index);
    seenFormat.add(f.format);
  }
  const place = (candidates: FilePlan[], e: Extra): void => {
    if (candidates.length === 0) return;
    const f = rng.pick(candidates);
    addExtra(f, rng.int(f.events - 1), e);
  };
  for (const kind of MALFORMED_KINDS) place(roomy, { kind: 'malformed', malformed: kind });
  for (const text of BLANKS.slice(0, 3)) place(roomy, { kind: 'blank', text });
  place(roomy, { kind: 'dup-within' });
  place(roomy, { kind: 'dup-within' });
  const acrossOk = roomy.filter((f) => hasEarlier.has(f.index));
  place(acrossOk, { kind: 'dup-across' });
  place(acrossOk, { kind: 'dup-across' });
  for (const f of roomy) {
    const times = (rate: number): number => Math.floor(f.events * rate + rng.float());
    for (let i = times(RATE.blank); i > 0; i--)
      addExtra(f, rng.int(f.events - 1), { kind: 'blank', text: rng.pick(BLANKS) });
    for (let i = times(RATE.malformed); i > 0; i--) {
      addExtra(f, rng.int(f.events - 1), { kind: 'malformed', malformed: rng.pick(MALFORMED_KINDS) });
    }
    for (let i = times(RATE.dupWithin); i > 0; i--)
      addExtra(f, rng.int(f.events - 1), { kind: 'dup-within' });
    if (hasEarlier.has(f.index)) {
      for (let i = times(RATE.dupAcross); i > 0; i--)
        addExtra(f, rng.int(f.events - 1), { kind: 'dup-across' });
    }
  }
  return out;
}

/** Builds a malformed line. `prev` is the last ordinary event line of the file. */
export function malformedLine(
  kind: MalformedKind,
  prevLine: string,
  ts: number,
  rng: Rng,
  clock: IsoClock,
): string | Buffer {
  const prev =
    prevLine !== ''
      ? prevLine
      : `{"opType": "Query", "createdAt": ${ts}, "nameHints": ["getDetails"], "userEmail": "prophecy-system@prophecy.io"}`;
  switch (kind) {
    case 'truncated-json':
      return prev.slice(0, Math.max(10, Math.floor(prev.length * (0.3 + 0.5 * rng.float()))));
    case 'trailing-comma':
      // The vendor's documented example, flattened to one line: trailing commas are not JSON.
      return `{"level": "info", "msg": "User Logged In", "meta": {"time": ${ts}, "organization-id": "DRONA5_Team1809", "event-id": "user_logged_in",},}`;
    case 'plain-text':
      return `${clock.format(ts)} WARN exporter: retrying upload of batch ${rng.range(1, 999)} (connection reset by peer)`;
    case 'json-array':
      return `[${prev}]`;
    case 'json-number':
      return `${ts}`;
    case 'unknown-object':
      return `{"event": "heartbeat", "exporter": "uevents", "seq": ${rng.range(1, 99999)}, "ok": true}`;
    case 'invalid-utf8':
      return Buffer.concat([
        Buffer.from(`{"opType": "Query", "createdAt": ${ts}, `, 'latin1'),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
        Buffer.from(' "nameHints": ["getDetails"]}', 'latin1'),
      ]);
    case 'nul-bytes':
      // What a crash leaves behind: a run of NULs, then the start of a line.
      return '\0'.repeat(32) + prev.slice(0, 40);
  }
}
