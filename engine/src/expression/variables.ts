/** How the evaluator sees variables; the engine implements it over its scope chain. */
export interface VariableResolver {
  /** true when a variable (or built-in like `execution`) with this name is visible */
  has(name: string): boolean;
  get(name: string): unknown;
  /** every visible name, used to build the FEEL context */
  names(): Iterable<string>;
}

/** A resolver over a plain record, for tests and simple callers. Only own keys are visible. */
export function variablesOf(record: Readonly<Record<string, unknown>>): VariableResolver {
  return {
    has: (name) => Object.hasOwn(record, name),
    get: (name) => (Object.hasOwn(record, name) ? record[name] : undefined),
    names: () => Object.keys(record),
  };
}
