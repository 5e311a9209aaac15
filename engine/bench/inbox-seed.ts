/**
 * The inbox benchmark's data (bench/inbox.bench.ts): an organisation of 48 people in three
 * tenants, five shared process definitions in four categories, and `open` running cases each
 * waiting at one open task plus `ended` completed cases, with their executions, candidates,
 * history (hi_process_instance, hi_task, hi_activity_instance), timeline (case_action) and
 * copies (task_copy) — written through the engine's DbSession (multi-row INSERTs per table),
 * a chunk of cases per transaction. Running cases wait at 受理 or 派遣 (offered to a role, a third
 * claimed) or at 处置 (a handler's, or offered to a department).
 */
import { timeOrderedId } from '../src/command/ids.js';
import {
  CASE_ACTION,
  DbSession,
  EXECUTION,
  HI_ACTIVITY_INSTANCE,
  HI_PROCESS_INSTANCE,
  HI_TASK,
  TASK,
  TASK_CANDIDATE,
  TASK_COPY,
  taskSearchText,
  type ProcessDefinitionEntity,
} from '../src/persistence/index.js';
import type { ProcessEngine } from '../src/services/index.js';
import { bpmn, flow } from '../src/testing/bpmn.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../src/testing/organisation.js';

export const SEED_MARK = 'bench.inbox.seed';
export const BENCH_TENANTS = [TENANT_TREE.city, TENANT_TREE.countyA, TENANT_TREE.countyB] as const;
const DEPARTMENTS = ['sanitation', 'roads', 'parks', 'enforcement'] as const;
/** Per tenant: role code, how many users hold it, their data scope. */
export const BENCH_ROLES = [
  { code: 'clerk', count: 3, dataScope: 'all' },
  { code: 'dispatcher', count: 3, dataScope: 'all' },
  { code: 'handler', count: 6, dataScope: 'department' },
  { code: 'inspector', count: 3, dataScope: 'self' },
  { code: 'leader', count: 1, dataScope: 'all' },
] as const;
export type BenchRole = (typeof BENCH_ROLES)[number]['code'];
const PERMISSIONS = ['task:read', 'task:handle', 'instance:read', 'process:read', 'process:start'];
const PROCESSES = [
  { key: 'case_report', name: '案件上报', category: 'command', weight: 5 },
  { key: 'hotline', name: '12345热线', category: 'public-service', weight: 3 },
  { key: 'bridge_alarm', name: '桥梁监测告警', category: 'monitoring', weight: 1 },
  { key: 'drain_alarm', name: '排水监测告警', category: 'monitoring', weight: 1 },
  { key: 'field_check', name: '实地考察', category: 'evaluation', weight: 1 },
] as const;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const CHUNK = 1_000;

/** User ids: `<tenant>-<role><n>`, e.g. 450222-handler3; a handler belongs to department (n-1) % 4. */
export const userId = (tenantId: string, role: BenchRole, n: number) => `${tenantId}-${role}${n}`;
const handlerDepartment = (n: number) => DEPARTMENTS[(n - 1) % DEPARTMENTS.length] as string;

function processXml(key: string, name: string, category: string): string {
  return bpmn(key, `
    <extensionElements><camunda:properties><camunda:property name="yiwang:category" value="${category}"/></camunda:properties></extensionElements>
    <startEvent id="start"/>${flow('start', 'accept')}
    <userTask id="accept" name="受理" camunda:candidateGroups="role:clerk"/>${flow('accept', 'dispatch')}
    <userTask id="dispatch" name="派遣" camunda:candidateGroups="role:dispatcher"/>${flow('dispatch', 'handle')}
    <userTask id="handle" name="处置" camunda:assignee="\${handler}"/>${flow('handle', 'end')}
    <endEvent id="end"/>`, `name="${name}"`);
}

