import type { CommandContext } from '../../command/index.js';
import { hostObject, type Expression, type HostObject, type VariableResolver } from '../../expression/index.js';
import { HI_ACTIVITY_INSTANCE, HI_TASK, TASK_CANDIDATE, taskSearchText, type ExecutionEntity, type JobEntity, type TaskEntity } from '../../persistence/index.js';
import { toTypedValue } from '../../variables/index.js';
import type { Activity, SequenceFlow, TaskListeners, UserTaskActivity } from '../model/index.js';
import { asDate, asInteger, evaluationFailed } from './evaluation.js';
import { InstanceRuntime } from './runtime.js';
import { insertTaskCandidate } from './work-items.js';

/**
 * Execution and task listeners of expression type (`camunda:executionListener`,
 * `camunda:taskListener`). A listener sees `execution` (and `task`) as host objects whose methods
 * it may call. Evaluation is synchronous while variable writes are not, so the methods record
 * their changes, reads see those changes at once, and the changes are applied after each
 * listener: the next listener of the chain reads them from the variable store.
 */

type ExecutionEvent = 'start' | 'end' | 'take';
export type TaskEvent = keyof TaskListeners;

/** An activity's `start` (after input mappings) or `end` (after output mappings, or on cancellation) listeners. */
export async function fireActivityListeners(runtime: InstanceRuntime, token: ExecutionEntity, activity: Activity, event: 'start' | 'end'): Promise<void> {
  await runExecutionListeners(runtime, activity.listeners[event], token, event, `Execution listener '${event}' of '${activity.id}'`);
}

/** A token takes `flow`, before it enters the flow's target. */
export async function fireTakeListeners(runtime: InstanceRuntime, token: ExecutionEntity, flow: SequenceFlow): Promise<void> {
  await runExecutionListeners(runtime, flow.takeListeners, token, 'take', `Execution listener 'take' of sequence flow '${flow.id}'`);
}

/** The process instance starts (after its start variables are set) or ends (completed or cancelled). */
export async function fireProcessListeners(runtime: InstanceRuntime, event: 'start' | 'end'): Promise<void> {
  const { model } = runtime.process;
  await runExecutionListeners(runtime, model.listeners[event], runtime.root, event, `Execution listener '${event}' of process '${model.key}'`);
}

/**
 * The end listeners of a cancelled activity, as Camunda fires them on cancellation. Not for a
 * token whose activity has not started (waiting before it in an async job) or has already ended
 * (waiting after it in an async job): its end listeners never ran, or ran already.
 */
export async function fireCancelledActivityListeners(runtime: InstanceRuntime, execution: ExecutionEntity, executionJobs: readonly JobEntity[]): Promise<void> {
  if (!execution.activityInstanceId) return;
  const waitsAfterActivity = executionJobs.some((job) => job.handlerType === 'async-continuation' && job.handlerConfig?.phase === 'after');
  if (!waitsAfterActivity) await fireActivityListeners(runtime, execution, runtime.activityOf(execution), 'end');
}

/**
 * A user task was just created, its candidates (`known`) already stored: `create` listeners,
 * then `assignment` ones when the task has an assignee by then (as Camunda does).
 */
export async function fireTaskCreated(runtime: InstanceRuntime, task: TaskEntity, activity: UserTaskActivity, known: TaskCandidates): Promise<void> {
  await runTaskListeners(runtime, task, activity, 'create', known);
  if (task.assignee !== null) await runTaskListeners(runtime, task, activity, 'assignment', known);
}

/** `complete` listeners, before the completed task is removed (the completion's variables are set). */
export async function fireTaskCompleted(runtime: InstanceRuntime, task: TaskEntity): Promise<void> {
  await runTaskListeners(runtime, task, userTaskOf(runtime, task), 'complete', null);
}

/**
 * The task service changed the assignee (claim, unclaim, setAssignee). The instance is loaded
 * only when the task has assignment listeners.
 */
