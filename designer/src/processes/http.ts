/** The designer's HTTP client as the process pages use it. */
import { request, type Query } from '../api/index.js';

export const http = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
  /** multipart upload; the caller shows the error (a deploy's parse problems go to the problem list) */
  upload: <T>(path: string, form: FormData) => request<T>('POST', path, { body: form, quiet: true }),
};
