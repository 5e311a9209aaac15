/**
 * What each component type means for the data a form submits.
 *
 * - `input`: the user enters a value at `key`.
 * - `group`: lays out its children; with a `path` their values nest under it, without one they sit
 *   at the group's level (form-js groups, multi-page forms and their pages).
 * - `list`: a repeated row of its children, an array at `path` (form-js dynamic lists).
 * - `computed`: a value the form computes (form-js expression fields); the server recomputes it.
 * - `server`: a value the server fills in at submission (our serial numbers); a submitted one is ignored.
 * - `display`: shows something and submits nothing (texts, images, buttons — old forms give buttons a key).
 */
export type ComponentKind = 'input' | 'group' | 'list' | 'computed' | 'server' | 'display';

/** form-js's built-in types (schemaVersion up to 19, @bpmn-io/form-js 1.x). */
const FORM_JS_TYPES: Readonly<Record<string, ComponentKind>> = {
  textfield: 'input',
  textarea: 'input',
  number: 'input',
  checkbox: 'input',
  checklist: 'input',
  radio: 'input',
  select: 'input',
  taglist: 'input',
  datetime: 'input',
  filepicker: 'input',
  group: 'group',
  multipage: 'group',
  page: 'group',
  dynamiclist: 'list',
  expression: 'computed',
  text: 'display',
  html: 'display',
  image: 'display',
  iframe: 'display',
  separator: 'display',
  spacer: 'display',
  button: 'display',
  table: 'display',
  documentPreview: 'display',
};

/** The platform's own field types, registered in the form-js editor and viewer by the runtime and designer apps. */
export const CUSTOM_TYPES: Readonly<Record<string, ComponentKind>> = {
  'yw-user': 'input',
  'yw-department': 'input',
  'yw-dictionary': 'input',
  'yw-region': 'input',
  'yw-location': 'input',
  'yw-subtable': 'input',
  'yw-serial': 'server',
};

export function componentKind(type: string): ComponentKind | undefined {
  return Object.hasOwn(FORM_JS_TYPES, type) ? FORM_JS_TYPES[type] : Object.hasOwn(CUSTOM_TYPES, type) ? CUSTOM_TYPES[type] : undefined;
}

/** Levels of 行政区划 → 街道 → 社区 → 网格, coarsest first; a `yw-region` value holds one code per level. */
export const REGION_LEVELS = ['district', 'street', 'community', 'grid'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

/** Column types a `yw-subtable` (明细表) may have. */
export const SUBTABLE_COLUMN_TYPES = ['textfield', 'number', 'select', 'datetime', 'checkbox'] as const;

export const DATETIME_SUBTYPES = ['date', 'time', 'datetime'] as const;
