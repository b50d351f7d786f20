import type { NotNode, QueryNode, Span, TextNode } from '../../../shared/query/index.ts';
import { QueryTooCostlyError, type SearchBudget } from './budget.ts';
import { DICT_FIELDS, fold, TEXT_DICT_FIELDS, type DictReader, type TextDictField } from './dict.ts';
import { keyAtOrAfter, MIN_TIMED_KEY } from './eventKey.ts';
import { ftsPhrase, tokenize, type PrefixVocabulary } from './fullText.ts';
import type { Db } from './open.ts';
import type { RawReader } from './rawBlocks.ts';
import type { SegmentColumn } from './segments.ts';

/**
 * A query the parser accepted but the engine cannot run as written (a search word with no letters or
 * digits, a malformed event id). Points at the offending part like a syntax error.
 */
export class QueryError extends Error {
  override name = 'QueryError';
  readonly span: Span;
  readonly column: number;
  constructor(message: string, span: Span) {
    super(`${message} (column ${span.start + 1})`);
    this.span = span;
    this.column = span.start + 1;
  }
}

/**
 * What a row must satisfy. `col`: the row's dictionary id in a segment column is set in `mask`. `set`:
 * the row's key is in a sorted list (full-text matches, and fields kept out of the segments). `range`: the
 * row's key is in [lo, hi).
 */
export type Pred =
  | { kind: 'col'; col: SegmentColumn; mask: Uint8Array }
  | { kind: 'set'; keys: Float64Array }
  | { kind: 'range'; lo: number; hi: number }
  | { kind: 'and'; preds: Pred[] }
  | { kind: 'or'; preds: Pred[] }
  | { kind: 'not'; pred: Pred }
  | { kind: 'const'; value: boolean };

export interface Plan {
  readonly pred: Pred;
  /** Key range every match lies in: the query's top-level time bounds. */
  readonly lo: number;
  readonly hi: number;
  /** The top-level time bounds in epoch ms, when the query has them (for the histogram's axis). */
  readonly from: number | null;
  readonly to: number | null;
}

export interface PlanContext {
  readonly db: Db;
  readonly dict: DictReader;
  readonly raw: RawReader;
  /** "Now" for `last:` (epoch ms). */
  readonly now: number;
  /** An unfinished retention run's horizon: timed events below it count as deleted already. */
  readonly horizon?: number | null;
  /** What the search may still spend; every lookup is counted against it. */
  readonly budget: SearchBudget;
  /** The events' index's words by prefix, to refuse a prefix before FTS5 expands it. */
  readonly vocabulary: PrefixVocabulary;
}

/**
 * Terms a query may have once repeats are merged (the normaliser drops them). Each term is at least one
 * index lookup and one key set; 256 is more than any hand-written query, few enough to plan in milliseconds.
 */
export const MAX_TERMS = 256;
/** Letters or digits a free-text prefix needs: `a*` expands to every word starting with a (23k at 1M events). */
export const MIN_PREFIX_CHARS = 2;
/** Different words one free-text prefix may stand for: FTS5 merges the postings of every one of them. */
export const MAX_PREFIX_WORDS = 10_000;

const TRUE: Pred = { kind: 'const', value: true };
const FALSE: Pred = { kind: 'const', value: false };
const OUTCOME_CODE: Record<string, number> = { success: 0, failure: 1, unknown: 2 };

/** Turns a parsed (normalised) query into a plan. */
export function planQuery(node: QueryNode | null, ctx: PlanContext): Plan {
  checkTermCount(node);
  let lo = -Number.MAX_SAFE_INTEGER;
  let hi = Number.MAX_SAFE_INTEGER;
  let from: number | null = null;
  let to: number | null = null;
  // Top-level time bounds become the key range every other part is evaluated in (the FTS rowid range,
  // the segments' binary search); time bounds nested in OR/NOT stay predicates.
  const rest: QueryNode[] = [];
  for (const part of node === null ? [] : node.kind === 'and' ? node.nodes : [node]) {
    const bound = timeBound(part, ctx.now);
    if (bound === null) {
      rest.push(part);
      continue;
    }
    if (bound.from !== null) from = Math.max(from ?? -Infinity, bound.from);
    if (bound.to !== null) to = Math.min(to ?? Infinity, bound.to);
  }
  if (from !== null) lo = keyAtOrAfter(from);
  if (to !== null) hi = keyAtOrAfter(to);
  // Any time bound excludes events that have no time.
  if (from !== null || to !== null) lo = Math.max(lo, MIN_TIMED_KEY);
  const planner = new Planner(ctx, lo, hi);
  let pred = rest.length === 0 ? TRUE : planner.and(rest);
  if (ctx.horizon != null) {
    pred = {
      kind: 'and',
      preds: [pred, { kind: 'not', pred: { kind: 'range', lo: MIN_TIMED_KEY, hi: ctx.horizon } }],
    };
  }
  return { pred: simplify(pred), lo, hi, from, to };
}

