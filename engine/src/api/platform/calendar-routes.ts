import {
  addWorkingTime,
  calendarDays,
  calendarView,
  forgetCalendars,
  loadCalendar,
  LOCAL_DATE,
  parseTimeLimit,
  ReplaceCalendarDaysCmd,
  SaveCalendarCmd,
  TIME_OF_DAY,
  TimeLimitFormatError,
  type AppliedCalendar,
  type CalendarDayInput,
  type CalendarRule,
  type WritableOwner,
} from '../../calendar/index.js';
import type { Command } from '../../command/index.js';
import { BadUserRequestError } from '../../errors/index.js';
import { requireTenant } from '../../identity/organisation/rules.js';
import type { DbSession } from '../../persistence/index.js';
import { adminCalls, type AdminRouteDeps } from './admin-calls.js';
import { DATE_TIME, NAME, TENANT_ID } from './admin-schemas.js';
import type { ApiCall, ApiRoutes, JsonSchema } from './routes.js';

/** Which calendar: `tenantId` a tenant's, `shared=true` the platform default; neither: the caller's tenant's. */
interface OwnerQuery {
  readonly tenantId?: string;
  readonly shared?: boolean;
}

const OWNER_QUERY: Record<string, JsonSchema> = {
  tenantId: TENANT_ID,
  shared: { type: 'boolean', description: "the platform default calendar (tenants without their own use it), not a tenant's own" },
};
const TIME: JsonSchema = { type: 'string', pattern: TIME_OF_DAY.source, description: 'local time HH:mm' };
const RULE: JsonSchema = {
  type: 'object',
  required: ['name', 'timeZone', 'workDays', 'workHours'],
  additionalProperties: false,
  properties: {
    name: NAME,
    timeZone: { type: 'string', maxLength: 64, description: 'IANA zone, e.g. Asia/Shanghai' },
    workDays: { type: 'array', maxItems: 7, items: { type: 'integer', minimum: 1, maximum: 7 }, description: 'ISO weekdays, 1 = Monday' },
    workHours: {
      type: 'array', minItems: 1, maxItems: 12, description: 'working intervals of a day, not overlapping: [["08:30","12:00"],["14:30","17:30"]]',
      items: { type: 'array', minItems: 2, maxItems: 2, items: TIME },
    },
  },
};
const DAY: JsonSchema = {
  type: 'object',
  required: ['day', 'kind'],
  additionalProperties: false,
  properties: {
    day: { type: 'string', pattern: LOCAL_DATE.source, description: 'yyyy-MM-dd' },
    kind: { type: 'string', enum: ['holiday', 'workday'], description: 'holiday: a working weekday off; workday: a make-up working day (调休) on a day off' },
    name: { type: 'string', maxLength: 255, nullable: true },
  },
};
const YEAR: JsonSchema = { type: 'integer', minimum: 1970, maximum: 2100 };
const CALENDAR: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', nullable: true }, tenantId: { type: 'string', nullable: true },
    source: { type: 'string', enum: ['tenant', 'default', 'built-in'], description: "where it came from: the tenant's own, the platform default, or the built-in Monday–Friday 09:00–17:00" },
    name: { type: 'string' }, timeZone: { type: 'string' }, workDays: { type: 'array', items: { type: 'integer' } },
    workHours: { type: 'array', items: { type: 'array', items: { type: 'string' } } },
    workingDayMs: { type: 'integer', description: 'what one day of a P1D time limit counts' },
    updated: { type: 'string', format: 'date-time', nullable: true }, updatedBy: { type: 'string', nullable: true },
  },
};
const DAY_VIEW: JsonSchema = { type: 'object', properties: { day: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string', nullable: true } } };

/**
 * `/api/calendar`: the working calendar deadlines are counted on. A tenant uses its own calendar,
 * else the platform default (kept by the platform administrator with `shared=true`), else the
 * built-in one. Writes are one audited command each and apply at once on this process.
 */
export function registerCalendarRoutes(routes: ApiRoutes, deps: AdminRouteDeps): void {
  const calls = adminCalls(deps);
  const tag = 'calendar';
  const applied = (call: ApiCall<OwnerQuery, unknown>) => calls.read(call, (session) => appliedCalendar(session, call));
  const change = async <T>(call: ApiCall<unknown, unknown>, command: Command<T>): Promise<T> => {
    const result = await calls.change(call, command);
    // the command forgot the cached calendars before its commit; a read in between may have cached the old one again
    forgetCalendars(deps.engine.environment);
    return result;
  };
  routes.add<OwnerQuery, unknown>({
    method: 'get', path: '/calendar', tag, permission: 'calendar:read', summary: "the working calendar that applies to the caller's tenant (or the one named), and where it comes from",
    query: { type: 'object', properties: OWNER_QUERY },
    response: CALENDAR,
    handle: async (call) => calendarView(await applied(call)),
  });
  routes.add<OwnerQuery, CalendarRule>({
    method: 'put', path: '/calendar', tag, permission: 'calendar:write', summary: "set the weekly working days, working hours, zone and name of the tenant's own calendar (or the default: shared=true)",
    query: { type: 'object', properties: OWNER_QUERY },
    body: RULE,
    response: CALENDAR,
    handle: async (call) => {
      await change(call, new SaveCalendarCmd(writableOwner(call), call.body));
      return calendarView(await applied(call));
    },
  });
  routes.add<OwnerQuery & { year: number }, unknown>({
    method: 'get', path: '/calendar/days', tag, permission: 'calendar:read', summary: 'the holidays and make-up working days (调休) of a year of the calendar that applies',
    query: { type: 'object', required: ['year'], properties: { ...OWNER_QUERY, year: YEAR } },
    response: { type: 'array', items: DAY_VIEW },
    handle: (call) =>
      calls.read(call, async (session) => {
        const { row } = await appliedCalendar(session, call);
        return row ? calendarDays(session, row.id, call.query.year) : [];
      }),
  });
  routes.add<OwnerQuery, { days: CalendarDayInput[] }>({
    method: 'put', path: '/calendar/days/{year}', tag, permission: 'calendar:write',
    summary: "replace a year's holidays and make-up working days (调休) of the tenant's own calendar (or the default: shared=true), all or nothing",
    query: { type: 'object', properties: OWNER_QUERY },
    body: { type: 'object', required: ['days'], additionalProperties: false, properties: { days: { type: 'array', maxItems: 366, items: DAY } } },
    response: { type: 'object', properties: { holidays: { type: 'integer' }, workdays: { type: 'integer' } } },
    handle: (call) => change(call, new ReplaceCalendarDaysCmd(writableOwner(call), yearOf(call), call.body.days)),
  });
  routes.add<OwnerQuery & { start?: string; limit: string }, unknown>({
    method: 'get', path: '/calendar/due', tag, permission: 'calendar:read',
    summary: "when a time limit started at `start` (default now) falls due on the calendar that applies: the designer's preview",
    query: {
      type: 'object', required: ['limit'],
      properties: { ...OWNER_QUERY, start: { type: 'string', maxLength: 64, description: 'ISO 8601 date-time; default now' }, limit: { type: 'string', maxLength: 64, description: 'PT4H, P2D (working days) or a number of working hours' } },
    },
    response: {
      type: 'object',
      properties: { start: DATE_TIME, due: DATE_TIME, limitMs: { type: 'integer' }, source: { type: 'string' } },
    },
    handle: async (call) => {
      const start = call.query.start ? new Date(call.query.start) : deps.engine.environment.clock.now();
      if (Number.isNaN(start.getTime())) throw new BadUserRequestError(`start '${call.query.start}' is not a date-time`);
      const { calendar, source } = await applied(call);
      const limitMs = parseLimit(calendar, call.query.limit);
      return { start, due: addWorkingTime(calendar, start, limitMs), limitMs, source };
    },
  });
}

function parseLimit(calendar: AppliedCalendar['calendar'], limit: string): number {
  try {
    const limitMs = parseTimeLimit(calendar, limit);
    if (limitMs === null) throw new TimeLimitFormatError(limit);
    return limitMs;
  } catch (error) {
    if (error instanceof TimeLimitFormatError) throw new BadUserRequestError(`limit: ${error.message}`);
    throw error;
  }
}

/** The calendar the query means; a tenant the caller cannot see is a 404, not a silent fallback to the default. */
async function appliedCalendar(session: DbSession, call: ApiCall<OwnerQuery, unknown>): Promise<AppliedCalendar> {
  const { tenantId, shared } = call.query;
  if (tenantId !== undefined && shared) throw new BadUserRequestError('tenantId 与 shared=true 只能指定其一 (name a tenant or ask for the default calendar, not both)');
  if (shared) return loadCalendar(session, null);
  if (tenantId !== undefined) await requireTenant(session, tenantId);
  return loadCalendar(session, tenantId ?? call.principal.tenantId);
}

function writableOwner(call: ApiCall<OwnerQuery, unknown>): WritableOwner {
  const { tenantId, shared } = call.query;
  if (tenantId !== undefined && shared) throw new BadUserRequestError('tenantId 与 shared=true 只能指定其一 (name a tenant or ask for the default calendar, not both)');
  return shared ? { kind: 'shared' } : { kind: 'tenant', tenantId: tenantId ?? call.principal.tenantId };
}

function yearOf(call: ApiCall<unknown, unknown>): number {
  const year = Number(call.params.year);
  if (!Number.isInteger(year) || year < 1970 || year > 2100) throw new BadUserRequestError(`year '${call.params.year}' is not a year between 1970 and 2100`);
  return year;
}
