import { findDictionaryItems } from '../../dictionaries/index.js';
import { NotFoundError } from '../../errors/index.js';
import { containsPattern } from '../../identity/organisation/rules.js';
import {
  HI_ACTIVITY_INSTANCE,
  HI_PROCESS_INSTANCE,
  INCIDENT,
  placeholders,
  PROCESS_FORM,
  type DbSession,
  type DictionaryItemEntity,
  type HistoricProcessInstanceEntity,
  type ProcessDefinitionEntity,
} from '../../persistence/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { definitionsOf } from '../../tasks/index.js';
import { Filter, orderAndPage } from '../../services/query.js';
import { formLanguage } from '../language.js';
import { DATE_TIME, PAGE } from './admin-schemas.js';
import { caseCalls, type CaseCalls } from './case-calls.js';
import type { ApiCall, ApiRoutes, JsonSchema } from './routes.js';

/** The dictionary whose codes `yiwang:category` (stored as `process_definition.category`) holds. */
const PROCESS_CATEGORY_DICTIONARY = 'process-category';
const NULLABLE_STRING: JsonSchema = { type: 'string', nullable: true };
const STARTABLE_PROCESS: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, key: { type: 'string' }, name: NULLABLE_STRING, version: { type: 'integer' },
    category: { ...NULLABLE_STRING, description: 'a code of the process-category dictionary' },
    categoryLabel: { ...NULLABLE_STRING, description: "the category's label in the request's language (Accept-Language); the code when the dictionary lacks it" },
    hasStartForm: { type: 'boolean', description: 'the start event has a pinned form: start through /process-definitions/{id}/start-form' },
  },
};
const CASE_QUERY: JsonSchema = {
  type: 'object',
  properties: {
    businessKey: { type: 'string', maxLength: 255, description: 'the case number, exactly' },
    businessKeyLike: { type: 'string', maxLength: 255, description: 'the case number starts with this' },
    processDefinitionKey: { type: 'string', maxLength: 255, description: "only cases of this process (any version): the staff app's case search opened for a process" },
    ...PAGE,
  },
};
const CASE_ROW: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, businessKey: NULLABLE_STRING, processName: NULLABLE_STRING, processDefinitionKey: NULLABLE_STRING,
    state: { type: 'string', description: 'ACTIVE, SUSPENDED, COMPLETED, EXTERNALLY_TERMINATED, INTERNALLY_TERMINATED' },
    startTime: DATE_TIME, endTime: { ...DATE_TIME, nullable: true },
  },
};
const DIAGRAM: JsonSchema = {
  type: 'object',
  properties: {
    processDefinitionId: { type: 'string' },
    bpmnXml: { type: 'string', description: "the definition's BPMN 2.0 XML as deployed" },
    activities: {
      type: 'array',
      description: 'each activity the case reached: active while a token is there, completed once every visit ended; count is how often it was entered',
      items: { type: 'object', properties: { activityId: { type: 'string' }, state: { type: 'string', enum: ['active', 'completed'] }, count: { type: 'integer' } } },
    },
    incidents: { type: 'array', items: { type: 'string' }, description: 'the ids of activities with an open incident' },
  },
};

interface CaseQuery {
  readonly businessKey?: string;
  readonly businessKeyLike?: string;
  readonly processDefinitionKey?: string;
  readonly firstResult?: number;
  readonly maxResults?: number;
}

/**
 * What the staff app reads about processes and cases: the start catalogue (`/api/process-definitions/startable`),
 * finding a case by its number (`/api/instances`), and a case's diagram with its progress. Case reads go
 * through the caller's data scope: a case it hides is not listed, and answers 404.
 */
