import type { CommandContext } from '../command/index.js';
import { NOTIFICATION, type NotificationEntity, type TaskEntity } from '../persistence/index.js';
import { deliverOnChannels } from './channels.js';

/** Longest title and body kept (the columns' sizes). */
const MAX_TITLE = 255;
const MAX_BODY = 4000;

/** A message to users' message centres: what happened (`kind`), a zh-CN title, and the case and task it is about. */
export interface Notice {
  readonly tenantId: string | null;
  readonly userIds: readonly string[];
  /** task-assigned, task-offered, copy, urge, returned, deadline-approaching, deadline-passed, request, request-decided, ... */
  readonly kind: string;
  readonly title: string;
  readonly body?: string | null;
  readonly processInstanceId?: string | null;
  readonly taskId?: string | null;
}

/**
 * Writes one message per distinct recipient into their message centre, in the caller's command,
 * and hands each to the tenant's channels that take its kind (an external task per channel, see
 * `channels.ts`). Nobody is told about their own action: the acting user is left out (a user who
 * completes a task that comes straight back to them sees it in their inbox already).
 */
export async function notify(context: CommandContext, notice: Notice): Promise<NotificationEntity[]> {
  const recipients = [...new Set(notice.userIds)].filter((userId) => userId !== context.userId);
  if (recipients.length === 0) return [];
  const notifications = recipients.map((userId) =>
    context.session.insert(NOTIFICATION, {
      id: context.newId(),
      rev: 1,
      tenantId: notice.tenantId,
      userId,
      kind: notice.kind,
      title: notice.title.slice(0, MAX_TITLE),
      body: notice.body?.slice(0, MAX_BODY) || null,
      processInstanceId: notice.processInstanceId ?? null,
      taskId: notice.taskId ?? null,
      createTime: context.now(),
      readTime: null,
    }),
  );
  await deliverOnChannels(context, notifications);
  return notifications;
}

/**
 * Tells whoever a new user task is for: its assignee (`task-assigned`, 新待办), else its candidate
 * users (`task-offered`, 待认领) — which hold the members of its candidate groups the
 * organisation knows, as the task's assignment resolved them when it was created.
 */
export async function announceNewTask(context: CommandContext, task: TaskEntity, candidateUsers: Iterable<string>): Promise<void> {
  const name = task.name ?? task.taskDefinitionKey;
  const about = { tenantId: task.tenantId, processInstanceId: task.processInstanceId, taskId: task.id };
  if (task.assignee) await notify(context, { ...about, userIds: [task.assignee], kind: 'task-assigned', title: `新待办：${name}` });
  else await notify(context, { ...about, userIds: [...candidateUsers], kind: 'task-offered', title: `待认领：${name}` });
}
