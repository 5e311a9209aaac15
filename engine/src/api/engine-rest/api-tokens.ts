import { createHash, randomBytes } from 'node:crypto';
import type { Command, CommandContext } from '../../command/index.js';
import { NotFoundError } from '../../errors/index.js';
import { API_TOKEN, DbSession, type ApiTokenEntity } from '../../persistence/index.js';
import type { ProcessEngine } from '../../services/index.js';

const TOKEN_PREFIX = 'yw_';
/** `last_used` is written at most this often per token, so a busy worker does not cost a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface CreatedApiToken {
  readonly id: string;
  /** the token itself: shown once, never stored */
  readonly token: string;
  readonly expires: Date | null;
}

/**
 * API tokens for workers and scripts: `Authorization: Bearer <token>` on `/engine-rest` acts as the
 * token's user. A token is 32 random bytes; the database keeps only its SHA-256, so a leaked table
 * gives away no usable token.
 */
export class ApiTokens {
  private readonly lastUsedWritten = new Map<string, number>();

  constructor(private readonly engine: ProcessEngine) {}

  async create(name: string, userId: string, expiresInDays?: number): Promise<CreatedApiToken> {
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const created = await this.engine.commandExecutor.execute(new CreateApiTokenCmd(name, userId, hashToken(token), expiresInDays));
    return { id: created.id, token, expires: created.expires };
  }

  list(): Promise<ApiTokenEntity[]> {
    return this.engine.database.read((sql) => new DbSession(sql).select(API_TOKEN, '1 = 1', [], 'ORDER BY created, id'));
  }

  revoke(id: string): Promise<void> {
    return this.engine.commandExecutor.execute(new RevokeApiTokenCmd(id));
  }

  /** The user a token acts for, or null when it is unknown or expired. */
  async userOf(token: string): Promise<string | null> {
    const hash = hashToken(token);
    const [stored] = await this.engine.database.read((sql) => new DbSession(sql).select(API_TOKEN, 'token_hash = $1', [hash]));
    const now = this.engine.environment.clock.now();
    if (!stored || (stored.expires && stored.expires.getTime() <= now.getTime())) return null;
    await this.recordUse(stored.id, now);
    return stored.userId;
  }

  private async recordUse(id: string, now: Date): Promise<void> {
    const last = this.lastUsedWritten.get(id);
    if (last !== undefined && now.getTime() - last < LAST_USED_RESOLUTION_MS) return;
    this.lastUsedWritten.set(id, now.getTime());
    await this.engine.commandExecutor.execute(new TouchApiTokenCmd(id, now));
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

class CreateApiTokenCmd implements Command<ApiTokenEntity> {
  readonly name = 'CreateApiToken';

  constructor(
    private readonly tokenName: string,
    private readonly userId: string,
    private readonly tokenHash: string,
    private readonly expiresInDays: number | undefined,
  ) {}

  async execute(context: CommandContext): Promise<ApiTokenEntity> {
    const created = context.now();
    const expires = this.expiresInDays === undefined ? null : new Date(created.getTime() + this.expiresInDays * 86_400_000);
    return context.session.insert(API_TOKEN, {
      id: context.newId(), name: this.tokenName, userId: this.userId, tokenHash: this.tokenHash, created, expires, lastUsed: null, tenantId: null, permissions: null,
    });
  }
}

class TouchApiTokenCmd implements Command<void> {
  readonly name = 'TouchApiToken';

  constructor(
    private readonly id: string,
    private readonly at: Date,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    context.session.updateById(API_TOKEN, this.id, { lastUsed: this.at });
  }
}

class RevokeApiTokenCmd implements Command<void> {
  readonly name = 'RevokeApiToken';

  constructor(private readonly id: string) {}

  async execute(context: CommandContext): Promise<void> {
    const token = await context.session.findById(API_TOKEN, this.id);
    if (!token) throw new NotFoundError(`API token '${this.id}' does not exist`);
    context.session.delete(API_TOKEN, token);
  }
}
