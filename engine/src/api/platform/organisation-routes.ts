import type { Context } from 'koa';
import { BadUserRequestError } from '../../errors/index.js';
import type { PasswordPolicy } from '../../identity/index.js';
import {
  countUsers,
  CreateDepartmentCmd,
  CreatePostCmd,
  CreateTenantCmd,
  CreateUserCmd,
  DeleteDepartmentCmd,
  DeletePostCmd,
  DeleteTenantCmd,
  DeleteUserCmd,
  departmentTree,
  getDepartment,
  getPost,
  getTenant,
  getUser,
  IMPORT_LIMITS,
  importUsers,
  listPosts,
  listTenants,
  listUsers,
  MoveDepartmentCmd,
  MoveTenantCmd,
  passwordHashFor,
  ResetPasswordCmd,
  TENANT_LEVELS,
  tooLarge,
  UnlockUserCmd,
  UpdateDepartmentCmd,
  UpdatePostCmd,
  UpdateTenantCmd,
  UpdateUserCmd,
  type DepartmentChanges,
  type ImportCaller,
  type DepartmentMove,
  type NewDepartment,
  type NewTenant,
  type NewUser,
  type TenantChanges,
  type UserChanges,
  type UserQuery,
} from '../../identity/organisation/index.js';
import { readMultipart, type MultipartUpload } from '../multipart.js';
import { addListAndCount, adminCalls, type AdminCalls, type AdminRouteDeps } from './admin-calls.js';
import { CODE, DATE_TIME, LOGIN_ID, NAME, PAGE, sortBy, TENANT_ID } from './admin-schemas.js';
import type { ApiCall, ApiRoutes, JsonSchema } from './routes.js';

/**
 * `/api/admin/tenants`, `/departments`, `/posts`, `/users` and `/users/import`: the organisation
 * of the tenants the caller sees. Every read goes through the caller's scoped session and every
 * change is one audited command. Mount with `registerOrganisationRoutes(routes, deps)`.
 */
/** The organisation routes need the platform's password policy for initial and reset passwords. */
export interface OrganisationRouteDeps extends AdminRouteDeps {
  readonly passwordPolicy: PasswordPolicy;
}

export function registerOrganisationRoutes(routes: ApiRoutes, deps: OrganisationRouteDeps): void {
  const calls = adminCalls(deps);
  registerTenantRoutes(routes, calls);
  registerDepartmentRoutes(routes, calls);
  registerPostRoutes(routes, calls);
  registerUserRoutes(routes, calls, deps.passwordPolicy);
}

const ID: JsonSchema = { type: 'string', maxLength: 64 };
const NULLABLE_STRING: JsonSchema = { type: 'string', nullable: true };
const IDS: JsonSchema = { type: 'array', maxItems: 200, items: ID };
const TENANT_QUERY: JsonSchema = { type: 'object', properties: { tenantId: TENANT_ID } };
/** Ask for nothing: `?tenantId=` defaults to the caller's own tenant. */
const tenantOf = (call: ApiCall<{ tenantId?: string }, unknown>): string => call.query.tenantId ?? call.principal.tenantId;

const TENANT: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, name: { type: 'string' }, level: { type: 'string', enum: [...TENANT_LEVELS] }, regionCode: { type: 'string' },
    parentId: NULLABLE_STRING, enabled: { type: 'boolean' }, created: DATE_TIME,
  },
};

function registerTenantRoutes(routes: ApiRoutes, calls: AdminCalls): void {
  const tag = 'tenants';
  routes.add({
    method: 'get', path: '/admin/tenants', tag, summary: 'list the tenants the caller sees, parents before their children', permission: 'tenant:read',
    response: { type: 'array', items: TENANT },
    handle: (call) => calls.read(call, listTenants),
  });
  routes.add({
    method: 'get', path: '/admin/tenants/{id}', tag, summary: 'read a tenant', permission: 'tenant:read',
    response: TENANT,
    handle: (call) => calls.read(call, (session) => getTenant(session, call.params.id as string)),
  });
  routes.add<unknown, NewTenant>({
    method: 'post', path: '/admin/tenants', tag, summary: 'create a tenant (id = its GB/T 2260 region code) under a tenant the caller sees', permission: 'tenant:write', status: 201,
    body: {
      type: 'object', required: ['id', 'name', 'level'], additionalProperties: false,
      properties: { id: TENANT_ID, name: NAME, level: { type: 'string', enum: [...TENANT_LEVELS] }, parentId: { ...TENANT_ID, nullable: true } },
    },
    response: TENANT,
    handle: (call) => calls.change(call, new CreateTenantCmd(call.body)),
  });
  routes.add<unknown, TenantChanges>({
    method: 'patch', path: '/admin/tenants/{id}', tag, summary: 'rename, enable or disable a tenant', permission: 'tenant:write',
    body: { type: 'object', additionalProperties: false, properties: { name: NAME, enabled: { type: 'boolean' } } },
    response: TENANT,
    handle: (call) => calls.change(call, new UpdateTenantCmd(call.params.id as string, call.body)),
  });
  routes.add<unknown, { parentId: string }>({
    method: 'post', path: '/admin/tenants/{id}/move', tag, summary: 'move a tenant and its subtree under another parent', permission: 'tenant:write',
    body: { type: 'object', required: ['parentId'], additionalProperties: false, properties: { parentId: TENANT_ID } },
    response: TENANT,
    handle: (call) => calls.change(call, new MoveTenantCmd(call.params.id as string, call.body.parentId)),
  });
  routes.add({
    method: 'delete', path: '/admin/tenants/{id}', tag, summary: 'delete a tenant without child tenants, users or process data', permission: 'tenant:write', status: 204,
    handle: (call) => calls.change(call, new DeleteTenantCmd(call.params.id as string)),
  });
}

