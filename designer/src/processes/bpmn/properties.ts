/**
 * Reading and writing a BPMN element's Camunda attributes and `camunda:properties` entries through
 * the modeler's command stack (so every change is one undoable step and the properties panel sees it).
 */

/** The bits of a moddle element the designer touches. */
export interface ModdleElement {
  $type: string;
  id?: string;
  name?: string;
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  [key: string]: unknown;
}

export interface DiagramElement {
  id: string;
  type: string;
  businessObject: ModdleElement;
}

export interface Modeling {
  updateProperties(element: DiagramElement, properties: Record<string, unknown>): void;
  updateModdleProperties(element: DiagramElement, moddleElement: ModdleElement, properties: Record<string, unknown>): void;
}

export interface BpmnFactory {
  create(type: string, attributes?: Record<string, unknown>): ModdleElement;
}

interface CommandStack {
  execute(command: string, context: unknown): void;
}

/** What the helpers need from the modeler's injector. */
export interface ModelerServices {
  modeling: Modeling;
  bpmnFactory: BpmnFactory;
  commandStack: CommandStack;
}

export function servicesOf(modeler: { get<T>(name: string): T }): ModelerServices {
  return { modeling: modeler.get('modeling'), bpmnFactory: modeler.get('bpmnFactory'), commandStack: modeler.get('commandStack') };
}

function extensionValues(bo: ModdleElement): ModdleElement[] {
  const extensionElements = bo.get('extensionElements') as ModdleElement | undefined;
  return (extensionElements?.get('values') as ModdleElement[] | undefined) ?? [];
}

function propertiesContainers(bo: ModdleElement): ModdleElement[] {
  return extensionValues(bo).filter((value) => value.$type === 'camunda:Properties');
}

/** Every `camunda:property` of the element by name (the last one wins, as the engine reads them). */
export function readProperties(bo: ModdleElement): Record<string, string> {
  const result: Record<string, string> = {};
  for (const container of propertiesContainers(bo)) {
    for (const property of (container.get('values') as ModdleElement[] | undefined) ?? []) {
      const name = property.get('name') as string | undefined;
      if (name) result[name] = (property.get('value') as string | undefined) ?? '';
    }
  }
  return result;
}

/**
 * Sets `camunda:property` entries: a string sets the property, undefined removes it; properties not
 * named stay as they are. Creates `bpmn:extensionElements` and `camunda:properties` when missing, in
 * one undoable command.
 */
export function writeProperties(services: ModelerServices, element: DiagramElement, changes: Record<string, string | undefined>): void {
  const { bpmnFactory, commandStack } = services;
  const bo = element.businessObject;
  const commands: { cmd: string; context: Record<string, unknown> }[] = [];
  let extensionElements = bo.get('extensionElements') as ModdleElement | undefined;
  if (!extensionElements) {
    extensionElements = bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
    extensionElements.$parent = bo;
    commands.push({ cmd: 'element.updateModdleProperties', context: { element, moddleElement: bo, properties: { extensionElements } } });
  }
  let container = propertiesContainers(bo)[0];
  if (!container) {
    container = bpmnFactory.create('camunda:Properties', { values: [] });
    container.$parent = extensionElements;
    const values = [...((extensionElements.get('values') as ModdleElement[] | undefined) ?? []), container];
    commands.push({ cmd: 'element.updateModdleProperties', context: { element, moddleElement: extensionElements, properties: { values } } });
  }
  const current = (container.get('values') as ModdleElement[] | undefined) ?? [];
  const named = new Set(Object.keys(changes));
  const kept = current.filter((property) => !named.has(property.get('name') as string));
  const added: ModdleElement[] = [];
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const property = bpmnFactory.create('camunda:Property', { name, value });
    property.$parent = container;
    added.push(property);
  }
  const values = [...kept, ...added];
  const unchanged = values.length === current.length && values.every((property, i) => {
    const before = current[i];
    return before !== undefined && before.get('name') === property.get('name') && before.get('value') === property.get('value');
  });
  if (commands.length === 0 && unchanged) return;
  commands.push({ cmd: 'element.updateModdleProperties', context: { element, moddleElement: container, properties: { values } } });
  // other containers holding a property named here would shadow the change: remove it there too
  for (const other of propertiesContainers(bo).slice(1)) {
    const otherValues = (other.get('values') as ModdleElement[] | undefined) ?? [];
    const left = otherValues.filter((property) => !named.has(property.get('name') as string));
    if (left.length !== otherValues.length) commands.push({ cmd: 'element.updateModdleProperties', context: { element, moddleElement: other, properties: { values: left } } });
  }
  commandStack.execute('properties-panel.multi-command-executor', commands);
}

/** Properties whose name starts with `prefix`, for removing a family (`yiwang:field:`) at once. */
export function propertyNamesWithPrefix(bo: ModdleElement, prefix: string): string[] {
  return Object.keys(readProperties(bo)).filter((name) => name.startsWith(prefix));
}

/** Sets attributes (`camunda:assignee` …) of the element; undefined removes one. */
export function writeAttributes(services: ModelerServices, element: DiagramElement, attributes: Record<string, unknown>): void {
  services.modeling.updateProperties(element, attributes);
}

export function attribute(bo: ModdleElement, name: string): string | undefined {
  const value = bo.get(name);
  return typeof value === 'string' && value !== '' ? value : undefined;
}
