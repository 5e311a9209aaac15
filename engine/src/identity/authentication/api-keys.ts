import type { Actor, Command, CommandContext } from '../../command/index.js';
import { BadUserRequestError, ForbiddenError, NotFoundError } from '../../errors/index.js';
import { API_TOKEN, DbSession, PERMISSION, placeholders, TENANT, USER, type ApiTokenEntity, type Database, type RowScope } from '../../persistence/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { Filter, orderAndPage, type Page } from '../../services/query.js';
import { ALL_PERMISSIONS, hasPermission, type Principal } from '../access.js';
import { permissionsBeyond } from '../grants.js';
import { ACTING_ON, refuseMorePowerful } from '../organisation/users.js';
import { isCorePermission } from '../permissions.js';
import type { Principals } from '../principals.js';
import { newSecret, secretHash } from './secrets.js';

export const API_KEY_PREFIX = 'yw_';
/** `last_used` is written at most this often per key, so a busy worker does not cost a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** An API key as listed: never the key itself, which is shown once at creation. */
export type ApiKeyView = Omit<ApiTokenEntity, 'tokenHash'>;

export interface CreatedApiKey extends ApiKeyView {
  /** `yw_...`: shown once, never stored */
  readonly key: string;
}

export interface NewApiKey {
  readonly name: string;
  /** the user the key acts for */
  readonly userId: string;
  /** the tenant the key acts in, one its user sees; default: the user's own */
  readonly tenantId?: string;
  /**
   * what the key may do, each held by its user; null or absent: whatever its user may do — at each
   * request for a key of one's own, as of its creation for another user's (see `CreateApiKeyCmd`)
   */
  readonly permissions?: readonly string[] | null;
  readonly expiresInDays?: number;
}

export interface ApiKeyQuery extends Page {
  readonly userId?: string;
}

/**
 * API keys for machine clients (workers, exchange partners): `Authorization: Bearer yw_...` acts
 * for the key's user, narrowed to the key's tenant and permissions. The database keeps only the
 * key's SHA-256. Keys are rows of their tenant: callers see and revoke only their tenants' keys.
 */
export class ApiKeys {
  private readonly lastUsedWritten = new Map<string, number>();

  constructor(
    private readonly engine: ProcessEngine,
    private readonly principals: Principals,
  ) {}

  /**
   * A new key. `creator` is the person asking (null for the command line, which acts for the
   * platform): a key may carry no permission its creator lacks, so nobody hands out more than
   * they hold, and acts only as a user no more powerful than its creator.
   */
  async create(request: NewApiKey, actor: Actor | null, creator: Principal | null): Promise<CreatedApiKey> {
    const { command, key } = await this.prepare(request, creator);
    const created = await this.engine.commandExecutor.execute(command, { actor });
    return { ...view(created), key };
  }

  /**
   * A new key and the command that stores it, for a command that creates a key as one of its
   * steps (a public channel client): that command runs this one inside its own transaction.
   */
  async prepare(request: NewApiKey, creator: Principal | null): Promise<{ command: Command<ApiTokenEntity>; key: string }> {
    const keyUser = await this.principals.load(request.userId);
    const key = newSecret(API_KEY_PREFIX);
    return { command: new CreateApiKeyCmd(request, keyUser, creator, secretHash(key)), key };
  }

  /** The keys the scope lets the caller see, oldest first. */
  list(scope: RowScope | null, query: ApiKeyQuery = {}): Promise<ApiKeyView[]> {
    const filter = new Filter().equals('user_id', query.userId);
    const suffix = orderAndPage({}, { created: 'created' }, 'created', query);
    return this.engine.database.read(async (sql) => (await new DbSession(sql, scope).select(API_TOKEN, filter.where, filter.bindings, suffix)).map(view));
  }

  /** Deletes a key the actor can see; requests with it are refused from then on. */
  revoke(id: string, actor: Actor | null): Promise<void> {
    return this.engine.commandExecutor.execute(new RevokeApiKeyCmd(id), { actor });
  }

