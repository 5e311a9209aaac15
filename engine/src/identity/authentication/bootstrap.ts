import { randomBytes } from 'node:crypto';
import type { Command, CommandContext } from '../../command/index.js';
import { ConflictError } from '../../errors/index.js';
import { DbSession, ROLE, ROLE_PERMISSION, TENANT, USER, USER_ROLE, type SqlRunner, type UserEntity } from '../../persistence/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { ALL_PERMISSIONS } from '../access.js';
import { checkPasswordPolicy, hashPassword, passwordMatches } from './passwords.js';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from './settings.js';

/** The root of the tenant tree: the national platform, id = the GB/T 2260 code of the country. */
export const ROOT_TENANT = { id: '100000', name: '全国', level: 'national' } as const;
export const PLATFORM_ADMIN_ROLE = 'platform-admin';
/** The platform administrator's login name. */
export const PLATFORM_ADMIN_USER = 'admin';

/** The variable that sets the platform administrator's password: named in what start-up says about it. */
export const ADMIN_PASSWORD_VARIABLE = 'YIWANG_ADMIN_PASSWORD';
/**
 * The engine_property row remembering which configured password was applied last: an argon2id
 * hash of it, never the password, so a start can tell a changed variable from an unchanged one.
 */
const APPLIED_PASSWORD_PROPERTY = 'identity.admin-password.applied';

/**
 * Makes sure, at every start, that the platform can be administered: the root tenant, the role
 * `platform-admin` in it granting everything over every tenant, and the user `admin` holding it.
 * The password is `configuredPassword` (YIWANG_ADMIN_PASSWORD, which must meet `policy`: else the
 * start fails naming the variable), or else generated at first start and handed to `announce`
 * once, for the console and never for the log. A configured password is stored when the admin has
 * none yet or when it differs from the one applied last time — not at every start, so a password
 * the admin changed themselves survives restarts, and so does a lockout. Only argon2id hashes are
 * stored.
 */
export async function ensurePlatformAdmin(
  engine: ProcessEngine,
  configuredPassword: string | undefined,
  announce: (message: string) => void,
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
): Promise<void> {
  const generated = configuredPassword ? null : randomBytes(12).toString('base64url');
  const password: AdminPassword = generated === null ? await configured(engine, configuredPassword as string, policy) : { hash: await hashPassword(generated), configured: null };
  const command = new EnsurePlatformAdminCmd(password);
  let storedGenerated: boolean;
  try {
    storedGenerated = await engine.commandExecutor.execute(command);
  } catch (error) {
    // another engine process starting at the same time created the same rows first: they are there now
    if (!(error instanceof ConflictError)) throw error;
    storedGenerated = await engine.commandExecutor.execute(command);
  }
  if (storedGenerated) {
    announce(`yiwang created the platform administrator '${PLATFORM_ADMIN_USER}' with the password: ${generated}  (set ${ADMIN_PASSWORD_VARIABLE} to choose one; change it after signing in)`);
  }
}

/** The admin's password as this start has it. */
interface AdminPassword {
  /** the argon2id hash of the password this start brings */
  readonly hash: string;
  /** for a configured password: whether it differs from the one applied last time, and whether the admin's password is it already */
  readonly configured: { readonly changed: boolean; readonly current: boolean } | null;
}

/** A configured password, checked against the policy, and how it stands against what was applied before (argon2 is slow: outside the command). */
async function configured(engine: ProcessEngine, password: string, policy: PasswordPolicy): Promise<AdminPassword> {
  try {
    checkPasswordPolicy(password, policy);
  } catch (error) {
    throw new Error(`${ADMIN_PASSWORD_VARIABLE} does not meet the password policy: ${(error as Error).message}`);
  }
  const [admin, applied] = await engine.database.read(async (sql) => [await new DbSession(sql).findById(USER, PLATFORM_ADMIN_USER), await appliedPassword(sql)] as const);
  const changed = !(await passwordMatches(password, applied));
  const current = changed && admin !== null && (await passwordMatches(password, admin.passwordHash));
  return { hash: await hashPassword(password), configured: { changed, current } };
}

