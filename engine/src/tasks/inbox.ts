import { offeredTaskIds, type Principal } from '../identity/index.js';
import { containsPattern } from '../identity/organisation/rules.js';
import {
  formatTimestamp,
  placeholders,
  HI_PROCESS_INSTANCE,
  HI_TASK,
  PROCESS_DEFINITION,
  TASK,
  type DbSession,
  type HistoricProcessInstanceEntity,
  type HistoricTaskEntity,
  type ProcessDefinitionEntity,
  type StatusLight,
  type TaskEntity,
} from '../persistence/index.js';
import { Filter, orderAndPage, type Page } from '../services/query.js';
import { lightCondition, taskLight } from './lights.js';

/** The inbox tabs: 待办 mine, 待认领 offered to me, 已办 done by me, 我发起的 started by me (抄送我 is `/api/copies`). */
export const INBOX_VIEWS = ['todo', 'claimable', 'done', 'started'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];

export interface InboxQuery extends Page {
  readonly view: InboxView;
  readonly processDefinitionKey?: string;
  /** the process definition's category */
  readonly category?: string;
  /** in the task's name or the case's business key */
  readonly search?: string;
  readonly light?: StatusLight;
  readonly dueBefore?: Date;
  readonly dueAfter?: Date;
}

/** One row of an inbox tab: a task (open or done) or, for 我发起的, a case. */
export interface InboxRow {
  readonly taskId: string | null;
  readonly taskName: string | null;
  readonly activityId: string | null;
  readonly processInstanceId: string;
  readonly businessKey: string | null;
  readonly processDefinitionKey: string | null;
  readonly processName: string | null;
  readonly category: string | null;
  readonly assignee: string | null;
  readonly startUserId: string | null;
  readonly created: Date;
  readonly ended: Date | null;
  readonly dueDate: Date | null;
  readonly light: StatusLight | null;
  readonly priority: number | null;
  readonly parked: boolean;
  readonly delegated: boolean;
  readonly urgeCount: number;
  /** 我发起的: the case's state (ACTIVE, COMPLETED, EXTERNALLY_TERMINATED...) */
  readonly state: string | null;
}

/** A page of an inbox tab for the caller, read through their scope, newest first. */
export async function listInbox(session: DbSession, principal: Principal, query: InboxQuery, now: Date): Promise<InboxRow[]> {
  const page = { firstResult: query.firstResult, maxResults: query.maxResults };
  switch (query.view) {
    case 'todo':
    case 'claimable': {
      const filter = openTaskFilter(principal, query, await definitionIds(session, query), now);
      const tasks = await openTaskPage(session, filter, page);
      return withCases(session, tasks, (task, instance, definition) => openTaskRow(task, instance, definition, now));
    }
    case 'done': {
      const filter = doneTaskFilter(principal, query, await doneLookups(session, query));
      const tasks = await session.select(HI_TASK, filter.where, filter.bindings, orderAndPage({ sortBy: 'ended', sortOrder: 'desc' }, { ended: 'end_time' }, 'ended', page));
      return withCases(session, tasks, doneTaskRow);
    }
    case 'started': {
      const filter = startedFilter(principal, query, await definitionIds(session, { category: query.category }));
      const instances = await session.select(HI_PROCESS_INSTANCE, filter.where, filter.bindings, orderAndPage({ sortBy: 'started', sortOrder: 'desc' }, { started: 'start_time' }, 'started', page));
      const definitions = await definitionsOf(session, instances.map((instance) => instance.processDefinitionId));
      return instances.map((instance) => startedRow(instance, definitions.get(instance.processDefinitionId)));
    }
  }
}

/** How many rows a tab has under the same filters. */
export async function countInbox(session: DbSession, principal: Principal, query: InboxQuery, now: Date): Promise<number> {
  switch (query.view) {
    case 'todo':
    case 'claimable': {
      const filter = openTaskFilter(principal, query, await definitionIds(session, query), now);
      return session.count(TASK, filter.where, filter.bindings);
    }
    case 'done': {
      const filter = doneTaskFilter(principal, query, await doneLookups(session, query));
      return session.count(HI_TASK, filter.where, filter.bindings);
    }
    case 'started': {
      const filter = startedFilter(principal, query, await definitionIds(session, { category: query.category }));
      return session.count(HI_PROCESS_INSTANCE, filter.where, filter.bindings);
    }
  }
}

