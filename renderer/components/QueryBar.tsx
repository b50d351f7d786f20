/**
 * The search box: a one-line CodeMirror editor coloured by the shared highlighter, with the parser's error
 * at its column and completion of fields and values. Enter runs the query.
 */
import { autocompletion, closeBrackets, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { linter } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { queryCompletions, queryDiagnostics, queryError, queryHighlighting } from './queryLanguage.ts';
import type { ValueIndex } from './queryLanguage.ts';

export interface QueryBarHandle {
  focus(): void;
  /** The text in the box now (it may differ from the last query run). */
  text(): string;
}

export interface QueryBarProps {
  /** The query last run; the box shows it whenever it changes from outside (a facet click, Back). */
  value: string;
  onRun(text: string): void;
  /** Values to complete from; read at completion time so a refreshed index needs no new editor. */
  valueIndex: ValueIndex;
  /** An error the engine reported for the query last run (column is 1-based), shown like a local one. */
  serverError?: { message: string; column?: number } | null;
  /** Briefly marks the box when `value` changed from outside, so the user sees what the click did. */
  flashKey?: number;
}

export const QueryBar = forwardRef<QueryBarHandle, QueryBarProps>(function QueryBar(
  { value, onRun, valueIndex, serverError, flashKey },
  ref,
) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onRunRef = useRef(onRun);
  const indexRef = useRef(valueIndex);
  onRunRef.current = onRun;
  indexRef.current = valueIndex;
  const [draft, setDraft] = useState(value);
  // While typing, a half-written term is an error for a moment: say so once the typing pauses (or on Enter).
  const [settled, setSettled] = useState(value);
  const wrap = useRef<HTMLDivElement>(null);

  useImperativeHandle(ref, () => ({
    focus: () => view.current?.focus(),
    text: () => view.current?.state.doc.toString() ?? value,
  }));

  useEffect(() => {
    const state = EditorState.create({
      doc: value,
      extensions: [
        // One line: pasted newlines become spaces.
        EditorState.transactionFilter.of((tr) =>
          tr.docChanged && tr.newDoc.lines > 1
            ? [
                tr,
                {
                  changes: {
                    from: 0,
                    to: tr.newDoc.length,
                    insert: tr.newDoc.toString().replace(/\r?\n/g, ' '),
                  },
                  sequential: true,
                },
              ]
            : tr,
        ),
        history(),
        closeBrackets(),
        autocompletion({
          override: [queryCompletions(() => indexRef.current)],
          activateOnTyping: true,
          icons: false,
        }),
        keymap.of([
          {
            key: 'Enter',
            run: (v) => {
              setSettled(v.state.doc.toString());
              onRunRef.current(v.state.doc.toString());
              return true;
            },
          },
          ...completionKeymap,
          ...historyKeymap,
          ...defaultKeymap,
        ]),
        linter(queryDiagnostics, { delay: 120 }),
        queryHighlighting,
        placeholder('Search, e.g. user:alice@acme.io outcome:failure "billing api"'),
        EditorView.contentAttributes.of({
          'aria-label': 'Search query',
          'data-testid': 'query-input',
          spellcheck: 'false',
          autocapitalize: 'off',
          autocorrect: 'off',
        }),
        // Typing over a selection lets Chromium copy the replaced tokens' colours into a style attribute,
        // which the CSP refuses (and reports); CodeMirror redraws either way, so do the replacement here.
        EditorView.domEventHandlers({
          beforeinput(event, v) {
            if (
              event.inputType !== 'insertText' ||
              !event.data ||
              v.composing ||
              v.state.selection.main.empty
            )
              return false;
            event.preventDefault();
            v.dispatch(v.state.replaceSelection(event.data), {
              userEvent: 'input.type',
              scrollIntoView: true,
            });
            return true;
          },
        }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) setDraft(u.state.doc.toString());
        }),
      ],
    });
    const v = new EditorView({ state, parent: host.current! });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The editor is created once; `value` changes are pushed in by the effect below.
  }, []);

  useEffect(() => {
    const v = view.current;
    if (!v || v.state.doc.toString() === value) return;
    v.dispatch({
      changes: { from: 0, to: v.state.doc.length, insert: value },
      selection: { anchor: value.length },
    });
  }, [value]);

  useEffect(() => {
    const el = wrap.current;
    if (!el || !flashKey) return;
    el.classList.remove('query-bar--flash');
    // Restart the animation: reading layout between removing and adding the class makes it run again.
    void el.offsetWidth;
    el.classList.add('query-bar--flash');
  }, [flashKey]);

  useEffect(() => {
    const timer = setTimeout(() => setSettled(draft), 600);
    return () => clearTimeout(timer);
  }, [draft]);
  const local = settled === draft ? queryError(draft) : null;
  const shown = local
    ? { message: local.message, column: local.column }
    : draft === value && serverError
      ? serverError
      : null;

  return (
    <div className="query-bar" ref={wrap}>
      <div className={`query-bar__editor${shown ? ' query-bar__editor--error' : ''}`} ref={host} />
      {shown && (
        <p className="query-bar__error" role="alert" data-testid="query-error">
          {shown.column != null && <span className="query-bar__column">Column {shown.column}</span>}
          {shown.message}
        </p>
      )}
    </div>
  );
});
