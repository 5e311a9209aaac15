import type { Command, CommandContext } from '../../command/index.js';
import { InstanceRuntime } from '../../bpmn/execute/index.js';
import { NotFoundError } from '../../errors/index.js';
// the modules themselves, not their folders' entries: those bring the upload machinery (sharp, busboy) into every engine
import { dictionaryItemsExist } from '../../dictionaries/queries.js';
import { fileReferencesExist } from '../../files/files.js';
import { fieldError, fieldMessage, formVariables, FormValidationError, readOnlyChanges, withoutHidden, type FieldError, type FormField, type FormLanguage } from '../../forms/index.js';
import { DEPARTMENT, placeholders, TASK, USER, type ProcessDefinitionEntity, type Table, type TaskEntity } from '../../persistence/index.js';
import { TypedValue, type VariableMap } from '../../variables/index.js';
import { visibleVariables } from '../runtime-service.js';
import { startFormOf, taskFormOf, type ActivityForm } from './activity-forms.js';
import { declaredFields, serialFields } from './form-versions.js';
import { findDefinition, StartProcessInstanceCmd, type ProcessInstance } from './process-instance.js';
import { nextSerialNumber, SERIAL_FIELD_VALUE, serialFieldKeys, withFieldValues } from './serial-numbers.js';
import { openTaskFor } from '../../tasks/operation.js';
import { checkTaskAction, CompleteTaskCmd, loadOpenTask, type CompletionNote } from './task.js';

/**
 * What a form submission carries: Camunda clients send typed variables (`submit-form`), the
 * platform's apps the form's data. Either way it is validated as plain data.
 */
export type FormSubmission =
  | { readonly variables: VariableMap; readonly language: FormLanguage }
  | { readonly data: Readonly<Record<string, unknown>>; readonly language: FormLanguage };

export interface AcceptedSubmission {
  /** the serial numbers (流水号) of the form's `yw-serial` fields, by field key */
  readonly serialNumbers: Readonly<Record<string, string>>;
}

/**
 * Completes a task with its form's data, in one command: the form is the version the task was
 * pinned to; nothing is written unless every field passes (FormValidationError lists them).
 */
export class SubmitTaskFormCmd implements Command<AcceptedSubmission> {
  readonly name = 'SubmitTaskForm';

  constructor(
    private readonly taskId: string,
    private readonly submission: FormSubmission,
    private readonly note: CompletionNote = { operation: 'complete' },
  ) {}

  async execute(context: CommandContext): Promise<AcceptedSubmission> {
    await InstanceRuntime.prefetchFor(context, TASK, this.taskId, true);
    const task = await this.allowedTask(context);
    const { pinned, description } = await taskFormOf(context, task);
    if (!pinned) {
      if (formRequired(this.submission)) throw new NotFoundError(`${description} has no form`);
      await new CompleteTaskCmd(task.id, submittedVariables(this.submission), {}, this.note).execute(context);
      return { serialNumbers: {} };
    }
    const current = plainValues(await visibleVariables(context.session, task.executionId));
    const accepted = await acceptSubmission(context, pinned, this.submission, current, task.tenantId);
    await new CompleteTaskCmd(task.id, accepted.variables, {}, this.note).execute(context);
    return { serialNumbers: accepted.serialNumbers };
  }

  /** Who may complete the task is decided before anything about its data is told; 通过 must also be offered by the task. */
  private async allowedTask(context: CommandContext): Promise<TaskEntity> {
    if (this.note.operation === 'approve') return (await openTaskFor(context, this.taskId, 'approve', 'complete')).task;
    const task = await loadOpenTask(context, this.taskId);
    await checkTaskAction(context, task, 'complete');
    return task;
  }
}

export interface StartFormSubmission {
  readonly businessKey?: string | null;
  readonly submission: FormSubmission;
}

/**
 * Starts an instance from its start form, validated like a task form; a definition without one
 * starts with the variables as they are. Without a business key from the caller, the form's first
 * `yw-serial` field numbers the case.
 */