function openTaskFilter(principal: Principal, query: InboxQuery, definitions: readonly string[] | undefined, now: Date): Filter {
  const filter = new Filter();
  if (query.view === 'todo') {
    filter.equals('assignee', principal.userId);
  } else {
    // The caller's own candidate rows in their tenants (task_candidate carries its task's tenant),
    // read from the indexes (tenant_id, group_id, task_id) and (tenant_id, user_id, task_id) into a
    // set once per query; each unassigned task of the tenant, read newest first, is looked up in it.
    // Before the tenant, the set held every tenant's candidates of the caller's groups, or each
    // task was looked up in task_candidate.
    const offered = offeredTaskIds(principal);
    filter.isNull('assignee', true).raw(`id IN (${offered.clause})`, ...offered.values);
  }
  filter.in('process_definition_id', definitions);
  filter.compare('due_date', '<', query.dueBefore).compare('due_date', '>', query.dueAfter);
  if (query.search !== undefined) {
    // case number and name in one column of the index the tab is read from (migration 020), so
    // openTaskPage finds a searched page's ids in that index without reading rows
    filter.raw("search_text LIKE ? ESCAPE '!'", containsPattern(query.search));
  }
  if (query.light !== undefined) {
    const { clause, nowMarks } = lightCondition(query.light);
    filter.raw(clause, ...Array<string>(nowMarks).fill(formatTimestamp(now)));
  }
  return filter;
}

/**
 * A page of open tasks in two reads: the page's ids, then their rows. The ids alone come from the
 * index `(assignee, tenant_id, create_time, id, search_text)` when the filter names only those
 * columns (a tab, its search, the candidate set), where reading the rows in the same query made
 * MariaDB read the row of every index entry it walked: the clerk's 待认领 search for a text none
 * of their 16,000 tasks holds took 33-55 ms that way, 6-19 ms by ids (BENCHMARKS.md, "Inbox").
 */
