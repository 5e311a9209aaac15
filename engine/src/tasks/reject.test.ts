import { expect } from 'chai';
import type { Command } from '../command/index.js';
import { ForbiddenError } from '../errors/index.js';
import type { ProcessEngine } from '../services/index.js';
import { bpmn, deployProcess, flow, openTask, openTaskKeys, rejectionOf } from '../testing/bpmn.js';
import { describeOnDatabases } from '../testing/databases.js';
import { plainActor, taskHistoryOf, tokensOf } from '../testing/tokens.js';
import { RejectTaskCmd } from './reject.js';

const offering = (entries: Record<string, string>) =>
  `<extensionElements><camunda:properties>${Object.entries(entries).map(([name, value]) => `<camunda:property name="${name}" value="${value}"/>`).join('')}</camunda:properties></extensionElements>`;

/** a (alice) → fork → [b (bob, rejecting as `b` says) | c (carol)] → join → end */
const parallel = (key: string, b: Record<string, string>) => bpmn(key, `
  <startEvent id="start"/>${flow('start', 'a')}
  <userTask id="a" camunda:assignee="alice"/>${flow('a', 'fork')}
  <parallelGateway id="fork"/>${flow('fork', 'b')}${flow('fork', 'c')}
  <userTask id="b" camunda:assignee="bob">${offering(b)}</userTask>${flow('b', 'join')}
  <userTask id="c" camunda:assignee="carol"/>${flow('c', 'join')}
  <parallelGateway id="join"/>${flow('join', 'end')}
  <endEvent id="end"/>`);

/** a (alice) → sign (会签 by ${signers}, rejecting back to a) → e */
const SIGNING = bpmn('rj_signing', `
  <startEvent id="start"/>${flow('start', 'a')}
  <userTask id="a" camunda:assignee="alice"/>${flow('a', 'sign')}
  <userTask id="sign" camunda:assignee="\${signer}">${offering({ 'yiwang:operations': 'approve,reject', 'yiwang:reject:target': 'a' })}
    <multiInstanceLoopCharacteristics camunda:collection="\${signers}" camunda:elementVariable="signer"/>
  </userTask>${flow('sign', 'e')}
  <userTask id="e" camunda:assignee="erin"/>${flow('e', 'end')}
  <endEvent id="end"/>`);

describeOnDatabases('tasks/reject - 不通过', (fixture) => {
  let engine: ProcessEngine;

  before(async () => {
    engine = fixture().engine;
    await deployProcess(engine, parallel('rj_end', { 'yiwang:operations': 'approve,reject' }));
    await deployProcess(engine, parallel('rj_path', { 'yiwang:operations': 'approve,reject', 'yiwang:reject:target': 'a' }));
    await deployProcess(engine, parallel('rj_not_offered', {}));
    await deployProcess(engine, SIGNING);
  });

  const run = <T>(userId: string, command: Command<T>) => engine.commandExecutor.execute(command, { actor: plainActor(userId) });
  const atFork = async (key: string) => {
    const id = (await engine.runtimeService.startProcessInstanceByKey(key, { variables: { signers: ['sid', 'sol'] } })).id;
    await engine.forUser('alice').taskService.complete((await openTask(engine, id, 'a')).id);
    return id;
  };

  it('without a reject target ends the case as rejected: every token and task cancelled, Camunda\'s EXTERNALLY_TERMINATED with reason rejected', async () => {
    const id = await atFork('rj_end');
    const b = await openTask(engine, id, 'b');
    await run('bob', new RejectTaskCmd(b.id, { comment: '不符合条件' }));
    expect(await tokensOf(engine, id)).to.deep.equal([]);
    expect(await openTaskKeys(engine, id)).to.deep.equal([]);
    const [instance] = await engine.historyService.listProcessInstances({ processInstanceId: id });
    expect(instance).to.include({ state: 'EXTERNALLY_TERMINATED', deleteReason: 'rejected' });
    const history = await taskHistoryOf(engine, id);
    expect(history.filter((t) => t.taskDefinitionKey !== 'a').map((t) => t.deleteReason)).to.deep.equal(['rejected', 'rejected']);
    const timeline = await engine.database.read((sql) => sql.select('SELECT operation, comment FROM case_action WHERE task_id = $1', [b.id]));
    expect(timeline).to.deep.equal([{ operation: 'reject', comment: '不符合条件' }]);
  });

  it('with a reject target moves the case there: the other branch is cancelled with it, the fork runs again later', async () => {
    const id = await atFork('rj_path');
    await engine.forUser('carol').taskService.complete((await openTask(engine, id, 'c')).id);
    await run('bob', new RejectTaskCmd((await openTask(engine, id, 'b')).id));
    expect(await tokensOf(engine, id)).to.deep.equal(['a']);
    expect((await openTask(engine, id, 'a')).assignee).to.equal('alice');
    await engine.forUser('alice').taskService.complete((await openTask(engine, id, 'a')).id);
    expect(await tokensOf(engine, id)).to.deep.equal(['b', 'c']);
  });

  it('by one signer of a 会签 rejects the whole activity: every signer\'s task goes', async () => {
    const id = await atFork('rj_signing');
    const [first] = await engine.taskService.listTasks({ processInstanceId: id, taskDefinitionKey: 'sign' });
    await run(first!.assignee as string, new RejectTaskCmd(first!.id));
    expect(await tokensOf(engine, id)).to.deep.equal(['a']);
    expect(await openTaskKeys(engine, id)).to.deep.equal(['a']);
  });

  it('is refused where the task does not offer it', async () => {
    const id = await atFork('rj_not_offered');
    const error = await rejectionOf(run('bob', new RejectTaskCmd((await openTask(engine, id, 'b')).id)));
    expect(error).to.be.instanceOf(ForbiddenError);
    expect(await tokensOf(engine, id)).to.deep.equal(['b', 'c']);
  });
});
