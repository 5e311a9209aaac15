import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { dayProblems, ruleProblems, type CalendarDayInput, type CalendarRule } from '../calendar/index.js';
import { isCorePermission } from '../identity/permissions.js';
import type { DataScopeKind, TenantLevel } from '../persistence/index.js';
import { SEED_SCHEMA_DIRECTORY } from './location.js';

export interface TenantSeed {
  readonly id: string;
  readonly name: string;
  readonly level: TenantLevel;
  /** listed earlier in the file; null for the root */
  readonly parent: string | null;
  /** plugins installed into the tenant when the set is loaded (by name, from the plugin folders) */
  readonly plugins?: readonly string[];
}

export interface DepartmentSeed {
  readonly code: string;
  readonly name: string;
  /** the parent's code, listed earlier in the file */
  readonly parent?: string;
}

export interface PostSeed {
  readonly code: string;
  readonly name: string;
}

export interface RoleSeed {
  readonly code: string;
  readonly name: string;
  readonly dataScope: Exclude<DataScopeKind, 'chosen-departments'>;
  readonly seesDescendants?: boolean;
  readonly permissions: readonly string[];
}

/** Departments, posts and roles created alike in each of `tenants`. */
export interface OrganisationSeed {
  /** the file it came from, for messages */
  readonly file: string;
  readonly tenants: readonly string[];
  readonly departments: readonly DepartmentSeed[];
  readonly posts: readonly PostSeed[];
  readonly roles: readonly RoleSeed[];
}

/** Departments, posts, roles and led departments by code in the user's tenant; the first department is the primary one. */
export interface UserSeed {
  readonly id: string;
  readonly name: string;
  readonly tenant: string;
  readonly departments: readonly string[];
  readonly posts: readonly string[];
  readonly roles: readonly string[];
  readonly leads?: readonly string[];
}

/** An item of a seeded dictionary, with its sub-items in display order. */
export interface DictionaryItemSeed {
  readonly code: string;
  readonly label: string;
  readonly labelEn?: string;
  readonly enabled?: boolean;
  readonly extra?: Record<string, unknown>;
  readonly children?: readonly DictionaryItemSeed[];
}

/** A dictionary, shared by every tenant unless it names one. */
export interface DictionarySeed {
  readonly code: string;
  readonly name: string;
  readonly description?: string;
  readonly hierarchical?: boolean;
  readonly tenant?: string;
  readonly items: readonly DictionaryItemSeed[];
}

/** The platform's default working calendar, with its holidays and make-up working days (调休). */
export interface CalendarSeed extends CalendarRule {
  readonly days: readonly CalendarDayInput[];
}

/** A seed set, read and checked: every name it uses resolves within it. */
export interface SeedData {
  /** the directory's name: the audit action is `seed.<name>` */
  readonly name: string;
  readonly tenants: readonly TenantSeed[];
  readonly organisations: readonly OrganisationSeed[];
  readonly users: readonly UserSeed[];
  readonly dictionaries: readonly DictionarySeed[];
  /** null: the set brings no default calendar (tenants then use the built-in one) */
  readonly calendar: CalendarSeed | null;
}

