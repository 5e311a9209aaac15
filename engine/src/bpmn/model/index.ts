import type { Expression } from '../../expression/index.js';
import type { FieldPermissions } from '../../forms/index.js';
import type { FormRef } from '../../persistence/index.js';
import type { TimerType } from '../../timer/index.js';
import type { AssignmentOptions } from './assignment.js';
import type { CopyRecipients, TaskOperationSettings } from './task-operations.js';
import type { VariableLookup } from './variable-lookups.js';

export * from './assignment.js';
export * from './task-operations.js';
export * from './variable-lookups.js';

/**
 * The executable form of one process definition version, compiled once from the moddle tree and
 * cached. Plain data: behaviour lives in execute/, keyed by `kind`.
 */
export interface ProcessModel {
  readonly key: string;
  readonly name: string | null;
  readonly versionTag: string | null;
  /** `yiwang:category` of the process: a code of the `process-category` dictionary */
  readonly category: string | null;
  /** execution listeners of the process itself: `start` as an instance starts, `end` as it ends */
  readonly listeners: ExecutionListeners;
  readonly root: ScopeModel;
  /** every activity by id, including boundary events and multi-instance bodies (`<id>#multiInstanceBody`) */
  readonly activities: ReadonlyMap<string, Activity>;
  /** timer, message and signal start events of the process (not of sub-processes) */
  readonly eventStarts: readonly StartEventActivity[];
}

/** The process itself or an embedded sub-process: where tokens live and variables are scoped. */
export interface ScopeModel {
  readonly id: string;
  readonly parent: ScopeModel | null;
  /**
   * Where a plain start begins: the none start event, or the only start event. Null for a process
   * that starts only by its timer, message or signal start events.
   */
  readonly startActivity: Activity | null;
  readonly activities: readonly Activity[];
}

export interface SequenceFlow {
  readonly id: string;
  readonly name: string | null;
  readonly sourceId: string;
  readonly targetId: string;
  readonly condition: Expression | null;
  /** execution listeners with event `take` */
  readonly takeListeners: readonly Expression[];
}

export type ParameterValue =
  | { readonly kind: 'expression'; readonly expression: Expression }
  | { readonly kind: 'list'; readonly items: readonly ParameterValue[] }
  | { readonly kind: 'map'; readonly entries: readonly (readonly [string, ParameterValue])[] }
  | { readonly kind: 'null' };

export interface ParameterMapping {
  readonly name: string;
  readonly value: ParameterValue;
}

interface ActivityBase {
  readonly id: string;
  readonly name: string | null;
  /** Camunda's history activity type, e.g. `userTask`, `exclusiveGateway`, `noneEndEvent` */
  readonly activityType: string;
  readonly scope: ScopeModel;
  readonly incoming: readonly SequenceFlow[];
  readonly outgoing: readonly SequenceFlow[];
  readonly defaultFlowId: string | null;
  readonly inputs: readonly ParameterMapping[];
  readonly outputs: readonly ParameterMapping[];
  /** boundary events attached here (on a multi-instance activity: attached to its body) */
  readonly boundaryEvents: readonly BoundaryEventActivity[];
  readonly listeners: ExecutionListeners;
  readonly async: AsyncContinuation;
  /** set on the inner activity of a multi-instance activity; the body is `activities.get(id + '#multiInstanceBody')` */
  readonly multiInstance: MultiInstanceLoop | null;
  /** `yiwang:lookup:*`: variables filled from dictionaries when the activity is entered */
  readonly lookups: readonly VariableLookup[];
}

/** `camunda:taskListener` of expression type, by event. */
export interface TaskListeners {
  readonly create: readonly Expression[];
  readonly assignment: readonly Expression[];
  readonly complete: readonly Expression[];
}

/** `camunda:executionListener` of expression type, by event. */
export interface ExecutionListeners {
  readonly start: readonly Expression[];
  readonly end: readonly Expression[];
}

/** `camunda:asyncBefore` / `asyncAfter`: a job and a commit boundary before or after the activity. */
export interface AsyncContinuation {
  readonly before: boolean;
  readonly after: boolean;
  /** `camunda:exclusive` (default true): exclusive jobs of one instance never run at once */
  readonly exclusive: boolean;
  /** `camunda:failedJobRetryTimeCycle`, e.g. `R5/PT10M`; null: the engine's default retries */
  readonly retryTimeCycle: Expression | null;
}

/** What an event waits for or throws. */
export type EventTrigger =
  | { readonly type: 'timer'; readonly timerType: TimerType; readonly definition: Expression }
  | { readonly type: 'message'; readonly name: Expression }
  | { readonly type: 'signal'; readonly name: Expression }
  | {
      readonly type: 'error';
      /** null: catches every error */
      readonly errorCode: string | null;
      readonly errorCodeVariable: string | null;
      readonly errorMessageVariable: string | null;
    };

export interface MultiInstanceLoop {
  readonly sequential: boolean;
  readonly loopCardinality: Expression | null;
  /** `camunda:collection`: an expression or a variable name */
  readonly collection: Expression | null;
  readonly elementVariable: string | null;
  readonly completionCondition: Expression | null;
}

