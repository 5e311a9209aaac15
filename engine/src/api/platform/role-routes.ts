import {
  countRoles,
  CreatePermissionCmd,
  CreateRoleCmd,
  DATA_SCOPES,
  DeletePermissionCmd,
  DeleteRoleCmd,
  getRole,
  listPermissions,
  listRoles,
  PERMISSION_ID_PATTERN,
  PERMISSION_SOURCE_PATTERN,
  SetRoleUsersCmd,
  UpdatePermissionCmd,
  UpdateRoleCmd,
  usersOfRole,
  type PermissionInput,
  type PermissionQuery,
  type RoleInput,
  type RoleQuery,
} from '../../identity/roles/index.js';
import { addListAndCount, adminCalls, type AdminCalls, type AdminRouteDeps } from './admin-calls.js';
import { CODE, DATE_TIME, matching, NAME, PAGE, sortBy, TENANT_ID, USER_IDS, USER_REF } from './admin-schemas.js';
import type { ApiRoutes, JsonSchema } from './routes.js';

const PERMISSION_ID = matching(PERMISSION_ID_PATTERN, 128);
const PERMISSION_KIND: JsonSchema = { type: 'string', enum: ['menu', 'action'] };
const PERMISSION: JsonSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, kind: PERMISSION_KIND, nameZh: { type: 'string' }, nameEn: { type: 'string' }, source: { type: 'string' } },
};
const PERMISSION_NAMES = { kind: PERMISSION_KIND, nameZh: NAME, nameEn: NAME };

const ROLE_QUERY: JsonSchema = {
  type: 'object',
  properties: {
    tenantId: TENANT_ID,
    code: CODE,
    nameLike: { type: 'string' },
    dataScope: { type: 'string', enum: [...DATA_SCOPES] },
    permission: PERMISSION_ID,
    ...sortBy('code', 'name', 'created'),
    ...PAGE,
  },
};
const ROLE_FIELDS: Record<string, JsonSchema> = {
  code: CODE,
  name: NAME,
  dataScope: { type: 'string', enum: [...DATA_SCOPES] },
  seesDescendants: { type: 'boolean' },
  /** `*` as well: everything, grantable only by a holder of `*` */
  permissions: { type: 'array', maxItems: 1000, items: { anyOf: [PERMISSION_ID, { type: 'string', enum: ['*'] }] } },
  departmentIds: { type: 'array', maxItems: 1000, items: { type: 'string', maxLength: 64 } },
};
const ROLE_BODY: JsonSchema = { type: 'object', required: ['code', 'name', 'dataScope', 'permissions'], additionalProperties: false, properties: ROLE_FIELDS };
const ROLE: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, tenantId: { type: 'string' }, code: { type: 'string' }, name: { type: 'string' }, dataScope: { type: 'string' },
    seesDescendants: { type: 'boolean' }, created: DATE_TIME,
  },
};
const ROLE_DETAIL: JsonSchema = {
  type: 'object',
  properties: {
    ...ROLE.properties,
    permissions: { type: 'array', items: { type: 'string' } },
    departments: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, code: { type: 'string' }, name: { type: 'string' } } } },
    userCount: { type: 'integer' },
  },
};

/**
 * `/api/admin/permissions` (the catalogue roles grant from) and `/api/admin/roles` (roles, their
 * permissions, data scope and holders). Mount with `registerRoleRoutes(routes, deps)`.
 */
export function registerRoleRoutes(routes: ApiRoutes, deps: AdminRouteDeps): void {
  const calls = adminCalls(deps);
  registerPermissionRoutes(routes, calls);
  registerRoleAdminRoutes(routes, calls);
}