const DEPARTMENT_PROPERTIES: Record<string, JsonSchema> = {
  id: { type: 'string' }, tenantId: { type: 'string' }, parentId: NULLABLE_STRING, code: { type: 'string' }, name: { type: 'string' },
  leaderUserId: NULLABLE_STRING, sortOrder: { type: 'integer' }, created: DATE_TIME,
};
const DEPARTMENT: JsonSchema = { type: 'object', properties: DEPARTMENT_PROPERTIES };
const DEPARTMENT_NODE: JsonSchema = {
  type: 'object',
  description: 'a department with its sub-departments, recursively',
  properties: { ...DEPARTMENT_PROPERTIES, children: { type: 'array', items: { type: 'object' } } },
};
const SORT_ORDER: JsonSchema = { type: 'integer', minimum: 0, maximum: 1_000_000 };

function registerDepartmentRoutes(routes: ApiRoutes, calls: AdminCalls): void {
  const tag = 'departments';
  routes.add<{ tenantId?: string }, unknown>({
    method: 'get', path: '/admin/departments', tag, summary: "read a tenant's department tree (the caller's tenant by default)", permission: 'department:read',
    query: TENANT_QUERY,
    response: { type: 'array', items: DEPARTMENT_NODE },
    handle: (call) => calls.read(call, (session) => departmentTree(session, tenantOf(call))),
  });
  routes.add({
    method: 'get', path: '/admin/departments/{id}', tag, summary: 'read a department', permission: 'department:read',
    response: DEPARTMENT,
    handle: (call) => calls.read(call, (session) => getDepartment(session, call.params.id as string)),
  });
  routes.add<unknown, NewDepartment>({
    method: 'post', path: '/admin/departments', tag, summary: 'create a department', permission: 'department:write', status: 201,
    body: {
      type: 'object', required: ['code', 'name'], additionalProperties: false,
      properties: { tenantId: TENANT_ID, parentId: { ...ID, nullable: true }, code: CODE, name: NAME, leaderUserId: { ...LOGIN_ID, nullable: true }, sortOrder: SORT_ORDER },
    },
    response: DEPARTMENT,
    handle: (call) => calls.change(call, new CreateDepartmentCmd(call.body)),
  });
  routes.add<unknown, DepartmentChanges>({
    method: 'patch', path: '/admin/departments/{id}', tag, summary: "change a department's name, code, leader or sort order", permission: 'department:write',
    body: { type: 'object', additionalProperties: false, properties: { code: CODE, name: NAME, leaderUserId: { ...LOGIN_ID, nullable: true }, sortOrder: SORT_ORDER } },
    response: DEPARTMENT,
    handle: (call) => calls.change(call, new UpdateDepartmentCmd(call.params.id as string, call.body)),
  });
  routes.add<unknown, DepartmentMove>({
    method: 'post', path: '/admin/departments/{id}/move', tag, summary: 'move a department under another parent, at a position among its siblings', permission: 'department:write',
    body: {
      type: 'object', required: ['parentId', 'position'], additionalProperties: false,
      properties: { parentId: { ...ID, nullable: true }, position: SORT_ORDER },
    },
    response: DEPARTMENT,
    handle: (call) => calls.change(call, new MoveDepartmentCmd(call.params.id as string, call.body)),
  });
  routes.add({
    method: 'delete', path: '/admin/departments/{id}', tag, summary: 'delete a department without sub-departments, members or open tasks', permission: 'department:write', status: 204,
    handle: (call) => calls.change(call, new DeleteDepartmentCmd(call.params.id as string)),
  });
}

