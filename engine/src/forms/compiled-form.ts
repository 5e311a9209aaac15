import { createHash } from 'node:crypto';
import type { ValidateFunction } from 'ajv';
import { LruCache } from '../expression/lru-cache.js';
import { formAjv } from './ajv.js';
import type { FormJson } from './form-json.js';
import { fieldError, type FieldError, type FormLanguage } from './messages.js';
import { buildModel, isPlainObject, type FormField, type FormModel, type StructNode } from './model.js';
import type { FieldPermissions } from './permissions.js';
import { deriveSchema } from './schema.js';
import { ExpressionScope } from './scope.js';
import { SubmissionCheck } from './submission-check.js';

export interface ValidateOptions {
  readonly language?: FormLanguage;
  /** the task's field permissions: hidden fields are neither validated nor accepted, read-only ones not validated */
  readonly permissions?: FieldPermissions;
}

/** A form version ready to validate submissions. */
export interface CompiledForm {
  /** the form-js `id` */
  readonly key: string;
  /** JSON Schema 2020-12 derived from the form (see `deriveSchema`, 'published') */
  readonly jsonSchema: Record<string, unknown>;
  /** one per field that carries a value, in the form's order */
  readonly fields: readonly FormField[];
  /** every failing field; [] when valid. `conditional.hide` (FEEL) is evaluated on `data`. */
  validate(data: Record<string, unknown>, options?: ValidateOptions): FieldError[];
}

class FormValidator implements CompiledForm {
  readonly key: string;
  readonly jsonSchema: Record<string, unknown>;
  readonly fields: readonly FormField[];
  private readonly validationSchema: Record<string, unknown>;
  private readonly checkValues: ValidateFunction;

  constructor(
    form: FormJson,
    readonly model: FormModel,
  ) {
    this.key = form.id;
    this.jsonSchema = deriveSchema(model.root, form.id, 'published');
    this.validationSchema = deriveSchema(model.root, form.id, 'validation');
    this.fields = model.fields.map(({ key, id, label, type, required, list }) => ({ key, id, label, type, required, list }));
    this.checkValues = formAjv.compile(this.validationSchema);
  }

  validate(data: Record<string, unknown>, options: ValidateOptions = {}): FieldError[] {
    const language = options.language ?? 'zh-CN';
    if (!isPlainObject(data)) return [fieldError('type', null, '', language, { type: 'object' })];
    const check = new SubmissionCheck(this.model, language, options.permissions);
    const values = check.run(data);
    if (!this.checkValues(values)) check.addSchemaErrors(this.checkValues.errors ?? []);
    return check.errors;
  }

  /** Lets ajv forget the compiled schema once the cache has dropped this form. */
  release(): void {
    formAjv.removeSchema(this.validationSchema);
  }
}

/**
 * The compiled form, from a cache: by object for the same parsed form, else by a hash of its JSON
 * (500 forms, least recently used dropped). A form that does not check out is a 400.
 */
export function compileForm(form: FormJson): CompiledForm {
  const known = byObject.get(form);
  if (known) return known;
  const hash = createHash('sha256').update(JSON.stringify(form)).digest('base64url');
  let compiled = byContent.get(hash);
  if (!compiled) {
    compiled = new FormValidator(form, buildModel(form, `'${form.id}'`));
    byContent.set(hash, compiled);
  }
  byObject.set(form, compiled);
  return compiled;
}

/** Room for every form version a busy platform uses at once; the rest are recompiled on demand. */
export const COMPILED_FORM_CACHE_SIZE = 500;

const byObject = new WeakMap<FormJson, FormValidator>();
const byContent = new LruCache<string, FormValidator>(COMPILED_FORM_CACHE_SIZE, (_, dropped) => dropped.release());

/**
 * A submission's values as process variables, one per top-level key (dot paths are already nested
 * objects). Keys the form does not have are left out, and so are serial numbers (the server fills
 * them in). Expression fields are computed here from the submitted data, as form-js computes them,
 * instead of being taken from the submitter.
 */
export function formVariables(data: Record<string, unknown>, form: CompiledForm): Record<string, unknown> {
  if (!(form instanceof FormValidator)) throw new TypeError('formVariables needs a form from compileForm');
  const { model } = form;
  return variablesOf(model.root, data, ExpressionScope.top(model.root, data));
}

function variablesOf(node: StructNode, data: Readonly<Record<string, unknown>>, scope: ExpressionScope): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const [name, child] of node.children) {
    const value = data[name];
    // a field its `conditional.hide` hides was not validated, so what was sent for it is not kept (form-js drops it too)
    if (child.kind !== 'struct' && child.field.hiddenWhen.some((condition) => scope.hides(condition))) continue;
    if (child.kind === 'leaf' && child.field.computation) variables[name] = jsonValue(scope.evaluate(child.field.computation));
    else if (value === undefined || (child.kind === 'leaf' && child.field.kind === 'server')) continue;
    else if (child.kind === 'struct') variables[name] = isPlainObject(value) ? variablesOf(child, value, scope) : value;
    else if (child.kind === 'list' && Array.isArray(value)) {
      variables[name] = value.map((row: unknown, index) => (isPlainObject(row) ? variablesOf(child.row, row, scope.rowScope(row, index)) : row));
    } else variables[name] = value;
  }
  return variables;
}

/** FEEL results as JSON values: dates, times and durations as their ISO text. */
function jsonValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(jsonValue);
  if (value === null || typeof value !== 'object') return value;
  if (Object.getPrototypeOf(value) !== Object.prototype) return String(value);
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, jsonValue(entry)]));
}
