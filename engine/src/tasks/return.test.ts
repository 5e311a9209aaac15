import { expect } from 'chai';
import type { Command } from '../command/index.js';
import { BadUserRequestError, ConflictError, ForbiddenError } from '../errors/index.js';
import type { ProcessEngine } from '../services/index.js';
import { bpmn, deployProcess, flow, openTask, openTaskKeys, rejectionOf } from '../testing/bpmn.js';
import { runTogether } from '../testing/concurrent-commands.js';
import { describeOnDatabases } from '../testing/databases.js';
import { plainActor, taskHistoryOf, tokensOf } from '../testing/tokens.js';
import { ReturnTargetsQuery, ReturnTaskCmd } from './return.js';

const properties = (entries: Record<string, string>) =>
  `<extensionElements><camunda:properties>${Object.entries(entries).map(([name, value]) => `<camunda:property name="${name}" value="${value}"/>`).join('')}</camunda:properties></extensionElements>`;

/** a (alice) → fork → [b1 → b2 (bob) | c1 (carol)] → join → d (dave) */
const PARALLEL = bpmn('rt_parallel', `
  <startEvent id="start"/>${flow('start', 'a')}
  <userTask id="a" name="受理" camunda:assignee="alice"/>${flow('a', 'fork')}
  <parallelGateway id="fork"/>${flow('fork', 'b1')}${flow('fork', 'c1')}
  <userTask id="b1" camunda:assignee="bob"/>${flow('b1', 'b2')}
  <userTask id="b2" camunda:assignee="bob"/>${flow('b2', 'join', undefined, 'from_b')}
  <userTask id="c1" camunda:assignee="carol"/>${flow('c1', 'join', undefined, 'from_c')}
  <parallelGateway id="join"/>${flow('join', 'd')}
  <userTask id="d" camunda:assignee="dave"/>${flow('d', 'end')}
  <endEvent id="end"/>`);

/** a (alice) → sign (会签 by ${signers}) → e (erin) */
const SIGNING = bpmn('rt_signing', `
  <startEvent id="start"/>${flow('start', 'a')}
  <userTask id="a" camunda:assignee="alice"/>${flow('a', 'sign')}
  <userTask id="sign" camunda:assignee="\${signer}">
    <multiInstanceLoopCharacteristics camunda:collection="\${signers}" camunda:elementVariable="signer"/>
  </userTask>${flow('sign', 'e')}
  <userTask id="e" camunda:assignee="erin"/>${flow('e', 'end')}
  <endEvent id="end"/>`);

/** a (alice) → sub [s1 (sam) → s2 (sue)] → f (fay) */
const SUB = bpmn('rt_sub', `
  <startEvent id="start"/>${flow('start', 'a')}
  <userTask id="a" camunda:assignee="alice"/>${flow('a', 'sub')}
  <subProcess id="sub">
    <startEvent id="sub_start"/>${flow('sub_start', 's1')}
    <userTask id="s1" camunda:assignee="sam"/>${flow('s1', 's2')}
    <userTask id="s2" camunda:assignee="sue"/>${flow('s2', 'sub_end')}
    <endEvent id="sub_end"/>
  </subProcess>${flow('sub', 'f')}
  <userTask id="f" camunda:assignee="fay"/>${flow('f', 'end')}
  <endEvent id="end"/>`);

/** a (alice) → b (bob) → c (carol, resubmission as `resubmit` says; offers `operations`) */
const chain = (key: string, cProperties: Record<string, string>) => bpmn(key, `
  <startEvent id="start"/>${flow('start', 'a')}
  <userTask id="a" camunda:assignee="alice"/>${flow('a', 'b')}
  <userTask id="b" camunda:assignee="bob"/>${flow('b', 'c')}
  <userTask id="c" camunda:assignee="carol">${properties(cProperties)}</userTask>${flow('c', 'end')}
  <endEvent id="end"/>`);

