import type { CommandContext } from '../../command/index.js';
import { HI_PROCESS_INSTANCE, type ExecutionEntity, type TaskEntity } from '../../persistence/index.js';
import { parseAssignment, PERSONAL_STRATEGIES, type AssignmentReference, type BareEntryMeaning, type UserTaskActivity } from '../model/index.js';
import { asOptionalString, asStringList } from './evaluation.js';
import type { InstanceRuntime } from './runtime.js';

/**
 * What the engine asks the organisation when a user task is created. The engine itself knows
 * no departments or roles: `identity/assignment` answers from the organisation tables, and the
 * engine receives it through `EngineEnvironment.taskAssignment`.
 */
export type OrganisationQuery =
  /** the holders of a role or post, the members of a user group, by code */
  | { readonly kind: 'role' | 'post' | 'group'; readonly code: string }
  /** the members of a department given by code or id, with those of its sub-departments if asked */
  | { readonly kind: 'departmentMembers'; readonly department: string; readonly includeSubDepartments: boolean }
  /** the nearest leader at or above the department `levelsUp` levels above the one given by code or id */
  | { readonly kind: 'departmentLeader'; readonly department: string; readonly levelsUp: number }
  /** the same, starting from a user's department: `departmentId` when known (the one they started the instance for), else their primary one */
  | { readonly kind: 'userLeader'; readonly userId: string; readonly departmentId: string | null; readonly levelsUp: number }
  /** which of these user ids are users of the organisation */
  | { readonly kind: 'users'; readonly userIds: readonly string[] };

export interface OrganisationAnswer {
  /** enabled users only */
  readonly userIds: readonly string[];
  /** whether the role, post, group or department named exists at all */
  readonly found: boolean;
}

export interface AssignmentResolver {
  /**
   * One answer per query, in order. Reads through the command's session (so in the command's
   * transaction and within its actor's tenants), in the organisation of `tenantId`; null, an
   * instance without a tenant, looks across every tenant.
   */
  resolve(context: CommandContext, tenantId: string | null, queries: readonly OrganisationQuery[]): Promise<OrganisationAnswer[]>;
}

export interface TaskAssignmentSettings {
  readonly resolver: AssignmentResolver;
  /** who gets a task whose assignment resolves to nobody, unless the task names its own `yiwang:fallbackAssignee` */
  readonly fallbackUser: string;
}

export const DEFAULT_FALLBACK_USER = 'admin';

/** An engine environment without an organisation (one built by hand): organisation strategies find nobody. */
const NO_ORGANISATION: AssignmentResolver = { resolve: async (_context, _tenantId, queries) => queries.map(() => ({ userIds: [], found: false })) };

/** Who a new user task is for. */
export interface TaskAssignment {
  readonly assignee: string | null;
  readonly candidateUsers: Set<string>;
  /** the candidate-group entries as written (`role:dispatcher`, `dept:cgj`, a bare name), so group queries match too */
  readonly candidateGroups: Set<string>;
  /** set when the entries resolved to nobody and the assignee is the fallback user; the entries that found nobody */
  readonly fallback: { readonly unresolved: readonly string[] } | null;
}

type Attribute = 'camunda:assignee' | 'camunda:candidateUsers' | 'camunda:candidateGroups';

interface Entry {
  readonly attribute: Attribute;
  readonly text: string;
}

/** An entry, what it names, and how to find the users: some known at once (a user id, the initiator), the others asked of the organisation. */
interface PlannedEntry {
  readonly entry: Entry;
  readonly reference: AssignmentReference;
  readonly users: readonly string[];
  readonly queries: readonly OrganisationQuery[];
}

/**
 * Resolves a user task's `camunda:assignee`, `camunda:candidateUsers` and `camunda:candidateGroups`
 * (expressions evaluated first, then every entry read by its prefix) to an assignee, candidate
 * users and candidate groups, asking the organisation once for all entries.
 *
 * Rules: the assignee attribute's user, or the single user of a personal strategy (dept-leader,
 * leader, initiator, field-user, field-dept-leader: the first one that finds exactly one user)
 * becomes the assignee; every other user found becomes a candidate. A task that names somebody
 * but finds nobody goes to the fallback user. A bare candidate group that is no role of the
 * organisation stays a plain Camunda group, as processes written for Camunda expect: a task
 * offered to it is not orphaned.
 */
