import type { Expression } from '../../expression/index.js';

/**
 * The operations staff may apply to a user task beyond BPMN's "complete", as domestic BPM
 * platforms offer them. Which ones a task offers is configured on the task (`yiwang:operations`);
 * claim, unclaim, resolve and removing an added signer follow from the task's state instead.
 */
export const TASK_OPERATIONS = [
  'approve', // 通过
  'reject', // 不通过
  'return', // 退回
  'transfer', // 转办
  'delegate', // 委派
  'add-signer', // 加签
  'copy', // 抄送
  'withdraw', // 撤回: the handler of this task takes the case back
  'urge', // 催办 the handlers of this task
  'park', // 挂账
  'extend', // 延期 (with approval)
  'void', // 作废 (with approval)
  'merge', // 合并 a public report's case into an earlier report it repeats (POST /api/instances/{id}/merge; public-reports/merge.ts)
] as const;
export type TaskOperation = (typeof TASK_OPERATIONS)[number];

/** What a task offers when its BPMN says nothing: the everyday set; rejecting, parking, extending, voiding and merging are opted into. */
export const DEFAULT_TASK_OPERATIONS: readonly TaskOperation[] = ['approve', 'return', 'transfer', 'delegate', 'add-signer', 'copy', 'withdraw', 'urge'];

export const TIMEOUT_ACTIONS = ['remind', 'escalate', 'auto-complete', 'auto-return'] as const;
export type TimeoutAction = (typeof TIMEOUT_ACTIONS)[number];

/** Where 不通过 leads: the instance ends as rejected, or the token moves to an activity of the process. */
export type RejectPath = { readonly kind: 'end' } | { readonly kind: 'activity'; readonly activityId: string };

/** A time limit read from a dictionary item's `extra`, the item chosen by a variable (the case category's handling limit). */
export interface TimeLimitLookup {
  readonly dictionary: string;
  readonly variable: string;
  /** gives the dot path into the item's `extra` (`handlingLimit`, `limits.${urgency}`); `timeLimit` by default */
  readonly field: Expression;
}

export interface TaskOperationSettings {
  /** the operations offered, each with the label the process gives its button (null: the standard label) */
  readonly allowed: ReadonlyMap<TaskOperation, string | null>;
  readonly rejectPath: RejectPath;
  /** after 退回, whether completing the returned-to task goes straight back to the returner (direct) or along the process again */
  readonly resubmit: 'sequential' | 'direct';
  /** an ISO 8601 duration in working time (`PT4H`, `P2D`) or a number of working hours; evaluated when the task is created */
  readonly timeLimit: Expression | null;
  readonly timeLimitLookup: TimeLimitLookup | null;
  readonly timeoutAction: TimeoutAction | null;
  /** share of the time limit after which "approaching" is announced (and the light turns yellow): 0.8 */
  readonly warnRatio: number;
}

/** `yiwang:` properties of a copy node: whom it copies the case to, each an expression list. */
export interface CopyRecipients {
  readonly users: readonly Expression[];
  readonly departments: readonly Expression[];
  readonly roles: readonly Expression[];
}

/** 会签 every instance completes; 或签 the first completion ends the activity; ratio: a share of them. */
export type MultiInstanceMode = { readonly kind: 'all' } | { readonly kind: 'any' } | { readonly kind: 'ratio'; readonly ratio: number };
