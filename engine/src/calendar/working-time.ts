import { DateTime, Duration } from 'luxon';

/** A date breaking the weekly rule: a public holiday on a working weekday, or a make-up working day (调休) on a weekend. */
export type CalendarDayKind = 'holiday' | 'workday';

/** A working calendar as the maths needs it: pure data, no rows. */
export interface WorkingCalendar {
  /** IANA zone the working hours and dates are in */
  readonly timeZone: string;
  /** ISO weekdays that are working days unless `days` says otherwise (1 = Monday) */
  readonly workDays: readonly number[];
  /** local [start, end) times "HH:mm", in order, not overlapping */
  readonly workHours: readonly (readonly [string, string])[];
  /** exceptions by local date yyyy-MM-dd */
  readonly days: ReadonlyMap<string, CalendarDayKind>;
}

/** What a tenant without any stored calendar works by: Monday to Friday, 09:00–17:00, China time. */
export const BUILT_IN_CALENDAR: WorkingCalendar = {
  timeZone: 'Asia/Shanghai',
  workDays: [1, 2, 3, 4, 5],
  workHours: [['09:00', '17:00']],
  days: new Map(),
};

/** A calendar without a single working day in this many days is refused rather than searched forever. */
const SEARCH_LIMIT_DAYS = 3660;

/** Minutes after midnight of "HH:mm" ("24:00" is the end of the day). */
export function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return (hours as number) * 60 + (minutes as number);
}

/** Working milliseconds of a standard working day: what one day of a `P2D` time limit counts. */
export function workingDayMs(calendar: WorkingCalendar): number {
  return calendar.workHours.reduce((sum, [start, end]) => sum + (minutesOf(end) - minutesOf(start)) * 60_000, 0);
}

export function isWorkingDay(calendar: WorkingCalendar, date: DateTime): boolean {
  const exception = calendar.days.get(date.toISODate() as string);
  if (exception) return exception === 'workday';
  return calendar.workDays.includes(date.weekday);
}

/** One local date of a calendar: where it starts and ends, and its working intervals, as instants in epoch milliseconds. */
interface LocalDay {
  readonly start: number;
  readonly end: number;
  /** [start, end) of each working interval; none on a day off */
  readonly intervals: readonly (readonly [number, number])[];
}

/**
 * Local days already worked out, per calendar object (a calendar is loaded once and cached, see
 * store.ts): every completion writes a timeline entry with the task's working time, and the zone
 * arithmetic of a day costs more than the rest of the entry, so each day is computed once.
 */
const localDays = new WeakMap<WorkingCalendar, Map<number, LocalDay>>();
/** Most days a calendar keeps: a few years of activity. */
const MAX_CACHED_DAYS = 2000;

/** The local day that `day` (a start of day in the calendar's zone) is. */
function localDay(calendar: WorkingCalendar, day: DateTime): LocalDay {
  let days = localDays.get(calendar);
  if (!days) localDays.set(calendar, (days = new Map()));
  const start = day.toMillis();
  const known = days.get(start);
  if (known) return known;
  if (days.size >= MAX_CACHED_DAYS) days.clear();
  const computed = {
    start,
    end: day.plus({ days: 1 }).toMillis(),
    intervals: isWorkingDay(calendar, day) ? calendar.workHours.map(([from, to]) => [localTime(day, from), localTime(day, to)] as const) : [],
  };
  days.set(start, computed);
  return computed;
}

/** The local days from the one holding `instant` on, as far as `visit` asks (it answers false to stop). */
function eachLocalDay(calendar: WorkingCalendar, instant: Date, visit: (day: LocalDay) => boolean): void {
  let day = dayHolding(calendar, instant.getTime());
  while (visit(day)) day = localDay(calendar, DateTime.fromMillis(day.end, { zone: calendar.timeZone }));
}

/** The last day asked for per calendar: most instants asked about are today. */
const lastDays = new WeakMap<WorkingCalendar, LocalDay>();