describeOnDatabases('tasks/return - 退回 to an earlier step', (fixture) => {
  let engine: ProcessEngine;

  before(async () => {
    engine = fixture().engine;
    for (const xml of [PARALLEL, SIGNING, SUB, chain('rt_direct', { 'yiwang:return:resubmit': 'direct' }), chain('rt_sequential', {}), chain('rt_no_return', { 'yiwang:operations': 'approve' })]) {
      await deployProcess(engine, xml);
    }
  });

  const run = <T>(userId: string, command: Command<T>) => engine.commandExecutor.execute(command, { actor: plainActor(userId) });
  const start = async (key: string, variables: Record<string, unknown> = {}) => (await engine.runtimeService.startProcessInstanceByKey(key, { variables })).id;
  const complete = async (id: string, activityId: string, userId: string) => {
    const task = await openTask(engine, id, activityId);
    await engine.forUser(userId).taskService.complete(task.id);
  };
  const sendBack = async (id: string, from: string, userId: string, to: string, comment?: string) => {
    const task = await openTask(engine, id, from);
    await run(userId, new ReturnTaskCmd(task.id, to, { comment }));
  };
  const targets = async (id: string, at: string, userId: string) => {
    const task = await openTask(engine, id, at);
    return (await run(userId, new ReturnTargetsQuery(task.id))).map((t) => `${t.activityId}/${t.userId}`);
  };
  const assigneeAt = async (id: string, activityId: string) => (await openTask(engine, id, activityId)).assignee;

  describe('return targets', () => {
    it('lists the earlier completed steps that lead here, each with its last handler, not the task itself nor another parallel branch', async () => {
      const id = await start('rt_parallel');
      await complete(id, 'a', 'alice');
      await complete(id, 'c1', 'carol');
      await complete(id, 'b1', 'bob');
      expect(await targets(id, 'b2', 'bob')).to.deep.equal(['a/alice', 'b1/bob']);
      await complete(id, 'b2', 'bob');
      expect(await targets(id, 'd', 'dave')).to.have.members(['a/alice', 'c1/carol', 'b1/bob', 'b2/bob']);
    });

    it('inside a sub-process lists the steps before it and those of the sub-process itself', async () => {
      const id = await start('rt_sub');
      await complete(id, 'a', 'alice');
      await complete(id, 's1', 'sam');
      expect(await targets(id, 's2', 'sue')).to.deep.equal(['a/alice', 's1/sam']);
    });
  });

  describe('a plain sequence', () => {
    it('re-creates the target for whoever did it last, cancels the task as returned and writes the timeline', async () => {
      const id = await start('rt_sequential');
      await complete(id, 'a', 'alice');
      await complete(id, 'b', 'bob');
      const returned = await openTask(engine, id, 'c');
      await run('carol', new ReturnTaskCmd(returned.id, 'a', { comment: '材料不全' }));
      expect(await openTaskKeys(engine, id)).to.deep.equal(['a']);
      expect(await assigneeAt(id, 'a')).to.equal('alice');
      expect(await tokensOf(engine, id)).to.deep.equal(['a']);
      const history = await taskHistoryOf(engine, id);
      expect(history.find((t) => t.id === returned.id)?.deleteReason).to.equal('returned');
      const timeline = await engine.database.read((sql) => sql.select('SELECT operation, comment, target FROM case_action WHERE task_id = $1', [returned.id]));
      expect(timeline.map((row) => row.operation)).to.deep.equal(['return']);
      expect(timeline[0]?.comment).to.equal('材料不全');
      expect(JSON.parse(timeline[0]?.target as string)).to.deep.equal({ activityId: 'a', activityName: null, userId: 'alice' });
      const notices = await engine.database.read((sql) => sql.select('SELECT user_id, kind FROM notification WHERE process_instance_id = $1', [id]));
      expect(notices).to.deep.include({ user_id: 'alice', kind: 'returned' });
      // sequential resubmission: the process is followed again
      await complete(id, 'a', 'alice');
      expect(await openTaskKeys(engine, id)).to.deep.equal(['b']);
    });

    it('with direct resubmission, completing the returned task goes straight back to the returner', async () => {
      const id = await start('rt_direct');
      await complete(id, 'a', 'alice');
      await complete(id, 'b', 'bob');
      await sendBack(id, 'c', 'carol', 'a');
      expect((await openTask(engine, id, 'a')).returnTo).to.deep.equal({ activityId: 'c', userId: 'carol' });
      await complete(id, 'a', 'alice');
      expect(await openTaskKeys(engine, id)).to.deep.equal(['c']);
      expect(await assigneeAt(id, 'c')).to.equal('carol');
      expect(await tokensOf(engine, id)).to.deep.equal(['c']);
      await complete(id, 'c', 'carol');
      expect(await tokensOf(engine, id)).to.deep.equal([]);
    });

    it('refuses a step that is no return target, listing the valid ones', async () => {
      const id = await start('rt_sequential');
      await complete(id, 'a', 'alice');
      const error = await rejectionOf(sendBack(id, 'b', 'bob', 'c'));
      expect(error).to.be.instanceOf(BadUserRequestError);
      expect(error.message).to.contain("it can go back to 'a'");
      expect(await openTaskKeys(engine, id)).to.deep.equal(['b']);
    });

    it('refuses a task that does not offer 退回, another user, and a task already done', async () => {
      const id = await start('rt_no_return');
      await complete(id, 'a', 'alice');
      await complete(id, 'b', 'bob');
      expect(await rejectionOf(sendBack(id, 'c', 'carol', 'a'))).to.be.instanceOf(ForbiddenError);
      const other = await start('rt_sequential');
      await complete(other, 'a', 'alice');
      expect(await rejectionOf(sendBack(other, 'b', 'mallory', 'a'))).to.be.instanceOf(ForbiddenError);
      const task = await openTask(engine, other, 'b');
      await complete(other, 'b', 'bob');
      expect(await rejectionOf(run('bob', new ReturnTaskCmd(task.id, 'a')))).to.be.instanceOf(ConflictError);
    });

    it('of two concurrent returns of one task exactly one wins, the other gets 409', async () => {
      const id = await start('rt_sequential');
      await complete(id, 'a', 'alice');
      const task = await openTask(engine, id, 'b');
      const results = await runTogether(engine, [
        { command: new ReturnTaskCmd(task.id, 'a'), actor: plainActor('bob') },
        { command: new ReturnTaskCmd(task.id, 'a'), actor: plainActor('bob') },
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
      const [failed] = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(failed?.reason).to.be.instanceOf(ConflictError);
      expect(await openTaskKeys(engine, id)).to.deep.equal(['a']);
      expect(await tokensOf(engine, id)).to.deep.equal(['a']);
    });
  });

  describe('parallel branches', () => {
    it('(a) to a step of the same branch after the fork: only that branch moves, and the join still waits for both', async () => {
      const id = await start('rt_parallel');
      await complete(id, 'a', 'alice');
      await complete(id, 'b1', 'bob');
      await sendBack(id, 'b2', 'bob', 'b1');
      expect(await tokensOf(engine, id)).to.deep.equal(['b1', 'c1']);
      await complete(id, 'c1', 'carol');
      expect(await tokensOf(engine, id)).to.deep.equal(['b1', 'join:JOINING']);
      await complete(id, 'b1', 'bob');
      await sendBack(id, 'b2', 'bob', 'b1');
      // the other branch's token already waiting at the join is kept
      expect(await tokensOf(engine, id)).to.deep.equal(['b1', 'join:JOINING']);
      await complete(id, 'b1', 'bob');
      await complete(id, 'b2', 'bob');
      expect(await tokensOf(engine, id)).to.deep.equal(['d']);
    });

    it('(b) to a step before the fork: every token of the branches goes, the waiting one at the join too, and the fork runs again', async () => {
      const id = await start('rt_parallel');
      await complete(id, 'a', 'alice');
      await complete(id, 'c1', 'carol');
      await complete(id, 'b1', 'bob');
      expect(await tokensOf(engine, id)).to.deep.equal(['b2', 'join:JOINING']);
      await sendBack(id, 'b2', 'bob', 'a');
      expect(await tokensOf(engine, id)).to.deep.equal(['a']);
      expect(await openTaskKeys(engine, id)).to.deep.equal(['a']);
      await complete(id, 'a', 'alice');
      expect(await tokensOf(engine, id)).to.deep.equal(['b1', 'c1']);
      await complete(id, 'b1', 'bob');
      await complete(id, 'b2', 'bob');
      await complete(id, 'c1', 'carol');
      expect(await tokensOf(engine, id)).to.deep.equal(['d']);
      await complete(id, 'd', 'dave');
      expect(await tokensOf(engine, id)).to.deep.equal([]);
    });

    it('(b) cancels the other branch\'s open task as returned', async () => {
      const id = await start('rt_parallel');
      await complete(id, 'a', 'alice');
      const other = await openTask(engine, id, 'c1');
      await sendBack(id, 'b1', 'bob', 'a');
      expect(await tokensOf(engine, id)).to.deep.equal(['a']);
      expect((await taskHistoryOf(engine, id)).find((t) => t.id === other.id)?.deleteReason).to.equal('returned');
    });

    it('(c) from after the join into one branch: that branch is redone, the others count as arrived and are not redone', async () => {
      const id = await start('rt_parallel');
      await complete(id, 'a', 'alice');
      await complete(id, 'b1', 'bob');
      await complete(id, 'b2', 'bob');
      await complete(id, 'c1', 'carol');
      await sendBack(id, 'd', 'dave', 'b1');
      expect(await tokensOf(engine, id)).to.deep.equal(['b1', 'join:JOINING']);
      expect(await assigneeAt(id, 'b1')).to.equal('bob');
      await complete(id, 'b1', 'bob');
      await complete(id, 'b2', 'bob');
      expect(await tokensOf(engine, id)).to.deep.equal(['d']);
      expect(await openTaskKeys(engine, id)).to.deep.equal(['d']);
    });
  });

  describe('multi-instance', () => {
    it('(d) from one signer to a step before: the whole body goes, every signer\'s task with it; the body starts anew later', async () => {
      const id = await start('rt_signing', { signers: ['sid', 'sol'] });
      await complete(id, 'a', 'alice');
      const sid = (await engine.taskService.listTasks({ processInstanceId: id, assignee: 'sid' }))[0];
      await engine.forUser('sid').taskService.complete(sid!.id);
      const sol = (await engine.taskService.listTasks({ processInstanceId: id, assignee: 'sol' }))[0];
      await run('sol', new ReturnTaskCmd(sol!.id, 'a'));
      expect(await tokensOf(engine, id)).to.deep.equal(['a']);
      expect(await openTaskKeys(engine, id)).to.deep.equal(['a']);
      await complete(id, 'a', 'alice');
      const again = await engine.taskService.listTasks({ processInstanceId: id, taskDefinitionKey: 'sign' });
      expect(again.map((t) => t.assignee).sort()).to.deep.equal(['sid', 'sol']);
    });

    it('(d) from after the multi-instance task back to it: the whole body is re-created', async () => {
      const id = await start('rt_signing', { signers: ['sid', 'sol'] });
      await complete(id, 'a', 'alice');
      for (const task of await engine.taskService.listTasks({ processInstanceId: id, taskDefinitionKey: 'sign' })) {
        await engine.forUser(task.assignee).taskService.complete(task.id);
      }
      expect(await targets(id, 'e', 'erin')).to.deep.equal(['a/alice', `sign/${(await taskHistoryOf(engine, id)).filter((t) => t.taskDefinitionKey === 'sign').at(-1)?.assignee}`]);
      await sendBack(id, 'e', 'erin', 'sign');
      const again = await engine.taskService.listTasks({ processInstanceId: id, taskDefinitionKey: 'sign' });
      expect(again.map((t) => t.assignee).sort()).to.deep.equal(['sid', 'sol']);
      expect(await tokensOf(engine, id)).to.deep.equal(['sign', 'sign', 'sign#multiInstanceBody']);
    });
  });

  describe('sub-processes', () => {
    it('(e) from inside a sub-process to a step before it: the sub-process scope is cancelled', async () => {
      const id = await start('rt_sub');
      await complete(id, 'a', 'alice');
      await complete(id, 's1', 'sam');
      expect(await tokensOf(engine, id)).to.deep.equal(['s2', 'sub']);
      await sendBack(id, 's2', 'sue', 'a');
      expect(await tokensOf(engine, id)).to.deep.equal(['a']);
      const subVisits = await engine.historyService.listActivityInstances({ processInstanceId: id, activityId: 'sub' });
      expect(subVisits.map((v) => v.canceled)).to.deep.equal([true]);
      await complete(id, 'a', 'alice');
      expect(await tokensOf(engine, id)).to.deep.equal(['s1', 'sub']);
    });

    it('inside the sub-process: only its token moves', async () => {
      const id = await start('rt_sub');
      await complete(id, 'a', 'alice');
      await complete(id, 's1', 'sam');
      await sendBack(id, 's2', 'sue', 's1');
      expect(await tokensOf(engine, id)).to.deep.equal(['s1', 'sub']);
      expect(await assigneeAt(id, 's1')).to.equal('sam');
    });
  });
});