/** Refuses a query of more than {@link MAX_TERMS} terms, pointing at the first one over. */
function checkTermCount(node: QueryNode | null): void {
  const terms: QueryNode[] = [];
  const walk = (n: QueryNode): void => {
    if (n.kind === 'not') walk(n.node);
    else if (n.kind === 'and' || n.kind === 'or') n.nodes.forEach(walk);
    else terms.push(n);
  };
  if (node !== null) walk(node);
  if (terms.length <= MAX_TERMS) return;
  const first = terms.sort((a, b) => a.span.start - b.span.start)[MAX_TERMS]!;
  throw new QueryTooCostlyError(
    `This query has ${terms.length.toLocaleString('en-US')} different terms; the limit is ${MAX_TERMS}` +
      ` (term ${MAX_TERMS + 1} is at column ${first.span.start + 1}). Search for fewer words or values, or` +
      ' split it into several searches.',
    first.span,
  );
}

function timeBound(node: QueryNode, now: number): { from: number | null; to: number | null } | null {
  if (node.kind === 'time')
    return node.bound === 'after' ? { from: node.ms, to: null } : { from: null, to: node.ms };
  if (node.kind === 'last') return { from: now - node.ms, to: null };
  return null;
}

class Planner {
  private readonly ctx: PlanContext;
  private readonly lo: number;
  private readonly hi: number;

  constructor(ctx: PlanContext, lo: number, hi: number) {
    this.ctx = ctx;
    this.lo = lo;
    this.hi = hi;
  }

  node(node: QueryNode): Pred {
    switch (node.kind) {
      case 'and':
        return this.and(node.nodes);
      case 'or': {
        // Words ORed together are one lookup, not one per word (`a OR b OR …` of hundreds of words).
        const texts = node.nodes.filter((n): n is TextNode => n.kind === 'text');
        if (texts.length < 2) return { kind: 'or', preds: node.nodes.map((n) => this.node(n)) };
        const others = node.nodes.filter((n) => n.kind !== 'text').map((n) => this.node(n));
        return { kind: 'or', preds: [this.anyText(texts), ...others] };
      }
      case 'not':
        return { kind: 'not', pred: this.node(node.node) };
      case 'text':
        return this.text([node]);
      case 'time':
        return node.bound === 'after'
          ? { kind: 'range', lo: keyAtOrAfter(node.ms), hi: Number.MAX_SAFE_INTEGER }
          : { kind: 'range', lo: MIN_TIMED_KEY, hi: keyAtOrAfter(node.ms) };
      case 'last':
        return { kind: 'range', lo: keyAtOrAfter(this.ctx.now - node.ms), hi: Number.MAX_SAFE_INTEGER };
      case 'field':
        return this.field(node);
    }
  }

  and(nodes: readonly QueryNode[]): Pred {
    const texts = nodes.filter((n): n is TextNode => n.kind === 'text');
    // `-a -b -c` is NOT (a OR b OR c): one lookup for all the excluded words.
    const negated = nodes.filter(
      (n): n is NotNode & { node: TextNode } => n.kind === 'not' && n.node.kind === 'text',
    );
    const combine = negated.length > 1;
    const others = nodes
      .filter((n) => n.kind !== 'text' && !(combine && negated.includes(n as NotNode & { node: TextNode })))
      .map((n) => this.node(n));
    if (combine) others.unshift({ kind: 'not', pred: this.anyText(negated.map((n) => n.node)) });
    if (texts.length > 0) others.unshift(this.text(texts));
    return { kind: 'and', preds: others };
  }

