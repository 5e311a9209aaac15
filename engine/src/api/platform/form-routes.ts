import { BadUserRequestError } from '../../errors/index.js';
import type { FormDefinitionEntity } from '../../persistence/index.js';
import type { FormQuery, FormToValidate, FormVersionView, SaveFormInput } from '../../services/index.js';
import { sendJson } from '../engine-rest/http.js';
import { formLanguage } from '../language.js';
import { DATE_TIME, NAME, PAGE, sortBy, TENANT_ID } from './admin-schemas.js';
import type { ApiCall, ApiRoutes, JsonSchema } from './routes.js';

const FORM_KEY: JsonSchema = { type: 'string', minLength: 1, maxLength: 255 };
const JSON_OBJECT: JsonSchema = { type: 'object' };
const TENANT_QUERY: JsonSchema = { type: 'object', properties: { tenantId: TENANT_ID } };
const FORM_QUERY: JsonSchema = {
  type: 'object',
  properties: { key: FORM_KEY, nameLike: { type: 'string' }, tenantId: TENANT_ID, ...sortBy('key', 'name', 'created'), ...PAGE },
};
const FORM_VERSION: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, tenantId: { type: 'string', nullable: true, description: 'null: a shared form, readable by every tenant' },
    key: { type: 'string', description: 'the form-js id' }, version: { type: 'integer' }, name: { type: 'string', nullable: true },
    deploymentId: { type: 'string', nullable: true, description: 'the deployment that brought the version; null when saved here' },
    created: DATE_TIME, createdBy: { type: 'string', nullable: true },
  },
};
const FORM_VERSION_DETAIL: JsonSchema = {
  type: 'object',
  properties: { ...FORM_VERSION.properties, form: { ...JSON_OBJECT, description: 'the form-js JSON' }, schema: { ...JSON_OBJECT, description: 'the JSON Schema (2020-12) derived from the form' } },
};
const FIELD_ERRORS: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: { field: { type: 'string' }, label: { type: 'string', nullable: true }, rule: { type: 'string' }, message: { type: 'string' } },
  },
};
const FORM_VIEW: JsonSchema = {
  type: 'object',
  properties: {
    formKey: { type: 'string' }, formVersion: { type: 'integer' },
    form: { ...JSON_OBJECT, description: 'the pinned form version as this user gets it: hidden fields left out, read-only ones `readonly: true`' },
    schema: { ...JSON_OBJECT, description: 'the JSON Schema of that form' },
    data: { ...JSON_OBJECT, description: "the current values of the form's fields (none for a start form), without hidden ones" },
    permissions: { type: 'object', additionalProperties: { type: 'string', enum: ['editable', 'readonly', 'hidden'] }, description: 'fields that are not editable at this step' },
  },
};
const SERIAL_NUMBERS: JsonSchema = { type: 'object', additionalProperties: { type: 'string' }, description: 'the serial numbers (流水号) of the yw-serial fields, by field key' };
const FORM_DATA: JsonSchema = { ...JSON_OBJECT, description: "the form's data, as form-js submits it" };

/**
 * `/api/forms`: form definitions and their versions per tenant (shared ones, without a tenant,
 * readable by all); and the step forms of the platform's apps: a task's form and a process's
 * start form, read as their user gets them and submitted with server-side validation (400
 * `FormValidationError` with `errors: [{ field, label, rule, message }]`, messages by `Accept-Language`).
 */
export function registerFormRoutes(routes: ApiRoutes): void {
  registerFormDefinitionRoutes(routes);
  registerStepFormRoutes(routes);
}

