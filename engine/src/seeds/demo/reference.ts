/**
 * What the generator reads before it acts: the tenant's staff (demo users holding the case loop's
 * roles), departments and who in each can handle, the dictionaries (categories, routing, regions)
 * and the public channel. Only reads; every change is made by the engine's commands.
 */
import type { Actor } from '../../command/index.js';
import { Principals, serviceCaller } from '../../identity/index.js';
import type { SqlRunner } from '../../persistence/index.js';
import type { EngineServices, ProcessEngine } from '../../services/index.js';
import type { Clock } from '../../command/index.js';

export const STAFF_ROLES = ['supervisor', 'receptionist', 'shift-leader', 'dispatcher', 'handler'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** A demo user acting: commands run as their actor, form submissions through their services. */
export interface StaffMember {
  readonly userId: string;
  readonly actor: Actor;
  readonly services: EngineServices;
}

export interface Department {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  /** members holding the `handler` role, in this department or below it */
  readonly handlers: readonly StaffMember[];
}

export interface Category {
  readonly code: string;
  readonly label: string;
  readonly major: string;
  /** the responsible department's code (cc-routing) */
  readonly routedTo: string | null;
}

export interface Grid {
  readonly district: string;
  readonly street: string;
  readonly community: string;
  readonly grid: string;
  readonly label: string;
}

export interface Reference {
  readonly tenantId: string;
  readonly staff: Record<StaffRole, readonly StaffMember[]>;
  readonly departments: ReadonlyMap<string, Department>;
  readonly categories: readonly Category[];
  readonly grids: readonly Grid[];
  /** the public channel's category dictionary, when the tenant has an enabled channel for `cc_case` */
  readonly publicChannel: { readonly categories: ReadonlySet<string>; readonly labels: ReadonlyMap<string, string> } | null;
}

interface ItemRow {
  readonly id: string;
  readonly code: string;
  readonly label: string;
  readonly parentId: string | null;
  readonly extra: Record<string, unknown> | null;
}

const json = (value: unknown): Record<string, unknown> | null => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return JSON.parse(value) as Record<string, unknown>;
  if (Buffer.isBuffer(value)) return JSON.parse(value.toString('utf8')) as Record<string, unknown>;
  return value as Record<string, unknown>;
};

/** A dictionary's enabled items: the tenant's own copy, else the shared one. */
async function dictionaryItems(sql: SqlRunner, tenantId: string, code: string): Promise<ItemRow[]> {
  const dictionaries = await sql.select('SELECT id, tenant_id FROM dictionary WHERE code = $1 AND (tenant_id = $2 OR tenant_id IS NULL)', [code, tenantId]);
  const own = dictionaries.find((row) => row.tenant_id !== null) ?? dictionaries[0];
  if (!own) return [];
  const rows = await sql.select('SELECT id, code, label, parent_id, extra, enabled FROM dictionary_item WHERE dictionary_id = $1 ORDER BY sort_order, code', [String(own.id)]);
  return rows
    .filter((row) => row.enabled === true || Number(row.enabled) === 1)
    .map((row) => ({ id: String(row.id), code: String(row.code), label: String(row.label), parentId: row.parent_id === null ? null : String(row.parent_id), extra: json(row.extra) }));
}

export async function readReference(engine: ProcessEngine, clock: Clock, tenantId: string): Promise<Reference> {
  const principals = new Principals(engine.database, clock);
  const member = async (userId: string): Promise<StaffMember> => {
    const principal = await principals.load(userId);
    if (!principal) throw new Error(`the demo user '${userId}' is disabled or gone`);
    const caller = serviceCaller(principal, null);
    return { userId, actor: caller.actor as Actor, services: engine.forCaller(caller) };
  };
  const raw = await engine.database.read(async (sql) => {
    const holders = await sql.select(
      'SELECT u.id AS user_id, r.code AS role FROM app_user u JOIN user_role ur ON ur.user_id = u.id JOIN role r ON r.id = ur.role_id WHERE u.tenant_id = $1 AND u.enabled = $2 ORDER BY u.id',
      [tenantId, 1],
    );
    const departmentRows = await sql.select('SELECT id, code, name, path FROM department WHERE tenant_id = $1 ORDER BY path', [tenantId]);
    const placements = await sql.select('SELECT ud.user_id, d.path FROM user_department ud JOIN department d ON d.id = ud.department_id WHERE d.tenant_id = $1', [tenantId]);
    const categoryItems = await dictionaryItems(sql, tenantId, 'cc-case-category');
    const routingItems = await dictionaryItems(sql, tenantId, 'cc-routing');
    const regions = await dictionaryItems(sql, tenantId, 'region');
    const [channel] = await sql.select('SELECT category_dictionary, enabled FROM public_channel WHERE tenant_id = $1 AND process_key = $2', [tenantId, 'cc_case']);
    const channelItems = channel && (channel.enabled === true || Number(channel.enabled) === 1) ? await dictionaryItems(sql, tenantId, String(channel.category_dictionary)) : null;
    return { holders, departmentRows, placements, categoryItems, routingItems, regions, channelItems };
  });
  const { holders, departmentRows, placements, categoryItems, routingItems, regions, channelItems } = raw;
  {
    const members = new Map<string, StaffMember>();
    const of = async (userId: string) => members.get(userId) ?? members.set(userId, await member(userId)).get(userId)!;
    const staff = Object.fromEntries(STAFF_ROLES.map((role) => [role, [] as StaffMember[]])) as Record<StaffRole, StaffMember[]>;
    for (const row of holders) {
      const role = String(row.role) as StaffRole;
      if (STAFF_ROLES.includes(role)) staff[role].push(await of(String(row.user_id)));
    }
    const handlerIds = new Set(staff.handler.map((m) => m.userId));
    const departments = new Map<string, Department>();
    for (const row of departmentRows) {
      const path = String(row.path);
      const inside = [...new Set(placements.filter((p) => String(p.path).startsWith(path) && handlerIds.has(String(p.user_id))).map((p) => String(p.user_id)))].sort();
      departments.set(String(row.code), { id: String(row.id), code: String(row.code), name: String(row.name), handlers: await Promise.all(inside.map(of)) });
    }
    const majors = new Map(categoryItems.filter((item) => item.parentId === null).map((item) => [item.id, item.code]));
    const routing = new Map(routingItems.map((item) => [item.code, typeof item.extra?.department === 'string' ? item.extra.department : null]));
    const categories = categoryItems
      .filter((item) => item.parentId !== null && majors.has(item.parentId))
      .map((item) => ({ code: item.code, label: item.label, major: majors.get(item.parentId!)!, routedTo: routing.get(item.code) ?? null }));
    const byId = new Map(regions.map((item) => [item.id, item]));
    const grids: Grid[] = [];
    for (const item of regions) {
      if (item.extra?.level !== 'grid') continue;
      const community = byId.get(item.parentId ?? '');
      const street = byId.get(community?.parentId ?? '');
      const district = byId.get(street?.parentId ?? '');
      if (!community || !street || !district) continue;
      // a county's cases happen in the county; the city's in every district and county
      if (tenantId !== '450200' && district.code !== tenantId && regions.some((r) => r.code === tenantId)) continue;
      grids.push({ district: district.code, street: street.code, community: community.code, grid: item.code, label: `${district.label}${street.label}${community.label}` });
    }
    const publicChannel: Reference['publicChannel'] = channelItems
      ? { categories: new Set(channelItems.map((item) => item.code)), labels: new Map(channelItems.map((item) => [item.code, item.label])) }
      : null;
    return { tenantId, staff, departments, categories, grids, publicChannel };
  }
}
