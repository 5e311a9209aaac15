import { expect } from 'chai';
import { BadUserRequestError, NotFoundError } from '../../errors/index.js';
import { bpmn, countRows, deployProcess, flow, rejectionOf } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { Variables } from '../../variables/index.js';
import type { FetchAndLockInput } from '../index.js';

/** start → work (external task of `topic`, priority from the `priority` variable) → after (user task) → end */
function externalProcess(key: string, topic: string): string {
  return bpmn(key, `
      <startEvent id="start"/>${flow('start', 'work')}
      <serviceTask id="work" camunda:type="external" camunda:topic="${topic}" camunda:taskPriority="\${priority}"/>${flow('work', 'after')}
      <userTask id="after"/>${flow('after', 'end')}
      <endEvent id="end"/>`);
}

describeOnDatabases('services - external tasks', (fixture) => {
  /** Deploys a process for `topic` and starts one instance per variable set; returns the instance ids. */
  async function start(topic: string, ...variableSets: Record<string, unknown>[]): Promise<string[]> {
    const { engine } = fixture();
    const key = `et_${topic.replace(/\W/g, '_')}`;
    await deployProcess(engine, externalProcess(key, topic), `${key}.bpmn`);
    const ids: string[] = [];
    for (const variables of variableSets) {
      ids.push((await engine.runtimeService.startProcessInstanceByKey(key, { variables: { priority: 0, ...variables } })).id);
    }
    return ids;
  }

  function fetch(workerId: string, topics: FetchAndLockInput['topics'], maxTasks = 10, usePriority = false) {
    return fixture().engine.externalTaskService.fetchAndLock({ workerId, maxTasks, usePriority, topics });
  }

  it('narrows a topic by business key and process definition key, each topic by its own criteria', async () => {
    // given two processes on one topic, with business keys
    const { engine } = fixture();
    await deployProcess(engine, externalProcess('et_filter_a', 'et-filter'), 'et_filter_a.bpmn');
    await deployProcess(engine, externalProcess('et_filter_b', 'et-filter'), 'et_filter_b.bpmn');
    const started = async (key: string, businessKey: string) =>
      (await engine.runtimeService.startProcessInstanceByKey(key, { businessKey, variables: { priority: 0 } })).id;
    const caseA1 = await started('et_filter_a', 'CASE-A1');
    await started('et_filter_a', 'CASE-A2');
    const caseB1 = await started('et_filter_b', 'CASE-B1');
    // when
    const byBusinessKey = await fetch('w-key', [{ topicName: 'et-filter', lockDuration: 10_000, businessKey: 'CASE-A1' }]);
    const byDefinition = await fetch('w-def', [{ topicName: 'et-filter', lockDuration: 10_000, processDefinitionKeyIn: ['et_filter_b'] }]);
    const unknownKey = await fetch('w-none', [{ topicName: 'et-filter', lockDuration: 10_000, businessKey: 'NO-SUCH-CASE' }]);
    // then
    expect(byBusinessKey.map((t) => t.processInstanceId)).to.deep.equal([caseA1]);
    expect(byDefinition.map((t) => t.processInstanceId)).to.deep.equal([caseB1]);
    expect(unknownKey).to.deep.equal([]);
    const rest = await fetch('w-rest', [{ topicName: 'et-filter', lockDuration: 10_000 }]);
    expect(rest.map((t) => t.businessKey)).to.deep.equal(['CASE-A2']);
  });

  it('fetches tasks of the requested topics only, locked for lockDuration from now, with all or the requested variables', async () => {
    // given
    const { engine, clock } = fixture();
    const [first] = await start('et-fetch-a', { amount: 100, street: '中山路' });
    const [second] = await start('et-fetch-b', { amount: 7, street: '解放路', ignored: true });
    const [other] = await start('et-fetch-c', {});
    const before = clock.now().getTime();
    // when
    const locked = await fetch('w1', [
      { topicName: 'et-fetch-a', lockDuration: 30_000 },
      { topicName: 'et-fetch-b', lockDuration: 60_000, variables: ['street', 'missing'] },
    ]);
    const after = clock.now().getTime();
    // then
    expect(locked.map((t) => [t.topicName, t.processInstanceId, t.workerId, t.activityId]).sort()).to.deep.equal([
      ['et-fetch-a', first, 'w1', 'work'],
      ['et-fetch-b', second, 'w1', 'work'],
    ]);
    for (const task of locked) {
      const duration = task.topicName === 'et-fetch-a' ? 30_000 : 60_000;
      const lockedAt = task.lockExpirationTime!.getTime() - duration;
      expect(lockedAt).to.be.within(before, after);
      expect((await engine.externalTaskService.getExternalTask(task.id)).lockExpirationTime?.getTime()).to.equal(task.lockExpirationTime!.getTime());
    }
    const byTopic = new Map(locked.map((t) => [t.topicName, t]));
    const all = byTopic.get('et-fetch-a')!.variables;
    expect(Object.fromEntries([...all].map(([name, v]) => [name, v.value]))).to.deep.equal({ amount: 100, street: '中山路', priority: 0 });
    expect(all.get('amount')?.type).to.equal('integer');
    const wanted = byTopic.get('et-fetch-b')!.variables;
    expect(Object.fromEntries([...wanted].map(([name, v]) => [name, v.value]))).to.deep.equal({ street: '解放路' });
    const untouched = await engine.externalTaskService.listExternalTasks({ processInstanceId: other });
    expect(untouched.map((t) => [t.workerId, t.lockExpirationTime])).to.deep.equal([[null, null]]);
  });

  it('returns no variables when an empty list of names is asked for', async () => {
    // given
    await start('et-no-vars', { amount: 1 });
    // when
    const [task] = await fetch('w1', [{ topicName: 'et-no-vars', lockDuration: 1_000, variables: [] }]);
    // then
    expect([...task!.variables.keys()]).to.deep.equal([]);
  });

  it('honours maxTasks and, with usePriority, hands out the highest priorities first', async () => {
    // given
    await start('et-priority', ...[5, 50, 20, 100, 0].map((priority) => ({ priority })));
    const topics = [{ topicName: 'et-priority', lockDuration: 10_000 }];
    // when
    const none = await fetch('w1', topics, 0, true);
    const top = await fetch('w1', topics, 2, true);
    const rest = await fetch('w2', topics, 10, true);
    // then
    expect(none).to.deep.equal([]);
    expect(top.map((t) => t.priority)).to.deep.equal([100, 50]);
    expect(rest.map((t) => t.priority)).to.deep.equal([20, 5, 0]);
    expect(rest.every((t) => t.workerId === 'w2')).to.equal(true);
  });

  it('hands each task to one worker only when several fetch at once', async () => {
    // given
    await start('et-compete', ...Array.from({ length: 12 }, () => ({})));
    const topics = [{ topicName: 'et-compete', lockDuration: 60_000 }];
    // when
    const batches = await Promise.all(['w1', 'w2', 'w3'].map((worker) => fetch(worker, topics, 5)));
    // then
    const ids = batches.flat().map((t) => t.id);
    expect(ids).to.have.length(12);
    expect(new Set(ids).size).to.equal(12);
    for (const [i, batch] of batches.entries()) expect(batch.every((t) => t.workerId === `w${i + 1}`)).to.equal(true);
    const stored = await fixture().engine.externalTaskService.listExternalTasks({ topicName: 'et-compete' });
    expect(stored.map((t) => t.workerId).sort()).to.deep.equal(batches.flatMap((b, i) => b.map(() => `w${i + 1}`)).sort());
  });

  it('does not hand out a locked task again until its lock expires, then another worker gets it', async () => {
    // given
    const { engine, clock } = fixture();
    await start('et-relock', {});
    const topics = [{ topicName: 'et-relock', lockDuration: 10_000 }];
    const [first] = await fetch('w1', topics);
    // when
    const whileLocked = await fetch('w2', topics);
    clock.advance(10_001);
    const afterExpiry = await fetch('w2', topics);
    // then
    expect(whileLocked).to.deep.equal([]);
    expect(afterExpiry.map((t) => [t.id, t.workerId])).to.deep.equal([[first!.id, 'w2']]);
    const late = await rejectionOf(engine.externalTaskService.complete(first!.id, 'w1'));
    expect(late).to.be.instanceOf(BadUserRequestError);
    expect(late.message).to.equal(`External task '${first!.id}' cannot be completed by worker 'w1': it is locked by worker 'w2'`);
  });

  it('moves the instance on when the owning worker completes, storing its variables', async () => {
    // given
    const { engine } = fixture();
    const [instanceId] = await start('et-complete', { amount: 3 });
    const [task] = await fetch('w1', [{ topicName: 'et-complete', lockDuration: 10_000 }]);
    // when
    await engine.externalTaskService.complete(task!.id, 'w1', { result: Variables.json({ ok: true }), amount: 4 });
    // then
    expect(await engine.runtimeService.getActiveActivityIds(instanceId!)).to.deep.equal(['after']);
    const variables = await engine.runtimeService.getVariables(instanceId!);
    expect([variables.get('result')?.value, variables.get('amount')?.value]).to.deep.equal([{ ok: true }, 4]);
    expect(await rejectionOf(engine.externalTaskService.getExternalTask(task!.id))).to.be.instanceOf(NotFoundError);
    const again = await rejectionOf(engine.externalTaskService.complete(task!.id, 'w1'));
    expect(again).to.be.instanceOf(NotFoundError);
    expect(again.message).to.equal(`External task '${task!.id}' does not exist or is already completed`);
    const visit = await engine.historyService.listActivityInstances({ processInstanceId: instanceId!, activityId: 'work' });
    expect(visit.map((a) => [a.activityType, a.endTime !== null])).to.deep.equal([['serviceTask', true]]);
  });

  it('refuses complete, failure and lock extension by a foreign worker, naming both, writing nothing', async () => {
    // given
    const { engine } = fixture();
    await start('et-foreign', {});
    const [task] = await fetch('owner', [{ topicName: 'et-foreign', lockDuration: 10_000 }]);
    const before = await countRows(engine);
    const service = engine.externalTaskService;
    // when
    const errors = await Promise.all([
      rejectionOf(service.complete(task!.id, 'intruder')),
      rejectionOf(service.handleFailure(task!.id, { workerId: 'intruder', errorMessage: 'no', retries: 0 })),
      rejectionOf(service.extendLock(task!.id, 'intruder', 5_000)),
    ]);
    // then
    expect(errors.map((e) => e.message)).to.deep.equal(
      ['completed', 'failed', 'extended'].map((verb) => `External task '${task!.id}' cannot be ${verb} by worker 'intruder': it is locked by worker 'owner'`),
    );
    for (const error of errors) expect(error).to.be.instanceOf(BadUserRequestError);
    expect(await countRows(engine)).to.deep.equal(before);
    expect((await service.getExternalTask(task!.id)).workerId).to.equal('owner');
  });

  it('refuses to complete a task nobody has locked', async () => {
    // given
    const { engine } = fixture();
    const [instanceId] = await start('et-unlocked', {});
    const [task] = await engine.externalTaskService.listExternalTasks({ processInstanceId: instanceId! });
    // when
    const error = await rejectionOf(engine.externalTaskService.complete(task!.id, 'w1'));
    // then
    expect(error).to.be.instanceOf(BadUserRequestError);
    expect(error.message).to.equal(`External task '${task!.id}' cannot be completed by worker 'w1': it is not locked`);
  });

  it('hides a failed task with retries left until its retry timeout has passed', async () => {
    // given
    const { engine, clock } = fixture();
    await start('et-retry', {});
    const topics = [{ topicName: 'et-retry', lockDuration: 10_000 }];
    const [task] = await fetch('w1', topics);
    // when
    await engine.externalTaskService.handleFailure(task!.id, { workerId: 'w1', errorMessage: '接口超时', errorDetails: 'stack', retries: 2, retryTimeout: 5_000 });
    const soon = await fetch('w2', topics);
    clock.advance(5_001);
    const later = await fetch('w2', topics);
    // then
    expect(soon).to.deep.equal([]);
    expect(later.map((t) => [t.id, t.retries, t.errorMessage, t.workerId])).to.deep.equal([[task!.id, 2, '接口超时', 'w2']]);
    expect((await engine.externalTaskService.getExternalTask(task!.id)).errorDetails).to.equal('stack');
    expect(await engine.managementService.listIncidents({ processInstanceId: task!.processInstanceId! })).to.deep.equal([]);
  });

  it('raises a failedExternalTask incident when no retries are left, and no worker gets the task again', async () => {
    // given
    const { engine, clock } = fixture();
    const [instanceId] = await start('et-incident', {});
    const topics = [{ topicName: 'et-incident', lockDuration: 10_000 }];
    const [task] = await fetch('w1', topics);
    // when
    await engine.externalTaskService.handleFailure(task!.id, { workerId: 'w1', errorMessage: 'GIS service unavailable', retries: 0 });
    clock.advance(60_000);
    const refetched = await fetch('w2', topics);
    // then
    expect(refetched).to.deep.equal([]);
    const incidents = await engine.managementService.listIncidents({ processInstanceId: instanceId! });
    expect(incidents.map((i) => [i.incidentType, i.message, i.activityId, i.configuration, i.executionId])).to.deep.equal([
      ['failedExternalTask', 'GIS service unavailable', 'work', task!.id, task!.executionId],
    ]);
    const stuck = await engine.externalTaskService.listExternalTasks({ topicName: 'et-incident', noRetriesLeft: true });
    expect(stuck.map((t) => [t.id, t.retries])).to.deep.equal([[task!.id, 0]]);
    expect(await engine.runtimeService.getActiveActivityIds(instanceId!)).to.deep.equal(['work']);
  });

  it('removes the incident of a failed task when its instance is deleted', async () => {
    // given
    const { engine } = fixture();
    const [instanceId] = await start('et-incident-delete', {});
    const [task] = await fetch('w1', [{ topicName: 'et-incident-delete', lockDuration: 10_000 }]);
    await engine.externalTaskService.handleFailure(task!.id, { workerId: 'w1', errorMessage: 'down', retries: 0 });
    // when
    await engine.runtimeService.deleteProcessInstance(instanceId!, 'cleanup');
    // then
    expect(await engine.managementService.listIncidents({ processInstanceId: instanceId! })).to.deep.equal([]);
    expect(await engine.externalTaskService.listExternalTasks({ processInstanceId: instanceId! })).to.deep.equal([]);
    expect((await engine.historyService.getProcessInstance(instanceId!)).state).to.equal('EXTERNALLY_TERMINATED');
  });

  it('extends a live lock from now, and refuses to extend an expired one', async () => {
    // given
    const { engine, clock } = fixture();
    await start('et-extend', {});
    const [task] = await fetch('w1', [{ topicName: 'et-extend', lockDuration: 10_000 }]);
    clock.advance(5_000);
    // when
    const before = clock.now().getTime();
    await engine.externalTaskService.extendLock(task!.id, 'w1', 20_000);
    const after = clock.now().getTime();
    // then
    const extended = (await engine.externalTaskService.getExternalTask(task!.id)).lockExpirationTime!.getTime();
    expect(extended - 20_000).to.be.within(before, after);

    // when
    clock.advance(20_001);
    const error = await rejectionOf(engine.externalTaskService.extendLock(task!.id, 'w1', 20_000));
    // then
    expect(error).to.be.instanceOf(BadUserRequestError);
    expect(error.message).to.equal(`The lock of external task '${task!.id}' has already expired and cannot be extended`);
  });

  it('makes an unlocked task fetchable at once', async () => {
    // given
    const { engine } = fixture();
    await start('et-unlock', {});
    const topics = [{ topicName: 'et-unlock', lockDuration: 600_000 }];
    const [task] = await fetch('w1', topics);
    // when
    await engine.externalTaskService.unlock(task!.id);
    const again = await fetch('w2', topics);
    // then
    expect(again.map((t) => [t.id, t.workerId])).to.deep.equal([[task!.id, 'w2']]);
  });

  it('tells locked from unlocked tasks by the engine clock', async () => {
    // given
    const { engine, clock } = fixture();
    await start('et-locked-query', {}, {});
    const [task] = await fetch('w1', [{ topicName: 'et-locked-query', lockDuration: 10_000 }], 1);
    const query = { topicName: 'et-locked-query' };
    // when
    const lockedNow = await engine.externalTaskService.listExternalTasks({ ...query, locked: true });
    const unlockedNow = await engine.externalTaskService.listExternalTasks({ ...query, locked: false });
    clock.advance(10_001);
    const lockedLater = await engine.externalTaskService.listExternalTasks({ ...query, locked: true });
    // then
    expect(lockedNow.map((t) => t.id)).to.deep.equal([task!.id]);
    expect(unlockedNow).to.have.length(1);
    expect(lockedLater).to.deep.equal([]);
  });

  it('refuses a variable of the wrong type on completion and keeps the task locked', async () => {
    // given
    const { engine } = fixture();
    const [instanceId] = await start('et-bad-variable', {});
    const [task] = await fetch('w1', [{ topicName: 'et-bad-variable', lockDuration: 10_000 }]);
    const before = await countRows(engine);
    // when
    const error = await rejectionOf(engine.externalTaskService.complete(task!.id, 'w1', { done: true, when: Variables.date('yesterday') }));
    // then
    expect(error).to.be.instanceOf(BadUserRequestError);
    expect(error.message).to.equal("Cannot set variable 'when': 'yesterday' is not a valid Date");
    expect(await countRows(engine)).to.deep.equal(before);
    expect(await engine.runtimeService.getActiveActivityIds(instanceId!)).to.deep.equal(['work']);
    expect((await engine.externalTaskService.getExternalTask(task!.id)).workerId).to.equal('w1');
  });

  const badRequests: [string, FetchAndLockInput, string][] = [
    ['no worker id', { workerId: '', maxTasks: 1, topics: [{ topicName: 't', lockDuration: 1 }] }, 'fetchAndLock needs a workerId'],
    ['a negative maxTasks', { workerId: 'w', maxTasks: -1, topics: [] }, 'maxTasks must be a non-negative integer, got -1'],
    ['a topic without name', { workerId: 'w', maxTasks: 1, topics: [{ topicName: '', lockDuration: 1 }] }, 'Every topic needs a topicName'],
    ['a lock duration of zero', { workerId: 'w', maxTasks: 1, topics: [{ topicName: 't', lockDuration: 0 }] }, "lockDuration of topic 't' must be a positive number of milliseconds"],
  ];
  for (const [what, input, message] of badRequests) {
    it(`refuses a fetch with ${what}`, async () => {
      // when
      const error = await rejectionOf(fixture().engine.externalTaskService.fetchAndLock(input));
      // then
      expect(error).to.be.instanceOf(BadUserRequestError);
      expect(error.message).to.equal(message);
    });
  }

  it('refuses negative retries and retry timeouts', async () => {
    // given
    const { engine } = fixture();
    await start('et-bad-failure', {});
    const [task] = await fetch('w1', [{ topicName: 'et-bad-failure', lockDuration: 10_000 }]);
    // when
    const retries = await rejectionOf(engine.externalTaskService.handleFailure(task!.id, { workerId: 'w1', retries: -1 }));
    const timeout = await rejectionOf(engine.externalTaskService.handleFailure(task!.id, { workerId: 'w1', retries: 1, retryTimeout: -5 }));
    // then
    expect([retries.message, timeout.message]).to.deep.equal([
      'retries must be a non-negative integer, got -1',
      'retryTimeout must be a non-negative integer, got -5',
    ]);
  });
});
