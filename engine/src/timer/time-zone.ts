import { IANAZone } from 'luxon';

/**
 * The zone timers are read in: the given one, else the process's own. A bad zone is a
 * configuration mistake, not a mistake in the timer text, hence a `RangeError`.
 */
export function resolveTimeZone(timeZone: string | undefined): string {
  const zone = timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!IANAZone.isValidZone(zone)) throw new RangeError(`'${zone}' is not an IANA time zone`);
  return zone;
}
