import { DEFAULT_PUBLIC_REPORT_SETTINGS, type FileStorageConfig, type PublicReportSettings } from '../../config/index.js';
import { DEFAULT_FILE_STORAGE } from '../../files/index.js';
import type { Logger } from '../../logging/index.js';
import {
  ADDRESS_MAX_LENGTH, DESCRIPTION_LENGTH, PHONE_PATTERN, PublicReportService, RATING_COMMENT_MAX_LENGTH, RATING_SCORES,
  type CaptchaVerifier, type ChannelInput, type RatingInput,
} from '../../public-reports/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { formLanguage } from '../language.js';
import { DATE_TIME, TENANT_ID } from './admin-schemas.js';
import { PUBLIC, type ApiRoutes, type JsonSchema } from './routes.js';

export interface PublicReportRouteDeps {
  readonly engine: ProcessEngine;
  readonly logger: Logger;
  /** the portal's limits and captcha (`config/`); default: the defaults, no captcha */
  readonly publicReports?: PublicReportSettings;
  /** checks captcha tokens; default: the siteverify protocol against the configured provider */
  readonly captchaVerifier?: CaptchaVerifier;
  /** where the photos go, as every upload */
  readonly files?: FileStorageConfig;
}


const NULLABLE_STRING: JsonSchema = { type: 'string', nullable: true };
const CATEGORY: JsonSchema = {
  type: 'object',
  properties: { code: { type: 'string' }, label: { type: 'string' }, labelEn: NULLABLE_STRING, children: { type: 'array', items: { type: 'object', description: 'a category, nested the same way' } } },
};
const PORTAL: JsonSchema = {
  type: 'object', required: ['tenantId', 'tenantName', 'categories', 'photos', 'captcha'],
  properties: {
    tenantId: { type: 'string' },
    tenantName: { type: 'string' },
    categories: { type: 'array', items: CATEGORY, description: 'the enabled items of the channel\'s dictionary as a tree; a report names a leaf' },
    photos: {
      type: 'object',
      properties: { maxCount: { type: 'integer' }, maxBytes: { type: 'integer' }, contentTypes: { type: 'array', items: { type: 'string' }, description: 'recognised from the content' } },
    },
    captcha: {
      type: 'object', nullable: true, description: 'null: no captcha is asked for',
      properties: { provider: { type: 'string' }, siteKey: { type: 'string' }, scriptUrl: { type: 'string' } },
    },
  },
};
const SUBMITTED: JsonSchema = { type: 'object', required: ['trackingCode', 'submittedAt'], properties: { trackingCode: { type: 'string' }, submittedAt: DATE_TIME } };
const RATING: JsonSchema = {
  type: 'object', required: ['score', 'comment', 'ratedAt'],
  properties: { score: { type: 'string', enum: [...RATING_SCORES] }, comment: NULLABLE_STRING, ratedAt: DATE_TIME },
};
const STATUS: JsonSchema = {
  type: 'object', required: ['trackingCode', 'category', 'categoryLabel', 'description', 'submittedAt', 'state', 'stages', 'rating', 'canRate'],
  additionalProperties: false,
  properties: {
    trackingCode: { type: 'string' }, category: { type: 'string' }, categoryLabel: NULLABLE_STRING, description: { type: 'string' }, submittedAt: DATE_TIME,
    state: { type: 'string', enum: ['open', 'closed', 'voided'], description: 'closed: the case ended normally; voided: it was terminated, rejected or voided' },
    stages: {
      type: 'array', description: 'the submission, then each completed step by its activity name: no people, comments or files',
      items: { type: 'object', required: ['name', 'time'], additionalProperties: false, properties: { name: { type: 'string' }, time: DATE_TIME } },
    },
    rating: { ...RATING, nullable: true },
    canRate: { type: 'boolean' },
  },
};
const CHANNEL: JsonSchema = {
  type: 'object',
  properties: {
    tenantId: { type: 'string' }, processKey: { ...NULLABLE_STRING, description: 'null: no channel is configured' }, categoryDictionary: { type: 'string' },
    enabled: { type: 'boolean' }, updated: { ...DATE_TIME, nullable: true }, updatedBy: NULLABLE_STRING,
  },
};
const SATISFACTION: JsonSchema = {
  type: 'object',
  properties: {
    total: { type: 'integer' }, satisfied: { type: 'integer' }, basicallySatisfied: { type: 'integer' }, dissatisfied: { type: 'integer' },
    satisfactionRate: { type: 'number', nullable: true, description: '(satisfied + basicallySatisfied) / total; null when total is 0' },
  },
};
const TRACKING_CODE_SUMMARY = 'any unknown code answers the same 404';