const POST: JsonSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, tenantId: { type: 'string' }, code: { type: 'string' }, name: { type: 'string' }, created: DATE_TIME },
};

function registerPostRoutes(routes: ApiRoutes, calls: AdminCalls): void {
  const tag = 'posts';
  routes.add<{ tenantId?: string }, unknown>({
    method: 'get', path: '/admin/posts', tag, summary: "list a tenant's posts (the caller's tenant by default)", permission: 'post:read',
    query: TENANT_QUERY,
    response: { type: 'array', items: POST },
    handle: (call) => calls.read(call, (session) => listPosts(session, tenantOf(call))),
  });
  routes.add({
    method: 'get', path: '/admin/posts/{id}', tag, summary: 'read a post', permission: 'post:read',
    response: POST,
    handle: (call) => calls.read(call, (session) => getPost(session, call.params.id as string)),
  });
  routes.add<unknown, { tenantId?: string; code: string; name: string }>({
    method: 'post', path: '/admin/posts', tag, summary: 'create a post', permission: 'post:write', status: 201,
    body: { type: 'object', required: ['code', 'name'], additionalProperties: false, properties: { tenantId: TENANT_ID, code: CODE, name: NAME } },
    response: POST,
    handle: (call) => calls.change(call, new CreatePostCmd(call.body)),
  });
  routes.add<unknown, { code?: string; name?: string }>({
    method: 'patch', path: '/admin/posts/{id}', tag, summary: "change a post's code or name", permission: 'post:write',
    body: { type: 'object', additionalProperties: false, properties: { code: CODE, name: NAME } },
    response: POST,
    handle: (call) => calls.change(call, new UpdatePostCmd(call.params.id as string, call.body)),
  });
  routes.add({
    method: 'delete', path: '/admin/posts/{id}', tag, summary: 'delete a post nobody holds', permission: 'post:write', status: 204,
    handle: (call) => calls.change(call, new DeletePostCmd(call.params.id as string)),
  });
}

const USER_QUERY: JsonSchema = {
  type: 'object',
  properties: {
    tenantId: TENANT_ID,
    departmentId: ID,
    includeSubDepartments: { type: 'boolean' },
    roleCode: CODE,
    postCode: CODE,
    search: { type: 'string', maxLength: 64 },
    enabled: { type: 'boolean' },
    ...sortBy('id', 'displayName', 'created'),
    ...PAGE,
  },
};
const USER_SUMMARY_PROPERTIES: Record<string, JsonSchema> = {
  id: { type: 'string' }, tenantId: { type: 'string' }, displayName: { type: 'string' }, email: NULLABLE_STRING, phone: NULLABLE_STRING,
  enabled: { type: 'boolean' }, mustChangePassword: { type: 'boolean' }, lockedUntil: { ...DATE_TIME, nullable: true }, created: DATE_TIME,
};
const MEMBERSHIPS: JsonSchema = { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, code: { type: 'string' }, name: { type: 'string' } } } };
const USER_DETAIL: JsonSchema = {
  type: 'object',
  properties: {
    ...USER_SUMMARY_PROPERTIES,
    failedLogins: { type: 'integer' },
    passwordChanged: { ...DATE_TIME, nullable: true },
    departments: { type: 'array', description: 'the primary department first', items: { type: 'object', properties: { id: { type: 'string' }, code: { type: 'string' }, name: { type: 'string' }, primary: { type: 'boolean' } } } },
    posts: MEMBERSHIPS,
    roles: MEMBERSHIPS,
    groups: MEMBERSHIPS,
  },
};
const PROFILE: Record<string, JsonSchema> = {
  displayName: NAME,
  email: { type: 'string', maxLength: 254, nullable: true },
  phone: { type: 'string', maxLength: 32, nullable: true },
  departmentIds: { ...IDS, description: 'the first is the primary department' },
  postIds: IDS,
  roleIds: IDS,
};
const PASSWORD: JsonSchema = { type: 'string', maxLength: 128 };

