import type { Command, CommandContext } from '../command/index.js';
import { hasPermission, type Principal } from '../identity/index.js';
import { NotFoundError } from '../errors/index.js';
import {
  placeholders,
  CASE_ACTION,
  CASE_HOLD,
  CASE_REQUEST,
  HI_PROCESS_INSTANCE,
  PROCESS_DEFINITION,
  PROCESS_FORM,
  STORED_FILE,
  TASK,
  TASK_CANDIDATE,
  USER,
  type CaseActionEntity,
  type CaseHoldEntity,
  type CaseRequestEntity,
  type DbSession,
  type HistoricProcessInstanceEntity,
  type StatusLight,
  type TaskEntity,
} from '../persistence/index.js';
import type { UserTaskActivity } from '../bpmn/model/index.js';
import type { DeploymentCache } from '../bpmn/deployment-cache.js';
import { operationLabel, type Locale, type OfferedOperation } from './labels.js';
import { taskLight, worstLight } from './lights.js';
import { isWaitingForSigners } from './task-state.js';
import { loadOpenTask } from '../services/commands/task.js';

export interface OfferedButton {
  readonly operation: OfferedOperation;
  readonly label: string;
}

/** What the task page shows: the task, its case, its clock and the buttons the caller may press now. */
export interface TaskView {
  readonly task: OpenTaskJson;
  readonly processName: string | null;
  readonly processDefinitionKey: string;
  readonly businessKey: string | null;
  readonly light: StatusLight | null;
  readonly parked: boolean;
  /** the task has a pinned form version: `GET /api/tasks/{id}/form` answers it (without one it answers 404) */
  readonly hasForm: boolean;
  readonly operations: readonly OfferedButton[];
}

/** An open task as the task and case pages show it: the row without the inbox's search text, which only its index needs. */
export type OpenTaskJson = Omit<TaskEntity, 'searchText'>;

function openTaskJson({ searchText: _searchText, ...task }: TaskEntity): OpenTaskJson {
  return task;
}

/**
 * The buttons a task offers its caller now: none on a parked case; a signer's own task offers
 * 签署; a task waiting for its signers offers 减签 to its assignee; a delegated one 归还 to the
 * delegate; an unassigned one 认领 to its candidates; the assignee gets what the task's BPMN
 * offers (less 撤回 and 催办, which act on the case from elsewhere; 合并 only to a holder of
 * public-report:merge, the staff app showing it beside the possible duplicates) and 释放 where others could take it.
 */
export function offeredOperations(task: TaskEntity, activity: UserTaskActivity, caller: Principal, candidateCount: number, locale: Locale): OfferedButton[] {
  const button = (operation: OfferedOperation, custom: string | null = null) => ({ operation, label: operationLabel(operation, custom, locale) });
  if (task.parkedAt) return [];
  const me = caller.userId;
  if (task.parentTaskId) return task.assignee === me ? [button('sign')] : [];
  if (isWaitingForSigners(task)) return task.assignee === me ? [button('remove-signer')] : [];
  if (task.delegationState === 'PENDING') return task.assignee === me ? [button('resolve')] : [];
  if (task.assignee === null) return [button('claim')];
  if (task.assignee !== me) return [];
  const configured = [...activity.operations.allowed].filter(([operation]) =>
    operation !== 'withdraw' && operation !== 'urge' && (operation !== 'merge' || hasPermission(caller, 'public-report:merge')));
  return [...configured.map(([operation, label]) => button(operation, label)), ...(candidateCount > 0 ? [button('unclaim')] : [])];
}

export async function taskView(session: DbSession, deployments: DeploymentCache, caller: Principal, taskId: string, now: Date, locale: Locale): Promise<TaskView> {
  const task = await session.findById(TASK, taskId);
  if (!task) throw new NotFoundError(`Task '${taskId}' does not exist or is no longer open`);
  const [instance, definition, candidates, process, forms] = await Promise.all([
    session.findById(HI_PROCESS_INSTANCE, task.processInstanceId),
    session.findById(PROCESS_DEFINITION, task.processDefinitionId),
    session.count(TASK_CANDIDATE, 'task_id = $1', [task.id]),
    deployments.get(session, task.processDefinitionId),
    // the pin the form service reads (a task's form is its activity's pinned version)
    session.count(PROCESS_FORM, 'process_definition_id = $1 AND activity_id = $2', [task.processDefinitionId, task.taskDefinitionKey]),
  ]);
  const activity = process.model.activities.get(task.taskDefinitionKey) as UserTaskActivity;
  return {
    task: openTaskJson(task),
    processName: definition?.name ?? null,
    processDefinitionKey: process.definition.key,
    businessKey: instance?.businessKey ?? null,
    light: taskLight(task, now),
    parked: task.parkedAt !== null,
    hasForm: forms > 0,
    operations: offeredOperations(task, activity, caller, candidates, locale),
  };
}

