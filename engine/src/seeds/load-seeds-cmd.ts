import type { Command, CommandContext } from '../command/index.js';
import { ForbiddenError } from '../errors/index.js';
import {
  DEPARTMENT,
  placeholders,
  POST,
  ROLE,
  ROLE_PERMISSION,
  TENANT,
  USER,
  USER_DEPARTMENT,
  USER_POST,
  USER_ROLE,
  type DepartmentEntity,
  type PostEntity,
  type RoleEntity,
  type UserEntity,
} from '../persistence/index.js';
import { findInstallation, InstallPluginCmd, type PluginCatalogue } from '../plugins/index.js';
import { inStep } from '../plugins/phases.js';
import { createDefaultCalendar } from './calendar-seeds.js';
import { createDictionaries } from './dictionary-seeds.js';
import { naturalKey, type OrganisationSeed, type SeedData, type UserSeed } from './seed-data.js';

/** How many rows of each kind a load created; all zero when everything was there already. */
export interface SeedSummary {
  readonly tenants: number;
  readonly departments: number;
  readonly posts: number;
  readonly roles: number;
  readonly users: number;
  readonly dictionaries: number;
  /** the platform's default working calendar: 1 when this load created it */
  readonly calendars: number;
  /** plugins installed into a tenant by this load (those named in tenants.json, dependencies included) */
  readonly plugins: number;
}

const NOTHING: SeedSummary = { tenants: 0, departments: 0, posts: 0, roles: 0, users: 0, dictionaries: 0, calendars: 0, plugins: 0 };

/**
 * Creates what of a seed set is missing, found by natural key: tenants by id, departments, posts
 * and roles by code within their tenant, users by login id. What exists is left exactly as it is —
 * an administrator's renames, permission changes and removed memberships survive every start.
 * A user that exists is not touched at all (memberships included); a department created now gets
 * its leader from the users file. Then the plugins `tenants.json` names are installed into their
 * tenants through the plugin mechanism (`InstallPluginCmd`), in the same transaction: a plugin the
 * tenant has already, at whatever version and state, is left as it is — upgrades stay the
 * administrators' (`yiwang plugin upgrade`).
 */
export class LoadSeedsCmd implements Command<SeedSummary> {
  readonly name = 'LoadSeeds';

  constructor(
    private readonly data: SeedData,
    /** asked only when a user is created, as hashing costs tens of milliseconds */
    private readonly demoPasswordHash: () => Promise<string>,
    /** at start: load only if this seed set was never loaded, so what an administrator deleted stays deleted */
    private readonly firstTimeOnly = false,
    /** where the seed set's plugins come from; null: they are not installed */
    private readonly catalogue: PluginCatalogue | null = null,
  ) {}

  async execute(context: CommandContext): Promise<SeedSummary> {
    // a scoped session would take the rows of tenants the actor cannot see for missing ones
    if (context.actor?.scope) throw new ForbiddenError('加载种子数据须由平台管理员执行 (only the platform administrator, who sees every tenant, may load seed data)');
    const marker = `seeds.${this.data.name}.loaded`;
    const [loaded] = await context.session.sql.select('SELECT value FROM engine_property WHERE name = $1', [marker]);
    if (loaded && this.firstTimeOnly) return NOTHING;
    // two processes starting together both insert the marker: the loser's command rolls back and runs again
    if (!loaded) await context.session.sql.execute('INSERT INTO engine_property (name, value, rev) VALUES ($1, $2, 1)', [marker, context.now().toISOString()]);
    // the organisation is written (flushed) before the plugins are installed: their roles merge into the seeded ones, and a unit of work does not read what it has not written yet
    const organisation = await inStep(context, 'LoadSeeds', (step) => this.loadOrganisation(step));
    const plugins = this.catalogue ? await this.installPlugins(context, this.catalogue) : 0;
    return { ...organisation, plugins };
  }

