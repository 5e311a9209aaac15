/** A field problem the server reported: form validation lists them as `errors`, ajv's body checks name them in the message. */
export interface FieldProblem {
  /** the value's path: `name`, `address.street`, `items[3].name` */
  readonly field: string;
  readonly message: string;
}

/** An answer other than 2xx: the server's `{ type, message }` and whatever else its body carried. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    /** the whole error body (e.g. `errors` of a form validation, `rows` of an import report) */
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The field problems of a 400: form validation's `errors`, or the `request body 'x' …` parts of an ajv message. */
  get fieldProblems(): FieldProblem[] {
    if (this.status !== 400) return [];
    const listed = this.body.errors;
    if (Array.isArray(listed)) {
      return listed.flatMap((entry: unknown) => {
        const { field, message } = (entry ?? {}) as { field?: unknown; message?: unknown };
        return typeof field === 'string' && typeof message === 'string' ? [{ field, message }] : [];
      });
    }
    return parseSchemaProblems(this.message);
  }
}

/**
 * ajv's problems as the engine words them (`api/platform/routes.ts`): `Invalid request body:
 * request body 'name' must NOT have fewer than 1 characters; request body 'code' is required;
 * unknown request body 'x'`, and the same for query parameters.
 */
export function parseSchemaProblems(message: string): FieldProblem[] {
  const match = /^Invalid (request body|query parameter): (.*)$/s.exec(message);
  if (!match) return [];
  const what = match[1]!;
  return match[2]!.split('; ').flatMap((part) => {
    const unknown = new RegExp(`^unknown ${what} '([^']*)'$`).exec(part);
    if (unknown) return [{ field: unknown[1]!, message: part }];
    const named = new RegExp(`^${what} '([^']*)' (.*)$`).exec(part);
    return named && named[1] ? [{ field: named[1], message: named[2]! }] : [];
  });
}
