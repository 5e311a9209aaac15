import type { Command, CommandContext, EngineEnvironment } from '../command/index.js';
import { BadUserRequestError, NotFoundError } from '../errors/index.js';
import {
  EXTERNAL_TASK,
  NOTIFICATION,
  NOTIFICATION_CHANNEL,
  placeholders,
  USER,
  type DbSession,
  type ExternalTaskEntity,
  type NotificationChannelEntity,
  type NotificationEntity,
  type UserEntity,
} from '../persistence/index.js';
import { checkPattern, CODE_PATTERN, requireTenant } from '../identity/organisation/rules.js';
import { toTypedValue, type TypedValue } from '../variables/index.js';

/**
 * Channels beyond the message centre (SMS, WeChat template messages) are external-task topics:
 * for every message whose kind a channel of its tenant takes, the command that wrote the message
 * also creates an external task on the channel's topic. A plugin's worker (any
 * camunda-external-task-client-js client) fetches it through `/engine-rest/external-task/fetchAndLock`,
 * reads the message and the recipient from its variables, sends it and completes the task; a
 * failure with no retries left raises the `failedExternalTask` incident as for any external task.
 *
 * Such a task belongs to no execution: `notification_id` names its message and the process
 * columns are null, so ending a case never takes an undelivered message with it, and the
 * variables are read from the message when the task is fetched instead of being stored.
 */

/** How long a process keeps a tenant's channels before reading them again: a change made on another engine process is seen this late. */
const CHANNEL_CACHE_MS = 5_000;

interface CachedChannels {
  readonly until: number;
  readonly channels: readonly NotificationChannelEntity[];
}

/** Per engine (tests run one per database in a process), per tenant. */
const channelCache = new WeakMap<EngineEnvironment, Map<string, CachedChannels>>();

/**
 * The enabled channels of the tenant, from the cache: every new task notifies, and most tenants
 * have no channel at all. Channels belong to tenants: messages about cases without one go to the message centre only.
 */
async function enabledChannels(context: CommandContext, tenantId: string | null): Promise<readonly NotificationChannelEntity[]> {
  if (tenantId === null) return [];
  const cache = channelCache.get(context.environment) ?? new Map<string, CachedChannels>();
  channelCache.set(context.environment, cache);
  const cached = cache.get(tenantId);
  if (cached && cached.until > performance.now()) return cached.channels;
  const channels = await context.session.select(NOTIFICATION_CHANNEL, 'tenant_id = $1 AND enabled = $2', [tenantId, true], 'ORDER BY code');
  cache.set(tenantId, { until: performance.now() + CHANNEL_CACHE_MS, channels: channels.map((channel) => ({ ...channel })) });
  return channels;
}

function forgetChannels(context: CommandContext): void {
  channelCache.delete(context.environment);
}

/** One external task per message and channel that takes its kind. */
export async function deliverOnChannels(context: CommandContext, notifications: readonly NotificationEntity[]): Promise<void> {
  const [first] = notifications;
  if (!first) return;
  const channels = await enabledChannels(context, first.tenantId);
  for (const notification of notifications) {
    for (const channel of channels.filter((c) => c.kinds === null || c.kinds.includes(notification.kind))) {
      context.session.insert(EXTERNAL_TASK, {
        id: context.newId(),
        rev: 1,
        topicName: channel.topic,
        workerId: null,
        lockExpirationTime: null,
        retries: null,
        errorMessage: null,
        errorDetails: null,
        priority: 0,
        executionId: null,
        processInstanceId: null,
        processDefinitionId: null,
        processDefinitionKey: null,
        activityId: null,
        activityInstanceId: null,
        businessKey: null,
        tenantId: notification.tenantId,
        createTime: context.now(),
        suspended: false,
        notificationId: notification.id,
      });
      context.externalTaskAvailable(channel.topic);
    }
  }
}

/**
 * The variables a channel's worker reads, per delivery task: the message (`title`, `body`,
 * `kind`, `notificationId`, `processInstanceId`, `taskId`, `tenantId`, `createTime`) and its
 * recipient (`recipient` — the user id —, `recipientName`, `phone`, `email`). One round trip for all tasks.
 */
