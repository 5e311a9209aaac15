/**
 * 办理人: the assignment entries of a user task as the engine reads them (engine/README.md "Task
 * assignment"): `camunda:assignee` (one entry), `camunda:candidateUsers` and `camunda:candidateGroups`
 * (comma lists). The designer edits one list of entries and writes it back to those attributes.
 */

export type AssignmentKind =
  | 'user' | 'role' | 'dept' | 'dept-leader' | 'leader' | 'post' | 'group' | 'initiator'
  | 'field-user' | 'field-dept' | 'field-dept-leader' | 'expression';

export interface AssignmentEntry {
  readonly kind: AssignmentKind;
  /** user id, role/department/post/group code, variable name, leader levels (as text) or the expression */
  readonly value: string;
  /** what the picker showed (a user's or a role's name); not written to the XML */
  readonly label?: string;
}

export const ASSIGNMENT_KINDS: readonly AssignmentKind[] = [
  'user', 'role', 'dept', 'dept-leader', 'leader', 'post', 'group', 'initiator', 'field-user', 'field-dept', 'field-dept-leader', 'expression',
];

/** Entries that name one person: alone, they become `camunda:assignee`. */
const PERSONAL: ReadonlySet<AssignmentKind> = new Set(['user', 'dept-leader', 'leader', 'initiator', 'field-user', 'field-dept-leader', 'expression']);

/** Splits a comma list without cutting through `${...}` / `#{...}`. */
export function splitEntries(text: string | undefined | null): string[] {
  if (!text) return [];
  const entries: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '{') depth += 1;
    if (char === '}') depth = Math.max(0, depth - 1);
    if (char === ',' && depth === 0) {
      entries.push(current);
      current = '';
    } else current += char;
  }
  entries.push(current);
  return entries.map((entry) => entry.trim()).filter((entry) => entry !== '');
}

/** One written entry as the designer shows it; `bare` is what an entry without a prefix means in its attribute. */
export function parseEntry(text: string, bare: 'user' | 'role'): AssignmentEntry {
  const entry = text.trim();
  if (/^[$#]\{/.test(entry)) return { kind: 'expression', value: entry };
  if (entry === 'initiator') return { kind: 'initiator', value: '' };
  const colon = entry.indexOf(':');
  if (colon < 0) return { kind: bare, value: entry };
  const prefix = entry.slice(0, colon);
  const rest = entry.slice(colon + 1);
  if (prefix === 'leader') {
    const level = /^initiator(?::([0-9]{1,3}))?$/.exec(rest);
    return level ? { kind: 'leader', value: level[1] ?? '1' } : { kind: 'expression', value: entry };
  }
  if ((ASSIGNMENT_KINDS as readonly string[]).includes(prefix) && prefix !== 'expression') return { kind: prefix as AssignmentKind, value: rest };
  return { kind: 'expression', value: entry };
}

/** The entry as it stands in the XML (always with its prefix, so it means the same in every attribute). */
export function formatEntry(entry: AssignmentEntry): string {
  switch (entry.kind) {
    case 'initiator':
      return 'initiator';
    case 'expression':
      return entry.value.trim();
    case 'leader':
      return entry.value && entry.value !== '1' ? `leader:initiator:${entry.value}` : 'leader:initiator';
    default:
      return `${entry.kind}:${entry.value.trim()}`;
  }
}

export interface AssignmentAttributes {
  assignee?: string | undefined;
  candidateUsers?: string | undefined;
  candidateGroups?: string | undefined;
}

export function readAssignment(attributes: AssignmentAttributes): AssignmentEntry[] {
  return [
    ...splitEntries(attributes.assignee).map((e) => parseEntry(e, 'user')),
    ...splitEntries(attributes.candidateUsers).map((e) => parseEntry(e, 'user')),
    ...splitEntries(attributes.candidateGroups).map((e) => parseEntry(e, 'role')),
  ];
}

/**
 * Where entries go: one personal entry alone is the assignee; otherwise users are candidate users
 * (bare ids, as Camunda Modeler shows them) and everything else candidate groups, prefixed.
 * Undefined removes the attribute.
 */
export function writeAssignment(entries: readonly AssignmentEntry[]): { assignee: string | undefined; candidateUsers: string | undefined; candidateGroups: string | undefined } {
  const valid = entries.filter((entry) => entry.kind === 'initiator' || entry.value.trim() !== '');
  const only = valid.length === 1 ? valid[0] : undefined;
  if (only && PERSONAL.has(only.kind)) {
    return { assignee: only.kind === 'user' ? only.value.trim() : formatEntry(only), candidateUsers: undefined, candidateGroups: undefined };
  }
  const users = valid.filter((entry) => entry.kind === 'user').map((entry) => entry.value.trim());
  const groups = valid.filter((entry) => entry.kind !== 'user').map(formatEntry);
  return {
    assignee: undefined,
    candidateUsers: users.length > 0 ? users.join(',') : undefined,
    candidateGroups: groups.length > 0 ? groups.join(',') : undefined,
  };
}
