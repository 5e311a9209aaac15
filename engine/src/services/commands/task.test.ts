import { expect } from 'chai';
import { BadUserRequestError, ConflictError, ForbiddenError, NotFoundError, ProcessEvaluationError } from '../../errors/index.js';
import { bpmn, countRows, deployProcess, flow, openTask, rejectionOf } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { Variables } from '../../variables/index.js';

/** start → review (user task) → next (user task) → end */
function twoTasks(key: string): string {
  return bpmn(key, `
      <startEvent id="start"/>${flow('start', 'review')}
      <userTask id="review" name="审核" camunda:candidateGroups="inspectors"/>${flow('review', 'next')}
      <userTask id="next" name="归档"/>${flow('next', 'end')}
      <endEvent id="end"/>`);
}

describeOnDatabases('services - task commands', (fixture) => {
  async function startAtReview(key: string) {
    const { engine } = fixture();
    await deployProcess(engine, twoTasks(key), `${key}.bpmn`);
    const instance = await engine.runtimeService.startProcessInstanceByKey(key);
    return { instance, task: await openTask(engine, instance.id, 'review') };
  }

  describe('complete', () => {
    it('refuses a user completing a task assigned to someone else, and lets the assignee and the system complete', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, bpmn('tc_foreign', `
        <startEvent id="start"/>${flow('start', 'review')}
        <userTask id="review" camunda:assignee="alice"/>${flow('review', 'approve')}
        <userTask id="approve" camunda:assignee="alice"/>${flow('approve', 'end')}<endEvent id="end"/>`), 'tc_foreign.bpmn');
      const instance = await engine.runtimeService.startProcessInstanceByKey('tc_foreign');
      const review = await openTask(engine, instance.id, 'review');
      // when
      const error = await rejectionOf(engine.forUser('bob').taskService.complete(review.id, { verdict: 'mine' }));
      // then
      expect(error).to.be.instanceOf(ForbiddenError);
      expect(error.message).to.equal(`Task '${review.id}' is assigned to 'alice'; 'bob' cannot complete it`);
      expect((await engine.taskService.getTask(review.id)).assignee).to.equal('alice');
      expect(await engine.runtimeService.getVariable(instance.id, 'verdict')).to.equal(null);
      await engine.forUser('alice').taskService.complete(review.id);
      await engine.taskService.complete((await openTask(engine, instance.id, 'approve')).id);
      expect((await engine.historyService.getProcessInstance(instance.id)).state).to.equal('COMPLETED');
    });

    it('moves the token on and stores variables of every type with their type', async () => {
      // given
      const { engine } = fixture();
      const { instance, task } = await startAtReview('tc_types');
      const due = new Date('2024-05-01T08:30:15.123Z');
      // when
      await engine.taskService.complete(task.id, {
        text: Variables.string('占道经营'),
        count: Variables.integer(-2_147_483_648),
        big: Variables.long(2 ** 40 + 1),
        ratio: Variables.double(0.1 + 0.2),
        ok: Variables.boolean(false),
        due: Variables.date(due),
        camundaDate: Variables.date('2024-05-01T10:30:15.123+0200'),
        payload: Variables.json({ grid: ['A-1', { id: 7, lead: null }], 名称: '网格' }),
        photo: Variables.bytes(Buffer.from([0, 1, 2, 254, 255])),
        nothing: Variables.null(),
        plainInteger: 7,
        plainLong: 2 ** 33,
        plainDouble: 1.5,
        plainText: '',
        plainObject: { nested: { deep: [true] } },
      });
      // then
      const next = await openTask(engine, instance.id, 'next');
      const variables = await engine.taskService.getVariables(next.id);
      const typed = Object.fromEntries([...variables].map(([name, v]) => [name, { type: v.type, value: v.value }]));
      expect(typed).to.deep.equal({
        text: { type: 'string', value: '占道经营' },
        count: { type: 'integer', value: -2_147_483_648 },
        big: { type: 'long', value: 2 ** 40 + 1 },
        ratio: { type: 'double', value: 0.30000000000000004 },
        ok: { type: 'boolean', value: false },
        due: { type: 'date', value: due },
        camundaDate: { type: 'date', value: due },
        payload: { type: 'json', value: { grid: ['A-1', { id: 7, lead: null }], 名称: '网格' } },
        photo: { type: 'bytes', value: Buffer.from([0, 1, 2, 254, 255]) },
        nothing: { type: 'null', value: null },
        plainInteger: { type: 'integer', value: 7 },
        plainLong: { type: 'long', value: 2 ** 33 },
        plainDouble: { type: 'double', value: 1.5 },
        plainText: { type: 'string', value: '' },
        plainObject: { type: 'json', value: { nested: { deep: [true] } } },
      });
      const history = await engine.historyService.listTasks({ processInstanceId: instance.id, taskDefinitionKey: 'review' });
      expect(history.map((t) => t.deleteReason)).to.deep.equal(['completed']);
    });

    it('refuses a task that is already completed with a ConflictError, writing nothing', async () => {
      // given
      const { engine } = fixture();
      const { task } = await startAtReview('tc_finished');
      await engine.taskService.complete(task.id);
      const before = await countRows(engine);
      // when
      const error = await rejectionOf(engine.taskService.complete(task.id, { late: true }));
      // then
      expect(error).to.be.instanceOf(ConflictError);
      expect(error.message).to.match(new RegExp(`^Task '${task.id}' is already completed at \\d{4}-\\d\\d-\\d\\dT`));
      expect(await countRows(engine)).to.deep.equal(before);
    });

    it('refuses an unknown task id with a NotFoundError naming it', async () => {
      // given
      const { engine } = fixture();
      const before = await countRows(engine);
      // when
      const errors = await Promise.all([
        rejectionOf(engine.taskService.complete('no-such-task')),
        rejectionOf(engine.taskService.claim('no-such-task', 'alice')),
        rejectionOf(engine.taskService.getTask('no-such-task')),
      ]);
      // then
      for (const error of errors) {
        expect(error).to.be.instanceOf(NotFoundError);
        expect(error.message).to.equal("Task 'no-such-task' does not exist");
      }
      expect(await countRows(engine)).to.deep.equal(before);
    });

    const wrongTypes: [string, Record<string, unknown>, RegExp][] = [
      ['a text as integer', { count: Variables.integer('abc' as never) }, /^Cannot set variable 'count': 'abc' is not a valid Integer$/],
      ['an integer beyond 32 bits', { count: Variables.integer(2 ** 31) }, /^Cannot set variable 'count': 2147483648 is not a valid Integer$/],
      ['a fraction as integer', { count: Variables.integer(1.5) }, /^Cannot set variable 'count': 1.5 is not a valid Integer$/],
      ['a long beyond the safe range', { total: Variables.long(2 ** 53) }, /^Cannot set variable 'total': /],
      ['a text that is no date', { due: Variables.date('not a date') }, /^Cannot set variable 'due': 'not a date' is not a valid Date$/],
      ['a number as boolean', { ok: Variables.boolean(1 as never) }, /^Cannot set variable 'ok': 1 is not a valid Boolean$/],
      ['a text as bytes', { photo: Variables.bytes('abc' as never) }, /^Cannot set variable 'photo': 'abc' is not a valid Bytes$/],
      ['NaN', { ratio: Number.NaN }, /^Cannot set variable 'ratio': NaN is not a finite number$/],
      ['a function', { callback: () => 1 }, /^Cannot set variable 'callback': a function cannot be stored/],
    ];
    for (const [what, variables, message] of wrongTypes) {
      it(`refuses ${what} with a BadUserRequestError naming the variable, writing nothing`, async () => {
        // given
        const { engine } = fixture();
        const { instance, task } = await startAtReview(`tc_wrong_${what.replace(/\W+/g, '_')}`);
        const before = await countRows(engine);
        // when: a valid variable comes first, so a partly applied command would show
        const error = await rejectionOf(engine.taskService.complete(task.id, { valid: 'yes', ...variables }));
        // then
        expect(error).to.be.instanceOf(BadUserRequestError);
        expect(error.message).to.match(message);
        expect(await countRows(engine)).to.deep.equal(before);
        expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['review']);
        expect((await engine.taskService.getTask(task.id)).rev).to.equal(task.rev);
      });
    }

    it('lets exactly one of two concurrent completions win, every time', async () => {
      const { engine } = fixture();
      await deployProcess(engine, twoTasks('tc_race'), 'tc_race.bpmn');
      for (let round = 0; round < 10; round += 1) {
        // given
        const instance = await engine.runtimeService.startProcessInstanceByKey('tc_race', { businessKey: `race-${round}` });
        const task = await openTask(engine, instance.id, 'review');
        // when
        const outcomes = await Promise.allSettled([
          engine.forUser('alice').taskService.complete(task.id, { winner: 'first' }),
          engine.forUser('bob').taskService.complete(task.id, { winner: 'second' }),
        ]);
        // then
        const fulfilled = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i === 0 ? 'first' : 'second'] : []));
        const rejected = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as Error] : []));
        expect(fulfilled, `round ${round}`).to.have.length(1);
        expect(rejected, `round ${round}`).to.have.length(1);
        expect(rejected[0], `round ${round}: ${rejected[0]?.message}`).to.be.instanceOf(ConflictError);
        const next = await engine.taskService.listTasks({ processInstanceId: instance.id });
        expect(next.map((t) => t.taskDefinitionKey), `round ${round}`).to.deep.equal(['next']);
        expect(await engine.runtimeService.getVariable(instance.id, 'winner')).to.equal(fulfilled[0]);
        const history = await engine.historyService.listTasks({ processInstanceId: instance.id, taskDefinitionKey: 'review', finished: true });
        expect(history.map((t) => t.id)).to.deep.equal([task.id]);
        const reviewVisits = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'review' });
        expect(reviewVisits.map((a) => a.endTime !== null)).to.deep.equal([true]);
        expect(await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'next' })).to.have.length(1);
        const completions = await engine.historyService.listOperationLog({ taskId: task.id, operationType: 'Complete' });
        expect(completions.map((e) => e.userId)).to.deep.equal([fulfilled[0] === 'first' ? 'alice' : 'bob']);
        expect(await engine.historyService.listVariableUpdates(instance.id, 'winner')).to.have.length(1);
      }
    });
  });

  describe('rollback', () => {
    /** start → review → decide: `${score > 50}` to high, otherwise low */
    const scored = (key: string) => bpmn(key, `
      <startEvent id="start"/>${flow('start', 'review')}
      <userTask id="review"/>${flow('review', 'decide')}
      <exclusiveGateway id="decide" default="toLow"/>
      ${flow('decide', 'high', '${score > 50}', 'toHigh')}
      <sequenceFlow id="toLow" sourceRef="decide" targetRef="low"/>
      <userTask id="high"/><userTask id="low"/>
      ${flow('high', 'end')}${flow('low', 'end')}<endEvent id="end"/>`);

    it('leaves the task open, the token in place and history untouched when a condition after it fails', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, scored('tc_rollback'), 'tc_rollback.bpmn');
      const instance = await engine.runtimeService.startProcessInstanceByKey('tc_rollback');
      const task = await openTask(engine, instance.id, 'review');
      const before = await countRows(engine);
      // when: the comment is written before the gateway fails; it must go with the rest
      const error = await rejectionOf(engine.taskService.complete(task.id, { comment: 'checked' }));
      // then
      expect(error).to.be.instanceOf(ProcessEvaluationError);
      expect(error.message).to.contain("Condition of sequence flow 'toHigh'");
      expect(error.message).to.contain("Cannot resolve identifier 'score'");
      expect(await countRows(engine)).to.deep.equal(before);
      const still = await engine.taskService.getTask(task.id);
      expect([still.rev, still.assignee]).to.deep.equal([task.rev, null]);
      expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['review']);
      expect(await engine.runtimeService.getVariable(instance.id, 'comment')).to.equal(null);
      const history = await engine.historyService.listActivityInstances({ processInstanceId: instance.id });
      expect(history.map((a) => [a.activityId, a.endTime !== null])).to.deep.equal([['start', true], ['review', false]]);
    });

    it('completes the same task once the missing variable is given', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, scored('tc_retry'), 'tc_retry.bpmn');
      const instance = await engine.runtimeService.startProcessInstanceByKey('tc_retry');
      const task = await openTask(engine, instance.id, 'review');
      await rejectionOf(engine.taskService.complete(task.id));
      // when
      await engine.taskService.complete(task.id, { score: 80 });
      // then
      expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['high']);
    });
  });

  describe('claim, unclaim and assign', () => {
    it('claims for a user, refuses another user naming the holder, unclaims and assigns, with history and log', async () => {
      // given
      const { engine } = fixture();
      const { instance, task } = await startAtReview('tc_claim');
      const alice = engine.forUser('alice').taskService;
      // when
      await alice.claim(task.id, 'alice');
      await alice.claim(task.id, 'alice');
      const before = await countRows(engine);
      const stolen = await rejectionOf(engine.forUser('bob').taskService.claim(task.id, 'bob'));
      // then
      expect(stolen).to.be.instanceOf(ConflictError);
      expect(stolen.message).to.equal(`Task '${task.id}' is already claimed by 'alice'`);
      expect(await countRows(engine)).to.deep.equal(before);
      expect((await engine.taskService.getTask(task.id)).assignee).to.equal('alice');
      expect((await engine.historyService.listTasks({ processInstanceId: instance.id }))[0]?.assignee).to.equal('alice');
      expect((await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'review' }))[0]?.assignee).to.equal('alice');

      // when
      await alice.unclaim(task.id);
      // then
      expect((await engine.taskService.getTask(task.id)).assignee).to.equal(null);
      expect((await engine.historyService.listTasks({ processInstanceId: instance.id }))[0]?.assignee).to.equal(null);

      // when
      await engine.forUser('lead').taskService.setAssignee(task.id, 'carol');
      // then
      expect((await engine.taskService.getTask(task.id)).assignee).to.equal('carol');
      expect((await engine.historyService.listTasks({ assignee: 'carol' })).map((t) => t.id)).to.deep.equal([task.id]);
      const log = await engine.historyService.listOperationLog({ taskId: task.id });
      expect(log.map((e) => `${e.userId} ${e.operationType} ${e.property}: ${e.orgValue} → ${e.newValue}`)).to.have.members([
        'alice Claim assignee: null → alice',
        'alice Claim assignee: alice → alice',
        'alice Claim assignee: alice → null',
        'lead Assign assignee: null → carol',
      ]);
      expect(log.every((e) => e.processInstanceId === instance.id && e.entityType === 'Task')).to.equal(true);
    });

    it('keeps the assignee in task history when the task is completed', async () => {
      // given
      const { engine } = fixture();
      const { instance, task } = await startAtReview('tc_assignee_history');
      await engine.taskService.setAssignee(task.id, 'dave');
      // when
      await engine.forUser('dave').taskService.complete(task.id);
      // then
      const [review] = await engine.historyService.listTasks({ processInstanceId: instance.id, taskDefinitionKey: 'review' });
      expect([review?.assignee, review?.deleteReason, review?.endTime instanceof Date]).to.deep.equal(['dave', 'completed', true]);
      const [completed] = await engine.historyService.listOperationLog({ taskId: task.id, operationType: 'Complete' });
      expect([completed?.userId, completed?.processDefinitionKey]).to.deep.equal(['dave', 'tc_assignee_history']);
    });

    it('gives a task claimed by two users at once to exactly one of them', async () => {
      const { engine } = fixture();
      await deployProcess(engine, twoTasks('tc_claim_race'), 'tc_claim_race.bpmn');
      for (let round = 0; round < 5; round += 1) {
        // given
        const instance = await engine.runtimeService.startProcessInstanceByKey('tc_claim_race');
        const task = await openTask(engine, instance.id, 'review');
        // when
        const outcomes = await Promise.allSettled(['alice', 'bob'].map((user) => engine.forUser(user).taskService.claim(task.id, user)));
        // then
        const winners = ['alice', 'bob'].filter((_, i) => outcomes[i]?.status === 'fulfilled');
        const losers = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as Error] : []));
        expect(winners, `round ${round}`).to.have.length(1);
        expect(losers[0], `round ${round}`).to.be.instanceOf(ConflictError);
        expect((await engine.taskService.getTask(task.id)).assignee).to.equal(winners[0]);
        expect((await engine.historyService.listOperationLog({ taskId: task.id })).map((e) => e.userId)).to.deep.equal(winners);
      }
    });

    it('refuses to claim a completed task with a ConflictError', async () => {
      // given
      const { engine } = fixture();
      const { task } = await startAtReview('tc_claim_done');
      await engine.taskService.complete(task.id);
      // when
      const error = await rejectionOf(engine.taskService.claim(task.id, 'alice'));
      // then
      expect(error).to.be.instanceOf(ConflictError);
      expect(error.message).to.contain('is already completed');
    });
  });
});