/** A small deterministic random source, so every seed of one size is the same data. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

export interface SeedSize {
  readonly open: number;
  readonly ended: number;
}

export const seedMark = (size: SeedSize) => `${size.open}/${size.ended}`;

/** Organisation, definitions and cases; `progress` hears how many cases are written. */
export async function seedInbox(engine: ProcessEngine, size: SeedSize, progress: (done: number) => void): Promise<void> {
  await buildOrganisation(engine, {
    tenants: TENANT_TREE_FIXTURE,
    departments: BENCH_TENANTS.flatMap((tenantId) => DEPARTMENTS.map((code) => ({ tenantId, code, name: code }))),
    roles: BENCH_TENANTS.flatMap((tenantId) => BENCH_ROLES.map(({ code, dataScope }) => ({ tenantId, code, permissions: PERMISSIONS, dataScope }))),
    users: BENCH_TENANTS.flatMap((tenantId) => BENCH_ROLES.flatMap(({ code, count }) => Array.from({ length: count }, (_, i) => ({
      id: userId(tenantId, code, i + 1), tenantId, roles: [code], departments: [code === 'handler' ? handlerDepartment(i + 1) : DEPARTMENTS[i % DEPARTMENTS.length] as string],
    })))),
  });
  const deployed = await engine.repositoryService.deploy({
    name: 'bench-inbox', resources: PROCESSES.map(({ key, name, category }) => ({ name: `${key}.bpmn`, content: processXml(key, name, category) })),
  });
  const definitions = deployed.deployedProcessDefinitions;
  const departmentIds = new Map<string, string>();
  await engine.database.read(async (sql) => {
    for (const row of await sql.select('SELECT id, tenant_id, code FROM department')) departmentIds.set(`${String(row.tenant_id)}:${String(row.code)}`, String(row.id));
  });
  const writer = new CaseWriter(definitions, departmentIds, Date.now());
  const total = size.open + size.ended;
  for (let first = 0; first < total; first += CHUNK) {
    await engine.database.transaction(async (sql) => {
      const session = new DbSession(sql);
      for (let i = first; i < Math.min(total, first + CHUNK); i++) writer.write(session, i, i < size.open);
      await session.flush();
    });
    progress(Math.min(total, first + CHUNK));
  }
  await engine.database.transaction((sql) => sql.execute('INSERT INTO engine_property (name, value, rev) VALUES ($1, $2, 1)', [SEED_MARK, seedMark(size)]));
}

/** Writes one case's rows: a running case waits at 派遣 (offered to the dispatchers, or claimed) or 处置 (a handler's, or offered to a department). */
class CaseWriter {
  private readonly next = random(42);
  private readonly weighted: ProcessDefinitionEntity[];
  private seq = 0;

  constructor(definitions: readonly ProcessDefinitionEntity[], private readonly departmentIds: ReadonlyMap<string, string>, private readonly now: number) {
    this.weighted = PROCESSES.flatMap(({ key, weight }) => Array<ProcessDefinitionEntity>(weight).fill(definitions.find((d) => d.key === key) as ProcessDefinitionEntity));
  }