export async function fireAssigneeChanged(context: CommandContext, task: TaskEntity): Promise<void> {
  const process = await context.environment.deployments.get(context.session, task.processDefinitionId);
  const activity = process.model.activities.get(task.taskDefinitionKey);
  if (activity?.kind !== 'userTask' || activity.taskListeners.assignment.length === 0) return;
  const runtime = await InstanceRuntime.load(context, task.processInstanceId);
  await runTaskListeners(runtime, task, activity, 'assignment', null);
}

/** Candidate users and groups a task already has. */
export interface TaskCandidates {
  readonly users: Set<string>;
  readonly groups: Set<string>;
}

/* ---- running listeners ---- */

async function runExecutionListeners(
  runtime: InstanceRuntime,
  listeners: readonly Expression[],
  execution: ExecutionEntity,
  event: ExecutionEvent,
  what: string,
): Promise<void> {
  if (listeners.length === 0) return;
  await runtime.variables.ensureLoaded();
  for (const listener of listeners) {
    const variables = new PendingVariables(runtime, execution);
    evaluateListener(listener, variables.resolver({ execution: executionHost(runtime, execution, event, variables) }), what);
    await variables.apply();
  }
}

/** Task changes go to the task row as the methods run; its history row and new candidates follow each listener. */
async function runTaskListeners(runtime: InstanceRuntime, task: TaskEntity, activity: UserTaskActivity, event: TaskEvent, known: TaskCandidates | null): Promise<void> {
  const listeners = activity.taskListeners[event];
  if (listeners.length === 0) return;
  await runtime.variables.ensureLoaded();
  const execution = runtime.execution(task.executionId);
  const what = `Task listener '${event}' of user task '${activity.id}'`;
  let candidates = known;
  for (const listener of listeners) {
    const variables = new PendingVariables(runtime, execution);
    const changes: TaskChanges = { taskChanged: false, candidateUsers: [], candidateGroups: [] };
    const executionObject = executionHost(runtime, execution, event, variables);
    const taskObject = taskHost(runtime, task, event, listener, executionObject, variables, changes);
    evaluateListener(listener, variables.resolver({ task: taskObject, execution: executionObject }), what);
    if (changes.taskChanged) updateTaskHistory(runtime.context, task);
    if (changes.candidateUsers.length + changes.candidateGroups.length > 0) {
      candidates ??= await storedCandidates(runtime.context, task);
      addCandidates(runtime.context, task, changes, candidates);
    }
    await variables.apply();
  }
}

function evaluateListener(listener: Expression, resolver: VariableResolver, what: string): void {
  try {
    listener.evaluate(resolver);
  } catch (error) {
    evaluationFailed(what, error);
  }
}

function userTaskOf(runtime: InstanceRuntime, task: TaskEntity): UserTaskActivity {
  const activity = runtime.process.model.activities.get(task.taskDefinitionKey);
  if (activity?.kind !== 'userTask') throw new Error(`task ${task.id} belongs to '${task.taskDefinitionKey}', which is not a user task`);
  return activity;
}

/* ---- variables seen and changed by one listener ---- */

type VariableChange = { readonly name: string; readonly value: unknown; readonly local: boolean } | { readonly name: string; readonly removed: true };
/** a variable's value as the listener now sees it; null: removed */
type Overlay = Map<string, { readonly value: unknown } | null>;

/**
 * The variables as one listener sees them: the stored ones with its own changes on top. Its
 * changes are applied afterwards, in order, through the runtime. A removed variable reads as
 * null until then, even where an outer scope has one of the same name.
 */
class PendingVariables {
  private readonly changes: VariableChange[] = [];
  /** as seen from the execution up through its scopes */
  private readonly visible: Overlay = new Map();
  /** as seen on the execution alone */
  private readonly local: Overlay = new Map();
  private readonly stored: VariableResolver;
  private readonly storedLocal: VariableResolver;