export class SubmitStartFormCmd implements Command<ProcessInstance & AcceptedSubmission> {
  readonly name = 'SubmitStartForm';

  constructor(
    private readonly processDefinitionId: string,
    private readonly input: StartFormSubmission,
  ) {}

  async execute(context: CommandContext): Promise<ProcessInstance & AcceptedSubmission> {
    const definition = await findDefinition(context, { id: this.processDefinitionId });
    const { pinned, description } = await startFormOf(context, definition);
    if (!pinned && formRequired(this.input.submission)) throw new NotFoundError(`${description} has no form`);
    // the tenant the instance will belong to: an instance of a shared definition is its starter's
    const tenantId = definition.tenantId ?? context.actor?.tenantId ?? null;
    const accepted = pinned ? await acceptSubmission(context, pinned, this.input.submission, {}, tenantId) : { variables: submittedVariables(this.input.submission), serialNumbers: {} };
    // the case number: the caller's, else the start form's first serial number (流水号), numbered by the server
    const businessKey = this.input.businessKey ?? Object.values(accepted.serialNumbers)[0] ?? null;
    const start = new StartProcessInstanceCmd({ definition: { id: definition.id }, businessKey, variables: accepted.variables });
    return { ...(await start.execute(context)), serialNumbers: accepted.serialNumbers };
  }
}

/**
 * The case number of a case started without its start form (a citizen's report through the public
 * portal): the start form's first serial-number field numbered as a form start would number it,
 * with the variables that carry the number; null when the start form has none.
 */
export async function numberCaseByStartForm(
  context: CommandContext,
  definition: ProcessDefinitionEntity,
  tenantId: string | null,
  variables: Readonly<Record<string, unknown>>,
): Promise<{ businessKey: string; variables: Record<string, unknown> } | null> {
  const { pinned } = await startFormOf(context, definition);
  const [serial] = pinned ? serialFields(pinned.form, pinned.compiled) : [];
  if (!pinned || !serial) return null;
  const rules = countedRules(pinned, [serial], variables, 'zh-CN');
  const businessKey = await nextSerialNumber(context, tenantId, rules.get(serial.key) as string);
  return { businessKey, variables: withPath(variables, serial.key, businessKey) };
}

/**
 * Each serial field's rule with its `{field:key}` parts filled in from `data` (the values the case
 * will hold). Fields whose values cannot go into a number — missing, or not a short code
 * (SERIAL_FIELD_VALUE) — are refused as a 400 naming each, before any number is taken.
 */
function countedRules(
  form: ActivityForm,
  serials: readonly { key: string; rule: string }[],
  data: Readonly<Record<string, unknown>>,
  language: FormLanguage,
): Map<string, string> {
  const labels = new Map(form.compiled.fields.map((field) => [field.key, field.label]));
  const rules = new Map<string, string>();
  const errors = new Map<string, FieldError>();
  for (const { key, rule } of serials) {
    const values: Record<string, string> = {};
    for (const part of serialFieldKeys(rule)) {
      const value = valueAt(data, part);
      if (typeof value === 'string' && SERIAL_FIELD_VALUE.test(value)) values[part] = value;
      else errors.set(part, fieldError('serialPart', labels.get(part) ?? null, part, language, { limit: SERIAL_FIELD_VALUE.source }));
    }
    rules.set(key, withFieldValues(rule, values));
  }
  if (errors.size > 0) throw new FormValidationError([...errors.values()]);
  return rules;
}

/**
 * Validates a submission against the form as this step shows it, then fills in its serial
 * numbers. The form refuses fields it does not have, values of hidden fields and every rule of
 * its schema; read-only fields changed from their `current` value are refused too. The current
 * values the user may see stand in for what was not submitted (hide conditions read them).
 * Answers the variables to write.
 */
