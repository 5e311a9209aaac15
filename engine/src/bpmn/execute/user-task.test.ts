import { expect } from 'chai';
import { DateTime } from 'luxon';
import { ProcessEvaluationError } from '../../errors/index.js';
import { bpmn, countRows, deployProcess, flow, openTask, rejectionOf } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { camundaForm } from '../../testing/modeler.js';

/** A process whose only wait state is the user task written in `userTask`, with id 'task'. */
function singleTask(key: string, userTask: string): string {
  return bpmn(key, `
    <startEvent id="start"/>${flow('start', 'task')}
    ${userTask}${flow('task', 'end')}
    <endEvent id="end"/>`);
}

describeOnDatabases('bpmn/execute - user task attributes', (fixture) => {
  it('assigns the task to the user an assignee expression names, in the task and its history', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, singleTask('ut_assignee', '<userTask id="task" camunda:assignee="${starter}"/>'));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('ut_assignee', { variables: { starter: 'zhang.san' } });
    // then
    const task = await openTask(engine, instance.id, 'task');
    expect(task.assignee).to.equal('zhang.san');
    const [historic] = await engine.historyService.listTasks({ processInstanceId: instance.id });
    expect(historic?.assignee).to.equal('zhang.san');
    const [activity] = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'task' });
    expect(activity).to.include({ assignee: 'zhang.san', taskId: task.id });
  });

  it('stores literal candidate users and groups and finds the task by either', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, singleTask('ut_candidates', '<userTask id="task" camunda:candidateUsers="li.si, wang.wu" camunda:candidateGroups="dispatch,patrol"/>'));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('ut_candidates');
    // then
    const task = await openTask(engine, instance.id, 'task');
    const candidates = await engine.taskService.getCandidates(task.id);
    expect(candidates.flatMap((c) => (c.userId ? [c.userId] : [])).sort()).to.deep.equal(['li.si', 'wang.wu']);
    expect(candidates.flatMap((c) => (c.groupId ? [c.groupId] : [])).sort()).to.deep.equal(['dispatch', 'patrol']);
    const ids = async (query: Parameters<typeof engine.taskService.listTasks>[0]) =>
      (await engine.taskService.listTasks({ processInstanceId: instance.id, ...query })).map((t) => t.id);
    expect(await ids({ candidateGroup: 'patrol' })).to.deep.equal([task.id]);
    expect(await ids({ candidateUser: 'wang.wu' })).to.deep.equal([task.id]);
    expect(await ids({ candidateGroup: 'finance' })).to.deep.equal([]);
    expect(await ids({ candidateUser: 'zhao.liu' })).to.deep.equal([]);
  });

  it('takes candidate groups and users from expressions that yield a list, next to literal entries', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, singleTask('ut_candidate_expr', '<userTask id="task" camunda:candidateGroups="${streets}" camunda:candidateUsers="chief, ${deputies}"/>'));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('ut_candidate_expr', {
      variables: { streets: ['street-a', 'street-b'], deputies: ['deputy-1', 'deputy-2'] },
    });
    // then
    const task = await openTask(engine, instance.id, 'task');
    const candidates = await engine.taskService.getCandidates(task.id);
    expect(candidates.flatMap((c) => (c.groupId ? [c.groupId] : [])).sort()).to.deep.equal(['street-a', 'street-b']);
    expect(candidates.flatMap((c) => (c.userId ? [c.userId] : [])).sort()).to.deep.equal(['chief', 'deputy-1', 'deputy-2']);
    const inbox = await engine.taskService.listTasks({ processInstanceId: instance.id, candidateGroup: 'street-b' });
    expect(inbox.map((t) => t.id)).to.deep.equal([task.id]);
  });

  it('leaves an assigned task out of candidate queries unless assigned tasks are asked for', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, singleTask('ut_candidate_assigned', '<userTask id="task" camunda:assignee="boss" camunda:candidateGroups="dispatch"/>'));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('ut_candidate_assigned');
    // then
    const task = await openTask(engine, instance.id, 'task');
    expect(await engine.taskService.listTasks({ processInstanceId: instance.id, candidateGroup: 'dispatch' })).to.deep.equal([]);
    const withAssigned = await engine.taskService.listTasks({ processInstanceId: instance.id, candidateGroup: 'dispatch', includeAssignedTasks: true });
    expect(withAssigned.map((t) => t.id)).to.deep.equal([task.id]);
  });

  it('sets the due date from an ISO 8601 date-time, honouring its offset', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, singleTask('ut_due_iso', '<userTask id="task" camunda:dueDate="2031-05-06T15:08:09.123+08:00"/>'));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('ut_due_iso');
    // then
    const task = await openTask(engine, instance.id, 'task');
    expect(task.dueDate?.toISOString()).to.equal('2031-05-06T07:08:09.123Z');
    const [historic] = await engine.historyService.listTasks({ processInstanceId: instance.id });
    expect(historic?.dueDate?.toISOString()).to.equal('2031-05-06T07:08:09.123Z');
  });

  it('sets the due date an ISO 8601 duration after the task was created', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, singleTask('ut_due_duration', '<userTask id="task" camunda:dueDate="P2D"/>'));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('ut_due_duration');
    // then
    const task = await openTask(engine, instance.id, 'task');
    const expected = DateTime.fromJSDate(task.createTime).plus({ days: 2 }).toJSDate();
    expect(task.dueDate?.toISOString()).to.equal(expected.toISOString());
  });

  it('sets the due date from a Date variable', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, singleTask('ut_due_variable', '<userTask id="task" camunda:dueDate="${deadline}"/>'));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('ut_due_variable', {
      variables: { deadline: new Date('2032-01-01T08:30:00.000Z') },
    });
    // then
    const task = await openTask(engine, instance.id, 'task');
    expect(task.dueDate?.toISOString()).to.equal('2032-01-01T08:30:00.000Z');
    const due = await engine.taskService.listTasks({ processInstanceId: instance.id, dueBefore: new Date('2032-01-02T00:00:00Z'), dueAfter: new Date('2031-12-31T00:00:00Z') });
    expect(due.map((t) => t.id)).to.deep.equal([task.id]);
  });

  it('sets the follow-up date from a duration, independently of the due date', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, singleTask('ut_follow_up', '<userTask id="task" camunda:followUpDate="PT4H"/>'));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('ut_follow_up');
    // then
    const task = await openTask(engine, instance.id, 'task');
    expect(task.followUpDate?.getTime()).to.equal(task.createTime.getTime() + 4 * 3600_000);
    expect(task.dueDate).to.equal(null);
  });

  it('computes the priority from an expression, and uses 50 when none is given', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('ut_priority', `
      <startEvent id="start"/>${flow('start', 'fork')}
      <parallelGateway id="fork"/>${flow('fork', 'urgent')}${flow('fork', 'ordinary')}
      <userTask id="urgent" camunda:priority="\${critical ? 90 : 30}"/>${flow('urgent', 'endUrgent')}
      <userTask id="ordinary"/>${flow('ordinary', 'endOrdinary')}
      <endEvent id="endUrgent"/><endEvent id="endOrdinary"/>`));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('ut_priority', { variables: { critical: true } });
    // then
    expect((await openTask(engine, instance.id, 'urgent')).priority).to.equal(90);
    expect((await openTask(engine, instance.id, 'ordinary')).priority).to.equal(50);
  });

  it('stores the form key as written', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, singleTask('ut_form_key', '<userTask id="task" camunda:formKey="embedded:app:forms/register.html"/>'));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('ut_form_key');
    // then
    const task = await openTask(engine, instance.id, 'task');
    expect(task.formKey).to.equal('embedded:app:forms/register.html');
    expect(task.formRef).to.equal(null);
  });

  it('stores a form reference with its binding and version', async () => {
    // given three versions of the form, which a deploy pins
    const { engine } = fixture();
    for (const field of ['first', 'second', 'third']) await engine.formService.saveForm({ form: JSON.parse(camundaForm('case-form', [field])) });
    await deployProcess(engine, bpmn('ut_form_ref', `
      <startEvent id="start"/>${flow('start', 'fork')}
      <parallelGateway id="fork"/>${flow('fork', 'pinned')}${flow('fork', 'latest')}
      <userTask id="pinned" camunda:formRef="case-form" camunda:formRefBinding="version" camunda:formRefVersion="3"/>${flow('pinned', 'endPinned')}
      <userTask id="latest" camunda:formRef="case-form"/>${flow('latest', 'endLatest')}
      <endEvent id="endPinned"/><endEvent id="endLatest"/>`));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('ut_form_ref');
    // then
    expect((await openTask(engine, instance.id, 'pinned')).formRef).to.deep.equal({ key: 'case-form', binding: 'version', version: 3 });
    expect((await openTask(engine, instance.id, 'latest')).formRef).to.deep.equal({ key: 'case-form', binding: 'latest', version: null });
  });

  it('names the task from an expression and keeps the written name in activity history', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, singleTask('ut_name', '<userTask id="task" name="核查 ${caseNo}"/>'));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('ut_name', { variables: { caseNo: 'C-7' } });
    // then
    expect((await openTask(engine, instance.id, 'task')).name).to.equal('核查 C-7');
    const [historic] = await engine.historyService.listTasks({ processInstanceId: instance.id });
    expect(historic?.name).to.equal('核查 C-7');
    const [activity] = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'task' });
    expect(activity?.activityName).to.equal('核查 ${caseNo}');
  });

  it('uses the documentation as the task description', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, singleTask('ut_documentation', `
      <userTask id="task"><documentation>Check the photos against the reported address.</documentation></userTask>`));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('ut_documentation');
    // then
    expect((await openTask(engine, instance.id, 'task')).description).to.equal('Check the photos against the reported address.');
    const [historic] = await engine.historyService.listTasks({ processInstanceId: instance.id });
    expect(historic?.description).to.equal('Check the photos against the reported address.');
  });

  it('rejects a priority that is not an integer, naming the attribute, and starts nothing', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, singleTask('ut_bad_priority', '<userTask id="task" camunda:priority="${level}"/>'));
    const before = await countRows(engine);
    // when
    const error = await rejectionOf(engine.runtimeService.startProcessInstanceByKey('ut_bad_priority', { variables: { level: 'high' } }));
    // then
    expect(error).to.be.instanceOf(ProcessEvaluationError);
    expect(error.message).to.equal("camunda:priority of user task 'task' (${level}) evaluated to 'high', not an integer");
    expect(await countRows(engine)).to.deep.equal(before);
  });

  it('rejects a due date that is neither a date nor a duration, naming the attribute', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, singleTask('ut_bad_due', '<userTask id="task" camunda:dueDate="${deadline}"/>'));
    // when
    const error = await rejectionOf(engine.runtimeService.startProcessInstanceByKey('ut_bad_due', { variables: { deadline: 'next week' } }));
    // then
    expect(error).to.be.instanceOf(ProcessEvaluationError);
    expect(error.message).to.contain("camunda:dueDate of user task 'task'").and.contain('neither a date nor an ISO 8601 duration');
  });
});
