import { DateTime, type Duration } from 'luxon';
import { TimerSyntaxError } from './errors.js';
import { parseDateTime } from './iso-date-time.js';
import { parseDuration } from './iso-duration.js';
import { firstOccurrenceFrom } from './occurrences.js';
import type { TimerSchedule } from './types.js';

/** An ISO 8601 repeating interval, read. */
interface RepeatingInterval {
  /** firings in total; Infinity for a bare `R` */
  readonly repetitions: number;
  /** the first firing; null when the cycle starts at the timer's creation */
  readonly start: DateTime | null;
  readonly period: Duration;
}

const SHAPE = 'expected R[n]/<duration>, R[n]/<start>/<duration> or R[n]/<start>/<end>';

/**
 * `timeCycle` as an ISO 8601 repeating interval. `Rn` counts firings, so occurrences skipped while
 * the platform was down do not use up repetitions.
 */
export function parseRepeatingInterval(text: string, zone: string): TimerSchedule {
  const interval = readRepeatingInterval(text, zone);
  return {
    type: 'timeCycle',
    repeating: true,
    firstDue: (createdAt) => firstDue(interval, createdAt, zone),
    nextDue: (previousDue, now, firedCount) => nextDue(interval, previousDue, now, firedCount, zone),
  };
}

function firstDue({ start, period }: RepeatingInterval, createdAt: Date, zone: string): Date {
  const earliest = createdAt.getTime();
  // a start already past at creation fires at its first occurrence from then on, like a downtime
  if (start) return firstOccurrenceFrom(start, period, 0, earliest).toJSDate();
  // without a start the cycle begins at creation, and first fires one period later
  return firstOccurrenceFrom(DateTime.fromJSDate(createdAt, { zone }), period, 1, earliest).toJSDate();
}

function nextDue(interval: RepeatingInterval, previousDue: Date, now: Date, firedCount: number, zone: string): Date | null {
  if (firedCount >= interval.repetitions) return null;
  const previous = DateTime.fromJSDate(previousDue, { zone });
  // strictly after now: occurrences missed during a downtime are dropped, not fired in a burst
  return firstOccurrenceFrom(previous, interval.period, 1, now.getTime() + 1).toJSDate();
}

function readRepeatingInterval(text: string, zone: string): RepeatingInterval {
  try {
    return readParts(text.split('/'), zone);
  } catch (error) {
    if (!(error instanceof TimerSyntaxError)) throw error;
    throw new TimerSyntaxError(`'${text}' is not a valid time cycle: ${error.message}`, { cause: error });
  }
}

function readParts(parts: readonly string[], zone: string): RepeatingInterval {
  if (parts.length !== 2 && parts.length !== 3) throw new TimerSyntaxError(SHAPE);
  const [count, first, second] = parts as [string, string, string?];
  const repetitions = readRepetitions(count);
  if (second === undefined) return { repetitions, start: null, period: parseDuration(first) };
  if (isDuration(first)) {
    throw new TimerSyntaxError(`a cycle that ends at '${second}' is not supported, give its start: R[n]/<start>/<duration>`);
  }
  const start = parseDateTime(first, zone);
  const period = isDuration(second) ? parseDuration(second) : periodUntil(start, second, zone);
  return { repetitions, start, period };
}

function readRepetitions(count: string): number {
  const digits = /^R(\d*)$/.exec(count)?.[1];
  if (digits === undefined) throw new TimerSyntaxError(`'${count}' is not a repetition count (R or Rn); ${SHAPE}`);
  if (digits === '') return Infinity;
  if (Number(digits) === 0) throw new TimerSyntaxError(`'${count}' allows no firing at all`);
  return Number(digits);
}

/** `<start>/<end>` means a period of exactly the time between the two (as in Camunda). */
function periodUntil(start: DateTime, endText: string, zone: string): Duration {
  const end = parseDateTime(endText, zone);
  if (end.toMillis() <= start.toMillis()) throw new TimerSyntaxError(`the end '${endText}' is not after the start`);
  return end.diff(start);
}

// Camunda's rule for telling the parts apart: a duration starts with P, anything else is a date
function isDuration(part: string): boolean {
  return part.startsWith('P');
}
