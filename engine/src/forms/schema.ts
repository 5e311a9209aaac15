import { REGION_LEVELS, type RegionLevel } from './component-types.js';
import type { FormComponent, FormOption } from './form-json.js';
import { columnComponent, staticNumber, type StructNode, type SubtableColumn, type ValueNode } from './model.js';

type Schema = Record<string, unknown>;

export const JSON_SCHEMA_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

/**
 * The JSON Schema (2020-12) of a form's submissions.
 *
 * - `published`: what the form's data looks like, for readers and for TypeScript types: required
 *   fields are `required`, optional ones also admit `null` (form-js submits null for an empty select,
 *   number or date), computed and server-filled values are `readOnly`.
 * - `validation`: what the server's ajv validator checks after its own pass has dropped empty values,
 *   hidden fields and values it does not take from the submitter, and has checked `required` itself
 *   (it must skip fields hidden by conditions or permissions, which a static schema cannot).
 */
export function deriveSchema(root: StructNode, title: string, mode: 'published' | 'validation'): Schema {
  return { $schema: JSON_SCHEMA_2020_12, title, ...structSchema(root, mode) };
}

function structSchema(struct: StructNode, mode: 'published' | 'validation'): Schema {
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const [name, node] of struct.children) {
    const schema = nodeSchema(node, mode);
    if (schema === null) continue;
    properties[name] = schema;
    if (mode === 'published' && holdsRequired(node)) required.push(name);
  }
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
}

function nodeSchema(node: ValueNode, mode: 'published' | 'validation'): Schema | null {
  if (node.kind === 'struct') return structSchema(node, mode);
  const { field } = node;
  const description = field.label ? { description: field.label } : {};
  if (node.kind === 'list') return { type: 'array', ...description, items: structSchema(node.row, mode) };
  if (field.kind === 'computed') return mode === 'published' ? { ...description, readOnly: true } : null;
  // null until the server numbers the case
  if (field.kind === 'server') return mode === 'published' ? { type: ['string', 'null'], ...description, readOnly: true } : null;
  const schema = { ...valueSchema(field.component), ...description };
  return mode === 'published' && !field.required ? nullable(schema) : schema;
}

/**
 * Whether a value must be there: a required field that no condition can hide, or an object holding
 * one (not counting the rows of lists). A field a condition may hide is only required while shown,
 * which the server checks; a static schema cannot.
 */
function holdsRequired(node: ValueNode): boolean {
  if (node.kind === 'leaf') return node.field.required && node.field.hiddenWhen.length === 0;
  if (node.kind === 'list') return false;
  return [...node.children.values()].some(holdsRequired);
}

function nullable(schema: Schema): Schema {
  if (Array.isArray(schema.enum)) return { ...schema, enum: [...schema.enum, null], ...(typeof schema.type === 'string' ? { type: [schema.type, 'null'] } : {}) };
  return typeof schema.type === 'string' ? { ...schema, type: [schema.type, 'null'] } : schema;
}

/** The schema of one field's value, by component type. */
export function valueSchema(component: FormComponent): Schema {
  const props = component as Record<string, unknown>;
  switch (component.type) {
    case 'textfield':
    case 'textarea':
      return textSchema(component);
    case 'number':
      return numberSchema(component);
    case 'checkbox':
      return { type: 'boolean' };
    case 'radio':
    case 'select':
      return optionSchema(component.values);
    case 'checklist':
    case 'taglist':
      return { type: 'array', items: optionSchema(component.values) };
    case 'datetime':
      return { type: 'string', format: DATETIME_FORMATS[(props.subtype as string | undefined) ?? 'date'] };
    case 'filepicker':
      return fileSchema(props.multiple);
    case 'yw-user':
    case 'yw-department':
    case 'yw-dictionary':
      return idSchema(props.multiple === true);
    case 'yw-region':
      return regionSchema((props.depth as RegionLevel | undefined) ?? 'grid', component.validate?.required === true);
    case 'yw-location':
      return LOCATION_SCHEMA;
    case 'yw-subtable':
      return subtableSchema(props.columns as readonly SubtableColumn[], component.validate?.required === true, props.minRows, props.maxRows);
    default:
      return {};
  }
}

/** form-js's datetime subtypes; the formats accept what form-js writes (minutes without seconds). */
const DATETIME_FORMATS: Readonly<Record<string, string>> = { date: 'date', time: 'time', datetime: 'date-time' };

