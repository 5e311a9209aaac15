import type { Expression } from '../../expression/index.js';
import type { FormRef } from '../../persistence/index.js';

/**
 * The executable form of one process definition version, compiled once from the moddle tree and
 * cached. Plain data: behaviour lives in execute/, keyed by `kind`.
 */
export interface ProcessModel {
  readonly key: string;
  readonly name: string | null;
  readonly versionTag: string | null;
  readonly root: ScopeModel;
  readonly activities: ReadonlyMap<string, Activity>;
}

/** The process itself or an embedded sub-process: where tokens live and variables are scoped. */
export interface ScopeModel {
  readonly id: string;
  readonly parent: ScopeModel | null;
  readonly startActivity: Activity;
  readonly activities: readonly Activity[];
}

export interface SequenceFlow {
  readonly id: string;
  readonly name: string | null;
  readonly sourceId: string;
  readonly targetId: string;
  readonly condition: Expression | null;
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
}

export interface UserTaskActivity extends ActivityBase {
  readonly kind: 'userTask';
  readonly taskName: Expression | null;
  readonly description: string | null;
  readonly assignee: Expression | null;
  readonly candidateUsers: readonly Expression[];
  readonly candidateGroups: readonly Expression[];
  readonly dueDate: Expression | null;
  readonly followUpDate: Expression | null;
  readonly priority: Expression | null;
  readonly formKey: string | null;
  readonly formRef: FormRef | null;
}

export interface ExternalTaskActivity extends ActivityBase {
  readonly kind: 'externalTask';
  readonly topic: Expression;
  readonly priority: Expression | null;
}

export interface EndEventActivity extends ActivityBase {
  readonly kind: 'endEvent';
  readonly endKind: 'none' | 'terminate' | 'error';
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
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
  readonly kind: 'startEvent' | 'passThrough' | 'receiveTask' | 'exclusiveGateway' | 'parallelGateway';
}

export type Activity =
  | UserTaskActivity
  | ExternalTaskActivity
  | EndEventActivity
  | SubProcessActivity
  | InclusiveGatewayActivity
  | SimpleActivity;

export type ActivityKind = Activity['kind'];
