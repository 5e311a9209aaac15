import type Router from '@koa/router';
import type { Context } from 'koa';
import { BadUserRequestError, NotFoundError } from '../../errors/index.js';
import { DbSession, DEPARTMENT, POST, ROLE, TENANT, USER, USER_GROUP, type Table, type UserEntity } from '../../persistence/index.js';
import { Filter, orderAndPage } from '../../services/query.js';
import { read, sendJson } from './http.js';
import { pageParams, sortParams, type Params } from './listing.js';
import { permit } from './permit.js';
import type { RestContext } from './rest-context.js';

/**
 * `/user`, `/group`, `/tenant` and `/identity/groups`, read-only, for Camunda tooling (Tasklist's
 * user and group lookups, Modeler). They answer from the organisation tables, through the caller's
 * scope: a county user finds only their county's people, groups and tenant.
 *
 * - A user's `firstName` is their `first_name`, else their display name; `lastName` their
 *   `last_name`, else `''` (Chinese names are not split into given and family names).
 * - Camunda groups are the candidate groups BPMN assigns to: `dept:<code>` (DEPARTMENT),
 *   `group:<code>` (GROUP, a user group), `post:<code>` (POST), `role:<code>` (ROLE). A code used in
 *   several visible tenants is one group, as a candidate group is.
 * - Tenants are the platform's tenants; their ids are the region codes.
 */
export function identityRoutes(router: Router, rest: RestContext): void {
  const session = <T>(ctx: Context, work: (session: DbSession) => Promise<T>): Promise<T> =>
    rest.engine.database.read((sql) => work(new DbSession(sql, rest.scope(ctx))));
  const allowed = permit('identity:read');

  router.get('/user/count', allowed, async (ctx) => sendJson(ctx, { count: await session(ctx, (s) => countUsers(s, ctx.query)) }));
  router.get('/user', allowed, async (ctx) => sendJson(ctx, await session(ctx, (s) => listUsers(s, ctx.query))));
  router.get('/user/:id/profile', allowed, async (ctx) => {
    const [user] = await session(ctx, (s) => listUsers(s, { id: ctx.params.id }));
    if (!user) throw new NotFoundError(`User with id ${ctx.params.id} does not exist`);
    sendJson(ctx, user);
  });

  router.get('/group/count', allowed, async (ctx) => sendJson(ctx, { count: (await session(ctx, (s) => matchingGroups(s, ctx.query))).length }));
  router.get('/group', allowed, async (ctx) => {
    const groups = sortGroups(await session(ctx, (s) => matchingGroups(s, ctx.query)), ctx.query);
    sendJson(ctx, page(groups, ctx.query).map(groupDto));
  });
  router.get('/group/:id', allowed, async (ctx) => {
    const [group] = await session(ctx, (s) => matchingGroups(s, { id: ctx.params.id }));
    if (!group) throw new NotFoundError(`Group with id ${ctx.params.id} does not exist`);
    sendJson(ctx, groupDto(group));
  });

  router.get('/tenant/count', allowed, async (ctx) => sendJson(ctx, { count: await session(ctx, (s) => countTenants(s, ctx.query)) }));
  router.get('/tenant', allowed, async (ctx) => sendJson(ctx, await session(ctx, (s) => listTenants(s, ctx.query))));
  router.get('/tenant/:id', allowed, async (ctx) => {
    const [tenant] = await session(ctx, (s) => listTenants(s, { id: ctx.params.id }));
    if (!tenant) throw new NotFoundError(`Tenant with id ${ctx.params.id} does not exist`);
    sendJson(ctx, tenant);
  });

  router.get('/identity/groups', allowed, async (ctx) => {
    const userId = idParameter(ctx.query, 'userId');
    if (userId === undefined) throw new BadUserRequestError('No user id was supplied');
    sendJson(ctx, await session(ctx, (s) => groupInfo(s, userId)));
  });
}

/** Camunda's `UserDto`. */
interface UserDto {
  readonly id: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
}

interface GroupDto {
  readonly id: string;
  readonly name: string;
  readonly type: GroupType;
}

type GroupType = 'DEPARTMENT' | 'GROUP' | 'POST' | 'ROLE';

/** Camunda's answer to `GET /identity/groups`. */
interface GroupInfoDto {
  readonly groups: { id: string; name: string }[];
  readonly groupUsers: { id: string; firstName: string; lastName: string; displayName: string }[];
}

const FIRST_NAME = 'COALESCE(first_name, display_name)';
const LAST_NAME = "COALESCE(last_name, '')";
const USER_SORT = { userId: 'id', firstName: FIRST_NAME, lastName: LAST_NAME, email: 'email' } as const;
const TENANT_SORT = { id: 'id', name: 'name' } as const;

async function listUsers(session: DbSession, parameters: Params): Promise<UserDto[]> {
  const filter = userFilter(parameters);
  const sorting = sortParams(parameters, { userId: 'userId', firstName: 'firstName', lastName: 'lastName', email: 'email' } as const);
  const users = await session.select(USER, filter.where, filter.bindings, orderAndPage(sorting, USER_SORT, 'userId', pageParams(parameters)));
  return users.map(userDto);
}

