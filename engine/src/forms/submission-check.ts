import type { ErrorObject } from 'ajv';
import { fieldError, type FieldError, type FormLanguage, type MessageParams } from './messages.js';
import { isPlainObject, type FieldDefinition, type FormModel, type ListNode, type StructNode, type ValueNode } from './model.js';
import type { FieldAccess, FieldPermissions } from './permissions.js';
import { ExpressionScope } from './scope.js';

type Data = Readonly<Record<string, unknown>>;

/**
 * The server's own pass over a submission, before ajv: what JSON Schema cannot say statically.
 *
 * It copies what ajv is to check, leaving out fields hidden by their `conditional.hide` (evaluated
 * on the submitted data) or by the task's field permissions, read-only fields (whose changes
 * `readOnlyChanges` refuses), expression fields and serial numbers (the server computes those), and
 * empty values. Empty is what form-js counts as not filled: undefined, null, '', [], {} and an
 * unchecked checkbox. On the way it reports keys the form does not have, submitted values of hidden
 * fields, and required fields left empty.
 */
export class SubmissionCheck {
  readonly errors: FieldError[] = [];

  constructor(
    private readonly model: FormModel,
    private readonly language: FormLanguage,
    private readonly permissions: FieldPermissions | undefined,
  ) {}

  /** The values for ajv to check. */
  run(data: Data): Record<string, unknown> {
    return this.struct(this.model.root, data, ExpressionScope.top(this.model.root, data), '');
  }

  private struct(node: StructNode, value: Data, scope: ExpressionScope, path: string): Record<string, unknown> {
    const copy: Record<string, unknown> = {};
    for (const key in value) {
      if (!node.children.has(key)) this.errors.push(fieldError('unknown', null, join(path, key), this.language));
    }
    // paths are joined only where an error or a nested value needs them: this loop runs for every field of every row
    for (const [name, child] of entriesOf(node)) {
      const raw = value[name];
      if (child.kind === 'struct') {
        if (isPlainObject(raw) || raw === undefined || raw === null) {
          const inner = this.struct(child, (raw ?? EMPTY) as Data, scope, join(path, name));
          if (raw !== undefined && raw !== null) copy[name] = inner;
        } else {
          copy[name] = raw;
        }
      } else if (child.kind === 'list') {
        if (this.takes(child.field, raw, scope, path, name) && raw !== undefined && raw !== null) copy[name] = this.rows(child, raw, scope, join(path, name));
      } else if (child.field.kind === 'input' && this.takes(child.field, raw, scope, path, name)) {
        const cleaned = withoutEmpty(raw);
        if (!isEmpty(cleaned, child.field)) copy[name] = cleaned;
        else if (child.field.required) this.errors.push(fieldError('required', child.field.label, join(path, name), this.language));
      }
    }
    return copy;
  }

  private rows(list: ListNode, value: unknown, scope: ExpressionScope, path: string): unknown {
    if (!Array.isArray(value)) return value;
    return value.map((row: unknown, index) => (isPlainObject(row) ? this.struct(list.row, row, scope.rowScope(row, index), `${path}[${index}]`) : row));
  }

  /** Whether the field's value is the submitter's to give here; a value for a field hidden from them is an error. */
  private takes(field: FieldDefinition, raw: unknown, scope: ExpressionScope, path: string, name: string): boolean {
    const access = accessOf(field, this.permissions);
    if (access === 'hidden') {
      if (raw !== undefined && raw !== null) this.errors.push(fieldError('hidden', field.label, join(path, name), this.language));
      return false;
    }
    if (access === 'readonly') return false;
    for (const condition of field.hiddenWhen) if (scope.hides(condition)) return false;
    return true;
  }

  /** ajv's errors as field errors, labelled from the form. They never repeat the pass's own: ajv sees no unknown keys and checks no field's `required`. */
  addSchemaErrors(errors: readonly ErrorObject[]): void {
    for (const error of errors) {
      const { field, rule, params } = describeSchemaError(error, this.model.pathCache);
      this.errors.push(fieldError(rule, this.labelOf(field), field, this.language, params));
    }
  }

  /** The label of the field at a path, or of the field holding it (a location's longitude: the location's). */
  private labelOf(path: string): string | null {
    let labels = this.model.labelCache.get(this.language);
    if (!labels) this.model.labelCache.set(this.language, (labels = new Map()));
    let label = labels.get(path);
    if (label === undefined) {
      label = this.findLabel(path.replace(/\[\d+\]/g, ''));
      if (labels.size >= PATH_CACHE_SIZE) labels.clear();
      labels.set(path, label);
    }
    return label;
  }

