import { Cron } from 'croner';
import { TimerSyntaxError } from './errors.js';
import type { TimerSchedule } from './types.js';

// Quartz (Camunda 7's cron): seconds first, optional year, SUN=1 … SAT=7, and steps without a
// range such as '0/15' or '/15'.
const QUARTZ_OPTIONS = { mode: '6-or-7-parts', alternativeWeekdays: true, sloppyRanges: true } as const;

const DAY_OF_MONTH = 3;
const DAY_OF_WEEK = 5;
const ANY_DAY = new Set(['*', '?']);

// Before any year Quartz accepts (1970-2199), in every time zone.
const BEFORE_ALL_OCCURRENCES = new Date(Date.UTC(1969, 11, 31));

/**
 * `timeCycle` as a Quartz cron expression, evaluated by croner in `zone`. Like Quartz, each due
 * date is the first occurrence strictly after the later of the previous due date and now.
 */
export function parseCron(text: string, zone: string): TimerSchedule {
  const cron = compileCron(text, zone);
  return {
    type: 'timeCycle',
    repeating: true,
    firstDue: (createdAt) => {
      const due = cron.nextRun(createdAt);
      if (!due) throw new RangeError(`'${text}' has no occurrence after ${createdAt.toISOString()}`);
      return due;
    },
    nextDue: (previousDue, now) => cron.nextRun(new Date(Math.max(previousDue.getTime(), now.getTime()))),
  };
}

function compileCron(text: string, zone: string): Cron {
  checkFields(text.split(/\s+/), text);
  const cron = newQuartzCron(text, zone);
  if (!cron.nextRun(BEFORE_ALL_OCCURRENCES)) throw new TimerSyntaxError(`'${text}' is a cron expression that never fires`);
  return cron;
}

function newQuartzCron(text: string, zone: string): Cron {
  try {
    return new Cron(text, { ...QUARTZ_OPTIONS, timezone: zone });
  } catch (error) {
    throw new TimerSyntaxError(`'${text}' is not a valid cron expression: ${reasonOf(error)}`, { cause: error });
  }
}

function checkFields(fields: readonly string[], text: string): void {
  if (fields.length !== 6 && fields.length !== 7) {
    throw new TimerSyntaxError(
      `'${text}' is neither an ISO 8601 repeating interval (R[n]/…) nor a cron expression ` +
        '(6 or 7 fields: second minute hour day-of-month month day-of-week [year])',
    );
  }
  // Quartz refuses a day of month together with a day of week; croner would fire on either day
  // (Vixie cron's OR), a meaning no Camunda definition has.
  if (!ANY_DAY.has(fields[DAY_OF_MONTH]) && !ANY_DAY.has(fields[DAY_OF_WEEK])) {
    throw new TimerSyntaxError(`'${text}' restricts both the day of month and the day of week: use '?' in one of them`);
  }
}

// croner prefixes its messages with the class that threw ('CronPattern: …')
function reasonOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/^Cron\w*: /, '');
}
