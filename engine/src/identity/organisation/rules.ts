import type { CommandContext } from '../../command/index.js';
import { BadUserRequestError, ConflictError, NotFoundError } from '../../errors/index.js';
import { placeholders, TENANT, type DbSession, type SqlRunner, type Table, type TenantEntity, type TenantLevel } from '../../persistence/index.js';

/** A GB/T 2260 region code: the id of a tenant. */
export const TENANT_ID_PATTERN = /^[0-9]{6}$/;
/** Department, post and role codes: what BPMN assignments name (`dept:cgj`), so no spaces or separators. */
export const CODE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Login names, unique across the platform. */
export const LOGIN_ID_PATTERN = /^[A-Za-z0-9._-]{2,64}$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_PATTERN = /^\+?[0-9][0-9 -]{2,31}$/;

/** Administrative levels from the top; a child tenant's level comes after its parent's. */
export const TENANT_LEVELS: readonly TenantLevel[] = ['national', 'regional', 'city', 'county'];

/** What users read about a kind of object: zh-CN first, English in parentheses. */
export interface Noun {
  readonly zh: string;
  readonly en: string;
}

export const NOUNS = {
  tenant: { zh: '租户', en: 'tenant' },
  department: { zh: '部门', en: 'department' },
  post: { zh: '岗位', en: 'post' },
  role: { zh: '角色', en: 'role' },
  user: { zh: '用户', en: 'user' },
} as const satisfies Record<string, Noun>;

export function notFound(noun: Noun, id: string): NotFoundError {
  return new NotFoundError(`${noun.zh}不存在 (${noun.en} '${id}' does not exist)`);
}

/** The row if the caller's scoped session sees it; a row of a tenant they cannot see is as absent as one that never existed. */
export async function requireRow<E extends { id: string }>(session: DbSession, table: Table<E>, id: string, noun: Noun): Promise<E> {
  const row = await session.findById(table, id);
  if (!row) throw notFound(noun, id);
  return row;
}

export function requireTenant(session: DbSession, id: string): Promise<TenantEntity> {
  return requireRow(session, TENANT, id, NOUNS.tenant);
}

/** Refuses a value that does not match `pattern`, naming the field and the rule. */
export function checkPattern(value: string, pattern: RegExp, field: string, rule: string): void {
  if (!pattern.test(value)) throw new BadUserRequestError(`${field} '${value}' 不符合规则：${rule} (${field} '${value}' is invalid: ${rule})`);
}

export function checkCode(code: string, noun: Noun): void {
  checkPattern(code, CODE_PATTERN, `${noun.en} code`, '1-64 letters, digits, _ or -');
}

export function checkLoginId(id: string): void {
  checkPattern(id, LOGIN_ID_PATTERN, 'login id', '2-64 letters, digits, . _ or -');
}

/** Contact details: null when empty, otherwise they must look like an e-mail address and a phone number. */
export function contactProblems(contact: { readonly email?: string | null; readonly phone?: string | null }): { field: 'email' | 'phone'; message: string }[] {
  const problems: { field: 'email' | 'phone'; message: string }[] = [];
  if (contact.email && (contact.email.length > 254 || !EMAIL_PATTERN.test(contact.email))) {
    problems.push({ field: 'email', message: `邮箱格式不正确 (email '${contact.email}' is not an e-mail address)` });
  }
  if (contact.phone && !PHONE_PATTERN.test(contact.phone)) {
    problems.push({ field: 'phone', message: `手机号码格式不正确 (phone '${contact.phone}' is not a phone number)` });
  }
  return problems;
}

export function checkContact(contact: { readonly email?: string | null; readonly phone?: string | null }): void {
  const [problem] = contactProblems(contact);
  if (problem) throw new BadUserRequestError(problem.message);
}

/** What still refers to an object the caller wants to delete; an empty list when nothing does. */
export type Remaining = readonly { readonly count: number; readonly zh: string; readonly en: string }[];

/** `2 个用户、1 个待办任务` and `2 users, 1 open tasks` for the parts that are not zero, or null when nothing remains. */
export function remainingParts(remaining: Remaining): { readonly zh: string; readonly en: string } | null {
  const left = remaining.filter((part) => part.count > 0);
  if (left.length === 0) return null;
  return { zh: left.map((part) => `${part.count} 个${part.zh}`).join('、'), en: left.map((part) => `${part.count} ${part.en}`).join(', ') };
}

/** `仍有 2 个用户、1 个待办任务 (2 users, 1 open tasks remain)`, or null when nothing remains. */
export function describeRemaining(remaining: Remaining): string | null {
  const parts = remainingParts(remaining);
  return parts && `仍有 ${parts.zh} (${parts.en} remain)`;
}

