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