  private findLabel(pattern: string): string | null {
    const segments = pattern.split('.');
    for (let length = segments.length; length > 0; length--) {
      const field = this.model.fieldsByKey.get(segments.slice(0, length).join('.'));
      if (field) return length === segments.length || !field.label ? field.label : `${field.label} · ${this.partName(segments.slice(length).join('.'))}`;
    }
    return null;
  }

  private partName(part: string): string {
    const names = PART_NAMES[part];
    return names ? names[this.language === 'en' ? 1 : 0] : part;
  }
}

/** Parts of composite values (a region's levels, a location's coordinates) named in messages. */
const PART_NAMES: Readonly<Record<string, readonly [string, string]>> = {
  district: ['区县', 'district'],
  street: ['街道', 'street'],
  community: ['社区', 'community'],
  grid: ['网格', 'grid'],
  longitude: ['经度', 'longitude'],
  latitude: ['纬度', 'latitude'],
  address: ['地址', 'address'],
};

/** A struct's children as an array, which the hot loop walks faster than the map. */
function entriesOf(node: StructNode): readonly (readonly [string, ValueNode])[] {
  let entries = structEntries.get(node);
  if (!entries) structEntries.set(node, (entries = [...node.children]));
  return entries;
}

const structEntries = new WeakMap<StructNode, readonly (readonly [string, ValueNode])[]>();

/** A field's access: the permission of its key or, failing that, of the nearest group or list around it. */
export function accessOf(field: FieldDefinition, permissions: FieldPermissions | undefined): FieldAccess {
  if (!permissions || permissions.size === 0) return 'editable';
  for (const key of field.accessKeys) {
    const access = permissions.get(key);
    if (access) return access;
  }
  return 'editable';
}

/** Paths and labels of error locations are remembered per form, up to this many (then forgotten at once): list rows make them many. */
const PATH_CACHE_SIZE = 10_000;

function describeSchemaError(error: ErrorObject, paths: Map<string, string>): { field: string; rule: string; params: MessageParams } {
  let path = paths.get(error.instancePath);
  if (path === undefined) {
    path = pointerToPath(error.instancePath);
    if (paths.size >= PATH_CACHE_SIZE) paths.clear();
    paths.set(error.instancePath, path);
  }
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { field: join(path, String(params.missingProperty)), rule: 'required', params: {} };
    case 'additionalProperties':
      return { field: join(path, String(params.additionalProperty)), rule: 'unknown', params: {} };
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
      return { field: path, rule: error.keyword, params: { limit: params.limit as number } };
    case 'minimum':
    case 'maximum':
      return { field: path, rule: error.keyword === 'minimum' ? 'min' : 'max', params: { limit: params.limit as number } };
    case 'pattern':
      return { field: path, rule: 'pattern', params: { limit: params.pattern as string } };
    case 'multipleOf':
      return error.schemaPath.includes('/allOf/')
        ? { field: path, rule: 'increment', params: { limit: params.multipleOf as number } }
        : { field: path, rule: 'decimalDigits', params: { limit: Math.round(-Math.log10(params.multipleOf as number)) } };
    case 'format':
      return params.format === 'email' || params.format === 'phone'
        ? { field: path, rule: params.format, params: {} }
        : { field: path, rule: 'format', params: { format: params.format as string } };
    case 'type':
      return { field: path, rule: 'type', params: { type: String(params.type) } };
    case 'enum':
    case 'uniqueItems':
      return { field: path, rule: error.keyword, params: {} };
    default:
      return { field: path, rule: 'invalid', params: {} };
  }
}

/** `/items/3/name` → `items[3].name` (form keys are word characters: no JSON-pointer escapes to undo) */
function pointerToPath(pointer: string): string {
  let path = '';
  for (const segment of pointer.split('/')) {
    if (segment === '') continue;
    path = isIndex(segment) ? `${path}[${segment}]` : join(path, segment);
  }
  return path;
}

function isIndex(segment: string): boolean {
  for (let index = 0; index < segment.length; index++) {
    const code = segment.charCodeAt(index);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Entries of objects (a location, a 明细表's rows) that are null or '' count as not given. */
function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.some((item) => isPlainObject(item)) ? value.map(withoutEmpty) : value;
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) if (entry !== null && entry !== '' && entry !== undefined) copy[key] = withoutEmpty(entry);
  return copy;
}

function isEmpty(value: unknown, field: FieldDefinition): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (value === false) return field.type === 'checkbox';
  if (Array.isArray(value)) return value.length === 0;
  return isPlainObject(value) && Object.keys(value).length === 0;
}

const EMPTY: Data = Object.freeze({});