function dayHolding(calendar: WorkingCalendar, instant: number): LocalDay {
  const last = lastDays.get(calendar);
  if (last && instant >= last.start && instant < last.end) return last;
  const day = localDay(calendar, DateTime.fromMillis(instant, { zone: calendar.timeZone }).startOf('day'));
  lastDays.set(calendar, day);
  return day;
}

/** The instant of a local wall-clock time on a date, in the date's zone (a zone with daylight saving shifts with it). */
function localTime(day: DateTime, time: string): number {
  const minutes = minutesOf(time);
  if (minutes === 24 * 60) return day.plus({ days: 1 }).toMillis();
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 }).toMillis();
}

/**
 * The instant at which `ms` of working time have passed since `start`. A start outside working
 * hours counts from the next working moment; a due time that falls exactly on the end of an
 * interval is that end (12:00, not 14:30 after lunch).
 */
export function addWorkingTime(calendar: WorkingCalendar, start: Date, ms: number): Date {
  if (ms <= 0) return start;
  let remaining = ms;
  let due: number | null = null;
  let searched = 0;
  eachLocalDay(calendar, start, (day) => {
    for (const [intervalStart, intervalEnd] of day.intervals) {
      const from = Math.max(intervalStart, start.getTime());
      if (from >= intervalEnd) continue;
      if (remaining <= intervalEnd - from) {
        due = from + remaining;
        return false;
      }
      remaining -= intervalEnd - from;
    }
    searched += 1;
    return searched < SEARCH_LIMIT_DAYS;
  });
  if (due === null) throw new Error(`the working calendar has no working time in ${SEARCH_LIMIT_DAYS} days after ${start.toISOString()}`);
  return new Date(due);
}

/** Working milliseconds between two instants; 0 when `to` is not after `from` (time does not run backwards on a clock). */
export function workingTimeBetween(calendar: WorkingCalendar, from: Date, to: Date): number {
  if (to.getTime() <= from.getTime()) return 0;
  let total = 0;
  eachLocalDay(calendar, from, (day) => {
    for (const [intervalStart, intervalEnd] of day.intervals) {
      const overlap = Math.min(intervalEnd, to.getTime()) - Math.max(intervalStart, from.getTime());
      if (overlap > 0) total += overlap;
    }
    return day.end < to.getTime();
  });
  return total;
}

/**
 * A time limit in working milliseconds, from what a process or a dictionary item says: an ISO
 * 8601 duration counted in working time (`PT4H` four working hours, `P2D` two working days of
 * `workingDayMs` each), or a number of working hours (`8`, `"4.5"`). Null or an empty text: no
 * limit. Anything else (months, a negative number, words) is a `TimeLimitFormatError`.
 */
export function parseTimeLimit(calendar: WorkingCalendar, value: unknown): number | null {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) return null;
  const hours = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : null;
  if (hours !== null) {
    if (!Number.isFinite(hours) || hours <= 0) throw new TimeLimitFormatError(value);
    return Math.round(hours * 3_600_000);
  }
  if (typeof value !== 'string') throw new TimeLimitFormatError(value);
  const duration = Duration.fromISO(value.trim());
  if (!duration.isValid) throw new TimeLimitFormatError(value);
  const { years, months, weeks, days, hours: h, minutes, seconds, milliseconds } = duration.toObject();
  // a working month or week has no fixed length on a calendar with holidays: say days instead
  if (years || months || weeks) throw new TimeLimitFormatError(value);
  const ms = (days ?? 0) * workingDayMs(calendar) + Duration.fromObject({ hours: h ?? 0, minutes: minutes ?? 0, seconds: seconds ?? 0, milliseconds: milliseconds ?? 0 }).toMillis();
  if (ms <= 0) throw new TimeLimitFormatError(value);
  return Math.round(ms);
}

export class TimeLimitFormatError extends Error {
  constructor(readonly value: unknown) {
    super(
      `${JSON.stringify(value)} is no time limit: give an ISO 8601 duration in working time (PT4H, P2D; no weeks, months or years) or a positive number of working hours`,
    );
    this.name = 'TimeLimitFormatError';
  }
}