async function acceptSubmission(
  context: CommandContext,
  form: ActivityForm,
  submission: FormSubmission,
  current: Readonly<Record<string, unknown>>,
  tenantId: string | null,
): Promise<{ variables: VariableMap; serialNumbers: Record<string, string> }> {
  const { language } = submission;
  const serials = serialFields(form.form, form.compiled);
  // a submitted serial number is ignored: the server gives it
  const submitted = serials.reduce((data, { key }) => withoutPath(data, key), 'data' in submission ? { ...submission.data } : plainValues(submission.variables));
  const before = fieldValues(current, form);
  const errors = [
    ...readOnlyChanges(submitted, before, form.permissions, language),
    ...form.compiled.validate({ ...withoutHidden(before, form.permissions), ...submitted }, { language, permissions: form.permissions }),
  ];
  // what names other rows is looked up only once the values have the right shape
  if (errors.length === 0) errors.push(...(await unknownReferences(context, form, submitted, tenantId, language)));
  if (errors.length > 0) throw new FormValidationError(errors);
  // a case keeps the number it was given: a later form showing the field (a step visited again
  // after 回退, another step's form) does not renumber it, even when a value in its rule changed
  const given = new Map(serials.map(({ key }) => {
    const existing = valueAt(current, key);
    return [key, typeof existing === 'string' && existing !== '' ? existing : null];
  }));
  // {field:key} parts read the values the case will hold: the submitted ones over the current ones
  const rules = countedRules(form, serials.filter(({ key }) => given.get(key) === null), { ...current, ...submitted }, language);
  const serialNumbers: Record<string, string> = {};
  for (const { key } of serials) serialNumbers[key] = given.get(key) ?? (await nextSerialNumber(context, tenantId, rules.get(key) as string));
  if ('data' in submission) {
    return { variables: serials.reduce((variables, { key }) => withPath(variables, key, serialNumbers[key]), formVariables(submitted, form.compiled)), serialNumbers };
  }
  // Camunda clients keep the types they sent; the serial numbers replace whatever they sent for them
  const data = serials.reduce((values, { key }) => withPath(values, key, serialNumbers[key]), submitted);
  const variables: VariableMap = { ...submission.variables };
  for (const { key } of serials) variables[topKey(key)] = data[topKey(key)];
  return { variables, serialNumbers };
}

/** Which of a field's referenced ids name nothing the submitter may refer to, and the rule a miss breaks. */
interface ReferenceCheck {
  readonly rule: string;
  missing(context: CommandContext, values: readonly unknown[], component: Readonly<Record<string, unknown>>, tenantId: string | null): Promise<string[]>;
}

/** The dictionary the region/grid picker (行政区划 → 街道 → 社区 → 网格) draws its codes from. */
const REGION_DICTIONARY = 'region';

/**
 * Values naming rows the form itself cannot know, by field type: uploaded files (a filepicker's
 * `{ id }` must be a file the submitter sees), dictionary items (a yw-dictionary's codes must be
 * items of its `dictionary` as it applies in the case's tenant; a yw-region's codes items of the
 * region dictionary), and people and departments (ids of the tenants the submitter sees).
 */
const REFERENCE_CHECKS: Readonly<Record<string, ReferenceCheck>> = {
  filepicker: { rule: 'invalid', missing: (context, values) => fileReferencesExist(context.session, values.map((reference) => String((reference as { id: unknown }).id))) },
  'yw-dictionary': { rule: 'enum', missing: (context, values, component, tenantId) => dictionaryItemsExist(context.session, String(component.dictionary), values.map(String), tenantId) },
  'yw-region': {
    rule: 'enum',
    missing: (context, values, _component, tenantId) =>
      dictionaryItemsExist(context.session, REGION_DICTIONARY, values.flatMap((region) => Object.values(region as Record<string, unknown>).filter((code) => typeof code === 'string')) as string[], tenantId),
  },
  'yw-user': { rule: 'invalid', missing: (context, values) => missingRows(context, USER, values.map(String)) },
  'yw-department': { rule: 'invalid', missing: (context, values) => missingRows(context, DEPARTMENT, values.map(String)) },
};

