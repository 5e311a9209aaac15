import { BadUserRequestError } from '../errors/index.js';
import { componentKind, DATETIME_SUBTYPES, REGION_LEVELS, SUBTABLE_COLUMN_TYPES, type ComponentKind } from './component-types.js';
import { FormExpression } from './conditions.js';
import { KEY_PATTERN, type FormComponent, type FormJson } from './form-json.js';

/** One field of a form: every component that carries a value, and the columns of a 明细表. */
export interface FormField {
  /** dot path of the value; inside a dynamic list or 明细表 relative to the list: `items.name` is `items[n].name` */
  readonly key: string;
  readonly id: string | null;
  readonly label: string | null;
  readonly type: string;
  readonly required: boolean;
  /** key of the dynamic list or 明细表 whose rows hold this field, or null */
  readonly list: string | null;
}

/** What the server knows about a field beyond what it lists publicly. */
export interface FieldDefinition extends FormField {
  readonly kind: ComponentKind;
  readonly component: FormComponent;
  /** hide conditions of the field and of the groups around it within the same row, any true hides it */
  readonly hiddenWhen: readonly FormExpression[];
  /** the key and the keys of everything around it, most specific first: where field permissions are looked up */
  readonly accessKeys: readonly string[];
  /** the expression of an expression field */
  readonly computation?: FormExpression;
}

/**
 * The shape of a submission: objects for group paths and dotted keys, leaves for fields, lists for
 * dynamic lists. Built once per form version; validation, variables and permissions walk it.
 */
export type ValueNode = StructNode | LeafNode | ListNode;
export interface StructNode {
  readonly kind: 'struct';
  readonly children: Map<string, ValueNode>;
  /** whoever first claimed this path, named in conflict messages */
  readonly claimedBy: string;
}
export interface LeafNode {
  readonly kind: 'leaf';
  readonly field: FieldDefinition;
}
export interface ListNode {
  readonly kind: 'list';
  readonly field: FieldDefinition;
  readonly row: StructNode;
}

export interface FormModel {
  readonly root: StructNode;
  readonly fields: readonly FieldDefinition[];
  readonly fieldsByKey: ReadonlyMap<string, FieldDefinition>;
  /** labels of error paths per language, filled as errors occur */
  readonly labelCache: Map<string, Map<string, string | null>>;
  /** field paths of ajv's instance paths (`/items/3/name` → `items[3].name`), filled as errors occur */
  readonly pathCache: Map<string, string>;
}

interface WalkContext {
  /** the object the current components' values go into */
  readonly struct: StructNode;
  /** key prefix of fields in this row: '' at the root, 'items.' in the rows of `items` */
  readonly keyPrefix: string;
  readonly list: string | null;
  readonly hiddenWhen: readonly FormExpression[];
  /** permission keys of the groups around, most specific first */
  readonly accessKeys: readonly string[];
}

/**
 * Checks a form's components and builds its model; every problem is a 400 naming the source, the
 * component (id and key) and what is wrong.
 */
export function buildModel(form: FormJson, source: string): FormModel {
  return new ModelBuilder(source).build(form);
}

class ModelBuilder {
  private readonly fields: FieldDefinition[] = [];
  private readonly ids = new Set<string>();

  constructor(private readonly source: string) {}

  build(form: FormJson): FormModel {
    const root: StructNode = { kind: 'struct', children: new Map(), claimedBy: 'components' };
    this.components(form.components, 'components', { struct: root, keyPrefix: '', list: null, hiddenWhen: [], accessKeys: [] });
    return { root, fields: this.fields, fieldsByKey: new Map(this.fields.map((field) => [field.key, field])), labelCache: new Map(), pathCache: new Map() };
  }

  private components(components: unknown, where: string, context: WalkContext): void {
    if (components === undefined) return;
    if (!Array.isArray(components)) this.refuse(where, 'components 必须是数组', 'components must be an array');
    components.forEach((component: unknown, index) => this.component(component, `${where}[${index}]`, context));
  }

