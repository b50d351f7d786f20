/** Read-only, highlighted JSON (CodeMirror's JSON grammar) with redacted values visibly marked. */
import { json } from '@codemirror/lang-json';
import { syntaxHighlighting } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { Decoration, EditorView, MatchDecorator, ViewPlugin } from '@codemirror/view';
import type { DecorationSet, ViewUpdate } from '@codemirror/view';
import { classHighlighter } from '@lezer/highlight';
import { useEffect, useRef } from 'react';

const redactions = new MatchDecorator({
  regexp: /"\[REDACTED\]"/g,
  decoration: Decoration.mark({ class: 'redacted', attributes: { title: 'Redacted before storage: the original value was never indexed' } }),
});

const markRedactions = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = redactions.createDeco(view);
    }
    update(update: ViewUpdate) {
      this.decorations = redactions.updateDeco(update, this.decorations);
    }
  },
  { decorations: (v) => v.decorations },
);

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
    const view = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: prettyJson(text),
        extensions: [
          EditorState.readOnly.of(true),
          EditorView.editable.of(false),
          EditorView.lineWrapping,
          json(),
          syntaxHighlighting(classHighlighter),
          markRedactions,
          EditorView.contentAttributes.of({ 'aria-label': label, tabindex: '0' }),
        ],
      }),
    });
    return () => view.destroy();
  }, [text, label]);
  return <div className="json-view" ref={host} data-testid="raw-json" />;
}
