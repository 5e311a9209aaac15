import { randomBytes } from 'node:crypto';
import type { Command, CommandContext } from '../../command/index.js';
import { ConflictError } from '../../errors/index.js';
import { DbSession, ROLE, ROLE_PERMISSION, TENANT, USER, USER_ROLE, type UserEntity } from '../../persistence/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { ALL_PERMISSIONS } from '../access.js';
import { hashPassword, passwordMatches } from './passwords.js';

/** The root of the tenant tree: the national platform, id = the GB/T 2260 code of the country. */
export const ROOT_TENANT = { id: '100000', name: '全国', level: 'national' } as const;
export const PLATFORM_ADMIN_ROLE = 'platform-admin';
/** The platform administrator's login name. */
export const PLATFORM_ADMIN_USER = 'admin';

/**
 * Makes sure, at every start, that the platform can be administered: the root tenant, the role
 * `platform-admin` in it granting everything over every tenant, and the user `admin` holding it.
 * The password is `configuredPassword` (YIWANG_ADMIN_PASSWORD; stored again whenever it changes),
 * or else generated at first start and handed to `announce` once, for the console and never for
 * the log. Only an argon2id hash is stored.
 */
export async function ensurePlatformAdmin(engine: ProcessEngine, configuredPassword: string | undefined, announce: (message: string) => void): Promise<void> {
  const generated = configuredPassword ? null : randomBytes(12).toString('base64url');
  const command = new EnsurePlatformAdminCmd(
    generated === null ? { hash: await configuredHash(engine, configuredPassword as string), generated: false } : { hash: await hashPassword(generated), generated: true },
  );
  let storedGenerated: boolean;
  try {
    storedGenerated = await engine.commandExecutor.execute(command);
  } catch (error) {
    // another engine process starting at the same time created the same rows first: they are there now
    if (!(error instanceof ConflictError)) throw error;
    storedGenerated = await engine.commandExecutor.execute(command);
  }
  if (storedGenerated) {
    announce(`yiwang created the platform administrator '${PLATFORM_ADMIN_USER}' with the password: ${generated}  (set YIWANG_ADMIN_PASSWORD to choose one; change it after signing in)`);
  }
}

/** The admin's password as this start has it. */
interface AdminPassword {
  /** the argon2id hash to store, or null to keep the stored one */
  readonly hash: string | null;
  /** a generated password is stored only when the admin has none yet */
  readonly generated: boolean;
}

/** A hash of the configured password, or null when the admin's password is it already (so its age is kept). */
async function configuredHash(engine: ProcessEngine, configuredPassword: string): Promise<string | null> {
  const admin = await engine.database.read((sql) => new DbSession(sql).findById(USER, PLATFORM_ADMIN_USER));
  return admin && (await passwordMatches(configuredPassword, admin.passwordHash)) ? null : hashPassword(configuredPassword);
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
    const { hash, generated } = this.password;
    const storePassword = hash !== null && (!generated || admin.passwordHash === null);
    if (storePassword) {
      Object.assign(admin, { passwordHash: hash, passwordChanged: now, failedLogins: 0, lockedUntil: null, mustChangePassword: generated });
    }
    const [holds] = await session.select(USER_ROLE, 'user_id = $1 AND role_id = $2', [PLATFORM_ADMIN_USER, roleId]);
    if (!holds) session.insert(USER_ROLE, { id: context.newId(), userId: PLATFORM_ADMIN_USER, roleId, tenantId: ROOT_TENANT.id });
    return storePassword && generated;
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

/** The administrator without a password yet. */
function newAdmin(now: Date): UserEntity {
  return {
    id: PLATFORM_ADMIN_USER, rev: 1, tenantId: ROOT_TENANT.id, displayName: '平台管理员', firstName: null, lastName: null, email: null, phone: null,
    passwordHash: null, passwordChanged: null, mustChangePassword: false, failedLogins: 0, lockedUntil: null, enabled: true, created: now,
  };
}
