/**
 * Forms: form-js definitions parsed and checked, the JSON Schema derived from each version,
 * server-side validation of submissions (ajv, FEEL `conditional.hide` through feelin, zh-CN and en
 * messages), per-task field permissions, process variables from a submission, generated types.
 */
export { compileForm, COMPILED_FORM_CACHE_SIZE, formVariables, type CompiledForm, type ValidateOptions } from './compiled-form.js';
export { CUSTOM_TYPES, REGION_LEVELS, SUBTABLE_COLUMN_TYPES, type RegionLevel } from './component-types.js';
export { KEY_PATTERN, type FormComponent, type FormComponentValidation, type FormJson, type FormOption } from './form-json.js';
export { formTypes, pascalCase, type FormVersionSource } from './form-types.js';
export { FormValidationError } from './form-validation-error.js';
export { fieldError, fieldMessage, type FieldError, type FormLanguage } from './messages.js';
export type { FormField } from './model.js';
export { parseForm } from './parse-form.js';
export {
  FIELD_PERMISSION_PREFIX,
  fieldPermissionsFrom,
  formForUser,
  readOnlyChanges,
  withoutHidden,
  type FieldAccess,
  type FieldPermissions,
} from './permissions.js';
export { JSON_SCHEMA_2020_12 } from './schema.js';
