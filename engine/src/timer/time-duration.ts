import { DateTime } from 'luxon';
import { parseDuration } from './iso-duration.js';
import type { TimerSchedule } from './types.js';

/** `timeDuration`: due one duration after creation, with calendar units counted in `zone`. */
export function parseTimeDuration(text: string, zone: string): TimerSchedule {
  const duration = parseDuration(text);
  return {
    type: 'timeDuration',
    repeating: false,
    firstDue: (createdAt) => DateTime.fromJSDate(createdAt, { zone }).plus(duration).toJSDate(),
    nextDue: () => null,
  };
}
