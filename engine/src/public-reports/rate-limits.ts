import { createHash } from 'node:crypto';
import type { Command, CommandContext } from '../command/index.js';
import type { PublicReportSettings } from '../config/index.js';
import type { FormLanguage } from '../forms/index.js';
import { formatTimestamp, type DbSession, type Table } from '../persistence/index.js';
import { RateLimitExceededError } from './errors.js';
import { PUBLIC_RATE_EVENT, PUBLIC_REPORT, type PublicRateEventEntity, type PublicReportEntity } from './tables.js';
import { say } from './text.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** One counted request in this many also prunes every client's expired events and idle buckets (each prunes its own client's events). */
const PRUNE_ALL_ONE_IN = 50;

/** Who submits: the client (its counted key, see clientAddress) and the phone number the report gives. */
export interface Submitter {
  readonly address: string;
  readonly phone: string | null;
}

/** What a limit of counted requests counts, per client, over which window. */
export type RequestKind = 'lookup' | 'report-attempt';

/**
 * The limits of one client: an address of the anonymous portal (the configured settings), or an
 * API client of the channel (its own figures: it speaks for many citizens from one server).
 */
export interface ClientLimits {
  /** reports the client may submit in an hour */
  readonly reportsPerHour: number;
  /** report attempts in an hour, refused ones too */
  readonly attemptsPerHour: number;
  /** status lookups and ratings in a minute */
  readonly lookupsPerMinute: number;
  /** reports naming one phone number in a day, whichever client sent them */
  readonly reportsPerDayPerPhone: number;
}

/** The limits of an address of the anonymous portal. */
export function addressLimits(settings: PublicReportSettings): ClientLimits {
  return {
    reportsPerHour: settings.reportsPerHourPerAddress,
    attemptsPerHour: settings.attemptsPerHourPerAddress,
    lookupsPerMinute: settings.lookupsPerMinutePerAddress,
    reportsPerDayPerPhone: settings.reportsPerDayPerPhone,
  };
}

/**
 * Serialises the count-then-insert of one bucket: on MariaDB the bucket's row is upserted as the
 * command's next statement, which locks it until the command commits or rolls back, so a second
 * command counting the same bucket waits and then counts what the first wrote (READ COMMITTED).
 * SQLite runs every writing command in one write transaction after another: nothing to lock.
 */
export async function lockBucket(context: CommandContext, bucket: string): Promise<void> {
  if (context.environment.dialect !== 'mariadb') return;
  const now = formatTimestamp(context.now());
  await context.session.sql.execute(
    'INSERT INTO public_rate_bucket (bucket, rev, updated) VALUES ($1, 1, $2) ON DUPLICATE KEY UPDATE rev = rev + 1, updated = $3',
    [bucket.slice(0, 128), now, now],
  );
}

/** The buckets of a report's limits, locked in this order (address, then phone) by every submission, so two never wait on each other. */
export async function lockReportBuckets(context: CommandContext, submitter: Submitter): Promise<void> {
  await lockBucket(context, `report:${submitter.address}`);
  // the lock table need not hold phone numbers: a hash names the bucket
  if (submitter.phone !== null) await lockBucket(context, `phone:${createHash('sha256').update(submitter.phone).digest('hex').slice(0, 40)}`);
}

/**
 * Refuses a report beyond the limits, counting the reports already stored: per client (address or
 * API client) in the last hour, per phone number in the last day. Counted in the database, so every engine
 * process counts the same reports. In the storing command, after lockReportBuckets, so that of
 * submissions at the same moment no more pass than the limit allows. Both limits say the same
 * generic words: the answer tells nobody that a phone number has reported lately.
 */
export async function refuseReportOverLimits(session: DbSession, submitter: Submitter, limits: ClientLimits, now: Date, language: FormLanguage): Promise<void> {
  const reports = (column: string, value: string): Counted<PublicReportEntity> => ({ table: PUBLIC_REPORT, column, value, timeColumn: 'submitted_at', timeOf: (report) => report.submittedAt });
  const message = () => tooManyReports(language);
  await refuseOver(session, reports('client_address', submitter.address), { limit: limits.reportsPerHour, windowMs: HOUR_MS }, now, message);
  if (submitter.phone === null) return;
  await refuseOver(session, reports('reporter_phone', submitter.phone), { limit: limits.reportsPerDayPerPhone, windowMs: DAY_MS }, now, message);
}

function tooManyReports(language: FormLanguage): string {
  return say(language, '提交过于频繁，请稍后再试', 'Too many reports; please try again later');
}

/**
 * Counts one request of a client — a status lookup or rating (per minute), a report attempt (per
 * hour, counted before its body is read, so refused reports count too) — or refuses it (nothing
 * written) when the client made its limit of them in the window. Its own small command, with the
 * bucket locked first. Expired events are pruned as it goes.
 */
export class CountRequestCmd implements Command<void> {
  readonly name = 'CountPublicRequest';

  constructor(
    private readonly kind: RequestKind,
    private readonly client: string,
    private readonly limits: ClientLimits,
    private readonly language: FormLanguage,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const { session } = context;
    const now = context.now();
    const bucket = `${this.kind}:${this.client}`.slice(0, 128);
    await lockBucket(context, bucket);
    const lookup = this.kind === 'lookup';
    const window = lookup ? { limit: this.limits.lookupsPerMinute, windowMs: MINUTE_MS } : { limit: this.limits.attemptsPerHour, windowMs: HOUR_MS };
    const events: Counted<PublicRateEventEntity> = { table: PUBLIC_RATE_EVENT, column: 'bucket', value: bucket, timeColumn: 'time', timeOf: (event) => event.time };
    await refuseOver(session, events, window, now, (seconds) =>
      lookup ? say(this.language, `查询过于频繁，请 ${seconds} 秒后再试`, `Too many lookups from your network address; try again in ${seconds} s`) : tooManyReports(this.language),
    );
    session.insert(PUBLIC_RATE_EVENT, { id: context.newId(), bucket, time: now });
    session.addStatement('DELETE FROM public_rate_event WHERE bucket = $1 AND time <= $2', [bucket, formatTimestamp(new Date(now.getTime() - window.windowMs))]);
    if (Math.random() * PRUNE_ALL_ONE_IN < 1) {
      // everyone's events past the longest window of events, and buckets nobody counted for a day
      session.addStatement('DELETE FROM public_rate_event WHERE time <= $1', [formatTimestamp(new Date(now.getTime() - HOUR_MS))]);
      session.addStatement('DELETE FROM public_rate_bucket WHERE updated <= $1', [formatTimestamp(new Date(now.getTime() - DAY_MS))]);
    }
  }
}

interface Window {
  readonly limit: number;
  readonly windowMs: number;
}

/** What a limit counts: rows of `table` whose `column` holds `value`, by the time in `timeColumn` (names from this module, never from input). */
interface Counted<E extends { id: string }> {
  readonly table: Table<E>;
  readonly column: string;
  readonly value: string;
  readonly timeColumn: string;
  timeOf(row: E): Date;
}

/**
 * Throws RateLimitExceeded when `limit` counted rows fall in the window ending now; the client may
 * try again when the oldest of them leaves the window.
 */
async function refuseOver<E extends { id: string }>(session: DbSession, counted: Counted<E>, { limit, windowMs }: Window, now: Date, message: (seconds: number) => string): Promise<void> {
  const since = formatTimestamp(new Date(now.getTime() - windowMs));
  const { table, column, value, timeColumn } = counted;
  const recent = await session.select(table, `${column} = $1 AND ${timeColumn} > $2`, [value, since], `ORDER BY ${timeColumn} LIMIT ${limit}`);
  if (recent.length < limit) return;
  const oldest = counted.timeOf(recent[0] as E).getTime();
  const seconds = Math.max(1, Math.ceil((oldest + windowMs - now.getTime()) / 1000));
  throw new RateLimitExceededError(message(seconds), seconds);
}
