import type { Command, CommandContext } from '../../command/index.js';
import { BadUserRequestError, ConflictError, ForbiddenError } from '../../errors/index.js';
import {
  DEPARTMENT,
  GROUP_MEMBER,
  POST,
  ROLE,
  ROLE_DEPARTMENT,
  ROLE_PERMISSION,
  USER,
  USER_DEPARTMENT,
  USER_GROUP,
  USER_POST,
  USER_ROLE,
  formatTimestamp,
  type DbSession,
  type DepartmentEntity,
  type PostEntity,
  type RoleEntity,
  type Table,
  type UserEntity,
} from '../../persistence/index.js';
import { Filter, orderAndPage, type Page, type Sorting } from '../../services/query.js';
import type { Principal } from '../access.js';
import { departmentsBeyond, departmentsOutside, describeOverreach, joinEn, joinZh, roleBeyond, type Bilingual, type DepartmentRef, type Overreach } from '../grants.js';
import { checkPasswordPolicy, hashPassword } from '../authentication/passwords.js';
import type { PasswordPolicy } from '../authentication/settings.js';
import { applyChanges, checkContact, checkDistinct, checkLoginId, containsPattern, countUnscoped, guardRows, remainingParts, idsIn, NOUNS, requireRow, targetTenant, type Noun } from './rules.js';

/** A user as lists show them: never the password hash. */
export interface UserSummary {
  readonly id: string;
  readonly tenantId: string;
  readonly displayName: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly enabled: boolean;
  readonly mustChangePassword: boolean;
  /** set while the account is locked after failed logins */
  readonly lockedUntil: Date | null;
  readonly created: Date;
}

interface Membership {
  readonly id: string;
  readonly code: string;
  readonly name: string;
}

export interface UserDetail extends UserSummary {
  readonly failedLogins: number;
  readonly passwordChanged: Date | null;
  /** the primary department first */
  readonly departments: readonly (Membership & { readonly primary: boolean })[];
  readonly posts: readonly Membership[];
  readonly roles: readonly Membership[];
  readonly groups: readonly Membership[];
}

export function userSummary(user: UserEntity): UserSummary {
  const { id, tenantId, displayName, email, phone, enabled, mustChangePassword, lockedUntil, created } = user;
  return { id, tenantId, displayName, email, phone, enabled, mustChangePassword, lockedUntil, created };
}

export interface UserQuery extends Page, Sorting<'id' | 'displayName' | 'created'> {
  readonly tenantId?: string;
  readonly departmentId?: string;
  /** with departmentId: members of its sub-departments too */
  readonly includeSubDepartments?: boolean;
  readonly roleCode?: string;
  readonly postCode?: string;
  /** part of the login id or the display name */
  readonly search?: string;
  readonly enabled?: boolean;
}

const USER_SORT = { id: 'id', displayName: 'display_name', created: 'created' } as const;

/** Users of the tenants the session's caller sees, filtered and paged. */
export async function listUsers(session: DbSession, query: UserQuery): Promise<UserSummary[]> {
  const filter = await userFilter(session, query);
  const users = await session.select(USER, filter.where, filter.bindings, orderAndPage(query, USER_SORT, 'id', query));
  return users.map(userSummary);
}

export async function countUsers(session: DbSession, query: UserQuery): Promise<number> {
  const filter = await userFilter(session, query);
  return session.count(USER, filter.where, filter.bindings);
}

/**
 * The filters as bound clauses on app_user. The session's scope restricts the users themselves,
 * so the sub-queries over memberships need no tenant clause of their own.
 */
async function userFilter(session: DbSession, query: UserQuery): Promise<Filter> {
  const filter = new Filter().equals('tenant_id', query.tenantId).equals('enabled', query.enabled);
  if (query.departmentId !== undefined) {
    if (query.includeSubDepartments) {
      const department = await session.findById(DEPARTMENT, query.departmentId);
      if (!department) filter.raw('1 = 0');
      // department paths are slash-separated UUIDs: no LIKE wildcard can occur in one
      else filter.raw('id IN (SELECT ud.user_id FROM user_department ud JOIN department d ON d.id = ud.department_id WHERE d.path LIKE ?)', `${department.path}%`);
    } else {
      filter.raw('id IN (SELECT user_id FROM user_department WHERE department_id = ?)', query.departmentId);
    }
  }
  if (query.roleCode !== undefined) filter.raw('id IN (SELECT ur.user_id FROM user_role ur JOIN role r ON r.id = ur.role_id WHERE r.code = ?)', query.roleCode);
  if (query.postCode !== undefined) filter.raw('id IN (SELECT up.user_id FROM user_post up JOIN post p ON p.id = up.post_id WHERE p.code = ?)', query.postCode);
  if (query.search !== undefined) {
    const pattern = containsPattern(query.search);
    filter.raw("(id LIKE ? ESCAPE '!' OR display_name LIKE ? ESCAPE '!')", pattern, pattern);
  }
  return filter;
}