/**
 * The public reporting portal (`/public`): anonymous routes to open the portal, report with photos,
 * follow a report by its tracking code and rate it; the staff's channel configuration and the
 * satisfaction figures. A client past a limit gets 429 `RateLimitExceeded` with a `Retry-After` header (set by the error mapping).
 */
export function registerPublicReportRoutes(routes: ApiRoutes, deps: PublicReportRouteDeps): void {
  const settings = deps.publicReports ?? DEFAULT_PUBLIC_REPORT_SETTINGS;
  const reports = new PublicReportService(deps.engine, settings, deps.files ?? DEFAULT_FILE_STORAGE, deps.logger, deps.captchaVerifier);
  const tag = 'public reports';
  routes.add<unknown, unknown>({
    method: 'get', path: '/public-channel', tag, permission: 'public-channel:read', summary: "read the public reporting channel of the caller's tenant",
    response: CHANNEL,
    handle: (call) => reports.channel(call.principal),
  });
  routes.add<unknown, ChannelInput>({
    method: 'put', path: '/public-channel', tag, permission: 'public-channel:write',
    summary: "set the public reporting channel of the caller's tenant: the process a report starts (the tenant's own or a shared one), the category dictionary, whether it is open",
    body: {
      type: 'object', required: ['processKey', 'enabled'], additionalProperties: false,
      properties: {
        processKey: { type: 'string', minLength: 1, maxLength: 255 },
        categoryDictionary: { type: 'string', minLength: 1, maxLength: 64, default: 'case-category' },
        enabled: { type: 'boolean' },
      },
    },
    response: CHANNEL,
    handle: (call) => reports.setChannel(call.principal, call.actor, call.body),
  });
  routes.add<{ tenant?: string }, unknown>({
    method: 'get', path: '/public/portal', tag, permission: PUBLIC,
    summary: 'open the portal of a tenant (without `tenant`: the only one open): categories, photo limits, captcha; 404 when it is not open',
    query: { type: 'object', properties: { tenant: TENANT_ID } },
    response: PORTAL,
    handle: (call) => reports.portal(call.query.tenant, formLanguage(call.ctx)),
  });
  routes.add<unknown, unknown>({
    method: 'post', path: '/public/reports', tag, permission: PUBLIC, status: 201,
    summary:
      `report a problem as multipart/form-data: fields tenant, category (a leaf code), description (${DESCRIPTION_LENGTH.min}–${DESCRIPTION_LENGTH.max} characters), ` +
      `address (≤ ${ADDRESS_MAX_LENGTH}), latitude and longitude (both or neither), phone (${PHONE_PATTERN.source}), captchaToken (when the portal has a captcha); ` +
      'then files in `photos` (JPEG, PNG or WebP by their content): every field before the first photo. A 400 lists every refused field as `errors`, ' +
      'a photo past the size limit is a 413 in the same shape; nothing is written. Every attempt counts towards the client\'s hourly attempts (429 past them); ' +
      '503 when the channel\'s process cannot take reports now',
    response: SUBMITTED,
    handle: (call) => reports.submit(call.ctx, formLanguage(call.ctx)),
  });
  routes.add<unknown, unknown>({
    method: 'get', path: '/public/reports/{trackingCode}', tag, permission: PUBLIC,
    summary: `follow a report by its tracking code: what was reported, its state and stages, its rating; ${TRACKING_CODE_SUMMARY}`,
    response: STATUS,
    handle: (call) => reports.status(call.ctx.ip, call.params.trackingCode as string, formLanguage(call.ctx)),
  });
  routes.add<unknown, RatingInput>({
    method: 'post', path: '/public/reports/{trackingCode}/rating', tag, permission: PUBLIC, status: 201,
    summary: `rate a closed report, once (409 before it is closed and after it was rated); ${TRACKING_CODE_SUMMARY}`,
    body: {
      type: 'object', required: ['score'], additionalProperties: false,
      properties: { score: { type: 'string', enum: [...RATING_SCORES] }, comment: { type: 'string', maxLength: RATING_COMMENT_MAX_LENGTH } },
    },
    response: RATING,
    handle: (call) => reports.rate(call.ctx.ip, call.params.trackingCode as string, call.body, formLanguage(call.ctx)),
  });
  routes.add<{ from?: string; to?: string }, unknown>({
    method: 'get', path: '/public-reports/satisfaction', tag, permission: 'public-report:read',
    summary: "the ratings given in [from, to) to the reports of the caller's tenants",
    query: { type: 'object', properties: { from: DATE_TIME, to: DATE_TIME } },
    response: SATISFACTION,
    handle: (call) => reports.satisfaction(call.principal, { from: dateOf(call.query.from), to: dateOf(call.query.to) }),
  });
}

function dateOf(value: string | undefined): Date | undefined {
  return value === undefined ? undefined : new Date(value);
}
