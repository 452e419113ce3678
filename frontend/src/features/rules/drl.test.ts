import { describe, expect, it } from 'vitest';
import { tokenize } from './drl';

const typeOf = (text: string, piece: string) => tokenize(text).find((t) => t.text === piece)?.type;

describe('DRL tokenizer', () => {
  it('marks the DRL keywords, hyphenated and window: ones included', () => {
    const text = [
      'package vigil.rules',
      'import dev.vigil.rules.model.*',
      'rule "x" extends "y"',
      '  salience 10',
      '  no-loop true',
      '  lock-on-active',
      '  agenda-group "g"',
      'when',
      '  not Streak( ) and exists Sample( ) or eval( true )',
      '  Number( ) from accumulate( Sample( ) over window:time(5m), count( ) )',
      '  Sample( ) over window:length( 3 )',
      'then',
      '  insert( x ); modify( y ) { }; retract( z ); update( w );',
      'end',
    ].join('\n');
    const keywords = tokenize(text)
      .filter((t) => t.type === 'keyword')
      .map((t) => t.text);
    for (const word of [
      'package', 'import', 'rule', 'extends', 'salience', 'no-loop', 'lock-on-active', 'agenda-group', 'when',
      'not', 'and', 'exists', 'or', 'eval', 'from', 'accumulate', 'over', 'window:time', 'window:length', 'then',
      'insert', 'modify', 'retract', 'update', 'end',
    ]) {
      expect(keywords).toContain(word);
    }
    // ordinary names are not keywords, even when they start like one
    expect(typeOf('ruleName whenever', 'ruleName')).toBe('variableName');
    expect(typeOf('ruleName whenever', 'whenever')).toBe('variableName');
    expect(typeOf('Sample( cpuPercent > 90 )', 'Sample')).toBe('typeName');
  });

  it('reads strings whole, with escaped quotes and keywords inside', () => {
    const tokens = tokenize('rule "when \\"then\\" end" salience 5');
    expect(tokens[1]).toEqual({ text: '"when \\"then\\" end"', type: 'string' });
    expect(tokens[2]).toEqual({ text: 'salience', type: 'keyword' });
    expect(typeOf("x == 'a b'", "'a b'")).toBe('string');
  });

  it('reads line and block comments, across lines, without keywords inside', () => {
    const tokens = tokenize('// rule when then\nrule /* a\nwhen b */ "r"\nend');
    expect(tokens[0]).toEqual({ text: '// rule when then', type: 'lineComment' });
    expect(tokens[1]).toEqual({ text: 'rule', type: 'keyword' });
    expect(tokens[2]).toEqual({ text: '/* a', type: 'blockComment' });
    expect(tokens[3]).toEqual({ text: 'when b */', type: 'blockComment' });
    expect(tokens[4]).toEqual({ text: '"r"', type: 'string' });
    expect(tokens[5]).toEqual({ text: 'end', type: 'keyword' });
  });

  it('marks $variables, numbers and durations', () => {
    const text = '$now : Sample( cpuPercent > 90.5, $id : hostId, this after[5m] $streak )';
    expect(typeOf(text, '$now')).toBe('variableName.special');
    expect(typeOf(text, '$id')).toBe('variableName.special');
    expect(typeOf(text, '$streak')).toBe('variableName.special');
    expect(typeOf(text, '90.5')).toBe('number');
    expect(typeOf(text, '5m')).toBe('number');
    expect(typeOf(text, 'cpuPercent')).toBe('variableName');
    expect(typeOf(text, 'this')).toBe('atom');
  });
});
