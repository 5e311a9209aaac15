import { expect } from 'chai';
import type { Command, CommandContext } from '../command/index.js';
import { ConflictError, ForbiddenError } from '../errors/index.js';
import type { ProcessEngine } from '../services/index.js';
import { loadOpenTask } from '../services/commands/task.js';
import { bpmn, deployProcess, flow, openTask, openTaskKeys, rejectionOf } from '../testing/bpmn.js';
import { describeOnDatabases } from '../testing/databases.js';
import { plainActor, taskHistoryOf, tokensOf } from '../testing/tokens.js';
import { recordAction } from './timeline.js';
import { WithdrawTaskCmd } from './withdraw.js';

/** a (alice, offering `operations`) → b (bob) → c (carol) */
const chain = (key: string, operations?: string) => bpmn(key, `
  <startEvent id="start"/>${flow('start', 'a')}
  <userTask id="a" camunda:assignee="alice">${operations ? `<extensionElements><camunda:properties><camunda:property name="yiwang:operations" value="${operations}"/></camunda:properties></extensionElements>` : ''}</userTask>${flow('a', 'b')}
  <userTask id="b" camunda:assignee="bob"/>${flow('b', 'c')}
  <userTask id="c" camunda:assignee="carol"/>${flow('c', 'end')}
  <endEvent id="end"/>`);

/** a (alice) → fork → b (bob) | c (carol) → join → end */
const FORK = bpmn('wd_fork', `
  <startEvent id="start"/>${flow('start', 'a')}
  <userTask id="a" camunda:assignee="alice"/>${flow('a', 'fork')}
  <parallelGateway id="fork"/>${flow('fork', 'b')}${flow('fork', 'c')}
  <userTask id="b" camunda:assignee="bob"/>${flow('b', 'join')}
  <userTask id="c" camunda:assignee="carol"/>${flow('c', 'join')}
  <parallelGateway id="join"/>${flow('join', 'end')}
  <endEvent id="end"/>`);

/** The assignee opens the task's page (what the task detail route records). */
class OpenCmd implements Command<void> {
  readonly name = 'Open';
  constructor(private readonly taskId: string) {}
  async execute(context: CommandContext): Promise<void> {
    (await loadOpenTask(context, this.taskId)).openedAt = context.now();
  }
}

/** A note on a task in the case timeline, as any operation on it writes one. */
class NoteCmd implements Command<void> {
  readonly name = 'Note';
  constructor(private readonly taskId: string) {}
  async execute(context: CommandContext): Promise<void> {
    const task = await loadOpenTask(context, this.taskId);
    await recordAction(context, { processInstanceId: task.processInstanceId, tenantId: task.tenantId, task, operation: 'comment', input: { comment: 'seen' } });
  }
}

describeOnDatabases('tasks/withdraw - 撤回', (fixture) => {
  let engine: ProcessEngine;

  before(async () => {
    engine = fixture().engine;
    for (const xml of [chain('wd_chain'), chain('wd_no_withdraw', 'approve,return'), FORK]) await deployProcess(engine, xml);
  });

  const run = <T>(userId: string, command: Command<T>) => engine.commandExecutor.execute(command, { actor: plainActor(userId) });
  const startAndComplete = async (key: string) => {
    const id = (await engine.runtimeService.startProcessInstanceByKey(key)).id;
    const a = await openTask(engine, id, 'a');
    await engine.forUser('alice').taskService.complete(a.id);
    return { id, a: a.id };
  };

  it('takes the case back while the next task is untouched: the next task is cancelled, a new task goes to the withdrawer', async () => {
    const { id, a } = await startAndComplete('wd_chain');
    const b = await openTask(engine, id, 'b');
    expect(b.previousTaskId).to.equal(a);
    await run('alice', new WithdrawTaskCmd(a, { comment: '填错了' }));
    expect(await openTaskKeys(engine, id)).to.deep.equal(['a']);
    expect((await openTask(engine, id, 'a')).assignee).to.equal('alice');
    expect(await tokensOf(engine, id)).to.deep.equal(['a']);
    expect((await taskHistoryOf(engine, id)).find((t) => t.id === b.id)?.deleteReason).to.equal('withdrawn');
    const timeline = await engine.database.read((sql) => sql.select('SELECT operation, activity_id FROM case_action WHERE process_instance_id = $1 AND operation = $2', [id, 'withdraw']));
    expect(timeline).to.deep.equal([{ operation: 'withdraw', activity_id: 'a' }]);
    await engine.forUser('alice').taskService.complete((await openTask(engine, id, 'a')).id);
    expect(await openTaskKeys(engine, id)).to.deep.equal(['b']);
  });

  it('takes back every branch a completion forked into', async () => {
    const { id, a } = await startAndComplete('wd_fork');
    expect(await tokensOf(engine, id)).to.deep.equal(['b', 'c']);
    await run('alice', new WithdrawTaskCmd(a));
    expect(await tokensOf(engine, id)).to.deep.equal(['a']);
  });

  it('is refused once the next task was opened', async () => {
    const { id, a } = await startAndComplete('wd_chain');
    await run('bob', new OpenCmd((await openTask(engine, id, 'b')).id));
    const error = await rejectionOf(run('alice', new WithdrawTaskCmd(a)));
    expect(error).to.be.instanceOf(ConflictError);
    expect(error.message).to.contain('was opened');
    expect(await openTaskKeys(engine, id)).to.deep.equal(['b']);
  });

  it('is refused once the next task was acted on, claimed or reassigned', async () => {
    const { id, a } = await startAndComplete('wd_chain');
    await run('bob', new NoteCmd((await openTask(engine, id, 'b')).id));
    expect((await rejectionOf(run('alice', new WithdrawTaskCmd(a)))).message).to.contain('acted on');
    const other = await startAndComplete('wd_chain');
    await engine.taskService.setAssignee((await openTask(engine, other.id, 'b')).id, 'bea');
    expect((await rejectionOf(run('alice', new WithdrawTaskCmd(other.a)))).message).to.contain('claimed, handed on');
  });

  it('is refused once the case moved further', async () => {
    const { id, a } = await startAndComplete('wd_chain');
    await engine.forUser('bob').taskService.complete((await openTask(engine, id, 'b')).id);
    const error = await rejectionOf(run('alice', new WithdrawTaskCmd(a)));
    expect(error).to.be.instanceOf(ConflictError);
    expect(error.message).to.contain('moved on');
  });

  it('is only for the handler of the completed task, where the task offers it', async () => {
    const { a } = await startAndComplete('wd_chain');
    expect(await rejectionOf(run('bob', new WithdrawTaskCmd(a)))).to.be.instanceOf(ForbiddenError);
    const other = await startAndComplete('wd_no_withdraw');
    const error = await rejectionOf(run('alice', new WithdrawTaskCmd(other.a)));
    expect(error).to.be.instanceOf(ForbiddenError);
    expect(error.message).to.contain('withdraw');
  });

  it('refuses an open task and a task withdrawn already', async () => {
    const { id, a } = await startAndComplete('wd_chain');
    expect(await rejectionOf(run('bob', new WithdrawTaskCmd((await openTask(engine, id, 'b')).id)))).to.be.instanceOf(ConflictError);
    await run('alice', new WithdrawTaskCmd(a));
    expect(await rejectionOf(run('alice', new WithdrawTaskCmd(a)))).to.be.instanceOf(ConflictError);
  });
});
