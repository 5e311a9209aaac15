import type Router from '@koa/router';
import type { Context } from 'koa';
import { BadUserRequestError, ConflictError, EngineError, NotFoundError } from '../../errors/index.js';
import type { IncidentEntity, JobEntity } from '../../persistence/index.js';
import type { JobQuery } from '../../services/index.js';
import { formatDate, parseDate } from './dates.js';
import { jsonBody, read, sendJson, sendNoContent } from './http.js';
import { listRoutes, type Parameters } from './list-routes.js';
import type { RestContext } from './rest-context.js';
import { permit } from './permit.js';

/** `/incident` and `/job`: what operators look at and the levers to repair it. */
export function operationRoutes(router: Router, rest: RestContext): void {
  listRoutes(router, rest, {
    path: '/incident',
    post: false,
    permission: 'instance:read',
    filters: (p) => ({
      incidentId: read.string(p, 'incidentId'),
      incidentType: read.string(p, 'incidentType'),
      processInstanceId: read.string(p, 'processInstanceId'),
      processDefinitionId: read.string(p, 'processDefinitionId'),
      executionId: read.string(p, 'executionId'),
      activityId: read.string(p, 'activityId'),
      configuration: read.string(p, 'configuration'),
      tenantIdIn: read.list(p, 'tenantIdIn'),
    }),
    list: (services, query) => services.managementService.listIncidents(query),
    count: (services, query) => services.managementService.countIncidents(query),
    toDtos: async (_services, incidents, context) => incidents.map((incident) => incidentDto(incident, context)),
  });
  router.get('/incident/:id', permit('instance:read'), async (ctx) => {
    sendJson(ctx, incidentDto(await rest.services(ctx).managementService.getIncident(ctx.params.id as string), rest));
  });

  listRoutes(router, rest, {
    path: '/job',
    post: true,
    permission: 'instance:read',
    filters: jobFilters,
    list: (services, query) => services.managementService.listJobs(query),
    count: (services, query) => services.managementService.countJobs(query),
    toDtos: async (_services, jobs, context) => jobs.map((job) => jobDto(job, context)),
  });
  router.get('/job/:id', permit('instance:read'), async (ctx) => {
    sendJson(ctx, jobDto(await rest.services(ctx).managementService.getJob(ctx.params.id as string), rest));
  });
  router.get('/job/:id/stacktrace', permit('instance:read'), async (ctx) => {
    const job = await rest.services(ctx).managementService.getJob(ctx.params.id as string);
    ctx.status = 200;
    ctx.set('Content-Type', 'text/plain');
    ctx.body = job.exceptionStacktrace ?? '';
  });
  router.post('/job/:id/execute', permit('job:manage'), async (ctx) => {
    await executeJob(ctx, rest);
  });
  router.put('/job/:id/retries', permit('job:manage'), async (ctx) => {
    const body = jsonBody(ctx);
    const retries = read.integer(body, 'retries');
    if (retries === undefined) throw new BadUserRequestError("'retries' is required");
    await rest.services(ctx).managementService.setJobRetries(ctx.params.id as string, retries);
    sendNoContent(ctx);
  });
}

/**
 * Runs the job now and answers 204. When the job itself fails (its retry is spent, as when the job
 * executor runs it), Camunda answers 500 with the exception's type and message; so does this.
 * An unknown job stays 404 and a lost race 409, as everywhere else.
 */
async function executeJob(ctx: Context, rest: RestContext): Promise<void> {
  try {
    await rest.services(ctx).managementService.executeJob(ctx.params.id as string);
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof ConflictError) throw error;
    const type = error instanceof EngineError ? error.type : 'ProcessEngineException';
    sendJson(ctx, { type, message: error instanceof Error ? error.message : String(error) }, 500);
    return;
  }
  sendNoContent(ctx);
}

function jobFilters(p: Parameters, rest: RestContext): JobQuery {
  return {
    jobId: read.string(p, 'jobId'),
    processInstanceId: read.string(p, 'processInstanceId'),
    executionId: read.string(p, 'executionId'),
    processDefinitionId: read.string(p, 'processDefinitionId'),
    processDefinitionKey: read.string(p, 'processDefinitionKey'),
    activityId: read.string(p, 'activityId'),
    timers: read.boolean(p, 'timers') || undefined,
    messages: read.boolean(p, 'messages') || undefined,
    executable: read.boolean(p, 'executable') || undefined,
    withRetriesLeft: read.boolean(p, 'withRetriesLeft') || undefined,
    noRetriesLeft: read.boolean(p, 'noRetriesLeft') || undefined,
    withException: read.boolean(p, 'withException') || undefined,
    tenantIdIn: read.list(p, 'tenantIdIn'),
    ...dueDates(p, rest),
  };
}

/**
 * `dueDates=lt_2026-01-01T00:00:00.000+0800,gt_...`: Camunda's list of `operator_date` conditions
 * (a JSON array of `{ operator, value }` in the POST form).
 */
function dueDates(p: Parameters, rest: RestContext): { dueBefore?: Date; dueAfter?: Date } {
  const value = p.dueDates;
  if (value === undefined || value === null || value === '') return {};
  const conditions = typeof value === 'string'
    ? value.split(',').map((part) => {
        const separator = part.indexOf('_');
        return { operator: part.slice(0, separator), value: part.slice(separator + 1) };
      })
    : value;
  if (!Array.isArray(conditions)) throw new BadUserRequestError("'dueDates' must be a list of operator_date conditions");
  const result: { dueBefore?: Date; dueAfter?: Date } = {};
  for (const condition of conditions as { operator?: unknown; value?: unknown }[]) {
    if (typeof condition?.value !== 'string') throw new BadUserRequestError("'dueDates' conditions need a date value");
    const date = parseDate(condition.value, 'dueDates', rest.timeZone);
    if (condition.operator === 'lt') result.dueBefore = date;
    else if (condition.operator === 'gt') result.dueAfter = date;
    else throw new BadUserRequestError(`Invalid dueDates comparator '${String(condition.operator)}': use lt or gt`);
  }
  return result;
}

function incidentDto(incident: IncidentEntity, rest: RestContext) {
  return {
    id: incident.id,
    processDefinitionId: incident.processDefinitionId,
    processInstanceId: incident.processInstanceId,
    executionId: incident.executionId,
    incidentTimestamp: formatDate(incident.createTime, rest.timeZone),
    incidentType: incident.incidentType,
    activityId: incident.activityId,
    failedActivityId: incident.activityId,
    // every incident here is its own cause: the engine raises none on behalf of another
    causeIncidentId: incident.id,
    rootCauseIncidentId: incident.id,
    configuration: incident.configuration,
    tenantId: incident.tenantId,
    incidentMessage: incident.message,
    jobDefinitionId: null,
    annotation: null,
  };
}

function jobDto(job: JobEntity, rest: RestContext) {
  return {
    id: job.id,
    jobDefinitionId: null,
    dueDate: formatDate(job.dueDate, rest.timeZone),
    processInstanceId: job.processInstanceId,
    executionId: job.executionId,
    processDefinitionId: job.processDefinitionId,
    processDefinitionKey: job.processDefinitionKey,
    retries: job.retries,
    exceptionMessage: job.exceptionMessage,
    failedActivityId: job.exceptionMessage === null ? null : job.activityId,
    suspended: job.suspended,
    priority: job.priority,
    tenantId: job.tenantId,
    createTime: formatDate(job.createTime, rest.timeZone),
  };
}