function registerUserRoutes(routes: ApiRoutes, calls: AdminCalls, passwordPolicy: PasswordPolicy): void {
  const tag = 'users';
  addListAndCount<UserQuery>(routes, calls, {
    path: '/admin/users', tag, permission: 'user:read', summaries: { list: 'list users of the tenants the caller sees', count: 'count users' },
    query: USER_QUERY,
    item: { type: 'object', properties: USER_SUMMARY_PROPERTIES },
    list: listUsers,
    count: countUsers,
  });
  routes.add<{ tenantId?: string }, unknown>({
    method: 'post', path: '/admin/users/import', tag,
    summary: `import users from a CSV (UTF-8) or XLSX file sent as multipart/form-data (at most ${IMPORT_LIMITS.bytes / 1024 / 1024} MB and ${IMPORT_LIMITS.rows} rows): all rows or none`,
    permission: 'user:import',
    query: TENANT_QUERY,
    response: { type: 'object', properties: { imported: { type: 'integer' } } },
    handle: async (call) => {
      const content = await readUploadedFile(call.ctx);
      const caller: ImportCaller = { principal: call.principal, passwordPolicy, read: (work) => calls.read(call, work), run: (command) => calls.change(call, command) };
      return importUsers(caller, content, tenantOf(call));
    },
  });
  routes.add({
    method: 'get', path: '/admin/users/{id}', tag, summary: 'read a user with departments, posts, roles and groups', permission: 'user:read',
    response: USER_DETAIL,
    handle: (call) => calls.read(call, (session) => getUser(session, call.params.id as string)),
  });
  routes.add<unknown, NewUser & { password: string }>({
    method: 'post', path: '/admin/users', tag, summary: 'create a user with an initial password they must change at first login', permission: 'user:write', status: 201,
    body: { type: 'object', required: ['id', 'displayName', 'password'], additionalProperties: false, properties: { id: LOGIN_ID, tenantId: TENANT_ID, ...PROFILE, password: PASSWORD } },
    response: USER_DETAIL,
    handle: async (call) => {
      const { password, ...input } = call.body;
      return calls.changeAndRead(call, new CreateUserCmd(call.principal, input, await passwordHashFor(password, passwordPolicy)), getUser);
    },
  });
  routes.add<unknown, UserChanges>({
    method: 'patch', path: '/admin/users/{id}', tag, summary: "change the profile, memberships (each list given replaces the current one) or enabled flag of a user no more powerful than the caller; not one's own memberships", permission: 'user:write',
    body: { type: 'object', additionalProperties: false, properties: { ...PROFILE, enabled: { type: 'boolean' } } },
    response: USER_DETAIL,
    handle: (call) => calls.changeAndRead(call, new UpdateUserCmd(call.principal, call.params.id as string, call.body), getUser),
  });
  routes.add<unknown, { password: string }>({
    method: 'post', path: '/admin/users/{id}/password', tag, summary: "set the password of a user no more powerful than the caller; they must change it at their next login", permission: 'user:write', status: 204,
    body: { type: 'object', required: ['password'], additionalProperties: false, properties: { password: PASSWORD } },
    handle: async (call) => calls.change(call, new ResetPasswordCmd(call.principal, call.params.id as string, await passwordHashFor(call.body.password, passwordPolicy))),
  });
  routes.add({
    method: 'post', path: '/admin/users/{id}/unlock', tag, summary: 'lift the lockout after failed logins of a user no more powerful than the caller', permission: 'user:write', status: 204,
    handle: (call) => calls.change(call, new UnlockUserCmd(call.principal, call.params.id as string)),
  });
  routes.add({
    method: 'delete', path: '/admin/users/{id}', tag, permission: 'user:write', status: 204,
    summary: 'delete an account never used (no history, sign-ins, audit entries or open tasks) of a user no more powerful than the caller; any other is disabled instead (PATCH enabled: false)',
    handle: (call) => calls.change(call, new DeleteUserCmd(call.principal, call.params.id as string)),
  });
}

/** The import's upload: one file (its part may have any name) and a few short form fields at most. */
const IMPORT_UPLOAD_LIMITS = { fileSize: IMPORT_LIMITS.bytes, files: 1, fields: 10, fieldSize: 1024 } as const;
const IMPORT_UPLOAD: MultipartUpload = {
  limits: IMPORT_UPLOAD_LIMITS,
  messages: {
    notMultipart: (contentType) => `请以 multipart/form-data 上传文件 (send the file as multipart/form-data, got '${contentType}')`,
    fileTooLarge: () => tooLarge().message,
    tooManyFiles: '一次只能上传一个文件 (send one file per import)',
    tooManyFields: `表单字段过多，只需上传文件 (an import takes the file and at most ${IMPORT_UPLOAD_LIMITS.fields} form fields)`,
    fieldTooLong: (name) => `表单字段 ${name} 过长 (the form field '${name}' is longer than ${IMPORT_UPLOAD_LIMITS.fieldSize} bytes)`,
    unreadable: (reason) => `无法读取上传内容 (the multipart body cannot be read: ${reason})`,
  },
};

/** The one file of the import's multipart/form-data upload, whatever its part is called. */
async function readUploadedFile(ctx: Context): Promise<Buffer> {
  const [file] = (await readMultipart(ctx, IMPORT_UPLOAD)).filter((part) => part.isFile);
  if (!file) throw new BadUserRequestError('没有上传文件 (no file part was sent)');
  return file.content;
}