export async function resolveTaskAssignment(runtime: InstanceRuntime, token: ExecutionEntity, activity: UserTaskActivity): Promise<TaskAssignment> {
  const assignment: TaskAssignment = { assignee: null, candidateUsers: new Set(), candidateGroups: new Set(), fallback: null };
  const entries = await evaluateEntries(runtime, token, activity);
  if (entries.length === 0) return assignment;
  const facts = new InstanceFacts(runtime, token);
  const planned: PlannedEntry[] = [];
  for (const entry of entries) planned.push(await plan(entry, facts, activity));
  const queries = planned.flatMap((p) => p.queries);
  const { context } = runtime;
  const resolver = context.environment.taskAssignment?.resolver ?? NO_ORGANISATION;
  const answers = queries.length === 0 ? [] : await resolver.resolve(context, token.tenantId, queries);
  return assign(planned, answers, activity, context);
}

function assign(planned: readonly PlannedEntry[], answers: readonly OrganisationAnswer[], activity: UserTaskActivity, context: CommandContext): TaskAssignment {
  let assignee: string | null = null;
  const candidateUsers = new Set<string>();
  const candidateGroups = new Set<string>();
  const unresolved: string[] = [];
  let offeredToPlainGroup = false;
  let next = 0;
  for (const { entry, reference, users, queries } of planned) {
    const answered = answers.slice(next, next + queries.length);
    next += queries.length;
    if (reference.kind === 'role' || reference.kind === 'department' || reference.kind === 'post' || reference.kind === 'group') {
      candidateGroups.add(reference.groupId);
      if (reference.bare && !answered.some((answer) => answer.found)) {
        offeredToPlainGroup = true;
        continue;
      }
    }
    const found = [...new Set([...users, ...answered.flatMap((answer) => answer.userIds)])];
    if (found.length === 0) {
      unresolved.push(entry.text);
      continue;
    }
    const personal = reference.kind === 'user' ? entry.attribute === 'camunda:assignee' : PERSONAL_STRATEGIES.has(reference.kind);
    if (personal && found.length === 1 && assignee === null) assignee = found[0] as string;
    else for (const userId of found) candidateUsers.add(userId);
  }
  if (assignee !== null || candidateUsers.size > 0 || offeredToPlainGroup) return { assignee, candidateUsers, candidateGroups, fallback: null };
  const fallbackUser = activity.assignmentOptions.fallbackAssignee ?? context.environment.taskAssignment?.fallbackUser ?? DEFAULT_FALLBACK_USER;
  return { assignee: fallbackUser, candidateUsers, candidateGroups, fallback: { unresolved } };
}

/** The entries of the three attributes, expressions evaluated: an entry may yield a list or a comma-separated string. */
async function evaluateEntries(runtime: InstanceRuntime, token: ExecutionEntity, activity: UserTaskActivity): Promise<Entry[]> {
  const entries: Entry[] = [];
  const what = (attribute: Attribute) => `${attribute} of user task '${activity.id}'`;
  if (activity.assignee) {
    const text = asOptionalString(await runtime.evaluate(activity.assignee, token, what('camunda:assignee')))?.trim();
    if (text) entries.push({ attribute: 'camunda:assignee', text });
  }
  for (const [attribute, expressions] of [['camunda:candidateUsers', activity.candidateUsers], ['camunda:candidateGroups', activity.candidateGroups]] as const) {
    for (const expression of expressions) {
      for (const text of asStringList(await runtime.evaluate(expression, token, what(attribute)))) entries.push({ attribute, text });
    }
  }
  return entries;
}

