import { expect } from 'chai';
import { ProcessEvaluationError } from '../../errors/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { bpmn, completeTask, deployProcess, flow, openTaskKeys, rejectionOf } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';

async function joinVisits(engine: ProcessEngine, processInstanceId: string, activityId = 'join') {
  const rows = await engine.historyService.listActivityInstances({ processInstanceId, activityId });
  return { total: rows.length, open: rows.filter((r) => r.endTime === null).length };
}

describeOnDatabases('bpmn/execute - inclusive gateway', (fixture) => {
  describe('fork', () => {
    const dispatch = (key: string) =>
      bpmn(key, `
        <startEvent id="start"/>${flow('start', 'fork')}
        <inclusiveGateway id="fork" default="toDesk"/>
        ${flow('fork', 'police', '${needsPolice}')}
        ${flow('fork', 'fire', '${needsFire}')}
        ${flow('fork', 'ambulance', '${needsAmbulance}')}
        <sequenceFlow id="toDesk" sourceRef="fork" targetRef="desk"/>
        <userTask id="police"/><userTask id="fire"/><userTask id="ambulance"/><userTask id="desk"/>`);

    it('takes every flow whose condition holds', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, dispatch('or_fork_true'));
      // when
      const instance = await engine.runtimeService.startProcessInstanceByKey('or_fork_true', {
        variables: { needsPolice: true, needsFire: false, needsAmbulance: true },
      });
      // then
      expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['ambulance', 'police']);
    });

    it('takes every flow when none has a condition', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, bpmn('or_fork_unconditional', `
        <startEvent id="start"/>${flow('start', 'fork')}
        <inclusiveGateway id="fork"/>${flow('fork', 'log')}${flow('fork', 'police')}${flow('fork', 'fire')}
        <userTask id="log"/><userTask id="police"/><userTask id="fire"/>`));
      // when
      const instance = await engine.runtimeService.startProcessInstanceByKey('or_fork_unconditional');
      // then
      expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['fire', 'log', 'police']);
    });

    it('takes only the default flow when no condition holds', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, dispatch('or_fork_default'));
      // when
      const instance = await engine.runtimeService.startProcessInstanceByKey('or_fork_default', {
        variables: { needsPolice: false, needsFire: false, needsAmbulance: false },
      });
      // then
      expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['desk']);
    });

    it('fails with ENGINE-02004 when no condition holds and there is no default flow', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, bpmn('or_fork_none', `
        <startEvent id="start"/>${flow('start', 'fork')}
        <inclusiveGateway id="fork"/>
        ${flow('fork', 'police', '${needsPolice}')}
        ${flow('fork', 'fire', '${needsFire}')}
        <userTask id="police"/><userTask id="fire"/>`));
      // when
      const error = await rejectionOf(engine.runtimeService.startProcessInstanceByKey('or_fork_none', { variables: { needsPolice: false, needsFire: false } }));
      // then
      expect(error).to.be.instanceOf(ProcessEvaluationError);
      expect(error.message).to.match(/^ENGINE-02004 .*'fork'/);
      expect(await engine.historyService.listProcessInstances({ processDefinitionKey: 'or_fork_none' })).to.deep.equal([]);
    });
  });

  describe('join', () => {
    /** fork → a | b → join → after; each branch taken when its variable is true */
    const twoBranches = (key: string) =>
      bpmn(key, `
        <startEvent id="start"/>${flow('start', 'fork')}
        <inclusiveGateway id="fork"/>${flow('fork', 'a', '${takeA}')}${flow('fork', 'b', '${takeB}')}
        <userTask id="a"/>${flow('a', 'join')}
        <userTask id="b"/>${flow('b', 'join')}
        <inclusiveGateway id="join"/>${flow('join', 'after')}
        <userTask id="after"/>${flow('after', 'end')}
        <endEvent id="end"/>`);

    it('fires right away when only one of two branches was taken', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, twoBranches('or_join_one'));
      const instance = await engine.runtimeService.startProcessInstanceByKey('or_join_one', { variables: { takeA: true, takeB: false } });
      expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['a']);
      // when
      await completeTask(engine, instance.id, 'a');
      // then
      expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['after']);
      expect(await joinVisits(engine, instance.id)).to.deep.equal({ total: 1, open: 0 });
    });

    it('fires within the same command when the only branch taken has no wait state', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, bpmn('or_join_immediate', `
        <startEvent id="start"/>${flow('start', 'fork')}
        <inclusiveGateway id="fork"/>${flow('fork', 'log', '${logIt}')}${flow('fork', 'b', '${takeB}')}
        <task id="log"/>${flow('log', 'join')}
        <userTask id="b"/>${flow('b', 'join')}
        <inclusiveGateway id="join"/>${flow('join', 'after')}
        <userTask id="after"/>`));
      // when
      const instance = await engine.runtimeService.startProcessInstanceByKey('or_join_immediate', { variables: { logIt: true, takeB: false } });
      // then
      expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['after']);
    });

    it('waits for the second token when both branches were taken', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, twoBranches('or_join_both'));
      const instance = await engine.runtimeService.startProcessInstanceByKey('or_join_both', { variables: { takeA: true, takeB: true } });
      // when
      await completeTask(engine, instance.id, 'a');
      // then
      expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['b']);
      expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.include('b').and.not.include('after');
      expect(await joinVisits(engine, instance.id)).to.deep.equal({ total: 1, open: 1 });
      // when
      await completeTask(engine, instance.id, 'b');
      // then
      expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['after']);
      expect(await joinVisits(engine, instance.id)).to.deep.equal({ total: 2, open: 0 });
    });

    it('fires when the other token ended at an end event and can no longer arrive', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, bpmn('or_join_token_ended', `
        <startEvent id="start"/>${flow('start', 'fork')}
        <inclusiveGateway id="fork"/>${flow('fork', 'register')}${flow('fork', 'check')}
        <task id="register"/>${flow('register', 'join')}
        <userTask id="check"/>${flow('check', 'valid')}
        <exclusiveGateway id="valid" default="toJoin"/>
        ${flow('valid', 'dropped', '${duplicate}')}
        <sequenceFlow id="toJoin" sourceRef="valid" targetRef="join"/>
        <endEvent id="dropped"/>
        <inclusiveGateway id="join"/>${flow('join', 'after')}
        <userTask id="after"/>${flow('after', 'end')}
        <endEvent id="end"/>`));
      const instance = await engine.runtimeService.startProcessInstanceByKey('or_join_token_ended');
      expect(await joinVisits(engine, instance.id), 'the register token waits at the join').to.deep.equal({ total: 1, open: 1 });
      // when
      await completeTask(engine, instance.id, 'check', { duplicate: true });
      // then
      expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['after']);
      const [dropped] = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'dropped' });
      expect(dropped?.endTime).to.be.instanceOf(Date);
      expect(await joinVisits(engine, instance.id)).to.deep.equal({ total: 1, open: 0 });
      expect((await engine.historyService.getProcessInstance(instance.id)).state).to.equal('ACTIVE');
    });

    it('is blocked by a token still upstream in a user task until that task is completed', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, bpmn('or_join_upstream', `
        <startEvent id="start"/>${flow('start', 'fork')}
        <inclusiveGateway id="fork"/>${flow('fork', 'join')}${flow('fork', 'prepare')}
        <userTask id="prepare"/>${flow('prepare', 'verify')}
        <userTask id="verify"/>${flow('verify', 'join')}
        <inclusiveGateway id="join"/>${flow('join', 'after')}
        <userTask id="after"/>`));
      const instance = await engine.runtimeService.startProcessInstanceByKey('or_join_upstream');
      // when
      await completeTask(engine, instance.id, 'prepare');
      // then
      expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['verify']);
      expect(await joinVisits(engine, instance.id)).to.deep.equal({ total: 1, open: 1 });
      // when
      await completeTask(engine, instance.id, 'verify');
      // then
      expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['after']);
    });

    it('is blocked by a token inside an embedded sub-process upstream until the sub-process completes', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, bpmn('or_join_subprocess', `
        <startEvent id="start"/>${flow('start', 'fork')}
        <inclusiveGateway id="fork"/>${flow('fork', 'join')}${flow('fork', 'survey')}
        <subProcess id="survey">
          <startEvent id="surveyStart"/>${flow('surveyStart', 'measure')}
          <userTask id="measure"/>${flow('measure', 'surveyEnd')}
          <endEvent id="surveyEnd"/>
        </subProcess>${flow('survey', 'join')}
        <inclusiveGateway id="join"/>${flow('join', 'after')}
        <userTask id="after"/>`));
      const instance = await engine.runtimeService.startProcessInstanceByKey('or_join_subprocess');
      expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['measure']);
      expect(await joinVisits(engine, instance.id)).to.deep.equal({ total: 1, open: 1 });
      // when
      await completeTask(engine, instance.id, 'measure');
      // then
      expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['after']);
      expect(await joinVisits(engine, instance.id)).to.deep.equal({ total: 2, open: 0 });
    });

    it('forks again after joining, by the conditions on its outgoing flows', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, bpmn('or_join_then_fork', `
        <startEvent id="start"/>${flow('start', 'fork')}
        <inclusiveGateway id="fork"/>${flow('fork', 'a')}${flow('fork', 'b')}
        <userTask id="a"/>${flow('a', 'mix')}
        <userTask id="b"/>${flow('b', 'mix')}
        <inclusiveGateway id="mix"/>${flow('mix', 'archive', '${archive}')}${flow('mix', 'escalate', '${escalate}')}${flow('mix', 'notify', '${notify}')}
        <userTask id="archive"/><userTask id="escalate"/><userTask id="notify"/>`));
      const instance = await engine.runtimeService.startProcessInstanceByKey('or_join_then_fork', { variables: { archive: true, escalate: true, notify: false } });
      // when
      await completeTask(engine, instance.id, 'a');
      await completeTask(engine, instance.id, 'b');
      // then
      expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['archive', 'escalate']);
      expect(await joinVisits(engine, instance.id, 'mix')).to.deep.equal({ total: 2, open: 0 });
    });
  });
});
