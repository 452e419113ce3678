import { describe, expect, it } from 'vitest';
import { Text } from '@codemirror/state';
import { problemRange, problemText, toDiagnostics } from './problems';

const doc = Text.of(['rule "a"', 'when', '    Sample( cpu > 9 )', 'end']);
// offsets: line 1 = 0..8, line 2 = 9..13, line 3 = 14..35, line 4 = 36..39

describe('problems as diagnostics', () => {
  it('puts a 1-based line and column at its offset, over the word there', () => {
    expect(problemRange(doc, 1, 1)).toEqual({ from: 0, to: 4 });
    expect(problemRange(doc, 3, 5)).toEqual({ from: 18, to: 24 });
    expect(doc.sliceString(18, 24)).toBe('Sample');
    expect(problemRange(doc, 3, 13)).toEqual({ from: 26, to: 29 });
    expect(problemRange(doc, 3, 11)).toEqual({ from: 24, to: 25 });
  });

  it('marks the whole line when the column is unknown (0)', () => {
    expect(problemRange(doc, 2, 0)).toEqual({ from: 9, to: 13 });
  });

  it('clamps lines and columns to the document', () => {
    expect(problemRange(doc, 0, 0)).toEqual({ from: 0, to: 8 });
    expect(problemRange(doc, -3, 2)).toEqual({ from: 1, to: 4 });
    expect(problemRange(doc, 99, 1)).toEqual({ from: 36, to: 39 });
    expect(problemRange(doc, 4, 50)).toEqual({ from: 39, to: 39 });
    expect(problemRange(Text.of(['']), 5, 5)).toEqual({ from: 0, to: 0 });
  });

  it('keeps the problems of this file (or of no file) and leaves the others to the list', () => {
    const diagnostics = toDiagnostics(
      doc,
      [
        { file: 'cpu.drl', line: 3, column: 5, message: 'Unable to resolve' },
        { file: 'disk.drl', line: 1, column: 1, message: 'elsewhere' },
        { file: '', line: 2, column: 1, message: 'general' },
      ],
      'cpu.drl',
    );
    expect(diagnostics).toEqual([
      { from: 18, to: 24, severity: 'error', message: 'Unable to resolve' },
      { from: 9, to: 13, severity: 'error', message: 'general' },
    ]);
  });

  it('reads as "line L, column C: message", naming another file', () => {
    expect(problemText({ file: 'cpu.drl', line: 3, column: 5, message: 'bad' }, 'cpu.drl')).toBe(
      'line 3, column 5: bad',
    );
    expect(problemText({ file: 'disk.drl', line: 1, column: 2, message: 'dup' }, 'cpu.drl')).toBe(
      'disk.drl, line 1, column 2: dup',
    );
  });
});
