import type { Expression } from '../../expression/index.js';
import { parseAssignment, type AssignmentOptions, type BareEntryMeaning } from '../model/index.js';
import type { CompileSupport } from './support.js';

const INCLUDE_SUB_DEPARTMENTS = 'yiwang:includeSubDepartments';
const FALLBACK_ASSIGNEE = 'yiwang:fallbackAssignee';

/** A user task's assignment attributes, compiled to one expression per entry. */
export interface AssignmentAttributes {
  readonly assignee: Expression | null;
  readonly candidateUsers: readonly Expression[];
  readonly candidateGroups: readonly Expression[];
}

/**
 * Checks the literal entries of a user task's assignment (an expression's result can only be
 * checked when it is evaluated) and reads the `yiwang:` properties that parameterise it, so a
 * misspelt strategy fails the deploy instead of leaving a task to the fallback user later.
 */
export function compileAssignmentOptions(
  support: CompileSupport,
  taskId: string,
  attributes: AssignmentAttributes,
  properties: Readonly<Record<string, string>>,
): AssignmentOptions {
  checkEntries(support, taskId, 'camunda:assignee', attributes.assignee ? [attributes.assignee] : [], 'user');
  checkEntries(support, taskId, 'camunda:candidateUsers', attributes.candidateUsers, 'user');
  checkEntries(support, taskId, 'camunda:candidateGroups', attributes.candidateGroups, 'role');
  const includeSub = properties[INCLUDE_SUB_DEPARTMENTS];
  if (includeSub !== undefined && includeSub !== 'true' && includeSub !== 'false') {
    support.problem(taskId, `User task '${taskId}': ${INCLUDE_SUB_DEPARTMENTS} must be true or false, not '${includeSub}'`);
  }
  const fallback = properties[FALLBACK_ASSIGNEE]?.trim();
  if (fallback === '') support.problem(taskId, `User task '${taskId}': ${FALLBACK_ASSIGNEE} names no user`);
  return { includeSubDepartments: includeSub === 'true', fallbackAssignee: fallback || null };
}

function checkEntries(support: CompileSupport, taskId: string, attribute: string, entries: readonly Expression[], bare: BareEntryMeaning): void {
  for (const entry of entries) {
    if (entry.language !== 'literal') continue;
    const reference = parseAssignment(entry.source.trim(), bare);
    if (reference.kind === 'invalid') support.problem(taskId, `User task '${taskId}': ${attribute} ${reference.problem}`);
  }
}
