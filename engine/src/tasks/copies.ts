import type { CopyActivity } from '../bpmn/model/index.js';
import { asStringList } from '../bpmn/execute/evaluation.js';
import type { InstanceRuntime } from '../bpmn/execute/runtime.js';
import type { Command, CommandContext } from '../command/index.js';
import { BadUserRequestError, NotFoundError } from '../errors/index.js';
import { notify, usersOf, type Recipients } from '../notifications/index.js';
import {
  formatTimestamp,
  HI_PROCESS_INSTANCE,
  placeholders,
  PROCESS_DEFINITION,
  TASK_COPY,
  USER,
  type DbSession,
  type ExecutionEntity,
  type HistoricProcessInstanceEntity,
  type ProcessDefinitionEntity,
  type TaskCopyEntity,
  type UserEntity,
} from '../persistence/index.js';
import { Filter, orderAndPage, type Page } from '../services/query.js';
import { openTaskFor, type OperationInput } from './operation.js';
import { recordAction } from './timeline.js';

/** 抄送 from a task: whom to, with the operation's comment and files. */
export interface CopyInput extends Recipients, OperationInput {}

export interface CopyResult {
  /** users the case was copied to now */
  readonly copied: readonly string[];
  /** users who already had a copy from this task: not copied twice */
  readonly alreadyCopied: readonly string[];
}

/** Where a copy comes from: a task (sent by a person), or a copy node (sent by nobody). */
interface CopySource {
  readonly tenantId: string | null;
  readonly processInstanceId: string;
  readonly processDefinitionId: string;
  readonly taskId: string | null;
  readonly activityId: string;
  readonly activityName: string | null;
  readonly senderId: string | null;
  readonly comment: string | null;
}

/**
 * 抄送: copies the case of a task to users, the members of departments and the holders of roles
 * (of the task's tenant), for their information — they may read the case, not work on it. The
 * task must offer `copy`, and only who may complete it sends copies. Each user gets one copy per
 * task however often it is sent (a concurrent second send loses on the table's unique index:
 * 409); the users newly copied get a message (kind `copy`), and the case's timeline one entry.
 */
export class CopyTaskCmd implements Command<CopyResult> {
  readonly name = 'CopyTask';

  constructor(
    private readonly taskId: string,
    private readonly input: CopyInput,
  ) {}

  async execute(context: CommandContext): Promise<CopyResult> {
    const { users = [], departments = [], roles = [] } = this.input;
    if (users.length + departments.length + roles.length === 0) {
      throw new BadUserRequestError('A copy (抄送) needs at least one user, department or role to go to');
    }
    const { task } = await openTaskFor(context, this.taskId, 'copy', 'complete');
    const recipients = (await usersOf(context, { users, departments, roles }, task.tenantId)).filter((userId) => userId !== context.userId);
    if (recipients.length === 0) throw new BadUserRequestError(`The users, departments and roles named hold nobody but the sender to copy task '${task.id}' to (抄送)`);
    const source: CopySource = {
      tenantId: task.tenantId, processInstanceId: task.processInstanceId, processDefinitionId: task.processDefinitionId, taskId: task.id,
      activityId: task.taskDefinitionKey, activityName: task.name, senderId: context.userId, comment: this.input.comment?.trim() || null,
    };
    const copied = await writeCopies(context, source, recipients);
    if (copied.length > 0) {
      await recordAction(context, { processInstanceId: task.processInstanceId, tenantId: task.tenantId, task, operation: 'copy', target: { users: copied }, input: this.input });
      await announceCopies(context, source, copied);
    }
    return { copied, alreadyCopied: recipients.filter((userId) => !copied.includes(userId)) };
  }
}

/**
 * A token entering a copy node: the case is copied to the node's recipients (expressions
 * evaluated at the token; names that match nobody are left out, so the case goes on), with no
 * sender and a timeline entry without a user. Passing the node again copies nobody twice.
 */
export async function copyAtNode(runtime: InstanceRuntime, token: ExecutionEntity, activity: CopyActivity): Promise<void> {
  const { context } = runtime;
  const names = async (expressions: CopyActivity['recipients']['users'], property: string) => {
    const lists = [];
    for (const expression of expressions) lists.push(asStringList(await runtime.evaluate(expression, token, `yiwang:copy:${property} of '${activity.id}'`)));
    return lists.flat();
  };
  const recipients: Recipients = {
    users: await names(activity.recipients.users, 'users'),
    departments: await names(activity.recipients.departments, 'departments'),
    roles: await names(activity.recipients.roles, 'roles'),
  };
  const userIds = await usersOf(context, recipients, token.tenantId, 'skip');
  const source: CopySource = {
    tenantId: token.tenantId, processInstanceId: token.processInstanceId, processDefinitionId: token.processDefinitionId, taskId: null,
    activityId: activity.id, activityName: activity.name, senderId: null, comment: null,
  };
  const copied = await writeCopies(context, source, userIds);
  if (copied.length === 0) return;
  await recordAction(context, {
    processInstanceId: token.processInstanceId, tenantId: token.tenantId, activityId: activity.id, activityName: activity.name,
    operation: 'copy', target: { users: copied }, byEngine: true,
  });
  await announceCopies(context, source, copied);
}

