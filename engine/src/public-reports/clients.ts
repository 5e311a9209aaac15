import type { Command, CommandContext } from '../command/index.js';
import { BadUserRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors/index.js';
import { RevokeApiKeyCmd, type Principal } from '../identity/index.js';
import { namedOrOwnTenantId } from '../identity/organisation/rules.js';
import { API_TOKEN, placeholders, type ApiTokenEntity, type DbSession } from '../persistence/index.js';
import type { ClientLimits } from './rate-limits.js';
import { PUBLIC_CHANNEL_CLIENT, type PublicChannelClientEntity } from './tables.js';

/** The permission a channel client's key carries, and all it carries. */
export const CLIENT_PERMISSION = 'public-report:submit';
/** The channel code of the anonymous /public portal; no client may take it. */
export const PORTAL_CHANNEL = 'public';
/** A client's channel code: lower-case letters, digits and hyphens (it is a dictionary item's code too). */
export const CLIENT_CODE_PATTERN = /^[a-z][a-z0-9-]{1,31}$/;
/** A client serves many citizens from one server: its limits start far above one address's. */
export const DEFAULT_CLIENT_LIMITS = { reportsPerHour: 600, lookupsPerMinute: 600 } as const;

export interface ChannelClientInput {
  /** the channel code its reports carry, e.g. `wechat-szcg` */
  readonly code: string;
  readonly name: string;
  /** the user the key acts for (a service account holding `public-report:submit`); default: the caller */
  readonly userId?: string;
  /** a tenant the caller sees; default: the caller's own */
  readonly tenantId?: string;
  readonly reportsPerHour?: number;
  readonly lookupsPerMinute?: number;
  readonly expiresInDays?: number;
}

/** A client as listed: never its key. */
export interface ChannelClientView {
  readonly id: string;
  readonly tenantId: string;
  readonly code: string;
  readonly name: string;
  readonly apiKeyId: string;
  /** the user its key acts for; null once the key is gone */
  readonly userId: string | null;
  readonly reportsPerHour: number;
  readonly lookupsPerMinute: number;
  readonly created: Date;
  readonly createdBy: string | null;
  readonly revoked: Date | null;
}

/**
 * Registers an API client of a tenant's public channel, in one transaction with its API key
 * (`keyCommand`, prepared by ApiKeys with the key's secret: the identity module's own checks —
 * the key's user holds `public-report:submit`, the creator too, the user is no more powerful than
 * the creator). A code revoked before is registered again with the new key (rotating a leaked
 * key); a code in use is a 409.
 */
export class RegisterChannelClientCmd implements Command<PublicChannelClientEntity> {
  readonly name = 'RegisterPublicChannelClient';

  constructor(
    private readonly input: ChannelClientInput,
    private readonly keyCommand: Command<ApiTokenEntity>,
  ) {}

  async execute(context: CommandContext): Promise<PublicChannelClientEntity> {
    const { session } = context;
    const { code, name } = this.input;
    const tenantId = await clientTenant(context, this.input.tenantId);
    if (code === PORTAL_CHANNEL) throw new BadUserRequestError(`渠道代码 '${PORTAL_CHANNEL}' 留给 /public 页面 (the code '${PORTAL_CHANNEL}' names the anonymous portal's reports)`);
    const [existing] = await session.select(PUBLIC_CHANNEL_CLIENT, 'tenant_id = $1 AND code = $2', [tenantId, code]);
    if (existing && existing.revoked === null) {
      throw new ConflictError(`渠道代码 '${code}' 已被「${existing.name}」使用 (the channel code '${code}' is in use by '${existing.name}'; revoke it first to issue a new key)`);
    }
    const key = await this.keyCommand.execute(context);
    if (key.tenantId !== tenantId) throw new BadUserRequestError(`API 密钥须属于租户 ${tenantId} (the key would act in tenant ${key.tenantId ?? 'none'}, the client belongs to ${tenantId})`);
    const fields = {
      name, apiTokenId: key.id, reportsPerHour: this.input.reportsPerHour ?? DEFAULT_CLIENT_LIMITS.reportsPerHour,
      lookupsPerMinute: this.input.lookupsPerMinute ?? DEFAULT_CLIENT_LIMITS.lookupsPerMinute, created: context.now(), createdBy: context.userId ?? null, revoked: null,
    };
    context.audit({ action: 'public-channel-client.register', objectType: 'public_channel_client', objectId: code, tenantId, detail: { code, name, apiKeyId: key.id, userId: key.userId } });
    if (existing) return Object.assign(existing, fields);
    return session.insert(PUBLIC_CHANNEL_CLIENT, { id: context.newId(), rev: 1, tenantId, code, ...fields });
  }
}

/**
 * The tenant a client is registered in, listed or revoked in: one the caller sees (404 for
 * another, as every organisation command answers a tenant it hides), by default their own.
 */
function clientTenant(context: CommandContext, tenantId: string | undefined): Promise<string> {
  return namedOrOwnTenantId(context, tenantId, '公众渠道接入方属于租户 (a channel client belongs to a tenant, and the caller has none)');
}

/**
 * Revokes a client of a tenant the caller sees (default: their own): its key is deleted (requests
 * with it get 401 from then on) and the client kept, marked revoked, so the reports it sent still
 * name it. Revoking it again changes nothing.
 */
export class RevokeChannelClientCmd implements Command<PublicChannelClientEntity> {
  readonly name = 'RevokePublicChannelClient';

  constructor(
    private readonly code: string,
    /** default: the caller's own */
    private readonly tenantId?: string,
  ) {}

  async execute(context: CommandContext): Promise<PublicChannelClientEntity> {
    const tenantId = await clientTenant(context, this.tenantId);
    const [client] = await context.session.select(PUBLIC_CHANNEL_CLIENT, 'tenant_id = $1 AND code = $2', [tenantId, this.code]);
    if (!client) throw new NotFoundError(`没有代码为 '${this.code}' 的公众渠道接入方 (no channel client '${this.code}' in tenant ${tenantId})`);
    if (client.revoked !== null) return client;
    // an administrator may have revoked the key itself already (DELETE /api/admin/api-keys/{id})
    if (await context.session.findById(API_TOKEN, client.apiTokenId)) await new RevokeApiKeyCmd(client.apiTokenId).execute(context);
    client.revoked = context.now();
    context.audit({ action: 'public-channel-client.revoke', objectType: 'public_channel_client', objectId: client.code, tenantId: client.tenantId, detail: { code: client.code, apiKeyId: client.apiTokenId } });
    return client;
  }
}

/** The tenant's clients, revoked ones too, by code; each with the user its key acts for while the key lives. */
export async function listClients(session: DbSession, tenantId: string): Promise<ChannelClientView[]> {
  const clients = await session.select(PUBLIC_CHANNEL_CLIENT, 'tenant_id = $1', [tenantId], 'ORDER BY code');
  const keys = clients.length === 0 ? [] : await session.select(API_TOKEN, `id IN (${placeholders(clients.length)})`, clients.map((client) => client.apiTokenId));
  return clients.map((client) => viewOf(client, keys.find((key) => key.id === client.apiTokenId)?.userId ?? null));
}

export function viewOf(client: PublicChannelClientEntity, userId: string | null): ChannelClientView {
  const { id, tenantId, code, name, apiTokenId, reportsPerHour, lookupsPerMinute, created, createdBy, revoked } = client;
  return { id, tenantId, code, name, apiKeyId: apiTokenId, userId, reportsPerHour, lookupsPerMinute, created, createdBy, revoked };
}

/**
 * The client a request's API key belongs to, in the key's tenant. A principal without a key (a
 * person signed in) or with a key that is no channel client's is a 403: only a client's own key
 * speaks for a channel. A revoked client's key no longer exists, so its requests never get here (401).
 */
export async function clientOf(session: DbSession, principal: Principal): Promise<PublicChannelClientEntity> {
  const [client] = principal.apiKeyId === undefined
    ? []
    : await session.select(PUBLIC_CHANNEL_CLIENT, 'api_token_id = $1 AND tenant_id = $2 AND revoked IS NULL', [principal.apiKeyId, principal.tenantId]);
  if (!client) throw new ForbiddenError('只有公众渠道接入方的 API 密钥可以代市民上报 (only the API key of a registered public channel client reports for citizens)');
  return client;
}

/** A client's limits: its own per client, the portal's per phone number (a citizen is one person whichever channel they use). */
export function clientLimits(client: PublicChannelClientEntity, reportsPerDayPerPhone: number): ClientLimits {
  return { reportsPerHour: client.reportsPerHour, attemptsPerHour: client.reportsPerHour * 2, lookupsPerMinute: client.lookupsPerMinute, reportsPerDayPerPhone };
}
