import { expect } from 'chai';
import { OptimisticLockingError, ParseError, ProcessEvaluationError } from '../../errors/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { bpmn, deployProcess, escapeXml, flow, openTask, openTaskKeys, rejectionOf } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';

const HOUR = 3_600_000;

/** `<multiInstanceLoopCharacteristics>` with its attributes and, optionally, a completion condition or cardinality. */
function loop(attributes: string, options: { completionCondition?: string; loopCardinality?: string } = {}): string {
  const cardinality = options.loopCardinality ? `<loopCardinality>${escapeXml(options.loopCardinality)}</loopCardinality>` : '';
  const condition = options.completionCondition ? `<completionCondition>${escapeXml(options.completionCondition)}</completionCondition>` : '';
  return `<multiInstanceLoopCharacteristics ${attributes}>${cardinality}${condition}</multiInstanceLoopCharacteristics>`;
}

/** start → `activity` → after (a user task) → end */
function around(key: string, activity: string): string {
  return bpmn(key, `
    <startEvent id="start"/>${flow('start', 'review')}
    ${activity}${flow('review', 'after')}
    <userTask id="after"/>${flow('after', 'end')}
    <endEvent id="end"/>`);
}

/** A user task `review` for each reviewer, assigned to them. */
function reviewPerReviewer(key: string, loopAttributes = '', completionCondition?: string): string {
  return around(key, `
    <userTask id="review" name="Review" camunda:assignee="\${reviewer}">
      ${loop(`camunda:collection="\${reviewers}" camunda:elementVariable="reviewer" ${loopAttributes}`, { completionCondition })}
    </userTask>`);
}

async function completeFor(engine: ProcessEngine, processInstanceId: string, assignee: string, variables: Record<string, unknown> = {}): Promise<void> {
  const [task] = await engine.taskService.listTasks({ processInstanceId, assignee });
  if (!task) throw new Error(`no open task for '${assignee}'`);
  await engine.taskService.complete(task.id, variables);
}

async function assignees(engine: ProcessEngine, processInstanceId: string): Promise<string[]> {
  const tasks = await engine.taskService.listTasks({ processInstanceId, taskDefinitionKey: 'review' });
  return tasks.map((task) => task.assignee ?? '').sort();
}