  private async loadOrganisation(context: CommandContext): Promise<Omit<SeedSummary, 'plugins'>> {
    const existingUsers = await this.existingUsers(context);
    const tenants = await this.createTenants(context);
    const organisation = await this.readOrganisation(context);
    const leaders = this.leadersOf(existingUsers);
    const created = { departments: 0, posts: 0, roles: 0 };
    for (const seed of this.data.organisations) {
      for (const tenantId of seed.tenants) {
        created.departments += createDepartments(context, seed, tenantId, organisation.departments, leaders);
        created.posts += createPosts(context, seed, tenantId, organisation.posts);
        created.roles += createRoles(context, seed, tenantId, organisation.roles);
      }
    }
    const summary: Omit<SeedSummary, 'plugins'> = {
      tenants, ...created, users: await this.createUsers(context, existingUsers, organisation), dictionaries: await createDictionaries(context, this.data.dictionaries),
      calendars: await createDefaultCalendar(context, this.data.calendar),
    };
    if (Object.values(summary).some((count) => count > 0)) {
      context.audit({ action: `seed.${this.data.name}`, objectType: 'seed', objectId: this.data.name, detail: { created: summary } });
    }
    return summary;
  }

  /** Each tenant's plugins it has not got (in any version or state), one installation step after another; answers how many were installed. */
  private async installPlugins(context: CommandContext, catalogue: PluginCatalogue): Promise<number> {
    let installed = 0;
    for (const tenant of this.data.tenants) {
      for (const plugin of tenant.plugins ?? []) {
        if (await findInstallation(context, tenant.id, plugin)) continue;
        const change = await inStep(context, 'InstallPlugin', (step) => new InstallPluginCmd(catalogue, plugin, tenant.id).execute(step));
        installed += change.applied.length;
      }
    }
    return installed;
  }

  private async existingUsers(context: CommandContext): Promise<Map<string, UserEntity>> {
    const ids = this.data.users.map((user) => user.id);
    if (ids.length === 0) return new Map();
    const rows = await context.session.select(USER, `id IN (${placeholders(ids.length)})`, ids);
    return new Map(rows.map((row) => [naturalKey(row.id), row]));
  }

  /** Parents are listed before their children, so a new tenant's parent path is always known. */
  private async createTenants(context: CommandContext): Promise<number> {
    const ids = this.data.tenants.map((tenant) => tenant.id);
    const existing = await context.session.select(TENANT, `id IN (${placeholders(ids.length)})`, ids);
    const paths = new Map(existing.map((tenant) => [tenant.id, tenant.path]));
    const missing = this.data.tenants.filter((tenant) => !paths.has(tenant.id));
    for (const seed of missing) {
      const parentPath = seed.parent === null ? '/' : paths.get(seed.parent);
      if (parentPath === undefined) throw new Error(`the parent '${seed.parent}' of tenant '${seed.id}' is neither stored nor seeded before it`);
      const path = `${parentPath}${seed.id}/`;
      paths.set(seed.id, path);
      context.session.insert(TENANT, {
        id: seed.id, rev: 1, name: seed.name, level: seed.level, regionCode: seed.id, parentId: seed.parent, path, enabled: true, created: context.now(),
      });
    }
    return missing.length;
  }

  /** The departments, posts and roles the seeded tenants have already, by natural key. */
  private async readOrganisation(context: CommandContext): Promise<KnownOrganisation> {
    const tenantIds = this.data.organisations.flatMap((organisation) => organisation.tenants);
    if (tenantIds.length === 0) return { departments: new Map(), posts: new Map(), roles: new Map() };
    const inTenants = { where: `tenant_id IN (${placeholders(tenantIds.length)})`, bind: tenantIds };
    const [departments, posts, roles] = await context.session.selectMany<[DepartmentEntity, PostEntity, RoleEntity]>([
      { table: DEPARTMENT, ...inTenants },
      { table: POST, ...inTenants },
      { table: ROLE, ...inTenants },
    ]);
    return { departments: byNaturalKey(departments), posts: byNaturalKey(posts), roles: byNaturalKey(roles) };
  }

  /**
   * The leader of each department by natural key, where that user is in the department's tenant
   * after this load: a user created now is, one that exists may have been moved elsewhere.
   */
  private leadersOf(existingUsers: ReadonlyMap<string, UserEntity>): Map<string, string> {
    const leaders = new Map<string, string>();
    for (const user of this.data.users) {
      const tenantId = existingUsers.get(naturalKey(user.id))?.tenantId ?? user.tenant;
      if (tenantId !== user.tenant) continue;
      for (const code of user.leads ?? []) leaders.set(naturalKey(user.tenant, code), user.id);
    }
    return leaders;
  }

  private async createUsers(context: CommandContext, existingUsers: ReadonlyMap<string, UserEntity>, organisation: KnownOrganisation): Promise<number> {
    const missing = this.data.users.filter((user) => !existingUsers.has(naturalKey(user.id)));
    if (missing.length === 0) return 0;
    const passwordHash = await this.demoPasswordHash();
    for (const user of missing) createUser(context, user, passwordHash, organisation);
    return missing.length;
  }
}