function textSchema(component: FormComponent): Schema {
  const validate = component.validate ?? {};
  const minLength = staticNumber(validate.minLength);
  const maxLength = staticNumber(validate.maxLength);
  const format = validate.validationType === 'email' || validate.validationType === 'phone' ? validate.validationType : undefined;
  return {
    type: 'string',
    ...(minLength !== undefined ? { minLength } : {}),
    ...(maxLength !== undefined ? { maxLength } : {}),
    ...(validate.pattern ? { pattern: validate.pattern } : {}),
    ...(format ? { format } : {}),
  };
}

/**
 * `decimalDigits` becomes `multipleOf` 10⁻ⁿ and `increment` a second `multipleOf` (ajv compares with
 * a tolerance, see `multipleOfPrecision`). A number serialised to a string (`serializeToString`,
 * unlimited precision) is checked for its form only.
 */
function numberSchema(component: FormComponent): Schema {
  const props = component as Record<string, unknown>;
  if (props.serializeToString === true) return { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$' };
  const validate = component.validate ?? {};
  const minimum = staticNumber(validate.min);
  const maximum = staticNumber(validate.max);
  const increment = staticNumber(props.increment);
  const decimalDigits = typeof props.decimalDigits === 'number' ? props.decimalDigits : undefined;
  return {
    type: 'number',
    ...(minimum !== undefined ? { minimum } : {}),
    ...(maximum !== undefined ? { maximum } : {}),
    ...(decimalDigits !== undefined ? { multipleOf: 10 ** -decimalDigits } : {}),
    ...(increment !== undefined ? { allOf: [{ multipleOf: increment }] } : {}),
  };
}

/** Static options are an enum; options from `valuesKey` or `valuesExpression` are only known in the browser. */
function optionSchema(values: readonly FormOption[] | undefined): Schema {
  if (!values) return { type: 'string' };
  const options = values.map((option) => option.value);
  return options.every((value) => typeof value === 'string') ? { type: 'string', enum: options } : { enum: options };
}

/** File references from `/api/files`; `multiple` false (the default) admits one file. A FEEL `multiple` is the browser's. */
function fileSchema(multiple: unknown): Schema {
  const file = { type: 'object', properties: { id: { type: 'string', minLength: 1 }, name: { type: 'string' } }, required: ['id'], additionalProperties: false };
  return { type: 'array', items: file, ...(multiple === true || typeof multiple === 'string' ? {} : { maxItems: 1 }) };
}

function idSchema(multiple: boolean): Schema {
  const id = { type: 'string', minLength: 1 };
  return multiple ? { type: 'array', items: id, uniqueItems: true } : id;
}

/** Codes from the district down to `depth`; a required region must reach `depth`. */
function regionSchema(depth: RegionLevel, required: boolean): Schema {
  const levels = REGION_LEVELS.slice(0, REGION_LEVELS.indexOf(depth) + 1);
  return {
    type: 'object',
    properties: Object.fromEntries(levels.map((level) => [level, { type: 'string', minLength: 1 }])),
    ...(required ? { required: levels } : {}),
    additionalProperties: false,
  };
}

const LOCATION_SCHEMA: Schema = {
  type: 'object',
  properties: {
    longitude: { type: 'number', minimum: -180, maximum: 180 },
    latitude: { type: 'number', minimum: -90, maximum: 90 },
    address: { type: 'string' },
  },
  required: ['longitude', 'latitude'],
  additionalProperties: false,
};

function subtableSchema(columns: readonly SubtableColumn[], required: boolean, minRows: unknown, maxRows: unknown): Schema {
  const requiredColumns = columns.filter((column) => column.required === true).map((column) => column.key);
  const leastRows = Math.max(typeof minRows === 'number' ? minRows : 0, required ? 1 : 0);
  return {
    type: 'array',
    items: {
      type: 'object',
      properties: Object.fromEntries(columns.map((column) => [column.key, { ...valueSchema(columnComponent(column)), ...(column.label ? { description: column.label } : {}) }])),
      ...(requiredColumns.length > 0 ? { required: requiredColumns } : {}),
      additionalProperties: false,
    },
    ...(leastRows > 0 ? { minItems: leastRows } : {}),
    ...(typeof maxRows === 'number' ? { maxItems: maxRows } : {}),
  };
}