export function registerProcessRoutes(routes: ApiRoutes, engine: ProcessEngine): void {
  const calls = caseCalls(engine);
  routes.add({
    method: 'get', path: '/process-definitions/startable', tag: 'processes', permission: 'process:start',
    summary: "list the processes the caller may start: the latest version of each key of their tenant or shared (their tenant's wins), startable and not suspended, by category then name",
    response: { type: 'array', items: STARTABLE_PROCESS },
    handle: async (call) => {
      const latest = await call.services.repositoryService.listProcessDefinitions({ latestVersion: true });
      const definitions = startableFor(latest, call.principal.tenantId);
      return calls.read(call, (session) => startCatalogue(session, engine, definitions, call.principal.tenantId, formLanguage(call.ctx)));
    },
  });
  registerCaseSearch(routes, calls);
  routes.add({
    method: 'get', path: '/instances/{id}/diagram', tag: 'instances', permission: 'instance:read',
    summary: "read a case's diagram: its definition's BPMN XML, the activities it reached (active or completed, how often) and those with an incident",
    response: DIAGRAM,
    handle: async (call) => {
      const id = call.params.id as string;
      const progress = await calls.read(call, (session) => caseProgress(session, id));
      return { ...progress, bpmnXml: await call.services.repositoryService.getProcessDefinitionXml(progress.processDefinitionId) };
    },
  });
}

function registerCaseSearch(routes: ApiRoutes, calls: CaseCalls): void {
  const tag = 'instances';
  routes.add<CaseQuery, unknown>({
    method: 'get', path: '/instances/count', tag, summary: 'count the cases found by case number and process', permission: 'instance:read', query: CASE_QUERY,
    response: { type: 'object', properties: { count: { type: 'integer' } } },
    handle: async (call) => {
      const filter = caseFilter(call);
      return { count: await calls.read(call, (session) => session.count(HI_PROCESS_INSTANCE, filter.where, filter.bindings)) };
    },
  });
  routes.add<CaseQuery, unknown>({
    method: 'get', path: '/instances', tag, summary: 'find cases by case number (exactly, or its beginning) and process, newest first', permission: 'instance:read', query: CASE_QUERY,
    response: { type: 'array', items: CASE_ROW },
    handle: (call) => calls.read(call, async (session) => {
      const filter = caseFilter(call);
      const order = orderAndPage({ sortBy: 'started', sortOrder: 'desc' }, { started: 'start_time' }, 'started', call.query);
      const instances = await session.select(HI_PROCESS_INSTANCE, filter.where, filter.bindings, order);
      const definitions = await definitionsOf(session, instances.map((instance) => instance.processDefinitionId));
      return instances.map((instance) => caseRow(instance, definitions.get(instance.processDefinitionId)));
    }),
  });
}

function caseFilter(call: ApiCall<CaseQuery, unknown>): Filter {
  // (process_definition_key, start_time) is indexed: a process's cases newest first read in index order
  const filter = new Filter().equals('business_key', call.query.businessKey).equals('process_definition_key', call.query.processDefinitionKey);
  // "contains" without its leading %: a prefix, which MariaDB's index on business_key serves as a range (SQLite's
  // planner does not use an index for LIKE on a BINARY-collated column: it tests each case it reads)
  if (call.query.businessKeyLike !== undefined) filter.raw("business_key LIKE ? ESCAPE '!'", containsPattern(call.query.businessKeyLike).slice(1));
  return filter;
}

function caseRow(instance: HistoricProcessInstanceEntity, definition: ProcessDefinitionEntity | undefined) {
  const { id, businessKey, state, startTime, endTime } = instance;
  return { id, businessKey, processName: definition?.name ?? definition?.key ?? null, processDefinitionKey: definition?.key ?? instance.processDefinitionKey, state, startTime, endTime };
}

/** Of the latest versions, those the caller's tenant starts: its own, and shared ones whose key it does not have itself. */
function startableFor(latest: readonly ProcessDefinitionEntity[], tenantId: string): ProcessDefinitionEntity[] {
  const own = new Set(latest.filter((definition) => definition.tenantId === tenantId).map((definition) => definition.key));
  return latest.filter(
    (definition) => definition.startable && !definition.suspended && (definition.tenantId === tenantId || (definition.tenantId === null && !own.has(definition.key))),
  );
}