/** `camunda:in` / `camunda:out` of a call activity. */
export type CallMapping =
  | { readonly kind: 'all'; readonly local: boolean }
  | { readonly kind: 'variable'; readonly source: string; readonly target: string; readonly local: boolean }
  | { readonly kind: 'expression'; readonly source: Expression; readonly target: string; readonly local: boolean }
  | { readonly kind: 'businessKey'; readonly value: Expression };

export interface UserTaskActivity extends ActivityBase {
  readonly kind: 'userTask';
  readonly taskListeners: TaskListeners;
  readonly taskName: Expression | null;
  readonly description: string | null;
  readonly assignee: Expression | null;
  readonly candidateUsers: readonly Expression[];
  readonly candidateGroups: readonly Expression[];
  readonly assignmentOptions: AssignmentOptions;
  readonly dueDate: Expression | null;
  readonly followUpDate: Expression | null;
  readonly priority: Expression | null;
  readonly formKey: string | null;
  readonly formRef: FormRef | null;
  /** `yiwang:field:<key>` properties: which fields of its form the task's user sees read-only or not at all (absent: editable) */
  readonly fieldPermissions: FieldPermissions;
  /** which operations staff may apply (`yiwang:operations`), its time limit and timeout action */
  readonly operations: TaskOperationSettings;
}

export interface ExternalTaskActivity extends ActivityBase {
  readonly kind: 'externalTask';
  readonly topic: Expression;
  readonly priority: Expression | null;
  /** `camunda:properties` of the task, handed to workers that ask for them (`includeExtensionProperties`) */
  readonly extensionProperties: Readonly<Record<string, string>>;
}

/** 抄送节点: a task or send task that copies the case to people and moves straight on. */
export interface CopyActivity extends ActivityBase {
  readonly kind: 'copy';
  readonly recipients: CopyRecipients;
}

export interface EndEventActivity extends ActivityBase {
  readonly kind: 'endEvent';
  readonly endKind: 'none' | 'terminate' | 'error' | 'signal';
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  /** the signal an end event broadcasts (endKind 'signal') */
  readonly signalName: Expression | null;
}

export interface StartEventActivity extends ActivityBase {
  readonly kind: 'startEvent';
  /** null for the none start event */
  readonly trigger: EventTrigger | null;
  /** `camunda:formKey` / `camunda:formRef`: the start form Tasklist shows before starting an instance */
  readonly formKey: string | null;
  readonly formRef: FormRef | null;
  /** `yiwang:field:<key>` properties of the start form; none: every field editable */
  readonly fieldPermissions: FieldPermissions;
}

/** An intermediate catch event (timer, message, signal), or a receive task waiting for a message. */
export interface CatchEventActivity extends ActivityBase {
  readonly kind: 'catchEvent' | 'receiveTask';
  /** null: a receive task without a message, moved on by `trigger` */
  readonly trigger: EventTrigger | null;
}

export interface SignalThrowActivity extends ActivityBase {
  readonly kind: 'signalThrow';
  readonly signalName: Expression;
}

export interface BoundaryEventActivity extends ActivityBase {
  readonly kind: 'boundaryEvent';
  readonly attachedToId: string;
  /** interrupting (default) cancels the activity it is attached to */
  readonly cancelActivity: boolean;
  readonly trigger: EventTrigger;
}

export interface CallActivity extends ActivityBase {
  readonly kind: 'callActivity';
  readonly calledElement: Expression;
  readonly binding: 'latest' | 'deployment' | 'version' | 'versionTag';
  readonly version: Expression | null;
  readonly versionTag: Expression | null;
  readonly tenantId: Expression | null;
  readonly inMappings: readonly CallMapping[];
  readonly outMappings: readonly CallMapping[];
}

/** The scope around the instances of a multi-instance activity (Camunda's `multiInstanceBody`). */
export interface MultiInstanceBodyActivity extends ActivityBase {
  readonly kind: 'multiInstanceBody';
  readonly inner: Activity;
  readonly loop: MultiInstanceLoop;
}

/** The id of the body of multi-instance activity `activityId`, as Camunda names it in history. */
export function multiInstanceBodyId(activityId: string): string {
  return `${activityId}#multiInstanceBody`;
}

export interface SubProcessActivity extends ActivityBase {
  readonly kind: 'subProcess';
  readonly subScope: ScopeModel;
}

export interface InclusiveGatewayActivity extends ActivityBase {
  readonly kind: 'inclusiveGateway';
  /** activities of the same scope from which a token can still reach this gateway (for the join) */
  readonly reachableFrom: ReadonlySet<string>;
}

export interface SimpleActivity extends ActivityBase {
  readonly kind: 'passThrough' | 'exclusiveGateway' | 'parallelGateway' | 'eventBasedGateway';
}

export type Activity =
  | UserTaskActivity
  | ExternalTaskActivity
  | CopyActivity
  | EndEventActivity
  | StartEventActivity
  | CatchEventActivity
  | SignalThrowActivity
  | BoundaryEventActivity
  | SubProcessActivity
  | CallActivity
  | MultiInstanceBodyActivity
  | InclusiveGatewayActivity
  | SimpleActivity;

export type ActivityKind = Activity['kind'];
