import { ExpressionSyntaxError } from './errors.js';

export type TokenType = 'number' | 'string' | 'identifier' | 'keyword' | 'punctuator' | 'end';

export interface Token {
  readonly type: TokenType;
  /** the raw text; for strings the unescaped value */
  readonly text: string;
  /** 0-based offset of the first character in the full source */
  readonly position: number;
  /** offset just past the last character */
  readonly end: number;
}

/** JUEL's reserved words; `instanceof` is reserved so that it fails clearly instead of reading as a variable. */
const KEYWORDS = new Set([
  'true', 'false', 'null', 'empty', 'not', 'and', 'or', 'div', 'mod',
  'eq', 'ne', 'lt', 'gt', 'le', 'ge', 'instanceof',
]);

/** Longest first, so `<=` wins over `<`. */
const PUNCTUATORS = [
  '==', '!=', '<=', '>=', '&&', '||',
  '.', '[', ']', '(', ')', '?', ':', '+', '-', '*', '/', '%', '<', '>', '!', ',', '}',
];

const IDENTIFIER_START = /[\p{L}_$]/u;
const IDENTIFIER_PART = /[\p{L}\p{N}_$]/u;
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /\s/;

/**
 * Reads the body of one `${...}` starting at `start` and stops after the first `}` that is
 * not inside a string: EL has no braces of its own, so that `}` closes the expression.
 * Returns the tokens including that `}`, or ending with an `end` token if the source ran out.
 */
export function tokenize(source: string, start: number): Token[] {
  const tokens: Token[] = [];
  let position = start;
  while (position < source.length) {
    const char = source.charAt(position);
    if (WHITESPACE.test(char)) {
      position += 1;
      continue;
    }
    const token = readToken(source, position);
    tokens.push(token);
    position = token.end;
    if (token.type === 'punctuator' && token.text === '}') return tokens;
  }
  tokens.push({ type: 'end', text: '', position: source.length, end: source.length });
  return tokens;
}

function readToken(source: string, position: number): Token {
  const char = source.charAt(position);
  if (char === "'" || char === '"') return readString(source, position);
  if (/[\d.]/.test(char)) {
    const number = matchNumber(source, position);
    if (number !== null) return token('number', number, position);
  }
  if (IDENTIFIER_START.test(char)) {
    const word = readWord(source, position);
    return token(KEYWORDS.has(word) ? 'keyword' : 'identifier', word, position);
  }
  const punctuator = PUNCTUATORS.find((candidate) => source.startsWith(candidate, position));
  if (punctuator !== undefined) return token('punctuator', punctuator, position);
  // EL 3 assignment and single `&`/`|` are common slips for comparison and logic operators
  const hint = char === '=' ? ", use '==' to compare" : char === '&' || char === '|' ? `, use '${char}${char}'` : '';
  throw new ExpressionSyntaxError(source, position, `unexpected character '${char}'${hint}`);
}

function matchNumber(source: string, position: number): string | null {
  NUMBER.lastIndex = position;
  const match = NUMBER.exec(source);
  return match === null ? null : match[0];
}

function readWord(source: string, position: number): string {
  let end = position + 1;
  while (end < source.length && IDENTIFIER_PART.test(source.charAt(end))) end += 1;
  return source.slice(position, end);
}

/** JUEL strings: either quote, and only `\\`, `\'` and `\"` are escapes; any other backslash is kept. */
function readString(source: string, position: number): Token {
  const quote = source.charAt(position);
  let value = '';
  let index = position + 1;
  while (index < source.length) {
    const char = source.charAt(index);
    if (char === quote) return { type: 'string', text: value, position, end: index + 1 };
    const next = source.charAt(index + 1);
    if (char === '\\' && (next === '\\' || next === "'" || next === '"')) {
      value += next;
      index += 2;
    } else {
      value += char;
      index += 1;
    }
  }
  throw new ExpressionSyntaxError(source, position, 'unterminated string literal');
}

function token(type: TokenType, text: string, position: number): Token {
  return { type, text, position, end: position + text.length };
}