/** A seed file that does not parse, does not match its schema or names something it does not define. */
export class SeedDataError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the seed data is invalid; nothing was written:\n  ${problems.join('\n  ')}`);
    this.name = 'SeedDataError';
  }
}

const TENANTS_FILE = 'tenants.json';
const USERS_FILE = 'users.json';
const DICTIONARIES_FILE = 'dictionaries.json';
const CALENDAR_FILE = 'calendar.json';
const ORGANISATION_FILE = /^organisation-.+\.json$/;

type SchemaName = 'tenants' | 'organisation' | 'users' | 'dictionaries' | 'calendar';

/**
 * Reads a seed set: `tenants.json`, every `organisation-*.json` (in name order), `users.json`,
 * `dictionaries.json` and `calendar.json` (all three optional). Every file is checked against its schema and every
 * reference between entries is resolved before anything is written, so a mistake costs an error
 * naming the file and the entry, never half an organisation.
 */
export async function readSeedData(directory: string): Promise<SeedData> {
  const validators = await schemaValidators();
  const files = await readdir(directory);
  const read = async <T>(file: string, schema: SchemaName): Promise<T> => {
    const where = path.join(directory, file);
    let content: unknown;
    try {
      content = JSON.parse(await readFile(where, 'utf8'));
    } catch (error) {
      throw new SeedDataError([`${where}: ${error instanceof Error ? error.message : String(error)}`]);
    }
    const validate = validators[schema];
    if (!validate(content)) throw new SeedDataError((validate.errors ?? []).map((e) => `${where}: ${describeSchemaError(content, e)}`));
    return content as T;
  };
  const { tenants } = await read<{ tenants: TenantSeed[] }>(TENANTS_FILE, 'tenants');
  const organisations: OrganisationSeed[] = [];
  for (const file of files.filter((f) => ORGANISATION_FILE.test(f)).sort()) {
    organisations.push({ ...(await read<Omit<OrganisationSeed, 'file'>>(file, 'organisation')), file: path.join(directory, file) });
  }
  const { users } = files.includes(USERS_FILE) ? await read<{ users: UserSeed[] }>(USERS_FILE, 'users') : { users: [] };
  const { dictionaries } = files.includes(DICTIONARIES_FILE)
    ? await read<{ dictionaries: DictionarySeed[] }>(DICTIONARIES_FILE, 'dictionaries')
    : { dictionaries: [] };
  const { calendar } = files.includes(CALENDAR_FILE) ? await read<{ calendar: CalendarSeed }>(CALENDAR_FILE, 'calendar') : { calendar: null };
  const data: SeedData = { name: path.basename(directory), tenants, organisations, users, dictionaries, calendar };
  const problems = [
    ...tenantProblems(tenants).map((p) => `${path.join(directory, TENANTS_FILE)}: ${p}`),
    ...organisationProblems(tenants, organisations),
    ...userProblems(organisations, users).map((p) => `${path.join(directory, USERS_FILE)}: ${p}`),
    ...dictionaryProblems(tenants, dictionaries).map((p) => `${path.join(directory, DICTIONARIES_FILE)}: ${p}`),
    ...(calendar ? calendarProblems(calendar) : []).map((p) => `${path.join(directory, CALENDAR_FILE)}: ${p}`),
  ];
  if (problems.length > 0) throw new SeedDataError(problems);
  return data;
}

async function schemaValidators(): Promise<Record<SchemaName, ValidateFunction>> {
  const ajv = new Ajv({ allErrors: true });
  const compile = async (name: SchemaName) =>
    ajv.compile(JSON.parse(await readFile(path.join(SEED_SCHEMA_DIRECTORY, `${name}.schema.json`), 'utf8')) as object);
  return {
    tenants: await compile('tenants'), organisation: await compile('organisation'), users: await compile('users'), dictionaries: await compile('dictionaries'),
    calendar: await compile('calendar'),
  };
}

/** `roles[4] 'handler' /dataScope must be equal to …`: the entry by position and name, then what is wrong inside it. */
function describeSchemaError(content: unknown, error: ErrorObject): string {
  const problem = `${error.message ?? 'is invalid'}${error.keyword === 'additionalProperties' ? ` ('${String(error.params.additionalProperty)}')` : ''}`;
  const [, list, index, ...rest] = error.instancePath.split('/');
  const entry = list !== undefined && index !== undefined ? (content as Record<string, unknown[]>)[list]?.[Number(index)] : undefined;
  if (!entry || typeof entry !== 'object') return `${error.instancePath || '(the file)'} ${problem}`;
  const { id, code } = entry as { id?: unknown; code?: unknown };
  const name = typeof id === 'string' ? ` '${id}'` : typeof code === 'string' ? ` '${code}'` : '';
  const inside = rest.length > 0 ? ` /${rest.join('/')}` : '';
  return `${list}[${index}]${name}${inside} ${problem}`;
}

/** MariaDB compares codes and ids case-insensitively: `CGJ` and `cgj` are one key there, so they are one here. */
export function naturalKey(...parts: string[]): string {
  return parts.map((part) => part.toLowerCase()).join('\u0000');
}

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = naturalKey(value);
    if (!seen.has(key)) {
      seen.add(key);
      return false;
    }
    return true;
  });
}

function tenantProblems(tenants: readonly TenantSeed[]): string[] {
  const problems = duplicates(tenants.map((t) => t.id)).map((id) => `tenant '${id}' is listed twice`);
  const listed = new Set<string>();
  for (const tenant of tenants) {
    if (tenant.parent !== null && !listed.has(tenant.parent)) {
      problems.push(`tenant '${tenant.id}' names the parent '${tenant.parent}', which is not listed before it`);
    }
    listed.add(tenant.id);
  }
  return problems;
}

function organisationProblems(tenants: readonly TenantSeed[], organisations: readonly OrganisationSeed[]): string[] {
  const tenantIds = new Set(tenants.map((t) => t.id));
  const organisationOf = new Map<string, string>();
  const problems: string[] = [];
  for (const organisation of organisations) {
    const problem = (text: string) => problems.push(`${organisation.file}: ${text}`);
    for (const tenant of organisation.tenants) {
      if (!tenantIds.has(tenant)) problem(`lists the tenant '${tenant}', which tenants.json does not define`);
      const other = organisationOf.get(tenant);
      if (other) problem(`lists the tenant '${tenant}', which ${other} lists too`);
      organisationOf.set(tenant, organisation.file);
    }
    for (const code of duplicates(organisation.departments.map((d) => d.code))) problem(`department '${code}' is listed twice`);
    for (const code of duplicates(organisation.posts.map((p) => p.code))) problem(`post '${code}' is listed twice`);
    for (const code of duplicates(organisation.roles.map((r) => r.code))) problem(`role '${code}' is listed twice`);
    const listed = new Set<string>();
    for (const department of organisation.departments) {
      if (department.parent !== undefined && !listed.has(naturalKey(department.parent))) {
        problem(`department '${department.code}' names the parent '${department.parent}', which is not listed before it`);
      }
      listed.add(naturalKey(department.code));
    }
    for (const role of organisation.roles) {
      for (const permission of role.permissions.filter((p) => !isCorePermission(p))) {
        problem(`role '${role.code}' grants '${permission}', which is not in the permission catalogue`);
      }
      for (const permission of duplicates(role.permissions)) problem(`role '${role.code}' grants '${permission}' twice`);
    }
  }
  return problems;
}

function userProblems(organisations: readonly OrganisationSeed[], users: readonly UserSeed[]): string[] {
  const organisationOf = new Map(organisations.flatMap((organisation) => organisation.tenants.map((tenant) => [tenant, organisation] as const)));
  const problems = duplicates(users.map((u) => u.id)).map((id) => `user '${id}' is listed twice`);
  const leaderOf = new Map<string, string>();
  for (const user of users) {
    const organisation = organisationOf.get(user.tenant);
    if (!organisation) {
      problems.push(`user '${user.id}' belongs to the tenant '${user.tenant}', for which no organisation file defines departments`);
      continue;
    }
    const check = (kind: string, named: readonly string[], defined: readonly { code: string }[]) => {
      const codes = new Set(defined.map((entry) => naturalKey(entry.code)));
      for (const code of named.filter((c) => !codes.has(naturalKey(c)))) {
        problems.push(`user '${user.id}' names the ${kind} '${code}', which ${path.basename(organisation.file)} does not define`);
      }
      for (const code of duplicates(named)) problems.push(`user '${user.id}' names the ${kind} '${code}' twice`);
    };
    check('department', user.departments, organisation.departments);
    check('post', user.posts, organisation.posts);
    check('role', user.roles, organisation.roles);
    check('department', user.leads ?? [], organisation.departments);
    for (const code of user.leads ?? []) {
      const key = naturalKey(user.tenant, code);
      const other = leaderOf.get(key);
      if (other) problems.push(`user '${user.id}' leads the department '${code}', which '${other}' leads too`);
      leaderOf.set(key, user.id);
    }
  }
  return problems;
}

/** Codes distinct per owner and per dictionary (ignoring case), owners among the tenants, sub-items only in hierarchical dictionaries. */
function dictionaryProblems(tenants: readonly TenantSeed[], dictionaries: readonly DictionarySeed[]): string[] {
  const tenantIds = new Set(tenants.map((t) => t.id));
  const problems = duplicates(dictionaries.map((d) => `${d.tenant ?? 'shared'}/${d.code}`)).map((key) => `dictionary '${key}' is listed twice`);
  for (const dictionary of dictionaries) {
    if (dictionary.tenant !== undefined && !tenantIds.has(dictionary.tenant)) {
      problems.push(`dictionary '${dictionary.code}' belongs to the tenant '${dictionary.tenant}', which tenants.json does not define`);
    }
    const items = flattenItems(dictionary.items);
    for (const code of duplicates(items.map((item) => item.code))) problems.push(`dictionary '${dictionary.code}' lists the item '${code}' twice`);
    const nested = items.find((item) => (item.children ?? []).length > 0);
    if (nested && !dictionary.hierarchical) problems.push(`dictionary '${dictionary.code}' is not hierarchical, but its item '${nested.code}' has children`);
  }
  return problems;
}

/** The calendar's rule as the API checks it, and each year's exceptions against it. */
function calendarProblems(calendar: CalendarSeed): string[] {
  const years = [...new Set(calendar.days.map((day) => Number(day.day.slice(0, 4))))];
  return [
    ...ruleProblems(calendar),
    ...years.flatMap((year) => dayProblems(calendar.workDays, year, calendar.days.filter((day) => day.day.startsWith(`${year}-`)))),
  ];
}

/** Every item of a tree, parents before their children. */
export function flattenItems(items: readonly DictionaryItemSeed[]): DictionaryItemSeed[] {
  return items.flatMap((item) => [item, ...flattenItems(item.children ?? [])]);
}
