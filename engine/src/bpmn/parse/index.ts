import { BpmnModdle, type ModdleElement } from 'bpmn-moddle';
import { createRequire } from 'node:module';
import type { ValidationProblem } from '../../errors/index.js';
import { lintDefinitions } from './lint.js';

export type { ModdleElement };

const camundaPackage: unknown = createRequire(import.meta.url)('camunda-bpmn-moddle/resources/camunda.json');
const moddle = new BpmnModdle({ camunda: camundaPackage });

export interface ParsedBpmn {
  readonly resource: string;
  readonly definitions: ModdleElement | null;
  readonly errors: ValidationProblem[];
  readonly warnings: ValidationProblem[];
}

/**
 * Reads a BPMN 2.0 XML resource. Never throws for bad input: malformed XML, unknown elements,
 * unresolved references and lint findings all come back as problems naming the element.
 */
export async function parseBpmn(resource: string, xml: string): Promise<ParsedBpmn> {
  let parsed;
  try {
    parsed = await moddle.fromXML(xml, 'bpmn:Definitions');
  } catch (error) {
    return { resource, definitions: null, errors: [{ resource, elementId: null, message: xmlErrorMessage(error) }], warnings: [] };
  }
  const errors: ValidationProblem[] = parsed.warnings.map((warning) => ({
    resource,
    elementId: warning.element?.id ?? null,
    message: firstLine(warning.message),
  }));
  linkFlowsToNodes(parsed.elementsById);
  const lint = await lintDefinitions(parsed.rootElement, resource);
  const ignored = elementsOfNonExecutableProcesses(parsed.rootElement);
  const relevant = (problem: ValidationProblem) => problem.elementId === null || !ignored.has(problem.elementId);
  return { resource, definitions: parsed.rootElement, errors: [...errors, ...lint.errors.filter(relevant)], warnings: lint.warnings.filter(relevant) };
}

/**
 * Camunda ignores processes with isExecutable="false" (documentation pools of a collaboration),
 * so lint findings inside them must not fail a deployment.
 */
function elementsOfNonExecutableProcesses(definitions: ModdleElement): Set<string> {
  const ids = new Set<string>();
  const collect = (container: ModdleElement) => {
    for (const element of (container.get('flowElements') as ModdleElement[] | undefined) ?? []) {
      if (element.id) ids.add(element.id);
      if (element.$type === 'bpmn:SubProcess') collect(element);
    }
  };
  for (const root of (definitions.get('rootElements') as ModdleElement[] | undefined) ?? []) {
    if (root.$type !== 'bpmn:Process' || root.get('isExecutable') === true) continue;
    if (root.id) ids.add(root.id);
    collect(root);
  }
  return ids;
}

/**
 * BPMN lets a file omit the `<incoming>`/`<outgoing>` children of flow nodes; moddle then leaves
 * those lists empty. The sequence flows are the truth, so the lists are rebuilt from them.
 */
function linkFlowsToNodes(elementsById: Record<string, ModdleElement>): void {
  for (const element of Object.values(elementsById)) {
    if (element.$type !== 'bpmn:SequenceFlow') continue;
    attach(element.sourceRef, 'outgoing', element);
    attach(element.targetRef, 'incoming', element);
  }
}

function attach(node: unknown, list: 'incoming' | 'outgoing', flow: ModdleElement): void {
  if (!node || typeof node !== 'object') return;
  const element = node as ModdleElement;
  // only an own property will do: moddle answers an unset collection with an array shared by all elements
  let flows = Object.hasOwn(element, list) ? (element[list] as ModdleElement[]) : undefined;
  if (!flows) {
    flows = [];
    element.set(list, flows);
  }
  if (!flows.includes(flow)) flows.push(flow);
}

function xmlErrorMessage(error: unknown): string {
  return `The XML is not well-formed BPMN 2.0: ${firstLine(error instanceof Error ? error.message : String(error))}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? text;
}
