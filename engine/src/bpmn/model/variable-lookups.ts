import type { Expression } from '../../expression/index.js';

/**
 * What a found value becomes before it is written: itself, or — for a dictionary that names
 * departments by their stable code — the id of the department with that code in the instance's
 * tenant (variables and `yw-department` fields hold department ids; codes are what a shared
 * dictionary can name across tenants).
 */
export const LOOKUP_CONVERSIONS = ['value', 'department-id'] as const;
export type LookupConversion = (typeof LOOKUP_CONVERSIONS)[number];

/**
 * `yiwang:lookup:<variable>:…` on an activity: when the activity is entered and the variable is
 * still empty, the value found in a dictionary item's `extra` is written to it (default routing:
 * the responsible department of the case's category, preferring its district's).
 */
export interface VariableLookup {
  readonly variable: string;
  /** the dictionary's code, looked up in the instance's tenant (its own dictionary, else the shared one) */
  readonly dictionary: string;
  /** gives the item's code, e.g. `${category}` */
  readonly item: Expression;
  /** gives a dot path into the item's `extra`, e.g. `department`; `${...}` parts are evaluated first */
  readonly field: Expression;
  /** a path tried before `field`, e.g. `byRegion.${region.district}`; where it leads nowhere, `field` applies */
  readonly prefer: Expression | null;
  readonly as: LookupConversion;
}