  private component(value: unknown, where: string, context: WalkContext): void {
    if (!isPlainObject(value) || typeof value.type !== 'string') this.refuse(where, '组件必须是带 type 的对象', 'a component must be an object with a type');
    const component = value as FormComponent;
    const name = describe(component, where);
    const kind = componentKind(component.type);
    if (!kind) this.refuse(name, `未知的组件类型 '${component.type}'`, `unknown component type '${component.type}'`);
    if (component.id !== undefined) {
      if (typeof component.id !== 'string' || this.ids.has(component.id)) this.refuse(name, '组件 id 重复或无效', 'duplicate or invalid component id');
      this.ids.add(component.id);
    }
    const hiddenWhen = [...context.hiddenWhen, ...this.hideCondition(component, name)];
    checkProperties(component, kind, (zh, en) => this.refuse(name, zh, en));
    if (kind === 'display') return;
    if (kind === 'group') return this.group(component, name, { ...context, hiddenWhen });
    if (kind === 'list') return this.list(component, name, { ...context, hiddenWhen });
    this.valueField(component, kind, name, { ...context, hiddenWhen });
  }

  private group(component: FormComponent, name: string, context: WalkContext): void {
    if (component.path === undefined || component.path === '') return this.components(component.components, `${name}.components`, context);
    const path = this.keySegments(component.path, 'path', name);
    const inner: WalkContext = {
      ...context,
      struct: this.struct(context.struct, path, name, context.keyPrefix),
      keyPrefix: `${context.keyPrefix}${path.join('.')}.`,
      accessKeys: [...prefixesOf(path).map((prefix) => context.keyPrefix + prefix), ...context.accessKeys],
    };
    this.components(component.components, `${name}.components`, inner);
  }

  private list(component: FormComponent, name: string, context: WalkContext): void {
    if (component.path === undefined || component.path === '') this.refuse(name, '动态列表缺少 path', 'a dynamic list needs a path');
    const segments = this.keySegments(component.path, 'path', name);
    const field = this.field(component, 'list', segments, context);
    const row: StructNode = { kind: 'struct', children: new Map(), claimedBy: name };
    this.place(context.struct, segments, { kind: 'list', field, row }, name, context.keyPrefix);
    this.components(component.components, `${name}.components`, {
      struct: row,
      keyPrefix: `${field.key}.`,
      list: field.key,
      hiddenWhen: [],
      accessKeys: field.accessKeys,
    });
  }

  private valueField(component: FormComponent, kind: ComponentKind, name: string, context: WalkContext): void {
    if (component.key === undefined) this.refuse(name, '缺少 key', 'the field has no key');
    const segments = this.keySegments(component.key, 'key', name);
    const computation = kind === 'computed' ? this.expression(component.expression, 'expression', name) : undefined;
    const field = this.field(component, kind, segments, context, computation);
    this.place(context.struct, segments, { kind: 'leaf', field }, name, context.keyPrefix);
    if (component.type === 'yw-subtable') this.subtableColumns(field);
  }

  private field(component: FormComponent, kind: ComponentKind, segments: readonly string[], context: WalkContext, computation?: FormExpression): FieldDefinition {
    const key = context.keyPrefix + segments.join('.');
    const accessKeys = [...prefixesOf(segments).map((prefix) => context.keyPrefix + prefix), ...context.accessKeys];
    const field: FieldDefinition = {
      key,
      id: component.id ?? null,
      label: labelOf(component),
      type: component.type,
      required: component.validate?.required === true,
      list: context.list,
      kind,
      component,
      hiddenWhen: context.hiddenWhen,
      accessKeys,
      ...(computation ? { computation } : {}),
    };
    this.fields.push(field);
    return field;
  }

  /** Columns are listed as fields of the 明细表's rows, so their errors carry their labels. */
  private subtableColumns(table: FieldDefinition): void {
    for (const column of table.component.columns as readonly SubtableColumn[]) {
      const key = `${table.key}.${column.key}`;
      this.fields.push({
        ...table,
        key,
        id: null,
        label: column.label ?? null,
        type: column.type,
        required: column.required === true,
        list: table.key,
        accessKeys: [key, ...table.accessKeys],
        component: columnComponent(column),
      });
    }
  }

  private hideCondition(component: FormComponent, name: string): FormExpression[] {
    const { conditional } = component;
    if (conditional === undefined) return [];
    if (!isPlainObject(conditional)) this.refuse(name, 'conditional 必须是对象', 'conditional must be an object');
    if (conditional.hide === undefined || conditional.hide === '') return [];
    return [this.expression(conditional.hide, 'conditional.hide', name, 'unaryTest')];
  }

  private expression(source: unknown, property: string, name: string, mode: 'unaryTest' | 'expression' = 'expression'): FormExpression {
    if (typeof source !== 'string') this.refuse(name, `${property} 必须是 FEEL 表达式`, `${property} must be a FEEL expression`);
    const compiled = FormExpression.compile(source, mode);
    if (!(compiled instanceof FormExpression)) this.refuse(name, `${property} 无效：${compiled.problem}`, `${property} is invalid: ${compiled.problem}`);
    return compiled;
  }

