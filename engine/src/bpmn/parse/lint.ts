import type { ModdleElement } from 'bpmn-moddle';
import { Linter } from 'bpmnlint';
import { createRequire } from 'node:module';
import type { ValidationProblem } from '../../errors/index.js';

const require = createRequire(import.meta.url);

/**
 * Structural rules make a deploy fail: a process that breaks them cannot run as drawn.
 * Style rules (labels, explicit splits, diagram layout) are reported as warnings only, because
 * Camunda Modeler users deploy such diagrams every day and they execute correctly — so does
 * `conditional-flows`: Camunda 7 takes an unconditional flow beside conditional ones as always true.
 */
const RULES: Record<string, 'error' | 'warn'> = {
  'conditional-flows': 'warn',
  'no-disconnected': 'error',
  'no-duplicate-sequence-flows': 'error',
  'single-blank-start-event': 'error',
  'single-event-definition': 'error',
  'start-event-required': 'error',
  'sub-process-blank-start-event': 'error',
  'link-event': 'error',
  'end-event-required': 'warn',
  'fake-join': 'warn',
  'label-required': 'warn',
  'no-gateway-join-fork': 'warn',
  'no-implicit-split': 'warn',
  'superfluous-gateway': 'warn',
  'superfluous-termination': 'warn',
};

const resolver = new (require('bpmnlint/lib/resolver/static-resolver.js'))(
  Object.fromEntries(Object.keys(RULES).map((rule) => [`rule:bpmnlint/${rule}`, require(`bpmnlint/rules/${rule}.js`)])),
);

export interface LintResult {
  readonly errors: ValidationProblem[];
  readonly warnings: ValidationProblem[];
}

export async function lintDefinitions(definitions: ModdleElement, resource: string): Promise<LintResult> {
  // rules keep state between checks (no-duplicate-sequence-flows remembers flows): one linter per file
  const reports = await new Linter({ config: { rules: RULES }, resolver }).lint(definitions);
  const result: LintResult = { errors: [], warnings: [] };
  for (const [rule, ruleReports] of Object.entries(reports)) {
    for (const report of ruleReports) {
      const problem = { resource, elementId: report.id ?? null, message: report.message, rule };
      (report.category === 'warn' || report.category === 'info' ? result.warnings : result.errors).push(problem);
    }
  }
  return result;
}