  /** What a search needs of one free-text term: checked, with its FTS5 phrase and its dictionary matches. */
  private term(node: TextNode): { phrase: string; label: string; inDict: Pred | null } {
    const words = tokenize(node.text);
    if (words.length === 0) {
      throw new QueryError(
        `"${node.text}" has no letters or digits to search for; search for a word, or use a field such as action:`,
        node.span,
      );
    }
    const star = node.prefix ? '*' : '';
    const label = `the free-text term ${node.phrase ? `"${node.text}"${star}` : `'${node.text}${star}'`}`;
    if (node.prefix) this.checkPrefix(words, node, label);
    const phrase = ftsPhrase(node.text, node.prefix);
    return { phrase, label, inDict: this.dictMatches(phrase) };
  }

  /**
   * Free-text terms of which any may match: one MATCH of all of them ORed (one statement and one key set
   * however many words), ORed with each term's dictionary matches.
   */
  private anyText(nodes: readonly TextNode[]): Pred {
    const terms = nodes.map((node) => this.term(node));
    const label =
      terms.length <= 2
        ? terms.map((t) => t.label).join(' or ')
        : `${terms[0]!.label} and ${terms.length - 1} other free-text terms together`;
    const keys = this.ftsKeys(terms.map((t) => t.phrase).join(' OR '), label);
    const preds: Pred[] = [{ kind: 'set', keys: Float64Array.from(keys) }];
    for (const term of terms) if (term.inDict !== null) preds.push(term.inDict);
    return { kind: 'or', preds };
  }

  /**
   * Free-text terms that must all match. A term matches an event when the event's own text holds it (the
   * events' index) or when one of the event's dictionary values holds it (a user, an action, a user agent:
   * the dictionary's index, which becomes masks on the columns). Terms that no dictionary value holds go
   * to the events' index as one MATCH, which intersects them far faster than a scan could.
   */
  private text(nodes: readonly TextNode[]): Pred {
    const terms = nodes.map((node) => this.term(node));
    const plain = terms.filter((t) => t.inDict === null);
    const preds: Pred[] = [];
    if (plain.length > 0) {
      const expression = plain.map((t) => t.phrase).join(' AND ');
      const label = plain.length === 1 ? plain[0]!.label : `the free-text terms together`;
      preds.push({ kind: 'set', keys: Float64Array.from(this.ftsKeys(expression, label)) });
    }
    for (const term of terms) {
      if (term.inDict === null) continue;
      preds.push({
        kind: 'or',
        preds: [{ kind: 'set', keys: Float64Array.from(this.ftsKeys(term.phrase, term.label)) }, term.inDict],
      });
    }
    return { kind: 'and', preds };
  }

  /**
   * Refuses a prefix FTS5 would have to expand into too much: a lone word shorter than
   * {@link MIN_PREFIX_CHARS} (unless the index keeps a prefix index of its length — ours has none: `a*`
   * merges the postings of 23k words at 1M events), or one that stands for more than {@link MAX_PREFIX_WORDS} words or matches more events than
   * the search may hold. The vocabulary says so from the index's term list, before the expensive merge.
   */
  private checkPrefix(words: readonly string[], node: { text: string; span: Span }, label: string): void {
    const last = words[words.length - 1]!;
    const at = `at column ${node.span.start + 1}`;
    const { budget, vocabulary } = this.ctx;
    const chars = [...last].length;
    // A prefix index of this length answers without expanding (the memory budget still bounds the rows).
    if (vocabulary.indexed.has(chars)) {
      budget.check();
      return;
    }
    if (words.length === 1 && chars < MIN_PREFIX_CHARS) {
      throw new QueryTooCostlyError(
        `Prefix '${node.text}*' ${at} is too short: give at least ${MIN_PREFIX_CHARS} letters or digits` +
          ' before the *.',
        node.span,
      );
    }
    const { words: expansions, postings } = vocabulary.expand(last, MAX_PREFIX_WORDS + 1);
    if (expansions > MAX_PREFIX_WORDS) {
      throw new QueryTooCostlyError(
        `Prefix '${last}*' ${at} stands for more than ${MAX_PREFIX_WORDS.toLocaleString('en-US')} different` +
          ' words: give more of the word.',
        node.span,
      );
    }
    // Only a lone word's postings are its matches; a phrase's other words narrow them.
    if (words.length === 1 && postings > budget.keysLeft()) throw budget.overMemory(label, budget.keysLeft());
    budget.check();
  }

