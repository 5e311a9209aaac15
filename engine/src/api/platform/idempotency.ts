import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import type { RequestKey } from '../../command/index.js';
import { BadUserRequestError, ConflictError, EngineError } from '../../errors/index.js';
import { DbSession, formatTimestamp, IDEMPOTENCY_KEY, type IdempotencyKeyEntity } from '../../persistence/index.js';
import type { ProcessEngine } from '../../services/index.js';

/** The header a client sends to make a retried POST safe (the IETF draft's name, as Stripe and others use it). */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,128}$/;
/** How long an answer is kept for replay. */
const KEPT_MS = 24 * 60 * 60 * 1000;
/** How long a retry waits for the first request of the same key to finish. */
const WAIT_FOR_FIRST_MS = 5000;

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * Runs a request that carries an Idempotency-Key at most once per caller and key: the first
 * changing command of the request stores the key in its own transaction (CommandContext), and
 * the answer is kept once the request is done. A retry — after a lost answer, or concurrently —
 * gets the kept answer with `Idempotency-Replayed: true`; a key reused for another request (another
 * route, or the same route with another body) is a 400.
 */
export async function idempotent(
  engine: ProcessEngine,
  ctx: Context,
  userId: string,
  run: (requestKey: RequestKey | undefined) => Promise<Answer>,
): Promise<Answer> {
  const key = ctx.get(IDEMPOTENCY_HEADER);
  if (!key) return run(undefined);
  if (!KEY_PATTERN.test(key)) throw new BadUserRequestError('Idempotency-Key must be 8 to 128 letters, digits or _ . : -');
  const request = requestOf(ctx);
  const earlier = await findKey(engine, userId, key);
  if (earlier) return replay(engine, ctx, earlier, request);
  const requestKey: RequestKey = { key, request, stored: false };
  try {
    const answer = await run(requestKey);
    if (requestKey.stored) await keepAnswer(engine, userId, key, answer);
    return answer;
  } catch (error) {
    // a concurrent request with the same key stored it first (its change made this one fail): answer as it does
    const concurrent = !requestKey.stored && error instanceof EngineError ? await findKey(engine, userId, key) : null;
    if (concurrent) return replay(engine, ctx, concurrent, request);
    throw error;
  }
}

async function replay(engine: ProcessEngine, ctx: Context, earlier: IdempotencyKeyEntity, request: string): Promise<Answer> {
  if (earlier.request !== request) {
    throw new BadUserRequestError(`Idempotency-Key '${earlier.requestKey}' was used for another request (${describe(earlier.request)}); use a new key for ${describe(request)}`);
  }
  const done = earlier.status > 0 ? earlier : await waitForAnswer(engine, earlier);
  ctx.set('Idempotency-Replayed', 'true');
  if (!done) throw new ConflictError(`The request with Idempotency-Key '${earlier.requestKey}' was carried out, but its answer was not kept`);
  return { status: done.status, body: done.response === null ? undefined : JSON.parse(done.response) };
}

/** Method, path and a hash of the body: the same key with another body is another request, not a retry. */
function requestOf(ctx: Context): string {
  const body = (ctx.request as { body?: unknown }).body ?? null;
  return `${ctx.method} ${ctx.path} ${createHash('sha256').update(JSON.stringify(body)).digest('hex')}`;
}

function describe(request: string): string {
  return request.slice(0, request.lastIndexOf(' ')) + ' with its body';
}

async function waitForAnswer(engine: ProcessEngine, pending: IdempotencyKeyEntity): Promise<IdempotencyKeyEntity | null> {
  const until = Date.now() + WAIT_FOR_FIRST_MS;
  while (Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const row = await findKey(engine, pending.userId, pending.requestKey);
    if (row && row.status > 0) return row;
  }
  return null;
}

function findKey(engine: ProcessEngine, userId: string, key: string): Promise<IdempotencyKeyEntity | undefined> {
  return engine.database.read(async (sql) => (await new DbSession(sql, null).select(IDEMPOTENCY_KEY, 'user_id = $1 AND request_key = $2', [userId, key]))[0]);
}

/** Keeps the answer for replay, and forgets this caller's answers older than a day. */
async function keepAnswer(engine: ProcessEngine, userId: string, key: string, answer: Answer): Promise<void> {
  const response = answer.body === undefined ? null : JSON.stringify(answer.body);
  const expired = formatTimestamp(new Date(engine.environment.clock.now().getTime() - KEPT_MS));
  await engine.database.transaction(async (sql) => {
    await sql.execute('UPDATE idempotency_key SET status = $1, response = $2 WHERE user_id = $3 AND request_key = $4', [answer.status, response, userId, key]);
    await sql.execute('DELETE FROM idempotency_key WHERE user_id = $1 AND created < $2', [userId, expired]);
  });
}
