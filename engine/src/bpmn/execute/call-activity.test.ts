import { expect } from 'chai';
import { ParseError, ProcessEvaluationError } from '../../errors/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { bpmn, completeTask, countRows, deployProcess, fetchOne, flow, openTask, openTaskKeys, rejectionOf } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { Variables } from '../../variables/index.js';

const HOUR = 3_600_000;

/** A process that waits in user task `work` and then ends. */
function waitingChild(key: string, attributes = ''): string {
  return bpmn(key, `
    <startEvent id="childStart"/>${flow('childStart', 'work')}
    <userTask id="work"/>${flow('work', 'childEnd')}
    <endEvent id="childEnd"/>`, attributes);
}

/** A process that calls `calledElement` from call activity `call` (with `attributes` and `extensions`), then waits in `after`. */
function caller(key: string, callAttributes: string, extensions = '', boundaries = ''): string {
  return bpmn(key, `
    <startEvent id="start"/>${flow('start', 'call')}
    <callActivity id="call" ${callAttributes}>${extensions ? `<extensionElements>${extensions}</extensionElements>` : ''}</callActivity>${flow('call', 'after')}
    <userTask id="after"/>${flow('after', 'end')}
    <endEvent id="end"/>${boundaries}`);
}

/** The instance that `callerId` called (the only one), from history. */
async function calledInstance(engine: ProcessEngine, callerId: string) {
  const called = (await engine.historyService.listProcessInstances()).filter((i) => i.superProcessInstanceId === callerId);
  if (called.length !== 1) throw new Error(`expected one instance called by ${callerId}, found ${called.length}`);
  return called[0] as (typeof called)[number];
}

async function variablesOf(engine: ProcessEngine, executionId: string): Promise<Record<string, unknown>> {
  return Object.fromEntries([...(await engine.runtimeService.getVariables(executionId))].map(([name, typed]) => [name, typed.value]));
}

