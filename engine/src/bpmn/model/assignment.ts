/**
 * The assignment syntax of user tasks: what one entry of `camunda:assignee`, `camunda:candidateUsers`
 * or `camunda:candidateGroups` names (`role:dispatcher`, `dept:cgj`, `leader:initiator:2`, ...).
 * Parsed at deploy time for literal entries (an unknown prefix fails the deploy) and again at
 * runtime for what expressions yield. Who the entries stand for is the organisation's business
 * (`bpmn/execute/assignment.ts` asks it); this file only reads the text.
 */
export type AssignmentReference =
  /** a user id, taken as written (as Camunda does) */
  | { readonly kind: 'user'; readonly userId: string }
  /** the members of a role, department, post or user group; `groupId` is the entry as written, kept as the task's candidate group */
  | { readonly kind: 'role' | 'department' | 'post' | 'group'; readonly code: string; readonly groupId: string; readonly bare: boolean }
  /** the leader of the department with this code */
  | { readonly kind: 'departmentLeader'; readonly code: string }
  /** the user who started the instance */
  | { readonly kind: 'initiator' }
  /** the leader of the initiator's department (levels 1), of its parent (2), ... */
  | { readonly kind: 'initiatorLeader'; readonly levels: number }
  /** users, the members of a department, or its leader, named by a process variable (a form field) */
  | { readonly kind: 'fieldUser' | 'fieldDepartment' | 'fieldDepartmentLeader'; readonly variable: string }
  | { readonly kind: 'invalid'; readonly problem: string };

/** What a bare entry (no prefix) means in each attribute: a user id in assignee and candidateUsers, a role code in candidateGroups. */
export type BareEntryMeaning = 'user' | 'role';

/** Strategies that name one person: when they resolve to exactly one user, that user becomes the assignee. */
export const PERSONAL_STRATEGIES: ReadonlySet<AssignmentReference['kind']> = new Set(['departmentLeader', 'initiator', 'initiatorLeader', 'fieldUser', 'fieldDepartmentLeader']);

const WITH_CODE = { role: 'role', dept: 'department', post: 'post', group: 'group' } as const;
const FROM_VARIABLE = { 'field-user': 'fieldUser', 'field-dept': 'fieldDepartment', 'field-dept-leader': 'fieldDepartmentLeader' } as const;

export const ASSIGNMENT_PREFIXES = ['user', ...Object.keys(WITH_CODE), 'dept-leader', 'leader', 'initiator', ...Object.keys(FROM_VARIABLE)] as const;

/** One entry, already trimmed. User ids never contain a colon, so the text before an entry's first colon is always its prefix. */
export function parseAssignment(entry: string, bare: BareEntryMeaning): AssignmentReference {
  if (entry === 'initiator') return { kind: 'initiator' };
  const colon = entry.indexOf(':');
  if (colon < 0) return bare === 'user' ? { kind: 'user', userId: entry } : { kind: 'role', code: entry, groupId: entry, bare: true };
  const prefix = entry.slice(0, colon);
  const rest = entry.slice(colon + 1).trim();
  if (!rest) return invalid(`'${entry}' names no ${prefix === 'leader' ? 'subject' : 'code'} after '${prefix}:'`);
  if (prefix === 'user') return { kind: 'user', userId: rest };
  if (prefix === 'dept-leader') return { kind: 'departmentLeader', code: rest };
  if (prefix === 'leader') return parseLeader(entry, rest);
  if (prefix in WITH_CODE) return { kind: WITH_CODE[prefix as keyof typeof WITH_CODE], code: rest, groupId: entry, bare: false };
  if (prefix in FROM_VARIABLE) return { kind: FROM_VARIABLE[prefix as keyof typeof FROM_VARIABLE], variable: rest };
  return invalid(`'${entry}' has the unknown prefix '${prefix}' (known: ${ASSIGNMENT_PREFIXES.join(', ')})`);
}

/** `leader:initiator` or `leader:initiator:N`, N ≥ 1 levels up from the initiator's department. */
function parseLeader(entry: string, rest: string): AssignmentReference {
  const [subject, levelText, ...more] = rest.split(':');
  if (subject !== 'initiator' || more.length > 0) return invalid(`'${entry}' must be leader:initiator or leader:initiator:N`);
  if (levelText === undefined) return { kind: 'initiatorLeader', levels: 1 };
  const levels = /^[0-9]{1,3}$/.test(levelText) ? Number(levelText) : 0;
  if (levels < 1) return invalid(`'${entry}': the number of levels must be a whole number from 1 (the initiator's own department)`);
  return { kind: 'initiatorLeader', levels };
}

function invalid(problem: string): AssignmentReference {
  return { kind: 'invalid', problem };
}

/** `yiwang:` properties (`camunda:properties`) of a user task that parameterise its assignment. */
export interface AssignmentOptions {
  /** `yiwang:includeSubDepartments`: `dept:` and `field-dept:` entries include the members of sub-departments */
  readonly includeSubDepartments: boolean;
  /** `yiwang:fallbackAssignee`: who gets the task when its assignment resolves to nobody; null: the engine's fallback user */
  readonly fallbackAssignee: string | null;
}