function countUsers(session: DbSession, parameters: Params): Promise<number> {
  const filter = userFilter(parameters);
  return session.count(USER, filter.where, filter.bindings);
}

function userFilter(parameters: Params): Filter {
  const filter = new Filter()
    .equals('id', idParameter(parameters, 'id'))
    .in('id', idListParameter(parameters, 'idIn'))
    .equals('email', textParameter(parameters, 'email'))
    .like('email', textParameter(parameters, 'emailLike'))
    .equals('tenant_id', idParameter(parameters, 'memberOfTenant'));
  const textFilters = [
    [`${FIRST_NAME} = ?`, 'firstName'],
    [`${FIRST_NAME} LIKE ?`, 'firstNameLike'],
    [`${LAST_NAME} = ?`, 'lastName'],
    [`${LAST_NAME} LIKE ?`, 'lastNameLike'],
  ] as const;
  for (const [clause, name] of textFilters) {
    const value = textParameter(parameters, name);
    if (value !== undefined) filter.raw(clause, value);
  }
  const group = idParameter(parameters, 'memberOfGroup');
  if (group !== undefined) {
    const ref = groupRef(group);
    if (ref) filter.raw(ref.source.usersClause, ref.code);
    else filter.raw('1 = 0');
  }
  return filter;
}

function userDto(user: UserEntity): UserDto {
  return { id: user.id, firstName: user.firstName ?? user.displayName, lastName: user.lastName ?? '', email: user.email };
}

interface GroupRow {
  readonly id: string;
  readonly tenantId: string;
  readonly code: string;
  readonly name: string;
}

/**
 * One kind of candidate group: its table, the clause on its rows for "groups of a user", and the
 * clause on `app_user` for "members of the group with this code" (a member's tenant is the
 * group's, so the caller's scope on either side covers both).
 */
interface GroupSource {
  readonly prefix: string;
  readonly type: GroupType;
  readonly table: string;
  readonly groupsOfUserClause: string;
  readonly usersClause: string;
  select(session: DbSession, filter: Filter): Promise<GroupRow[]>;
}

function groupSource<E extends GroupRow>(prefix: string, type: GroupType, table: Table<E>, link: { table: string; column: string }): GroupSource {
  return {
    prefix,
    type,
    table: table.name,
    groupsOfUserClause: `id IN (SELECT ${link.column} FROM ${link.table} WHERE user_id = ?)`,
    usersClause: `id IN (SELECT l.user_id FROM ${link.table} l JOIN ${table.name} g ON g.id = l.${link.column} WHERE g.code = ?)`,
    select: (session, filter) => session.select(table, filter.where, filter.bindings, 'ORDER BY code, tenant_id'),
  };
}

/** In the order of their ids' prefixes, which is the default order of `/group`. */
const GROUP_SOURCES: readonly GroupSource[] = [
  groupSource('dept', 'DEPARTMENT', DEPARTMENT, { table: 'user_department', column: 'department_id' }),
  groupSource('group', 'GROUP', USER_GROUP, { table: 'group_member', column: 'group_id' }),
  groupSource('post', 'POST', POST, { table: 'user_post', column: 'post_id' }),
  groupSource('role', 'ROLE', ROLE, { table: 'user_role', column: 'role_id' }),
];

/** A candidate group: which kind, and its code. */
interface GroupRef {
  readonly source: GroupSource;
  readonly code: string;
}

/** `role:dispatcher` → the roles with the code `dispatcher`; null for an id that names no kind of group. */
function groupRef(groupId: string): GroupRef | null {
  const colon = groupId.indexOf(':');
  if (colon < 0) return null;
  const source = GROUP_SOURCES.find((candidate) => candidate.prefix === groupId.slice(0, colon));
  return source ? { source, code: groupId.slice(colon + 1) } : null;
}

interface GroupMatch extends GroupRef, GroupDto {}

/**
 * The candidate groups matching Camunda's group filters, one per id. Every matching row is read
 * and codes shared by several visible tenants are merged, so paging and counting happen here.
 */
async function matchingGroups(session: DbSession, parameters: Params): Promise<GroupMatch[]> {
  const id = idParameter(parameters, 'id');
  const refs = (id !== undefined ? [id] : idListParameter(parameters, 'idIn'))?.map(groupRef);
  const type = textParameter(parameters, 'type');
  const name = textParameter(parameters, 'name');
  const nameLike = textParameter(parameters, 'nameLike');
  const member = idParameter(parameters, 'member');
  const tenantId = idParameter(parameters, 'memberOfTenant');
  const groups: GroupMatch[] = [];
  for (const source of GROUP_SOURCES) {
    if (type !== undefined && type !== source.type) continue;
    const codes = refs?.flatMap((ref) => (ref?.source === source ? [ref.code] : []));
    if (codes?.length === 0) continue;
    const filter = new Filter().in('code', codes).equals('name', name).like('name', nameLike).equals('tenant_id', tenantId);
    if (member !== undefined) filter.raw(source.groupsOfUserClause, member);
    const seen = new Set<string>();
    for (const row of await source.select(session, filter)) {
      if (seen.has(row.code)) continue;
      seen.add(row.code);
      groups.push({ source, code: row.code, id: `${source.prefix}:${row.code}`, name: row.name, type: source.type });
    }
  }
  return groups;
}

