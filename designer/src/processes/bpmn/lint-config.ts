/**
 * The bpmnlint rules the editor checks, as the engine checks them on deploy
 * (engine/src/bpmn/parse/lint.ts): errors fail the deploy, warnings are style.
 */
import conditionalFlows from 'bpmnlint/rules/conditional-flows';
import endEventRequired from 'bpmnlint/rules/end-event-required';
import fakeJoin from 'bpmnlint/rules/fake-join';
import labelRequired from 'bpmnlint/rules/label-required';
import linkEvent from 'bpmnlint/rules/link-event';
import noDisconnected from 'bpmnlint/rules/no-disconnected';
import noDuplicateSequenceFlows from 'bpmnlint/rules/no-duplicate-sequence-flows';
import noGatewayJoinFork from 'bpmnlint/rules/no-gateway-join-fork';
import noImplicitSplit from 'bpmnlint/rules/no-implicit-split';
import singleBlankStartEvent from 'bpmnlint/rules/single-blank-start-event';
import singleEventDefinition from 'bpmnlint/rules/single-event-definition';
import startEventRequired from 'bpmnlint/rules/start-event-required';
import subProcessBlankStartEvent from 'bpmnlint/rules/sub-process-blank-start-event';
import superfluousGateway from 'bpmnlint/rules/superfluous-gateway';
import superfluousTermination from 'bpmnlint/rules/superfluous-termination';

export const LINT_RULES: Record<string, 'error' | 'warn'> = {
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

const RULE_FACTORIES: Record<string, unknown> = {
  'conditional-flows': conditionalFlows,
  'no-disconnected': noDisconnected,
  'no-duplicate-sequence-flows': noDuplicateSequenceFlows,
  'single-blank-start-event': singleBlankStartEvent,
  'single-event-definition': singleEventDefinition,
  'start-event-required': startEventRequired,
  'sub-process-blank-start-event': subProcessBlankStartEvent,
  'link-event': linkEvent,
  'end-event-required': endEventRequired,
  'fake-join': fakeJoin,
  'label-required': labelRequired,
  'no-gateway-join-fork': noGatewayJoinFork,
  'no-implicit-split': noImplicitSplit,
  'superfluous-gateway': superfluousGateway,
  'superfluous-termination': superfluousTermination,
};

/** bpmnlint's resolver interface, answering from the rules bundled above. */
const resolver = {
  resolveRule(pkg: string, ruleName: string): unknown {
    const rule = pkg === 'bpmnlint' ? RULE_FACTORIES[ruleName] : undefined;
    if (!rule) throw new Error(`unknown rule <${pkg}/${ruleName}>`);
    return rule;
  },
  resolveConfig(pkg: string, configName: string): never {
    throw new Error(`unknown config <${pkg}/${configName}>`);
  },
};

/** What bpmn-js-bpmnlint takes as `linting.bpmnlint`. */
export const bpmnlintBundle = { config: { rules: LINT_RULES }, resolver };