/** A user the caller sees, with their departments, posts, roles and groups. */
export async function getUser(session: DbSession, id: string): Promise<UserDetail> {
  const user = await requireRow(session, USER, id, NOUNS.user);
  const [departmentLinks, postLinks, roleLinks, groupLinks] = await session.selectMany([
    { table: USER_DEPARTMENT, where: 'user_id = $1', bind: [id] },
    { table: USER_POST, where: 'user_id = $1', bind: [id] },
    { table: USER_ROLE, where: 'user_id = $1', bind: [id] },
    { table: GROUP_MEMBER, where: 'user_id = $1', bind: [id] },
  ] as const);
  const [departments, posts, roles, groups] = await session.selectMany([
    { table: DEPARTMENT, ...idsIn('id', departmentLinks.map((link) => link.departmentId)) },
    { table: POST, ...idsIn('id', postLinks.map((link) => link.postId)) },
    { table: ROLE, ...idsIn('id', roleLinks.map((link) => link.roleId)) },
    { table: USER_GROUP, ...idsIn('id', groupLinks.map((link) => link.groupId)) },
  ] as const);
  const primary = new Set(departmentLinks.filter((link) => link.primary).map((link) => link.departmentId));
  return {
    ...userSummary(user),
    failedLogins: user.failedLogins,
    passwordChanged: user.passwordChanged,
    departments: departments.map((d) => ({ ...membership(d), primary: primary.has(d.id) })).sort((a, b) => Number(b.primary) - Number(a.primary)),
    posts: posts.map(membership),
    roles: roles.map(membership),
    groups: groups.map(membership),
  };
}

function membership({ id, code, name }: Membership): Membership {
  return { id, code, name };
}

/** The departments, posts and roles a user is given, by id; the first department is the primary one. */
export interface MembershipIds {
  readonly departmentIds?: readonly string[];
  readonly postIds?: readonly string[];
  readonly roleIds?: readonly string[];
}

/** Memberships checked to belong to the user's tenant. */
export interface Memberships {
  readonly departments?: readonly DepartmentEntity[];
  readonly posts?: readonly PostEntity[];
  readonly roles?: readonly RoleEntity[];
}

export interface NewUser extends MembershipIds {
  readonly id: string;
  /** the caller's tenant when not given */
  readonly tenantId?: string | null;
  readonly displayName: string;
  readonly email?: string | null;
  readonly phone?: string | null;
}

/** The hash of an initial or reset password, once the platform's password policy accepts it (hashing is slow: outside the command). */
export async function passwordHashFor(password: string, policy: PasswordPolicy): Promise<string> {
  checkPasswordPolicy(password, policy);
  return hashPassword(password);
}

/** Creates a user who must change the initial password at first login. */
export class CreateUserCmd implements Command<UserSummary> {
  readonly name = 'CreateUser';

  /** `grantor`: the administrator creating the user, who may give only roles within their own power and departments within their data scope */
  constructor(
    private readonly grantor: Principal,
    private readonly input: NewUser,
    private readonly passwordHash: string,
  ) {}

  async execute(context: CommandContext): Promise<UserSummary> {
    const { input } = this;
    checkLoginId(input.id);
    checkContact(input);
    const tenant = await targetTenant(context, input.tenantId);
    const [taken] = await loginIdsTaken(context.session, [input.id]);
    if (taken) throw new ConflictError(`账号 ${taken} 已存在 (the login id '${taken}' is taken)`);
    const memberships = await membershipsByIds(context.session, tenant.id, input);
    refuseDepartmentsBeyond(this.grantor, memberships.departments ?? []);
    await refuseRolesBeyond(context.session, this.grantor, memberships.roles ?? []);
    const user = insertUser(context, { ...input, tenantId: tenant.id }, memberships, this.passwordHash);
    context.audit({ action: 'user.create', objectType: 'user', objectId: user.id, tenantId: user.tenantId, detail: userDetailForAudit(user, memberships) });
    return userSummary(user);
  }
}