  constructor(
    private readonly runtime: InstanceRuntime,
    private readonly execution: ExecutionEntity,
  ) {
    this.stored = runtime.variables.resolver(runtime.chain(execution), {});
    this.storedLocal = runtime.variables.resolver([execution], {});
  }

  get(name: string): unknown {
    return read(this.visible, this.stored, name);
  }

  getLocal(name: string): unknown {
    return read(this.local, this.storedLocal, name);
  }

  has(name: string): boolean {
    return holds(this.visible, this.stored, name);
  }

  /** Plain data: the visible variables by name. */
  all(): Record<string, unknown> {
    const names = new Set([...this.stored.names(), ...this.visible.keys()]);
    return Object.fromEntries([...names].filter((name) => this.has(name)).map((name) => [name, this.get(name)]));
  }

  /** Like the runtime's write: local, or to the nearest scope holding the name (the execution itself if it does). */
  set(name: string, value: unknown, local: boolean): void {
    toTypedValue(name, value); // an unstorable value fails inside the expression, naming the variable
    const entry = { value };
    if (local || holds(this.local, this.storedLocal, name)) this.local.set(name, entry);
    this.visible.set(name, entry);
    this.changes.push({ name, value, local });
  }

  remove(name: string): void {
    if (holds(this.local, this.storedLocal, name)) this.local.set(name, null);
    this.visible.set(name, null);
    this.changes.push({ name, removed: true });
  }

  /** What the expression sees: `builtIns` (execution, task) win over variables of the same name, as in Camunda. */
  resolver(builtIns: Record<string, unknown>): VariableResolver {
    return {
      has: (name) => Object.hasOwn(builtIns, name) || this.has(name),
      get: (name) => (Object.hasOwn(builtIns, name) ? builtIns[name] : this.get(name)),
      names: () => new Set([...Object.keys(builtIns), ...Object.keys(this.all())]),
    };
  }

  async apply(): Promise<void> {
    for (const change of this.changes) {
      if ('removed' in change) await this.runtime.variables.remove(this.runtime.chain(this.execution), change.name);
      else await this.runtime.setVariables(this.execution, { [change.name]: change.value }, change.local);
    }
  }
}

function read(overlay: Overlay, stored: VariableResolver, name: string): unknown {
  const pending = overlay.get(name);
  if (pending !== undefined) return pending?.value ?? null;
  return stored.has(name) ? stored.get(name) : null;
}

function holds(overlay: Overlay, stored: VariableResolver, name: string): boolean {
  const pending = overlay.get(name);
  return pending === undefined ? stored.has(name) : pending !== null;
}

/* ---- host objects ---- */

function executionHost(runtime: InstanceRuntime, execution: ExecutionEntity, event: ExecutionEvent | TaskEvent, variables: PendingVariables): HostObject {
  const { root } = runtime;
  const activity = execution.activityId ? runtime.process.model.activities.get(execution.activityId) : undefined;
  return hostObject(
    {
      id: execution.id,
      processInstanceId: root.id,
      processBusinessKey: root.businessKey,
      businessKey: root.businessKey,
      processDefinitionId: root.processDefinitionId,
      currentActivityId: execution.activityId,
      activityId: execution.activityId,
      currentActivityName: activity?.name ?? null,
      activityInstanceId: execution.activityInstanceId,
      eventName: event,
      tenantId: root.tenantId,
    },
    {
      getVariable: (name) => variables.get(variableName(name)),
      getVariableLocal: (name) => variables.getLocal(variableName(name)),
      hasVariable: (name) => variables.has(variableName(name)),
      getVariables: () => variables.all(),
      setVariable: (name, value) => variables.set(variableName(name), value, false),
      setVariableLocal: (name, value) => variables.set(variableName(name), value, true),
      removeVariable: (name) => variables.remove(variableName(name)),
    },
  );
}