describeOnDatabases('bpmn/execute - multi-instance', (fixture) => {
  describe('parallel (会签: everyone signs)', () => {
    it('creates a task per element, assigned through the element variable, with the loop variables visible to each', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, reviewPerReviewer('mi_parallel'));
      // when
      const instance = await engine.runtimeService.startProcessInstanceByKey('mi_parallel', { variables: { reviewers: ['ann', 'bob', 'cai'] } });
      // then
      expect(await assignees(engine, instance.id)).to.deep.equal(['ann', 'bob', 'cai']);
      expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['review', 'review', 'review']);
      const [bobsTask] = await engine.taskService.listTasks({ processInstanceId: instance.id, assignee: 'bob' });
      const seen = await engine.taskService.getVariables(bobsTask?.id as string);
      expect(Object.fromEntries([...seen].filter(([name]) => name !== 'reviewers').map(([name, v]) => [name, v.value]))).to.deep.equal({
        reviewer: 'bob',
        loopCounter: 1,
        nrOfInstances: 3,
        nrOfActiveInstances: 3,
        nrOfCompletedInstances: 0,
      });
      expect((await engine.runtimeService.getVariables(instance.id)).has('nrOfInstances'), 'the counts are local to the body').to.equal(false);
    });

    it('moves on only once every instance completed, counting them, and records the body with its instances in history', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, reviewPerReviewer('mi_parallel_all'));
      const instance = await engine.runtimeService.startProcessInstanceByKey('mi_parallel_all', { variables: { reviewers: ['ann', 'bob', 'cai'] } });
      // when
      await completeFor(engine, instance.id, 'bob');
      // then
      expect(await assignees(engine, instance.id)).to.deep.equal(['ann', 'cai']);
      const annsTask = (await engine.taskService.listTasks({ processInstanceId: instance.id, assignee: 'ann' }))[0];
      const counts = await engine.taskService.getVariables(annsTask?.id as string);
      expect([counts.get('nrOfCompletedInstances')?.value, counts.get('nrOfActiveInstances')?.value]).to.deep.equal([1, 2]);
      // when
      await completeFor(engine, instance.id, 'ann');
      await completeFor(engine, instance.id, 'cai');
      // then
      expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['after']);
      const rows = await engine.historyService.listActivityInstances({ processInstanceId: instance.id });
      const body = rows.find((r) => r.activityId === 'review#multiInstanceBody');
      expect(body).to.include({ activityType: 'multiInstanceBody', activityName: 'Review', canceled: false, parentActivityInstanceId: instance.id });
      expect(body?.endTime).to.not.equal(null);
      const inner = rows.filter((r) => r.activityId === 'review');
      expect(inner).to.have.length(3);
      expect(inner.every((r) => r.parentActivityInstanceId === body?.id && r.endTime !== null && !r.canceled)).to.equal(true);
      expect(new Set(inner.map((r) => r.taskId)).size, 'each instance has its own task').to.equal(3);
      expect((await engine.taskService.getVariables((await openTask(engine, instance.id, 'after')).id)).has('loopCounter')).to.equal(false);
    });
  });

  describe('sequential', () => {
    it('runs one instance at a time, in collection order, with loopCounter counting up', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, reviewPerReviewer('mi_sequential', 'isSequential="true"'));
      const instance = await engine.runtimeService.startProcessInstanceByKey('mi_sequential', { variables: { reviewers: ['ann', 'bob', 'cai'] } });
      const order: [string, unknown, unknown][] = [];
      for (let step = 0; step < 3; step += 1) {
        // when
        const [task, ...others] = await engine.taskService.listTasks({ processInstanceId: instance.id, taskDefinitionKey: 'review' });
        expect(others, 'one instance at a time').to.deep.equal([]);
        const seen = await engine.taskService.getVariables(task?.id as string);
        order.push([task?.assignee as string, seen.get('loopCounter')?.value, seen.get('nrOfActiveInstances')?.value]);
        await engine.taskService.complete(task?.id as string);
      }
      // then
      expect(order).to.deep.equal([['ann', 0, 1], ['bob', 1, 1], ['cai', 2, 1]]);
      expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['after']);
    });
  });

  describe('loopCardinality', () => {
    it('runs as many instances as a number or an expression says', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, around('mi_fixed', `<userTask id="review">${loop('', { loopCardinality: '2' })}</userTask>`), 'fixed.bpmn');
      await deployProcess(engine, around('mi_computed', `<userTask id="review">${loop('', { loopCardinality: '${copies + 1}' })}</userTask>`), 'computed.bpmn');
      // when
      const fixed = await engine.runtimeService.startProcessInstanceByKey('mi_fixed');
      const computed = await engine.runtimeService.startProcessInstanceByKey('mi_computed', { variables: { copies: 3 } });
      // then
      expect(await openTaskKeys(engine, fixed.id)).to.deep.equal(['review', 'review']);
      expect(await openTaskKeys(engine, computed.id)).to.deep.equal(['review', 'review', 'review', 'review']);
    });

    it('refuses a negative or fractional cardinality, naming the activity, and starts nothing', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, around('mi_bad_cardinality', `<userTask id="review">${loop('', { loopCardinality: '${copies}' })}</userTask>`));
      for (const copies of [-1, 1.5]) {
        // when
        const error = await rejectionOf(engine.runtimeService.startProcessInstanceByKey('mi_bad_cardinality', { variables: { copies } }));
        // then
        expect(error).to.be.instanceOf(ProcessEvaluationError);
        expect(error.message).to.contain("loopCardinality of multi-instance activity 'review' (${copies}) evaluated to");
        expect((await engine.runtimeService.listProcessInstances({ processDefinitionKey: 'mi_bad_cardinality' })).length).to.equal(0);
      }
    });
  });

  describe('completion condition', () => {
    it('或签: the first completion ends the activity and cancels the other instances with their tasks', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, reviewPerReviewer('mi_any', '', '${nrOfCompletedInstances >= 1}'));
      const instance = await engine.runtimeService.startProcessInstanceByKey('mi_any', { variables: { reviewers: ['ann', 'bob', 'cai'] } });
      // when
      await completeFor(engine, instance.id, 'bob');
      // then
      expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['after']);
      const tasks = await engine.historyService.listTasks({ processInstanceId: instance.id, taskDefinitionKey: 'review' });
      expect(tasks.map((t) => [t.assignee, t.deleteReason]).sort()).to.deep.equal([
        ['ann', "completionCondition of 'review'"],
        ['bob', 'completed'],
        ['cai', "completionCondition of 'review'"],
      ]);
      const inner = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'review' });
      expect(inner.map((r) => [r.assignee, r.canceled]).sort()).to.deep.equal([['ann', true], ['bob', false], ['cai', true]]);
      expect(inner.every((r) => r.endTime !== null)).to.equal(true);
      const [body] = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'review#multiInstanceBody' });
      expect(body).to.include({ canceled: false });
      expect(body?.endTime).to.not.equal(null);
    });

    it('ratio signing: two of three approvals (≥ 60%) end the activity', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, reviewPerReviewer('mi_ratio', '', '${nrOfCompletedInstances / nrOfInstances >= 0.6}'));
      const instance = await engine.runtimeService.startProcessInstanceByKey('mi_ratio', { variables: { reviewers: ['ann', 'bob', 'cai'] } });
      // when: one of three is 33%
      await completeFor(engine, instance.id, 'cai');
      // then
      expect(await assignees(engine, instance.id)).to.deep.equal(['ann', 'bob']);
      // when: two of three is 67%
      await completeFor(engine, instance.id, 'ann');
      // then
      expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['after']);
      const cancelled = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'review', canceled: true });
      expect(cancelled.map((r) => r.assignee)).to.deep.equal(['bob']);
    });

    it('sees the variables the completing instance set, so one rejection can end a sequential signing', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, reviewPerReviewer('mi_veto', 'isSequential="true"', '${approved == false}'));
      const instance = await engine.runtimeService.startProcessInstanceByKey('mi_veto', { variables: { reviewers: ['ann', 'bob', 'cai'] } });
      // when
      await completeFor(engine, instance.id, 'ann', { approved: true });
      await completeFor(engine, instance.id, 'bob', { approved: false });
      // then
      expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['after']);
      const started = await engine.historyService.listTasks({ processInstanceId: instance.id, taskDefinitionKey: 'review' });
      expect(started.map((t) => t.assignee), 'the third instance never started').to.deep.equal(['ann', 'bob']);
    });
  });

  describe('no instances', () => {
    it('completes at once for an empty collection or a cardinality of 0', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, reviewPerReviewer('mi_empty'), 'empty.bpmn');
      await deployProcess(engine, around('mi_zero', `<userTask id="review">${loop('isSequential="true"', { loopCardinality: '0' })}</userTask>`), 'zero.bpmn');
      // when
      const empty = await engine.runtimeService.startProcessInstanceByKey('mi_empty', { variables: { reviewers: [] } });
      const zero = await engine.runtimeService.startProcessInstanceByKey('mi_zero');
      // then
      for (const instance of [empty, zero]) {
        expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['after']);
        const rows = await engine.historyService.listActivityInstances({ processInstanceId: instance.id });
        expect(rows.map((r) => r.activityId)).to.deep.equal(['start', 'review#multiInstanceBody', 'after']);
      }
    });
  });

  describe('a bad collection', () => {
    it('fails the command with an error naming the activity when the collection is not a list', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, reviewPerReviewer('mi_not_a_list'));
      // when
      const error = await rejectionOf(engine.runtimeService.startProcessInstanceByKey('mi_not_a_list', { variables: { reviewers: 'ann,bob' } }));
      // then
      expect(error).to.be.instanceOf(ProcessEvaluationError);
      expect(error.message).to.equal("camunda:collection of multi-instance activity 'review' (${reviewers}) evaluated to 'ann,bob', not a list");
    });

    it('reads a collection named by a plain variable name', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, around('mi_variable_name', `
        <userTask id="review" camunda:assignee="\${reviewer}">${loop('camunda:collection="reviewers" camunda:elementVariable="reviewer"')}</userTask>`));
      // when
      const instance = await engine.runtimeService.startProcessInstanceByKey('mi_variable_name', { variables: { reviewers: ['ann', 'bob'] } });
      // then
      expect(await assignees(engine, instance.id)).to.deep.equal(['ann', 'bob']);
    });
  });

  describe('external tasks', () => {
    it('creates an external task per instance; each completion counts, the last moves on', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, around('mi_external', `
        <serviceTask id="review" camunda:type="external" camunda:topic="check">
          ${loop('camunda:collection="${documents}" camunda:elementVariable="document"')}
        </serviceTask>`));
      const instance = await engine.runtimeService.startProcessInstanceByKey('mi_external', { variables: { documents: ['a.pdf', 'b.pdf'] } });
      const locked = await engine.externalTaskService.fetchAndLock({ workerId: 'worker-1', maxTasks: 10, topics: [{ topicName: 'check', lockDuration: 60_000 }] });
      // then
      expect(locked.map((task) => task.variables.get('document')?.value).sort()).to.deep.equal(['a.pdf', 'b.pdf']);
      // when
      await engine.externalTaskService.complete(locked[0]?.id as string, 'worker-1');
      // then
      expect(await openTaskKeys(engine, instance.id)).to.deep.equal([]);
      // when
      await engine.externalTaskService.complete(locked[1]?.id as string, 'worker-1');
      // then
      expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['after']);
    });
  });

  describe('embedded sub-processes', () => {
    it('runs the sub-process once per element, each instance with its own scope and tasks', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, around('mi_sub', `
        <subProcess id="review">
          ${loop('camunda:collection="${cases}" camunda:elementVariable="caseId"')}
          <startEvent id="subStart"/>${flow('subStart', 'inspect')}
          <userTask id="inspect" camunda:assignee="\${caseId}"/>${flow('inspect', 'subEnd')}
          <endEvent id="subEnd"/>
        </subProcess>`));
      const instance = await engine.runtimeService.startProcessInstanceByKey('mi_sub', { variables: { cases: ['c1', 'c2'] } });
      // then
      const tasks = await engine.taskService.listTasks({ processInstanceId: instance.id });
      expect(tasks.map((t) => [t.taskDefinitionKey, t.assignee]).sort()).to.deep.equal([['inspect', 'c1'], ['inspect', 'c2']]);
      // when
      await completeFor(engine, instance.id, 'c2');
      // then
      expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['inspect']);
      // when
      await completeFor(engine, instance.id, 'c1');
      // then
      expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['after']);
      const rows = await engine.historyService.listActivityInstances({ processInstanceId: instance.id });
      const body = rows.find((r) => r.activityId === 'review#multiInstanceBody');
      const subs = rows.filter((r) => r.activityId === 'review');
      expect(subs.map((r) => r.parentActivityInstanceId)).to.deep.equal([body?.id, body?.id]);
      const inspections = rows.filter((r) => r.activityId === 'inspect');
      expect(inspections.map((r) => r.parentActivityInstanceId).sort()).to.deep.equal(subs.map((r) => r.id).sort());
    });
  });

  describe('call activities', () => {
    it('calls a process per element, passing each its element, and moves on once every called instance completed', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, bpmn('mi_called', `
        <startEvent id="childStart"/>${flow('childStart', 'work')}
        <userTask id="work" camunda:assignee="\${worker}"/>${flow('work', 'childEnd')}
        <endEvent id="childEnd"/>`), 'called.bpmn');
      await deployProcess(engine, around('mi_calling', `
        <callActivity id="review" calledElement="mi_called">
          <extensionElements><camunda:in source="reviewer" target="worker"/></extensionElements>
          ${loop('camunda:collection="${reviewers}" camunda:elementVariable="reviewer"')}
        </callActivity>`), 'calling.bpmn');
      const instance = await engine.runtimeService.startProcessInstanceByKey('mi_calling', { variables: { reviewers: ['ann', 'bob'] } });
      const called = (await engine.runtimeService.listProcessInstances({ processDefinitionKey: 'mi_called' })).map((i) => i.id);
      expect(called).to.have.length(2);
      const workFor = async (assignee: string) => (await engine.taskService.listTasks({ processDefinitionKey: 'mi_called', assignee }))[0]?.id as string;
      // when
      await engine.taskService.complete(await workFor('bob'));
      // then
      expect(await openTaskKeys(engine, instance.id)).to.deep.equal([]);
      // when
      await engine.taskService.complete(await workFor('ann'));
      // then
      expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['after']);
      const calls = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'review' });
      expect(calls.map((c) => c.calledProcessInstanceId).sort()).to.deep.equal([...called].sort());
    });
  });

  describe('boundary events', () => {
    it('a timer on the activity cancels every instance at once and takes the boundary path', async () => {
      // given
      const { engine, clock } = fixture();
      await deployProcess(engine, bpmn('mi_timer', `
        <startEvent id="start"/>${flow('start', 'review')}
        <userTask id="review" camunda:assignee="\${reviewer}">
          ${loop('camunda:collection="${reviewers}" camunda:elementVariable="reviewer"')}
        </userTask>${flow('review', 'end')}
        <boundaryEvent id="overdue" attachedToRef="review"><timerEventDefinition><timeDuration>PT4H</timeDuration></timerEventDefinition></boundaryEvent>
        ${flow('overdue', 'escalate')}
        <userTask id="escalate"/>${flow('escalate', 'end2')}
        <endEvent id="end"/><endEvent id="end2"/>`));
      const instance = await engine.runtimeService.startProcessInstanceByKey('mi_timer', { variables: { reviewers: ['ann', 'bob', 'cai'] } });
      await completeFor(engine, instance.id, 'ann');
      const jobs = await engine.managementService.listJobs({ processInstanceId: instance.id });
      expect(jobs, 'one timer for the whole activity').to.have.length(1);
      // when
      clock.advance(4 * HOUR + 1000);
      await engine.jobExecutor.runDueJobs();
      // then
      expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['escalate']);
      const inner = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'review' });
      expect(inner.map((r) => [r.assignee, r.canceled]).sort()).to.deep.equal([['ann', false], ['bob', true], ['cai', true]]);
      const [body] = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'review#multiInstanceBody' });
      expect(body).to.include({ canceled: true });
      expect(await engine.runtimeService.getVariables(instance.id)).to.satisfy((vars: Map<string, unknown>) => !vars.has('nrOfInstances'));
    });

    it('an error thrown by one instance’s worker is caught on the activity and cancels the other instances', async () => {
      // given
      const { engine } = fixture();
      const xml = bpmn('mi_error', `
        <startEvent id="start"/>${flow('start', 'review')}
        <serviceTask id="review" camunda:type="external" camunda:topic="check">${loop('', { loopCardinality: '3' })}</serviceTask>${flow('review', 'end')}
        <boundaryEvent id="rejected" attachedToRef="review"><errorEventDefinition errorRef="invalid"/></boundaryEvent>${flow('rejected', 'fix')}
        <userTask id="fix"/>${flow('fix', 'end2')}
        <endEvent id="end"/><endEvent id="end2"/>`);
      await deployProcess(engine, xml.replace('<process ', '<error id="invalid" errorCode="INVALID"/>\n  <process '));
      const instance = await engine.runtimeService.startProcessInstanceByKey('mi_error');
      const locked = await engine.externalTaskService.fetchAndLock({ workerId: 'worker-1', maxTasks: 10, topics: [{ topicName: 'check', lockDuration: 60_000 }] });
      expect(locked).to.have.length(3);
      // when
      await engine.externalTaskService.handleBpmnError(locked[1]?.id as string, { workerId: 'worker-1', errorCode: 'INVALID' });
      // then
      expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['fix']);
      expect(await engine.externalTaskService.listExternalTasks({ processInstanceId: instance.id })).to.deep.equal([]);
      const inner = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'review' });
      expect(inner.map((r) => r.canceled)).to.deep.equal([true, true, true]);
    });
  });

  describe('around it', () => {
    it('applies output mappings per instance and keeps an inclusive join waiting while instances run', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, bpmn('mi_join', `
        <startEvent id="start"/>${flow('start', 'fork')}
        <inclusiveGateway id="fork"/>${flow('fork', 'review')}${flow('fork', 'other')}
        <userTask id="review" camunda:assignee="\${reviewer}">
          <extensionElements><camunda:inputOutput>
            <camunda:outputParameter name="lastReviewer">\${reviewer}</camunda:outputParameter>
          </camunda:inputOutput></extensionElements>
          ${loop('camunda:collection="${reviewers}" camunda:elementVariable="reviewer"')}
        </userTask>${flow('review', 'join')}
        <userTask id="other"/>${flow('other', 'join')}
        <inclusiveGateway id="join"/>${flow('join', 'after')}
        <userTask id="after"/>`));
      const instance = await engine.runtimeService.startProcessInstanceByKey('mi_join', { variables: { reviewers: ['ann', 'bob'] } });
      // when
      await completeFor(engine, instance.id, 'ann');
      await engine.taskService.complete((await openTask(engine, instance.id, 'other')).id);
      // then
      expect(await openTaskKeys(engine, instance.id), 'the join waits for the running instance').to.deep.equal(['review']);
      expect(await engine.runtimeService.getVariable(instance.id, 'lastReviewer')).to.equal('ann');
      // when
      await completeFor(engine, instance.id, 'bob');
      // then
      expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['after']);
      expect(await engine.runtimeService.getVariable(instance.id, 'lastReviewer')).to.equal('bob');
    });

    it('puts camunda:asyncBefore of the activity before the body and that of the loop before each instance', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, around('mi_async_body', `<userTask id="review" camunda:asyncBefore="true">${loop('', { loopCardinality: '3' })}</userTask>`), 'body.bpmn');
      await deployProcess(engine, around('mi_async_each', `<userTask id="review">${loop('camunda:asyncBefore="true"', { loopCardinality: '3' })}</userTask>`), 'each.bpmn');
      // when
      const body = await engine.runtimeService.startProcessInstanceByKey('mi_async_body');
      const each = await engine.runtimeService.startProcessInstanceByKey('mi_async_each');
      // then
      const jobsAt = async (processInstanceId: string) => (await engine.managementService.listJobs({ processInstanceId })).map((j) => j.activityId);
      expect(await jobsAt(body.id)).to.deep.equal(['review#multiInstanceBody']);
      expect(await jobsAt(each.id)).to.deep.equal(['review', 'review', 'review']);
      // when
      await engine.jobExecutor.runDueJobs();
      // then
      expect(await openTaskKeys(engine, body.id)).to.deep.equal(['review', 'review', 'review']);
      expect(await openTaskKeys(engine, each.id)).to.deep.equal(['review', 'review', 'review']);
    });
  });

  describe('deployment', () => {
    it('refuses standard loops, and loops that say neither or both of how many and over what', async () => {
      // given
      const { engine } = fixture();
      const xml = bpmn('mi_refused', `
        <startEvent id="start"/>${flow('start', 'looped')}
        <userTask id="looped"><standardLoopCharacteristics/></userTask>${flow('looped', 'unbounded')}
        <userTask id="unbounded">${loop('')}</userTask>${flow('unbounded', 'both')}
        <userTask id="both">${loop('camunda:collection="${list}"', { loopCardinality: '2' })}</userTask>${flow('both', 'elementless')}
        <userTask id="elementless">${loop('camunda:elementVariable="item"', { loopCardinality: '2' })}</userTask>${flow('elementless', 'end')}
        <endEvent id="end"/>`);
      // when
      const error = await rejectionOf(deployProcess(engine, xml));
      // then
      expect(error).to.be.instanceOf(ParseError);
      const problems = (error as ParseError).problems.map((p) => [p.elementId, p.message]);
      expect(problems).to.deep.include.members([
        ['looped', "Standard loop characteristics on 'looped' are not supported: use multi-instance (bpmn:multiInstanceLoopCharacteristics) instead"],
        ['unbounded', "Multi-instance activity 'unbounded' needs a loopCardinality or a camunda:collection"],
        ['both', "Multi-instance activity 'both' has both a loopCardinality and a camunda:collection: set only one"],
        ['elementless', "camunda:elementVariable on 'elementless' needs a camunda:collection to take its elements from"],
      ]);
    });
  });

  describe('concurrency', () => {
    it('of two instances completed at once, the counts end right and the activity completes exactly once', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, reviewPerReviewer('mi_race'));
      for (let round = 0; round < 3; round += 1) {
        const instance = await engine.runtimeService.startProcessInstanceByKey('mi_race', { variables: { reviewers: ['ann', 'bob'] } });
        const tasks = await engine.taskService.listTasks({ processInstanceId: instance.id, taskDefinitionKey: 'review' });
        // when
        const outcomes = await Promise.allSettled(tasks.map((task) => engine.taskService.complete(task.id)));
        // then: both succeed one after the other, or one loses the race and retries
        for (const [i, outcome] of outcomes.entries()) {
          if (outcome.status === 'fulfilled') continue;
          expect(outcome.reason, `round ${round}: ${(outcome.reason as Error).message}`).to.be.instanceOf(OptimisticLockingError);
          await engine.taskService.complete(tasks[i]?.id as string);
        }
        expect(await openTaskKeys(engine, instance.id), `round ${round}`).to.deep.equal(['after']);
        const bodies = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'review#multiInstanceBody' });
        expect(bodies.map((b) => b.endTime !== null), `round ${round}`).to.deep.equal([true]);
        const completedCounts = await engine.historyService.listVariableUpdates(instance.id, 'nrOfCompletedInstances');
        expect(completedCounts.map((u) => u.longValue ?? u.textValue).map(Number), `round ${round}`).to.deep.equal([0, 1, 2]);
      }
    });
  });
});
