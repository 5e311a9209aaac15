import { expect } from 'chai';
import { BadUserRequestError } from '../../errors/index.js';
import { ProcessEngine } from '../../services/index.js';
import { bpmn, completeTask, countRows, deployProcess, flow, openTaskKeys, rejectionOf } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';

const HOUR = 3_600_000;

function timer(kind: 'timeDuration' | 'timeDate' | 'timeCycle', text: string): string {
  return `<timerEventDefinition><${kind}>${text}</${kind}></timerEventDefinition>`;
}

describeOnDatabases('bpmn/execute - timers', (fixture) => {
  const jobsOf = (processInstanceId: string) => fixture().engine.managementService.listJobs({ processInstanceId });

  it('waits at an intermediate timer until it is due, then moves on', async () => {
    // given
    const { engine, clock } = fixture();
    await deployProcess(engine, bpmn('tm_catch', `
      <startEvent id="start"/>${flow('start', 'wait')}
      <intermediateCatchEvent id="wait">${timer('timeDuration', 'PT2H')}</intermediateCatchEvent>${flow('wait', 'review')}
      <userTask id="review"/>${flow('review', 'end')}
      <endEvent id="end"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('tm_catch');
    const [job] = await jobsOf(instance.id);
    // when: not yet due
    clock.advance(HOUR);
    await engine.jobExecutor.runDueJobs();
    // then
    expect(await openTaskKeys(engine, instance.id)).to.deep.equal([]);
    expect(job?.dueDate?.getTime()).to.be.closeTo(clock.now().getTime() + HOUR, 1000);
    // when: due
    clock.advance(HOUR + 1000);
    await engine.jobExecutor.runDueJobs();
    // then
    expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['review']);
    expect(await jobsOf(instance.id)).to.deep.equal([]);
    const [waited] = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'wait' });
    expect(waited).to.include({ activityType: 'intermediateTimer', canceled: false });
    expect(waited?.endTime).to.not.equal(null);
  });

  it('cancels a user task when its interrupting boundary timer fires and follows the escalation path', async () => {
    // given
    const { engine, clock } = fixture();
    await deployProcess(engine, bpmn('tm_boundary', `
      <startEvent id="start"/>${flow('start', 'handle')}
      <userTask id="handle"/>${flow('handle', 'end')}
      <boundaryEvent id="overdue" attachedToRef="handle">${timer('timeDuration', 'PT4H')}</boundaryEvent>${flow('overdue', 'escalate')}
      <userTask id="escalate"/>${flow('escalate', 'end2')}
      <endEvent id="end"/><endEvent id="end2"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('tm_boundary');
    // when
    clock.advance(4 * HOUR + 1000);
    await engine.jobExecutor.runDueJobs();
    // then
    expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['escalate']);
    const [cancelledTask] = await engine.historyService.listTasks({ processInstanceId: instance.id, taskDefinitionKey: 'handle' });
    expect(cancelledTask?.deleteReason).to.contain('overdue');
    const [handle] = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'handle' });
    expect(handle?.canceled).to.equal(true);
    const [overdue] = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'overdue' });
    expect(overdue?.activityType).to.equal('boundaryTimer');
  });

  it('removes the boundary timer when the task is completed in time', async () => {
    // given
    const { engine, clock } = fixture();
    await deployProcess(engine, bpmn('tm_in_time', `
      <startEvent id="start"/>${flow('start', 'handle')}
      <userTask id="handle"/>${flow('handle', 'end')}
      <boundaryEvent id="overdue" attachedToRef="handle">${timer('timeDuration', 'PT4H')}</boundaryEvent>${flow('overdue', 'late')}
      <endEvent id="end"/><endEvent id="late"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('tm_in_time');
    expect(await jobsOf(instance.id)).to.have.length(1);
    // when
    await completeTask(engine, instance.id, 'handle');
    clock.advance(5 * HOUR);
    await engine.jobExecutor.runDueJobs();
    // then
    expect(await jobsOf(instance.id)).to.deep.equal([]);
    const [historic] = await engine.historyService.listProcessInstances({ processInstanceId: instance.id });
    expect(historic).to.include({ state: 'COMPLETED', endActivityId: 'end' });
  });

  it('sends a reminder per cycle with a non-interrupting boundary timer while the task stays open', async () => {
    // given
    const { engine, clock } = fixture();
    await deployProcess(engine, bpmn('tm_remind', `
      <startEvent id="start"/>${flow('start', 'handle')}
      <userTask id="handle"/>${flow('handle', 'end')}
      <boundaryEvent id="remind" attachedToRef="handle" cancelActivity="false">${timer('timeCycle', 'R2/PT1H')}</boundaryEvent>${flow('remind', 'reminder')}
      <userTask id="reminder"/>${flow('reminder', 'reminded')}
      <endEvent id="end"/><endEvent id="reminded"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('tm_remind');
    // when: two cycles pass, one at a time
    for (let cycle = 0; cycle < 2; cycle += 1) {
      clock.advance(HOUR + 1000);
      await engine.jobExecutor.runDueJobs();
    }
    // then: two reminders, the task still open, the cycle used up
    expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['handle', 'reminder', 'reminder']);
    expect(await jobsOf(instance.id)).to.deep.equal([]);
  });

  it('fires a missed cycle once after a downtime instead of once per missed occurrence', async () => {
    // given
    const { engine, clock } = fixture();
    await deployProcess(engine, bpmn('tm_downtime', `
      <startEvent id="start"/>${flow('start', 'handle')}
      <userTask id="handle"/>${flow('handle', 'end')}
      <boundaryEvent id="remind" attachedToRef="handle" cancelActivity="false">${timer('timeCycle', 'R/PT1H')}</boundaryEvent>${flow('remind', 'reminder')}
      <userTask id="reminder"/>${flow('reminder', 'reminded')}
      <endEvent id="end"/><endEvent id="reminded"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('tm_downtime');
    // when: five hours pass without the job executor running
    clock.advance(5 * HOUR + 1000);
    await engine.jobExecutor.runDueJobs();
    // then
    expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['handle', 'reminder']);
    const [next] = await jobsOf(instance.id);
    expect(next?.dueDate?.getTime()).to.be.greaterThan(clock.now().getTime());
    expect(next?.firedCount).to.equal(1);
  });

  it('cancels everything inside a sub-process when its boundary timer fires', async () => {
    // given
    const { engine, clock } = fixture();
    await deployProcess(engine, bpmn('tm_sub', `
      <startEvent id="start"/>${flow('start', 'sub')}
      <subProcess id="sub">
        <startEvent id="subStart"/>${flow('subStart', 'fork')}
        <parallelGateway id="fork"/>${flow('fork', 'a')}${flow('fork', 'b')}
        <userTask id="a"/>${flow('a', 'join')}
        <userTask id="b"/>${flow('b', 'join')}
        <parallelGateway id="join"/>${flow('join', 'subEnd')}
        <endEvent id="subEnd"/>
      </subProcess>${flow('sub', 'end')}
      <boundaryEvent id="deadline" attachedToRef="sub">${timer('timeDuration', 'P1D')}</boundaryEvent>${flow('deadline', 'late')}
      <endEvent id="end"/><endEvent id="late"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('tm_sub');
    await completeTask(engine, instance.id, 'a');
    // when
    clock.advance(24 * HOUR + 1000);
    await engine.jobExecutor.runDueJobs();
    // then
    const [historic] = await engine.historyService.listProcessInstances({ processInstanceId: instance.id });
    expect(historic).to.include({ state: 'COMPLETED', endActivityId: 'late' });
    expect(await engine.taskService.listTasks({ processInstanceId: instance.id })).to.deep.equal([]);
    const cancelled = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, canceled: true });
    expect(cancelled.map((a) => a.activityId).sort()).to.deep.equal(['b', 'join', 'sub']);
  });

  it('takes a due date from a date variable and a duration from an expression', async () => {
    // given
    const { engine, clock } = fixture();
    await deployProcess(engine, bpmn('tm_expr', `
      <startEvent id="start"/>${flow('start', 'fork')}
      <parallelGateway id="fork"/>${flow('fork', 'untilDate')}${flow('fork', 'forDuration')}
      <intermediateCatchEvent id="untilDate">${timer('timeDate', '${deadline}')}</intermediateCatchEvent>${flow('untilDate', 'endA')}
      <intermediateCatchEvent id="forDuration">${timer('timeDuration', 'PT${hours}H')}</intermediateCatchEvent>${flow('forDuration', 'endB')}
      <endEvent id="endA"/><endEvent id="endB"/>`));
    const deadline = new Date(clock.now().getTime() + 3 * HOUR);
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('tm_expr', { variables: { deadline, hours: 5 } });
    // then
    const jobs = await jobsOf(instance.id);
    const due = Object.fromEntries(jobs.map((j) => [j.activityId, j.dueDate?.getTime()]));
    expect(due.untilDate).to.equal(deadline.getTime());
    expect(due.forDuration).to.be.closeTo(clock.now().getTime() + 5 * HOUR, 1000);
  });

  it('refuses a timer expression that evaluates to an invalid duration and writes nothing', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('tm_bad_expr', `
      <startEvent id="start"/>${flow('start', 'wait')}
      <intermediateCatchEvent id="wait">${timer('timeDuration', '${wait}')}</intermediateCatchEvent>${flow('wait', 'end')}
      <endEvent id="end"/>`));
    const before = await countRows(engine);
    // when
    const error = await rejectionOf(engine.runtimeService.startProcessInstanceByKey('tm_bad_expr', { variables: { wait: 'two hours' } }));
    // then
    expect(error).to.be.instanceOf(BadUserRequestError);
    expect(error.message).to.contain("timer 'wait'").and.to.contain('two hours');
    expect(await countRows(engine)).to.deep.equal(before);
  });

  it('starts instances from a timer start event on its cycle, and a new version takes the timer over', async () => {
    // given
    const { engine, clock } = fixture();
    const process = (version: string) => bpmn('tm_start', `
      <startEvent id="daily">${timer('timeCycle', 'R/PT24H')}</startEvent>${flow('daily', 'inspect')}
      <userTask id="inspect" name="${version}"/>${flow('inspect', 'end')}
      <endEvent id="end"/>`);
    const v1 = await deployProcess(engine, process('v1'));
    expect(await engine.managementService.listJobs({ processDefinitionId: v1 })).to.have.length(1);
    // when: the first cycle passes
    clock.advance(24 * HOUR + 1000);
    await engine.jobExecutor.runDueJobs();
    // then
    expect(await engine.runtimeService.countProcessInstances({ processDefinitionId: v1 })).to.equal(1);
    // when: a new version is deployed and another cycle passes
    const v2 = await deployProcess(engine, process('v2'));
    clock.advance(24 * HOUR + 1000);
    await engine.jobExecutor.runDueJobs();
    // then
    expect(await engine.managementService.listJobs({ processDefinitionId: v1 })).to.deep.equal([]);
    expect(await engine.managementService.listJobs({ processDefinitionId: v2 })).to.have.length(1);
    expect(await engine.runtimeService.countProcessInstances({ processDefinitionId: v1 })).to.equal(1);
    expect(await engine.runtimeService.countProcessInstances({ processDefinitionId: v2 })).to.equal(1);
  });

  it('schedules a cron timer start event at its next occurrence in the engine\'s time zone', async () => {
    // given: the engine reads timers in UTC (the process's zone on this machine, as no zone is configured)
    const { engine } = fixture();
    // when: a weekday-morning inspection round is deployed
    const definitionId = await deployProcess(engine, bpmn('tm_cron', `
      <startEvent id="morning">${timer('timeCycle', '0 30 8 ? * MON-FRI')}</startEvent>${flow('morning', 'round')}
      <userTask id="round"/>${flow('round', 'end')}
      <endEvent id="end"/>`));
    // then
    const [job] = await engine.managementService.listJobs({ processDefinitionId: definitionId });
    const due = job?.dueDate as Date;
    const local = new Date(due.getTime() - due.getTimezoneOffset() * 60_000);
    expect([local.getUTCHours(), local.getUTCMinutes(), local.getUTCSeconds()]).to.deep.equal([8, 30, 0]);
    expect(local.getUTCDay()).to.be.within(1, 5);
    expect(due.getTime()).to.be.greaterThan(fixture().clock.now().getTime());
    expect(due.getTime() - fixture().clock.now().getTime()).to.be.at.most(4 * 24 * HOUR);
  });

  it('refuses to start a process that has only a timer start event by key', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('tm_timer_only', `
      <startEvent id="tick">${timer('timeCycle', 'R/PT1H')}</startEvent>${flow('tick', 'end')}
      <endEvent id="end"/>
      <startEvent id="tock">${timer('timeCycle', 'R/PT2H')}</startEvent>${flow('tock', 'end')}`));
    // when
    const error = await rejectionOf(engine.runtimeService.startProcessInstanceByKey('tm_timer_only'));
    // then
    expect(error).to.be.instanceOf(BadUserRequestError);
    expect(error.message).to.contain('no none start event');
  });
});

