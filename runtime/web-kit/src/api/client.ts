import { ElMessage } from 'element-plus';
import { currentLocale, t } from '../i18n/index.js';
import { ApiError } from './errors.js';
import { clearTokens, readTokens, storeTokens, type SignedIn } from './tokens.js';

export type Query = Record<string, string | number | boolean | null | undefined | readonly (string | number)[]>;

export interface RequestOptions {
  readonly query?: Query;
  /** a plain value is sent as JSON; FormData and Blob as they are */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
  /** do not show the error with ElMessage: the caller shows it (a login form, field errors) */
  readonly quiet?: boolean;
  /** send no credentials (sign-in, refresh) */
  readonly anonymous?: boolean;
  /** the answer as a Blob (downloads) rather than JSON */
  readonly blob?: boolean;
}

let signedOutHandler: (() => void) | null = null;

/** What to do when the session is gone (401 even after a refresh): the shell sends the user to the login page. */
export function onSignedOut(handler: () => void): void {
  signedOutHandler = handler;
}

/** The URL of a server path (`/api/...`, `/engine-rest/...`) with its query; arrays repeat the key. */
export function urlOf(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.append(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}${path.includes('?') ? '&' : '?'}${search}` : path;
}

/**
 * A call to the engine. Sends the session's Bearer token; on a 401 it refreshes the tokens once
 * (one refresh shared by concurrent calls) and repeats the call; when that fails too the session is
 * over and the user goes to the login page. Errors become an ApiError with the server's `type` and
 * `message`, shown with ElMessage unless `quiet`.
 */
export async function request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  try {
    let response = await send(method, path, options);
    if (response.status === 401 && !options.anonymous && readTokens() !== null) {
      if (await refreshTokens()) response = await send(method, path, options);
      if (response.status === 401) {
        clearTokens();
        signedOutHandler?.();
        throw await errorOf(response);
      }
    }
    if (!response.ok) throw await errorOf(response);
    if (options.blob) return (await response.blob()) as T;
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  } catch (error) {
    const failure = error instanceof ApiError || (error instanceof DOMException && error.name === 'AbortError')
      ? error
      : new ApiError(0, 'NetworkError', t('errors.network'));
    if (!options.quiet && failure instanceof ApiError) showError(failure);
    throw failure;
  }
}

/** Shows an error as the server worded it. */
export function showError(error: unknown): void {
  const message = error instanceof ApiError ? error.message : error instanceof Error ? error.message : String(error);
  ElMessage({ type: 'error', message, showClose: true, duration: 6000 });
}

export const api = {
  get: <T = unknown>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
  post: <T = unknown>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body }),
  put: <T = unknown>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, { ...options, body }),
  patch: <T = unknown>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, { ...options, body }),
  delete: <T = unknown>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
};

function send(method: string, path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': currentLocale.value, ...options.headers };
  const tokens = options.anonymous ? null : readTokens();
  if (tokens) headers.Authorization = `Bearer ${tokens.accessToken}`;
  let body: BodyInit | undefined;
  if (options.body instanceof FormData || options.body instanceof Blob) body = options.body;
  else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  return fetch(urlOf(path, options.query), { method, headers, body, signal: options.signal });
}

async function errorOf(response: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    // not JSON: a proxy's page, an empty answer
  }
  const type = typeof body.type === 'string' ? body.type : `HTTP${response.status}`;
  const message = typeof body.message === 'string' ? body.message : `${response.status} ${response.statusText}`;
  return new ApiError(response.status, type, message, body);
}

let refreshing: Promise<boolean> | null = null;

/** New tokens for the stored refresh token; false when there is none or the server refuses it. */
function refreshTokens(): Promise<boolean> {
  refreshing ??= (async () => {
    const tokens = readTokens();
    if (!tokens) return false;
    try {
      const response = await fetch('/api/auth/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ refreshToken: tokens.refreshToken }),
      });
      if (!response.ok) return false;
      storeTokens((await response.json()) as SignedIn);
      return true;
    } catch {
      return false;
    }
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

export interface UploadOptions {
  readonly query?: Query;
  /** hears the fraction of the body sent so far (0–1) */
  readonly progress?: (fraction: number) => void;
  /** the multipart field of the file; default `file` */
  readonly field?: string;
  readonly quiet?: boolean;
}

/**
 * The platform API (`/api`) with paths relative to it: `http.get('/admin/users', { tenantId })`.
 * `upload` sends a file as multipart/form-data and reports its progress (XMLHttpRequest: fetch
 * cannot observe an upload).
 */
export const http = {
  get: <T = unknown>(path: string, query?: Query, options?: RequestOptions) => request<T>('GET', `/api${path}`, { ...options, query }),
  text: async (path: string, query?: Query, options?: RequestOptions) => (await request<Blob>('GET', `/api${path}`, { ...options, query, blob: true })).text(),
  post: <T = unknown>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', `/api${path}`, { ...options, body }),
  put: <T = unknown>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', `/api${path}`, { ...options, body }),
  patch: <T = unknown>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', `/api${path}`, { ...options, body }),
  delete: <T = unknown>(path: string, options?: RequestOptions) => request<T>('DELETE', `/api${path}`, options),
  upload: <T = unknown>(path: string, file: File | Blob | FormData, options: UploadOptions = {}) => upload<T>(`/api${path}`, file, options),
};

/** POST of a multipart body with upload progress; refreshes the session once on a 401 like `request`. */
export async function upload<T = unknown>(path: string, file: File | Blob | FormData, options: UploadOptions = {}): Promise<T> {
  const form = file instanceof FormData ? file : new FormData();
  if (!(file instanceof FormData)) form.append(options.field ?? 'file', file, file instanceof File ? file.name : 'upload');
  try {
    let answer = await xhrPost(urlOf(path, options.query), form, options.progress);
    if (answer.status === 401 && readTokens() !== null) {
      if (await refreshTokens()) answer = await xhrPost(urlOf(path, options.query), form, options.progress);
      if (answer.status === 401) {
        clearTokens();
        signedOutHandler?.();
      }
    }
    if (answer.status < 200 || answer.status >= 300) throw errorOfText(answer.status, answer.statusText, answer.text);
    return (answer.text ? JSON.parse(answer.text) : undefined) as T;
  } catch (error) {
    const failure = error instanceof ApiError ? error : new ApiError(0, 'NetworkError', t('errors.network'));
    if (!options.quiet) showError(failure);
    throw failure;
  }
}

interface XhrAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly text: string;
}

function xhrPost(url: string, body: FormData, progress?: (fraction: number) => void): Promise<XhrAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', currentLocale.value);
    const tokens = readTokens();
    if (tokens) xhr.setRequestHeader('Authorization', `Bearer ${tokens.accessToken}`);
    if (progress) xhr.upload.onprogress = (event) => event.lengthComputable && progress(event.loaded / event.total);
    xhr.onload = () => resolve({ status: xhr.status, statusText: xhr.statusText, text: xhr.responseText });
    xhr.onerror = () => reject(new Error('network'));
    xhr.send(body);
  });
}

function errorOfText(status: number, statusText: string, text: string): ApiError {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON
  }
  return new ApiError(status, typeof body.type === 'string' ? body.type : `HTTP${status}`, typeof body.message === 'string' ? body.message : `${status} ${statusText}`, body);
}
