import { expect } from 'chai';
import type { Command } from '../command/index.js';
import { BadUserRequestError, ConflictError, ForbiddenError, NotFoundError, OptimisticLockingError } from '../errors/index.js';
import { actorOf, Principals, type Principal } from '../identity/index.js';
import { CompleteTaskCmd } from '../services/commands/task.js';
import { bpmn, flow, openTask, openTaskKeys, rejectionOf } from '../testing/bpmn.js';
import { runTogether } from '../testing/concurrent-commands.js';
import { describeOnDatabases } from '../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../testing/organisation.js';
import { AddSignersCmd, CompleteSignerTaskCmd, RemoveSignerCmd, SIGNER_REMOVED } from './signers.js';

const { countyA, countyB } = TENANT_TREE;
const HANDLER = ['task:read', 'task:handle'];

/** start → review (the boss's) → after → end; `operations` limits what review offers. */
function review(key: string, operations?: string): string {
  const offered = operations ? `<extensionElements><camunda:properties><camunda:property name="yiwang:operations" value="${operations}"/></camunda:properties></extensionElements>` : '';
  return bpmn(key, `
    <startEvent id="start"/>${flow('start', 'review')}
    <userTask id="review" name="审核" camunda:assignee="a-boss">${offered}</userTask>${flow('review', 'after')}
    <userTask id="after" camunda:assignee="a-boss"/>${flow('after', 'end')}
    <endEvent id="end"/>`);
}

/** 或签 between two handlers, each of whom may add signers. */
const EITHER = bpmn('sg_either', `
  <startEvent id="start"/>${flow('start', 'review')}
  <userTask id="review" camunda:assignee="\${handler}">
    <extensionElements><camunda:properties><camunda:property name="yiwang:multiInstance" value="any"/></camunda:properties></extensionElements>
    <multiInstanceLoopCharacteristics camunda:collection="\${handlers}" camunda:elementVariable="handler"/>
  </userTask>${flow('review', 'after')}
  <userTask id="after" camunda:assignee="a-boss"/>${flow('after', 'end')}
  <endEvent id="end"/>`);

