/**
 * The portal's calls to the engine's public API (`/api/public/...`): plain fetch, no session —
 * a citizen never signs in. Errors come back as `PublicApiError` with the server's `{ type,
 * message }`, the field the message names (when it names one) and, for a 429, when to try again.
 */
import { currentLocale } from './i18n.js';

export interface CategoryNode {
  readonly code: string;
  readonly label: string;
  readonly labelEn: string | null;
  readonly children: readonly CategoryNode[];
}

export interface CaptchaConfig {
  readonly provider: string;
  readonly siteKey: string;
  readonly scriptUrl: string;
}

export interface PhotoPolicy {
  readonly maxCount: number;
  readonly maxBytes: number;
  readonly contentTypes: readonly string[];
}

export interface PortalConfig {
  readonly tenantId: string;
  readonly tenantName: string;
  readonly categories: readonly CategoryNode[];
  readonly photos: PhotoPolicy;
  readonly captcha: CaptchaConfig | null;
}

export interface SubmittedReport {
  readonly trackingCode: string;
  readonly submittedAt: string;
}

export type ReportState = 'open' | 'closed' | 'voided' | 'merged';
export type RatingScore = 'satisfied' | 'basically-satisfied' | 'dissatisfied';

export interface ReportStatus {
  readonly trackingCode: string;
  readonly category: string;
  readonly categoryLabel: string | null;
  readonly description: string;
  readonly submittedAt: string;
  readonly state: ReportState;
  readonly stages: readonly { readonly name: string; readonly time: string }[];
  readonly rating: null | { readonly score: RatingScore; readonly comment: string | null; readonly ratedAt: string };
  readonly canRate: boolean;
  /** a merged duplicate (state `merged`): the report it joined, which the citizen follows from then on */
  readonly mergedInto?: { readonly trackingCode: string; readonly state: Exclude<ReportState, 'merged'> } | null;
}

/** The report form's fields, as the server names them in a 400's `errors` (a photo as `photos[0]`). */
export const REPORT_FIELDS = ['tenant', 'category', 'description', 'address', 'latitude', 'longitude', 'phone', 'photos', 'captchaToken'] as const;
export type ReportField = (typeof REPORT_FIELDS)[number];

/** One refused field of a 400 (the server's `FieldError`, message in the request's language). */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export class PublicApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    /** a 429's wait */
    readonly retryAfterSeconds: number | null = null,
    /** a 400's refused fields */
    readonly errors: readonly FieldProblem[] = [],
  ) {
    super(message);
  }

  /** The messages of the refused report fields by field (`photos[1]` counts as `photos`); the captcha's refusal as `captchaToken`. */
  fieldProblems(): Partial<Record<ReportField, string>> {
    const problems: Partial<Record<ReportField, string>> = {};
    if (this.type === 'CaptchaFailed') problems.captchaToken = this.message;
    for (const { field, message } of this.errors) {
      const name = field.replace(/\[\d+\]$/, '') as ReportField;
      if ((REPORT_FIELDS as readonly string[]).includes(name)) problems[name] = problems[name] ? `${problems[name]}；${message}` : message;
    }
    return problems;
  }
}

/** status 0: the request did not reach the server (offline, aborted) */
export const NETWORK = 0;

function headers(extra: Record<string, string> = {}): Record<string, string> {
  return { Accept: 'application/json', 'Accept-Language': currentLocale.value === 'en' ? 'en' : 'zh-CN', ...extra };
}

function errorFrom(status: number, body: unknown, retryAfterHeader: string | null): PublicApiError {
  const answer = (body ?? {}) as { type?: unknown; message?: unknown; retryAfterSeconds?: unknown; errors?: unknown };
  const retry = typeof answer.retryAfterSeconds === 'number' ? answer.retryAfterSeconds : retryAfterHeader ? Number(retryAfterHeader) || null : null;
  const errors = Array.isArray(answer.errors)
    ? answer.errors.filter((entry): entry is FieldProblem => typeof entry?.field === 'string' && typeof entry?.message === 'string')
    : [];
  return new PublicApiError(status, typeof answer.type === 'string' ? answer.type : 'HttpError', typeof answer.message === 'string' ? answer.message : `HTTP ${status}`, retry, errors);
}

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

async function call<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api/public${path}`, {
      method: init.method ?? 'GET',
      headers: headers(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new PublicApiError(NETWORK, 'NetworkError', '');
  }
  const body = parse(await response.text());
  if (!response.ok) throw errorFrom(response.status, body, response.headers.get('Retry-After'));
  return body as T;
}

export function getPortal(tenant: string | null): Promise<PortalConfig> {
  return call(`/portal${tenant ? `?tenant=${encodeURIComponent(tenant)}` : ''}`);
}

export function getReport(code: string): Promise<ReportStatus> {
  return call(`/reports/${encodeURIComponent(code)}`);
}

export function rateReport(code: string, score: RatingScore, comment: string): Promise<unknown> {
  return call(`/reports/${encodeURIComponent(code)}/rating`, { method: 'POST', body: comment ? { score, comment } : { score } });
}

/**
 * Sends a report as multipart (the photos as `photos` files) through XMLHttpRequest, whose upload
 * events fetch does not offer: `onProgress` gets the share sent, 0…1.
 */
export function submitReport(form: FormData, onProgress: (share: number) => void): Promise<SubmittedReport> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/api/public/reports');
    for (const [name, value] of Object.entries(headers())) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      const body = parse(request.responseText);
      if (request.status >= 200 && request.status < 300) resolve(body as SubmittedReport);
      else reject(errorFrom(request.status, body, request.getResponseHeader('Retry-After')));
    };
    request.onerror = () => reject(new PublicApiError(NETWORK, 'NetworkError', ''));
    request.onabort = request.onerror;
    request.send(form);
  });
}