/**
 * The first time its assignee opens a task it is marked opened: from then on the previous handler
 * can no longer withdraw (撤回) the case. Anyone else looking at it changes nothing.
 */
export class MarkTaskOpenedCmd implements Command<void> {
  readonly name = 'MarkTaskOpened';

  constructor(private readonly taskId: string) {}

  async execute(context: CommandContext): Promise<void> {
    const task = await loadOpenTask(context, this.taskId);
    if (task.openedAt || task.assignee !== context.userId) return;
    task.openedAt = context.now();
  }
}

/** The case page: the case, its open tasks with their lights, the case's light (the worst), its hold and requests. */
export interface InstanceView {
  readonly instance: HistoricProcessInstanceEntity;
  readonly processName: string | null;
  readonly openTasks: readonly (OpenTaskJson & { readonly light: StatusLight | null })[];
  readonly light: StatusLight | null;
  readonly hold: CaseHoldEntity | null;
  readonly requests: readonly CaseRequestEntity[];
  /** what the caller may do to the case as a whole */
  readonly operations: readonly ('urge' | 'resume' | 'terminate')[];
}

export async function instanceView(session: DbSession, deployments: DeploymentCache, caller: Principal, processInstanceId: string, now: Date): Promise<InstanceView> {
  const instance = await session.findById(HI_PROCESS_INSTANCE, processInstanceId);
  if (!instance) throw new NotFoundError(`Process instance '${processInstanceId}' does not exist`);
  const [definition, tasks, holds, requests] = await Promise.all([
    session.findById(PROCESS_DEFINITION, instance.processDefinitionId),
    session.select(TASK, 'process_instance_id = $1', [instance.id], 'ORDER BY create_time, id'),
    session.select(CASE_HOLD, 'process_instance_id = $1', [instance.id]),
    session.select(CASE_REQUEST, 'process_instance_id = $1', [instance.id], 'ORDER BY requested_at, id'),
  ]);
  const openTasks = tasks.map((task) => ({ ...openTaskJson(task), light: taskLight(task, now) }));
  const hold = holds[0] ?? null;
  const process = await deployments.get(session, instance.processDefinitionId);
  const urgeable = tasks.some((task) => (process.model.activities.get(task.taskDefinitionKey) as UserTaskActivity | undefined)?.operations?.allowed.has('urge'));
  const operations = [
    ...(urgeable && !instance.endTime ? (['urge'] as const) : []),
    ...(hold && (hold.parkedBy === caller.userId || hasPermission(caller, 'case:supervise')) ? (['resume'] as const) : []),
    ...(!instance.endTime && hasPermission(caller, 'instance:terminate') ? (['terminate'] as const) : []),
  ];
  return { instance, processName: definition?.name ?? null, openTasks, light: worstLight(openTasks.map((task) => task.light)), hold, requests, operations };
}

/** One timeline entry as shown: who by name, the files by name. */
export interface TimelineEntry extends CaseActionEntity {
  readonly userName: string | null;
  readonly files: readonly { readonly id: string; readonly name: string; readonly contentType: string; readonly size: number }[];
}

/** A case's timeline: every action in order, with who did it by name and the attached files. */
export async function caseTimeline(session: DbSession, processInstanceId: string): Promise<TimelineEntry[]> {
  if ((await session.count(HI_PROCESS_INSTANCE, 'id = $1', [processInstanceId])) === 0) throw new NotFoundError(`Process instance '${processInstanceId}' does not exist`);
  const actions = await session.select(CASE_ACTION, 'process_instance_id = $1', [processInstanceId], 'ORDER BY seq, id');
  const userIds = [...new Set(actions.flatMap((action) => (action.userId ? [action.userId] : [])))];
  const fileIds = [...new Set(actions.flatMap((action) => action.attachments ?? []))];
  const [users, files] = await Promise.all([
    userIds.length === 0 ? [] : session.select(USER, `id IN (${placeholders(userIds.length)})`, userIds),
    fileIds.length === 0 ? [] : session.select(STORED_FILE, `id IN (${placeholders(fileIds.length)})`, fileIds),
  ]);
  return actions.map((action) => ({
    ...action,
    userName: users.find((user) => user.id === action.userId)?.displayName ?? null,
    files: (action.attachments ?? []).flatMap((id) => {
      const file = files.find((candidate) => candidate.id === id);
      return file ? [{ id: file.id, name: file.name, contentType: file.contentType, size: file.size }] : [];
    }),
  }));
}

