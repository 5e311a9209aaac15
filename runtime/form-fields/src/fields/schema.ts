/**
 * Our field types as they stand in a form-js schema: the same names and props the server's
 * schema derivation (engine/src/forms) reads.
 */
export const FIELD_TYPES = {
  user: 'yw-user',
  department: 'yw-department',
  dictionary: 'yw-dictionary',
  region: 'yw-region',
  location: 'yw-location',
  subtable: 'yw-subtable',
  serial: 'yw-serial',
} as const;

export type FieldType = (typeof FIELD_TYPES)[keyof typeof FIELD_TYPES];

export interface Validate {
  readonly required?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
}

/** What every field of ours has; form-js adds `id` and keeps unknown props as written. */
export interface BaseField {
  readonly id: string;
  readonly type: string;
  readonly key?: string;
  readonly label?: string;
  readonly description?: string;
  readonly disabled?: boolean;
  readonly readonly?: boolean;
  readonly validate?: Validate;
}

export interface UserField extends BaseField { readonly multiple?: boolean }
export interface DepartmentField extends BaseField { readonly multiple?: boolean; readonly tenantScope?: string }
export interface DictionaryField extends BaseField { readonly dictionary?: string; readonly multiple?: boolean }

export const REGION_LEVELS = ['district', 'street', 'community', 'grid'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];
export const REGION_LEVEL_LABELS: Readonly<Record<RegionLevel, string>> = { district: 'District', street: 'Street', community: 'Community', grid: 'Grid' };
export interface RegionField extends BaseField { readonly depth?: RegionLevel }
/** codes of the chosen region at each level, coarsest first */
export type RegionValue = Partial<Record<RegionLevel, string>>;

export interface LocationField extends BaseField { readonly tileUrl?: string }
export interface LocationValue {
  readonly longitude: number;
  readonly latitude: number;
  readonly address?: string;
}

export const COLUMN_TYPES = ['textfield', 'number', 'select', 'datetime', 'checkbox'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];
export interface SubtableColumn {
  readonly key: string;
  readonly label: string;
  readonly type: ColumnType;
  readonly required?: boolean;
  readonly values?: readonly { readonly label: string; readonly value: string }[];
  readonly validate?: Omit<Validate, 'required'>;
}
export interface SubtableField extends BaseField {
  readonly columns?: readonly SubtableColumn[];
  readonly minRows?: number;
  readonly maxRows?: number;
}
export type SubtableRow = Readonly<Record<string, unknown>>;

export interface SerialField extends BaseField { readonly rule?: string }

/** The levels a region field asks for: the coarsest down to its `depth` (all four without one). */
export function regionLevels(field: RegionField): readonly RegionLevel[] {
  const depth = REGION_LEVELS.indexOf(field.depth ?? 'grid');
  return REGION_LEVELS.slice(0, depth < 0 ? REGION_LEVELS.length : depth + 1);
}

/** A single id, or the list of them when the field takes several: what pickers store. */
export function selectionValue(field: { readonly multiple?: boolean }, value: unknown): string | string[] | null {
  const ids = (Array.isArray(value) ? value : [value]).filter((id): id is string => typeof id === 'string' && id !== '');
  return field.multiple ? ids : ids[0] ?? null;
}