  /**
   * The principal a key acts as, or null when it is unknown, expired, its user disabled, or its
   * tenant out of its user's sight. A key is a machine credential: it works on while its user has
   * a password to change (`passwordChangeRequired` stays false, as loaded).
   */
  async principalOf(key: string): Promise<Principal | null> {
    const [stored] = await this.engine.database.read((sql) =>
      new DbSession(sql).select(API_TOKEN, 'token_hash = $1 AND user_id IN (SELECT id FROM app_user WHERE enabled = $2)', [secretHash(key), 1]),
    );
    const now = this.engine.environment.clock.now();
    if (!stored || (stored.expires && stored.expires <= now)) return null;
    const user = await this.principals.load(stored.userId);
    const principal = user && (await narrow(this.engine.database, user, stored));
    if (principal) await this.recordUse(stored.id, now);
    return principal;
  }

  private async recordUse(id: string, now: Date): Promise<void> {
    const last = this.lastUsedWritten.get(id);
    if (last !== undefined && now.getTime() - last < LAST_USED_RESOLUTION_MS) return;
    this.lastUsedWritten.set(id, now.getTime());
    await this.engine.commandExecutor.execute(new TouchApiKeyCmd(id, now));
  }
}

function view({ tokenHash: _, ...key }: ApiTokenEntity): ApiKeyView {
  return key;
}

/** The user's principal cut down to what the key may: its tenant (and what lies below it, if the user sees that) and its permissions. */
async function narrow(database: Database, user: Principal, key: ApiTokenEntity): Promise<Principal | null> {
  const permissions = key.permissions === null ? user.permissions : new Set(key.permissions.filter((permission) => hasPermission(user, permission)));
  if (key.tenantId === null || key.tenantId === user.tenantId) return { ...user, permissions, apiKeyId: key.id };
  if (!sees(user, key.tenantId)) return null;
  // a user sees another tenant only through a role that shows descendants: the key sees what lies below its tenant
  const below = await database.read((sql) => tenantAndDescendants(new DbSession(sql), key.tenantId as string));
  return { ...user, tenantId: key.tenantId, visibleTenantIds: below.filter((tenantId) => sees(user, tenantId)), permissions, apiKeyId: key.id };
}

/** Paths are made of tenant ids and slashes, and tenant ids hold no LIKE wildcard (checked on creation). */
async function tenantAndDescendants(session: DbSession, tenantId: string): Promise<string[]> {
  const tenant = await session.findById(TENANT, tenantId);
  if (!tenant) return [];
  return (await session.select(TENANT, 'path LIKE $1', [`${tenant.path}%`])).map((row) => row.id);
}

function sees(principal: Principal, tenantId: string): boolean {
  return principal.visibleTenantIds === 'all' || principal.visibleTenantIds.includes(tenantId);
}

const USER_NOT_FOUND = (userId: string) => new NotFoundError(`用户不存在 (user '${userId}' does not exist)`);

/**
 * A key acts as its user: their data scope, tenants, candidate groups and name in the audit log.
 * Made for someone else, it therefore requires that user to be no more powerful than the creator
 * (as a password reset does), and it keeps the permissions it was given — or that user's, as they
 * are now — written down, so that nothing granted to the user later reaches a key someone else holds.
 */
class CreateApiKeyCmd implements Command<ApiTokenEntity> {
  readonly name = 'CreateApiKey';

  constructor(
    private readonly request: NewApiKey,
    private readonly keyUser: Principal | null,
    private readonly creator: Principal | null,
    private readonly keyHash: string,
  ) {}

