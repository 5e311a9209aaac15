import type { ModdleElement } from 'bpmn-moddle';

/** Typed reads of moddle elements, so the compiler never indexes `unknown` by hand. */

export function attr(element: ModdleElement, name: string): string | null {
  const value = element.get(name);
  if (value === undefined || value === null || value === '') return null;
  return String(value);
}

export function flag(element: ModdleElement, name: string): boolean {
  return element.get(name) === true;
}

export function children(element: ModdleElement, name: string): ModdleElement[] {
  const value = element.get(name);
  return Array.isArray(value) ? (value as ModdleElement[]) : [];
}

export function child(element: ModdleElement, name: string): ModdleElement | null {
  const value = element.get(name);
  return value && typeof value === 'object' ? (value as ModdleElement) : null;
}

/** Entries of `<bpmn:extensionElements>` of one camunda type, e.g. `camunda:InputOutput`. */
export function extensions(element: ModdleElement, type: string): ModdleElement[] {
  const container = child(element, 'extensionElements');
  return container ? children(container, 'values').filter((value) => value.$type === type) : [];
}

/** `camunda:properties` of an element by name (the designer's settings, e.g. `yiwang:operations`). */
export function extensionProperties(element: ModdleElement): Record<string, string> {
  const properties = extensions(element, 'camunda:Properties').flatMap((container) => children(container, 'values'));
  return Object.fromEntries(properties.flatMap((property) => {
    const name = attr(property, 'name');
    return name === null ? [] : [[name, attr(property, 'value') ?? '']];
  }));
}

export function documentation(element: ModdleElement): string | null {
  const docs = children(element, 'documentation');
  const text = docs.map((doc) => attr(doc, 'text') ?? '').join('\n').trim();
  return text || null;
}

/** `bpmn:UserTask` → `userTask`: Camunda's activity type names in history. */
export function lowerFirst(type: string): string {
  const local = type.slice(type.indexOf(':') + 1);
  return local.charAt(0).toLowerCase() + local.slice(1);
}
