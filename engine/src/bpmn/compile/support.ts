import type { Expression } from '../../expression/index.js';

/** What the element compilers in this folder share: reporting a problem and compiling an expression. */
export interface CompileSupport {
  problem(elementId: string | null | undefined, message: string): void;
  /** the compiled expression, or null (and a reported problem) when it does not parse */
  optionalExpression(elementId: string | undefined, source: string | null): Expression | null;
}
