import { request, type Query } from '../api/index.js';

/**
 * Monitoring's calls on the shell's client with full paths (`/engine-rest/...`, `/api/...`).
 * Quiet: each page shows its own errors (beside the table, in the dialog that acted).
 */
export const http = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query, quiet: true }),
  text: async (path: string) => (await request<Blob>('GET', path, { blob: true, quiet: true })).text(),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body, quiet: true }),
};