/**
 * Inserts a user with the memberships given (already checked) and an initial password to change at
 * first login. Shared by the single create and the bulk import.
 */
export function insertUser(context: CommandContext, input: NewUser & { readonly tenantId: string }, memberships: Memberships, passwordHash: string): UserEntity {
  const user = context.session.insert(USER, {
    id: input.id, rev: 1, tenantId: input.tenantId, displayName: input.displayName, firstName: null, lastName: null,
    email: input.email || null, phone: input.phone || null, passwordHash, passwordChanged: context.now(), mustChangePassword: true,
    failedLogins: 0, lockedUntil: null, enabled: true, created: context.now(),
  });
  for (const [index, department] of (memberships.departments ?? []).entries()) {
    context.session.insert(USER_DEPARTMENT, { id: context.newId(), userId: user.id, departmentId: department.id, tenantId: user.tenantId, primary: index === 0 });
  }
  for (const post of memberships.posts ?? []) context.session.insert(USER_POST, { id: context.newId(), userId: user.id, postId: post.id, tenantId: user.tenantId });
  for (const role of memberships.roles ?? []) context.session.insert(USER_ROLE, { id: context.newId(), userId: user.id, roleId: role.id, tenantId: user.tenantId });
  return user;
}

/** What the audit log keeps of a new user: the profile and memberships, never the password. */
export function userDetailForAudit(user: UserEntity, memberships: Memberships): Record<string, unknown> {
  return {
    tenantId: user.tenantId, displayName: user.displayName, email: user.email, phone: user.phone,
    departments: memberships.departments?.map((d) => d.code) ?? [], posts: memberships.posts?.map((p) => p.code) ?? [], roles: memberships.roles?.map((r) => r.code) ?? [],
  };
}

/** Of the given login ids, those already taken, compared without case (MariaDB's collation would refuse `Alice` beside `alice`). */
export async function loginIdsTaken(session: DbSession, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const lower = ids.map((id) => id.toLowerCase());
  const { where, bind } = idsIn('LOWER(id)', lower);
  // every user counts, not only those of the caller's tenants: login ids are unique across the platform
  const rows = await session.sql.select(`SELECT id FROM app_user WHERE ${where}`, bind);
  const taken = new Set(rows.map((row) => String(row.id).toLowerCase()));
  return ids.filter((id) => taken.has(id.toLowerCase()));
}

export interface UserChanges extends MembershipIds {
  readonly displayName?: string;
  /** null or '' clears it */
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly enabled?: boolean;
}

/**
 * Changes a user's profile, memberships or enabled flag: only a user no more powerful than the
 * administrator (`grantor`), who may add only roles within their own power and departments within
 * their own data scope, and never change their own memberships — another administrator must.
 */
export class UpdateUserCmd implements Command<UserSummary> {
  readonly name = 'UpdateUser';

  constructor(
    private readonly grantor: Principal,
    private readonly id: string,
    private readonly changes: UserChanges,
  ) {}

  async execute(context: CommandContext): Promise<UserSummary> {
    const { session } = context;
    const user = await requireRow(session, USER, this.id, NOUNS.user);
    await refuseMorePowerful(session, this.grantor, user, ACTING_ON.update);
    const { departmentIds, postIds, roleIds, ...profile } = this.changes;
    checkContact(profile);
    if (profile.enabled === false && user.enabled) await checkCanBeDisabled(context, user);
    const changed: Record<string, unknown> = applyChanges(user, {
      ...profile,
      email: profile.email === undefined ? undefined : profile.email || null,
      phone: profile.phone === undefined ? undefined : profile.phone || null,
    });
    const memberships = await membershipsByIds(session, user.tenantId, { departmentIds, postIds, roleIds });
    if (memberships.departments) {
      const held = new Set((await session.select(USER_DEPARTMENT, 'user_id = $1', [user.id])).map((link) => link.departmentId));
      refuseDepartmentsBeyond(this.grantor, memberships.departments.filter((department) => !held.has(department.id)));
    }
    if (memberships.roles) {
      const held = new Set((await session.select(USER_ROLE, 'user_id = $1', [user.id])).map((link) => link.roleId));
      await refuseRolesBeyond(session, this.grantor, memberships.roles.filter((role) => !held.has(role.id)));
    }
    const membershipChanges = await replaceMemberships(context, user, memberships);
    // nothing is written before the command returns: refusing now leaves the memberships as they were
    if (user.id === this.grantor.userId && Object.keys(membershipChanges).length > 0) throw ownMembershipsRefused();
    Object.assign(changed, membershipChanges);
    if (Object.keys(changed).length > 0) context.audit({ action: 'user.update', objectType: 'user', objectId: user.id, tenantId: user.tenantId, detail: changed });
    return userSummary(user);
  }
}

