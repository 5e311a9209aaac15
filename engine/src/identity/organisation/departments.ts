import type { Command, CommandContext } from '../../command/index.js';
import { BadUserRequestError, ConflictError } from '../../errors/index.js';
import { DEPARTMENT, ROLE_DEPARTMENT, USER, type DbSession, type DepartmentEntity } from '../../persistence/index.js';
import {
  applyChanges,
  checkCode,
  checkCodeFree,
  childPath,
  countUnscoped,
  guardRows,
  remainingParts,
  NOUNS,
  openTasksOfferedTo,
  requireRow,
  requireTenant,
  targetTenant,
} from './rules.js';

/** What the path column holds: about 18 levels of department ids, deeper than any real organisation chart. */
const MAX_DEPARTMENT_PATH = 700;

export interface DepartmentView {
  readonly id: string;
  readonly tenantId: string;
  readonly parentId: string | null;
  readonly code: string;
  readonly name: string;
  readonly leaderUserId: string | null;
  readonly sortOrder: number;
  readonly created: Date;
}

export interface DepartmentNode extends DepartmentView {
  readonly children: DepartmentNode[];
}

export function departmentView(department: DepartmentEntity): DepartmentView {
  const { id, tenantId, parentId, code, name, leaderUserId, sortOrder, created } = department;
  return { id, tenantId, parentId, code, name, leaderUserId, sortOrder, created };
}

/** The department tree of a tenant the caller sees: top departments first, siblings in their designer order. */
export async function departmentTree(session: DbSession, tenantId: string): Promise<DepartmentNode[]> {
  await requireTenant(session, tenantId);
  const departments = (await session.select(DEPARTMENT, 'tenant_id = $1', [tenantId])).sort(bySortOrder);
  const children = new Map<string | null, DepartmentEntity[]>();
  for (const department of departments) {
    const siblings = children.get(department.parentId);
    if (siblings) siblings.push(department);
    else children.set(department.parentId, [department]);
  }
  const build = (department: DepartmentEntity): DepartmentNode => ({ ...departmentView(department), children: (children.get(department.id) ?? []).map(build) });
  return (children.get(null) ?? []).map(build);
}

export async function getDepartment(session: DbSession, id: string): Promise<DepartmentView> {
  return departmentView(await requireRow(session, DEPARTMENT, id, NOUNS.department));
}

export interface NewDepartment {
  /** the caller's tenant when not given */
  readonly tenantId?: string | null;
  readonly parentId?: string | null;
  readonly code: string;
  readonly name: string;
  readonly leaderUserId?: string | null;
  /** after the last sibling when not given */
  readonly sortOrder?: number;
}

/** A department under a parent of its tenant, or at the top; the parent is guarded (see `MoveDepartmentCmd`). */
export class CreateDepartmentCmd implements Command<DepartmentView> {
  readonly name = 'CreateDepartment';

  constructor(private readonly input: NewDepartment) {}

  async execute(context: CommandContext): Promise<DepartmentView> {
    const { session } = context;
    const { code, name, parentId = null, leaderUserId = null } = this.input;
    const tenant = await targetTenant(context, this.input.tenantId);
    checkCode(code, NOUNS.department);
    await checkCodeFree(session, DEPARTMENT, NOUNS.department, tenant.id, code, null);
    const parent = parentId === null ? null : await requireSameTenantDepartment(session, parentId, tenant.id);
    if (parent) guardRows([parent]);
    if (leaderUserId !== null) await checkLeader(session, leaderUserId, tenant.id);
    const siblings = await siblingsOf(session, tenant.id, parentId, null);
    const id = context.newId();
    const department = session.insert(DEPARTMENT, {
      id, rev: 1, tenantId: tenant.id, parentId, code, name, leaderUserId,
      path: checkedPath(childPath(parent?.path ?? null, id)),
      sortOrder: this.input.sortOrder ?? Math.max(-1, ...siblings.map((s) => s.sortOrder)) + 1,
      created: context.now(),
    });
    context.audit({
      action: 'department.create', objectType: 'department', objectId: id, tenantId: tenant.id,
      detail: { tenantId: tenant.id, parentId, code, name, leaderUserId, sortOrder: department.sortOrder },
    });
    return departmentView(department);
  }
}

export interface DepartmentChanges {
  readonly name?: string;
  readonly code?: string;
  /** null removes the leader */
  readonly leaderUserId?: string | null;
  readonly sortOrder?: number;
}

