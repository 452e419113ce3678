// DRL (Drools Rule Language) highlighting: a small stream tokenizer, enough for keywords, strings, comments,
// numbers (durations like 5m included) and $variables.
import { StreamLanguage, StringStream, type StreamParser } from '@codemirror/language';

export const DRL_KEYWORDS = [
  'package', 'import', 'global', 'rule', 'when', 'then', 'end', 'salience', 'no-loop', 'lock-on-active',
  'agenda-group', 'dialect', 'declare', 'function', 'query', 'extends', 'not', 'exists', 'forall', 'accumulate',
  'collect', 'from', 'over', 'window:time', 'window:length', 'and', 'or', 'eval', 'modify', 'insert', 'retract',
  'update',
] as const;

const WORDS = new Set<string>(DRL_KEYWORDS.filter((k) => /^[a-z]+$/.test(k)));
/** Keywords with a hyphen or a colon: matched whole before ordinary words. */
const COMPOUND = /^(?:no-loop|lock-on-active|agenda-group|window:time|window:length)(?![\w-])/;
const ATOMS = new Set(['true', 'false', 'null', 'this']);

export type DrlState = { inComment: boolean };

export const drlParser: StreamParser<DrlState> = {
  name: 'drl',
  startState: () => ({ inComment: false }),
  copyState: (state) => ({ ...state }),
  token(stream: StringStream, state: DrlState): string | null {
    if (state.inComment) {
      if (stream.skipTo('*/')) {
        stream.match('*/');
        state.inComment = false;
      } else {
        stream.skipToEnd();
      }
      return 'blockComment';
    }
    if (stream.eatSpace()) return null;
    if (stream.match('//')) {
      stream.skipToEnd();
      return 'lineComment';
    }
    if (stream.match('/*')) {
      state.inComment = true;
      return drlParser.token(stream, state) ?? 'blockComment';
    }
    const quote = stream.peek();
    if (quote === '"' || quote === "'") {
      stream.next();
      let escaped = false;
      let ch: string | void;
      while ((ch = stream.next()) !== undefined) {
        if (ch === quote && !escaped) break;
        escaped = !escaped && ch === '\\';
      }
      return 'string';
    }
    if (stream.match(/^\$[\w$]*/)) return 'variableName.special';
    if (stream.match(/^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?:ms|[smhdlLfFdD])?\b/)) return 'number';
    if (stream.match(COMPOUND)) return 'keyword';
    const word = stream.match(/^[A-Za-z_][\w]*/) as RegExpMatchArray | null;
    if (word) {
      const text = word[0];
      if (WORDS.has(text)) return 'keyword';
      if (ATOMS.has(text)) return 'atom';
      if (/^[A-Z]/.test(text)) return 'typeName';
      return 'variableName';
    }
    if (stream.match(/^[=!<>]=?|^&&|^\|\||^[+\-*/%]/)) return 'operator';
    stream.next();
    return null;
  },
  languageData: {
    commentTokens: { line: '//', block: { open: '/*', close: '*/' } },
  },
};

export const drlLanguage = StreamLanguage.define(drlParser);

export type DrlToken = { text: string; type: string | null };

/** The tokens of a text, line by line (for tests, and to see what the editor highlights). */
export function tokenize(text: string): DrlToken[] {
  const state = drlParser.startState!(2);
  const tokens: DrlToken[] = [];
  for (const line of text.split('\n')) {
    const stream = new StringStream(line, 4, 2);
    while (!stream.eol()) {
      const type = drlParser.token(stream, state);
      const piece = line.slice(stream.start, stream.pos);
      if (stream.pos === stream.start) break;
      if (piece.trim()) tokens.push({ text: piece, type });
      stream.start = stream.pos;
    }
  }
  return tokens;
}
