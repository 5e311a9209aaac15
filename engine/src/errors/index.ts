/**
 * The engine's error vocabulary. Every error a caller can provoke is one of these classes,
 * so the HTTP layer maps them to status codes in one place and never leaks a stack trace.
 */
export abstract class EngineError extends Error {
  /** Camunda-style exception name, used as `type` in REST error bodies. */
  abstract readonly type: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  /** Fields an HTTP error body carries beside `type` and `message`, e.g. the failing fields of a form submission. */
  details(): Record<string, unknown> | undefined {
    return undefined;
  }
}

/** The caller asked for something malformed or impossible (HTTP 400). */
export class BadUserRequestError extends EngineError {
  readonly type: string = 'InvalidRequestException';
}

/** A BPMN resource does not parse or does not pass validation; lists every problem (HTTP 400). */
export class ParseError extends BadUserRequestError {
  override readonly type = 'ParseException';

  constructor(
    message: string,
    readonly problems: readonly ValidationProblem[],
  ) {
    super(message);
  }
}

export interface ValidationProblem {
  readonly resource: string;
  readonly elementId: string | null;
  readonly message: string;
  /** bpmnlint rule name, when the problem came from the linter */
  readonly rule?: string;
}

/** An upload is larger than the limit that applies to it; reading stopped at the limit (HTTP 413). */
export class PayloadTooLargeError extends BadUserRequestError {
  override readonly type = 'PayloadTooLargeException';
}

/** The named entity does not exist (HTTP 404). */
export class NotFoundError extends EngineError {
  readonly type = 'NotFoundException';
}

/** The entity exists but its state forbids the operation, e.g. a task already completed (HTTP 409). */
export class ConflictError extends EngineError {
  readonly type: string = 'ConflictException';
}

/** Another command changed the same row first; the caller may retry (HTTP 409). */
export class OptimisticLockingError extends ConflictError {
  override readonly type = 'OptimisticLockingException';
}

/** The caller is not the one allowed to act, e.g. a foreign external-task worker (HTTP 403). */
export class ForbiddenError extends EngineError {
  readonly type = 'AuthorizationException';
}

/** An expression or process step failed while the command ran; the command was rolled back (HTTP 400). */
export class ProcessEvaluationError extends BadUserRequestError {
  override readonly type = 'ProcessEngineException';
}

/** A message matched no waiting execution or start event, or several without `all` (HTTP 400). */
export class MismatchingMessageCorrelationError extends BadUserRequestError {
  override readonly type = 'MismatchingMessageCorrelationException';
}

/** The caller repeats an action sooner than allowed, e.g. urging the same case again at once (HTTP 429). */
export class TooManyRequestsError extends EngineError {
  readonly type: string = 'TooManyRequestsException';
  readonly status = 429;

  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }

  override details(): Record<string, unknown> {
    return { retryAfterSeconds: this.retryAfterSeconds };
  }
}
