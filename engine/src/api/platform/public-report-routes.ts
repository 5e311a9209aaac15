import { DEFAULT_PUBLIC_REPORT_SETTINGS, type FileStorageConfig, type PublicReportSettings } from '../../config/index.js';
import { DEFAULT_FILE_STORAGE } from '../../files/index.js';
import type { Authentication } from '../../identity/index.js';
import type { Logger } from '../../logging/index.js';
import {
  ADDRESS_MAX_LENGTH, CLIENT_CODE_PATTERN, CLIENT_PERMISSION, DEFAULT_CLIENT_LIMITS, DESCRIPTION_LENGTH, PHONE_PATTERN, PublicReportService, RATING_COMMENT_MAX_LENGTH, RATING_SCORES,
  duplicateCandidates, MergeReportCmd, type CaptchaVerifier, type ChannelClientInput, type ChannelInput, type MergeInput, type RatingInput,
} from '../../public-reports/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { caseCalls, type CaseCalls } from './case-calls.js';
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
  /** the API keys channel clients call with (registering a client issues one) */
  readonly authentication: Authentication;
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
const RATING_BODY: JsonSchema = {
  type: 'object', required: ['score'], additionalProperties: false,
  properties: { score: { type: 'string', enum: [...RATING_SCORES] }, comment: { type: 'string', maxLength: RATING_COMMENT_MAX_LENGTH } },
};
const STATUS: JsonSchema = {
  type: 'object', required: ['trackingCode', 'category', 'categoryLabel', 'description', 'submittedAt', 'state', 'stages', 'rating', 'canRate', 'mergedInto'],
  additionalProperties: false,
  properties: {
    trackingCode: { type: 'string' }, category: { type: 'string' }, categoryLabel: NULLABLE_STRING, description: { type: 'string' }, submittedAt: DATE_TIME,
    state: { type: 'string', enum: ['open', 'closed', 'voided', 'merged'], description: 'closed: the case ended normally; voided: it was terminated, rejected or voided; merged: 已合并 into the report `mergedInto` names' },
    stages: {
      type: 'array', description: 'the submission, then each completed step by its activity name: no people, comments or files',
      items: { type: 'object', required: ['name', 'time'], additionalProperties: false, properties: { name: { type: 'string' }, time: DATE_TIME } },
    },
    rating: { ...RATING, nullable: true },
    canRate: { type: 'boolean' },
    mergedInto: {
      type: 'object', nullable: true, required: ['trackingCode', 'state'], additionalProperties: false, description: 'a merged report: the report it was merged into, to follow from then on',
      properties: { trackingCode: { type: 'string' }, state: { type: 'string', enum: ['open', 'closed', 'voided'] } },
    },
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
const CHANNEL_CLIENT: JsonSchema = {
  type: 'object', required: ['id', 'tenantId', 'code', 'name', 'apiKeyId', 'userId', 'reportsPerHour', 'lookupsPerMinute', 'created', 'createdBy', 'revoked'],
  properties: {
    id: { type: 'string' }, tenantId: { type: 'string' }, code: { type: 'string', description: 'the `channel` its reports carry' }, name: { type: 'string' },
    apiKeyId: { type: 'string' }, userId: { ...NULLABLE_STRING, description: 'the user its key acts for; null once the key is gone' },
    reportsPerHour: { type: 'integer' }, lookupsPerMinute: { type: 'integer' }, created: DATE_TIME, createdBy: NULLABLE_STRING,
    revoked: { ...DATE_TIME, nullable: true, description: 'null while its key works' },
  },
};
const CLIENT_ONLY = `only the key of a registered channel client (it carries ${CLIENT_PERMISSION}); any other caller 403`;

/**
 * The public reporting portal (`/public`): anonymous routes to open the portal, report with photos,
 * follow a report by its tracking code and rate it; the staff's channel configuration and the
 * satisfaction figures. A client past a limit gets 429 `RateLimitExceeded` with a `Retry-After` header (set by the error mapping).
 */
export function registerPublicReportRoutes(routes: ApiRoutes, deps: PublicReportRouteDeps): void {
  const settings = deps.publicReports ?? DEFAULT_PUBLIC_REPORT_SETTINGS;
  const reports = new PublicReportService(deps.engine, settings, deps.files ?? DEFAULT_FILE_STORAGE, deps.logger, deps.authentication.apiKeys, deps.captchaVerifier);
  const tag = 'public reports';
  registerChannelClientRoutes(routes, reports);
  registerMergeRoutes(routes, caseCalls(deps.engine));
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
    body: RATING_BODY,
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

/**
 * The channel's API clients (the WeChat official accounts, the citizen app): administrators
 * register and revoke them; a client, calling with its key, reports, follows and rates for its
 * citizens as the portal does — to its key's tenant only, counted by its own limits, no captcha.
 */
function registerChannelClientRoutes(routes: ApiRoutes, reports: PublicReportService): void {
  const tag = 'public channel clients';
  routes.add<{ tenantId?: string }, unknown>({
    method: 'get', path: '/public-channel/clients', tag, permission: 'public-channel:read',
    summary: "the channel clients of the caller's tenant, or of tenantId (a tenant the caller sees, as registration takes; another: 404), revoked ones too (never their keys)",
    query: { type: 'object', properties: { tenantId: TENANT_ID } },
    response: { type: 'array', items: CHANNEL_CLIENT },
    handle: (call) => reports.clients(call.principal, call.query.tenantId),
  });
  routes.add<unknown, ChannelClientInput>({
    method: 'post', path: '/public-channel/clients', tag, permission: 'public-channel:write', status: 201,
    summary:
      `register a channel client and issue its API key (in the answer only, once), carrying only ${CLIENT_PERMISSION}; the key acts for userId (default: the caller), ` +
      'who must hold that permission, as must the caller; a code in use is a 409, a revoked code is registered again with a new key',
    body: {
      type: 'object', required: ['code', 'name'], additionalProperties: false,
      properties: {
        code: { type: 'string', pattern: CLIENT_CODE_PATTERN.source, description: "the `channel` its reports carry; add it to the tenant's channel dictionary (command-coordination's cc-report-channel) so statistics name it" },
        name: { type: 'string', minLength: 1, maxLength: 100 },
        userId: { type: 'string', pattern: '^[A-Za-z0-9._-]{2,64}$', description: 'the (service) user the key acts for; default: the caller' },
        tenantId: { type: 'string', pattern: '^[0-9A-Za-z-]{1,32}$', description: "a tenant the caller sees; default: the caller's own" },
        reportsPerHour: { type: 'integer', minimum: 1, maximum: 100_000, default: DEFAULT_CLIENT_LIMITS.reportsPerHour },
        lookupsPerMinute: { type: 'integer', minimum: 1, maximum: 100_000, default: DEFAULT_CLIENT_LIMITS.lookupsPerMinute },
        expiresInDays: { type: 'integer', minimum: 1, maximum: 3650 },
      },
    },
    response: { ...CHANNEL_CLIENT, properties: { ...CHANNEL_CLIENT.properties, key: { type: 'string', description: 'shown only now: `Authorization: Bearer <key>`' } } },
    handle: (call) => reports.registerClient(call.principal, call.actor, call.body),
  });
  routes.add<{ tenantId?: string }, unknown>({
    method: 'delete', path: '/public-channel/clients/{code}', tag, permission: 'public-channel:write', status: 204,
    summary:
      "revoke a channel client of the caller's tenant, or of tenantId (a tenant the caller sees; another: 404): its key is deleted (401 from then on), " +
      'the client kept so its reports still name it; again: nothing changes',
    query: { type: 'object', properties: { tenantId: TENANT_ID } },
    handle: (call) => reports.revokeClient(call.actor, call.params.code as string, call.query.tenantId),
  });
  routes.add<unknown, unknown>({
    method: 'get', path: '/public-channel/portal', tag, permission: CLIENT_PERMISSION,
    summary: `what the client builds its report page from: the categories and photo limits of its key's tenant (no captcha); ${CLIENT_ONLY}`,
    response: PORTAL,
    handle: (call) => reports.clientPortal(call.principal, formLanguage(call.ctx)),
  });
  routes.add<unknown, unknown>({
    method: 'post', path: '/public-channel/reports', tag, permission: CLIENT_PERMISSION, status: 201,
    summary:
      "report for a citizen: the body of POST /public/reports (multipart/form-data, fields before photos, no captchaToken; `tenant` may be left out and must otherwise be the key's); " +
      `the case gets channel = the client's code; counted per client (its reportsPerHour, attempts twice that) and per phone number; ${CLIENT_ONLY}`,
    response: SUBMITTED,
    handle: (call) => reports.submitAsClient(call.ctx, call.principal, formLanguage(call.ctx)),
  });
  routes.add<unknown, unknown>({
    method: 'get', path: '/public-channel/reports/{trackingCode}', tag, permission: CLIENT_PERMISSION,
    summary: `follow a report of the key's tenant (whichever channel it came by) as GET /public/reports/{trackingCode} answers; another tenant's: 404; ${CLIENT_ONLY}`,
    response: STATUS,
    handle: (call) => reports.statusAsClient(call.principal, call.params.trackingCode as string, formLanguage(call.ctx)),
  });
  routes.add<unknown, RatingInput>({
    method: 'post', path: '/public-channel/reports/{trackingCode}/rating', tag, permission: CLIENT_PERMISSION, status: 201,
    summary: `rate a closed report of the key's tenant for its citizen, once; ${CLIENT_ONLY}`,
    body: RATING_BODY,
    response: RATING,
    handle: (call) => reports.rateAsClient(call.principal, call.params.trackingCode as string, call.body, formLanguage(call.ctx)),
  });
}

const CASE_REF: JsonSchema = {
  type: 'object', required: ['processInstanceId', 'trackingCode'],
  properties: { processInstanceId: { type: 'string' }, trackingCode: { type: 'string' }, caseNumber: NULLABLE_STRING, state: { type: 'string', enum: ['open', 'closed', 'voided'] } },
};

/**
 * 合并 at 受理: the intake clerk sees the reports a flagged case may repeat and merges it into one
 * of them. Both cases must be visible to the caller (else 404 before anything runs).
 */
function registerMergeRoutes(routes: ApiRoutes, calls: CaseCalls): void {
  const tag = 'public reports';
  routes.add<unknown, unknown>({
    method: 'get', path: '/instances/{id}/duplicates', tag, permission: 'instance:read',
    summary: "the earlier reports a public report's case may repeat (same category, within 50 m, in the 24 h before it; not merged themselves; cases the caller's data scope shows), nearest first; a case no report started: trackingCode null and no candidates; one the caller's data scope hides: 404 (as GET /instances/{id})",
    response: {
      type: 'object', required: ['trackingCode', 'mergedInto', 'candidates'],
      properties: {
        trackingCode: { ...NULLABLE_STRING, description: "the case's report; null: no public report started the case" },
        mergedInto: { ...CASE_REF, nullable: true, description: "set once this report was merged, into a case the caller's data scope shows (else null)" },
        candidates: {
          type: 'array',
          items: {
            type: 'object',
            required: ['processInstanceId', 'trackingCode', 'caseNumber', 'category', 'categoryLabel', 'distanceMetres', 'submittedAt', 'state', 'steps'],
            properties: {
              processInstanceId: { type: 'string' }, trackingCode: { type: 'string' }, caseNumber: NULLABLE_STRING, category: { type: 'string' }, categoryLabel: NULLABLE_STRING,
              distanceMetres: { type: 'number' }, submittedAt: DATE_TIME, state: { type: 'string', enum: ['open', 'closed', 'voided'] },
              steps: { type: 'array', items: { type: 'string' }, description: 'the open steps of its case by name' },
            },
          },
        },
      },
    },
    handle: (call) => calls.read(call, (session) => duplicateCandidates(session, call.params.id as string)),
  });
  routes.add<unknown, MergeInput>({
    method: 'post', path: '/instances/{id}/merge', tag, permission: 'public-report:merge', idempotent: true,
    summary:
      "合并: merge this case's public report into the earlier report `into` repeats — the original's timeline gets a `merge-in` entry (the report's tracking code, case number, " +
      'description, photos as files), this case a `merge` entry and ends with the reason `merged` (its citizen sees 已合并 and the original\'s tracking code); ' +
      'one transaction; reports merged into this one before follow it to the original. Both must be open public-report cases of one tenant (409 when either ended, 400 across tenants), ' +
      '`into` one of the candidates GET /instances/{id}/duplicates lists (400 otherwise), and an open task of this case must offer the operation merge (yiwang:operations) ' +
      'to the caller — its assignee, a candidate while it is unassigned, or a holder of task:assign (403 otherwise; 409 while parked); the same merge again answers the same outcome, into another report 409',
    body: {
      type: 'object', required: ['into'], additionalProperties: false,
      properties: { into: { type: 'string', minLength: 1, maxLength: 64, description: "the original's process instance id" }, comment: { type: 'string', maxLength: 2000, nullable: true } },
    },
    response: {
      type: 'object', required: ['duplicate', 'original', 'mergedAt'],
      properties: { duplicate: CASE_REF, original: CASE_REF, mergedAt: DATE_TIME },
    },
    // both cases must be ones the caller sees, the original checked first
    handle: (call) => calls.onInstance(call, [call.body.into, call.params.id as string], new MergeReportCmd(call.params.id as string, call.body)),
  });
}

function dateOf(value: string | undefined): Date | undefined {
  return value === undefined ? undefined : new Date(value);
}
