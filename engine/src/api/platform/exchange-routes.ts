import { ExchangeService, type AssignmentInput } from '../../exchange/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { sendJson } from '../engine-rest/http.js';
import { DATE_TIME } from './admin-schemas.js';
import type { ApiRoutes, JsonSchema } from './routes.js';

const NULLABLE_STRING: JsonSchema = { type: 'string', nullable: true };
const EXTERNAL_ID: JsonSchema = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' };
const ASSIGNMENT: JsonSchema = {
  type: 'object', required: ['externalId', 'category', 'description', 'location'], additionalProperties: false,
  properties: {
    externalId: { ...EXTERNAL_ID, description: "the partner's own id of the task: the case's business key; a repeat answers the case it started" },
    category: { type: 'string', minLength: 1, maxLength: 64, description: 'a case category code (cc-case-category)' },
    description: { type: 'string', minLength: 1, maxLength: 2000 },
    location: {
      type: 'object', required: ['longitude', 'latitude'], additionalProperties: false,
      properties: { longitude: { type: 'number', minimum: -180, maximum: 180 }, latitude: { type: 'number', minimum: -90, maximum: 90 }, address: { type: 'string', maxLength: 200 } },
    },
    urgency: { type: 'string', enum: ['A', 'B', 'C'], description: 'A 紧急, B 重大, C 一般 (the default)' },
    deadline: { ...DATE_TIME, description: 'when the partner wants the result: kept on the case as upperDeadline' },
    attachments: {
      type: 'array', maxItems: 20, description: "the partner's files as links: kept on the case as upperAttachments",
      items: { type: 'object', required: ['name', 'url'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, url: { type: 'string', pattern: '^https?://', maxLength: 2000 } } },
    },
  },
};
const STATUS: JsonSchema = {
  type: 'object', required: ['externalId', 'processInstanceId', 'caseNumber', 'caseCode', 'state', 'received', 'endedAt', 'reportBack', 'reportedBackAt'],
  properties: {
    externalId: { type: 'string' }, processInstanceId: { type: 'string' }, caseNumber: NULLABLE_STRING,
    caseCode: { ...NULLABLE_STRING, description: '案卷编号, once registered (立案)' },
    state: { type: 'string', enum: ['open', 'closed', 'voided'], description: 'closed: the case ended at an end event; voided: terminated, not registered (不立案), voided or deleted' },
    received: DATE_TIME, endedAt: { ...DATE_TIME, nullable: true },
    reportBack: { type: 'object', nullable: true, description: 'once closed: the report-back record the cc-report-back worker wrote (upperTaskId, caseCode, notes, rework, closedAt)' },
    reportedBackAt: { ...NULLABLE_STRING, description: 'once closed: when the report back was recorded' },
  },
};

/**
 * The exchange partners' API (上级交办): national and regional supervision platforms, each an API
 * client with a key holding `exchange:assign` in the tenant that takes its tasks.
 */
export function registerExchangeRoutes(routes: ApiRoutes, engine: ProcessEngine): void {
  const exchange = new ExchangeService(engine);
  const tag = 'exchange';
  routes.add<unknown, AssignmentInput>({
    method: 'post', path: '/exchange/assignments', tag, permission: 'exchange:assign', status: 201,
    summary: "assign a task to the key's tenant: starts its case by the assignment message (cc_upper_assignment) with externalId as business key — 201; the same externalId again answers the case it started — 200",
    body: ASSIGNMENT,
    response: STATUS,
    handle: async (call) => {
      const { created, status } = await exchange.assign(call.body, call.principal, call.actor, call.services);
      sendJson(call.ctx, status, created ? 201 : 200);
      return status;
    },
  });
  routes.add<unknown, unknown>({
    method: 'get', path: '/exchange/assignments/{externalId}', tag, permission: 'exchange:assign',
    summary: 'read an assigned task: the state of its case and, once closed, the report-back record',
    response: STATUS,
    handle: (call) => exchange.status(call.params.externalId as string, call.principal, call.services),
  });
}
