import type { CommandContext } from '../command/index.js';
import { findOwnCalendar, sortedHours } from '../calendar/index.js';
import { WORK_CALENDAR, WORK_CALENDAR_DAY } from '../persistence/index.js';
import type { CalendarSeed } from './seed-data.js';

/**
 * Creates the platform's default calendar with its dated exceptions when there is none; a default
 * that exists is left exactly as the administrators keep it, its days included.
 */
export async function createDefaultCalendar(context: CommandContext, seed: CalendarSeed | null): Promise<number> {
  if (!seed || (await findOwnCalendar(context.session, { kind: 'shared' }))) return 0;
  const calendar = context.session.insert(WORK_CALENDAR, {
    id: context.newId(), rev: 1, tenantId: null, name: seed.name, timeZone: seed.timeZone, workDays: [...seed.workDays].sort((a, b) => a - b),
    workHours: sortedHours(seed.workHours), updated: context.now(), updatedBy: null,
  });
  for (const { day, kind, name } of seed.days) {
    context.session.insert(WORK_CALENDAR_DAY, { id: context.newId(), calendarId: calendar.id, tenantId: null, day, kind, name: name ?? null });
  }
  return 1;
}