async function openTaskPage(session: DbSession, filter: Filter, page: Page): Promise<TaskEntity[]> {
  const ids = await session.selectIds(TASK, filter.where, filter.bindings, orderAndPage({ sortBy: 'created', sortOrder: 'desc' }, { created: 'create_time' }, 'created', page));
  if (ids.length === 0) return [];
  // the filter again: a task claimed, completed or renamed between the two reads is left out of the page
  const rows = await session.select(TASK, `(${filter.where}) AND id IN (${placeholders(ids.length, filter.bindings.length)})`, [...filter.bindings, ...ids]);
  const byId = new Map(rows.map((task) => [task.id, task]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

function doneTaskFilter(principal: Principal, query: InboxQuery, lookups: Lookups): Filter {
  const filter = new Filter().equals('assignee', principal.userId).equals('delete_reason', 'completed').in('process_definition_id', lookups.definitions);
  if (query.search !== undefined) searchFilter(filter, query.search, lookups.searchedCases);
  return filter;
}

function startedFilter(principal: Principal, query: InboxQuery, ofCategory: readonly string[] | undefined): Filter {
  const filter = new Filter().equals('start_user_id', principal.userId).equals('process_definition_key', query.processDefinitionKey).in('process_definition_id', ofCategory);
  if (query.search !== undefined) filter.raw("business_key LIKE ? ESCAPE '!'", containsPattern(query.search));
  return filter;
}

/** 已办's search: the task's name or its case's business key contains the text (hi_task has no business key; the open tabs test theirs in the row). */
function searchFilter(filter: Filter, text: string, cases: readonly string[] | 'many' | undefined): void {
  const pattern = containsPattern(text);
  if (cases === 'many' || cases === undefined) {
    filter.raw("(name LIKE ? ESCAPE '!' OR EXISTS (SELECT 1 FROM hi_process_instance searched WHERE searched.id = hi_task.process_instance_id AND searched.business_key LIKE ? ESCAPE '!'))", pattern, pattern);
  } else if (cases.length === 0) {
    filter.raw("name LIKE ? ESCAPE '!'", pattern);
  } else {
    filter.raw(`(name LIKE ? ESCAPE '!' OR process_instance_id IN (${cases.map(() => '?').join(', ')}))`, pattern, ...cases);
  }
}

/** What 已办's filter needs read first: the definitions a process or category filter names, the cases a search finds by business key. */
interface Lookups {
  readonly definitions?: string[];
  /** 'many': more than SEARCHED_CASES_LIMIT */
  readonly searchedCases?: string[] | 'many';
}

/**
 * Cases a search finds by business key, listed when they are few: testing each task of a tab
 * against a list is cheap, where testing it with a subquery looked up its case row by row (a
 * search that matched nothing read a case per task of the tab). With more, each task's own case
 * is tested (`EXISTS` by its id), and the tab's first page fills quickly: `IN (SELECT …)` made
 * SQLite scan every case's number first (150,000 cases in bench/inbox.bench.ts: 43–59 ms at p50,
 * 2–7 ms with `EXISTS`); MariaDB answers both alike.
 */
const SEARCHED_CASES_LIMIT = 1000;

async function doneLookups(session: DbSession, query: InboxQuery): Promise<Lookups> {
  const definitions = await definitionIds(session, query);
  if (query.search === undefined) return { definitions };
  // only narrows rows the caller's scope has let through, as the subquery did (MariaDB reads it from the business-key
  // index alone; SQLite's secondary indexes hold the rowid, not `id`, so it scans the table)
  const found = await session.sql.select(`SELECT id FROM hi_process_instance WHERE business_key LIKE $1 ESCAPE '!' LIMIT ${SEARCHED_CASES_LIMIT + 1}`, [containsPattern(query.search)]);
  return { definitions, searchedCases: found.length > SEARCHED_CASES_LIMIT ? 'many' : found.map((row) => String(row.id)) };
}

/**
 * The definitions a process or category filter names (undefined without either), read first: they
 * are few, and a list of their ids lets the database read the tab in its order and test each row,
 * where a subquery on process_definition became a join that read every task of the process.
 */
async function definitionIds(session: DbSession, query: Pick<InboxQuery, 'processDefinitionKey' | 'category'>): Promise<string[] | undefined> {
  if (query.processDefinitionKey === undefined && query.category === undefined) return undefined;
  const filter = new Filter().equals('key_', query.processDefinitionKey).equals('category', query.category);
  return (await session.select(PROCESS_DEFINITION, filter.where, filter.bindings)).map((definition) => definition.id);
}

async function withCases<T extends { processInstanceId: string; processDefinitionId: string }>(
  session: DbSession,
  tasks: readonly T[],
  row: (task: T, instance: HistoricProcessInstanceEntity | undefined, definition: ProcessDefinitionEntity | undefined) => InboxRow,
): Promise<InboxRow[]> {
  const instanceIds = [...new Set(tasks.map((task) => task.processInstanceId))];
  const instances = instanceIds.length === 0 ? [] : await session.select(HI_PROCESS_INSTANCE, `id IN (${placeholders(instanceIds.length)})`, instanceIds);
  const definitions = await definitionsOf(session, tasks.map((task) => task.processDefinitionId));
  return tasks.map((task) => row(task, instances.find((instance) => instance.id === task.processInstanceId), definitions.get(task.processDefinitionId)));
}

/** Process definitions by id, read through the session's scope. */
export async function definitionsOf(session: DbSession, ids: readonly string[]): Promise<Map<string, ProcessDefinitionEntity>> {
  const distinct = [...new Set(ids)];
  if (distinct.length === 0) return new Map();
  const rows = await session.select(PROCESS_DEFINITION, `id IN (${placeholders(distinct.length)})`, distinct);
  return new Map(rows.map((definition) => [definition.id, definition]));
}

function caseFields(instance: HistoricProcessInstanceEntity | undefined, definition: ProcessDefinitionEntity | undefined) {
  return {
    businessKey: instance?.businessKey ?? null,
    startUserId: instance?.startUserId ?? null,
    processDefinitionKey: definition?.key ?? null,
    processName: definition?.name ?? definition?.key ?? null,
    category: definition?.category ?? null,
  };
}

function openTaskRow(task: TaskEntity, instance: HistoricProcessInstanceEntity | undefined, definition: ProcessDefinitionEntity | undefined, now: Date): InboxRow {
  return {
    taskId: task.id, taskName: task.name, activityId: task.taskDefinitionKey, processInstanceId: task.processInstanceId, ...caseFields(instance, definition),
    assignee: task.assignee, created: task.createTime, ended: null, dueDate: task.dueDate, light: taskLight(task, now), priority: task.priority,
    parked: task.parkedAt !== null, delegated: task.delegationState === 'PENDING', urgeCount: task.urgeCount, state: null,
  };
}

function doneTaskRow(task: HistoricTaskEntity, instance: HistoricProcessInstanceEntity | undefined, definition: ProcessDefinitionEntity | undefined): InboxRow {
  return {
    taskId: task.id, taskName: task.name, activityId: task.taskDefinitionKey, processInstanceId: task.processInstanceId, ...caseFields(instance, definition),
    assignee: task.assignee, created: task.startTime, ended: task.endTime, dueDate: task.dueDate,
    light: task.dueDate && task.endTime ? (task.endTime > task.dueDate ? 'red' : 'green') : null,
    priority: task.priority, parked: false, delegated: false, urgeCount: 0, state: instance?.state ?? null,
  };
}

function startedRow(instance: HistoricProcessInstanceEntity, definition: ProcessDefinitionEntity | undefined): InboxRow {
  return {
    taskId: null, taskName: null, activityId: null, processInstanceId: instance.id, ...caseFields(instance, definition),
    assignee: null, created: instance.startTime, ended: instance.endTime, dueDate: null, light: null, priority: null,
    parked: false, delegated: false, urgeCount: 0, state: instance.state,
  };
}
