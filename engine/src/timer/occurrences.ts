import type { DateTime, Duration } from 'luxon';

/**
 * The first of the occurrences `anchor + index × period` (index ≥ `firstIndex`) that is not before
 * `earliest` (epoch milliseconds).
 *
 * Each occurrence is computed from the anchor rather than from its predecessor, so calendar units
 * do not drift within one call (Jan 31 + 2 × P1M is Mar 31). The index is first estimated from the
 * period's average length, so a long downtime costs a few steps, not one per missed occurrence.
 */
export function firstOccurrenceFrom(anchor: DateTime, period: Duration, firstIndex: number, earliest: number): DateTime {
  const occurrence = (index: number) => anchor.plus(period.mapUnits((amount) => amount * index));
  const estimate = Math.floor((earliest - anchor.toMillis()) / period.as('milliseconds'));
  let index = Math.max(firstIndex, estimate);
  while (index > firstIndex && occurrence(index - 1).toMillis() >= earliest) index--;
  while (occurrence(index).toMillis() < earliest) index++;
  return occurrence(index);
}
