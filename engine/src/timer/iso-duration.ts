import { Duration } from 'luxon';
import { TimerSyntaxError } from './errors.js';

// A fraction of a month or day has no calendar meaning (luxon would quietly turn P1.5M into
// 1 month and 15 days); Camunda's javax.xml duration allows a fraction in the seconds only.
const CALENDAR_UNITS = ['years', 'quarters', 'months', 'weeks', 'days'] as const;

/** A positive ISO 8601 duration: `PT5M`, `P1DT2H`, `P2W`, `PT0.5S`, `PT1.5H`. */
export function parseDuration(text: string): Duration {
  const duration = Duration.fromISO(text);
  if (!duration.isValid) throw new TimerSyntaxError(`'${text}' is not an ISO 8601 duration`);
  const amounts = Object.values(duration.toObject());
  if (amounts.some((amount) => amount < 0)) {
    throw new TimerSyntaxError(`'${text}' is negative: a timer needs a positive duration`);
  }
  if (amounts.every((amount) => amount === 0)) {
    throw new TimerSyntaxError(`'${text}' is zero: a timer needs a positive duration`);
  }
  if (CALENDAR_UNITS.some((unit) => !Number.isInteger(duration.get(unit)))) {
    throw new TimerSyntaxError(`'${text}' has a fraction of a calendar unit: only hours, minutes and seconds may be fractional`);
  }
  return duration;
}
