import {
  countGroups,
  CreateGroupCmd,
  DeleteGroupCmd,
  getGroup,
  listGroups,
  SetGroupMembersCmd,
  UpdateGroupCmd,
  type GroupInput,
  type GroupQuery,
} from '../../identity/roles/index.js';
import { addListAndCount, adminCalls, type AdminRouteDeps } from './admin-calls.js';
import { CODE, DATE_TIME, LOGIN_ID, NAME, PAGE, sortBy, TENANT_ID, USER_IDS, USER_REF } from './admin-schemas.js';
import type { ApiRoutes, JsonSchema } from './routes.js';

const GROUP_QUERY: JsonSchema = {
  type: 'object',
  properties: { tenantId: TENANT_ID, code: CODE, nameLike: { type: 'string' }, member: LOGIN_ID, ...sortBy('code', 'name', 'created'), ...PAGE },
};
const GROUP_FIELDS: Record<string, JsonSchema> = { code: CODE, name: NAME };
const GROUP: JsonSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, tenantId: { type: 'string' }, code: { type: 'string' }, name: { type: 'string' }, created: DATE_TIME },
};
const GROUP_DETAIL: JsonSchema = {
  type: 'object',
  properties: { ...GROUP.properties, members: { type: 'array', items: USER_REF } },
};

/** `/api/admin/groups`: user groups (ad-hoc candidate sets, `group:<code>` in BPMN) and their members. */
export function registerGroupRoutes(routes: ApiRoutes, deps: AdminRouteDeps): void {
  const calls = adminCalls(deps);
  const tag = 'groups';
  addListAndCount<GroupQuery>(routes, calls, {
    path: '/admin/groups', tag, permission: 'group:read', summaries: { list: 'list user groups', count: 'count user groups' },
    query: GROUP_QUERY,
    item: GROUP,
    list: listGroups,
    count: countGroups,
  });
  routes.add({
    method: 'get', path: '/admin/groups/{id}', tag, summary: 'read a user group with its members', permission: 'group:read',
    response: GROUP_DETAIL,
    handle: (call) => calls.read(call, (session) => getGroup(session, call.params.id as string)),
  });
  routes.add<unknown, GroupInput & { tenantId?: string; members?: string[] }>({
    method: 'post', path: '/admin/groups', tag, summary: 'create a user group', permission: 'group:write', status: 201,
    body: {
      type: 'object', required: ['code', 'name'], additionalProperties: false,
      properties: { tenantId: TENANT_ID, ...GROUP_FIELDS, members: { type: 'array', maxItems: 10_000, items: LOGIN_ID } },
    },
    response: GROUP_DETAIL,
    handle: (call) => calls.changeAndRead(call, new CreateGroupCmd(call.body), getGroup),
  });
  routes.add<unknown, GroupInput>({
    method: 'put', path: '/admin/groups/{id}', tag, summary: 'rename a user group or change its code', permission: 'group:write',
    body: { type: 'object', required: ['code', 'name'], additionalProperties: false, properties: GROUP_FIELDS },
    response: GROUP_DETAIL,
    handle: (call) => calls.changeAndRead(call, new UpdateGroupCmd(call.params.id as string, call.body), getGroup),
  });
  routes.add({
    method: 'delete', path: '/admin/groups/{id}', tag, summary: 'delete a user group', permission: 'group:write', status: 204,
    handle: (call) => calls.change(call, new DeleteGroupCmd(call.params.id as string)),
  });
  routes.add<unknown, { userIds: string[] }>({
    method: 'put', path: '/admin/groups/{id}/members', tag, summary: 'set the members of a user group (users of its tenant)', permission: 'group:write', status: 204,
    body: USER_IDS,
    handle: (call) => calls.change(call, new SetGroupMembersCmd(call.params.id as string, call.body.userIds)),
  });
}