async function plan(entry: Entry, facts: InstanceFacts, activity: UserTaskActivity): Promise<PlannedEntry> {
  const bare: BareEntryMeaning = entry.attribute === 'camunda:candidateGroups' ? 'role' : 'user';
  const reference = parseAssignment(entry.text, bare);
  const planned = (users: readonly string[], queries: readonly OrganisationQuery[]): PlannedEntry => ({ entry, reference, users, queries });
  const { includeSubDepartments } = activity.assignmentOptions;
  switch (reference.kind) {
    case 'invalid':
      // literal entries were checked at deploy: this one came from an expression
      facts.runtime.context.environment.logger.warn({ taskDefinitionKey: activity.id, attribute: entry.attribute, entry: entry.text }, `user task assignment ignored: ${reference.problem}`);
      return planned([], []);
    case 'user':
      return planned([reference.userId], []);
    case 'role':
    case 'post':
    case 'group':
      return planned([], [{ kind: reference.kind, code: reference.code }]);
    case 'department':
      return planned([], [{ kind: 'departmentMembers', department: reference.code, includeSubDepartments }]);
    case 'departmentLeader':
      return planned([], [{ kind: 'departmentLeader', department: reference.code, levelsUp: 0 }]);
    case 'initiator': {
      const { userId } = await facts.initiator();
      return planned(userId ? [userId] : [], []);
    }
    case 'initiatorLeader': {
      const { userId, departmentId } = await facts.initiator();
      return planned([], userId ? [{ kind: 'userLeader', userId, departmentId, levelsUp: reference.levels - 1 }] : []);
    }
    case 'fieldUser': {
      const userIds = await facts.variableList(reference.variable);
      return planned([], userIds.length > 0 ? [{ kind: 'users', userIds }] : []);
    }
    case 'fieldDepartment':
      return planned([], (await facts.variableList(reference.variable)).map((department) => ({ kind: 'departmentMembers', department, includeSubDepartments })));
    case 'fieldDepartmentLeader':
      return planned([], (await facts.variableList(reference.variable)).map((department) => ({ kind: 'departmentLeader', department, levelsUp: 0 })));
  }
}

/** What entries may need from the instance, read at most once: its initiator and its variables. */
class InstanceFacts {
  private initiatorRead: Promise<{ userId: string | null; departmentId: string | null }> | null = null;

  constructor(
    readonly runtime: InstanceRuntime,
    private readonly token: ExecutionEntity,
  ) {}

  /** `hi_process_instance.start_user_id` and the department they started it for; the row is in the command's session when the instance started in it. */
  initiator(): Promise<{ userId: string | null; departmentId: string | null }> {
    this.initiatorRead ??= this.runtime.context.session
      .findById(HI_PROCESS_INSTANCE, this.runtime.root.id)
      .then((instance) => ({ userId: instance?.startUserId ?? null, departmentId: instance?.startDepartmentId ?? null }));
    return this.initiatorRead;
  }

  /** A variable as seen from the task's token: a list, a comma-separated string or one value. */
  async variableList(name: string): Promise<string[]> {
    const { variables } = this.runtime;
    await variables.ensureLoaded();
    return asStringList(variables.resolver(this.runtime.chain(this.token), {}).get(name));
  }
}

/** The fallback is an exception someone should look at: a warning in the log and, for a user's command, a row in the operation log. */
export function recordAssignmentFallback(runtime: InstanceRuntime, task: TaskEntity, unresolved: readonly string[]): void {
  const { context } = runtime;
  context.environment.logger.warn(
    { taskId: task.id, taskDefinitionKey: task.taskDefinitionKey, processInstanceId: task.processInstanceId, tenantId: task.tenantId, assignee: task.assignee, unresolved },
    'user task assignment resolved to nobody: the task goes to the fallback user',
  );
  context.logOperation({
    operationType: 'Assign',
    entityType: 'Task',
    taskId: task.id,
    processInstanceId: task.processInstanceId,
    processDefinitionId: task.processDefinitionId,
    processDefinitionKey: runtime.process.definition.key,
    property: 'assignmentFallback',
    orgValue: unresolved.join(','),
    newValue: task.assignee,
    tenantId: task.tenantId,
  });
}
