/**
 * The normal form the parser returns and the printer relies on:
 * - within one AND group, positive terms on the same field become one OR (`user:a user:b` → a OR b),
 *   with exact duplicates dropped; negated terms stay separate and ANDed (`-user:a -user:b` → neither);
 * - within one AND group, several `after:` keep the latest, several `before:` the earliest and several
 *   `last:` the shortest (time filters intersect);
 * - OR inside OR is flattened, a double negation cancels, one-child groups collapse.
 * A parenthesised AND group stays its own node, so parentheses fence the same-field merge:
 * `user:a (user:b x)` is user a AND (user b AND x).
 */

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

function normalizeAnd(nodes: readonly QueryNode[], span: Span): QueryNode {
  const out: QueryNode[] = [];
  const fieldGroups = new Map<QueryField, { index: number; members: FieldNode[] }>();
  const timeSlots = new Map<string, number>();
  for (const child of nodes.map(normalize)) {
    if (child.kind === 'field') {
      const group = fieldGroups.get(child.field);
      if (!group) {
        fieldGroups.set(child.field, { index: out.length, members: [child] });
        out.push(child);
      } else if (!group.members.some((m) => m.value === child.value && m.prefix === child.prefix)) {
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
  return out.length === 1 ? out[0]! : { kind: 'and', nodes: out, span };
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
      const nodes = node.nodes
        .map(normalize)
        .flatMap((child) => (child.kind === 'or' ? child.nodes : [child]));
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