/**
 * An administrator sets a new password: the user must change it at their next login, and their
 * sessions end. Only for users no more powerful than the administrator, who could otherwise sign
 * in as them.
 */
export class ResetPasswordCmd implements Command<void> {
  readonly name = 'ResetPassword';

  constructor(
    private readonly grantor: Principal,
    private readonly id: string,
    private readonly passwordHash: string,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const { session } = context;
    const user = await requireRow(session, USER, this.id, NOUNS.user);
    await refuseMorePowerful(session, this.grantor, user, ACTING_ON.resetPassword);
    Object.assign(user, { passwordHash: this.passwordHash, passwordChanged: context.now(), mustChangePassword: true });
    context.session.addStatement('UPDATE auth_session SET revoked = $1 WHERE user_id = $2 AND revoked IS NULL', [formatTimestamp(context.now()), user.id]);
    context.audit({ action: 'user.reset-password', objectType: 'user', objectId: user.id, tenantId: user.tenantId, detail: { mustChangePassword: true, sessionsRevoked: true } });
  }
}

/** What an administrator does to a user, as the refusal to do it to a more powerful one begins. */
export const ACTING_ON = {
  update: { zh: '不能修改权限高于你的用户', en: 'you cannot change' },
  resetPassword: { zh: '不能重置权限高于你的用户的密码', en: 'you cannot set the password of' },
  unlock: { zh: '不能解锁权限高于你的用户', en: 'you cannot unlock' },
  delete: { zh: '不能删除权限高于你的用户', en: 'you cannot delete' },
  apiKey: { zh: '不能创建以权限高于你的用户身份行事的 API 密钥', en: 'you cannot make an API key acting as' },
} as const satisfies Record<string, Bilingual>;

/**
 * Refuses to act on a user whose roles hold permissions or reach beyond the administrator's
 * (`grantor`; the same comparison as giving a role), with a 403 naming what they hold beyond.
 * Editing, unlocking, deleting such a user, setting their password or making a key act as them
 * would let the administrator tamper with, or borrow, power they were not given.
 */
export async function refuseMorePowerful(session: DbSession, grantor: Principal, user: UserEntity, action: Bilingual): Promise<void> {
  if (user.id === grantor.userId) return;
  const roleIds = (await session.select(USER_ROLE, 'user_id = $1', [user.id])).map((link) => link.roleId);
  const { where, bind } = idsIn('id', roleIds);
  const beyond = [...(await rolesBeyond(session, grantor, await session.select(ROLE, where, bind))).values()];
  if (beyond.length === 0) return;
  const more = moreThanGrantor(beyond);
  throw new ForbiddenError(`${action.zh}：该用户${more.zh} (${action.en} '${user.id}', who ${more.en})`);
}

/** What a user's roles hold beyond the administrator's own, as the end of a sentence about the user. */
function moreThanGrantor(beyond: readonly Overreach[]): Bilingual {
  const permissions = [...new Set(beyond.flatMap((overreach) => overreach.permissions))].join(', ');
  // the same reach held through several roles is named once
  const reach = [...new Map(beyond.flatMap((overreach) => overreach.reach).map((part) => [part.en, part])).values()];
  const zh: string[] = [];
  const en: string[] = [];
  if (permissions) {
    zh.push(`持有你没有的权限 ${permissions}`);
    en.push(`holds permissions you do not: ${permissions}`);
  }
  if (reach.length > 0) {
    zh.push(`数据权限超出你：${joinZh(reach)}`);
    en.push(`sees more than you do: ${joinEn(reach)}`);
  }
  return { zh: zh.join('，且'), en: en.join(', and ') };
}

