import { DateTime } from 'luxon';
import { BadUserRequestError } from '../../errors/index.js';

/** Camunda's wire format: `2026-11-23T16:34:42.000+0800` (offset without a colon). */
const CAMUNDA_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSZZZ";

/** A date as Camunda writes it, in the engine's time zone (the platform's users read these). */
export function formatDate(date: Date | null | undefined, timeZone?: string): string | null {
  if (!date) return null;
  return DateTime.fromJSDate(date, { zone: timeZone }).toFormat(CAMUNDA_FORMAT);
}

/**
 * Reads a date in Camunda's format or any ISO 8601 form (`Z`, `+08:00`). A date without an offset
 * is taken in the engine's time zone, as Camunda takes it in the server's.
 */
export function parseDate(text: string, parameter: string, timeZone?: string): Date {
  const normalised = text.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const date = DateTime.fromISO(normalised, { zone: timeZone, setZone: true });
  if (!date.isValid) {
    throw new BadUserRequestError(`Cannot convert value '${text}' of '${parameter}' to a date: expected yyyy-MM-dd'T'HH:mm:ss.SSSZ`);
  }
  return date.toJSDate();
}
