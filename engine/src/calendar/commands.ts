import type { Command, CommandContext } from '../command/index.js';
import { BadUserRequestError, ForbiddenError, NotFoundError } from '../errors/index.js';
import { targetTenant } from '../identity/organisation/rules.js';
import { WORK_CALENDAR, WORK_CALENDAR_DAY, type WorkCalendarEntity } from '../persistence/index.js';
import { findOwnCalendar, forgetCalendars, type CalendarOwner } from './store.js';
import { dayProblems, ruleProblems, sortedHours, type CalendarDayInput, type CalendarRule } from './validation.js';

/** Who a calendar write is for: the platform default, or one tenant's own calendar. */
export type WritableOwner = Exclude<CalendarOwner, { kind: 'applies-in' }>;

/**
 * Creates or changes the weekly rule, hours, zone and name of a tenant's calendar, or of the
 * platform default (only a caller who sees every tenant). Dated exceptions already stored stay.
 */
export class SaveCalendarCmd implements Command<WorkCalendarEntity> {
  readonly name = 'SaveCalendar';

  constructor(
    private readonly owner: WritableOwner,
    private readonly rule: CalendarRule,
  ) {}

  async execute(context: CommandContext): Promise<WorkCalendarEntity> {
    const tenantId = await writableTenant(context, this.owner);
    const problems = ruleProblems(this.rule);
    if (problems.length > 0) throw new BadUserRequestError(problems.join('; '));
    const fields = {
      name: this.rule.name, timeZone: this.rule.timeZone, workDays: [...this.rule.workDays].sort((a, b) => a - b), workHours: sortedHours(this.rule.workHours),
      updated: context.now(), updatedBy: context.userId,
    };
    const existing = await findOwnCalendar(context.session, this.owner);
    const calendar = existing ? Object.assign(existing, fields) : context.session.insert(WORK_CALENDAR, { id: context.newId(), rev: 1, tenantId, ...fields });
    context.audit({
      action: existing ? 'calendar.update' : 'calendar.create', objectType: 'work_calendar', objectId: calendar.id, ...auditTenant(tenantId),
      detail: { name: fields.name, timeZone: fields.timeZone, workDays: fields.workDays, workHours: fields.workHours },
    });
    forgetCalendars(context.environment);
    return calendar;
  }
}

/**
 * Replaces one year's holidays and make-up working days (调休) of a stored calendar, all or
 * nothing. The calendar's revision moves, so two concurrent replacements cannot both commit.
 */
export class ReplaceCalendarDaysCmd implements Command<{ holidays: number; workdays: number }> {
  readonly name = 'ReplaceCalendarDays';

  constructor(
    private readonly owner: WritableOwner,
    private readonly year: number,
    private readonly days: readonly CalendarDayInput[],
  ) {}

  async execute(context: CommandContext): Promise<{ holidays: number; workdays: number }> {
    await writableTenant(context, this.owner);
    const calendar = await findOwnCalendar(context.session, this.owner);
    if (!calendar) {
      throw new NotFoundError(
        this.owner.kind === 'shared'
          ? '平台默认日历不存在 (there is no platform default calendar yet: PUT /api/calendar?shared=true first)'
          : `租户 ${this.owner.tenantId} 没有自己的工作日历 (tenant ${this.owner.tenantId} has no calendar of its own: PUT /api/calendar first)`,
      );
    }
    const problems = dayProblems(calendar.workDays, this.year, this.days);
    if (problems.length > 0) throw new BadUserRequestError(problems.join('; '));
    // removed row by row: the flush sends its statements in no particular order, so a DELETE by year could remove the new rows too
    const previous = await context.session.select(WORK_CALENDAR_DAY, 'calendar_id = $1 AND day LIKE $2', [calendar.id, `${this.year}-%`]);
    for (const day of previous) context.session.delete(WORK_CALENDAR_DAY, day);
    for (const { day, kind, name } of this.days) {
      context.session.insert(WORK_CALENDAR_DAY, { id: context.newId(), calendarId: calendar.id, tenantId: calendar.tenantId, day, kind, name: name ?? null });
    }
    Object.assign(calendar, { rev: calendar.rev + 1, updated: context.now(), updatedBy: context.userId });
    const summary = { holidays: this.days.filter((d) => d.kind === 'holiday').length, workdays: this.days.filter((d) => d.kind === 'workday').length };
    context.audit({ action: 'calendar.days', objectType: 'work_calendar', objectId: calendar.id, ...auditTenant(calendar.tenantId), detail: { year: this.year, ...summary } });
    forgetCalendars(context.environment);
    return summary;
  }
}

/** The tenant a write goes to (null: the default), once the caller may write there; a tenant they cannot see is a 404. */
async function writableTenant(context: CommandContext, owner: WritableOwner): Promise<string | null> {
  if (owner.kind === 'tenant') return (await targetTenant(context, owner.tenantId)).id;
  if (context.actor?.scope) {
    throw new ForbiddenError('平台默认日历由平台管理员维护 (the platform default calendar is kept by the platform administrator; save a calendar of your own tenant instead)');
  }
  return null;
}

function auditTenant(tenantId: string | null): { tenantId?: string } {
  return tenantId === null ? {} : { tenantId };
}