/** Nobody changes their own departments, posts or roles: that would change what they see and which tasks they are offered. */
function ownMembershipsRefused(): ForbiddenError {
  return new ForbiddenError('不能修改自己的部门、岗位或角色，须由其他管理员修改 (you cannot change your own departments, posts or roles: another administrator must)');
}

/** Refuses departments outside the grantor's data scope, naming them: users put there would see and be offered what the grantor cannot. */
function refuseDepartmentsBeyond(grantor: Principal, departments: readonly DepartmentEntity[]): void {
  const outside = departmentsBeyond(grantor, departments);
  if (outside.length > 0) throw new ForbiddenError(departmentRefusal(outside));
}

/** Why departments cannot be given to a user. */
export function departmentRefusal(departments: readonly DepartmentRef[]): string {
  const { zh, en } = departmentsOutside(departments);
  return `不能把用户加入${zh} (you cannot put a user in ${en})`;
}

/** Lifts a lockout after failed logins, for a user no more powerful than the administrator. */
export class UnlockUserCmd implements Command<void> {
  readonly name = 'UnlockUser';

  constructor(
    private readonly grantor: Principal,
    private readonly id: string,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const user = await requireRow(context.session, USER, this.id, NOUNS.user);
    await refuseMorePowerful(context.session, this.grantor, user, ACTING_ON.unlock);
    const detail = { failedLogins: user.failedLogins, lockedUntil: user.lockedUntil };
    Object.assign(user, { failedLogins: 0, lockedUntil: null });
    context.audit({ action: 'user.unlock', objectType: 'user', objectId: user.id, tenantId: user.tenantId, detail });
  }
}

/**
 * Deletes an account created by mistake: one that has never done anything. A user who has worked
 * on cases, signed in or been audited is disabled instead (`enabled: false`), so that history and
 * the audit log keep pointing at one person and the login id is never given to somebody else.
 * Only a user no more powerful than the administrator.
 */
export class DeleteUserCmd implements Command<void> {
  readonly name = 'DeleteUser';

  constructor(
    private readonly grantor: Principal,
    private readonly id: string,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const { session } = context;
    const user = await requireRow(session, USER, this.id, NOUNS.user);
    if (context.actor?.userId === user.id) throw new BadUserRequestError('不能删除自己的账号 (you cannot delete your own account)');
    await refuseMorePowerful(session, this.grantor, user, ACTING_ON.delete);
    await checkNoOpenTasks(session, user);
    const records = remainingParts(await recordsOf(session, user.id));
    if (records) throw new ConflictError(`用户 ${user.displayName}(${user.id}) 已有${records.zh}，不能删除，请停用 (user '${user.id}' has ${records.en}: disable the account instead of deleting it)`);
    const [departments, posts, roles, groups, led] = await session.selectMany([
      { table: USER_DEPARTMENT, where: 'user_id = $1', bind: [user.id] },
      { table: USER_POST, where: 'user_id = $1', bind: [user.id] },
      { table: USER_ROLE, where: 'user_id = $1', bind: [user.id] },
      { table: GROUP_MEMBER, where: 'user_id = $1', bind: [user.id] },
      { table: DEPARTMENT, where: 'leader_user_id = $1', bind: [user.id] },
    ] as const);
    for (const link of departments) session.delete(USER_DEPARTMENT, link);
    for (const link of posts) session.delete(USER_POST, link);
    for (const link of roles) session.delete(USER_ROLE, link);
    for (const link of groups) session.delete(GROUP_MEMBER, link);
    for (const department of led) department.leaderUserId = null;
    session.delete(USER, user);
    context.audit({ action: 'user.delete', objectType: 'user', objectId: user.id, tenantId: user.tenantId, detail: { tenantId: user.tenantId, displayName: user.displayName, ledDepartments: led.map((d) => d.code) } });
  }
}

/** What ties a user to the platform's records: any of these, and the account can only be disabled. */
async function recordsOf(session: DbSession, userId: string) {
  const count = (query: string) => countUnscoped(session.sql, query, [userId]);
  return [
    { count: await count('SELECT COUNT(*) AS n FROM hi_task WHERE assignee = $1 OR owner = $1'), zh: '历史任务', en: 'tasks in history' },
    { count: await count('SELECT COUNT(*) AS n FROM hi_process_instance WHERE start_user_id = $1'), zh: '发起的流程', en: 'started instances' },
    { count: await count('SELECT COUNT(*) AS n FROM audit_log WHERE user_id = $1'), zh: '审计记录', en: 'audit entries' },
    { count: await count('SELECT COUNT(*) AS n FROM auth_session WHERE user_id = $1'), zh: '登录记录', en: 'sign-ins' },
    { count: await count('SELECT COUNT(*) AS n FROM api_token WHERE user_id = $1'), zh: 'API 密钥', en: 'API keys' },
  ];
}

