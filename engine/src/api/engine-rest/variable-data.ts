import type Router from '@koa/router';
import type { Context } from 'koa';
import { BadUserRequestError, NotFoundError } from '../../errors/index.js';
import type { TypedValue } from '../../variables/index.js';
import { sendJson } from './http.js';
import type { RestContext } from './rest-context.js';
import { variablesToRest, variableToRest } from './variables.js';
import { permit } from './permit.js';

/**
 * An execution's own variables, and the content of file and bytes variables:
 * camunda-external-task-client-js downloads a file variable with
 * `GET /execution/{processInstanceId}/localVariables/{name}/data`; Camunda's tooling uses the
 * process instance's twin.
 */
export function variableDataRoutes(router: Router, rest: RestContext): void {
  const localVariables = (ctx: Context) => rest.services(ctx).runtimeService.getVariablesLocal(ctx.params.id as string);

  router.get('/execution/:id/localVariables', permit('instance:read'), async (ctx) => {
    sendJson(ctx, variablesToRest(await localVariables(ctx), rest.timeZone));
  });

  router.get('/execution/:id/localVariables/:name', permit('instance:read'), async (ctx) => {
    sendJson(ctx, variableToRest(variableOf(await localVariables(ctx), ctx), rest.timeZone));
  });

  router.get('/execution/:id/localVariables/:name/data', permit('instance:read'), async (ctx) => {
    sendBinary(ctx, variableOf(await localVariables(ctx), ctx));
  });

  router.get('/process-instance/:id/variables/:name/data', permit('instance:read'), async (ctx) => {
    sendBinary(ctx, variableOf(await localVariables(ctx), ctx));
  });
}

function variableOf(variables: ReadonlyMap<string, TypedValue>, ctx: Context): TypedValue {
  const name = ctx.params.name as string;
  const variable = variables.get(name);
  if (!variable) throw new NotFoundError(`Variable '${name}' does not exist on '${ctx.params.id as string}'`);
  return variable;
}

/** The raw content: a file with its mime type, encoding and file name, bytes as octet-stream (as Camunda answers). */
function sendBinary(ctx: Context, variable: TypedValue): void {
  const name = ctx.params.name as string;
  if (variable.type !== 'file' && variable.type !== 'bytes') {
    throw new BadUserRequestError(`Value of variable '${name}' is not a binary value (it is ${variable.type})`);
  }
  const content = (variable.value as Buffer | null) ?? Buffer.alloc(0);
  ctx.status = 200;
  if (variable.type === 'file') {
    const info = variable.valueInfo ?? {};
    const mimeType = typeof info.mimeType === 'string' ? info.mimeType : 'application/octet-stream';
    ctx.set('Content-Type', typeof info.encoding === 'string' ? `${mimeType}; charset=${info.encoding}` : mimeType);
    ctx.set('Content-Disposition', contentDisposition(String(info.filename ?? name)));
  } else {
    ctx.set('Content-Type', 'application/octet-stream');
  }
  ctx.body = content;
}

/** `attachment; filename="..."` (or `inline`), plus RFC 5987's `filename*` when the name is not plain ASCII (报告.pdf). */
export function contentDisposition(filename: string, disposition: 'attachment' | 'inline' = 'attachment'): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return ascii === filename ? `${disposition}; filename="${ascii}"` : `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
