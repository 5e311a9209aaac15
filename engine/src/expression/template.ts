import type { TemplatePart } from './ast.js';
import { parseElBody } from './parser.js';

const EL_START = /[$#]\{/g;

/**
 * Splits text into literal runs and `${...}`/`#{...}` expressions, parsing each expression.
 * Like JUEL, `${` and `#{` are treated alike (they only differ in evaluation time in JSP).
 * Backslash escapes of `${` are deliberately not supported.
 */
export function parseTemplate(source: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let position = 0;
  while (position < source.length) {
    const start = findElStart(source, position);
    if (start === -1) {
      parts.push({ kind: 'text', text: source.slice(position) });
      break;
    }
    if (start > position) parts.push({ kind: 'text', text: source.slice(position, start) });
    const { node, end } = parseElBody(source, start + 2);
    parts.push({ kind: 'el', node });
    position = end;
  }
  return parts;
}

export function containsEl(source: string): boolean {
  return findElStart(source, 0) !== -1;
}

function findElStart(source: string, from: number): number {
  EL_START.lastIndex = from;
  const match = EL_START.exec(source);
  return match === null ? -1 : match.index;
}
