import { DateTime, IANAZone } from 'luxon';
import { minutesOf, type CalendarDayKind } from './working-time.js';

/** The weekly rule and hours of a calendar, as an administrator or a seed file gives them. */
export interface CalendarRule {
  readonly name: string;
  readonly timeZone: string;
  readonly workDays: readonly number[];
  readonly workHours: readonly (readonly [string, string])[];
}

export interface CalendarDayInput {
  /** yyyy-MM-dd */
  readonly day: string;
  readonly kind: CalendarDayKind;
  readonly name?: string | null;
}

export const TIME_OF_DAY = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
export const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What is wrong with a weekly rule, each problem a sentence: an unknown zone, a weekday outside
 * 1–7 or twice, hours not "HH:mm", an interval ending before it starts, intervals overlapping.
 * The hours come back in order.
 */
export function ruleProblems(rule: CalendarRule): string[] {
  const problems: string[] = [];
  if (!IANAZone.isValidZone(rule.timeZone)) problems.push(`时区 ${rule.timeZone} 未知 (the time zone '${rule.timeZone}' is no IANA zone, e.g. Asia/Shanghai)`);
  const badDays = rule.workDays.filter((day) => !Number.isInteger(day) || day < 1 || day > 7);
  if (badDays.length > 0) problems.push(`workDays must be ISO weekdays 1 (Monday) to 7 (Sunday), not ${badDays.join(', ')}`);
  if (new Set(rule.workDays).size !== rule.workDays.length) problems.push('workDays lists a weekday twice');
  if (rule.workHours.length === 0) problems.push('workHours must hold at least one interval, e.g. ["08:30", "12:00"]');
  const malformed = rule.workHours.filter(([start, end]) => !TIME_OF_DAY.test(start) || !TIME_OF_DAY.test(end));
  for (const [start, end] of malformed) problems.push(`工作时段 ${start}-${end} 格式错误 (working hours ${start}-${end} are not two "HH:mm" times)`);
  if (malformed.length > 0) return problems;
  for (const [start, end] of rule.workHours) {
    if (minutesOf(end) <= minutesOf(start)) problems.push(`工作时段 ${start}-${end} 结束早于开始 (working hours ${start}-${end} end before they start)`);
  }
  const sorted = sortedHours(rule.workHours);
  for (let i = 1; i < sorted.length; i += 1) {
    const [previous, next] = [sorted[i - 1] as readonly [string, string], sorted[i] as readonly [string, string]];
    if (minutesOf(next[0]) < minutesOf(previous[1])) {
      problems.push(`工作时段 ${previous.join('-')} 与 ${next.join('-')} 重叠 (working hours ${previous.join('-')} and ${next.join('-')} overlap)`);
    }
  }
  return problems;
}

export function sortedHours(hours: readonly (readonly [string, string])[]): [string, string][] {
  return [...hours].map(([start, end]): [string, string] => [start, end]).sort((a, b) => minutesOf(a[0]) - minutesOf(b[0]));
}

/**
 * What is wrong with one year's exceptions under a weekly rule, each naming the date: not a date,
 * outside the year, listed twice, a holiday on a day the rule has off anyway, a make-up working
 * day on a day the rule works anyway.
 */
export function dayProblems(workDays: readonly number[], year: number, days: readonly CalendarDayInput[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { day, kind } of days) {
    const date = LOCAL_DATE.test(day) ? DateTime.fromISO(day, { zone: 'UTC' }) : null;
    if (!date?.isValid) {
      problems.push(`${day}: not a date (yyyy-MM-dd)`);
      continue;
    }
    if (date.year !== year) problems.push(`${day}: 不在 ${year} 年 (outside the year ${year})`);
    if (seen.has(day)) problems.push(`${day}: 重复 (listed twice)`);
    seen.add(day);
    const worksByRule = workDays.includes(date.weekday);
    if (kind === 'holiday' && !worksByRule) problems.push(`${day}: 节假日落在非工作日 (a holiday on a day the weekly rule has off anyway)`);
    if (kind === 'workday' && worksByRule) problems.push(`${day}: 调休上班日落在工作日 (a make-up working day on a day the weekly rule works anyway)`);
  }
  return problems;
}
