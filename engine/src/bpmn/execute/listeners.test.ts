import { expect } from 'chai';
import { ParseError, ProcessEvaluationError } from '../../errors/index.js';
import { bpmn, completeTask, countRows, deployProcess, escapeXml, flow, openTask, rejectionOf } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import type { ProcessEngine } from '../../services/index.js';
import { fromStoredValue } from '../../variables/index.js';

/** `<camunda:executionListener>` elements of expression type, by event. */
function executionListeners(...byEvent: readonly (readonly [string, string])[]): string {
  return listenerElements('executionListener', byEvent);
}

function taskListeners(...byEvent: readonly (readonly [string, string])[]): string {
  return listenerElements('taskListener', byEvent);
}

function listenerElements(kind: string, byEvent: readonly (readonly [string, string])[]): string {
  return byEvent.map(([event, expression]) => `<camunda:${kind} event="${event}" expression="${escapeXml(expression).replace(/"/g, '&quot;')}"/>`).join('');
}

function extensions(...elements: string[]): string {
  return `<extensionElements>${elements.join('')}</extensionElements>`;
}

/**
 * A listener that records when it ran: `<name>` gets the current value of the counter `step`, and
 * `step` goes up by one. The second part reads `step` as the first left it in the store, and the
 * next listener reads the raised value: so the numbers give the firing order.
 */
function record(name: string): string {
  return `\${execution.setVariable('${name}', step)}\${execution.setVariable('step', step + 1)}`;
}

/** The last value of every variable the instance ever had, from history (it outlives the instance). */
async function historicValues(engine: ProcessEngine, processInstanceId: string): Promise<Record<string, unknown>> {
  const variables = await engine.historyService.listVariables(processInstanceId);
  return Object.fromEntries(variables.filter((v) => v.state !== 'DELETED').map((v) => [v.name, fromStoredValue(v).value]));
}

