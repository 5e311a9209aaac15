import type Router from '@koa/router';
import { BadUserRequestError } from '../../errors/index.js';
import type { MessageCorrelationResult } from '../../services/index.js';
import { jsonBody, read, sendJson, sendNoContent } from './http.js';
import type { RestContext } from './rest-context.js';
import { variablesFromRest } from './variables.js';
import { permit } from './permit.js';

/** `POST /message` and `POST /signal`. */
export function eventRoutes(router: Router, rest: RestContext): void {
  router.post('/message', permit('instance:manage'), async (ctx) => {
    const body = jsonBody(ctx);
    const results = await rest.services(ctx).runtimeService.correlateMessage({
      messageName: read.requiredString(body, 'messageName'),
      businessKey: read.string(body, 'businessKey'),
      processInstanceId: read.string(body, 'processInstanceId'),
      tenantId: read.string(body, 'tenantId'),
      correlationKeys: plainValues(variablesFromRest(body.correlationKeys, 'correlationKeys', rest.timeZone)),
      processVariables: variablesFromRest(body.processVariables, 'processVariables', rest.timeZone),
      all: read.boolean(body, 'all') ?? false,
    });
    if (read.boolean(body, 'resultEnabled')) sendJson(ctx, results.map(correlationResult));
    else sendNoContent(ctx);
  });

  router.post('/signal', permit('instance:manage'), async (ctx) => {
    const body = jsonBody(ctx);
    await rest.services(ctx).runtimeService.signalEventReceived({
      name: read.requiredString(body, 'name'),
      executionId: read.string(body, 'executionId'),
      tenantId: read.string(body, 'tenantId'),
      variables: variablesFromRest(body.variables, 'variables', rest.timeZone),
    });
    sendNoContent(ctx);
  });
}

/** Correlation keys compare by value: their REST types only say how to read the value. */
function plainValues(variables: Record<string, unknown>): Record<string, unknown> | undefined {
  const entries = Object.entries(variables);
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map(([name, value]) => [name, unwrap(name, value)]));
}

function unwrap(name: string, value: unknown): unknown {
  if (value && typeof value === 'object' && 'type' in value && 'value' in value) return (value as { value: unknown }).value;
  if (value === undefined) throw new BadUserRequestError(`Correlation key '${name}' has no value`);
  return value;
}

function correlationResult(result: MessageCorrelationResult) {
  const instance = { id: result.processInstanceId, definitionId: result.processDefinitionId, links: [], businessKey: null, caseInstanceId: null, ended: false, suspended: false, tenantId: null };
  return result.resultType === 'Execution'
    ? { resultType: 'Execution', execution: { id: result.executionId, processInstanceId: result.processInstanceId, ended: false, tenantId: null }, processInstance: null }
    : { resultType: 'ProcessDefinition', execution: null, processInstance: instance };
}