  private keySegments(value: unknown, property: 'key' | 'path', name: string): string[] {
    if (typeof value !== 'string' || !KEY_PATTERN.test(value)) {
      this.refuse(name, `${property} '${String(value)}' 无效：应为以点分隔的字母、数字或下划线`, `invalid ${property} '${String(value)}': expected dot-separated letters, digits or underscores`);
    }
    return value.split('.');
  }

  /** The struct at `segments` below `from`, created as needed; a value already there is a conflict. `keyPrefix` leads the key in messages. */
  private struct(from: StructNode, segments: readonly string[], name: string, keyPrefix: string): StructNode {
    let struct = from;
    for (const segment of segments) {
      const existing = struct.children.get(segment);
      if (existing === undefined) {
        const created: StructNode = { kind: 'struct', children: new Map(), claimedBy: name };
        struct.children.set(segment, created);
        struct = created;
      } else if (existing.kind === 'struct') {
        struct = existing;
      } else {
        this.conflict(name, keyPrefix + segments.join('.'), describe(existing.field.component, existing.field.key));
      }
    }
    return struct;
  }

  private place(from: StructNode, segments: readonly string[], node: LeafNode | ListNode, name: string, keyPrefix: string): void {
    const parent = this.struct(from, segments.slice(0, -1), name, keyPrefix);
    const last = segments[segments.length - 1];
    const existing = parent.children.get(last);
    if (existing !== undefined) {
      this.conflict(name, keyPrefix + segments.join('.'), existing.kind === 'struct' ? existing.claimedBy : describe(existing.field.component, existing.field.key));
    }
    parent.children.set(last, node);
  }

  private conflict(name: string, path: string, other: string): never {
    this.refuse(name, `'${path}' 与 ${other} 的数据路径重复`, `'${path}' binds the same data as ${other}`);
  }

  private refuse(component: string, zh: string, en: string): never {
    throw new BadUserRequestError(`表单 ${this.source}，组件 ${component}：${zh} (form ${this.source}, component ${component}: ${en})`);
  }
}

/** A 明细表 column, as the form-fields editor writes it. */
export interface SubtableColumn {
  readonly key: string;
  readonly label?: string;
  readonly type: (typeof SUBTABLE_COLUMN_TYPES)[number];
  readonly required?: boolean;
  readonly values?: FormComponent['values'];
  readonly validate?: FormComponent['validate'];
}

/** A column read as the form-js component of its type, so one schema derivation serves both. */
export function columnComponent(column: SubtableColumn): FormComponent {
  return { type: column.type, key: column.key, label: column.label, values: column.values, validate: { ...column.validate, required: column.required === true } };
}

/** Checks of the properties the server reads, per type. */
function checkProperties(component: FormComponent, kind: ComponentKind, refuse: (zh: string, en: string) => never): void {
  if (component.validate !== undefined) checkValidation(component.validate, refuse);
  if (component.values !== undefined) checkOptions(component.values, 'values', refuse);
  if (kind === 'display') return;
  const props = component as Record<string, unknown>;
  switch (component.type) {
    case 'number':
      if (props.decimalDigits !== undefined && !(Number.isInteger(props.decimalDigits) && (props.decimalDigits as number) >= 0)) {
        refuse('decimalDigits 必须是非负整数', 'decimalDigits must be a non-negative integer');
      }
      if (props.increment !== undefined && !(positiveNumber(props.increment) || isFeel(props.increment))) refuse('increment 必须是正数', 'increment must be a positive number');
      break;
    case 'datetime':
      if (props.subtype !== undefined && !DATETIME_SUBTYPES.includes(props.subtype as never)) refuse(`subtype 应为 ${DATETIME_SUBTYPES.join('、')}`, `subtype must be one of ${DATETIME_SUBTYPES.join(', ')}`);
      break;
    case 'yw-region':
      if (props.depth !== undefined && !REGION_LEVELS.includes(props.depth as never)) refuse(`depth 应为 ${REGION_LEVELS.join('、')}`, `depth must be one of ${REGION_LEVELS.join(', ')}`);
      break;
    case 'yw-dictionary':
      if (typeof props.dictionary !== 'string' || props.dictionary === '') refuse('缺少字典 dictionary', 'dictionary (the dictionary code) is missing');
      break;
    case 'yw-serial':
      if (typeof props.rule !== 'string' || props.rule === '') refuse('缺少流水号规则 rule', 'rule (the serial number rule) is missing');
      break;
    case 'yw-subtable':
      checkSubtable(props, refuse);
      break;
  }
}