async function unknownReferences(context: CommandContext, form: ActivityForm, data: Record<string, unknown>, tenantId: string | null, language: FormLanguage): Promise<FieldError[]> {
  const fieldsByKey = new Map(form.compiled.fields.map((field) => [field.key, field]));
  const errors: FieldError[] = [];
  for (const { field, component } of declaredFields(form.form, form.compiled)) {
    const check = REFERENCE_CHECKS[field.type];
    if (!check) continue;
    const values = valuesOf(data, field, fieldsByKey).flatMap((value) => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]));
    if (values.length === 0) continue;
    const missing = await check.missing(context, values, component, tenantId);
    if (missing.length > 0) errors.push({ field: field.key, label: field.label, rule: check.rule, message: fieldMessage(check.rule, field.label, field.key, {}, language) });
  }
  return errors;
}

/** The ids of `table` that the command's (scoped) session does not find. */
async function missingRows<E extends { id: string }>(context: CommandContext, table: Table<E>, ids: readonly string[]): Promise<string[]> {
  const wanted = [...new Set(ids)];
  const found = new Set((await context.session.select(table, `id IN (${placeholders(wanted.length)})`, wanted)).map((row) => row.id));
  return wanted.filter((id) => !found.has(id));
}

/** A field's values: one outside lists, one per row inside a dynamic list or 明细表 (keys there are relative to the list). */
function valuesOf(data: Readonly<Record<string, unknown>>, field: FormField, fieldsByKey: ReadonlyMap<string, FormField>): unknown[] {
  if (field.list === null) return [valueAt(data, field.key)];
  const list = fieldsByKey.get(field.list);
  const rows = list ? valuesOf(data, list, fieldsByKey).flatMap((value) => (Array.isArray(value) ? value : [])) : [];
  const inRow = field.key.slice(field.list.length + 1);
  return rows.map((row) => (row !== null && typeof row === 'object' ? valueAt(row as Record<string, unknown>, inRow) : undefined));
}

/** The platform's apps submit a form's data, which needs a form; Camunda clients' variables go through without one, as in Camunda. */
function formRequired(submission: FormSubmission): boolean {
  return 'data' in submission;
}

function submittedVariables(submission: FormSubmission): VariableMap {
  return 'data' in submission ? { ...submission.data } : submission.variables;
}

/** Variables as plain data, as a form holds them: Json parsed, dates as ISO text. */
export function plainValues(variables: ReadonlyMap<string, TypedValue> | VariableMap): Record<string, unknown> {
  const entries = variables instanceof Map ? [...variables] : Object.entries(variables);
  return Object.fromEntries(entries.map(([name, value]) => [name, plainValue(value)]));
}

function plainValue(value: unknown): unknown {
  const plain = value instanceof TypedValue ? value.value : value;
  return plain instanceof Date ? plain.toISOString() : plain;
}

/** The values among `variables` that belong to the form's fields (by top-level key): what the form shows. */
export function fieldValues(variables: Readonly<Record<string, unknown>>, form: ActivityForm): Record<string, unknown> {
  const keys = new Set(form.compiled.fields.map((field) => topKey(field.key)));
  return Object.fromEntries(Object.entries(variables).filter(([name]) => keys.has(name)));
}

function topKey(path: string): string {
  return path.split('.')[0] as string;
}

function valueAt(data: Readonly<Record<string, unknown>>, path: string): unknown {
  let value: unknown = data;
  for (const segment of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** A copy of `data` with `value` at the dot path, objects on the way copied or created. */
function withPath(data: Readonly<Record<string, unknown>>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  if (rest.length === 0) return { ...data, [head]: value };
  const inner = data[head];
  const nested = inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Record<string, unknown>) : {};
  return { ...data, [head]: withPath(nested, rest.join('.'), value) };
}

/** A copy of `data` without the value at the dot path. */
function withoutPath(data: Readonly<Record<string, unknown>>, path: string): Record<string, unknown> {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  if (!(head in data)) return { ...data };
  if (rest.length === 0) {
    const { [head]: _removed, ...others } = data;
    return others;
  }
  const inner = data[head];
  if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return { ...data };
  return { ...data, [head]: withoutPath(inner as Record<string, unknown>, rest.join('.')) };
}
