// The server's compiler problems (file, 1-based line and column, 0 when Drools does not say) as places in the
// editor's document and as CodeMirror lint diagnostics.
import type { Text } from '@codemirror/state';
import type { Diagnostic } from '@codemirror/lint';
import type { Problem } from './api';

/** The document offsets a problem points at, clamped to the document: its column's word, or its whole line. */
export function problemRange(doc: Text, line: number, column: number): { from: number; to: number } {
  const number = Math.min(Math.max(1, Math.trunc(line) || 1), doc.lines);
  const at = doc.line(number);
  if (!(column >= 1)) return { from: at.from, to: at.to };
  const from = Math.min(at.from + Math.trunc(column) - 1, at.to);
  const rest = at.text.slice(from - at.from);
  const word = /^[\w$.-]+/.exec(rest)?.[0].length ?? (rest.length ? 1 : 0);
  return { from, to: from + word };
}

/** Whether a problem is about the file in the editor (an unnamed one is taken as the edited file's too). */
export function aboutFile(problem: Problem, file: string): boolean {
  return !problem.file || problem.file === file;
}

export function toDiagnostics(doc: Text, problems: Problem[], file: string): Diagnostic[] {
  return problems
    .filter((p) => aboutFile(p, file))
    .map((p) => ({ ...problemRange(doc, p.line, p.column), severity: 'error' as const, message: p.message }));
}

/** How a problem reads in the list: `line L, column C: message`, with the file's name when it is another. */
export function problemText(problem: Problem, file: string): string {
  const where = `line ${problem.line}, column ${problem.column}: ${problem.message}`;
  return aboutFile(problem, file) ? where : `${problem.file}, ${where}`;
}
