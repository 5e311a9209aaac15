import { countDrafts, DeleteDraftCmd, getDraft, listDrafts, SaveDraftCmd, type DraftInput, type DraftQuery } from '../../processes/index.js';
import { adminCalls, addListAndCount, type AdminRouteDeps } from './admin-calls.js';
import { NAME, PAGE, sortBy } from './admin-schemas.js';
import type { ApiCall, ApiRoutes, JsonSchema } from './routes.js';

const SUMMARY_PROPERTIES: Record<string, JsonSchema> = {
  id: { type: 'string' }, rev: { type: 'integer', description: 'send it back when saving: a draft saved by someone else since is a 409' },
  tenantId: { type: 'string', nullable: true }, key: { type: 'string', description: 'the process id in the XML' }, name: { type: 'string', nullable: true },
  updated: { type: 'string', format: 'date-time' }, updatedBy: { type: 'string', nullable: true },
};
const DRAFT: JsonSchema = { type: 'object', properties: { ...SUMMARY_PROPERTIES, content: { type: 'string', description: 'the BPMN XML' } } };

/**
 * `/api/process-drafts`: BPMN XML saved from the designer before it is deployed, one per process
 * id in the caller's tenant. The XML must parse; lint problems are allowed, a draft is unfinished.
 */
export function registerProcessDraftRoutes(routes: ApiRoutes, deps: AdminRouteDeps): void {
  const calls = adminCalls(deps);
  const tag = 'process drafts';
  const keyOf = (call: ApiCall<unknown, unknown>) => call.params.key as string;
  addListAndCount<DraftQuery>(routes, calls, {
    path: '/process-drafts', tag, permission: 'process:read',
    summaries: { list: 'list the drafts the caller sees (without their XML), the last saved first', count: 'count the drafts the caller sees' },
    query: { type: 'object', properties: { key: { type: 'string', maxLength: 255 }, nameLike: { type: 'string' }, ...sortBy('key', 'name', 'updated'), ...PAGE } },
    item: { type: 'object', properties: SUMMARY_PROPERTIES },
    list: listDrafts,
    count: countDrafts,
  });
  routes.add<unknown, unknown>({
    method: 'get', path: '/process-drafts/{key}', tag, permission: 'process:read', summary: "read the caller's tenant's draft of a process, with its XML",
    response: DRAFT,
    handle: (call) => calls.read(call, (session) => getDraft(session, keyOf(call), call.actor.tenantId)),
  });
  routes.add<unknown, DraftInput>({
    method: 'put', path: '/process-drafts/{key}', tag, permission: 'process:deploy',
    summary: 'save a draft: without `rev` a new one, with the `rev` it was loaded at a replacement (someone who saved since makes it a 409 naming them)',
    body: {
      type: 'object', required: ['content'], additionalProperties: false,
      properties: { name: { ...NAME, nullable: true }, content: { type: 'string', minLength: 1, description: 'the BPMN XML; it must parse and hold a process with the id `key`' }, rev: { type: 'integer', minimum: 1 } },
    },
    response: DRAFT,
    handle: async (call) => {
      await calls.change(call, new SaveDraftCmd(keyOf(call), call.body));
      return calls.read(call, (session) => getDraft(session, keyOf(call), call.actor.tenantId));
    },
  });
  routes.add<unknown, unknown>({
    method: 'delete', path: '/process-drafts/{key}', tag, permission: 'process:deploy', status: 204, summary: 'delete a draft (what was deployed from it stays)',
    handle: (call) => calls.change(call, new DeleteDraftCmd(keyOf(call))),
  });
}