/** The count of a raw `SELECT COUNT(*) AS n` query: integrity checks count every row, not only those the caller sees. */
export async function countUnscoped(sql: SqlRunner, query: string, bind: readonly (string | number)[]): Promise<number> {
  const [row] = await sql.select(query, bind);
  return Number(row?.n ?? 0);
}

/**
 * Open tasks offered to a candidate group (`dept:cgj`, `post:ksz`) of the tenant, or of no tenant
 * (instances of shared definitions started by the engine itself). Renaming or deleting the group's
 * department or post would leave them offered to nobody.
 */
export function openTasksOfferedTo(sql: SqlRunner, groupId: string, tenantId: string): Promise<number> {
  return countUnscoped(
    sql,
    'SELECT COUNT(*) AS n FROM task WHERE (tenant_id = $1 OR tenant_id IS NULL) AND id IN (SELECT task_id FROM task_candidate WHERE group_id = $2)',
    [tenantId, groupId],
  );
}

/** LIKE pattern for "contains `text`": the caller's `%` and `_` match themselves (`!` escapes, the same in both dialects). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** Path of a node under `parentPath` (`/` for a root): the ids from the top, slash-separated and slash-terminated. */
export function childPath(parentPath: string | null, id: string): string {
  return `${parentPath ?? '/'}${id}/`;
}

/** Refuses duplicates in a list of ids or codes given by a caller, naming the first one repeated. */
export function checkDistinct(values: readonly string[], noun: Noun): void {
  const seen = new Set<string>();
  for (const value of values) {
    const key = value.toLowerCase();
    if (seen.has(key)) throw new BadUserRequestError(`${noun.zh} '${value}' 重复 (${noun.en} '${value}' is listed twice)`);
    seen.add(key);
  }
}

/** `column IN (...)` over ids, or a clause that matches nothing for an empty list. */
export function idsIn(column: string, ids: readonly string[]): { where: string; bind: string[] } {
  if (ids.length === 0) return { where: '1 = 0', bind: [] };
  return { where: `${column} IN (${placeholders(ids.length)})`, bind: [...ids] };
}

/** Applies the given changes that differ from the row; what changed, as `{ field: { from, to } }` for the audit log. */
export function applyChanges<E extends object>(row: E, changes: Partial<E>): Record<string, { from: unknown; to: unknown }> {
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, to] of Object.entries(changes) as [keyof E & string, E[keyof E & string]][]) {
    if (to === undefined || row[field] === to) continue;
    changed[field] = { from: row[field], to };
    row[field] = to;
  }
  return changed;
}

/**
 * The tenant new rows go to: the one the request names, if the caller sees it, else the caller's own.
 * A tenant the caller cannot see is a 404, as if it did not exist.
 */
export function targetTenant(context: CommandContext, tenantId: string | null | undefined): Promise<TenantEntity> {
  const id = tenantId ?? context.actor?.tenantId;
  if (!id) throw new BadUserRequestError('须指定租户 (tenantId is required when the caller has no tenant of their own)');
  return requireTenant(context.session, id);
}

/**
 * The id of the tenant a command names, if the caller sees it (404 otherwise), else the caller's
 * own without reading it; `refusal` (the 400's message) when there is neither.
 */
export async function namedOrOwnTenantId(context: CommandContext, tenantId: string | undefined, refusal: string): Promise<string> {
  const id = tenantId !== undefined ? (await targetTenant(context, tenantId)).id : context.actor?.tenantId;
  if (!id) throw new BadUserRequestError(refusal);
  return id;
}

/**
 * Refuses a code already used in the tenant by another row of `table` (departments, posts).
 * Compared without case: MariaDB's collation refuses `CGJ` beside `cgj` anyway, and SQLite should agree.
 */
export async function checkCodeFree(session: DbSession, table: { readonly name: string }, noun: Noun, tenantId: string, code: string, exceptId: string | null): Promise<void> {
  const taken = await countUnscoped(session.sql, `SELECT COUNT(*) AS n FROM ${table.name} WHERE tenant_id = $1 AND LOWER(code) = $2 AND id <> $3`, [tenantId, code.toLowerCase(), exceptId ?? '']);
  if (taken > 0) throw new ConflictError(`${noun.zh}编码 ${code} 已存在 (${noun.en} code '${code}' is taken in tenant ${tenantId})`);
}

/**
 * Changes the rows' revision and nothing else, as `guardTree` does for dictionaries: a concurrent
 * command that changes one of them too then fails its revision check (409, retry) instead of both
 * committing on what they read — a role handed out while permissions are added to it, a
 * department created under one that is moving, A moved under B while B moves under A.
 */
export function guardRows(rows: Iterable<{ rev: number }>): void {
  for (const row of new Set(rows)) row.rev += 1;
}