function registerPermissionRoutes(routes: ApiRoutes, calls: AdminCalls): void {
  const tag = 'permissions';
  routes.add<PermissionQuery, unknown>({
    method: 'get', path: '/admin/permissions', tag, summary: 'list the permission catalogue', permission: 'permission:read',
    query: { type: 'object', properties: { kind: PERMISSION_KIND, source: matching(PERMISSION_SOURCE_PATTERN) } },
    response: { type: 'array', items: PERMISSION },
    handle: (call) => calls.read(call, (session) => listPermissions(session, call.query)),
  });
  routes.add<unknown, PermissionInput>({
    method: 'post', path: '/admin/permissions', tag, summary: 'add a permission to the catalogue', permission: 'permission:write', status: 201,
    body: { type: 'object', required: ['id', 'kind', 'nameZh', 'nameEn'], additionalProperties: false, properties: { id: PERMISSION_ID, ...PERMISSION_NAMES, source: matching(PERMISSION_SOURCE_PATTERN) } },
    response: PERMISSION,
    handle: (call) => calls.change(call, new CreatePermissionCmd(call.body)),
  });
  routes.add<unknown, Pick<PermissionInput, 'kind' | 'nameZh' | 'nameEn'>>({
    method: 'put', path: '/admin/permissions/{id}', tag, summary: 'rename a permission that is not a core one', permission: 'permission:write',
    body: { type: 'object', required: ['kind', 'nameZh', 'nameEn'], additionalProperties: false, properties: PERMISSION_NAMES },
    response: PERMISSION,
    handle: (call) => calls.change(call, new UpdatePermissionCmd(call.params.id as string, call.body)),
  });
  routes.add({
    method: 'delete', path: '/admin/permissions/{id}', tag, summary: 'remove a permission no role grants', permission: 'permission:write', status: 204,
    handle: (call) => calls.change(call, new DeletePermissionCmd(call.params.id as string)),
  });
}

function registerRoleAdminRoutes(routes: ApiRoutes, calls: AdminCalls): void {
  const tag = 'roles';
  addListAndCount<RoleQuery>(routes, calls, {
    path: '/admin/roles', tag, permission: 'role:read', summaries: { list: 'list roles', count: 'count roles' },
    query: ROLE_QUERY,
    item: ROLE,
    list: listRoles,
    count: countRoles,
  });
  routes.add({
    method: 'get', path: '/admin/roles/{id}', tag, summary: 'read a role with its permissions and chosen departments', permission: 'role:read',
    response: ROLE_DETAIL,
    handle: (call) => calls.read(call, (session) => getRole(session, call.params.id as string)),
  });
  routes.add<unknown, RoleInput & { tenantId?: string }>({
    method: 'post', path: '/admin/roles', tag, summary: 'create a role', permission: 'role:write', status: 201,
    body: { ...ROLE_BODY, properties: { tenantId: TENANT_ID, ...ROLE_FIELDS } },
    response: ROLE_DETAIL,
    handle: (call) => calls.changeAndRead(call, new CreateRoleCmd(call.principal, call.body), getRole),
  });
  routes.add<unknown, RoleInput>({
    method: 'put', path: '/admin/roles/{id}', tag, summary: 'change a role: code, name, data scope, permissions, chosen departments', permission: 'role:write',
    body: ROLE_BODY,
    response: ROLE_DETAIL,
    handle: (call) => calls.changeAndRead(call, new UpdateRoleCmd(call.principal, call.params.id as string, call.body), getRole),
  });
  routes.add({
    method: 'delete', path: '/admin/roles/{id}', tag, summary: 'delete a role nobody holds', permission: 'role:write', status: 204,
    handle: (call) => calls.change(call, new DeleteRoleCmd(call.params.id as string)),
  });
  routes.add({
    method: 'get', path: '/admin/roles/{id}/users', tag, summary: 'list the holders of a role', permission: 'role:read',
    response: { type: 'array', items: USER_REF },
    handle: (call) => calls.read(call, (session) => usersOfRole(session, call.params.id as string)),
  });
  routes.add<unknown, { userIds: string[] }>({
    method: 'put', path: '/admin/roles/{id}/users', tag, summary: 'set the holders of a role (users of its tenant)', permission: 'role:write', status: 204,
    body: USER_IDS,
    handle: (call) => calls.change(call, new SetRoleUsersCmd(call.principal, call.params.id as string, call.body.userIds)),
  });
}
