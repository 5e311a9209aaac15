import type { DiagramElement, ModelerServices, ModdleElement } from '../bpmn/properties';

/** What every business panel edits: the selected element, the modeler's services, and a revision that changes with every command. */
export interface PanelContext {
  readonly element: DiagramElement;
  readonly services: ModelerServices;
  /** bumped on every `commandStack.changed`: panels recompute what they read from the business object */
  readonly revision: number;
  /** the other flow nodes of the process, for choosing a reject target */
  readonly activities: readonly { id: string; name: string }[];
}

export function isUserTask(element: DiagramElement | null): boolean {
  return element?.type === 'bpmn:UserTask';
}

export function bo(context: PanelContext): ModdleElement {
  return context.element.businessObject;
}
