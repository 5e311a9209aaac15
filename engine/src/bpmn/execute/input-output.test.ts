import { expect } from 'chai';
import { ProcessEvaluationError } from '../../errors/index.js';
import { bpmn, completeTask, deployProcess, fetchOne, flow, openTask, rejectionOf } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';

/** `<camunda:inputOutput>` in an activity's extension elements. */
function io(parameters: string): string {
  return `<extensionElements><camunda:inputOutput>${parameters}</camunda:inputOutput></extensionElements>`;
}

describeOnDatabases('bpmn/execute - camunda:inputOutput', (fixture) => {
  /** an external task whose inputs are written by the test, followed by a user task */
  const externalWithInputs = (key: string, topic: string, inputs: string) =>
    bpmn(key, `
      <startEvent id="start"/>${flow('start', 'notify')}
      <serviceTask id="notify" camunda:type="external" camunda:topic="${topic}">${io(inputs)}</serviceTask>${flow('notify', 'check')}
      <userTask id="check"/>`);

  it('gives the activity its input parameters as local variables: text, expression, list and map', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, externalWithInputs('io_inputs', 'io-inputs', `
      <camunda:inputParameter name="region">north</camunda:inputParameter>
      <camunda:inputParameter name="total">\${amount * 2}</camunda:inputParameter>
      <camunda:inputParameter name="recipients">
        <camunda:list><camunda:value>ops</camunda:value><camunda:value>\${owner}</camunda:value></camunda:list>
      </camunda:inputParameter>
      <camunda:inputParameter name="address">
        <camunda:map><camunda:entry key="city">Shanghai</camunda:entry><camunda:entry key="street">\${street}</camunda:entry></camunda:map>
      </camunda:inputParameter>`));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('io_inputs', {
      variables: { amount: 21, owner: 'li.si', street: 'Nanjing Rd' },
    });
    // then
    const task = await fetchOne(engine, 'io-inputs');
    expect(task.variables.get('region')?.value).to.equal('north');
    expect(task.variables.get('total')?.value).to.equal(42);
    expect(task.variables.get('recipients')?.value).to.deep.equal(['ops', 'li.si']);
    expect(task.variables.get('address')?.value).to.deep.equal({ city: 'Shanghai', street: 'Nanjing Rd' });
    const processVariables = await engine.runtimeService.getVariables(instance.id);
    expect([...processVariables.keys()].sort(), 'nothing mapped in lands on the process instance').to.deep.equal(['amount', 'owner', 'street']);
  });

  it('drops the input variables when the activity ends, keeping them in history', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, externalWithInputs('io_inputs_end', 'io-inputs-end', `
      <camunda:inputParameter name="region">north</camunda:inputParameter>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('io_inputs_end');
    const task = await fetchOne(engine, 'io-inputs-end');
    // when
    await engine.externalTaskService.complete(task.id, 'worker-1');
    // then
    const after = await engine.taskService.getVariables((await openTask(engine, instance.id, 'check')).id);
    expect(after.has('region')).to.equal(false);
    expect((await engine.historyService.listVariables(instance.id)).map((v) => v.name)).to.deep.equal(['region']);
  });

  it('shadows a process variable of the same name inside the activity and leaves the outer value untouched', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, externalWithInputs('io_shadow', 'io-shadow', `
      <camunda:inputParameter name="region">north</camunda:inputParameter>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('io_shadow', { variables: { region: 'south' } });
    // when
    const task = await fetchOne(engine, 'io-shadow');
    await engine.externalTaskService.complete(task.id, 'worker-1', { region: 'west' });
    // then
    expect(task.variables.get('region')?.value).to.equal('north');
    expect((await engine.runtimeService.getVariables(instance.id)).get('region')?.value, 'a completion writes the nearest variable: the local one').to.equal('south');
  });

  it('nests lists and maps inside one another', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, externalWithInputs('io_nested', 'io-nested', `
      <camunda:inputParameter name="plan">
        <camunda:map>
          <camunda:entry key="shifts"><camunda:list><camunda:value>day</camunda:value><camunda:value>night</camunda:value></camunda:list></camunda:entry>
          <camunda:entry key="lead">\${lead}</camunda:entry>
        </camunda:map>
      </camunda:inputParameter>
      <camunda:inputParameter name="teams">
        <camunda:list>
          <camunda:map><camunda:entry key="name">A</camunda:entry></camunda:map>
          <camunda:list><camunda:value>b1</camunda:value><camunda:value>b2</camunda:value></camunda:list>
        </camunda:list>
      </camunda:inputParameter>`));
    // when
    await engine.runtimeService.startProcessInstanceByKey('io_nested', { variables: { lead: 'wang.wu' } });
    // then
    const task = await fetchOne(engine, 'io-nested');
    expect(task.variables.get('plan')?.value).to.deep.equal({ shifts: ['day', 'night'], lead: 'wang.wu' });
    expect(task.variables.get('teams')?.value).to.deep.equal([{ name: 'A' }, ['b1', 'b2']]);
  });

  it('shows a user task its input variables as task variables', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('io_user_task', `
      <startEvent id="start"/>${flow('start', 'review')}
      <userTask id="review">${io('<camunda:inputParameter name="checklist">${"photos, address"}</camunda:inputParameter>')}</userTask>`));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('io_user_task');
    // then
    const task = await openTask(engine, instance.id, 'review');
    expect((await engine.taskService.getVariables(task.id)).get('checklist')?.value).to.equal('photos, address');
    expect((await engine.runtimeService.getVariables(task.executionId)).get('checklist')?.value).to.equal('photos, address');
  });

  it('gives each of two consecutive activities its own input variables', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('io_consecutive', `
      <startEvent id="start"/>${flow('start', 'first')}
      <userTask id="first">${io('<camunda:inputParameter name="step">one</camunda:inputParameter>')}</userTask>${flow('first', 'second')}
      <userTask id="second">${io('<camunda:inputParameter name="phase">two</camunda:inputParameter>')}</userTask>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('io_consecutive');
    // when
    await completeTask(engine, instance.id, 'first');
    // then
    const variables = await engine.taskService.getVariables((await openTask(engine, instance.id, 'second')).id);
    expect(variables.get('phase')?.value).to.equal('two');
    expect(variables.has('step')).to.equal(false);
  });

  it('copies output parameters to the process, evaluated against the variables of the activity', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('io_outputs', `
      <startEvent id="start"/>${flow('start', 'review')}
      <userTask id="review">${io(`
        <camunda:inputParameter name="threshold">\${3}</camunda:inputParameter>
        <camunda:outputParameter name="approved">\${score >= threshold}</camunda:outputParameter>
        <camunda:outputParameter name="reviewedBy">team-a</camunda:outputParameter>`)}
      </userTask>${flow('review', 'next')}
      <userTask id="next"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('io_outputs');
    // when
    await completeTask(engine, instance.id, 'review', { score: 4 });
    // then
    const variables = await engine.runtimeService.getVariables(instance.id);
    expect(variables.get('approved')?.value).to.equal(true);
    expect(variables.get('reviewedBy')?.value).to.equal('team-a');
    expect(variables.has('threshold')).to.equal(false);
  });

  it('maps a worker result through an output parameter, and the local result ends with the activity', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('io_worker_result', `
      <startEvent id="start"/>${flow('start', 'geocode')}
      <serviceTask id="geocode" camunda:type="external" camunda:topic="io-geocode">${io(`
        <camunda:outputParameter name="district">\${response.district}</camunda:outputParameter>`)}
      </serviceTask>${flow('geocode', 'dispatch')}
      <userTask id="dispatch"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('io_worker_result');
    const task = await fetchOne(engine, 'io-geocode');
    // when
    await engine.externalTaskService.complete(task.id, 'worker-1', {}, { response: { district: 'Huangpu', lat: 31.23 } });
    // then
    const variables = await engine.taskService.getVariables((await openTask(engine, instance.id, 'dispatch')).id);
    expect(variables.get('district')?.value).to.equal('Huangpu');
    expect(variables.has('response'), 'the local result is gone with the activity').to.equal(false);
  });

  it('copies an output parameter of a sub-process from its local variables to the process', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('io_sub_output', `
      <startEvent id="start"/>${flow('start', 'handle')}
      <subProcess id="handle">${io(`
        <camunda:inputParameter name="draft">empty</camunda:inputParameter>
        <camunda:outputParameter name="report">\${draft}</camunda:outputParameter>`)}
        <startEvent id="handleStart"/>${flow('handleStart', 'write')}
        <userTask id="write"/>${flow('write', 'handleEnd')}
        <endEvent id="handleEnd"/>
      </subProcess>${flow('handle', 'next')}
      <userTask id="next"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('io_sub_output');
    // when
    await completeTask(engine, instance.id, 'write', { draft: 'pothole filled' });
    // then
    const variables = await engine.runtimeService.getVariables(instance.id);
    expect(variables.get('report')?.value).to.equal('pothole filled');
    expect(variables.has('draft')).to.equal(false);
  });

  it('fails clearly when an input expression fails, naming the mapping and the activity', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, externalWithInputs('io_input_fails', 'io-input-fails', `
      <camunda:inputParameter name="total">\${amount * 2}</camunda:inputParameter>`));
    // when
    const error = await rejectionOf(engine.runtimeService.startProcessInstanceByKey('io_input_fails'));
    // then
    expect(error).to.be.instanceOf(ProcessEvaluationError);
    expect(error.message).to.contain("Input mapping 'total' of 'notify' failed").and.contain("Cannot resolve identifier 'amount'");
    expect(await engine.historyService.listProcessInstances({ processDefinitionKey: 'io_input_fails' })).to.deep.equal([]);
  });
});
