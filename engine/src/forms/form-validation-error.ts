import { BadUserRequestError } from '../errors/index.js';
import type { FieldError } from './messages.js';

/** A submission that does not pass its form (HTTP 400); the body lists every failing field as `errors`. */
export class FormValidationError extends BadUserRequestError {
  constructor(
    readonly errors: readonly FieldError[],
    message = `表单校验未通过：${errors.length} 个字段有误 (the form has ${errors.length} invalid field${errors.length === 1 ? '' : 's'}): ${errors.map((error) => error.field).join(', ')}`,
  ) {
    super(message);
  }

  override details(): Record<string, unknown> {
    return { errors: this.errors };
  }
}