  private pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.next() * values.length)] as T;
  }

  write(session: DbSession, index: number, open: boolean): void {
    const tenantId = BENCH_TENANTS[index % BENCH_TENANTS.length] as string;
    const definition = this.pick(this.weighted);
    const starterRole = this.next() < 0.7 ? 'inspector' : 'clerk';
    const starterN = 1 + Math.floor(this.next() * 3);
    const starter = userId(tenantId, starterRole, starterN);
    const started = new Date(this.now - (open ? 30 : 365) * DAY_MS * this.next());
    const instanceId = timeOrderedId();
    const businessKey = `${definition.key === 'case_report' ? 'SJ' : 'RX'}${tenantId}${started.toISOString().slice(0, 10).replace(/-/g, '')}${String(index).padStart(7, '0')}`;
    const clerk = userId(tenantId, 'clerk', 1 + Math.floor(this.next() * 3));
    const accepted = new Date(started.getTime() + HOUR_MS * this.next());
    const base = { tenantId, processInstanceId: instanceId, processDefinitionId: definition.id };
    session.insert(HI_PROCESS_INSTANCE, {
      id: instanceId, processDefinitionId: definition.id, processDefinitionKey: definition.key, businessKey, startTime: started,
      endTime: open ? null : new Date(accepted.getTime() + 2 * DAY_MS), durationMs: open ? null : 2 * DAY_MS + (accepted.getTime() - started.getTime()),
      startUserId: starter, startActivityId: 'start', endActivityId: open ? null : 'end', state: open ? 'ACTIVE' : 'COMPLETED', deleteReason: null,
      tenantId, superProcessInstanceId: null, startDepartmentId: this.departmentIds.get(`${tenantId}:${DEPARTMENTS[(starterN - 1) % DEPARTMENTS.length]}`) ?? null,
    });
    this.activity(session, base, 'start', 'startEvent', started, started, null);
    this.action(session, base, null, null, 'start', starter, started);
    const acceptTask = this.doneTask(session, base, 'accept', '受理', clerk, started, accepted);
    this.action(session, base, acceptTask, 'accept', 'complete', clerk, accepted);
    if (!open) {
      const handler = userId(tenantId, 'handler', 1 + Math.floor(this.next() * 6));
      const handled = new Date(accepted.getTime() + 2 * DAY_MS);
      const handleTask = this.doneTask(session, base, 'handle', '处置', handler, accepted, handled);
      this.action(session, base, handleTask, 'handle', 'complete', handler, handled);
      this.activity(session, base, 'end', 'noneEndEvent', handled, handled, null);
      return;
    }
    this.openTask(session, base, businessKey, accepted);
  }

  private openTask(session: DbSession, base: { tenantId: string; processInstanceId: string; processDefinitionId: string }, businessKey: string, created: Date): void {
    const { tenantId, processInstanceId } = base;
    // 20 % at 受理 (offered to the clerks, a third claimed), 30 % at 派遣 (offered to the dispatchers, a third claimed),
    // 50 % at 处置 (60 % a handler's, the rest offered to a department)
    const step = this.next();
    const claimed = this.next() < (step < 0.5 ? 1 / 3 : 0.6);
    const [activityId, name, role, groupId] =
      step < 0.2 ? ['accept', '受理', 'clerk', 'role:clerk'] as const
        : step < 0.5 ? ['dispatch', '派遣', 'dispatcher', 'role:dispatcher'] as const
          : ['handle', '处置', 'handler', `dept:${this.pick(DEPARTMENTS)}`] as const;
    const assignee = claimed ? userId(tenantId, role, 1 + Math.floor(this.next() * (role === 'handler' ? 6 : 3))) : null;
    const rootId = timeOrderedId();
    const tokenId = timeOrderedId();
    const activityInstanceId = timeOrderedId();
    const taskId = timeOrderedId();
    const limitMs = this.pick([4, 8, 24, 72]) * HOUR_MS;
    // lights: a third overdue, some in their last fifth, the rest within; a tenth without a limit
    const lightRoll = this.next();
    const dueDate = lightRoll < 0.1 ? null : new Date(this.now + (lightRoll < 0.4 ? -1 : lightRoll < 0.5 ? 0.1 : 1.5) * limitMs * this.next());
    const warnDate = dueDate ? new Date(dueDate.getTime() - 0.2 * limitMs) : null;
    session.insert(EXECUTION, {
      id: rootId, rev: 1, processInstanceId, parentId: null, processDefinitionId: base.processDefinitionId, activityId: null, activityInstanceId: null, incomingFlowId: null,
      businessKey, isScope: true, state: 'ACTIVE', tenantId, startTime: created, superExecutionId: null, parked: false,
    });
    session.insert(EXECUTION, {
      id: tokenId, rev: 1, processInstanceId, parentId: rootId, processDefinitionId: base.processDefinitionId, activityId, activityInstanceId, incomingFlowId: null,
      businessKey: null, isScope: false, state: 'ACTIVE', tenantId, startTime: created, superExecutionId: null, parked: false,
    });
    const common = { name, description: null, assignee, owner: null, priority: 50, dueDate, followUpDate: null, taskDefinitionKey: activityId, executionId: tokenId, activityInstanceId, parentTaskId: null, signState: null, previousTaskId: null, timeLimitMs: dueDate ? limitMs : null } as const;
    session.insert(TASK, {
      ...base, ...common, id: taskId, rev: 1, businessKey, searchText: taskSearchText(businessKey, name), delegationState: null, createTime: created, lastUpdated: null, formKey: null, formRef: null, suspended: false,
      assignmentFallback: false, returnTo: null, warnDate, parkedAt: null, parkedMs: 0, openedAt: null, urgeCount: this.next() < 0.05 ? 1 : 0,
    });
    session.insert(HI_TASK, { ...base, ...common, id: taskId, startTime: created, endTime: null, durationMs: null, deleteReason: null });
    if (assignee === null) session.insert(TASK_CANDIDATE, { id: timeOrderedId(), taskId, processInstanceId, userId: null, groupId, tenantId });
    this.activity(session, base, activityId, 'userTask', created, null, taskId, activityInstanceId, tokenId, assignee);
    if (this.next() < 0.1) {
      session.insert(TASK_COPY, {
        id: timeOrderedId(), rev: 1, tenantId, processInstanceId, taskId: null, activityId: 'accept', activityName: '受理', userId: userId(tenantId, this.pick(['leader', 'handler'] as const), 1),
        senderId: null, comment: null, createTime: created, readTime: this.next() < 0.5 ? created : null,
      });
    }
  }

  private doneTask(session: DbSession, base: { tenantId: string; processInstanceId: string; processDefinitionId: string }, activityId: string, name: string, assignee: string, start: Date, end: Date): string {
    const id = timeOrderedId();
    const activityInstanceId = timeOrderedId();
    session.insert(HI_TASK, {
      ...base, id, name, description: null, assignee, owner: null, priority: 50, dueDate: null, followUpDate: null, startTime: start, endTime: end,
      durationMs: end.getTime() - start.getTime(), deleteReason: 'completed', taskDefinitionKey: activityId, executionId: base.processInstanceId, activityInstanceId,
      parentTaskId: null, signState: null, timeLimitMs: null, previousTaskId: null,
    });
    this.activity(session, base, activityId, 'userTask', start, end, id, activityInstanceId, base.processInstanceId, assignee);
    return id;
  }

  private activity(
    session: DbSession, base: { tenantId: string; processInstanceId: string; processDefinitionId: string }, activityId: string, activityType: string,
    start: Date, end: Date | null, taskId: string | null, id = timeOrderedId(), executionId = base.processInstanceId, assignee: string | null = null,
  ): void {
    session.insert(HI_ACTIVITY_INSTANCE, {
      ...base, id, parentActivityInstanceId: null, activityId, activityName: null, activityType, executionId, taskId, assignee, startTime: start, endTime: end,
      durationMs: end ? end.getTime() - start.getTime() : null, canceled: false, sequenceCounter: ++this.seq, calledProcessInstanceId: null,
    });
  }

  private action(session: DbSession, base: { tenantId: string; processInstanceId: string }, taskId: string | null, activityId: string | null, operation: string, user: string, time: Date): void {
    session.insert(CASE_ACTION, {
      id: timeOrderedId(), tenantId: base.tenantId, processInstanceId: base.processInstanceId, taskId, activityId, activityName: null, operation, userId: user,
      target: null, comment: null, attachments: null, time, seq: ++this.seq, workingMs: null, light: null,
    });
  }
}