function groupDto({ id, name, type }: GroupMatch): GroupDto {
  return { id, name, type };
}

function sortGroups<G extends GroupDto>(groups: G[], parameters: Params): G[] {
  const { sortBy = 'id', sortOrder = 'asc' } = sortParams(parameters, { id: 'id', name: 'name', type: 'type' } as const);
  const direction = sortOrder === 'asc' ? 1 : -1;
  return [...groups].sort((a, b) => direction * (a[sortBy].localeCompare(b[sortBy]) || a.id.localeCompare(b.id)));
}

function page<T>(items: readonly T[], parameters: Params): T[] {
  const { firstResult = 0, maxResults = items.length } = pageParams(parameters);
  if (firstResult < 0 || maxResults < 0) throw new BadUserRequestError('firstResult and maxResults must not be negative');
  return items.slice(firstResult, firstResult + maxResults);
}

async function listTenants(session: DbSession, parameters: Params): Promise<{ id: string; name: string }[]> {
  const filter = tenantFilter(parameters);
  const sorting = sortParams(parameters, TENANT_SORT);
  const tenants = await session.select(TENANT, filter.where, filter.bindings, orderAndPage(sorting, TENANT_SORT, 'id', pageParams(parameters)));
  return tenants.map(({ id, name }) => ({ id, name }));
}

function countTenants(session: DbSession, parameters: Params): Promise<number> {
  const filter = tenantFilter(parameters);
  return session.count(TENANT, filter.where, filter.bindings);
}

function tenantFilter(parameters: Params): Filter {
  const filter = new Filter()
    .equals('id', idParameter(parameters, 'id'))
    .equals('name', textParameter(parameters, 'name'))
    .like('name', textParameter(parameters, 'nameLike'));
  const user = idParameter(parameters, 'userMember');
  if (user !== undefined) filter.raw('id IN (SELECT tenant_id FROM app_user WHERE id = ?)', user);
  const group = idParameter(parameters, 'groupMember');
  if (group !== undefined) {
    const ref = groupRef(group);
    if (ref) filter.raw(`id IN (SELECT tenant_id FROM ${ref.source.table} WHERE code = ?)`, ref.code);
    else filter.raw('1 = 0');
  }
  return filter;
}

/**
 * Camunda's `GET /identity/groups`: the user's groups by name, and everyone else who shares one of
 * them. A user the caller cannot see has no groups the caller can see.
 */
async function groupInfo(session: DbSession, userId: string): Promise<GroupInfoDto> {
  const groups = sortGroups(await matchingGroups(session, { member: userId }), { sortBy: 'name', sortOrder: 'asc' });
  if (groups.length === 0) return { groups: [], groupUsers: [] };
  const inAnyGroup = groups.map((group) => `(${group.source.usersClause})`).join(' OR ');
  const filter = new Filter().raw(`(${inAnyGroup})`, ...groups.map((group) => group.code)).raw('id <> ?', userId);
  const users = await session.select(USER, filter.where, filter.bindings, 'ORDER BY id');
  return {
    groups: groups.map(({ id, name }) => ({ id, name })),
    groupUsers: users.map((user) => {
      const { id, firstName, lastName } = userDto(user);
      return { id, firstName, lastName, displayName: user.displayName };
    }),
  };
}

/** User, group and tenant ids: login names, `role:dispatcher`, region codes. Anything else is a 400, never a query. */
const ID_PATTERN = /^[A-Za-z0-9@:._-]{1,200}$/;
/** Names and e-mail addresses are free text, bound as values; only their length is limited. */
const MAX_TEXT_LENGTH = 200;
const MAX_IDS = 1000;

function idParameter(parameters: Params, name: string): string | undefined {
  const value = read.string(parameters, name);
  if (value !== undefined && !ID_PATTERN.test(value)) throw new BadUserRequestError(`'${name}' must be an id of at most 200 letters, digits or @ : . _ -`);
  return value;
}

function idListParameter(parameters: Params, name: string): string[] | undefined {
  const values = read.list(parameters, name);
  if (values && (values.length > MAX_IDS || values.some((value) => !ID_PATTERN.test(value)))) {
    throw new BadUserRequestError(`'${name}' must be a list of at most ${MAX_IDS} ids of letters, digits or @ : . _ -`);
  }
  return values;
}

function textParameter(parameters: Params, name: string): string | undefined {
  const value = read.string(parameters, name);
  if (value !== undefined && value.length > MAX_TEXT_LENGTH) throw new BadUserRequestError(`'${name}' must be at most ${MAX_TEXT_LENGTH} characters long`);
  return value;
}