/** Inserts the copies users do not have yet from this source; answers whom it copied to. */
async function writeCopies(context: CommandContext, source: CopySource, userIds: readonly string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const fromSource = source.taskId === null ? 'task_id IS NULL' : `task_id = $${userIds.length + 3}`;
  const existing = await context.session.select(
    TASK_COPY,
    `process_instance_id = $1 AND activity_id = $2 AND ${fromSource} AND user_id IN (${placeholders(userIds.length, 2)})`,
    [source.processInstanceId, source.activityId, ...userIds, ...(source.taskId === null ? [] : [source.taskId])],
  );
  const copied = userIds.filter((userId) => !existing.some((copy) => copy.userId === userId));
  for (const userId of copied) {
    context.session.insert(TASK_COPY, {
      id: context.newId(), rev: 1, tenantId: source.tenantId, processInstanceId: source.processInstanceId, taskId: source.taskId,
      activityId: source.activityId, activityName: source.activityName, userId, senderId: source.senderId, comment: source.comment,
      createTime: context.now(), readTime: null,
    });
  }
  return copied;
}

async function announceCopies(context: CommandContext, source: CopySource, userIds: readonly string[]): Promise<void> {
  const { definition } = await context.environment.deployments.get(context.session, source.processDefinitionId);
  const caseName = definition.name ?? definition.key;
  await notify(context, {
    tenantId: source.tenantId, userIds, kind: 'copy', title: `抄送：${caseName}${source.activityName ? `（${source.activityName}）` : ''}`,
    body: source.comment, processInstanceId: source.processInstanceId, taskId: source.taskId,
  });
}

/** One entry of 抄送我: the copy, with what the list shows of its case and sender. */
export interface CopyView {
  readonly id: string;
  readonly processInstanceId: string;
  readonly processDefinitionKey: string | null;
  readonly processDefinitionName: string | null;
  readonly businessKey: string | null;
  readonly taskId: string | null;
  readonly activityId: string | null;
  readonly activityName: string | null;
  /** null: a copy node sent it */
  readonly senderId: string | null;
  readonly senderName: string | null;
  readonly comment: string | null;
  readonly created: Date;
  readonly readTime: Date | null;
}

export interface CopyQuery extends Page {
  readonly unread?: boolean;
}

function ownCopies(userId: string, query: CopyQuery): Filter {
  const filter = new Filter().equals('user_id', userId);
  if (query.unread !== undefined) filter.isNull('read_time', query.unread);
  return filter;
}

/** The user's copies, newest first, with their cases' definitions and business keys and their senders' names, in two round trips. */
export async function listCopies(session: DbSession, userId: string, query: CopyQuery): Promise<CopyView[]> {
  const filter = ownCopies(userId, query);
  const copies = await session.select(TASK_COPY, filter.where, filter.bindings, orderAndPage({ sortBy: 'created', sortOrder: 'desc' }, { created: 'create_time DESC, id' }, 'created', query));
  if (copies.length === 0) return [];
  const instanceIds = [...new Set(copies.map((copy) => copy.processInstanceId))];
  const senderIds = [...new Set(copies.flatMap((copy) => (copy.senderId ? [copy.senderId] : [])))];
  const [instances, definitions, senders] = await session.selectMany<[HistoricProcessInstanceEntity, ProcessDefinitionEntity, UserEntity]>([
    { table: HI_PROCESS_INSTANCE, where: `id IN (${placeholders(instanceIds.length)})`, bind: instanceIds },
    { table: PROCESS_DEFINITION, where: `id IN (SELECT process_definition_id FROM hi_process_instance WHERE id IN (${placeholders(instanceIds.length)}))`, bind: instanceIds },
    { table: USER, where: senderIds.length === 0 ? '1 = 0' : `id IN (${placeholders(senderIds.length)})`, bind: senderIds },
  ]);
  return copies.map((copy) => view(copy, instances, definitions, senders));
}

function view(copy: TaskCopyEntity, instances: HistoricProcessInstanceEntity[], definitions: ProcessDefinitionEntity[], senders: UserEntity[]): CopyView {
  const instance = instances.find((i) => i.id === copy.processInstanceId);
  const definition = definitions.find((d) => d.id === instance?.processDefinitionId);
  return {
    id: copy.id,
    processInstanceId: copy.processInstanceId,
    processDefinitionKey: definition?.key ?? instance?.processDefinitionKey ?? null,
    processDefinitionName: definition?.name ?? null,
    businessKey: instance?.businessKey ?? null,
    taskId: copy.taskId,
    activityId: copy.activityId,
    activityName: copy.activityName,
    senderId: copy.senderId,
    senderName: senders.find((user) => user.id === copy.senderId)?.displayName ?? null,
    comment: copy.comment,
    created: copy.createTime,
    readTime: copy.readTime,
  };
}

export function countCopies(session: DbSession, userId: string, query: CopyQuery): Promise<number> {
  const filter = ownCopies(userId, query);
  return session.count(TASK_COPY, filter.where, filter.bindings);
}

/** Marks one of the actor's own copies read (someone else's is a 404); reading a read copy, or two reads at once, answers the same. */
export class MarkCopyReadCmd implements Command<void> {
  readonly name = 'MarkCopyRead';

  constructor(private readonly copyId: string) {}

  async execute(context: CommandContext): Promise<void> {
    const [copy] = await context.session.select(TASK_COPY, 'id = $1 AND user_id = $2', [this.copyId, context.userId]);
    if (!copy) throw new NotFoundError(`Copy '${this.copyId}' does not exist`);
    if (copy.readTime) return;
    context.session.addStatement('UPDATE task_copy SET read_time = $1, rev = rev + 1 WHERE id = $2 AND read_time IS NULL', [formatTimestamp(context.now()), copy.id]);
  }
}