async function appliedPassword(sql: SqlRunner): Promise<string | null> {
  const [row] = await sql.select('SELECT value FROM engine_property WHERE name = $1', [APPLIED_PASSWORD_PROPERTY]);
  return row ? String(row.value) : null;
}

/** Creates what is missing; answers whether it stored the generated password. */
class EnsurePlatformAdminCmd implements Command<boolean> {
  readonly name = 'EnsurePlatformAdmin';

  constructor(private readonly password: AdminPassword) {}

  async execute(context: CommandContext): Promise<boolean> {
    const now = context.now();
    const { session } = context;
    if (!(await session.findById(TENANT, ROOT_TENANT.id))) {
      session.insert(TENANT, { ...ROOT_TENANT, rev: 1, regionCode: ROOT_TENANT.id, parentId: null, path: `/${ROOT_TENANT.id}/`, enabled: true, created: now });
    }
    const roleId = await this.ensureRole(context);
    const admin = (await session.findById(USER, PLATFORM_ADMIN_USER)) ?? session.insert(USER, newAdmin(now));
    const { hash, configured } = this.password;
    // a changed configured password replaces the admin's own (and lifts a lockout): how operators regain access
    const storePassword = admin.passwordHash === null || (configured !== null && configured.changed && !configured.current);
    if (storePassword) {
      Object.assign(admin, { passwordHash: hash, passwordChanged: now, failedLogins: 0, lockedUntil: null, mustChangePassword: configured === null });
    }
    if (configured?.changed) await rememberApplied(context, hash);
    const [holds] = await session.select(USER_ROLE, 'user_id = $1 AND role_id = $2', [PLATFORM_ADMIN_USER, roleId]);
    if (!holds) session.insert(USER_ROLE, { id: context.newId(), userId: PLATFORM_ADMIN_USER, roleId, tenantId: ROOT_TENANT.id });
    return storePassword && configured === null;
  }

  private async ensureRole(context: CommandContext): Promise<string> {
    const { session } = context;
    const [existing] = await session.select(ROLE, 'tenant_id = $1 AND code = $2', [ROOT_TENANT.id, PLATFORM_ADMIN_ROLE]);
    const role =
      existing ??
      session.insert(ROLE, { id: context.newId(), rev: 1, tenantId: ROOT_TENANT.id, code: PLATFORM_ADMIN_ROLE, name: '平台管理员', dataScope: 'all', seesDescendants: true, created: context.now() });
    // what makes the role the platform's: put back if someone narrowed it
    Object.assign(role, { dataScope: 'all', seesDescendants: true });
    const [grant] = await session.select(ROLE_PERMISSION, 'role_id = $1 AND permission = $2', [role.id, ALL_PERMISSIONS]);
    if (!grant) session.insert(ROLE_PERMISSION, { id: context.newId(), roleId: role.id, permission: ALL_PERMISSIONS });
    return role.id;
  }

}

/** Remembers the configured password as applied, by a hash of it: the next start stores it again only if the variable changed. */
async function rememberApplied(context: CommandContext, hash: string): Promise<void> {
  const { sql } = context.session;
  if ((await appliedPassword(sql)) === null) await sql.execute('INSERT INTO engine_property (name, value, rev) VALUES ($1, $2, 1)', [APPLIED_PASSWORD_PROPERTY, hash]);
  else await sql.execute('UPDATE engine_property SET value = $1, rev = rev + 1 WHERE name = $2', [hash, APPLIED_PASSWORD_PROPERTY]);
}

/** The administrator without a password yet. */
function newAdmin(now: Date): UserEntity {
  return {
    id: PLATFORM_ADMIN_USER, rev: 1, tenantId: ROOT_TENANT.id, displayName: '平台管理员', firstName: null, lastName: null, email: null, phone: null,
    passwordHash: null, passwordChanged: null, mustChangePassword: false, failedLogins: 0, lockedUntil: null, enabled: true, created: now,
  };
}