  /**
   * Keys of the events whose own text matches an FTS5 expression, in the plan's key range, ascending.
   * `label` names the term in a budget error. One statement (it cannot be cut short), asked for one row
   * more than the memory budget allows, so it can neither outgrow the budget nor go unnoticed.
   */
  private ftsKeys(expression: string, label: string): number[] {
    const { budget } = this.ctx;
    const room = budget.keysLeft();
    const keys = this.ctx.db
      .prepare(
        `SELECT rowid FROM events_fts WHERE events_fts MATCH ? AND rowid >= ? AND rowid < ?
         ORDER BY rowid LIMIT ?`,
      )
      .pluck()
      .all(expression, this.lo, this.hi, room + 1) as number[];
    if (keys.length > room) throw budget.overMemory(label, room);
    budget.took(label, keys.length);
    return keys;
  }

  /** Column masks of the dictionary values matching an FTS5 expression, or null when none does. */
  private dictMatches(expression: string): Pred | null {
    const keys = this.ctx.db
      .prepare('SELECT rowid FROM dict_fts WHERE dict_fts MATCH ?')
      .pluck()
      .all(expression) as number[];
    // The dictionary holds distinct values (thousands), so this needs no row limit, only the clock.
    this.ctx.budget.check();
    if (keys.length === 0) return null;
    const byField = new Map<number, number[]>();
    for (const key of keys) {
      const field = Math.floor(key / 2 ** 32);
      let ids = byField.get(field);
      if (ids === undefined) byField.set(field, (ids = []));
      ids.push(key - field * 2 ** 32);
    }
    const preds: Pred[] = [];
    for (const field of TEXT_DICT_FIELDS) {
      const ids = byField.get(DICT_FIELDS[field]);
      if (ids !== undefined) preds.push(maskPred(field satisfies TextDictField, ids));
    }
    return { kind: 'or', preds };
  }

  private field(node: Extract<QueryNode, { kind: 'field' }>): Pred {
    const { dict, db } = this.ctx;
    const { value, prefix } = node;
    switch (node.field) {
      case 'user':
      case 'entity':
      case 'action':
      case 'opType':
      case 'status':
      case 'org':
      case 'format': {
        const code = DICT_FIELDS[node.field];
        const ids = prefix ? dict.idsWithPrefix(code, value) : dict.idsEqual(code, value);
        return maskPred(node.field, ids);
      }
      case 'outcome': {
        const code = OUTCOME_CODE[value.toLowerCase()];
        return code === undefined ? FALSE : maskPred('outcome', [code]);
      }
      case 'source': {
        const ids = db
          .prepare(
            `SELECT o.id FROM objects o JOIN sources s ON s.id = o.source_id
             WHERE ${prefix ? 'lower(s.name) >= ? AND lower(s.name) < ?' : 'lower(s.name) = ?'}`,
          )
          .pluck()
          .all(...foldedBounds(value, prefix)) as number[];
        return maskPred('object', ids);
      }
      case 'object': {
        // Object keys are paths: matched as written (case matters in S3 and on most disks).
        const ids = db
          .prepare(`SELECT id FROM objects WHERE ${prefix ? 'key >= ? AND key < ?' : 'key = ?'}`)
          .pluck()
          .all(...(prefix ? [value, value + '\u{10FFFF}'] : [value])) as number[];
        return maskPred('object', ids);
      }
      case 'target':
      case 'ip':
      case 'txn':
        return this.textField(node, node.field);
      case 'id': {
        const hex = value.toLowerCase();
        if (!/^[0-9a-f]+$/.test(hex) || hex.length > 32 || (!prefix && hex.length !== 32)) {
          throw new QueryError(
            `"${value}" is not an event id: ids are 32 hex digits (or a prefix of them with *)`,
            node.span,
          );
        }
        // Ids are looked up rarely (an event named in an export): a scan, rather than an index that
        // every insert would pay for.
        const label = `id:${value}${prefix ? '*' : ''}`;
        return prefix
          ? this.keysWhere('hex(id) LIKE ?', [hex.toUpperCase() + '%'], label)
          : this.keysWhere('id = ?', [Buffer.from(hex, 'hex')], label);
      }
    }
  }

