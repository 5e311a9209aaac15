/**
 * A fresh Idempotency-Key per submit (a UUID v4). `crypto.randomUUID` exists only in secure
 * contexts; an intranet server reached over plain http is not one, `getRandomValues` works everywhere.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The headers of a changing call that must happen once however often it is retried. */
export const once = (key: string) => ({ headers: { 'Idempotency-Key': key } });
