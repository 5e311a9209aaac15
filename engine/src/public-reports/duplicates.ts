import { formatTimestamp, type DbSession } from '../persistence/index.js';
import { PUBLIC_REPORT, type PublicReportEntity } from './tables.js';

/** Reports of the same category closer than this are possible duplicates… */
export const DUPLICATE_DISTANCE_METRES = 50;
/** …when submitted within this long of each other. */
export const DUPLICATE_WINDOW_MS = 24 * 3_600_000;

/** The mean Earth radius (IUGG), in metres. */
const EARTH_RADIUS_METRES = 6_371_008.8;
/** Metres per degree of latitude, rounded down so the bounding box is never too small. */
const METRES_PER_DEGREE = 111_000;

/** A report the new one may repeat: its case, its tracking code and how far apart they are. */
export interface PossibleDuplicate {
  readonly processInstanceId: string;
  readonly trackingCode: string;
  readonly distanceMetres: number;
}

export interface ReportPoint {
  readonly tenantId: string;
  readonly category: string;
  readonly latitude: number | null;
  readonly longitude: number | null;
}

/** The great-circle distance between two points (haversine), in metres. */
export function haversineMetres(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = (degrees: number) => (degrees * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLng = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_METRES * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The tenant's reports of the same category submitted in the last 24 hours within 50 m of the new
 * one, nearest first — for the intake clerk to merge. Both need coordinates: a report without them
 * is never flagged and never flags.
 */
export async function possibleDuplicates(session: DbSession, report: ReportPoint, now: Date): Promise<PossibleDuplicate[]> {
  return (await reportsNear(session, report, new Date(now.getTime() - DUPLICATE_WINDOW_MS), null)).map(({ other, distanceMetres }) => ({
    processInstanceId: other.processInstanceId, trackingCode: other.trackingCode, distanceMetres,
  }));
}

/**
 * The tenant's reports of the point's category within 50 m of it submitted after `since` (and at
 * or before `until`, when given), nearest first, then oldest first, with their distance rounded to
 * 0.1 m; none for a point without coordinates. The database reads a bounding box around the point
 * from the `(tenant_id, category, latitude, longitude)` index (a degree of longitude shrinks with
 * the cosine of the latitude; the box errs on the large side); the haversine distance then decides.
 */
export async function reportsNear(session: DbSession, point: ReportPoint, since: Date, until: Date | null): Promise<{ other: PublicReportEntity; distanceMetres: number }[]> {
  const { latitude, longitude } = point;
  if (latitude === null || longitude === null) return [];
  const latitudeSpan = DUPLICATE_DISTANCE_METRES / METRES_PER_DEGREE;
  const cosine = Math.cos((Math.min(89, Math.abs(latitude) + latitudeSpan) * Math.PI) / 180);
  const longitudeSpan = Math.min(180, DUPLICATE_DISTANCE_METRES / (METRES_PER_DEGREE * cosine));
  const bind = [point.tenantId, point.category, latitude - latitudeSpan, latitude + latitudeSpan, longitude - longitudeSpan, longitude + longitudeSpan, formatTimestamp(since)];
  const nearby = await session.select(
    PUBLIC_REPORT,
    `tenant_id = $1 AND category = $2 AND latitude BETWEEN $3 AND $4 AND longitude BETWEEN $5 AND $6 AND submitted_at > $7${until ? ' AND submitted_at <= $8' : ''}`,
    until ? [...bind, formatTimestamp(until)] : bind,
  );
  return nearby
    .map((other) => ({ other, distance: haversineMetres({ latitude, longitude }, { latitude: other.latitude as number, longitude: other.longitude as number }) }))
    .filter(({ distance }) => distance <= DUPLICATE_DISTANCE_METRES)
    .sort((a, b) => a.distance - b.distance || a.other.submittedAt.getTime() - b.other.submittedAt.getTime())
    .map(({ other, distance }) => ({ other, distanceMetres: Math.round(distance * 10) / 10 }));
}