export class UpdateDepartmentCmd implements Command<DepartmentView> {
  readonly name = 'UpdateDepartment';

  constructor(
    private readonly id: string,
    private readonly changes: DepartmentChanges,
  ) {}

  async execute(context: CommandContext): Promise<DepartmentView> {
    const { session } = context;
    const department = await requireRow(session, DEPARTMENT, this.id, NOUNS.department);
    const { code, leaderUserId } = this.changes;
    if (code !== undefined && code !== department.code) {
      checkCode(code, NOUNS.department);
      await checkCodeFree(session, DEPARTMENT, NOUNS.department, department.tenantId, code, department.id);
      await checkNoTasksOfferedTo(session, department, 'renamed');
    }
    if (leaderUserId) await checkLeader(session, leaderUserId, department.tenantId);
    const changed = applyChanges(department, this.changes);
    if (Object.keys(changed).length > 0) context.audit({ action: 'department.update', objectType: 'department', objectId: department.id, tenantId: department.tenantId, detail: changed });
    return departmentView(department);
  }
}

export interface DepartmentMove {
  /** null: a top department of the tenant */
  readonly parentId: string | null;
  /** the place among the new siblings, from 0; past the end means last */
  readonly position: number;
}

/**
 * A drag in the designer: the department (with its subtree) goes under another parent at a
 * position among its siblings. The siblings are renumbered and the subtree's paths recomputed.
 *
 * Tree changes guard the parent they put a department under, and a move rewrites every row of the
 * moved subtree anyway. So two changes that could only be wrong together — A moved under B while
 * B moves under A (a loop), a department created under one that is moving (a stale path), a move
 * under one being deleted — write a row in common, and the second to commit fails its revision
 * check (409, retry) instead of both committing on what they read.
 */
export class MoveDepartmentCmd implements Command<DepartmentView> {
  readonly name = 'MoveDepartment';

  constructor(
    private readonly id: string,
    private readonly move: DepartmentMove,
  ) {}

  async execute(context: CommandContext): Promise<DepartmentView> {
    const { session } = context;
    const department = await requireRow(session, DEPARTMENT, this.id, NOUNS.department);
    const parent = this.move.parentId === null ? null : await requireSameTenantDepartment(session, this.move.parentId, department.tenantId);
    if (parent && parent.path.startsWith(department.path)) {
      throw new BadUserRequestError(
        `不能把部门 ${department.name}(${department.code}) 移到它自己或其下级 ${parent.name}(${parent.code}) 之下 (moving department '${department.code}' under '${parent.code}' would make a cycle: '${parent.code}' is ${parent.id === department.id ? 'the department itself' : 'one of its sub-departments'})`,
      );
    }
    const from = department.parentId;
    if (from !== (parent?.id ?? null)) {
      if (parent) guardRows([parent]);
      await movePaths(session, department, parent);
    }
    const siblings = await siblingsOf(session, department.tenantId, parent?.id ?? null, department.id);
    siblings.splice(Math.min(this.move.position, siblings.length), 0, department);
    for (const [index, sibling] of siblings.entries()) sibling.sortOrder = index;
    context.audit({
      action: 'department.move', objectType: 'department', objectId: department.id, tenantId: department.tenantId,
      detail: { parentId: { from, to: department.parentId }, position: department.sortOrder },
    });
    return departmentView(department);
  }
}

/** Deletes an empty department: refused while sub-departments, members or open tasks offered to it remain. */
export class DeleteDepartmentCmd implements Command<void> {
  readonly name = 'DeleteDepartment';

  constructor(private readonly id: string) {}

  async execute(context: CommandContext): Promise<void> {
    const { session } = context;
    const department = await requireRow(session, DEPARTMENT, this.id, NOUNS.department);
    const count = (query: string) => countUnscoped(session.sql, query, [department.id]);
    const remaining = remainingParts([
      { count: await count('SELECT COUNT(*) AS n FROM department WHERE parent_id = $1'), zh: '下级部门', en: 'sub-departments' },
      { count: await count('SELECT COUNT(*) AS n FROM user_department WHERE department_id = $1'), zh: '用户', en: 'members' },
      { count: await openTasksOfMembersOrGroup(session, department), zh: '待办任务', en: 'open tasks' },
    ]);
    if (remaining) throw new ConflictError(`部门 ${department.name}(${department.code}) 不能删除：仍有 ${remaining.zh} (department '${department.code}' cannot be deleted: ${remaining.en} remain)`);
    for (const chosen of await session.select(ROLE_DEPARTMENT, 'department_id = $1', [department.id])) session.delete(ROLE_DEPARTMENT, chosen);
    session.delete(DEPARTMENT, department);
    context.audit({ action: 'department.delete', objectType: 'department', objectId: department.id, tenantId: department.tenantId, detail: { tenantId: department.tenantId, code: department.code, name: department.name } });
  }
}

