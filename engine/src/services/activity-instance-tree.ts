import { NotFoundError } from '../errors/index.js';
import {
  EXECUTION,
  HI_ACTIVITY_INSTANCE,
  INCIDENT,
  PROCESS_DEFINITION,
  type DbSession,
  type ExecutionEntity,
  type HistoricActivityInstanceEntity,
  type IncidentEntity,
} from '../persistence/index.js';

/** Camunda's activity instance tree: what runs where in one process instance. */
export interface ActivityInstance {
  readonly id: string;
  readonly parentActivityInstanceId: string | null;
  readonly activityId: string;
  readonly activityType: string;
  readonly activityName: string | null;
  readonly processInstanceId: string;
  readonly processDefinitionId: string;
  readonly childActivityInstances: ActivityInstance[];
  readonly childTransitionInstances: TransitionInstance[];
  readonly executionIds: string[];
  readonly incidentIds: string[];
}

/** A token between activities: waiting in an asynchronous continuation before or after `activityId`. */
export interface TransitionInstance {
  readonly id: string;
  readonly parentActivityInstanceId: string;
  readonly activityId: string;
  readonly activityType: string | null;
  readonly activityName: string | null;
  readonly processInstanceId: string;
  readonly processDefinitionId: string;
  readonly executionId: string;
  readonly targetActivityId: string;
  readonly incidentIds: string[];
}

/**
 * Builds the tree from the execution tree and the open activity-instance history rows: the root is
 * the process instance (its activity instance id is the instance id), each open row hangs under its
 * parent activity instance, and a token without an open activity instance is a transition instance.
 */
export async function activityInstanceTree(session: DbSession, processInstanceId: string): Promise<ActivityInstance> {
  const executions = await session.select(EXECUTION, 'process_instance_id = $1', [processInstanceId]);
  const root = executions.find((e) => e.id === processInstanceId);
  if (!root) throw new NotFoundError(`Process instance '${processInstanceId}' does not exist or has ended`);
  const [rows, incidents, definition] = await Promise.all([
    session.select(HI_ACTIVITY_INSTANCE, 'process_instance_id = $1 AND end_time IS NULL', [processInstanceId], 'ORDER BY sequence_counter'),
    session.select(INCIDENT, 'process_instance_id = $1', [processInstanceId]),
    session.findById(PROCESS_DEFINITION, root.processDefinitionId),
  ]);
  const tree = new TreeBuilder(executions, incidents);
  const top: ActivityInstance = {
    id: root.id,
    parentActivityInstanceId: null,
    activityId: root.processDefinitionId,
    activityType: 'processDefinition',
    activityName: definition?.name ?? definition?.key ?? null,
    processInstanceId,
    processDefinitionId: root.processDefinitionId,
    childActivityInstances: [],
    childTransitionInstances: [],
    executionIds: [root.id],
    incidentIds: [],
  };
  const instances = new Map<string, ActivityInstance>([[top.id, top]]);
  for (const row of rows) instances.set(row.id, tree.activityInstance(row));
  for (const row of rows) (instances.get(row.parentActivityInstanceId ?? top.id) ?? top).childActivityInstances.push(instances.get(row.id) as ActivityInstance);
  for (const token of executions) {
    if (token.activityId === null || (token.activityInstanceId !== null && instances.has(token.activityInstanceId))) continue;
    const parent = instances.get(tree.scopeActivityInstanceId(token)) ?? top;
    parent.childTransitionInstances.push(tree.transitionInstance(token, parent.id));
  }
  return top;
}

class TreeBuilder {
  private readonly byId: Map<string, ExecutionEntity>;

  constructor(
    private readonly executions: ExecutionEntity[],
    private readonly incidents: IncidentEntity[],
  ) {
    this.byId = new Map(executions.map((e) => [e.id, e]));
  }

  activityInstance(row: HistoricActivityInstanceEntity): ActivityInstance {
    const executionIds = this.executions.filter((e) => e.activityInstanceId === row.id).map((e) => e.id);
    if (executionIds.length === 0) executionIds.push(row.executionId);
    return {
      id: row.id,
      parentActivityInstanceId: row.parentActivityInstanceId,
      activityId: row.activityId,
      activityType: row.activityType,
      activityName: row.activityName,
      processInstanceId: row.processInstanceId,
      processDefinitionId: row.processDefinitionId,
      childActivityInstances: [],
      childTransitionInstances: [],
      executionIds,
      incidentIds: this.incidentsAt(executionIds, row.activityId),
    };
  }

  transitionInstance(token: ExecutionEntity, parentActivityInstanceId: string): TransitionInstance {
    const activityId = token.activityId as string;
    return {
      id: token.id,
      parentActivityInstanceId,
      activityId,
      activityType: null,
      activityName: null,
      processInstanceId: token.processInstanceId,
      processDefinitionId: token.processDefinitionId,
      executionId: token.id,
      targetActivityId: activityId,
      incidentIds: this.incidentsAt([token.id], activityId),
    };
  }

  /** The activity instance of the scope a token runs in. */
  scopeActivityInstanceId(token: ExecutionEntity): string {
    const parent = token.parentId ? this.byId.get(token.parentId) : undefined;
    return parent?.activityInstanceId ?? token.processInstanceId;
  }

  private incidentsAt(executionIds: readonly string[], activityId: string): string[] {
    return this.incidents.filter((i) => i.executionId !== null && executionIds.includes(i.executionId) && i.activityId === activityId).map((i) => i.id);
  }
}
