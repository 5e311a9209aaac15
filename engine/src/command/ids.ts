import { randomUUID } from 'node:crypto';

/**
 * Row ids: UUIDs version 7 (RFC 9562), the first 48 bits the creation time in milliseconds, the
 * other 74 random. Ids made close in time sort close together, so the rows a command inserts
 * land at the right edge of each primary-key and id-valued index B-tree instead of on random
 * pages all over it: a commit touches a few hot pages (SQLite's WAL frames, InnoDB's redo and
 * buffer pool) instead of one cold page per row and index. Still unique across engine processes
 * (74 random bits), still opaque to users.
 */
export function timeOrderedId(now = Date.now()): string {
  const time = now.toString(16).padStart(12, '0');
  // randomUUID: xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx; keep its random tail and variant, set version 7
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}