export async function deliveryVariables(session: DbSession, tasks: readonly ExternalTaskEntity[]): Promise<Map<string, Map<string, TypedValue>>> {
  const ids = [...new Set(tasks.flatMap((task) => (task.notificationId ? [task.notificationId] : [])))];
  if (ids.length === 0) return new Map();
  const [notifications, users] = await session.selectMany<[NotificationEntity, UserEntity]>([
    { table: NOTIFICATION, where: `id IN (${placeholders(ids.length)})`, bind: ids },
    { table: USER, where: `id IN (SELECT user_id FROM notification WHERE id IN (${placeholders(ids.length)}))`, bind: ids },
  ]);
  const variables = new Map<string, Map<string, TypedValue>>();
  for (const task of tasks) {
    const notification = notifications.find((n) => n.id === task.notificationId);
    if (!notification) continue;
    const user = users.find((u) => u.id === notification.userId);
    const values: Record<string, unknown> = {
      notificationId: notification.id,
      kind: notification.kind,
      title: notification.title,
      body: notification.body,
      processInstanceId: notification.processInstanceId,
      taskId: notification.taskId,
      tenantId: notification.tenantId,
      createTime: notification.createTime,
      recipient: notification.userId,
      recipientName: user?.displayName ?? null,
      phone: user?.phone ?? null,
      email: user?.email ?? null,
    };
    variables.set(task.id, new Map(Object.entries(values).map(([name, value]) => [name, toTypedValue(name, value)])));
  }
  return variables;
}

/** A channel as the admin routes show and take it. */
export interface ChannelInput {
  readonly name: string;
  readonly topic: string;
  /** the notification kinds it takes; null or absent: every kind */
  readonly kinds?: readonly string[] | null;
  readonly enabled?: boolean;
}

/** Channels of one tenant, by code. */
export function listChannels(session: DbSession, tenantId: string): Promise<NotificationChannelEntity[]> {
  return session.select(NOTIFICATION_CHANNEL, 'tenant_id = $1', [tenantId], 'ORDER BY code');
}

export async function getChannel(session: DbSession, tenantId: string, code: string): Promise<NotificationChannelEntity> {
  const [channel] = await session.select(NOTIFICATION_CHANNEL, 'tenant_id = $1 AND code = $2', [tenantId, code]);
  if (!channel) throw new NotFoundError(`Notification channel '${code}' does not exist in tenant '${tenantId}'`);
  return channel;
}

/** Creates or replaces the channel of this code in the tenant (revision-checked when it exists). */
export class SaveChannelCmd implements Command<NotificationChannelEntity> {
  readonly name = 'SaveNotificationChannel';

  constructor(
    private readonly tenantId: string,
    private readonly code: string,
    private readonly input: ChannelInput,
  ) {}

  async execute(context: CommandContext): Promise<NotificationChannelEntity> {
    const topic = this.input.topic.trim();
    if (topic === '') throw new BadUserRequestError(`Notification channel '${this.code}' needs a topic its worker fetches`);
    const fields = {
      name: this.input.name.trim(),
      topic,
      kinds: this.input.kinds ? [...new Set(this.input.kinds)] : null,
      enabled: this.input.enabled ?? true,
      updated: context.now(),
      updatedBy: context.userId,
    };
    checkPattern(this.code, CODE_PATTERN, 'notification channel code', '1-64 letters, digits, _ or -');
    await requireTenant(context.session, this.tenantId);
    const [existing] = await context.session.select(NOTIFICATION_CHANNEL, 'tenant_id = $1 AND code = $2', [this.tenantId, this.code]);
    forgetChannels(context);
    context.audit({ action: 'notification-channel.save', objectType: 'NotificationChannel', objectId: this.code, tenantId: this.tenantId, detail: fields });
    if (existing) return Object.assign(existing, fields);
    return context.session.insert(NOTIFICATION_CHANNEL, { id: context.newId(), rev: 1, tenantId: this.tenantId, code: this.code, ...fields });
  }
}

/** Removes a channel; deliveries already created stay for their worker. */
export class DeleteChannelCmd implements Command<void> {
  readonly name = 'DeleteNotificationChannel';

  constructor(
    private readonly tenantId: string,
    private readonly code: string,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const channel = await getChannel(context.session, this.tenantId, this.code);
    context.session.delete(NOTIFICATION_CHANNEL, channel);
    forgetChannels(context);
    context.audit({ action: 'notification-channel.delete', objectType: 'NotificationChannel', objectId: this.code, tenantId: this.tenantId });
  }
}