  async execute(context: CommandContext): Promise<ApiTokenEntity> {
    const { request, keyUser } = this;
    // read through the actor's scope: a user of a tenant the caller does not see does not exist for them
    const user = await context.session.findById(USER, request.userId);
    if (!user || !keyUser) throw USER_NOT_FOUND(request.userId);
    const tenantId = request.tenantId ?? user.tenantId;
    if (!(await context.session.findById(TENANT, tenantId))) throw new NotFoundError(`租户不存在 (tenant '${tenantId}' does not exist)`);
    if (!sees(keyUser, tenantId)) {
      throw new BadUserRequestError(`用户 '${user.id}' 无权访问租户 ${tenantId} (the user '${user.id}' does not see tenant ${tenantId}, so a key of theirs cannot act in it)`);
    }
    const forAnother = this.creator !== null && this.creator.userId !== user.id;
    if (forAnother) await refuseMorePowerful(context.session, this.creator as Principal, user, ACTING_ON.apiKey);
    const requested = request.permissions === undefined || request.permissions === null ? null : [...new Set(request.permissions)];
    await this.checkPermissions(context, requested);
    // within the creator's permissions, as checked: what was asked for, or what the user holds now
    const permissions = forAnother ? (requested ?? [...keyUser.permissions].sort()) : requested;
    const created = context.now();
    const expires = request.expiresInDays === undefined ? null : new Date(created.getTime() + request.expiresInDays * 86_400_000);
    const key = context.session.insert(API_TOKEN, {
      id: context.newId(), name: request.name, userId: user.id, tokenHash: this.keyHash, created, expires, lastUsed: null, tenantId, permissions,
    });
    context.audit({ action: 'api-key.create', objectType: 'api-key', objectId: key.id, tenantId: key.tenantId, detail: { name: key.name, userId: key.userId, tenantId, permissions, expires } });
    return key;
  }

  /** Each permission exists and is held by the key's user; the creator holds whatever the key will carry. */
  private async checkPermissions(context: CommandContext, permissions: readonly string[] | null): Promise<void> {
    const keyUser = this.keyUser as Principal;
    if (permissions !== null) {
      const unknown = await unknownPermissions(context.session, permissions);
      if (unknown.length > 0) throw new BadUserRequestError(`权限不存在 (unknown permissions: ${unknown.join(', ')})`);
      const notHeld = permissionsBeyond(keyUser, permissions);
      if (notHeld.length > 0) throw new BadUserRequestError(`用户 '${keyUser.userId}' 没有这些权限 (the user '${keyUser.userId}' does not hold: ${notHeld.join(', ')})`);
    }
    const carried = permissions ?? [...keyUser.permissions];
    const beyondCreator = this.creator ? permissionsBeyond(this.creator, carried) : [];
    if (beyondCreator.length > 0) {
      throw new ForbiddenError(`API 密钥的权限不能超出创建者的权限 (the key would carry permissions its creator lacks: ${beyondCreator.join(', ')})`);
    }
  }
}

/** Permissions neither of the engine nor of the catalogue (plugins add theirs there). */
async function unknownPermissions(session: DbSession, permissions: readonly string[]): Promise<string[]> {
  const candidates = permissions.filter((permission) => permission !== ALL_PERMISSIONS && !isCorePermission(permission));
  if (candidates.length === 0) return [];
  const known = new Set((await session.select(PERMISSION, `id IN (${placeholders(candidates.length)})`, candidates)).map((row) => row.id));
  return candidates.filter((permission) => !known.has(permission));
}

class TouchApiKeyCmd implements Command<void> {
  readonly name = 'TouchApiKey';

  constructor(
    private readonly id: string,
    private readonly at: Date,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    context.session.updateById(API_TOKEN, this.id, { lastUsed: this.at });
  }
}

export class RevokeApiKeyCmd implements Command<void> {
  readonly name = 'RevokeApiKey';

  constructor(private readonly id: string) {}

  async execute(context: CommandContext): Promise<void> {
    const key = await context.session.findById(API_TOKEN, this.id);
    if (!key) throw new NotFoundError(`API 密钥不存在 (API key '${this.id}' does not exist)`);
    context.session.delete(API_TOKEN, key);
    context.audit({ action: 'api-key.revoke', objectType: 'api-key', objectId: key.id, tenantId: key.tenantId, detail: { name: key.name, userId: key.userId } });
  }
}
