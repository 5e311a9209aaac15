import { reactive, ref, type Ref } from 'vue';
import { ApiError } from './errors.js';

/**
 * The server's field errors beside the fields of an el-form: bind `:error="serverErrors.fields.name"`
 * on each el-form-item, call `serverErrors.clear()` before sending and `serverErrors.take(error)` when
 * the call fails. Field paths are the server's (`name`, `address.street`); `take` answers whether
 * any problem landed on a field, so the caller knows whether the toast said it all.
 */
export interface ServerErrors {
  readonly fields: Record<string, string | undefined>;
  /** the error's message when no problem landed on a field (show it above the form) */
  readonly message: Ref<string>;
  clear(): void;
  /** puts the error's field problems beside the fields (only `fieldNames`, when given); answers whether any landed */
  take(error: unknown, fieldNames?: readonly string[]): boolean;
  /** `take`, and the message above the form when no field took it */
  report(error: unknown, fieldNames?: readonly string[]): void;
}

export function useServerErrors(): ServerErrors {
  const fields = reactive<Record<string, string | undefined>>({});
  const message = ref('');
  const take: ServerErrors['take'] = (error, fieldNames) => {
    if (!(error instanceof ApiError)) return false;
    let landed = false;
    for (const problem of error.fieldProblems) {
      if (fieldNames && !fieldNames.includes(problem.field)) continue;
      fields[problem.field] = fields[problem.field] ? `${fields[problem.field]}; ${problem.message}` : problem.message;
      landed = true;
    }
    return landed;
  };
  return {
    fields,
    message,
    clear() {
      for (const key of Object.keys(fields)) delete fields[key];
      message.value = '';
    },
    take,
    report(error, fieldNames) {
      if (!take(error, fieldNames)) message.value = error instanceof Error ? error.message : String(error);
    },
  };
}