describeOnDatabases('bpmn/execute - call activity', (fixture) => {
  it('waits for the called instance and continues when it completes, with the instances linked in history', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, waitingChild('ca_child'), 'child.bpmn');
    await deployProcess(engine, caller('ca_parent', 'calledElement="ca_child"'), 'parent.bpmn');
    // when
    const parent = await engine.runtimeService.startProcessInstanceByKey('ca_parent', { businessKey: 'B-1', variables: { secret: 'kept' } });
    // then
    expect(await engine.runtimeService.getActiveActivityIds(parent.id)).to.deep.equal(['call']);
    const child = await calledInstance(engine, parent.id);
    expect(child).to.include({ processDefinitionKey: 'ca_child', state: 'ACTIVE', businessKey: null });
    expect(await engine.runtimeService.getActiveActivityIds(child.id)).to.deep.equal(['work']);
    expect(await variablesOf(engine, child.id), 'without camunda:in nothing is passed').to.deep.equal({});
    const [callRow] = await engine.historyService.listActivityInstances({ processInstanceId: parent.id, activityId: 'call' });
    expect(callRow).to.include({ activityType: 'callActivity', calledProcessInstanceId: child.id, endTime: null });
    // when
    await completeTask(engine, child.id, 'work');
    // then
    expect(await openTaskKeys(engine, parent.id)).to.deep.equal(['after']);
    expect(await engine.historyService.getProcessInstance(child.id)).to.include({ state: 'COMPLETED', endActivityId: 'childEnd' });
    const [endedCall] = await engine.historyService.listActivityInstances({ processInstanceId: parent.id, activityId: 'call' });
    expect(endedCall?.endTime).to.not.equal(null);
    expect(endedCall?.canceled).to.equal(false);
    expect(await engine.runtimeService.countProcessInstances({ processDefinitionKey: 'ca_child' })).to.equal(0);
  });

  it('moves on in the same command when the called instance ends without waiting', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('ca_quick', `<startEvent id="s"/>${flow('s', 'e')}<endEvent id="e"/>`), 'quick.bpmn');
    await deployProcess(engine, caller('ca_quick_parent', 'calledElement="ca_quick"', '<camunda:out sourceExpression="${\'done\'}" target="result"/>'));
    // when
    const parent = await engine.runtimeService.startProcessInstanceByKey('ca_quick_parent');
    // then
    expect(await openTaskKeys(engine, parent.id)).to.deep.equal(['after']);
    expect(await variablesOf(engine, parent.id)).to.deep.equal({ result: 'done' });
    expect((await calledInstance(engine, parent.id)).state).to.equal('COMPLETED');
  });

  describe('variable mappings', () => {
    it('passes named variables, expressions and the business key in, and results out', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, waitingChild('ca_map_child'), 'child.bpmn');
      await deployProcess(engine, caller('ca_map_parent', 'calledElement="ca_map_child"', `
        <camunda:in source="amount" target="total"/>
        <camunda:in source="missing" target="absent"/>
        <camunda:in sourceExpression="\${amount * 2}" target="doubled"/>
        <camunda:in businessKey="\${execution.processBusinessKey}-child"/>
        <camunda:out source="verdict" target="decision"/>
        <camunda:out sourceExpression="\${total + 1}" target="next"/>`));
      // when
      const parent = await engine.runtimeService.startProcessInstanceByKey('ca_map_parent', {
        businessKey: 'C-7',
        variables: { amount: Variables.long(21), other: 'not passed' },
      });
      // then
      const child = await calledInstance(engine, parent.id);
      expect(child.businessKey).to.equal('C-7-child');
      const passed = await engine.runtimeService.getVariables(child.id);
      expect(passed.get('total')?.type, 'the stored type is kept').to.equal('long');
      expect(await variablesOf(engine, child.id)).to.deep.equal({ total: 21, absent: null, doubled: 42 });
      // when
      await completeTask(engine, child.id, 'work', { verdict: 'approved' });
      // then
      expect(await variablesOf(engine, parent.id)).to.deep.equal({ amount: 21, other: 'not passed', decision: 'approved', next: 22 });
    });

    it('passes every variable with variables="all", both ways', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, waitingChild('ca_all_child'), 'child.bpmn');
      await deployProcess(engine, caller('ca_all_parent', 'calledElement="ca_all_child"', '<camunda:in variables="all"/><camunda:out variables="all"/>'));
      // when
      const parent = await engine.runtimeService.startProcessInstanceByKey('ca_all_parent', { variables: { a: 1, b: 'two' } });
      // then
      const child = await calledInstance(engine, parent.id);
      expect(await variablesOf(engine, child.id)).to.deep.equal({ a: 1, b: 'two' });
      // when
      await completeTask(engine, child.id, 'work', { a: 10, c: true });
      // then
      expect(await variablesOf(engine, parent.id)).to.deep.equal({ a: 10, b: 'two', c: true });
    });

    it('reads only the call activity\'s own variables and writes results on it with local="true"', async () => {
      // given: an input parameter is local to the call activity; a local result is mapped on by an output parameter
      const { engine } = fixture();
      await deployProcess(engine, waitingChild('ca_local_child'), 'child.bpmn');
      await deployProcess(engine, caller('ca_local_parent', 'calledElement="ca_local_child"', `
        <camunda:inputOutput>
          <camunda:inputParameter name="onlyHere">local value</camunda:inputParameter>
          <camunda:outputParameter name="mapped">\${fromChild}</camunda:outputParameter>
        </camunda:inputOutput>
        <camunda:in variables="all" local="true"/>
        <camunda:out source="result" target="fromChild" local="true"/>`));
      // when
      const parent = await engine.runtimeService.startProcessInstanceByKey('ca_local_parent', { variables: { shared: 'instance value' } });
      // then
      const child = await calledInstance(engine, parent.id);
      expect(await variablesOf(engine, child.id)).to.deep.equal({ onlyHere: 'local value' });
      // when
      await completeTask(engine, child.id, 'work', { result: 'r' });
      // then
      expect(await variablesOf(engine, parent.id), 'the local result ended with the call activity').to.deep.equal({ shared: 'instance value', mapped: 'r' });
    });

    it('writes an out-mapped variable where the name lives: an enclosing sub-process that has it', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, waitingChild('ca_scope_child'), 'child.bpmn');
      await deployProcess(engine, bpmn('ca_scope_parent', `
        <startEvent id="start"/>${flow('start', 'sub')}
        <subProcess id="sub">
          <extensionElements><camunda:inputOutput><camunda:inputParameter name="note">inner</camunda:inputParameter></camunda:inputOutput></extensionElements>
          <startEvent id="subStart"/>${flow('subStart', 'call')}
          <callActivity id="call" calledElement="ca_scope_child">
            <extensionElements><camunda:out source="note" target="note"/><camunda:out source="fresh" target="fresh"/></extensionElements>
          </callActivity>${flow('call', 'inside')}
          <userTask id="inside"/>${flow('inside', 'subEnd')}
          <endEvent id="subEnd"/>
        </subProcess>${flow('sub', 'end')}
        <endEvent id="end"/>`));
      const parent = await engine.runtimeService.startProcessInstanceByKey('ca_scope_parent', { variables: { note: 'outer' } });
      // when
      await completeTask(engine, (await calledInstance(engine, parent.id)).id, 'work', { note: 'from child', fresh: 'new' });
      // then
      const inside = await engine.taskService.getVariables((await openTask(engine, parent.id, 'inside')).id);
      expect(inside.get('note')?.value).to.equal('from child');
      expect(await variablesOf(engine, parent.id)).to.deep.equal({ note: 'outer', fresh: 'new' });
    });
  });

  describe('bindings', () => {
    it('calls the latest version by default, a given version, a version tag or the one of its own deployment', async () => {
      // given: v1 (tag t1) is deployed together with the callers, then v2 (tag t2) and v3 (tag t3) alone
      const { engine } = fixture();
      const version = (n: number) => bpmn('ca_bound', `
        <startEvent id="s"/>${flow('s', `v${n}`)}<userTask id="v${n}"/>${flow(`v${n}`, 'e')}<endEvent id="e"/>`, `camunda:versionTag="t${n}"`);
      await engine.repositoryService.deploy({
        name: 'callers',
        resources: [
          { name: 'bound.bpmn', content: version(1) },
          { name: 'latest.bpmn', content: caller('ca_latest', 'calledElement="ca_bound"') },
          { name: 'version.bpmn', content: caller('ca_version', 'calledElement="${key}" camunda:calledElementBinding="version" camunda:calledElementVersion="${wanted}"') },
          { name: 'tag.bpmn', content: caller('ca_tag', 'calledElement="ca_bound" camunda:calledElementBinding="versionTag" camunda:calledElementVersionTag="t2"') },
          { name: 'deployment.bpmn', content: caller('ca_deployment', 'calledElement="ca_bound" camunda:calledElementBinding="deployment"') },
        ],
      });
      await deployProcess(engine, version(2), 'v2.bpmn');
      await deployProcess(engine, version(3), 'v3.bpmn');
      const calledTask = async (key: string, variables = {}) => {
        const parent = await engine.runtimeService.startProcessInstanceByKey(key, { variables });
        return openTaskKeys(engine, (await calledInstance(engine, parent.id)).id);
      };
      // when / then
      expect(await calledTask('ca_latest')).to.deep.equal(['v3']);
      expect(await calledTask('ca_version', { key: 'ca_bound', wanted: 2 })).to.deep.equal(['v2']);
      expect(await calledTask('ca_tag')).to.deep.equal(['v2']);
      expect(await calledTask('ca_deployment')).to.deep.equal(['v1']);
    });

    it('calls within the caller\'s tenant unless camunda:calledElementTenantId names another', async () => {
      // given
      const { engine } = fixture();
      const childOf = (tenant: string) => bpmn('ca_tenant_child', `<startEvent id="s"/>${flow('s', tenant)}<userTask id="${tenant}"/>`);
      for (const tenant of ['ta', 'tb']) await engine.repositoryService.deploy({ name: tenant, tenantId: tenant, resources: [{ name: 'c.bpmn', content: childOf(tenant) }] });
      await engine.repositoryService.deploy({
        name: 'callers',
        tenantId: 'ta',
        resources: [
          { name: 'own.bpmn', content: caller('ca_tenant_own', 'calledElement="ca_tenant_child"') },
          { name: 'other.bpmn', content: caller('ca_tenant_other', 'calledElement="ca_tenant_child" camunda:calledElementTenantId="tb"') },
        ],
      });
      // when
      const own = await engine.runtimeService.startProcessInstanceByKey('ca_tenant_own', { tenantId: 'ta' });
      const other = await engine.runtimeService.startProcessInstanceByKey('ca_tenant_other', { tenantId: 'ta' });
      // then
      expect(await openTaskKeys(engine, (await calledInstance(engine, own.id)).id)).to.deep.equal(['ta']);
      expect(await openTaskKeys(engine, (await calledInstance(engine, other.id)).id)).to.deep.equal(['tb']);
    });
  });

  it('runs nested calls: completing the innermost task completes every level up to the outermost caller', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, waitingChild('ca_level3'), 'c.bpmn');
    await deployProcess(engine, bpmn('ca_level2', `
      <startEvent id="s"/>${flow('s', 'callC')}
      <callActivity id="callC" calledElement="ca_level3"><extensionElements><camunda:in variables="all"/><camunda:out variables="all"/></extensionElements></callActivity>${flow('callC', 'e')}
      <endEvent id="e"/>`), 'b.bpmn');
    await deployProcess(engine, caller('ca_level1', 'calledElement="ca_level2"', '<camunda:in variables="all"/><camunda:out variables="all"/>'));
    const a = await engine.runtimeService.startProcessInstanceByKey('ca_level1', { variables: { depth: 1 } });
    const b = await calledInstance(engine, a.id);
    const c = await calledInstance(engine, b.id);
    expect(await variablesOf(engine, c.id)).to.deep.equal({ depth: 1 });
    // when
    await completeTask(engine, c.id, 'work', { depth: 3 });
    // then
    expect(await openTaskKeys(engine, a.id)).to.deep.equal(['after']);
    expect(await variablesOf(engine, a.id)).to.deep.equal({ depth: 3 });
    for (const instance of [b, c]) expect((await engine.historyService.getProcessInstance(instance.id)).state).to.equal('COMPLETED');
  });

  describe('BPMN errors from the called instance', () => {
    const erroring = bpmn('ca_err_child', `
      <startEvent id="childStart"/>${flow('childStart', 'work')}
      <userTask id="work"/>${flow('work', 'fail')}
      <endEvent id="fail"><errorEventDefinition errorRef="rejected"/></endEvent>`).replace('</definitions>', '<error id="rejected" errorCode="REJECTED" name="Rejected"/></definitions>');

    it('are caught by an error boundary on the call activity: the called instance ends, the caller takes the error path', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, erroring, 'child.bpmn');
      await deployProcess(engine, caller('ca_err_parent', 'calledElement="ca_err_child"', '', `
        <boundaryEvent id="caught" attachedToRef="call"><errorEventDefinition errorRef="rejected" camunda:errorCodeVariable="code"/></boundaryEvent>${flow('caught', 'handle')}
        <userTask id="handle"/>`).replace('</definitions>', '<error id="rejected" errorCode="REJECTED"/></definitions>'));
      const parent = await engine.runtimeService.startProcessInstanceByKey('ca_err_parent');
      const child = await calledInstance(engine, parent.id);
      // when
      await completeTask(engine, child.id, 'work');
      // then
      expect(await openTaskKeys(engine, parent.id)).to.deep.equal(['handle']);
      expect(await variablesOf(engine, parent.id)).to.deep.equal({ code: 'REJECTED' });
      expect(await engine.historyService.getProcessInstance(child.id)).to.include({ state: 'INTERNALLY_TERMINATED' });
      expect(await engine.runtimeService.countProcessInstances({ processDefinitionKey: 'ca_err_child' })).to.equal(0);
      const [call] = await engine.historyService.listActivityInstances({ processInstanceId: parent.id, activityId: 'call' });
      expect(call?.canceled).to.equal(true);
      for (const id of [parent.id, child.id]) expect(await engine.managementService.listIncidents({ processInstanceId: id })).to.deep.equal([]);
    });

    it('reach error boundaries further up the caller, also from an external task\'s handleBpmnError', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, bpmn('ca_ext_child', `
        <startEvent id="s"/>${flow('s', 'job')}
        <serviceTask id="job" camunda:type="external" camunda:topic="ca-job"/>${flow('job', 'e')}
        <endEvent id="e"/>`), 'child.bpmn');
      await deployProcess(engine, bpmn('ca_ext_parent', `
        <startEvent id="start"/>${flow('start', 'sub')}
        <subProcess id="sub">
          <startEvent id="subStart"/>${flow('subStart', 'call')}
          <callActivity id="call" calledElement="ca_ext_child"/>${flow('call', 'subEnd')}
          <endEvent id="subEnd"/>
        </subProcess>${flow('sub', 'end')}
        <endEvent id="end"/>
        <boundaryEvent id="caught" attachedToRef="sub"><errorEventDefinition camunda:errorMessageVariable="why"/></boundaryEvent>${flow('caught', 'handle')}
        <userTask id="handle"/>`));
      const parent = await engine.runtimeService.startProcessInstanceByKey('ca_ext_parent');
      const task = await fetchOne(engine, 'ca-job');
      // when
      await engine.externalTaskService.handleBpmnError(task.id, { workerId: 'worker-1', errorCode: 'NO_STOCK', errorMessage: 'out of stock' });
      // then
      expect(await openTaskKeys(engine, parent.id)).to.deep.equal(['handle']);
      expect(await variablesOf(engine, parent.id)).to.deep.equal({ why: 'out of stock' });
      expect((await calledInstance(engine, parent.id)).state).to.equal('INTERNALLY_TERMINATED');
      expect(await engine.externalTaskService.listExternalTasks({ topicName: 'ca-job' })).to.deep.equal([]);
    });

    it('are caught in the command that started the called instance when it fails at once', async () => {
      // given: the called process throws as soon as it starts
      const { engine } = fixture();
      await deployProcess(engine, bpmn('ca_instant_child', `
        <startEvent id="s"/>${flow('s', 'fail')}
        <endEvent id="fail"><errorEventDefinition errorRef="rejected"/></endEvent>`).replace('</definitions>', '<error id="rejected" errorCode="REJECTED"/></definitions>'), 'child.bpmn');
      await deployProcess(engine, caller('ca_instant_parent', 'calledElement="ca_instant_child"', '', `
        <boundaryEvent id="caught" attachedToRef="call"><errorEventDefinition/></boundaryEvent>${flow('caught', 'handle')}
        <userTask id="handle"/>`));
      // when
      const parent = await engine.runtimeService.startProcessInstanceByKey('ca_instant_parent');
      // then
      expect(await openTaskKeys(engine, parent.id)).to.deep.equal(['handle']);
      const child = await calledInstance(engine, parent.id);
      expect(child.state).to.equal('INTERNALLY_TERMINATED');
      expect(await engine.runtimeService.countProcessInstances({ processInstanceIds: [child.id] })).to.equal(0);
    });

    it('become an incident at the thrower in the called instance when nothing catches them', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, erroring, 'child.bpmn');
      await deployProcess(engine, caller('ca_uncaught_parent', 'calledElement="ca_err_child"'));
      const parent = await engine.runtimeService.startProcessInstanceByKey('ca_uncaught_parent');
      const child = await calledInstance(engine, parent.id);
      // when
      await completeTask(engine, child.id, 'work');
      // then
      const incidents = [...(await engine.managementService.listIncidents({ processInstanceId: parent.id })), ...(await engine.managementService.listIncidents({ processInstanceId: child.id }))];
      expect(incidents.map((i) => [i.processInstanceId, i.activityId, i.incidentType])).to.deep.equal([[child.id, 'fail', 'unhandledBpmnError']]);
      expect(await engine.runtimeService.getActiveActivityIds(parent.id)).to.deep.equal(['call']);
      expect(await engine.runtimeService.getActiveActivityIds(child.id)).to.deep.equal(['fail']);
    });
  });

  describe('cancellation', () => {
    it('an interrupting timer on the call activity ends the called instance', async () => {
      // given
      const { engine, clock } = fixture();
      await deployProcess(engine, waitingChild('ca_timer_child'), 'child.bpmn');
      await deployProcess(engine, caller('ca_timer_parent', 'calledElement="ca_timer_child"', '', `
        <boundaryEvent id="late" attachedToRef="call"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></boundaryEvent>${flow('late', 'escalate')}
        <userTask id="escalate"/>`));
      const parent = await engine.runtimeService.startProcessInstanceByKey('ca_timer_parent');
      const child = await calledInstance(engine, parent.id);
      // when
      clock.advance(HOUR + 1000);
      await engine.jobExecutor.runDueJobs();
      // then
      expect(await openTaskKeys(engine, parent.id)).to.deep.equal(['escalate']);
      expect(await engine.historyService.getProcessInstance(child.id)).to.include({ state: 'INTERNALLY_TERMINATED' });
      expect(await openTaskKeys(engine, child.id)).to.deep.equal([]);
      const [work] = await engine.historyService.listTasks({ processInstanceId: child.id });
      expect(work?.endTime).to.not.equal(null);
    });

    it('deleting the caller deletes the instances it called, and theirs', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, waitingChild('ca_del_grandchild'), 'grandchild.bpmn');
      await deployProcess(engine, caller('ca_del_child', 'calledElement="ca_del_grandchild"'), 'child.bpmn');
      await deployProcess(engine, caller('ca_del_parent', 'calledElement="ca_del_child"'));
      const parent = await engine.runtimeService.startProcessInstanceByKey('ca_del_parent');
      const child = await calledInstance(engine, parent.id);
      const grandchild = await calledInstance(engine, child.id);
      // when
      await engine.runtimeService.deleteProcessInstance(parent.id, 'no longer needed');
      // then
      for (const instance of [parent, child, grandchild]) {
        expect(await engine.historyService.getProcessInstance(instance.id)).to.include({ state: 'EXTERNALLY_TERMINATED', deleteReason: 'no longer needed' });
      }
      const ids = [parent.id, child.id, grandchild.id];
      expect(await engine.runtimeService.countProcessInstances({ processInstanceIds: ids })).to.equal(0);
      for (const id of ids) expect(await openTaskKeys(engine, id)).to.deep.equal([]);
    });

    it('a terminate end event in the caller ends the called instance', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, waitingChild('ca_term_child'), 'child.bpmn');
      await deployProcess(engine, bpmn('ca_term_parent', `
        <startEvent id="start"/>${flow('start', 'fork')}
        <parallelGateway id="fork"/>${flow('fork', 'call')}${flow('fork', 'decide')}
        <callActivity id="call" calledElement="ca_term_child"/>${flow('call', 'end')}
        <endEvent id="end"/>
        <userTask id="decide"/>${flow('decide', 'stop')}
        <endEvent id="stop"><terminateEventDefinition/></endEvent>`));
      const parent = await engine.runtimeService.startProcessInstanceByKey('ca_term_parent');
      const child = await calledInstance(engine, parent.id);
      // when
      await completeTask(engine, parent.id, 'decide');
      // then
      expect((await engine.historyService.getProcessInstance(parent.id)).state).to.equal('COMPLETED');
      expect((await engine.historyService.getProcessInstance(child.id)).state).to.equal('INTERNALLY_TERMINATED');
      expect(await openTaskKeys(engine, child.id)).to.deep.equal([]);
    });

    it('deleting a called instance cancels the call activity waiting for it, as Camunda does', async () => {
      // given: one caller waits only in the call activity, another also in a parallel task
      const { engine } = fixture();
      await deployProcess(engine, waitingChild('ca_direct_child'), 'child.bpmn');
      await deployProcess(engine, caller('ca_direct_alone', 'calledElement="ca_direct_child"'), 'alone.bpmn');
      await deployProcess(engine, bpmn('ca_direct_parallel', `
        <startEvent id="start"/>${flow('start', 'fork')}
        <parallelGateway id="fork"/>${flow('fork', 'call')}${flow('fork', 'other')}
        <callActivity id="call" calledElement="ca_direct_child"/>${flow('call', 'end')}
        <userTask id="other"/>${flow('other', 'end')}
        <endEvent id="end"/>`), 'parallel.bpmn');
      const alone = await engine.runtimeService.startProcessInstanceByKey('ca_direct_alone');
      const parallel = await engine.runtimeService.startProcessInstanceByKey('ca_direct_parallel');
      // when
      await engine.runtimeService.deleteProcessInstance((await calledInstance(engine, alone.id)).id, 'wrong case');
      await engine.runtimeService.deleteProcessInstance((await calledInstance(engine, parallel.id)).id, 'wrong case');
      // then
      expect(await engine.historyService.getProcessInstance(alone.id)).to.include({ state: 'EXTERNALLY_TERMINATED', deleteReason: 'wrong case' });
      expect(await engine.runtimeService.getActiveActivityIds(parallel.id)).to.deep.equal(['other']);
      const [call] = await engine.historyService.listActivityInstances({ processInstanceId: parallel.id, activityId: 'call' });
      expect(call?.canceled).to.equal(true);
    });
  });

  describe('bad input', () => {
    it('refuses to start when calledElement names no deployed process, naming the call activity and the key, and writes nothing', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, caller('ca_unknown', 'calledElement="${target}"'));
      const before = await countRows(engine);
      // when
      const error = await rejectionOf(engine.runtimeService.startProcessInstanceByKey('ca_unknown', { variables: { target: 'nowhere' } }));
      // then
      expect(error).to.be.instanceOf(ProcessEvaluationError);
      expect(error.message).to.include("'call'").and.include("'nowhere'");
      expect(await countRows(engine)).to.deep.equal(before);
    });

    it('refuses at deploy a version binding without a version and mappings that cannot work, naming the element', async () => {
      // given
      const { engine } = fixture();
      const xml = bpmn('ca_invalid', `
        <startEvent id="start"/>${flow('start', 'noVersion')}
        <callActivity id="noVersion" calledElement="x" camunda:calledElementBinding="version"/>${flow('noVersion', 'noTarget')}
        <callActivity id="noTarget" calledElement="x"><extensionElements><camunda:in source="a"/></extensionElements></callActivity>${flow('noTarget', 'keyOut')}
        <callActivity id="keyOut" calledElement="x"><extensionElements><camunda:out businessKey="\${b}"/></extensionElements></callActivity>${flow('keyOut', 'nothing')}
        <callActivity id="nothing"/>`);
      // when
      const error = await rejectionOf(deployProcess(engine, xml));
      // then
      expect(error).to.be.instanceOf(ParseError);
      const problems = (error as ParseError).problems.map((p) => p.elementId);
      expect(problems).to.include.members(['noVersion', 'noTarget', 'keyOut', 'nothing']);
    });
  });
});
