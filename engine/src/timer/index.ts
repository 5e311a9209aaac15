/**
 * BPMN timer definitions as Camunda 7 reads them: parse once (at deploy time, to validate), then
 * ask the schedule for due dates. Pure: no clock, no database, no engine imports.
 */
import { parseTimeCycle } from './time-cycle.js';
import { parseTimeDate } from './time-date.js';
import { parseTimeDuration } from './time-duration.js';
import { resolveTimeZone } from './time-zone.js';
import type { TimerOptions, TimerSchedule, TimerType } from './types.js';

export { TimerSyntaxError } from './errors.js';
export type { TimerOptions, TimerSchedule, TimerType } from './types.js';

/**
 * Reads the text of a `timeDate`, `timeDuration` or `timeCycle` (after `${…}` evaluation; trimmed
 * here). Throws `TimerSyntaxError` for text it cannot read, `RangeError` for an unknown time zone.
 */
export function parseTimer(type: TimerType, text: string, options: TimerOptions = {}): TimerSchedule {
  const definition = text.trim();
  const zone = resolveTimeZone(options.timeZone);
  switch (type) {
    case 'timeDate':
      return parseTimeDate(definition, zone);
    case 'timeDuration':
      return parseTimeDuration(definition, zone);
    case 'timeCycle':
      return parseTimeCycle(definition, zone);
  }
}