function checkValidation(validate: unknown, refuse: (zh: string, en: string) => never): void {
  if (!isPlainObject(validate)) refuse('validate 必须是对象', 'validate must be an object');
  if (validate.required !== undefined && typeof validate.required !== 'boolean') refuse('validate.required 必须是布尔值', 'validate.required must be a boolean');
  for (const limit of ['minLength', 'maxLength', 'min', 'max'] as const) {
    const value = validate[limit];
    if (value !== undefined && value !== '' && staticNumber(value) === undefined && !isFeel(value)) refuse(`validate.${limit} 必须是数字`, `validate.${limit} must be a number`);
  }
  if (validate.pattern !== undefined && validate.pattern !== '') {
    if (typeof validate.pattern !== 'string' || !compiles(validate.pattern)) refuse(`validate.pattern '${String(validate.pattern)}' 不是有效的正则表达式`, `validate.pattern '${String(validate.pattern)}' is not a valid regular expression`);
  }
  if (validate.validationType !== undefined && !['', 'email', 'phone'].includes(validate.validationType as string)) {
    refuse('validate.validationType 应为 email 或 phone', 'validate.validationType must be email or phone');
  }
}

function checkOptions(values: unknown, where: string, refuse: (zh: string, en: string) => never): void {
  if (!Array.isArray(values) || !values.every((option) => isPlainObject(option) && option.value !== undefined)) {
    refuse(`${where} 必须是 { label, value } 的数组`, `${where} must be an array of { label, value }`);
  }
}

function checkSubtable(props: Record<string, unknown>, refuse: (zh: string, en: string) => never): void {
  const { columns, minRows, maxRows } = props;
  if (!Array.isArray(columns) || columns.length === 0) refuse('明细表至少需要一列 columns', 'a sub-table needs at least one column');
  const keys = new Set<string>();
  columns.forEach((column: unknown, index) => {
    const where = `columns[${index}]`;
    if (!isPlainObject(column) || typeof column.key !== 'string' || !/^\w+$/.test(column.key)) refuse(`${where} 的 key 无效`, `${where} has an invalid key`);
    if (keys.has(column.key)) refuse(`列 key '${column.key}' 重复`, `duplicate column key '${column.key}'`);
    keys.add(column.key);
    if (!SUBTABLE_COLUMN_TYPES.includes(column.type as never)) refuse(`${where} 的 type 应为 ${SUBTABLE_COLUMN_TYPES.join('、')}`, `${where}.type must be one of ${SUBTABLE_COLUMN_TYPES.join(', ')}`);
    if (column.required !== undefined && typeof column.required !== 'boolean') refuse(`${where}.required 必须是布尔值`, `${where}.required must be a boolean`);
    if (column.values !== undefined) checkOptions(column.values, `${where}.values`, refuse);
    if (column.validate !== undefined) checkValidation(column.validate, refuse);
  });
  for (const [name, value] of [['minRows', minRows], ['maxRows', maxRows]] as const) {
    if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 0)) refuse(`${name} 必须是非负整数`, `${name} must be a non-negative integer`);
  }
  if (typeof minRows === 'number' && typeof maxRows === 'number' && minRows > maxRows) refuse('minRows 不能大于 maxRows', 'minRows must not exceed maxRows');
}

/** A number written as a number or a numeric string; FEEL limits (`=…`) are the browser's and yield undefined. */
export function staticNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '' || isFeel(value)) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

function positiveNumber(value: unknown): boolean {
  const number = staticNumber(value);
  return number !== undefined && number > 0;
}

function isFeel(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith('=');
}

/** Patterns are checked as form-js runs them: `new RegExp(pattern)`, no flags. */
function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/** `a.b.c` → `a.b.c`, `a.b`, `a` */
function prefixesOf(segments: readonly string[]): string[] {
  return segments.map((_, index) => segments.slice(0, segments.length - index).join('.'));
}

function describe(component: FormComponent, where: string): string {
  const id = typeof component.id === 'string' ? component.id : where;
  return typeof component.key === 'string' ? `${id} (key ${component.key})` : id;
}

/** form-js datetime fields may have only a date or a time label. */
function labelOf(component: FormComponent): string | null {
  const label = [component.label, component.dateLabel, component.timeLabel].find((text) => typeof text === 'string' && text !== '');
  return typeof label === 'string' ? label : null;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
