import { parseCron } from './cron.js';
import { parseRepeatingInterval } from './repeating-interval.js';
import type { TimerSchedule } from './types.js';

/** `timeCycle`: Camunda's rule, text starting with R is a repeating interval, anything else cron. */
export function parseTimeCycle(text: string, zone: string): TimerSchedule {
  return text.startsWith('R') ? parseRepeatingInterval(text, zone) : parseCron(text, zone);
}
