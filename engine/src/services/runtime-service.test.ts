import { expect } from 'chai';
import { BadUserRequestError, ConflictError, NotFoundError } from '../errors/index.js';
import { bpmn, countRows, deployProcess, flow, openTask, rejectionOf } from '../testing/bpmn.js';
import { describeOnDatabases } from '../testing/databases.js';
import type { TypedValue } from '../variables/index.js';
import { Variables } from '../variables/index.js';

/** start → review (user task) → end */
function oneTask(key: string): string {
  return bpmn(key, `
      <startEvent id="start"/>${flow('start', 'review')}
      <userTask id="review"/>${flow('review', 'end')}
      <endEvent id="end"/>`);
}

function plain(variables: Map<string, TypedValue>): Record<string, unknown> {
  return Object.fromEntries([...variables].map(([name, typed]) => [name, typed.value]));
}

describeOnDatabases('services - runtime variables and instances', (fixture) => {
  async function startOne(key: string, options: { businessKey?: string; variables?: Record<string, unknown> } = {}) {
    const { engine } = fixture();
    await deployProcess(engine, oneTask(key), `${key}.bpmn`);
    const instance = await engine.runtimeService.startProcessInstanceByKey(key, options);
    return { instance, task: await openTask(engine, instance.id, 'review') };
  }

  describe('variables', () => {
    it('sets, reads and overwrites process variables', async () => {
      // given
      const { engine } = fixture();
      const { instance } = await startOne('rs_set', { variables: { amount: 1 } });
      // when
      await engine.runtimeService.setVariables(instance.id, { amount: 2, street: '人民路', due: Variables.date('2030-01-01T00:00:00.000Z') });
      // then
      const variables = await engine.runtimeService.getVariables(instance.id);
      expect(plain(variables)).to.deep.equal({ amount: 2, street: '人民路', due: new Date('2030-01-01T00:00:00.000Z') });
      expect(variables.get('due')?.type).to.equal('date');
      expect(await engine.runtimeService.getVariable(instance.id, 'street')).to.equal('人民路');
      expect(await engine.runtimeService.getVariable(instance.id, 'unknown')).to.equal(null);
    });

    it('keeps local variables on their execution, where they hide the process variable of the same name', async () => {
      // given
      const { engine } = fixture();
      const { instance, task } = await startOne('rs_local', { variables: { level: 'process', shared: 'a' } });
      // when
      await engine.runtimeService.setVariablesLocal(task.executionId, { level: 'token', onlyHere: true });
      await engine.runtimeService.setVariables(task.executionId, { shared: 'b', added: 1 });
      // then: a non-local write goes to the scope that holds the name, a new name to the instance
      expect(plain(await engine.runtimeService.getVariables(task.executionId))).to.deep.equal({
        level: 'token',
        onlyHere: true,
        shared: 'b',
        added: 1,
      });
      expect(plain(await engine.runtimeService.getVariables(instance.id))).to.deep.equal({ level: 'process', shared: 'b', added: 1 });
      expect(plain(await engine.taskService.getVariables(task.id))).to.deep.equal(plain(await engine.runtimeService.getVariables(task.executionId)));
    });

    it('removes the nearest variable of a name and ignores names that do not exist', async () => {
      // given
      const { engine } = fixture();
      const { instance, task } = await startOne('rs_remove', { variables: { level: 'process', keep: 1 } });
      await engine.runtimeService.setVariablesLocal(task.executionId, { level: 'token' });
      // when
      await engine.runtimeService.removeVariables(task.executionId, ['level', 'neverSet']);
      // then
      expect(plain(await engine.runtimeService.getVariables(task.executionId))).to.deep.equal({ level: 'process', keep: 1 });

      // when
      await engine.runtimeService.removeVariables(instance.id, ['level']);
      // then
      expect(plain(await engine.runtimeService.getVariables(instance.id))).to.deep.equal({ keep: 1 });
    });

    it('refuses a variable of the wrong type, naming it, and writes none of the others', async () => {
      // given
      const { engine } = fixture();
      const { instance } = await startOne('rs_wrong_type', { variables: { amount: 1 } });
      const before = await countRows(engine);
      // when
      const error = await rejectionOf(engine.runtimeService.setVariables(instance.id, { amount: 5, count: Variables.integer(2 ** 31) }));
      // then
      expect(error).to.be.instanceOf(BadUserRequestError);
      expect(error.message).to.equal("Cannot set variable 'count': 2147483648 is not a valid Integer");
      expect(await countRows(engine)).to.deep.equal(before);
      expect(await engine.runtimeService.getVariable(instance.id, 'amount')).to.equal(1);
    });

    it('refuses a start with a variable of the wrong type and writes no instance', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, oneTask('rs_start_wrong_type'), 'rs_start_wrong_type.bpmn');
      const before = await countRows(engine);
      // when
      const error = await rejectionOf(engine.runtimeService.startProcessInstanceByKey('rs_start_wrong_type', { variables: { when: Variables.date('soon') } }));
      // then
      expect(error).to.be.instanceOf(BadUserRequestError);
      expect(error.message).to.equal("Cannot set variable 'when': 'soon' is not a valid Date");
      expect(await countRows(engine)).to.deep.equal(before);
    });

    it('answers variables of an unknown execution with NotFoundError, writing nothing', async () => {
      // given
      const { engine } = fixture();
      const before = await countRows(engine);
      // when
      const errors = await Promise.all([
        rejectionOf(engine.runtimeService.getVariables('no-such-execution')),
        rejectionOf(engine.runtimeService.setVariables('no-such-execution', { a: 1 })),
        rejectionOf(engine.runtimeService.removeVariables('no-such-execution', ['a'])),
      ]);
      // then
      for (const error of errors) {
        expect(error).to.be.instanceOf(NotFoundError);
        expect(error.message).to.equal("Execution 'no-such-execution' does not exist or has ended");
      }
      expect(await countRows(engine)).to.deep.equal(before);
    });

    it('records every update of a variable with its revision, and marks a removed one DELETED', async () => {
      // given
      const { engine } = fixture();
      const { instance } = await startOne('rs_history', { variables: { amount: 1 } });
      await engine.runtimeService.setVariables(instance.id, { amount: 2 });
      await engine.runtimeService.setVariables(instance.id, { amount: 'three' });
      // when
      await engine.runtimeService.removeVariables(instance.id, ['amount']);
      // then
      const updates = await engine.historyService.listVariableUpdates(instance.id, 'amount');
      expect(updates.map((u) => [u.revision, u.type, u.longValue, u.textValue])).to.deep.equal([
        [1, 'integer', 1, null],
        [2, 'integer', 2, null],
        [3, 'string', null, 'three'],
      ]);
      expect(new Set(updates.map((u) => u.variableId)).size).to.equal(1);
      const [historic] = await engine.historyService.listVariables(instance.id);
      expect([historic?.name, historic?.state, historic?.type, historic?.textValue, historic?.id]).to.deep.equal([
        'amount',
        'DELETED',
        'string',
        'three',
        updates[0]?.variableId,
      ]);
    });

    it('numbers two updates of one variable within one command apart', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, bpmn('rs_double_update', `
        <startEvent id="start"/>${flow('start', 'review')}
        <userTask id="review">
          <extensionElements><camunda:inputOutput>
            <camunda:outputParameter name="amount">\${amount + 1}</camunda:outputParameter>
          </camunda:inputOutput></extensionElements>
        </userTask>${flow('review', 'after')}
        <userTask id="after"/>${flow('after', 'end')}<endEvent id="end"/>`), 'rs_double_update.bpmn');
      const instance = await engine.runtimeService.startProcessInstanceByKey('rs_double_update', { variables: { amount: 1 } });
      // when
      await engine.taskService.complete((await openTask(engine, instance.id, 'review')).id, { amount: 10 });
      // then
      const updates = await engine.historyService.listVariableUpdates(instance.id, 'amount');
      expect(updates.map((u) => [u.revision, u.longValue])).to.deep.equal([[1, 1], [2, 10], [3, 11]]);
    });
  });

  describe('process instances', () => {
    it('finds instances by business key, pattern, definition key and current activity, with count', async () => {
      // given
      const { engine } = fixture();
      const key = 'rs_query';
      await deployProcess(engine, bpmn(key, `
        <startEvent id="start"/>${flow('start', 'fork')}
        <exclusiveGateway id="fork" default="toRegister"/>
        ${flow('fork', 'dispatch', '${urgent}')}
        <sequenceFlow id="toRegister" sourceRef="fork" targetRef="register"/>
        <userTask id="register"/><userTask id="dispatch"/>
        ${flow('register', 'end')}${flow('dispatch', 'end')}<endEvent id="end"/>`), `${key}.bpmn`);
      await deployProcess(engine, oneTask('rs_query_other'), 'rs_query_other.bpmn');
      const started = new Map<string, string>();
      for (const [businessKey, urgent] of [['C-2024-001', false], ['C-2024-002', true], ['C-2025-001', false]] as const) {
        started.set(businessKey, (await engine.runtimeService.startProcessInstanceByKey(key, { businessKey, variables: { urgent } })).id);
      }
      await engine.runtimeService.startProcessInstanceByKey('rs_query_other', { businessKey: 'C-2024-003' });
      const { runtimeService } = engine;
      const keys = async (query: Parameters<typeof runtimeService.listProcessInstances>[0]) =>
        (await runtimeService.listProcessInstances({ ...query, sortBy: 'businessKey' })).map((i) => i.businessKey);
      // when / then
      expect(await keys({ businessKey: 'C-2024-002' })).to.deep.equal(['C-2024-002']);
      expect(await keys({ businessKeyLike: 'C-2024-%' })).to.deep.equal(['C-2024-001', 'C-2024-002', 'C-2024-003']);
      expect(await keys({ businessKeyLike: 'C-2024-%', processDefinitionKey: key })).to.deep.equal(['C-2024-001', 'C-2024-002']);
      expect(await keys({ processDefinitionKey: key, activityIdIn: ['register'] })).to.deep.equal(['C-2024-001', 'C-2025-001']);
      expect(await keys({ businessKeyLike: 'C-%', activityIdIn: ['dispatch', 'review'] })).to.deep.equal(['C-2024-002', 'C-2024-003']);
      expect(await runtimeService.countProcessInstances({ processDefinitionKey: key })).to.equal(3);
      expect(await runtimeService.countProcessInstances({ processDefinitionKey: key, activityIdIn: ['register'] })).to.equal(2);
      expect(await runtimeService.countProcessInstances({ businessKeyLike: 'C-2024-%' })).to.equal(3);
      expect(await runtimeService.countProcessInstances({ processDefinitionKey: 'rs_never_deployed' })).to.equal(0);
      const page = await runtimeService.listProcessInstances({ processDefinitionKey: key, sortBy: 'businessKey', sortOrder: 'desc', firstResult: 1, maxResults: 1 });
      expect(page.map((i) => i.businessKey)).to.deep.equal(['C-2024-002']);
      const one = await runtimeService.getProcessInstance(started.get('C-2025-001')!);
      expect([one.businessKey, one.ended, one.suspended]).to.deep.equal(['C-2025-001', false, false]);
    });

    it('deletes an instance: its runtime rows go, history says who, why and which task was cut short', async () => {
      // given
      const { engine } = fixture();
      const { instance, task } = await startOne('rs_delete', { businessKey: 'D-1', variables: { amount: 3 } });
      // when
      await engine.forUser('admin').runtimeService.deleteProcessInstance(instance.id, 'duplicate report');
      // then
      expect(await rejectionOf(engine.runtimeService.getProcessInstance(instance.id))).to.be.instanceOf(NotFoundError);
      expect(await rejectionOf(engine.taskService.getTask(task.id))).to.be.instanceOf(NotFoundError);
      expect(await rejectionOf(engine.runtimeService.getVariables(instance.id))).to.be.instanceOf(NotFoundError);
      const history = await engine.historyService.getProcessInstance(instance.id);
      expect([history.state, history.deleteReason, history.endTime instanceof Date]).to.deep.equal(['EXTERNALLY_TERMINATED', 'duplicate report', true]);
      const [historicTask] = await engine.historyService.listTasks({ processInstanceId: instance.id });
      expect([historicTask?.deleteReason, historicTask?.endTime instanceof Date]).to.deep.equal(['duplicate report', true]);
      const review = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'review' });
      expect(review.map((a) => a.canceled)).to.deep.equal([true]);
      const [log] = await engine.historyService.listOperationLog({ processInstanceId: instance.id, operationType: 'Delete' });
      expect([log?.userId, log?.newValue, log?.processDefinitionKey]).to.deep.equal(['admin', 'duplicate report', 'rs_delete']);
      const completing = await rejectionOf(engine.taskService.complete(task.id));
      expect(completing).to.be.instanceOf(ConflictError);
      expect(completing.message).to.match(new RegExp(`^Task '${task.id}' was cancelled \\(duplicate report\\) at \\d{4}-`));
    });

    it('refuses a business key longer than its column on every database, writing nothing', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, oneTask('rs_long_business_key'), 'rs_long_business_key.bpmn');
      const before = await countRows(engine);
      // when
      const error = await rejectionOf(engine.runtimeService.startProcessInstanceByKey('rs_long_business_key', { businessKey: '案'.repeat(256) }));
      // then
      expect(error).to.be.instanceOf(BadUserRequestError);
      expect(error.message).to.equal('businessKey must be at most 255 characters, got 256');
      expect(await countRows(engine)).to.deep.equal(before);
      const longest = await engine.runtimeService.startProcessInstanceByKey('rs_long_business_key', { businessKey: '案'.repeat(255) });
      expect((await engine.runtimeService.getProcessInstance(longest.id)).businessKey).to.equal('案'.repeat(255));
    });

    it('refuses to delete an instance that does not exist, writing nothing', async () => {
      // given
      const { engine } = fixture();
      const before = await countRows(engine);
      // when
      const error = await rejectionOf(engine.runtimeService.deleteProcessInstance('no-such-instance'));
      // then
      expect(error).to.be.instanceOf(NotFoundError);
      expect(error.message).to.equal("Process instance 'no-such-instance' does not exist or has ended");
      expect(await countRows(engine)).to.deep.equal(before);
    });
  });
});