describeOnDatabases('bpmn/execute - execution and task listeners', (fixture) => {
  it('fires every event once, in Camunda order: process, activities, flows and task events', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('ls_order', `
      ${extensions(executionListeners(['start', record('processStart')], ['end', record('processEnd')]))}
      <startEvent id="start">${extensions(executionListeners(['start', record('startStart')], ['end', record('startEnd')]))}</startEvent>
      <sequenceFlow id="toTask" sourceRef="start" targetRef="task">${extensions(executionListeners(['take', record('takeToTask')]))}</sequenceFlow>
      <userTask id="task" camunda:assignee="kim">${extensions(
        executionListeners(['start', record('taskStart')], ['end', record('taskEnd')]),
        taskListeners(['create', record('create')], ['assignment', record('assignment')], ['complete', record('complete')]),
      )}</userTask>
      <sequenceFlow id="toEnd" sourceRef="task" targetRef="end">${extensions(executionListeners(['take', record('takeToEnd')]))}</sequenceFlow>
      <endEvent id="end">${extensions(executionListeners(['start', record('endStart')], ['end', record('endEnd')]))}</endEvent>`));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('ls_order', { variables: { step: 0 } });
    const afterStart = Object.fromEntries((await engine.runtimeService.getVariables(instance.id)).entries());
    await completeTask(engine, instance.id, 'task');
    // then
    expect(afterStart.step?.value).to.equal(7);
    const values = await historicValues(engine, instance.id);
    const order = ['processStart', 'startStart', 'startEnd', 'takeToTask', 'taskStart', 'create', 'assignment', 'complete', 'taskEnd', 'takeToEnd', 'endStart', 'endEnd', 'processEnd'];
    expect(order.map((name) => values[name])).to.deep.equal(order.map((_, index) => index));
    expect(values.step).to.equal(order.length);
  });

  it('lets a listener read what it and the listeners before it wrote, and remove variables', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('ls_reads', `
      <startEvent id="start"/>${flow('start', 'task')}
      <userTask id="task">${extensions(executionListeners(
        ['start', "${execution.setVariable('a', 1)}${execution.setVariable('b', execution.getVariable('a') + 1)}${execution.setVariableLocal('c', 10)}"],
        ['start', "${execution.setVariable('d', a + b + execution.getVariableLocal('c'))}${execution.removeVariable('gone')}"],
        ['start', "${execution.setVariable('goneSeen', execution.hasVariable('gone'))}${execution.setVariable('dSeen', execution.getVariables().d)}${execution.setVariable('aNotLocal', empty execution.getVariableLocal('a'))}"],
      ))}</userTask>${flow('task', 'end')}
      <endEvent id="end"/>`));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('ls_reads', { variables: { gone: 'x' } });
    // then
    const task = await openTask(engine, instance.id, 'task');
    const root = await engine.runtimeService.getVariables(instance.id);
    expect(Object.fromEntries([...root].map(([name, typed]) => [name, typed.value]))).to.deep.equal({
      a: 1, b: 2, d: 13, goneSeen: false, dSeen: 13, aNotLocal: true,
    });
    expect((await engine.runtimeService.getVariables(task.executionId)).get('c')?.value).to.equal(10);
  });

  it('assigns the task in a create listener; the assignment listener follows and history has the assignee', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('ls_create', `
      <startEvent id="start"/>${flow('start', 'task')}
      <userTask id="task">${extensions(taskListeners(
        ['create', "${task.setAssignee(initiator)}${task.setPriority(80)}${task.addCandidateGroup('dispatch')}${task.setName('Check report')}"],
        ['assignment', "${execution.setVariable('assignedTo', task.assignee)}${task.execution.setVariable('event', task.eventName)}"],
      ))}</userTask>${flow('task', 'end')}
      <endEvent id="end"/>`));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('ls_create', { businessKey: 'AJ-7', variables: { initiator: 'zhang.san' } });
    // then
    const task = await openTask(engine, instance.id, 'task');
    // the inbox searches the new name
    expect(task).to.include({ assignee: 'zhang.san', priority: 80, name: 'Check report', searchText: 'AJ-7\u001fCheck report' });
    expect((await engine.taskService.getCandidates(task.id)).map((c) => c.groupId)).to.deep.equal(['dispatch']);
    const [historic] = await engine.historyService.listTasks({ processInstanceId: instance.id });
    expect(historic).to.include({ assignee: 'zhang.san', priority: 80, name: 'Check report' });
    const [activity] = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'task' });
    expect(activity?.assignee).to.equal('zhang.san');
    expect(await engine.runtimeService.getVariable(instance.id, 'assignedTo')).to.equal('zhang.san');
    expect(await engine.runtimeService.getVariable(instance.id, 'event')).to.equal('assignment');
  });

  it('fires assignment listeners when the task service changes the assignee, not when it stays the same', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('ls_claim', `
      <startEvent id="start"/>${flow('start', 'task')}
      <userTask id="task">${extensions(taskListeners(
        ['assignment', "${execution.setVariable('claimedBy', task.assignee)}${execution.setVariable('assignments', assignments + 1)}"],
      ))}</userTask>${flow('task', 'end')}
      <endEvent id="end"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('ls_claim', { variables: { assignments: 0 } });
    const task = await openTask(engine, instance.id, 'task');
    expect(await engine.runtimeService.getVariable(instance.id, 'assignments')).to.equal(0);
    // when
    await engine.taskService.claim(task.id, 'li.si');
    await engine.taskService.claim(task.id, 'li.si');
    // then
    expect(await engine.runtimeService.getVariable(instance.id, 'claimedBy')).to.equal('li.si');
    expect(await engine.runtimeService.getVariable(instance.id, 'assignments')).to.equal(1);
    // when
    await engine.taskService.setAssignee(task.id, 'wang.wu');
    // then
    expect(await engine.runtimeService.getVariable(instance.id, 'claimedBy')).to.equal('wang.wu');
    expect(await engine.runtimeService.getVariable(instance.id, 'assignments')).to.equal(2);
  });

  it('lets a complete listener see the completion variables and change the task before it ends', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('ls_complete', `
      <startEvent id="start"/>${flow('start', 'task')}
      <userTask id="task" camunda:assignee="kim">${extensions(taskListeners(
        ['complete', "${execution.setVariable('verdict', approved ? 'ok' : 'no')}${task.setAssignee('closer')}"],
      ))}</userTask>${flow('task', 'wait')}
      <userTask id="wait"/>${flow('wait', 'end')}
      <endEvent id="end"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('ls_complete');
    // when
    await completeTask(engine, instance.id, 'task', { approved: true });
    // then
    expect(await engine.runtimeService.getVariable(instance.id, 'verdict')).to.equal('ok');
    const [historic] = await engine.historyService.listTasks({ processInstanceId: instance.id, taskDefinitionKey: 'task' });
    expect(historic).to.include({ assignee: 'closer', deleteReason: 'completed' });
  });

  it('fires a take listener only on the conditional flow that is taken', async () => {
    // given
    const { engine } = fixture();
    const conditional = (id: string, target: string, condition: string) =>
      `<sequenceFlow id="${id}" sourceRef="choose" targetRef="${target}">${extensions(executionListeners(['take', `\${execution.setVariable('took_${id}', true)}`]))}<conditionExpression>${escapeXml(condition)}</conditionExpression></sequenceFlow>`;
    await deployProcess(engine, bpmn('ls_take', `
      <startEvent id="start"/>${flow('start', 'choose')}
      <exclusiveGateway id="choose"/>
      ${conditional('high', 'big', '${amount > 100}')}
      ${conditional('low', 'small', '${amount <= 100}')}
      <userTask id="big"/><userTask id="small"/>`));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('ls_take', { variables: { amount: 500 } });
    // then
    const variables = await engine.runtimeService.getVariables(instance.id);
    expect(variables.get('took_high')?.value).to.equal(true);
    expect(variables.has('took_low')).to.equal(false);
  });

  it('fires end listeners of the cancelled activity and of the process when an instance is deleted', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('ls_cancel', `
      ${extensions(executionListeners(['end', "${execution.setVariable('processEnded', execution.eventName)}"]))}
      <startEvent id="start"/>${flow('start', 'task')}
      <userTask id="task">${extensions(executionListeners(['end', "${execution.setVariable('taskEnded', execution.currentActivityId)}"]))}</userTask>${flow('task', 'end')}
      <endEvent id="end"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('ls_cancel');
    // when
    await engine.runtimeService.deleteProcessInstance(instance.id, 'duplicate report');
    // then
    expect(await historicValues(engine, instance.id)).to.deep.equal({ taskEnded: 'task', processEnded: 'end' });
  });

  it('fires end listeners inside out when an interrupting boundary event cancels a sub-process', async () => {
    // given
    const { engine } = fixture();
    const process = bpmn('ls_boundary', `
      <startEvent id="start"/>${flow('start', 'sub')}
      <subProcess id="sub">${extensions(executionListeners(['start', record('subStart')], ['end', record('subEnd')]))}
        <startEvent id="subStart"/>${flow('subStart', 'inner')}
        <userTask id="inner">${extensions(executionListeners(['end', record('innerEnd')]))}</userTask>${flow('inner', 'subEnd')}
        <endEvent id="subEnd"/>
      </subProcess>${flow('sub', 'done')}
      <boundaryEvent id="stopped" attachedToRef="sub">${extensions(executionListeners(['start', record('boundaryStart')]))}<messageEventDefinition messageRef="stop"/></boundaryEvent>
      ${flow('stopped', 'after')}
      <userTask id="after"/><endEvent id="done"/>`);
    await deployProcess(engine, process.replace('<process ', '<message id="stop" name="stop"/><process '));
    const instance = await engine.runtimeService.startProcessInstanceByKey('ls_boundary', { variables: { step: 0 } });
    // when
    await engine.runtimeService.correlateMessage({ messageName: 'stop', processInstanceId: instance.id });
    // then
    await openTask(engine, instance.id, 'after');
    const variables = await engine.runtimeService.getVariables(instance.id);
    const order = ['subStart', 'innerEnd', 'subEnd', 'boundaryStart'];
    expect(order.map((name) => variables.get(name)?.value)).to.deep.equal([0, 1, 2, 3]);
  });

  it('rolls the command back when a listener fails, naming the element and the event', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('ls_fail', `
      <startEvent id="start"/>${flow('start', 'task')}
      <userTask id="task">${extensions(taskListeners(['complete', "${execution.setVariable('x', 1 / divisor)}"]))}</userTask>${flow('task', 'end')}
      <endEvent id="end"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('ls_fail', { variables: { divisor: 0 } });
    const task = await openTask(engine, instance.id, 'task');
    const before = await countRows(engine);
    // when
    const error = await rejectionOf(engine.taskService.complete(task.id, { note: 'done' }));
    // then
    expect(error).to.be.instanceOf(ProcessEvaluationError);
    expect(error.message).to.contain("Task listener 'complete' of user task 'task' failed");
    expect(await countRows(engine)).to.deep.equal(before);
    expect((await openTask(engine, instance.id, 'task')).id).to.equal(task.id);
  });

  it('refuses at run time a method call on anything but execution or task, with the evaluator message', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('ls_not_host', `
      <startEvent id="start">${extensions(executionListeners(['end', '${name.toUpperCase()}']))}</startEvent>${flow('start', 'end')}
      <endEvent id="end"/>`));
    const before = await countRows(engine);
    // when
    const error = await rejectionOf(engine.runtimeService.startProcessInstanceByKey('ls_not_host', { variables: { name: 'li' } }));
    // then
    expect(error).to.be.instanceOf(ProcessEvaluationError);
    expect(error.message).to.contain("Execution listener 'end' of 'start' failed");
    expect(error.message).to.contain("Cannot call 'toUpperCase' on name: only the methods of execution, task and other engine objects can be called");
    expect(await countRows(engine)).to.deep.equal(before);
  });

  it('refuses at deploy listeners that are not expressions and events that do not happen to the element', async () => {
    // given
    const { engine } = fixture();
    const xml = bpmn('ls_refused', `
      <startEvent id="start"><extensionElements><camunda:executionListener event="start" class="org.example.Audit"/></extensionElements></startEvent>${flow('start', 'task')}
      <userTask id="task">${extensions(executionListeners(['take', "${execution.setVariable('x', 1)}"]))}</userTask>${flow('task', 'end')}
      <endEvent id="end"/>`);
    // when
    const error = await rejectionOf(deployProcess(engine, xml));
    // then
    expect(error).to.be.instanceOf(ParseError);
    const messages = (error as ParseError).problems.map((p) => `${p.elementId}: ${p.message}`);
    expect(messages).to.include("start: camunda:ExecutionListener 'start' on 'start' must be of expression type: classes, delegate expressions and scripts do not run in this engine");
    expect(messages).to.include("task: camunda:ExecutionListener on 'task' has event 'take': supported events are start, end");
  });
});
