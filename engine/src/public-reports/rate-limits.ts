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
/** One lookup in this many also prunes every client's expired events (each lookup prunes its own client's). */
const PRUNE_ALL_ONE_IN = 50;

/** Who submits: the client address koa reports (`ctx.ip`) and the phone number the report gives. */
export interface Submitter {
  readonly address: string;
  readonly phone: string | null;
}

/**
 * Refuses a report beyond the limits, counting the reports already stored: per client address
 * in the last hour, per phone number in the last day. Counted in the database, so every engine
 * process counts the same reports; run in the command that stores the report. Two submissions of
 * one client at the very same moment on two MariaDB connections may both pass the last free place.
 */
export async function refuseReportOverLimits(session: DbSession, submitter: Submitter, settings: PublicReportSettings, now: Date, language: FormLanguage): Promise<void> {
  const reports = (column: string, value: string): Counted<PublicReportEntity> => ({ table: PUBLIC_REPORT, column, value, timeColumn: 'submitted_at', timeOf: (report) => report.submittedAt });
  await refuseOver(session, reports('client_address', submitter.address), { limit: settings.reportsPerHourPerAddress, windowMs: HOUR_MS }, now, (seconds) =>
    say(language, `本网络地址提交过于频繁，请 ${seconds} 秒后再试`, `Too many reports from your network address; try again in ${seconds} s`),
  );
  if (submitter.phone === null) return;
  await refuseOver(session, reports('reporter_phone', submitter.phone), { limit: settings.reportsPerDayPerPhone, windowMs: DAY_MS }, now, (seconds) =>
    say(language, `该手机号码 24 小时内提交次数已达上限，请 ${seconds} 秒后再试`, `Too many reports with this phone number in the last 24 hours; try again in ${seconds} s`),
  );
}

/**
 * Counts one status lookup or rating of a client address, or refuses it (nothing written) when
 * the address made its limit of them in the last minute. Expired events are pruned as it goes.
 */
export class CountLookupCmd implements Command<void> {
  readonly name = 'CountPublicLookup';

  constructor(
    private readonly address: string,
    private readonly settings: PublicReportSettings,
    private readonly language: FormLanguage,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const { session } = context;
    const now = context.now();
    const bucket = `lookup:${this.address}`.slice(0, 128);
    const events: Counted<PublicRateEventEntity> = { table: PUBLIC_RATE_EVENT, column: 'bucket', value: bucket, timeColumn: 'time', timeOf: (event) => event.time };
    await refuseOver(session, events, { limit: this.settings.lookupsPerMinutePerAddress, windowMs: MINUTE_MS }, now, (seconds) =>
      say(this.language, `查询过于频繁，请 ${seconds} 秒后再试`, `Too many lookups from your network address; try again in ${seconds} s`),
    );
    session.insert(PUBLIC_RATE_EVENT, { id: context.newId(), bucket, time: now });
    const expired = formatTimestamp(new Date(now.getTime() - MINUTE_MS));
    session.addStatement('DELETE FROM public_rate_event WHERE bucket = $1 AND time <= $2', [bucket, expired]);
    if (Math.random() * PRUNE_ALL_ONE_IN < 1) session.addStatement('DELETE FROM public_rate_event WHERE time <= $1', [expired]);
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