async function startCatalogue(session: DbSession, engine: ProcessEngine, definitions: readonly ProcessDefinitionEntity[], tenantId: string, language: 'en' | 'zh-CN') {
  const codes = [...new Set(definitions.map((definition) => definition.category).filter((code): code is string => code !== null))];
  const categories = new Map((await findDictionaryItems(session, PROCESS_CATEGORY_DICTIONARY, codes, tenantId)).map((item) => [item.code, item]));
  const withForms = await withStartForms(session, engine, definitions);
  const label = (item: DictionaryItemEntity | undefined, code: string | null) => (item ? (language === 'en' ? (item.labelEn ?? item.label) : item.label) : code);
  return [...definitions]
    .sort((a, b) => categoryOrder(categories, a.category) - categoryOrder(categories, b.category)
      || (a.category ?? '').localeCompare(b.category ?? '')
      || (a.name ?? a.key).localeCompare(b.name ?? b.key, 'zh-CN'))
    .map(({ id, key, name, version, category }) => ({
      id, key, name, version, category, categoryLabel: label(category === null ? undefined : categories.get(category), category), hasStartForm: withForms.has(id),
    }));
}

/** Categories in the dictionary's order; codes it lacks after them, processes without a category last. */
function categoryOrder(categories: ReadonlyMap<string, DictionaryItemEntity>, code: string | null): number {
  if (code === null) return Number.MAX_SAFE_INTEGER;
  return categories.get(code)?.sortOrder ?? Number.MAX_SAFE_INTEGER - 1;
}

/** The ids of the definitions whose start event has a pinned form version. */
async function withStartForms(session: DbSession, engine: ProcessEngine, definitions: readonly ProcessDefinitionEntity[]): Promise<Set<string>> {
  if (definitions.length === 0) return new Set();
  const ids = definitions.map((definition) => definition.id);
  const pins = await session.select(PROCESS_FORM, `process_definition_id IN (${placeholders(ids.length)})`, ids);
  const found = new Set<string>();
  for (const definition of definitions) {
    const { model } = await engine.environment.deployments.get(session, definition.id);
    const start = model.root.startActivity;
    if (start?.kind === 'startEvent' && pins.some((pin) => pin.processDefinitionId === definition.id && pin.activityId === start.id)) found.add(definition.id);
  }
  return found;
}

/** The case's definition, the activities it reached and where it has incidents, read through the caller's scope. */
async function caseProgress(session: DbSession, id: string) {
  const instance = await session.findById(HI_PROCESS_INSTANCE, id);
  if (!instance) throw new NotFoundError(`Process instance '${id}' does not exist`);
  const [visits, incidents] = await session.selectMany([
    { table: HI_ACTIVITY_INSTANCE, where: 'process_instance_id = $1', bind: [id], suffix: 'ORDER BY start_time, sequence_counter' },
    { table: INCIDENT, where: 'process_instance_id = $1', bind: [id] },
  ] as const);
  const activities = new Map<string, { activityId: string; state: 'active' | 'completed'; count: number }>();
  // a multi-instance body (`x#multiInstanceBody`) is no element of the diagram: its instances are
  for (const visit of visits.filter((row) => !row.activityId.includes('#'))) {
    const seen = activities.get(visit.activityId) ?? { activityId: visit.activityId, state: 'completed' as const, count: 0 };
    activities.set(visit.activityId, { activityId: visit.activityId, state: visit.endTime === null ? 'active' : seen.state, count: seen.count + 1 });
  }
  return {
    processDefinitionId: instance.processDefinitionId,
    activities: [...activities.values()],
    incidents: [...new Set(incidents.map((incident) => incident.activityId).filter((activityId): activityId is string => activityId !== null))],
  };
}
