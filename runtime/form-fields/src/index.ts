export type { DepartmentOption, DictionaryItem, FormFieldsDataSource, UserOption } from './data-source.js';
export { yiwangFormFieldsEditorModule } from './editor/module.js';
export { createFetchDataSource, type FetchDataSourceOptions } from './fetch-data-source.js';
export {
  FIELD_TYPES, REGION_LEVELS,
  type ColumnType, type FieldType, type LocationValue, type RegionLevel, type RegionValue, type SubtableColumn, type SubtableRow,
} from './fields/schema.js';
export type { YiwangFormOptions } from './fields/shared.js';
export { createTranslate, type Language, type Translate } from './i18n/translate.js';
export { createMemoryDataSource, type DictionaryTreeNode, type MemoryData } from './memory-data-source.js';
export { yiwangFormFieldsViewerModule } from './viewer/module.js';
export type { FormJsModule } from './form-js-module.js';
