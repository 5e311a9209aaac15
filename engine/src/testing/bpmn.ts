import type { ProcessEngine } from '../services/index.js';

/**
 * Wraps flow elements in a BPMN 2.0 document with the BPMN namespace as default, so tests write
 * `<userTask id="a"/>` and `flow('a', 'b')` instead of full XML.
 */
export function bpmn(processId: string, body: string, attributes = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="definitions_${processId}" targetNamespace="http://yiwang.test">
  <process id="${processId}" isExecutable="true" ${attributes}>
${body}
  </process>
</definitions>`;
}

let flowCounter = 0;

/** A sequence flow; `condition` is the expression text, e.g. '${amount > 100}'. */
export function flow(source: string, target: string, condition?: string, id?: string): string {
  flowCounter += 1;
  const flowId = id ?? `flow_${source}_${target}_${flowCounter}`;
  if (!condition) return `<sequenceFlow id="${flowId}" sourceRef="${source}" targetRef="${target}"/>`;
  return `<sequenceFlow id="${flowId}" sourceRef="${source}" targetRef="${target}"><conditionExpression>${escapeXml(condition)}</conditionExpression></sequenceFlow>`;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Deploys one process and returns its definition id. */
export async function deployProcess(engine: ProcessEngine, xml: string, name = 'test.bpmn'): Promise<string> {
  const result = await engine.repositoryService.deploy({ name, resources: [{ name, content: xml }] });
  const [definition] = result.deployedProcessDefinitions;
  if (!definition) throw new Error('the test deployment created no process definition');
  return definition.id;
}

/** The one open task of an instance at `activityId`; fails the test if there is not exactly one. */
export async function openTask(engine: ProcessEngine, processInstanceId: string, activityId: string) {
  const tasks = await engine.taskService.listTasks({ processInstanceId, taskDefinitionKey: activityId });
  if (tasks.length !== 1) throw new Error(`expected one open task at '${activityId}', found ${tasks.length}`);
  return tasks[0] as (typeof tasks)[number];
}

/**
 * Rows of every table of the engine's database (or of the tables named), by table name: compare
 * two readings to prove a failed command wrote nothing. The table list comes from the database
 * itself, so tables added by later migrations are counted too.
 */
export async function countRows(engine: ProcessEngine, tables?: readonly string[]): Promise<Record<string, number>> {
  return engine.database.read(async (sql) => {
    const listed: unknown[] = await engine.database.sequelize.getQueryInterface().showAllTables();
    const all = listed.map((t) => (typeof t === 'string' ? t : (t as { tableName: string }).tableName)).sort();
    const names = tables ? all.filter((name) => tables.includes(name)) : all;
    const counts: Record<string, number> = {};
    // table names come from the database's own catalogue, not from input
    for (const name of names) counts[name] = Number((await sql.select(`SELECT COUNT(*) AS n FROM ${name}`))[0]?.n ?? 0);
    return counts;
  });
}

/** The error a promise rejects with; fails the test when it fulfils instead. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the operation to fail, but it succeeded');
}

/** Completes the one open task of an instance at `activityId`. */
export async function completeTask(engine: ProcessEngine, processInstanceId: string, activityId: string, variables: Record<string, unknown> = {}): Promise<void> {
  const task = await openTask(engine, processInstanceId, activityId);
  await engine.taskService.complete(task.id, variables);
}

/** Task definition keys of the instance's open tasks, sorted. */
export async function openTaskKeys(engine: ProcessEngine, processInstanceId: string): Promise<string[]> {
  const tasks = await engine.taskService.listTasks({ processInstanceId });
  return tasks.map((task) => task.taskDefinitionKey).sort();
}

/**
 * The execution waiting in `activityId` (a receive task, say): the runtime has no execution query,
 * so it is read from the activity's unfinished history row, as an operator would find it.
 */
export async function waitingExecutionId(engine: ProcessEngine, processInstanceId: string, activityId: string): Promise<string> {
  const rows = await engine.historyService.listActivityInstances({ processInstanceId, activityId, finished: false });
  if (rows.length !== 1) throw new Error(`expected one token waiting in '${activityId}', found ${rows.length}`);
  return (rows[0] as (typeof rows)[number]).executionId;
}

/** Locks the one fetchable external task of `topicName` for worker 'worker-1'; fails if there is not exactly one. */
export async function fetchOne(engine: ProcessEngine, topicName: string) {
  const locked = await engine.externalTaskService.fetchAndLock({ workerId: 'worker-1', maxTasks: 10, topics: [{ topicName, lockDuration: 60_000 }] });
  if (locked.length !== 1) throw new Error(`expected one external task of topic '${topicName}', found ${locked.length}`);
  return locked[0] as (typeof locked)[number];
}
