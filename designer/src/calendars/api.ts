/**
 * The working calendar's server calls (`/api/calendar`): the weekly rule and hours, a year's
 * holidays and make-up working days (调休), and the due-time preview. A tenant's own calendar is
 * named by `tenantId` (default: the caller's), the platform default by `shared=true`.
 */
import { http, type Query } from '../api';

export type Owner = { shared: true } | { tenantId?: string };

export interface CalendarRule {
  name: string;
  timeZone: string;
  /** ISO weekdays, 1 = Monday */
  workDays: number[];
  workHours: [string, string][];
}

export interface CalendarView extends CalendarRule {
  id: string | null;
  tenantId: string | null;
  /** the tenant's own, the platform default, or the built-in Monday–Friday 09:00–17:00 */
  source: 'tenant' | 'default' | 'built-in';
  workingDayMs: number;
  updated: string | null;
  updatedBy: string | null;
}

export interface CalendarDay {
  day: string;
  kind: 'holiday' | 'workday';
  name: string | null;
}

export interface DuePreview {
  start: string;
  due: string;
  limitMs: number;
  source: string;
}

const ownerQuery = (owner: Owner): Query => ('shared' in owner ? { shared: true } : { tenantId: owner.tenantId });

export const getCalendar = (owner: Owner) => http.get<CalendarView>('/calendar', ownerQuery(owner));
export const saveCalendar = (owner: Owner, rule: CalendarRule) => http.put<CalendarView>('/calendar', rule, { query: ownerQuery(owner) });
export const calendarDays = (owner: Owner, year: number) => http.get<CalendarDay[]>('/calendar/days', { ...ownerQuery(owner), year });
export const saveCalendarDays = (owner: Owner, year: number, days: CalendarDay[]) =>
  http.put<{ holidays: number; workdays: number }>(`/calendar/days/${year}`, { days }, { query: ownerQuery(owner) });
export const previewDue = (owner: Owner, limit: string, start?: string) => http.get<DuePreview>('/calendar/due', { ...ownerQuery(owner), limit, start });
