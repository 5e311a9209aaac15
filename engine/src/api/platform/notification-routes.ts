import type { Command } from '../../command/index.js';
import {
  countMessages,
  DeleteChannelCmd,
  getChannel,
  listChannels,
  listMessages,
  MarkAllMessagesReadCmd,
  MarkMessageReadCmd,
  SaveChannelCmd,
  type ChannelInput,
  type MessageQuery,
} from '../../notifications/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { DATE_TIME, NAME, PAGE, TENANT_ID } from './admin-schemas.js';
import { caseCalls } from './case-calls.js';
import { SIGNED_IN, type ApiCall, type ApiRoutes, type JsonSchema } from './routes.js';

const NULLABLE_STRING: JsonSchema = { type: 'string', nullable: true };
const KIND: JsonSchema = { type: 'string', pattern: '^[a-z][a-z-]*$', maxLength: 32, description: 'task-assigned, task-offered, copy, urge, returned, deadline-approaching, deadline-passed, request, request-decided, ...' };
const MESSAGE: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, kind: { type: 'string' }, title: { type: 'string' }, body: NULLABLE_STRING, processInstanceId: NULLABLE_STRING,
    taskId: NULLABLE_STRING, tenantId: NULLABLE_STRING, createTime: DATE_TIME, readTime: { ...DATE_TIME, nullable: true },
  },
};
const MESSAGE_FILTERS: Record<string, JsonSchema> = { unread: { type: 'boolean', description: 'true: unread only; false: read only' }, kind: KIND };
const CHANNEL: JsonSchema = {
  type: 'object',
  properties: {
    tenantId: { type: 'string' }, code: { type: 'string' }, name: { type: 'string' }, topic: { type: 'string' },
    kinds: { type: 'array', nullable: true, items: { type: 'string' } }, enabled: { type: 'boolean' }, updated: DATE_TIME, updatedBy: NULLABLE_STRING,
  },
};
const CHANNEL_INPUT: JsonSchema = {
  type: 'object', required: ['name', 'topic'], additionalProperties: false,
  properties: {
    name: NAME,
    topic: { type: 'string', minLength: 1, maxLength: 255, description: "the external-task topic the channel's worker fetches" },
    kinds: { type: 'array', nullable: true, maxItems: 50, items: KIND, description: 'the notification kinds it sends; null or absent: every kind' },
    enabled: { type: 'boolean' },
  },
};
const OWN_TENANT: JsonSchema = { type: 'object', properties: { tenantId: { ...TENANT_ID, description: "a tenant the caller sees; the caller's own by default" } } };

type AnyCall = ApiCall<unknown, unknown>;

/**
 * `/api/notifications`: every signed-in user's message centre (only their own messages), and
 * `/api/notification-channels`: the channels beyond it — each an external-task topic a plugin's
 * worker serves — per tenant, kept by administrators.
 */
export function registerNotificationRoutes(routes: ApiRoutes, engine: ProcessEngine): void {
  const calls = caseCalls(engine);
  // reading one's messages changes nothing worth auditing: run as the user, without the audit log
  const asUser = <T>(call: AnyCall, command: Command<T>) => engine.commandExecutor.execute(command, { userId: call.principal.userId });
  const tag = 'notifications';
  routes.add<MessageQuery, unknown>({
    method: 'get', path: '/notifications', tag, permission: SIGNED_IN, summary: "the caller's messages, newest first",
    query: { type: 'object', properties: { ...MESSAGE_FILTERS, ...PAGE } },
    response: { type: 'array', items: MESSAGE },
    handle: (call) => calls.read(call, (session) => listMessages(session, call.principal.userId, call.query)),
  });
  routes.add<MessageQuery, unknown>({
    method: 'get', path: '/notifications/count', tag, permission: SIGNED_IN, summary: "count the caller's messages (the unread badge: unread=true)",
    query: { type: 'object', properties: MESSAGE_FILTERS },
    response: { type: 'object', properties: { count: { type: 'integer' } } },
    handle: async (call) => ({ count: await calls.read(call, (session) => countMessages(session, call.principal.userId, call.query)) }),
  });
  routes.add({
    method: 'post', path: '/notifications/read-all', tag, permission: SIGNED_IN, summary: "mark all the caller's messages read",
    response: { type: 'object', properties: { marked: { type: 'integer', description: 'how many were unread' } } },
    handle: async (call) => ({ marked: await asUser(call, new MarkAllMessagesReadCmd()) }),
  });
  routes.add({
    method: 'post', path: '/notifications/{id}/read', tag, permission: SIGNED_IN, status: 204,
    summary: "mark one of the caller's messages read (again: no change; someone else's: 404)",
    handle: (call) => asUser(call, new MarkMessageReadCmd(call.params.id as string)),
  });

  const tenantOf = (call: ApiCall<{ tenantId?: string }, unknown>) => call.query.tenantId ?? call.principal.tenantId;
  const channels = 'notification-channels';
  routes.add<{ tenantId?: string }, unknown>({
    method: 'get', path: '/notification-channels', tag: channels, permission: 'notification-channel:read', summary: "a tenant's notification channels (the caller's by default)",
    query: OWN_TENANT, response: { type: 'array', items: CHANNEL },
    handle: (call) => calls.read(call, (session) => listChannels(session, tenantOf(call))),
  });
  routes.add<{ tenantId?: string }, unknown>({
    method: 'get', path: '/notification-channels/{code}', tag: channels, permission: 'notification-channel:read', summary: 'read a notification channel',
    query: OWN_TENANT, response: CHANNEL,
    handle: (call) => calls.read(call, (session) => getChannel(session, tenantOf(call), call.params.code as string)),
  });
  routes.add<{ tenantId?: string }, ChannelInput>({
    method: 'put', path: '/notification-channels/{code}', tag: channels, permission: 'notification-channel:write',
    summary: "create or replace a channel: messages of the kinds it takes become external tasks on its topic, with the message and the recipient's name, phone and email as variables",
    query: OWN_TENANT, body: CHANNEL_INPUT, response: CHANNEL,
    handle: async (call) => {
      const code = codeOf(call);
      await calls.run(call, new SaveChannelCmd(tenantOf(call), code, call.body));
      return calls.read(call, (session) => getChannel(session, tenantOf(call), code));
    },
  });
  routes.add<{ tenantId?: string }, unknown>({
    method: 'delete', path: '/notification-channels/{code}', tag: channels, permission: 'notification-channel:write', status: 204,
    summary: 'remove a channel (deliveries already created stay for its worker)', query: OWN_TENANT,
    handle: (call) => calls.run(call, new DeleteChannelCmd(tenantOf(call), codeOf(call))),
  });
}

function codeOf(call: AnyCall): string {
  return call.params.code as string;
}