describeOnDatabases('jobs - failures, retries and incidents', (fixture) => {
  /** A timer leading to a gateway whose condition reads a variable the instance lacks: the job fails. */
  async function failingTimerInstance(key: string, retryCycle?: string): Promise<string> {
    const { engine, clock } = fixture();
    const retry = retryCycle ? `<extensionElements><camunda:failedJobRetryTimeCycle>${retryCycle}</camunda:failedJobRetryTimeCycle></extensionElements>` : '';
    await deployProcess(engine, bpmn(key, `
      <startEvent id="start"/>${flow('start', 'check')}
      <task id="check" camunda:asyncBefore="true">${retry}</task>${flow('check', 'decide')}
      <exclusiveGateway id="decide"/>${flow('decide', 'end', '${approved}')}
      <endEvent id="end"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey(key);
    clock.advance(1000);
    return instance.id;
  }

  it('retries a failing job three times, then raises an incident; new retries resolve it', async () => {
    // given
    const { engine } = fixture();
    const instanceId = await failingTimerInstance('job_fail');
    // when
    await engine.jobExecutor.runDueJobs();
    // then
    const [job] = await engine.managementService.listJobs({ processInstanceId: instanceId });
    expect(job).to.include({ retries: 0, activityId: 'check' });
    expect(job?.exceptionMessage).to.contain('approved');
    const [incident] = await engine.managementService.listIncidents({ processInstanceId: instanceId });
    expect(incident).to.include({ incidentType: 'failedJob', configuration: job?.id, activityId: 'check' });
    // when: the cause is fixed and the job gets a retry
    await engine.runtimeService.setVariables(instanceId, { approved: true });
    await engine.managementService.setJobRetries(job?.id as string, 1);
    // then
    expect(await engine.managementService.listIncidents({ processInstanceId: instanceId })).to.deep.equal([]);
    await engine.jobExecutor.runDueJobs();
    const [historic] = await engine.historyService.listProcessInstances({ processInstanceId: instanceId });
    expect(historic).to.include({ state: 'COMPLETED' });
  });

  it('waits between retries as camunda:failedJobRetryTimeCycle says', async () => {
    // given
    const { engine, clock } = fixture();
    const instanceId = await failingTimerInstance('job_retry_cycle', 'R5/PT10M');
    // when
    await engine.jobExecutor.runDueJobs();
    // then: one failure, four retries left, due in ten minutes
    const [job] = await engine.managementService.listJobs({ processInstanceId: instanceId });
    expect(job?.retries).to.equal(4);
    expect(job?.dueDate?.getTime()).to.be.closeTo(clock.now().getTime() + 10 * 60_000, 1000);
    expect(await engine.managementService.listIncidents({ processInstanceId: instanceId })).to.deep.equal([]);
  });

  it('runs a job by hand and reports its failure to the caller, costing a retry', async () => {
    // given
    const { engine } = fixture();
    const instanceId = await failingTimerInstance('job_by_hand');
    const [job] = await engine.managementService.listJobs({ processInstanceId: instanceId });
    // when
    const error = await rejectionOf(engine.managementService.executeJob(job?.id as string));
    // then
    expect(error.message).to.contain('approved');
    const [after] = await engine.managementService.listJobs({ processInstanceId: instanceId });
    expect(after?.retries).to.equal(2);
  });

  it('fires a timer that came due while the engine was stopped once, after the restart', async () => {
    // given
    const { engine, clock, databaseConfig } = fixture();
    await deployProcess(engine, bpmn('job_restart', `
      <startEvent id="start"/>${flow('start', 'wait')}
      <intermediateCatchEvent id="wait">${timer('timeDuration', 'PT1H')}</intermediateCatchEvent>${flow('wait', 'review')}
      <userTask id="review"/>${flow('review', 'end')}
      <endEvent id="end"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('job_restart');
    // when: a second engine on the same database takes over after the timer came due
    clock.advance(3 * HOUR);
    await engine.close();
    const restarted = await ProcessEngine.open({ database: databaseConfig, clock });
    try {
      const first = await restarted.jobExecutor.runDueJobs();
      const second = await restarted.jobExecutor.runDueJobs();
      // then
      expect(first).to.be.at.least(1);
      expect(second).to.equal(0);
      expect(await openTaskKeys(restarted, instance.id)).to.deep.equal(['review']);
    } finally {
      await restarted.close();
    }
  });
});