function registerFormDefinitionRoutes(routes: ApiRoutes): void {
  const tag = 'forms';
  routes.add<FormQuery, unknown>({
    method: 'get', path: '/forms', tag, summary: 'list the latest version of each form', permission: 'form:read', query: FORM_QUERY,
    response: { type: 'array', items: FORM_VERSION },
    handle: async (call) => (await call.services.formService.listForms(call.query)).map(formVersionDto),
  });
  routes.add<FormQuery, unknown>({
    method: 'get', path: '/forms/count', tag, summary: 'count forms', permission: 'form:read', query: FORM_QUERY,
    response: { type: 'object', properties: { count: { type: 'integer' } } },
    handle: async (call) => ({ count: await call.services.formService.countForms(call.query) }),
  });
  routes.add<{ tenantId?: string }, unknown>({
    method: 'get', path: '/forms/{key}/versions', tag, summary: "list a form's versions, newest first", permission: 'form:read', query: TENANT_QUERY,
    response: { type: 'array', items: FORM_VERSION },
    handle: async (call) => (await call.services.formService.listFormVersions(call.params.key as string, call.query.tenantId)).map(formVersionDto),
  });
  routes.add<{ tenantId?: string }, unknown>({
    method: 'get', path: '/forms/{key}/versions/{version}', tag, summary: 'read a form version with its JSON Schema', permission: 'form:read', query: TENANT_QUERY,
    response: FORM_VERSION_DETAIL,
    handle: async (call) => formVersionDetail(await formVersionOf(call)),
  });
  routes.add<{ tenantId?: string }, unknown>({
    method: 'get', path: '/forms/{key}/versions/{version}/export', tag, summary: 'export a form version as a .form file', permission: 'form:read', query: TENANT_QUERY,
    handle: async (call) => {
      const { definition, form } = await formVersionOf(call);
      call.ctx.set('Content-Disposition', `attachment; filename="${encodeURIComponent(definition.key)}.form"`);
      sendJson(call.ctx, form);
    },
  });
  routes.add<unknown, SaveFormInput>({
    method: 'post', path: '/forms', tag, summary: 'save a new version of a form (201), or find the same content already saved (200)', permission: 'form:write',
    body: {
      type: 'object', required: ['form'], additionalProperties: false,
      properties: { form: { ...JSON_OBJECT, description: 'the form-js JSON; its `id` is the form key' }, name: NAME, tenantId: TENANT_ID },
    },
    response: FORM_VERSION_DETAIL,
    handle: async (call) => {
      const saved = await call.services.formService.saveForm(call.body);
      sendJson(call.ctx, formVersionDetail(saved), saved.created ? 201 : 200);
    },
  });
  routes.add<unknown, { data: Record<string, unknown> } & Partial<{ key: string; version: number; tenantId: string; form: unknown }>>({
    method: 'post', path: '/forms/validate', tag, summary: "validate data against a form version or a form being designed (the designer's preview)", permission: 'form:read',
    body: {
      type: 'object', required: ['data'], additionalProperties: false, anyOf: [{ required: ['form'] }, { required: ['key'] }],
      properties: { key: FORM_KEY, version: { type: 'integer', minimum: 1 }, tenantId: TENANT_ID, form: JSON_OBJECT, data: FORM_DATA },
    },
    response: { type: 'object', properties: { valid: { type: 'boolean' }, errors: FIELD_ERRORS } },
    handle: async (call) => {
      const { data, form, key, version, tenantId } = call.body;
      const target: FormToValidate = form !== undefined ? { form } : { key: key as string, version, tenantId };
      const errors = await call.services.formService.validateFormData(target, data, formLanguage(call.ctx));
      return { valid: errors.length === 0, errors };
    },
  });
}

function registerStepFormRoutes(routes: ApiRoutes): void {
  routes.add({
    method: 'get', path: '/tasks/{id}/form', tag: 'tasks', summary: "read a task's form with the values it shows", permission: 'task:read',
    response: FORM_VIEW,
    handle: (call) => call.services.formService.getTaskForm(call.params.id as string),
  });
  routes.add<unknown, { data: Record<string, unknown> }>({
    method: 'post', path: '/tasks/{id}/form', tag: 'tasks', summary: "submit a task's form and complete the task (通过: the task must offer it)", permission: 'task:handle', idempotent: true,
    body: { type: 'object', required: ['data'], additionalProperties: false, properties: { data: FORM_DATA } },
    response: { type: 'object', properties: { serialNumbers: SERIAL_NUMBERS } },
    handle: async (call) => {
      const { serialNumbers } = await call.services.formService.submitTaskForm(call.params.id as string, { data: call.body.data, language: formLanguage(call.ctx) }, { operation: 'approve' });
      return { serialNumbers };
    },
  });
  routes.add({
    method: 'get', path: '/process-definitions/{id}/start-form', tag: 'processes', summary: "read a process definition's start form", permission: 'process:read',
    response: FORM_VIEW,
    handle: (call) => call.services.formService.getStartForm(call.params.id as string),
  });
  routes.add<unknown, { data: Record<string, unknown>; businessKey?: string }>({
    method: 'post', path: '/process-definitions/{id}/start-form', tag: 'processes', summary: "start an instance from the start form; without a businessKey the form's first serial number (流水号) is the case number", permission: 'process:start', status: 201, idempotent: true,
    body: {
      type: 'object', required: ['data'], additionalProperties: false,
      properties: { data: FORM_DATA, businessKey: { type: 'string', maxLength: 255 } },
    },
    response: { type: 'object', properties: { processInstanceId: { type: 'string' }, businessKey: { type: 'string', nullable: true }, serialNumbers: SERIAL_NUMBERS } },
    handle: async (call) => {
      const submission = { data: call.body.data, language: formLanguage(call.ctx) };
      const started = await call.services.formService.submitStartForm(call.params.id as string, { businessKey: call.body.businessKey ?? null, submission });
      return { processInstanceId: started.id, businessKey: started.businessKey, serialNumbers: started.serialNumbers };
    },
  });
}

function formVersionOf(call: ApiCall<{ tenantId?: string }, unknown>): Promise<FormVersionView> {
  const text = call.params.version as string;
  if (!/^[1-9][0-9]{0,8}$/.test(text)) throw new BadUserRequestError(`The form version must be a positive whole number, got '${text}'`);
  return call.services.formService.getFormVersion(call.params.key as string, Number(text), call.query.tenantId);
}

function formVersionDto(definition: FormDefinitionEntity) {
  const { id, tenantId, key, version, name, deploymentId, created, createdBy } = definition;
  return { id, tenantId, key, version, name, deploymentId, created, createdBy };
}

function formVersionDetail({ definition, form, schema }: FormVersionView) {
  return { ...formVersionDto(definition), form, schema };
}
