import type { OrganisationQuery } from '../bpmn/execute/index.js';
import { parseAssignment } from '../bpmn/model/index.js';
import type { CommandContext } from '../command/index.js';
import { BadUserRequestError } from '../errors/index.js';
import {
  DEPARTMENT,
  placeholders,
  ROLE,
  TASK_CANDIDATE,
  USER,
  USER_DEPARTMENT,
  USER_ROLE,
  type DepartmentEntity,
  type RoleEntity,
  type SqlValue,
  type TaskEntity,
  type UserDepartmentEntity,
  type UserEntity,
  type UserRoleEntity,
} from '../persistence/index.js';

/** Whom something is sent to: users by id, the members of departments, the holders of roles (departments and roles by id or code). */
export interface Recipients {
  readonly users?: readonly string[];
  readonly departments?: readonly string[];
  readonly roles?: readonly string[];
}

/**
 * What a name that matches nothing does: `refuse` (the default) is the 400 a request gets, naming
 * every such name; `skip` leaves it out (a copy node of a deployed process: the case must go on).
 */
export type UnknownRecipients = 'refuse' | 'skip';

/**
 * The distinct enabled users of `tenantId` that `recipients` stand for: the users named, the
 * members of the departments (not of their sub-departments) and the holders of the roles, read
 * in one round trip through the command's session, so within the actor's tenants too. A tenant
 * of null (a case without one) looks across every tenant the actor sees. A disabled user named
 * by id counts as unknown; disabled members of a department or role are left out.
 */
export async function usersOf(context: CommandContext, recipients: Recipients, tenantId: string | null, unknown: UnknownRecipients = 'refuse'): Promise<string[]> {
  const users = distinct(recipients.users);
  const departments = distinct(recipients.departments);
  const roles = distinct(recipients.roles);
  if (users.length + departments.length + roles.length === 0) return [];
  const inTenant = (where: string, bind: SqlValue[]) =>
    tenantId === null ? { where: `(${where})`, bind } : { where: `(${where}) AND tenant_id = $${bind.length + 1}`, bind: [...bind, tenantId] };
  const nothing = { where: '1 = 0', bind: [] as SqlValue[] };
  const byIdOrCode = (names: string[]) =>
    names.length === 0 ? nothing : inTenant(`id IN (${placeholders(names.length)}) OR code IN (${placeholders(names.length, names.length)})`, [...names, ...names]);
  const namedUsers = users.length === 0 ? nothing : inTenant(`id IN (${placeholders(users.length)}) AND enabled = $${users.length + 1}`, [...users, true]);
  const namedDepartments = byIdOrCode(departments);
  const namedRoles = byIdOrCode(roles);
  const enabledMembers = (table: string, column: string, named: { where: string; bind: SqlValue[] }) => ({
    where: `${column} IN (SELECT id FROM ${table} WHERE ${named.where}) AND user_id IN (SELECT id FROM app_user WHERE enabled = $${named.bind.length + 1})`,
    bind: [...named.bind, true],
  });
  const [foundUsers, foundDepartments, foundRoles, members, holders] = await context.session.selectMany<
    [UserEntity, DepartmentEntity, RoleEntity, UserDepartmentEntity, UserRoleEntity]
  >([
    { table: USER, ...namedUsers },
    { table: DEPARTMENT, ...namedDepartments },
    { table: ROLE, ...namedRoles },
    { table: USER_DEPARTMENT, ...enabledMembers('department', 'department_id', namedDepartments) },
    { table: USER_ROLE, ...enabledMembers('role', 'role_id', namedRoles) },
  ]);
  const missing = [
    ...users.filter((id) => !foundUsers.some((user) => user.id === id)).map((id) => `user '${id}'`),
    ...departments.filter((name) => !foundDepartments.some((d) => d.id === name || d.code === name)).map((name) => `department '${name}'`),
    ...roles.filter((name) => !foundRoles.some((r) => r.id === name || r.code === name)).map((name) => `role '${name}'`),
  ];
  if (missing.length > 0 && unknown === 'refuse') {
    const where = tenantId === null ? '' : ` of tenant '${tenantId}'`;
    throw new BadUserRequestError(`No enabled ${missing.join(', ')}${where} (unknown recipients)`);
  }
  return distinct([...foundUsers.map((user) => user.id), ...members.map((member) => member.userId), ...holders.map((holder) => holder.userId)]);
}

/**
 * Who works on a task now: its assignee; else its candidate users and the members of its
 * candidate groups, asked of the organisation (`role:`, `dept:`, `post:`, `group:` entries, a
 * bare group being a role code as in BPMN). A plain Camunda group the organisation does not know
 * stands for nobody here.
 */
export async function taskHandlers(context: CommandContext, task: TaskEntity): Promise<string[]> {
  if (task.assignee) return [task.assignee];
  const candidates = await context.session.select(TASK_CANDIDATE, 'task_id = $1', [task.id]);
  const users = candidates.flatMap((candidate) => (candidate.userId ? [candidate.userId] : []));
  const queries = candidates.flatMap((candidate) => (candidate.groupId ? groupQuery(candidate.groupId) : []));
  const resolver = context.environment.taskAssignment?.resolver;
  const answers = resolver && queries.length > 0 ? await resolver.resolve(context, task.tenantId, queries) : [];
  return distinct([...users, ...answers.flatMap((answer) => answer.userIds)]);
}

function groupQuery(groupId: string): OrganisationQuery[] {
  const reference = parseAssignment(groupId, 'role');
  switch (reference.kind) {
    case 'role':
    case 'post':
    case 'group':
      return [{ kind: reference.kind, code: reference.code }];
    case 'department':
      return [{ kind: 'departmentMembers', department: reference.code, includeSubDepartments: false }];
    default:
      return [];
  }
}

function distinct(values: readonly string[] | undefined): string[] {
  return [...new Set((values ?? []).map((value) => value.trim()).filter((value) => value !== ''))];
}
