import type { Expression } from '../../expression/index.js';
import { LOOKUP_CONVERSIONS, type LookupConversion, type VariableLookup } from '../model/index.js';
import type { CompileSupport } from './support.js';

/** `yiwang:lookup:<variable>:<setting>` (Camunda Modeler keeps `camunda:properties`, so the designer and the modeler both carry them). */
export const LOOKUP_PREFIX = 'yiwang:lookup:';
const SETTINGS = ['dictionary', 'item', 'field', 'prefer', 'as'] as const;
type Setting = (typeof SETTINGS)[number];

/**
 * A dot path into a dictionary item's `extra`, which may contain `${...}` parts evaluated on the
 * token (`limits.${urgency}`). A path written out in full is checked here, so a typo such as
 * `limits..A` fails the deploy instead of silently finding nothing on every case.
 */
export function compileExtraPath(support: CompileSupport, elementId: string, name: string, source: string): Expression | null {
  const expression = support.optionalExpression(elementId, source);
  if (expression?.language === 'literal' && expression.source.split('.').some((segment) => segment.trim() === '')) {
    support.problem(elementId, `'${elementId}': ${name} '${source}' is no path into the item's extra: a dot-separated list of keys, none empty`);
    return null;
  }
  return expression;
}

/** Reads an activity's `yiwang:lookup:*` properties, reporting every bad one with the activity's id so the deploy fails. */
export function compileVariableLookups(support: CompileSupport, elementId: string, properties: Readonly<Record<string, string>>): VariableLookup[] {
  const problem = (message: string) => support.problem(elementId, `'${elementId}': ${message}`);
  const byVariable = new Map<string, Partial<Record<Setting, string>>>();
  for (const [name, value] of Object.entries(properties)) {
    if (!name.startsWith(LOOKUP_PREFIX)) continue;
    const match = /^yiwang:lookup:([^:\s]+):([a-z]+)$/.exec(name);
    if (!match || !(SETTINGS as readonly string[]).includes(match[2] as string)) {
      problem(`${name} is no lookup setting: write ${LOOKUP_PREFIX}<variable>:<setting>, the setting one of ${SETTINGS.join(', ')}`);
      continue;
    }
    const settings = byVariable.get(match[1] as string) ?? {};
    settings[match[2] as Setting] = value.trim();
    byVariable.set(match[1] as string, settings);
  }
  const lookups: VariableLookup[] = [];
  for (const [variable, settings] of byVariable) {
    const lookup = compileLookup(support, elementId, variable, settings, problem);
    if (lookup) lookups.push(lookup);
  }
  return lookups;
}

function compileLookup(
  support: CompileSupport,
  elementId: string,
  variable: string,
  settings: Partial<Record<Setting, string>>,
  problem: (message: string) => void,
): VariableLookup | null {
  const name = (setting: Setting) => `${LOOKUP_PREFIX}${variable}:${setting}`;
  const missing = (['dictionary', 'item', 'field'] as const).filter((setting) => !settings[setting]);
  if (missing.length > 0) {
    problem(`the lookup of '${variable}' needs ${missing.map(name).join(', ')} (the dictionary, the expression giving the item's code, the path into its extra)`);
    return null;
  }
  const as = settings.as || 'value';
  if (!(LOOKUP_CONVERSIONS as readonly string[]).includes(as)) problem(`${name('as')} must be ${LOOKUP_CONVERSIONS.join(' or ')}, not '${as}'`);
  const item = support.optionalExpression(elementId, settings.item as string);
  const field = compileExtraPath(support, elementId, name('field'), settings.field as string);
  const prefer = settings.prefer ? compileExtraPath(support, elementId, name('prefer'), settings.prefer) : null;
  if (!item || !field || (settings.prefer && !prefer)) return null;
  return { variable, dictionary: settings.dictionary as string, item, field, prefer, as: as as LookupConversion };
}
