import type { CommandContext, EngineEnvironment } from '../command/index.js';
import { WORK_CALENDAR, WORK_CALENDAR_DAY, type DbSession, type WorkCalendarDayEntity, type WorkCalendarEntity } from '../persistence/index.js';
import { BUILT_IN_CALENDAR, workingDayMs, type WorkingCalendar } from './working-time.js';

/** Where the calendar that applies to a tenant came from: its own, the platform default (no tenant), or the built-in one. */
export type CalendarSource = 'tenant' | 'default' | 'built-in';

export interface AppliedCalendar {
  readonly calendar: WorkingCalendar;
  readonly source: CalendarSource;
  /** the stored calendar; null for the built-in one */
  readonly row: WorkCalendarEntity | null;
}

/**
 * Which calendar a request means, as for dictionaries: the platform default (`shared`), a
 * tenant's own, or the one that applies in a tenant (its own, else the default).
 */
export type CalendarOwner =
  | { readonly kind: 'shared' }
  | { readonly kind: 'tenant'; readonly tenantId: string }
  | { readonly kind: 'applies-in'; readonly tenantId: string | null };

/**
 * The calendar that applies in a tenant, read in one round trip: the tenant's own, else the
 * platform default (tenant_id null), else `BUILT_IN_CALENDAR`. A tenant does not inherit its
 * parent's calendar: a county that works like its city copies the city's or keeps the default.
 */
export async function loadCalendar(session: DbSession, tenantId: string | null): Promise<AppliedCalendar> {
  const owners = tenantId === null ? { where: 'tenant_id IS NULL', bind: [] } : { where: '(tenant_id = $1 OR tenant_id IS NULL)', bind: [tenantId] };
  const [calendars, days] = await session.selectMany<[WorkCalendarEntity, WorkCalendarDayEntity]>([
    { table: WORK_CALENDAR, where: owners.where, bind: owners.bind },
    { table: WORK_CALENDAR_DAY, where: `calendar_id IN (SELECT id FROM work_calendar WHERE ${owners.where})`, bind: owners.bind },
  ]);
  const own = calendars.find((row) => tenantId !== null && row.tenantId === tenantId);
  const row = own ?? calendars.find((calendar) => calendar.tenantId === null) ?? null;
  if (!row) return { calendar: BUILT_IN_CALENDAR, source: 'built-in', row: null };
  return { calendar: workingCalendarOf(row, days.filter((day) => day.calendarId === row.id)), source: own ? 'tenant' : 'default', row };
}

/** The stored calendar of exactly this owner (not a fallback), or null. */
export async function findOwnCalendar(session: DbSession, owner: Exclude<CalendarOwner, { kind: 'applies-in' }>): Promise<WorkCalendarEntity | null> {
  const rows = owner.kind === 'shared'
    ? await session.select(WORK_CALENDAR, 'tenant_id IS NULL', [])
    : await session.select(WORK_CALENDAR, 'tenant_id = $1', [owner.tenantId]);
  return rows[0] ?? null;
}

export function workingCalendarOf(row: WorkCalendarEntity, days: readonly WorkCalendarDayEntity[]): WorkingCalendar {
  return { timeZone: row.timeZone, workDays: row.workDays, workHours: row.workHours, days: new Map(days.map((day) => [day.day, day.kind])) };
}

/** How long this process keeps a tenant's calendar: other engine processes see a change within this time, this one at once. */
const CACHE_MS = 5_000;

interface CachedCalendar {
  readonly applied: AppliedCalendar;
  readonly loadedAt: number;
}

/** Per engine (tests open several in one process, each on its own database), by tenant. */
const caches = new WeakMap<EngineEnvironment, Map<string, CachedCalendar>>();

function cacheOf(environment: EngineEnvironment): Map<string, CachedCalendar> {
  let cache = caches.get(environment);
  if (!cache) caches.set(environment, (cache = new Map()));
  return cache;
}

/**
 * The calendar of a tenant for a command: every task creation and timeline entry asks for it, so
 * it is kept briefly per process. The calendar commands forget it when they change one (and the
 * routes again after their commit), so a change applies at once on this process.
 */
export async function calendarFor(context: CommandContext, tenantId: string | null): Promise<AppliedCalendar> {
  const cache = cacheOf(context.environment);
  const key = tenantId ?? '';
  const cached = cache.get(key);
  if (cached && performance.now() - cached.loadedAt < CACHE_MS) return cached.applied;
  const applied = await loadCalendar(context.session, tenantId);
  cache.set(key, { applied, loadedAt: performance.now() });
  return applied;
}

/** Drops this engine's cached calendars: a calendar changed. */
export function forgetCalendars(environment: EngineEnvironment): void {
  caches.get(environment)?.clear();
}

/** A calendar as the API shows it. */
export interface CalendarView {
  readonly id: string | null;
  readonly tenantId: string | null;
  readonly source: CalendarSource;
  readonly name: string;
  readonly timeZone: string;
  readonly workDays: readonly number[];
  readonly workHours: readonly (readonly [string, string])[];
  /** what one day of a `P2D` time limit counts */
  readonly workingDayMs: number;
  readonly updated: Date | null;
  readonly updatedBy: string | null;
}

export const BUILT_IN_CALENDAR_NAME = '内置日历 (built-in: Monday to Friday, 09:00-17:00)';

export function calendarView(applied: AppliedCalendar): CalendarView {
  const { calendar, source, row } = applied;
  return {
    id: row?.id ?? null,
    tenantId: row?.tenantId ?? null,
    source,
    name: row?.name ?? BUILT_IN_CALENDAR_NAME,
    timeZone: calendar.timeZone,
    workDays: calendar.workDays,
    workHours: calendar.workHours,
    workingDayMs: workingDayMs(calendar),
    updated: row?.updated ?? null,
    updatedBy: row?.updatedBy ?? null,
  };
}

export interface CalendarDayView {
  readonly day: string;
  readonly kind: 'holiday' | 'workday';
  readonly name: string | null;
}

/** The holidays and make-up working days of one year of a stored calendar, in date order. */
export async function calendarDays(session: DbSession, calendarId: string, year: number): Promise<CalendarDayView[]> {
  const rows = await session.select(WORK_CALENDAR_DAY, 'calendar_id = $1 AND day LIKE $2', [calendarId, `${year}-%`], 'ORDER BY day');
  return rows.map(({ day, kind, name }) => ({ day, kind, name }));
}