describeOnDatabases('tasks/signers - 加签 and 减签', (fixture) => {
  let principals: Principals;

  before(async () => {
    const { engine } = fixture();
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      roles: [
        { tenantId: countyA, code: 'handler', permissions: HANDLER },
        { tenantId: countyB, code: 'handler', permissions: HANDLER },
      ],
      users: [...['a-boss', 'a-ann', 'a-bob', 'a-cai', 'a-off'].map((id) => ({ id, tenantId: countyA, roles: ['handler'] })), { id: 'b-dan', tenantId: countyB, roles: ['handler'] }],
    });
    await engine.database.transaction((sql) => sql.execute("UPDATE app_user SET enabled = $1 WHERE id = 'a-off'", [false]));
    for (const [key, xml] of [['sg_review', review('sg_review')], ['sg_plain', review('sg_plain', 'approve,return')], ['sg_either', EITHER]]) {
      await engine.repositoryService.deploy({ name: key as string, tenantId: countyA, resources: [{ name: `${key}.bpmn`, content: xml as string }] });
    }
    principals = new Principals(engine.database, fixture().clock);
  });

  const run = async <T>(userId: string, command: Command<T>): Promise<T> => {
    const principal = (await principals.load(userId)) as Principal;
    return fixture().engine.commandExecutor.execute(command, { actor: actorOf(principal, null) });
  };
  const actor = async (userId: string) => actorOf((await principals.load(userId)) as Principal, null);
  const start = async (key = 'sg_review', variables: Record<string, unknown> = {}) => {
    const instance = await fixture().engine.runtimeService.startProcessInstanceByKey(key, { variables, tenantId: countyA });
    return { id: instance.id, reviewId: (await openTask(fixture().engine, instance.id, 'review')).id };
  };
  const taskRow = async (id: string) => (await fixture().engine.database.read((sql) => sql.select('SELECT assignee, parent_task_id, sign_state FROM task WHERE id = $1', [id])))[0];
  const signerTaskOf = async (parentTaskId: string, userId: string) => {
    const rows = await fixture().engine.database.read((sql) => sql.select('SELECT id FROM task WHERE parent_task_id = $1 AND assignee = $2', [parentTaskId, userId]));
    if (rows.length !== 1) throw new Error(`expected one signer task of ${userId}, found ${rows.length}`);
    return String(rows[0]?.id);
  };
  const timeline = async (processInstanceId: string) => {
    const rows = await fixture().engine.database.read((sql) =>
      sql.select("SELECT operation, user_id FROM case_action WHERE process_instance_id = $1 AND operation <> 'start' ORDER BY time, seq", [processInstanceId]),
    );
    return rows.map((row) => `${row.operation}:${row.user_id}`);
  };
  const signerHistory = async (parentTaskId: string) => {
    const rows = await fixture().engine.database.read((sql) => sql.select('SELECT assignee, sign_state, delete_reason FROM hi_task WHERE parent_task_id = $1 ORDER BY assignee', [parentTaskId]));
    return rows.map((row) => [row.assignee, row.sign_state, row.delete_reason]);
  };

  describe('前加签 (before)', () => {
    it('the signers act first; after the last one the task is back with its assignee, who completes it', async () => {
      // given
      const { engine } = fixture();
      const { id, reviewId } = await start();
      // when
      const added = await run('a-boss', new AddSignersCmd(reviewId, { users: ['a-ann', 'a-bob', 'a-ann'], position: 'before', comment: '请先会签' }));
      // then
      expect(added.map((s) => [s.userId, s.position, s.state])).to.deep.equal([['a-ann', 'before', 'open'], ['a-bob', 'before', 'open']]);
      expect(await taskRow(reviewId)).to.include({ assignee: 'a-boss', sign_state: 'waiting-before' });
      const annTask = await signerTaskOf(reviewId, 'a-ann');
      expect(await taskRow(annTask)).to.include({ parent_task_id: reviewId, sign_state: 'before' });
      const notified = await engine.database.read((sql) => sql.select("SELECT user_id, task_id FROM notification WHERE kind = 'task-assigned' AND task_id <> $1 AND process_instance_id = $2 ORDER BY user_id", [reviewId, id]));
      expect(notified.map((row) => [row.user_id, row.task_id])).to.deep.equal([['a-ann', annTask], ['a-bob', await signerTaskOf(reviewId, 'a-bob')]]);
      const [activity] = await engine.historyService.listActivityInstances({ processInstanceId: id, activityId: 'review' });
      expect(activity?.taskId, 'the activity keeps its own task').to.equal(reviewId);
      expect(await rejectionOf(run('a-boss', new CompleteTaskCmd(reviewId)))).to.be.instanceOf(ConflictError).with.property('message').that.contains('waits for the signers');
      // when
      await run('a-ann', new CompleteSignerTaskCmd(annTask, { comment: '同意' }));
      // then
      expect(await taskRow(reviewId)).to.include({ sign_state: 'waiting-before' });
      // when
      await run('a-bob', new CompleteSignerTaskCmd(await signerTaskOf(reviewId, 'a-bob')));
      // then
      expect(await taskRow(reviewId)).to.include({ assignee: 'a-boss', sign_state: null });
      expect(await openTaskKeys(engine, id)).to.deep.equal(['review']);
      // when
      await run('a-boss', new CompleteTaskCmd(reviewId));
      // then
      expect(await openTaskKeys(engine, id)).to.deep.equal(['after']);
      expect(await signerHistory(reviewId)).to.deep.equal([['a-ann', 'before', 'completed'], ['a-bob', 'before', 'completed']]);
      expect(await timeline(id)).to.deep.equal(['add-signer:a-boss', 'sign:a-ann', 'sign:a-bob', 'complete:a-boss']);
    });
  });

  describe('后加签 (after)', () => {
    it('the assignee is done; when the last signer signs (through complete, as Camunda clients call it) the task completes and the case moves on', async () => {
      // given
      const { engine } = fixture();
      const { id, reviewId } = await start();
      await run('a-boss', new AddSignersCmd(reviewId, { users: ['a-ann'], position: 'after' }));
      // when
      await run('a-ann', new CompleteTaskCmd(await signerTaskOf(reviewId, 'a-ann'), { opinion: 'ok' }));
      // then
      expect(await openTaskKeys(engine, id)).to.deep.equal(['after']);
      const [parent] = await engine.historyService.listTasks({ processInstanceId: id, taskDefinitionKey: 'review', assignee: 'a-boss' });
      expect(parent).to.include({ id: reviewId, deleteReason: 'completed' });
      expect((await engine.runtimeService.getVariables(id)).get('opinion')?.value).to.equal('ok');
      expect(await timeline(id)).to.deep.equal(['add-signer:a-boss', 'sign:a-ann', 'complete:a-ann']);
    });

    it('of the last two signers signing at once, exactly one completes the task: the other loses the revision check and, retried, finds it done', async () => {
      // given
      const { engine } = fixture();
      const { id, reviewId } = await start();
      await run('a-boss', new AddSignersCmd(reviewId, { users: ['a-ann', 'a-bob'], position: 'after' }));
      const annTask = await signerTaskOf(reviewId, 'a-ann');
      const bobTask = await signerTaskOf(reviewId, 'a-bob');
      // when
      const outcomes = await runTogether(engine, [
        { command: new CompleteSignerTaskCmd(annTask), actor: await actor('a-ann') },
        { command: new CompleteSignerTaskCmd(bobTask), actor: await actor('a-bob') },
      ]);
      const lost = outcomes.flatMap((outcome, i) => (outcome.status === 'rejected' ? [{ error: outcome.reason as Error, i }] : []));
      if (engine.database.dialect === 'mariadb') expect(lost.map(({ error }) => error)).to.have.length(1).and.satisfy((errors: Error[]) => errors[0] instanceof OptimisticLockingError);
      for (const { i } of lost) await run(i === 0 ? 'a-ann' : 'a-bob', new CompleteSignerTaskCmd(i === 0 ? annTask : bobTask));
      // then
      expect(await openTaskKeys(engine, id)).to.deep.equal(['after']);
      expect((await timeline(id)).filter((entry) => entry.startsWith('complete'))).to.have.length(1);
      expect(await signerHistory(reviewId)).to.deep.equal([['a-ann', 'after', 'completed'], ['a-bob', 'after', 'completed']]);
    });
  });

  describe('减签 (remove a signer)', () => {
    it('removes an open signer by user or task id; the last one removed hands the task back to its assignee, also after 后加签', async () => {
      // given
      const { engine } = fixture();
      const { id, reviewId } = await start();
      await run('a-boss', new AddSignersCmd(reviewId, { users: ['a-ann', 'a-bob'], position: 'after' }));
      const annTask = await signerTaskOf(reviewId, 'a-ann');
      // when
      await run('a-boss', new RemoveSignerCmd(reviewId, 'a-bob', { comment: '不必了' }));
      // then
      expect(await taskRow(reviewId)).to.include({ sign_state: 'waiting-after' });
      // when
      await run('a-boss', new RemoveSignerCmd(reviewId, annTask));
      // then
      expect(await taskRow(reviewId)).to.include({ assignee: 'a-boss', sign_state: null });
      expect(await openTaskKeys(engine, id)).to.deep.equal(['review']);
      expect(await signerHistory(reviewId)).to.deep.equal([['a-ann', 'after', SIGNER_REMOVED], ['a-bob', 'after', SIGNER_REMOVED]]);
      expect(await timeline(id)).to.deep.equal(['add-signer:a-boss', 'remove-signer:a-boss', 'remove-signer:a-boss']);
      // when
      await run('a-boss', new CompleteTaskCmd(reviewId));
      // then
      expect(await openTaskKeys(engine, id)).to.deep.equal(['after']);
    });

    it('refuses a caller who is not the assignee, a signer who already signed, and someone never added', async () => {
      // given
      const { reviewId } = await start();
      await run('a-boss', new AddSignersCmd(reviewId, { users: ['a-ann', 'a-bob'], position: 'before' }));
      await run('a-ann', new CompleteSignerTaskCmd(await signerTaskOf(reviewId, 'a-ann')));
      // then
      expect(await rejectionOf(run('a-bob', new RemoveSignerCmd(reviewId, 'a-bob')))).to.be.instanceOf(ForbiddenError);
      expect(await rejectionOf(run('a-boss', new RemoveSignerCmd(reviewId, 'a-ann')))).to.be.instanceOf(ConflictError).with.property('message').that.contains('no longer open');
      expect(await rejectionOf(run('a-boss', new RemoveSignerCmd(reviewId, 'a-cai')))).to.be.instanceOf(NotFoundError);
      expect(await taskRow(reviewId)).to.include({ sign_state: 'waiting-before' });
    });
  });

  describe('refusals', () => {
    it('refuses 加签 where the task does not offer it, by someone not its assignee, of the assignee, twice, and of users who cannot sign', async () => {
      // given
      const plain = await start('sg_plain');
      const { reviewId } = await start();
      const add = (userId: string, users: string[], taskId = reviewId) => run(userId, new AddSignersCmd(taskId, { users, position: 'before' }));
      // then
      expect(await rejectionOf(add('a-boss', ['a-ann'], plain.reviewId))).to.be.instanceOf(ForbiddenError).with.property('message').that.contains('does not offer 加签 (add-signer)');
      expect(await rejectionOf(add('a-ann', ['a-bob']))).to.be.instanceOf(ForbiddenError);
      expect(await rejectionOf(add('a-boss', ['a-boss']))).to.be.instanceOf(BadUserRequestError).with.property('message').that.contains('cannot be added as its signer');
      const unknown = await rejectionOf(add('a-boss', ['a-ann', 'nobody', 'b-dan', 'a-off']));
      expect(unknown).to.be.instanceOf(BadUserRequestError);
      expect(unknown.message).to.equal(
        `Cannot add 'nobody' (not a user of tenant ${countyA}), 'b-dan' (not a user of tenant ${countyA}), 'a-off' (disabled) as signers of task '${reviewId}' (加签)`,
      );
      expect(await rejectionOf(add('a-boss', []))).to.be.instanceOf(BadUserRequestError);
      expect(await taskRow(reviewId)).to.include({ sign_state: null });
      // when
      await add('a-boss', ['a-ann']);
      // then
      expect(await rejectionOf(add('a-boss', ['a-ann']))).to.be.instanceOf(ConflictError).with.property('message').that.contains('waits for the signers');
    });

    it("refuses a signer completing someone else's signer task, and signing twice", async () => {
      // given
      const { reviewId } = await start();
      await run('a-boss', new AddSignersCmd(reviewId, { users: ['a-ann', 'a-bob'], position: 'before' }));
      const annTask = await signerTaskOf(reviewId, 'a-ann');
      // then
      expect(await rejectionOf(run('a-bob', new CompleteSignerTaskCmd(annTask)))).to.be.instanceOf(ForbiddenError).with.property('message').that.contains("a-ann's to sign");
      expect(await rejectionOf(run('a-bob', new CompleteTaskCmd(annTask)))).to.be.instanceOf(ForbiddenError);
      expect(await rejectionOf(run('a-boss', new CompleteSignerTaskCmd(reviewId)))).to.be.instanceOf(ConflictError).with.property('message').that.contains('not an added signer');
      // when
      await run('a-ann', new CompleteSignerTaskCmd(annTask));
      // then
      expect(await rejectionOf(run('a-ann', new CompleteSignerTaskCmd(annTask)))).to.be.instanceOf(ConflictError).with.property('message').that.contains('already completed');
    });
  });

  describe('cancellation', () => {
    it("deleting the instance ends the signers' tasks with their parent, in history too", async () => {
      // given
      const { engine } = fixture();
      const { id, reviewId } = await start();
      await run('a-boss', new AddSignersCmd(reviewId, { users: ['a-ann', 'a-bob'], position: 'before' }));
      // when
      await engine.runtimeService.deleteProcessInstance(id, 'duplicate report');
      // then
      expect(await engine.taskService.listTasks({ processInstanceId: id })).to.deep.equal([]);
      expect(await signerHistory(reviewId)).to.deep.equal([['a-ann', 'before', 'duplicate report'], ['a-bob', 'before', 'duplicate report']]);
    });

    it('或签: another instance completing the activity cancels an instance waiting for its signers, signers included', async () => {
      // given
      const { engine } = fixture();
      const instance = await engine.runtimeService.startProcessInstanceByKey('sg_either', { variables: { handlers: ['a-ann', 'a-bob'] }, tenantId: countyA });
      const [annReview] = await engine.taskService.listTasks({ processInstanceId: instance.id, assignee: 'a-ann' });
      const [bobReview] = await engine.taskService.listTasks({ processInstanceId: instance.id, assignee: 'a-bob' });
      await run('a-ann', new AddSignersCmd(annReview?.id as string, { users: ['a-cai'], position: 'before' }));
      // when
      await run('a-bob', new CompleteTaskCmd(bobReview?.id as string));
      // then
      expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['after']);
      expect(await signerHistory(annReview?.id as string)).to.deep.equal([['a-cai', 'before', "completionCondition of 'review'"]]);
    });
  });
});
