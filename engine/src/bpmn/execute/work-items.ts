import type { CommandContext } from '../../command/index.js';
import { announceNewTask } from '../../notifications/index.js';
import { caseIsParked } from '../../tasks/task-state.js';
import { startTaskClock } from '../../tasks/deadlines.js';
import { EXTERNAL_TASK, TASK, TASK_CANDIDATE, taskSearchText, type ExecutionEntity, type TaskEntity } from '../../persistence/index.js';
import type { ExternalTaskActivity, UserTaskActivity } from '../model/index.js';
import { recordAssignmentFallback, resolveTaskAssignment } from './assignment.js';
import { asDate, asInteger, asOptionalString } from './evaluation.js';
import { fireTaskCreated } from './listeners.js';
import type { InstanceRuntime, TaskOverride } from './runtime.js';

const DEFAULT_TASK_PRIORITY = 50;

/**
 * A user task is created with everything the inbox filters on already resolved and stored (its
 * assignment down to user ids, see `assignment.ts`); then its `create` (and, with an assignee,
 * `assignment`) listeners run and may still change it.
 */
export async function createUserTask(runtime: InstanceRuntime, token: ExecutionEntity, activity: UserTaskActivity): Promise<void> {
  const { context } = runtime;
  const attribute = (name: string) => `${name} of user task '${activity.id}'`;
  const evaluate = (expression: UserTaskActivity['assignee'], name: string) =>
    expression ? runtime.evaluate(expression, token, attribute(name)) : Promise.resolve(null);
  const override = overrideFor(runtime, activity);
  // nobody known to give it back to (its earlier handler was never assigned): the activity's own assignment decides
  const assignment = override?.assignee
    ? { assignee: override.assignee, candidateUsers: new Set<string>(), candidateGroups: new Set<string>(), fallback: null }
    : await resolveTaskAssignment(runtime, token, activity);
  const now = context.now();
  // a task created while its case is parked (a timer or message moved a token on) starts with its clock standing, as its siblings' do
  const parkedAt = (await caseIsParked(context, token.processInstanceId)) ? now : null;
  const name = asOptionalString(await evaluate(activity.taskName, 'Name')) ?? activity.name;
  const task = context.session.insert(TASK, {
    id: context.newId(),
    rev: 1,
    name,
    description: activity.description,
    assignee: assignment.assignee,
    owner: null,
    delegationState: null,
    priority: activity.priority
      ? asInteger(await evaluate(activity.priority, 'camunda:priority'), attribute('camunda:priority'), activity.priority)
      : DEFAULT_TASK_PRIORITY,
    dueDate: activity.dueDate ? asDate(await evaluate(activity.dueDate, 'camunda:dueDate'), now, attribute('camunda:dueDate'), activity.dueDate) : null,
    followUpDate: activity.followUpDate
      ? asDate(await evaluate(activity.followUpDate, 'camunda:followUpDate'), now, attribute('camunda:followUpDate'), activity.followUpDate)
      : null,
    createTime: now,
    lastUpdated: null,
    executionId: token.id,
    processInstanceId: token.processInstanceId,
    processDefinitionId: token.processDefinitionId,
    businessKey: runtime.root.businessKey,
    searchText: taskSearchText(runtime.root.businessKey, name),
    taskDefinitionKey: activity.id,
    activityInstanceId: token.activityInstanceId as string,
    formKey: activity.formKey,
    formRef: activity.formRef,
    tenantId: token.tenantId,
    suspended: false,
    assignmentFallback: assignment.fallback !== null,
    parentTaskId: null,
    signState: null,
    previousTaskId: runtime.completingTaskId,
    returnTo: override?.returnTo ?? null,
    timeLimitMs: null,
    warnDate: null,
    parkedAt,
    parkedMs: 0,
    openedAt: null,
    urgeCount: 0,
  });
  await startTaskClock(runtime, token, activity, task);
  const candidates = { users: assignment.candidateUsers, groups: assignment.candidateGroups };
  for (const userId of candidates.users) insertTaskCandidate(context, task, userId, null);
  for (const groupId of candidates.groups) insertTaskCandidate(context, task, null, groupId);
  if (assignment.fallback) recordAssignmentFallback(runtime, task, assignment.fallback.unresolved);
  runtime.history.taskCreated(task);
  runtime.recordCreated({ tasks: [task] });
  await fireTaskCreated(runtime, task, activity, candidates);
  // a task re-created by 退回 or 撤回 for its earlier handler is announced by that operation, with why it came back
  if (!override?.assignee) await announceNewTask(context, task, candidates.users);
}

/**
 * A token moved back (退回, 撤回) re-creates its task for a chosen user instead of the activity's
 * own assignment; used once, so a later visit of the activity in the same command is assigned as usual.
 */
function overrideFor(runtime: InstanceRuntime, activity: UserTaskActivity): TaskOverride | null {
  const override = runtime.taskOverride;
  if (override?.activityId !== activity.id) return null;
  runtime.taskOverride = null;
  return override;
}

export function insertTaskCandidate(context: CommandContext, task: TaskEntity, userId: string | null, groupId: string | null): void {
  context.session.insert(TASK_CANDIDATE, { id: context.newId(), taskId: task.id, processInstanceId: task.processInstanceId, userId, groupId, tenantId: task.tenantId });
}

/** Service, send and business-rule tasks wait for a worker that fetches them by topic. */
export async function createExternalTask(runtime: InstanceRuntime, token: ExecutionEntity, activity: ExternalTaskActivity): Promise<void> {
  const { context } = runtime;
  const { definition } = runtime.process;
  const what = `camunda:topic of '${activity.id}'`;
  const topicName = asOptionalString(await runtime.evaluate(activity.topic, token, what));
  if (!topicName) throw new Error(`${what} evaluated to an empty topic`);
  const priority = activity.priority
    ? asInteger(await runtime.evaluate(activity.priority, token, `camunda:taskPriority of '${activity.id}'`), `camunda:taskPriority of '${activity.id}'`, activity.priority)
    : 0;
  const task = context.session.insert(EXTERNAL_TASK, {
    id: context.newId(),
    rev: 1,
    topicName,
    workerId: null,
    lockExpirationTime: null,
    retries: null,
    errorMessage: null,
    errorDetails: null,
    priority,
    executionId: token.id,
    processInstanceId: token.processInstanceId,
    processDefinitionId: definition.id,
    processDefinitionKey: definition.key,
    activityId: activity.id,
    activityInstanceId: token.activityInstanceId as string,
    businessKey: runtime.root.businessKey,
    tenantId: token.tenantId,
    createTime: context.now(),
    suspended: false,
    notificationId: null,
  });
  runtime.recordCreated({ externalTasks: [task] });
  context.externalTaskAvailable(topicName);
}
