export {
  addWorkingTime,
  BUILT_IN_CALENDAR,
  isWorkingDay,
  parseTimeLimit,
  TimeLimitFormatError,
  workingDayMs,
  workingTimeBetween,
  type CalendarDayKind,
  type WorkingCalendar,
} from './working-time.js';
export {
  calendarDays,
  calendarFor,
  calendarView,
  findOwnCalendar,
  forgetCalendars,
  loadCalendar,
  workingCalendarOf,
  type AppliedCalendar,
  type CalendarDayView,
  type CalendarOwner,
  type CalendarSource,
  type CalendarView,
} from './store.js';
export { dayProblems, ruleProblems, sortedHours, LOCAL_DATE, TIME_OF_DAY, type CalendarDayInput, type CalendarRule } from './validation.js';
export { ReplaceCalendarDaysCmd, SaveCalendarCmd, type WritableOwner } from './commands.js';
