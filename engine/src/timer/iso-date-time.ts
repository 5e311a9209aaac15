import { DateTime } from 'luxon';
import { TimerSyntaxError } from './errors.js';

// luxon also reads a bare time ('10:00') as today at that time, which would make the due date
// depend on the day the definition is parsed: require the date part.
const STARTS_WITH_A_YEAR = /^[+-]?\d{4}/;

/**
 * An ISO 8601 date-time (`2026-11-24T10:00:00`, `…+08:00`, `…Z`, fractional seconds) or date
 * (`2026-11-24`, its midnight). Without an offset it is local time in `zone`; the result is in
 * `zone` either way, so calendar arithmetic on it follows that zone.
 */
export function parseDateTime(text: string, zone: string): DateTime {
  const parsed = STARTS_WITH_A_YEAR.test(text) ? DateTime.fromISO(text, { zone }) : null;
  if (!parsed?.isValid) throw new TimerSyntaxError(`'${text}' is not a valid ISO 8601 date-time`);
  return parsed;
}
