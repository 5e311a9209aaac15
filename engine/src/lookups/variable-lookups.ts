import type { InstanceRuntime } from '../bpmn/execute/index.js';
import type { Activity, VariableLookup } from '../bpmn/model/index.js';
import { findDictionaryItems } from '../dictionaries/index.js';
import { ProcessEvaluationError } from '../errors/index.js';
import { DEPARTMENT, type ExecutionEntity } from '../persistence/index.js';
import { evaluatePath, isEmptyValue, valueAt } from './extra-path.js';

/**
 * Fills the activity's `yiwang:lookup:*` variables as it is entered (after its input mappings,
 * before its start listeners and its behaviour, so a user task's form, assignment and listeners
 * see the value). A variable that already holds something keeps it: a choice made at the step
 * (the dispatcher's department) survives the step being entered again after 回退 or 返工.
 * Finding nothing (no item code, no item, nothing at either path, an unknown department code)
 * writes nothing and fails nothing — a default is a convenience, and a gap in a dictionary must
 * not stop the case; an unknown department code is logged as the configuration error it is.
 */
export async function applyVariableLookups(runtime: InstanceRuntime, token: ExecutionEntity, activity: Activity): Promise<void> {
  if (activity.lookups.length === 0) return;
  await runtime.variables.ensureLoaded();
  for (const lookup of activity.lookups) {
    const resolver = runtime.variables.resolver(runtime.chain(token), {});
    if (!isEmptyValue(resolver.get(lookup.variable))) continue;
    const value = await lookedUpValue(runtime, token, activity, lookup);
    if (!isEmptyValue(value)) await runtime.setVariables(token, { [lookup.variable]: value });
  }
}

async function lookedUpValue(runtime: InstanceRuntime, token: ExecutionEntity, activity: Activity, lookup: VariableLookup): Promise<unknown> {
  const setting = (name: string) => `yiwang:lookup:${lookup.variable}:${name} of '${activity.id}'`;
  const code = await runtime.evaluate(lookup.item, token, setting('item'));
  if (isEmptyValue(code)) return null;
  if (typeof code !== 'string' && typeof code !== 'number') {
    throw new ProcessEvaluationError(`${setting('item')} (${lookup.item.source}) must give an item code, not ${JSON.stringify(code) ?? typeof code}`);
  }
  const [item] = await findDictionaryItems(runtime.context.session, lookup.dictionary, [String(code)], token.tenantId);
  if (!item) return null;
  let value: unknown;
  for (const [path, name] of [[lookup.prefer, 'prefer'], [lookup.field, 'field']] as const) {
    const keys = path ? await evaluatePath(runtime, token, path, setting(name)) : null;
    value = keys ? valueAt(item.extra, keys) : undefined;
    if (!isEmptyValue(value)) break;
  }
  if (isEmptyValue(value) || lookup.as === 'value') return value;
  return departmentId(runtime, token, activity, lookup, value);
}

/** The id of the department with the code in the instance's tenant; null (and a warning) when there is none. */
async function departmentId(runtime: InstanceRuntime, token: ExecutionEntity, activity: Activity, lookup: VariableLookup, code: unknown): Promise<string | null> {
  const { context } = runtime;
  const departments = typeof code === 'string' && token.tenantId !== null
    ? (await context.session.select(DEPARTMENT, 'tenant_id = $1 AND code = $2', [token.tenantId, code])).filter((department) => department.code === code)
    : [];
  if (departments[0]) return departments[0].id;
  context.environment.logger.warn(
    { processInstanceId: token.processInstanceId, activityId: activity.id, tenantId: token.tenantId, dictionary: lookup.dictionary, variable: lookup.variable, code },
    `yiwang:lookup:${lookup.variable}: the dictionary '${lookup.dictionary}' names the department '${String(code)}', which the instance's tenant has not: the variable stays empty`,
  );
  return null;
}
