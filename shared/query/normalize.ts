/**
 * The normal form the parser returns and the printer relies on:
 * - within one AND group, positive terms on the same field become one OR (`user:a user:b` → a OR b),
 *   with exact duplicates dropped; negated terms stay separate and ANDed (`-user:a -user:b` → neither);
 * - within one AND group, several `after:` keep the latest, several `before:` the earliest and several
 *   `last:` the shortest (time filters intersect);
 * - within one AND group and within one OR, a term or group that repeats an earlier one exactly (same field
 *   and value, same word or phrase, same negated group) is dropped: `ratings OR ratings` is `ratings`, so a
 *   pasted repetition costs one lookup and prints as it runs;
 * - OR inside OR is flattened, a double negation cancels, one-child groups collapse.
 * A parenthesised AND group stays its own node, so parentheses fence the same-field merge:
 * `user:a (user:b x)` is user a AND (user b AND x).
 */

import { stripSpans } from './ast.ts';
import type { FieldNode, QueryField, QueryNode, Span, TimeNode, LastNode } from './ast.ts';

function cover(nodes: readonly QueryNode[]): Span {
  let start = Infinity;
  let end = -Infinity;
  for (const node of nodes) {
    start = Math.min(start, node.span.start);
    end = Math.max(end, node.span.end);
  }
  return { start, end };
}

/** Whether `candidate` is the tighter of two time filters of the same kind. */
function tighter(candidate: TimeNode | LastNode, current: TimeNode | LastNode): boolean {
  if (candidate.kind === 'time' && candidate.bound === 'after') return candidate.ms > current.ms;
  return candidate.ms < current.ms;
}

/**
 * What makes two normalised nodes the same search, spans aside. Terms get a short key; a group (only a
 * negation or a parenthesised group reaches here) its whole span-free tree, which nesting limits keep small.
 */
function keyOf(node: QueryNode): string {
  switch (node.kind) {
    case 'field':
      return `f\u0000${node.field}\u0000${node.prefix ? '*' : ''}\u0000${node.value}`;
    case 'text':
      return `t\u0000${node.phrase ? '"' : ''}\u0000${node.prefix ? '*' : ''}\u0000${node.text}`;
    default:
      return JSON.stringify(stripSpans(node));
  }
}

function normalizeAnd(nodes: readonly QueryNode[], span: Span): QueryNode {
  const out: QueryNode[] = [];
  const fieldGroups = new Map<QueryField, { index: number; members: FieldNode[] }>();
  const timeSlots = new Map<string, number>();
  // A Set, not a scan of the earlier terms: a pasted query of thousands of terms stays linear.
  const fieldKeys = new Set<string>();
  for (const child of nodes.map(normalize)) {
    if (child.kind === 'field') {
      const key = keyOf(child);
      if (fieldKeys.has(key)) continue;
      fieldKeys.add(key);
      const group = fieldGroups.get(child.field);
      if (!group) {
        fieldGroups.set(child.field, { index: out.length, members: [child] });
        out.push(child);
      } else {
        group.members.push(child);
      }
    } else if (child.kind === 'time' || child.kind === 'last') {
      const key = child.kind === 'time' ? child.bound : 'last';
      const index = timeSlots.get(key);
      if (index === undefined) {
        timeSlots.set(key, out.length);
        out.push(child);
      } else if (tighter(child, out[index] as TimeNode | LastNode)) {
        out[index] = child;
      }
    } else {
      out.push(child);
    }
  }
  for (const { index, members } of fieldGroups.values()) {
    if (members.length > 1) out[index] = { kind: 'or', nodes: members, span: cover(members) };
  }
  // Last, so a merged field OR and the same OR written in parentheses are one (normalising again would
  // find them equal, and the normal form must be a fixed point for printing to round-trip).
  const unique = distinct(out);
  return unique.length === 1 ? unique[0]! : { kind: 'and', nodes: unique, span };
}

/** The nodes without any that repeats an earlier one (see {@link keyOf}). */
function distinct(nodes: readonly QueryNode[]): QueryNode[] {
  const seen = new Set<string>();
  return nodes.filter((node) => {
    const key = keyOf(node);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function normalize(node: QueryNode): QueryNode {
  switch (node.kind) {
    case 'field':
    case 'text':
    case 'time':
    case 'last':
      return node;
    case 'not': {
      const inner = normalize(node.node);
      return inner.kind === 'not' ? inner.node : { kind: 'not', node: inner, span: node.span };
    }
    case 'or': {
      const nodes = distinct(
        node.nodes.map(normalize).flatMap((child) => (child.kind === 'or' ? child.nodes : [child])),
      );
      return nodes.length === 1 ? nodes[0]! : { kind: 'or', nodes, span: node.span };
    }
    case 'and':
      return normalizeAnd(node.nodes, node.span);
  }
}

/**
 * Rewrites a tree into the normal form parseQuery returns (see the top of this file). Idempotent. Use it
 * before printQuery on a tree built by hand: printing guarantees an exact round trip only for normal trees.
 */
export function normalizeQuery(node: QueryNode): QueryNode;
export function normalizeQuery(node: QueryNode | null): QueryNode | null;
export function normalizeQuery(node: QueryNode | null): QueryNode | null {
  return node == null ? null : normalize(node);
}
