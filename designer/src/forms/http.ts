import { request, type Query } from '../api/index.js';

/**
 * The form designer's calls on the shell's client with full paths (`/engine-rest/...`, `/api/...`).
 * Quiet: each page shows its own errors (beside the table, in the dialog that acted).
 */
export const http = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query, quiet: true }),
  post: <T>(path: string, body: unknown) => request<T>('POST', path, { body, quiet: true }),
  blob: (path: string, query?: Query) => request<Blob>('GET', path, { query, blob: true, quiet: true }),
};