/** A department in the given tenant; one of another tenant is named in the 400. */
export async function requireSameTenantDepartment(session: DbSession, id: string, tenantId: string): Promise<DepartmentEntity> {
  const department = await requireRow(session, DEPARTMENT, id, NOUNS.department);
  if (department.tenantId !== tenantId) {
    throw new BadUserRequestError(
      `部门 ${department.name}(${department.code}) 属于另一租户 ${department.tenantId} (department '${department.code}' belongs to tenant ${department.tenantId}, not ${tenantId})`,
    );
  }
  return department;
}

async function checkLeader(session: DbSession, userId: string, tenantId: string): Promise<void> {
  const user = await requireRow(session, USER, userId, NOUNS.user);
  if (user.tenantId !== tenantId) {
    throw new BadUserRequestError(`部门负责人 ${user.displayName}(${user.id}) 属于另一租户 ${user.tenantId} (the leader '${user.id}' is a user of tenant ${user.tenantId}, not ${tenantId})`);
  }
}

async function checkNoTasksOfferedTo(session: DbSession, department: DepartmentEntity, verb: string): Promise<void> {
  const tasks = await openTasksOfferedTo(session.sql, `dept:${department.code}`, department.tenantId);
  if (tasks > 0) {
    throw new ConflictError(`部门 ${department.name}(${department.code}) 仍有 ${tasks} 个待办任务，编码不能修改 (${tasks} open tasks are offered to 'dept:${department.code}'; its code cannot be ${verb} until they are done)`);
  }
}

/** Open tasks assigned or offered to a member, or offered to the department as a candidate group. */
async function openTasksOfMembersOrGroup(session: DbSession, department: DepartmentEntity): Promise<number> {
  const members = 'SELECT user_id FROM user_department WHERE department_id = $1';
  return countUnscoped(
    session.sql,
    `SELECT COUNT(*) AS n FROM task WHERE assignee IN (${members})
       OR id IN (SELECT task_id FROM task_candidate WHERE user_id IN (${members}))
       OR ((tenant_id = $3 OR tenant_id IS NULL) AND id IN (SELECT task_id FROM task_candidate WHERE group_id = $2))`,
    [department.id, `dept:${department.code}`, department.tenantId],
  );
}

/** The departments under `parentId` (top ones for null), in order, without `exceptId`. */
async function siblingsOf(session: DbSession, tenantId: string, parentId: string | null, exceptId: string | null): Promise<DepartmentEntity[]> {
  const siblings = parentId === null
    ? await session.select(DEPARTMENT, 'tenant_id = $1 AND parent_id IS NULL', [tenantId])
    : await session.select(DEPARTMENT, 'tenant_id = $1 AND parent_id = $2', [tenantId, parentId]);
  return siblings.filter((sibling) => sibling.id !== exceptId).sort(bySortOrder);
}

/** Re-roots the department's subtree under `parent`: every path in it starts with the new prefix. */
async function movePaths(session: DbSession, department: DepartmentEntity, parent: DepartmentEntity | null): Promise<void> {
  // paths are slash-separated UUIDs: no LIKE wildcard can occur in one
  const subtree = await session.select(DEPARTMENT, 'tenant_id = $1 AND path LIKE $2', [department.tenantId, `${department.path}%`]);
  const oldPrefix = department.path;
  const newPrefix = childPath(parent?.path ?? null, department.id);
  for (const member of subtree) member.path = checkedPath(newPrefix + member.path.slice(oldPrefix.length));
  department.parentId = parent?.id ?? null;
}

function bySortOrder(a: DepartmentEntity, b: DepartmentEntity): number {
  return a.sortOrder - b.sortOrder || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

function checkedPath(path: string): string {
  if (path.length > MAX_DEPARTMENT_PATH) throw new BadUserRequestError(`部门层级过深 (the department tree would be deeper than its path column holds)`);
  return path;
}
