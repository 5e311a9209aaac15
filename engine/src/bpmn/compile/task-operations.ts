import {
  DEFAULT_TASK_OPERATIONS,
  TASK_OPERATIONS,
  TIMEOUT_ACTIONS,
  type RejectPath,
  type TaskOperation,
  type TaskOperationSettings,
  type TimeLimitLookup,
  type TimeoutAction,
} from '../model/index.js';
import type { CompileSupport } from './support.js';
import { compileExtraPath } from './variable-lookups.js';

/** The `camunda:properties` a user task's operations are configured by (the designer's 按钮 and 时限 groups write them). */
export const TASK_OPERATION_PROPERTIES = {
  /** comma list of TASK_OPERATIONS; absent: DEFAULT_TASK_OPERATIONS */
  operations: 'yiwang:operations',
  /** `yiwang:operation:<code>:label`, the button's label */
  labelPrefix: 'yiwang:operation:',
  /** activity id 不通过 moves to; absent: the instance ends as rejected */
  rejectTarget: 'yiwang:reject:target',
  /** sequential | direct */
  resubmit: 'yiwang:return:resubmit',
  timeLimit: 'yiwang:timeLimit',
  timeLimitDictionary: 'yiwang:timeLimit:dictionary',
  timeLimitVariable: 'yiwang:timeLimit:variable',
  timeLimitField: 'yiwang:timeLimit:field',
  timeoutAction: 'yiwang:timeout:action',
  warnRatio: 'yiwang:timeout:warnRatio',
} as const;

const DEFAULT_WARN_RATIO = 0.8;
const P = TASK_OPERATION_PROPERTIES;

/** Reads a user task's operation settings, reporting every bad value with the task's id so the deploy fails. */
export function compileTaskOperations(support: CompileSupport, taskId: string, properties: Readonly<Record<string, string>>): TaskOperationSettings {
  const problem = (message: string) => support.problem(taskId, `User task '${taskId}': ${message}`);
  const allowed = new Map<TaskOperation, string | null>(allowedOperations(properties[P.operations], problem).map((operation) => [operation, null]));
  for (const [name, value] of Object.entries(properties)) {
    const label = /^yiwang:operation:([a-z-]+):label$/.exec(name);
    if (!label) continue;
    const operation = label[1] as TaskOperation;
    if (!allowed.has(operation)) problem(`${name} labels '${operation}', which the task does not offer (${P.operations})`);
    else if (value.trim() === '') problem(`${name} is empty`);
    else allowed.set(operation, value.trim());
  }
  return {
    allowed,
    rejectPath: rejectPath(properties[P.rejectTarget]),
    resubmit: oneOf(properties[P.resubmit], ['sequential', 'direct'] as const, 'sequential', P.resubmit, problem),
    timeLimit: properties[P.timeLimit] ? support.optionalExpression(taskId, properties[P.timeLimit]) : null,
    timeLimitLookup: timeLimitLookup(support, taskId, properties, problem),
    timeoutAction: timeoutAction(properties[P.timeoutAction], problem),
    warnRatio: warnRatio(properties[P.warnRatio], problem),
  };
}

function allowedOperations(listed: string | undefined, problem: (message: string) => void): TaskOperation[] {
  if (listed === undefined) return [...DEFAULT_TASK_OPERATIONS];
  const codes = listed.split(',').map((code) => code.trim()).filter((code) => code !== '');
  const unknown = codes.filter((code) => !(TASK_OPERATIONS as readonly string[]).includes(code));
  if (unknown.length > 0) problem(`${P.operations} names unknown operations ${unknown.join(', ')} (known: ${TASK_OPERATIONS.join(', ')})`);
  return codes.filter((code): code is TaskOperation => !unknown.includes(code));
}

function rejectPath(target: string | undefined): RejectPath {
  return target?.trim() ? { kind: 'activity', activityId: target.trim() } : { kind: 'end' };
}

function oneOf<T extends string>(value: string | undefined, options: readonly T[], fallback: T, name: string, problem: (message: string) => void): T {
  if (value === undefined) return fallback;
  if ((options as readonly string[]).includes(value)) return value as T;
  problem(`${name} must be ${options.join(' or ')}, not '${value}'`);
  return fallback;
}

function timeoutAction(value: string | undefined, problem: (message: string) => void): TimeoutAction | null {
  return value === undefined ? null : oneOf(value, TIMEOUT_ACTIONS, 'remind', P.timeoutAction, problem);
}

function timeLimitLookup(support: CompileSupport, taskId: string, properties: Readonly<Record<string, string>>, problem: (message: string) => void): TimeLimitLookup | null {
  const dictionary = properties[P.timeLimitDictionary]?.trim();
  const variable = properties[P.timeLimitVariable]?.trim();
  if (!dictionary && !variable) return null;
  if (!dictionary || !variable) {
    problem(`${P.timeLimitDictionary} and ${P.timeLimitVariable} go together: the dictionary, and the variable holding the item's code`);
    return null;
  }
  if (properties[P.timeLimit]) problem(`${P.timeLimit} and ${P.timeLimitDictionary} both set a time limit: keep one`);
  // a path that may depend on the case (`limits.${urgency}`: the category's limit for the urgency tier)
  const field = compileExtraPath(support, taskId, P.timeLimitField, properties[P.timeLimitField]?.trim() || 'timeLimit');
  return field ? { dictionary, variable, field } : null;
}

function warnRatio(value: string | undefined, problem: (message: string) => void): number {
  if (value === undefined) return DEFAULT_WARN_RATIO;
  const ratio = Number(value);
  if (Number.isFinite(ratio) && ratio > 0 && ratio < 1) return ratio;
  problem(`${P.warnRatio} must be a number between 0 and 1, not '${value}'`);
  return DEFAULT_WARN_RATIO;
}