/** A disabled user could not finish their open tasks: they must be handed over first. Nobody disables themselves. */
async function checkCanBeDisabled(context: CommandContext, user: UserEntity): Promise<void> {
  if (context.actor?.userId === user.id) throw new BadUserRequestError('不能停用自己的账号 (you cannot disable your own account)');
  await checkNoOpenTasks(context.session, user);
}

async function checkNoOpenTasks(session: DbSession, user: UserEntity): Promise<void> {
  const open = await countUnscoped(session.sql, 'SELECT COUNT(*) AS n FROM task WHERE assignee = $1 OR owner = $1', [user.id]);
  if (open > 0) {
    throw new ConflictError(`用户 ${user.displayName}(${user.id}) 仍有 ${open} 个待办任务，请先转办 (the user still has ${open} open tasks assigned: reassign them first)`);
  }
}

/**
 * Per role given, what it would hand its holders that `grantor` lacks (permissions, reach: see
 * `identity/grants.ts`); roles within the grantor's own power are absent. Giving someone such a
 * role would make them more powerful than the administrator who gave it.
 */
export async function rolesBeyond(session: DbSession, grantor: Principal, roles: readonly RoleEntity[]): Promise<Map<string, Overreach>> {
  const { where, bind } = idsIn('role_id', roles.map((role) => role.id));
  const [grants, chosen] = await session.selectMany([
    { table: ROLE_PERMISSION, where, bind },
    { table: ROLE_DEPARTMENT, where, bind },
  ] as const);
  const chosenIds = idsIn('id', chosen.map((row) => row.departmentId));
  const departmentById = new Map((await session.select(DEPARTMENT, chosenIds.where, chosenIds.bind)).map((department) => [department.id, department]));
  const permissionsOf = new Map<string, string[]>();
  for (const grant of grants) permissionsOf.set(grant.roleId, [...(permissionsOf.get(grant.roleId) ?? []), grant.permission]);
  const departmentsOf = new Map<string, DepartmentEntity[]>();
  for (const { roleId, departmentId } of chosen) {
    const department = departmentById.get(departmentId);
    if (department) departmentsOf.set(roleId, [...(departmentsOf.get(roleId) ?? []), department]);
  }
  const beyond = new Map<string, Overreach>();
  for (const role of roles) {
    const { dataScope, seesDescendants } = role;
    const overreach = roleBeyond(grantor, { dataScope, seesDescendants, departments: departmentsOf.get(role.id) ?? [], permissions: permissionsOf.get(role.id) ?? [] });
    if (overreach) beyond.set(role.id, overreach);
  }
  return beyond;
}

/** Why a role cannot be given, naming what it has beyond the grantor. */
export function roleRefusal(role: RoleEntity, overreach: Overreach): string {
  const { zh, en } = describeOverreach(overreach);
  return `不能授予角色 ${role.name}(${role.code})：${zh} (you cannot give the role '${role.code}': ${en})`;
}

/**
 * Refuses giving roles beyond the grantor, naming the first. The roles given are guarded: should
 * one gain a permission meanwhile, one of the two commands fails, rather than this one handing
 * out what it did not check the grantor against.
 */
async function refuseRolesBeyond(session: DbSession, grantor: Principal, roles: readonly RoleEntity[]): Promise<void> {
  const beyond = await rolesBeyond(session, grantor, roles);
  const [role] = roles.filter((candidate) => beyond.has(candidate.id));
  if (role) throw new ForbiddenError(roleRefusal(role, beyond.get(role.id) as Overreach));
  guardRows(roles);
}

/** Looks up the memberships given by id, each of which must belong to the user's tenant; lists not given stay undefined. */
export async function membershipsByIds(session: DbSession, tenantId: string, ids: MembershipIds): Promise<Memberships> {
  return {
    departments: ids.departmentIds && (await rowsInTenant(session, DEPARTMENT, NOUNS.department, ids.departmentIds, tenantId)),
    posts: ids.postIds && (await rowsInTenant(session, POST, NOUNS.post, ids.postIds, tenantId)),
    roles: ids.roleIds && (await rowsInTenant(session, ROLE, NOUNS.role, ids.roleIds, tenantId)),
  };
}

