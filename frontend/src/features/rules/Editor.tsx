import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';
import { basicSetup } from 'codemirror';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { drlLanguage } from './drl';
import { drlTheme } from './theme';
import { problemRange, toDiagnostics } from './problems';
import type { Problem } from './api';

export type EditorHandle = {
  content(): string;
  replace(text: string): void;
  goTo(line: number, column: number): void;
};

/** The nonce the server allows for styles (CSP), from index.html: CodeMirror's injected <style> carries it. */
export function cspNonce(): string | undefined {
  const nonce = document.querySelector('meta[name=csp-nonce]')?.getAttribute('content');
  return nonce && nonce !== '__CSP_NONCE__' ? nonce : undefined;
}

/** CodeMirror with DRL: created once per mount (the page keys it by file); the parent reads it through `ref`. */
export function RuleEditor({
  initial,
  readOnly,
  file,
  problems,
  onChange,
  ref,
}: {
  initial: string;
  readOnly: boolean;
  file: string;
  problems: Problem[];
  onChange: (content: string) => void;
  ref?: Ref<EditorHandle>;
}) {
  const parent = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    const nonce = cspNonce();
    const editor = new EditorView({
      parent: parent.current!,
      state: EditorState.create({
        doc: initial,
        extensions: [
          nonce ? EditorView.cspNonce.of(nonce) : [],
          basicSetup,
          drlLanguage,
          drlTheme,
          lintGutter(),
          EditorState.readOnly.of(readOnly),
          EditorView.contentAttributes.of({
            'aria-label': 'Rule editor',
            ...(readOnly ? { 'aria-readonly': 'true' } : {}),
          }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) changed.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // the document and mode are the initial ones: later changes go through the handle (replace)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (editor) editor.dispatch(setDiagnostics(editor.state, toDiagnostics(editor.state.doc, problems, file)));
  }, [problems, file]);

  useImperativeHandle(
    ref,
    () => ({
      content: () => view.current?.state.doc.toString() ?? initial,
      replace: (text: string) => {
        const editor = view.current;
        if (editor) editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: text } });
      },
      goTo: (line: number, column: number) => {
        const editor = view.current;
        if (!editor) return;
        const { from } = problemRange(editor.state.doc, line, column);
        editor.dispatch({ selection: { anchor: from }, scrollIntoView: true });
        editor.focus();
      },
    }),
    [initial],
  );

  return <div className="rule-editor" ref={parent} />;
}
