import {
  FIELD_TYPES, REGION_LEVEL_LABELS, regionLevels,
  type BaseField, type LocationValue, type RegionField, type RegionValue, type SubtableColumn, type SubtableField, type SubtableRow,
} from './fields/schema.js';
import type { Translate } from './i18n/translate.js';

/**
 * Validation of our field types, in the browser. The server checks the same rules again
 * (engine/src/forms); these give the user the message before they submit. Messages come out in
 * English templates through `t`, so they read in the form's language.
 */

/** form-js's own required check sees `{}` and `[]` rows as filled: for these types ours replaces it. */
export const OWN_REQUIRED_CHECK: ReadonlySet<string> = new Set([FIELD_TYPES.region, FIELD_TYPES.location, FIELD_TYPES.subtable, FIELD_TYPES.serial]);

export function fieldErrors(field: BaseField, value: unknown, t: Translate): string[] {
  switch (field.type) {
    case FIELD_TYPES.region: return regionErrors(field as RegionField, value, t);
    case FIELD_TYPES.location: return locationErrors(field, value, t);
    case FIELD_TYPES.subtable: return subtableErrors(field as SubtableField, value, t);
    default: return [];
  }
}

function regionErrors(field: RegionField, value: unknown, t: Translate): string[] {
  if (!field.validate?.required) return [];
  const region = (isObject(value) ? value : {}) as RegionValue;
  const missing = regionLevels(field).find((level) => !region[level]);
  return missing ? [t('Choose the {level}.', { level: t(REGION_LEVEL_LABELS[missing]) })] : [];
}

function locationErrors(field: BaseField, value: unknown, t: Translate): string[] {
  const location = (isObject(value) ? value : {}) as Partial<LocationValue>;
  const { longitude, latitude } = location;
  if (longitude === undefined && latitude === undefined) {
    return field.validate?.required ? [t('Field is required.')] : [];
  }
  if (!isFiniteNumber(longitude) || !isFiniteNumber(latitude)) return [t('Enter both longitude and latitude.')];
  const errors: string[] = [];
  if (longitude < -180 || longitude > 180) errors.push(t('Longitude must be between -180 and 180.'));
  if (latitude < -90 || latitude > 90) errors.push(t('Latitude must be between -90 and 90.'));
  return errors;
}

function subtableErrors(field: SubtableField, value: unknown, t: Translate): string[] {
  const rows = Array.isArray(value) ? (value as SubtableRow[]) : [];
  const minRows = Math.max(field.minRows ?? 0, field.validate?.required ? 1 : 0);
  const errors: string[] = [];
  if (rows.length < minRows) errors.push(minRows === 1 ? t('Field is required.') : t('Add at least {min} rows.', { min: minRows }));
  if (field.maxRows !== undefined && rows.length > field.maxRows) errors.push(t('Add at most {max} rows.', { max: field.maxRows }));
  const columns = field.columns ?? [];
  rows.forEach((row, index) => {
    for (const column of columns) {
      for (const message of cellErrors(column, row[column.key], t)) {
        errors.push(t('Row {row}, {column}: {message}', { row: index + 1, column: column.label || column.key, message }));
      }
    }
  });
  return errors;
}

/** What is wrong with one cell of a sub-table: shown under the cell, and summed up for the field. */
export function cellErrors(column: SubtableColumn, value: unknown, t: Translate): string[] {
  if (isEmptyCell(column, value)) return column.required ? [t('Field is required.')] : [];
  const rules = column.validate ?? {};
  const errors: string[] = [];
  if (column.type === 'number') {
    if (!isFiniteNumber(value)) return [t('Value is not a number.')];
    if (rules.min !== undefined && value < rules.min) errors.push(t('Field must have minimum value of {min}.', { min: rules.min }));
    if (rules.max !== undefined && value > rules.max) errors.push(t('Field must have maximum value of {max}.', { max: rules.max }));
  }
  if (column.type === 'textfield' && typeof value === 'string') {
    const length = value.trim().length;
    if (rules.minLength !== undefined && length < rules.minLength) errors.push(t('Field must have minimum length of {minLength}.', { minLength: rules.minLength }));
    if (rules.maxLength !== undefined && length > rules.maxLength) errors.push(t('Field must have maximum length of {maxLength}.', { maxLength: rules.maxLength }));
    if (rules.pattern && !matchesPattern(rules.pattern, value)) errors.push(t('Field must match pattern {pattern}.', { pattern: rules.pattern }));
  }
  if (column.type === 'select' && column.values && !column.values.some((option) => option.value === value)) {
    errors.push(t('Choose one of the listed values.'));
  }
  return errors;
}

function isEmptyCell(column: SubtableColumn, value: unknown): boolean {
  if (column.type === 'checkbox') return value !== true;
  return value === undefined || value === null || value === '';
}

function matchesPattern(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern).test(value);
  } catch {
    return true; // a broken pattern is the designer's mistake, not the user's: the server reports it
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