interface TaskChanges {
  taskChanged: boolean;
  readonly candidateUsers: string[];
  readonly candidateGroups: string[];
}

/** `task` for a task listener; its properties read the task row as it is now (getters), so a change shows at once. */
function taskHost(
  runtime: InstanceRuntime,
  task: TaskEntity,
  event: TaskEvent,
  listener: Expression,
  execution: HostObject,
  variables: PendingVariables,
  changes: TaskChanges,
): HostObject {
  const change = (apply: () => void) => {
    apply();
    changes.taskChanged = true;
  };
  return hostObject(
    {
      id: task.id,
      get name() {
        return task.name;
      },
      get assignee() {
        return task.assignee;
      },
      get owner() {
        return task.owner;
      },
      get priority() {
        return task.priority;
      },
      get dueDate() {
        return task.dueDate;
      },
      taskDefinitionKey: task.taskDefinitionKey,
      eventName: event,
      processInstanceId: task.processInstanceId,
      executionId: task.executionId,
      execution,
    },
    {
      setAssignee: (userId) => change(() => (task.assignee = optionalText(userId, 'setAssignee'))),
      setOwner: (userId) => change(() => (task.owner = optionalText(userId, 'setOwner'))),
      setName: (name) =>
        change(() => {
          task.name = optionalText(name, 'setName');
          task.searchText = taskSearchText(task.businessKey, task.name);
        }),
      setPriority: (priority) => change(() => (task.priority = asInteger(priority, 'task.setPriority', listener))),
      setDueDate: (date) => change(() => (task.dueDate = asDate(date, runtime.context.now(), 'task.setDueDate', listener))),
      addCandidateUser: (userId) => changes.candidateUsers.push(requiredText(userId, 'addCandidateUser')),
      addCandidateGroup: (groupId) => changes.candidateGroups.push(requiredText(groupId, 'addCandidateGroup')),
      getVariable: (name) => variables.get(variableName(name)),
      setVariable: (name, value) => variables.set(variableName(name), value, false),
      setVariableLocal: (name, value) => variables.set(variableName(name), value, true),
    },
  );
}

function variableName(name: unknown): string {
  return requiredText(name, 'a variable name');
}

function requiredText(value: unknown, what: string): string {
  if (typeof value === 'string' && value.length > 0) return value;
  throw new TypeError(`${what} needs a non-empty string, not ${value === null || value === undefined ? 'null' : typeof value}`);
}

function optionalText(value: unknown, what: string): string | null {
  return value === null || value === undefined || value === '' ? null : requiredText(value, what);
}

/* ---- task rows ---- */

/** The history row (and the activity instance's assignee) follow what listeners changed on the task. */
function updateTaskHistory(context: CommandContext, task: TaskEntity): void {
  const { name, assignee, owner, priority, dueDate } = task;
  context.session.updateById(HI_TASK, task.id, { name, assignee, owner, priority, dueDate });
  context.session.updateById(HI_ACTIVITY_INSTANCE, task.activityInstanceId, { assignee });
}

async function storedCandidates(context: CommandContext, task: TaskEntity): Promise<TaskCandidates> {
  const rows = await context.session.select(TASK_CANDIDATE, 'task_id = $1', [task.id]);
  return {
    users: new Set(rows.flatMap((row) => (row.userId === null ? [] : [row.userId]))),
    groups: new Set(rows.flatMap((row) => (row.groupId === null ? [] : [row.groupId]))),
  };
}

function addCandidates(context: CommandContext, task: TaskEntity, changes: TaskChanges, candidates: TaskCandidates): void {
  for (const userId of changes.candidateUsers) {
    if (candidates.users.has(userId)) continue;
    candidates.users.add(userId);
    insertTaskCandidate(context, task, userId, null);
  }
  for (const groupId of changes.candidateGroups) {
    if (candidates.groups.has(groupId)) continue;
    candidates.groups.add(groupId);
    insertTaskCandidate(context, task, null, groupId);
  }
}
