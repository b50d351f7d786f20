/** Read-only, highlighted JSON (CodeMirror's JSON grammar) with redacted values visibly marked. */
import { json } from '@codemirror/lang-json';
import { syntaxHighlighting } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { Decoration, EditorView } from '@codemirror/view';
import type { DecorationSet } from '@codemirror/view';
import { classHighlighter } from '@lezer/highlight';
import { useEffect, useRef } from 'react';

const redactedMark = Decoration.mark({
  class: 'redacted',
  attributes: { title: 'Redacted before storage: the original value was never stored or indexed' },
});

/** Where the redacted values are: every `"[REDACTED]"` string, as [from, to) offsets. */
export function redactedRanges(doc: string): [number, number][] {
  return [...doc.matchAll(/"\[REDACTED\]"/g)].map((m) => [m.index, m.index + m[0].length]);
}

/** Marks them once over the whole (read-only, small) document, whatever part of it is on screen. */
function redactions(doc: string): DecorationSet {
  return Decoration.set(redactedRanges(doc).map(([from, to]) => redactedMark.range(from, to)));
}

/** Pretty-prints a JSON string; text that is not JSON is shown as it is. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function JsonView({ text, label }: { text: string; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const doc = prettyJson(text);
    const view = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc,
        extensions: [
          EditorState.readOnly.of(true),
          EditorView.editable.of(false),
          EditorView.lineWrapping,
          json(),
          syntaxHighlighting(classHighlighter),
          EditorView.decorations.of(redactions(doc)),
          EditorView.contentAttributes.of({ 'aria-label': label, tabindex: '0' }),
        ],
      }),
    });
    return () => view.destroy();
  }, [text, label]);
  return <div className="json-view" ref={host} data-testid="raw-json" />;
}
