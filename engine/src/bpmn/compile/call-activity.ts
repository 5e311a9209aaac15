import type { ModdleElement } from 'bpmn-moddle';
import type { CallActivity, CallMapping } from '../model/index.js';
import { attr, extensions } from './elements.js';
import type { CompileSupport } from './support.js';

const BINDINGS: readonly CallActivity['binding'][] = ['latest', 'deployment', 'version', 'versionTag'];

/**
 * `bpmn:callActivity` with Camunda's attributes: which definition it calls (`calledElement` and its
 * binding, version, version tag and tenant, each may be an expression) and the `camunda:in` /
 * `camunda:out` variable mappings. Only BPMN processes are called: CMMN cases and Java variable
 * mapping delegates do not exist in this engine.
 */
export function compileCallActivity(support: CompileSupport, element: ModdleElement): Record<string, unknown> | null {
  const id = element.id;
  for (const name of ['camunda:caseRef', 'camunda:variableMappingClass', 'camunda:variableMappingDelegateExpression']) {
    if (attr(element, name)) support.problem(id, `${name} on call activity '${id}' is not supported: it calls BPMN processes with camunda:in/out mappings only`);
  }
  const calledElementText = attr(element, 'calledElement');
  if (!calledElementText) support.problem(id, `Call activity '${id}' needs a calledElement: the key of the process it calls`);
  const binding = (attr(element, 'camunda:calledElementBinding') ?? 'latest') as CallActivity['binding'];
  if (!BINDINGS.includes(binding)) support.problem(id, `camunda:calledElementBinding '${binding}' on call activity '${id}' must be one of ${BINDINGS.join(', ')}`);
  const version = optionalAttribute(support, element, 'camunda:calledElementVersion');
  const versionTag = optionalAttribute(support, element, 'camunda:calledElementVersionTag');
  if (binding === 'version') checkVersion(support, id, version);
  if (binding === 'versionTag' && !versionTag) support.problem(id, `Call activity '${id}' binds by versionTag but has no camunda:calledElementVersionTag`);
  const calledElement = support.optionalExpression(id, calledElementText);
  if (!calledElement) return null;
  return {
    kind: 'callActivity',
    calledElement,
    binding,
    version,
    versionTag,
    tenantId: optionalAttribute(support, element, 'camunda:calledElementTenantId'),
    inMappings: extensions(element, 'camunda:In').map((mapping) => compileMapping(support, id, mapping, 'in')),
    outMappings: extensions(element, 'camunda:Out').map((mapping) => compileMapping(support, id, mapping, 'out')),
  };
}

function optionalAttribute(support: CompileSupport, element: ModdleElement, name: string) {
  return support.optionalExpression(element.id, attr(element, name));
}

function checkVersion(support: CompileSupport, id: string | undefined, version: CallActivity['version']): void {
  if (!version) {
    support.problem(id, `Call activity '${id}' binds by version but has no camunda:calledElementVersion`);
    return;
  }
  const literal = version.language === 'literal' ? Number(version.source.trim()) : null;
  if (literal !== null && !(Number.isInteger(literal) && literal > 0)) {
    support.problem(id, `camunda:calledElementVersion '${version.source}' on call activity '${id}' must be a positive integer`);
  }
}

/**
 * One `camunda:in` or `camunda:out`: `variables="all"`, `source` or `sourceExpression` with a
 * `target`, or (in only) `businessKey`. Problems are reported; the mapping is still returned so
 * that the rest of the element is checked too (the model is discarded when anything failed).
 */
function compileMapping(support: CompileSupport, id: string | undefined, mapping: ModdleElement, direction: 'in' | 'out'): CallMapping {
  const what = `camunda:${direction} on call activity '${id}'`;
  const local = mapping.get('local') === true;
  const variables = attr(mapping, 'variables');
  const businessKey = attr(mapping, 'businessKey');
  const source = attr(mapping, 'source');
  const sourceExpression = attr(mapping, 'sourceExpression');
  const target = attr(mapping, 'target');
  const given = [variables, businessKey, source, sourceExpression].filter((value) => value !== null).length;
  if (given !== 1) {
    support.problem(id, `${what} must have exactly one of variables="all", source, sourceExpression or businessKey`);
    return { kind: 'all', local };
  }
  if (variables !== null) {
    if (variables !== 'all') support.problem(id, `${what} has variables="${variables}": the only value is "all"`);
    return { kind: 'all', local };
  }
  if (businessKey !== null) {
    if (direction === 'out') support.problem(id, `${what} cannot pass a businessKey back: only camunda:in sets the called instance's business key`);
    const value = support.optionalExpression(id, businessKey);
    return value ? { kind: 'businessKey', value } : { kind: 'all', local };
  }
  if (!target) support.problem(id, `${what} with ${source !== null ? `source '${source}'` : 'a sourceExpression'} needs a target variable`);
  if (source !== null) return { kind: 'variable', source, target: target ?? '', local };
  const expression = support.optionalExpression(id, sourceExpression);
  return expression ? { kind: 'expression', source: expression, target: target ?? '', local } : { kind: 'all', local };
}
