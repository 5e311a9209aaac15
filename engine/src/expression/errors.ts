/**
 * Errors thrown by the expression language. They extend plain `Error` (not the engine's
 * `EngineError`) so this folder stays free of engine dependencies; callers wrap them into
 * their own error vocabulary (e.g. `ProcessEvaluationError`) and keep these as `cause`.
 */
export class ExpressionError extends Error {
  constructor(
    message: string,
    /** the full source text of the expression, as passed to `compileExpression` */
    readonly source: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The source text is not a valid expression; raised at compile time. */
export class ExpressionSyntaxError extends ExpressionError {
  constructor(
    source: string,
    /** 0-based offset into `source` where the problem was found */
    readonly position: number,
    /** the bare cause, without the expression and position */
    readonly reason: string,
  ) {
    super(`Syntax error in expression '${abbreviate(source)}' at position ${position}: ${reason}`, source);
  }
}

/** The expression is valid but could not be evaluated against the given variables. */
export class ExpressionEvaluationError extends ExpressionError {}

/**
 * Raised by the pure helpers (coercion, operators) that do not know the expression text.
 * The evaluator turns it into an `ExpressionEvaluationError` naming the expression.
 */
export class EvaluationFailure extends Error {
  override readonly name = 'EvaluationFailure';
}

/** Shortens long sources inside messages so an error never dumps a 10 KB template into a log line. */
export function abbreviate(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max)}...`;
}