  /**
   * Fields with nearly one value per event (targets, IP addresses, correlation ids) are stored as text, not
   * in the dictionary: the full-text index finds the events holding the value's words, and the stored value
   * is then compared, ignoring case like every other field.
   */
  private textField(node: Extract<QueryNode, { kind: 'field' }>, column: 'target' | 'ip' | 'txn'): Pred {
    const words = tokenize(node.value);
    if (words.length === 0) {
      throw new QueryError(`"${node.value}" has no letters or digits to look up in ${column}`, node.span);
    }
    const label = `${column}:${node.value}${node.prefix ? '*' : ''}`;
    if (node.prefix) this.checkPrefix(words, { text: node.value, span: node.span }, label);
    const candidates = this.ftsKeys(ftsPhrase(node.value, node.prefix), label);
    const value = this.ctx.db.prepare(`SELECT ${column} FROM events WHERE pos = ?`).pluck();
    const wanted = fold(node.value);
    const { budget } = this.ctx;
    let checked = 0;
    const keys = candidates.filter((key) => {
      // One read per candidate: a common word can make a million of them.
      if ((++checked & 4095) === 0) budget.check();
      const stored = value.get(key) as string | null | undefined;
      if (stored == null) return false;
      const folded = fold(stored);
      return node.prefix ? folded.startsWith(wanted) : folded === wanted;
    });
    return { kind: 'set', keys: Float64Array.from(keys) };
  }

  /** Keys of the events a condition on the events table holds for (a scan: see the id: case). */
  private keysWhere(where: string, params: readonly unknown[], label: string): Pred {
    const { budget } = this.ctx;
    const room = budget.keysLeft();
    const keys = this.ctx.db
      .prepare(`SELECT pos FROM events WHERE ${where} AND pos >= ? AND pos < ? ORDER BY pos LIMIT ?`)
      .pluck()
      .all(...params, this.lo, this.hi, room + 1) as number[];
    if (keys.length > room) throw budget.overMemory(label, room);
    budget.took(label, keys.length);
    return { kind: 'set', keys: Float64Array.from(keys) };
  }
}

function foldedBounds(value: string, prefix: boolean): string[] {
  const folded = fold(value);
  return prefix ? [folded, folded + '\u{10FFFF}'] : [folded];
}

function maskPred(col: SegmentColumn, ids: readonly number[]): Pred {
  if (ids.length === 0) return FALSE;
  let max = 0;
  for (const id of ids) if (id > max) max = id;
  const mask = new Uint8Array(max + 1);
  for (const id of ids) mask[id] = 1;
  return { kind: 'col', col, mask };
}

/** Folds constants so "no such user" short-circuits the whole scan. */
export function simplify(pred: Pred): Pred {
  switch (pred.kind) {
    case 'and': {
      const preds: Pred[] = [];
      for (const p of pred.preds.map(simplify)) {
        if (p.kind === 'const') {
          if (!p.value) return FALSE;
          continue;
        }
        if (p.kind === 'and') preds.push(...p.preds);
        else preds.push(p);
      }
      return preds.length === 0 ? TRUE : preds.length === 1 ? preds[0]! : { kind: 'and', preds };
    }
    case 'or': {
      const preds: Pred[] = [];
      for (const p of pred.preds.map(simplify)) {
        if (p.kind === 'const') {
          if (p.value) return TRUE;
          continue;
        }
        if (p.kind === 'or') preds.push(...p.preds);
        else preds.push(p);
      }
      return preds.length === 0 ? FALSE : preds.length === 1 ? preds[0]! : { kind: 'or', preds };
    }
    case 'not': {
      const inner = simplify(pred.pred);
      return inner.kind === 'const' ? { kind: 'const', value: !inner.value } : { kind: 'not', pred: inner };
    }
    case 'set':
      return pred.keys.length === 0 ? FALSE : pred;
    default:
      return pred;
  }
}
