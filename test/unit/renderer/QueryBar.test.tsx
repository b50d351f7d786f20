// @vitest-environment happy-dom
import { currentCompletions, startCompletion } from '@codemirror/autocomplete';
import { EditorView } from '@codemirror/view';
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { QueryBar } from '../../../renderer/components/QueryBar.tsx';
import { ValueIndex } from '../../../renderer/components/queryLanguage.ts';

afterEach(cleanup);

const index = new ValueIndex({
  user: [
    { value: 'alice@acme.io', count: 120 },
    { value: 'bob@acme.io', count: 88 },
    { value: 'albert@initech.net', count: 3 },
  ],
  action: [
    { value: 'setPassword', count: 40 },
    { value: 'releaseProject', count: 12 },
  ],
});

function editorOf(): EditorView {
  const content = screen.getByTestId('query-input');
  const view = EditorView.findFromDOM(content);
  if (!view) throw new Error('no editor');
  return view;
}

function type(view: EditorView, text: string) {
  act(() => {
    view.dispatch({
      changes: { from: 0, to: view.state.doc.length, insert: text },
      selection: { anchor: text.length },
      userEvent: 'input.type',
    });
  });
}

describe('QueryBar', () => {
  it('colours fields, values, phrases and operators with the shared highlighter', () => {
    render(
      <QueryBar value={'user:alice OR "billing api" -entity:Project'} onRun={() => {}} valueIndex={index} />,
    );
    const text = (cls: string) => [...document.querySelectorAll(`.${cls}`)].map((e) => e.textContent);
    expect(text('tok-q-field')).toEqual(['user:', 'entity:']);
    expect(text('tok-q-value')).toEqual(['alice', 'Project']);
    expect(text('tok-q-phrase')).toEqual(['"billing api"']);
    expect(text('tok-q-operator')).toEqual(['OR', '-']);
    expect(document.querySelector('.tok-q-error')).toBeNull();
  });

  it("shows the parser's error at its column with its suggestion, and marks the span", () => {
    render(<QueryBar value="user:alice OR" onRun={() => {}} valueIndex={index} />);
    const error = screen.getByTestId('query-error');
    expect(error.textContent).toContain('Column 12');
    expect(error.textContent).toContain('add a search term after it');
    expect([...document.querySelectorAll('.tok-q-error')].map((e) => e.textContent)).toEqual(['OR']);
  });

  it('runs the text in the box on Enter', () => {
    const onRun = vi.fn();
    render(<QueryBar value="" onRun={onRun} valueIndex={index} />);
    const view = editorOf();
    type(view, 'entity:Project op:Mutation');
    act(() => {
      view.contentDOM.dispatchEvent(
        new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }),
      );
    });
    expect(onRun).toHaveBeenCalledWith('entity:Project op:Mutation');
  });

  it('offers values of the field being typed with their counts, best match first', async () => {
    render(<QueryBar value="" onRun={() => {}} valueIndex={index} />);
    const view = editorOf();
    type(view, 'outcome:failure user:al');
    act(() => {
      startCompletion(view);
    });
    await vi.waitFor(() => expect(currentCompletions(view.state).length).toBeGreaterThan(0));
    const offers = currentCompletions(view.state);
    expect(offers.map((c) => c.label)).toEqual(['alice@acme.io', 'albert@initech.net']);
    expect(offers[0]!.detail).toBe('120');
  });

  it('offers field names at the start of a word', async () => {
    render(<QueryBar value="" onRun={() => {}} valueIndex={index} />);
    const view = editorOf();
    type(view, 'ac');
    act(() => {
      startCompletion(view);
    });
    await vi.waitFor(() => expect(currentCompletions(view.state).length).toBeGreaterThan(0));
    expect(currentCompletions(view.state).map((c) => c.label)).toContain('action:');
  });

  it('finds camelCase values from a word inside them (minisearch over the distinct values)', () => {
    expect(index.find('action', 'pass').map((v) => v.value)).toEqual(['setPassword']);
    expect(index.find('user', '').map((v) => v.value)).toEqual([
      'alice@acme.io',
      'bob@acme.io',
      'albert@initech.net',
    ]);
  });
});
