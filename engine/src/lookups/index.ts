/**
 * Values read from dictionary items on behalf of a process: the paths into an item's `extra`
 * (`yiwang:timeLimit:field`, `yiwang:lookup:*:field`) and the lookups that fill variables when an
 * activity is entered (`yiwang:lookup:<variable>:*`, default routing by category and region).
 */
export { evaluatePath, isEmptyValue, valueAt } from './extra-path.js';
export { applyVariableLookups } from './variable-lookups.js';