type TenantRow = { id: string; tenantId: string; code: string; name: string };

async function rowsInTenant<E extends TenantRow>(session: DbSession, table: Table<E>, noun: Noun, ids: readonly string[], tenantId: string): Promise<E[]> {
  checkDistinct(ids, noun);
  const { where, bind } = idsIn('id', ids);
  const found = new Map((await session.select(table, where, bind)).map((row) => [row.id, row]));
  return ids.map((id) => {
    const row = found.get(id);
    if (!row) throw new BadUserRequestError(`${noun.zh} '${id}' 不存在 (${noun.en} '${id}' does not exist)`);
    if (row.tenantId !== tenantId) {
      throw new BadUserRequestError(`${noun.zh} ${row.name}(${row.code}) 属于另一租户 ${row.tenantId} (${noun.en} '${row.code}' belongs to tenant ${row.tenantId}, not to the user's tenant ${tenantId})`);
    }
    return row;
  });
}

/** Makes the user's memberships those given (lists not given are left alone); what changed, by kind, as codes. */
async function replaceMemberships(context: CommandContext, user: UserEntity, memberships: Memberships): Promise<Record<string, { from: string[]; to: string[] }>> {
  const { session } = context;
  const changed: Record<string, { from: string[]; to: string[] }> = {};
  const record = (kind: string, from: readonly { code: string }[], to: readonly { code: string }[]) => {
    const codes = (rows: readonly { code: string }[]) => rows.map((row) => row.code);
    if (codes(from).join() !== codes(to).join()) changed[kind] = { from: codes(from), to: codes(to) };
  };
  const { tenantId } = user;
  if (memberships.departments) {
    const wanted = memberships.departments;
    const links = await session.select(USER_DEPARTMENT, 'user_id = $1', [user.id]);
    const before = await currentTargets(session, DEPARTMENT, links.sort((a, b) => Number(b.primary) - Number(a.primary)).map((link) => link.departmentId));
    const kept = relink(session, USER_DEPARTMENT, links, (link) => link.departmentId, wanted, (department) => ({ id: context.newId(), userId: user.id, departmentId: department.id, tenantId, primary: false }));
    for (const [index, link] of kept.entries()) link.primary = index === 0;
    record('departments', before, wanted);
  }
  if (memberships.posts) {
    const links = await session.select(USER_POST, 'user_id = $1', [user.id]);
    const before = await currentTargets(session, POST, links.map((link) => link.postId));
    relink(session, USER_POST, links, (link) => link.postId, memberships.posts, (post) => ({ id: context.newId(), userId: user.id, postId: post.id, tenantId }));
    record('posts', before, memberships.posts);
  }
  if (memberships.roles) {
    const links = await session.select(USER_ROLE, 'user_id = $1', [user.id]);
    const before = await currentTargets(session, ROLE, links.map((link) => link.roleId));
    relink(session, USER_ROLE, links, (link) => link.roleId, memberships.roles, (role) => ({ id: context.newId(), userId: user.id, roleId: role.id, tenantId }));
    record('roles', before, memberships.roles);
  }
  return changed;
}

/** The rows the ids name, in the ids' order. */
async function currentTargets<E extends TenantRow>(session: DbSession, table: Table<E>, ids: readonly string[]): Promise<E[]> {
  const { where, bind } = idsIn('id', ids);
  const found = new Map((await session.select(table, where, bind)).map((row) => [row.id, row]));
  return ids.flatMap((id) => found.get(id) ?? []);
}

/** Deletes the links to targets no longer wanted and inserts the missing ones; the links in the wanted order. */
function relink<L extends { id: string }, T extends { id: string }>(
  session: DbSession,
  table: Table<L>,
  links: readonly L[],
  targetOf: (link: L) => string,
  wanted: readonly T[],
  create: (target: T) => L,
): L[] {
  const byTarget = new Map(links.map((link) => [targetOf(link), link]));
  const wantedIds = new Set(wanted.map((target) => target.id));
  for (const link of links) if (!wantedIds.has(targetOf(link))) session.delete(table, link);
  return wanted.map((target) => byTarget.get(target.id) ?? session.insert(table, create(target)));
}
