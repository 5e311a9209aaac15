import { parseDateTime } from './iso-date-time.js';
import type { TimerSchedule } from './types.js';

/** `timeDate`: due at one fixed instant, whenever the timer is created. */
export function parseTimeDate(text: string, zone: string): TimerSchedule {
  const due = parseDateTime(text, zone).toMillis();
  return {
    type: 'timeDate',
    repeating: false,
    firstDue: () => new Date(due),
    nextDue: () => null,
  };
}