/** What a tenant's organisation holds after the load, by `naturalKey(tenantId, code)`: rows found and rows created. */
interface KnownOrganisation {
  readonly departments: Map<string, DepartmentEntity>;
  readonly posts: Map<string, PostEntity>;
  readonly roles: Map<string, RoleEntity>;
}

function byNaturalKey<E extends { tenantId: string; code: string }>(rows: readonly E[]): Map<string, E> {
  return new Map(rows.map((row) => [naturalKey(row.tenantId, row.code), row]));
}

function createDepartments(
  context: CommandContext,
  organisation: OrganisationSeed,
  tenantId: string,
  existing: Map<string, DepartmentEntity>,
  leaders: ReadonlyMap<string, string>,
): number {
  let created = 0;
  organisation.departments.forEach((seed, sortOrder) => {
    const key = naturalKey(tenantId, seed.code);
    if (existing.has(key)) return;
    const parent = seed.parent === undefined ? null : known(existing, 'department', tenantId, seed.parent);
    const id = context.newId();
    const department = context.session.insert(DEPARTMENT, {
      id, rev: 1, tenantId, parentId: parent?.id ?? null, code: seed.code, name: seed.name, leaderUserId: leaders.get(key) ?? null,
      path: `${parent?.path ?? '/'}${id}/`, sortOrder, created: context.now(),
    });
    existing.set(key, department);
    created += 1;
  });
  return created;
}

function createPosts(context: CommandContext, organisation: OrganisationSeed, tenantId: string, existing: Map<string, PostEntity>): number {
  const missing = organisation.posts.filter((seed) => !existing.has(naturalKey(tenantId, seed.code)));
  for (const seed of missing) {
    const post = context.session.insert(POST, { id: context.newId(), rev: 1, tenantId, code: seed.code, name: seed.name, created: context.now() });
    existing.set(naturalKey(tenantId, seed.code), post);
  }
  return missing.length;
}

function createRoles(context: CommandContext, organisation: OrganisationSeed, tenantId: string, existing: Map<string, RoleEntity>): number {
  const missing = organisation.roles.filter((seed) => !existing.has(naturalKey(tenantId, seed.code)));
  for (const seed of missing) {
    const role = context.session.insert(ROLE, {
      id: context.newId(), rev: 1, tenantId, code: seed.code, name: seed.name, dataScope: seed.dataScope, seesDescendants: seed.seesDescendants ?? false,
      created: context.now(),
    });
    for (const permission of seed.permissions) context.session.insert(ROLE_PERMISSION, { id: context.newId(), roleId: role.id, permission });
    existing.set(naturalKey(tenantId, seed.code), role);
  }
  return missing.length;
}

/** The row a user seed names; the seed data is checked to define it, so it exists or was created by this load. */
function known<E>(rows: ReadonlyMap<string, E>, kind: string, tenantId: string, code: string): E {
  const row = rows.get(naturalKey(tenantId, code));
  if (row === undefined) throw new Error(`the ${kind} '${code}' of tenant ${tenantId} is neither stored nor seeded`);
  return row;
}

/** Demo users keep their password until they change it themselves: no change is forced at first login. */
function createUser(context: CommandContext, seed: UserSeed, passwordHash: string, organisation: KnownOrganisation): void {
  const { id: userId, tenant: tenantId } = seed;
  context.session.insert(USER, {
    id: userId, rev: 1, tenantId, displayName: seed.name, firstName: null, lastName: null, email: null, phone: null, passwordHash,
    passwordChanged: context.now(), mustChangePassword: false, failedLogins: 0, lockedUntil: null, enabled: true, created: context.now(),
  });
  seed.departments.forEach((code, index) => {
    context.session.insert(USER_DEPARTMENT, { id: context.newId(), userId, departmentId: known(organisation.departments, 'department', tenantId, code).id, tenantId, primary: index === 0 });
  });
  for (const code of seed.posts) context.session.insert(USER_POST, { id: context.newId(), userId, postId: known(organisation.posts, 'post', tenantId, code).id, tenantId });
  for (const code of seed.roles) context.session.insert(USER_ROLE, { id: context.newId(), userId, roleId: known(organisation.roles, 'role', tenantId, code).id, tenantId });
}
