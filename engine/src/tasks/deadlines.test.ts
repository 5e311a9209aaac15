import { expect } from 'chai';
import { ReplaceCalendarDaysCmd, SaveCalendarCmd } from '../calendar/index.js';
import type { Clock, Command, CommandContext } from '../command/index.js';
import { CreateDictionaryCmd } from '../dictionaries/index.js';
import { ParseError, ProcessEvaluationError } from '../errors/index.js';
import { TASK, type TaskEntity } from '../persistence/index.js';
import { ProcessEngine } from '../services/index.js';
import { bpmn, completeTask, deployProcess, escapeXml, flow, openTask, openTaskKeys, rejectionOf } from '../testing/bpmn.js';
import { describeOnDatabases } from '../testing/databases.js';
import { buildOrganisation } from '../testing/organisation.js';
import { caseLight, extendTaskLimit, parkTaskClocks, resumeTaskClocks, taskClock, type TaskClock } from './deadlines.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** an instant given as China time */
const cst = (local: string) => new Date(`${local}+08:00`);

/** A user task with `yiwang:` time-limit properties. */
function limitedTask(id: string, properties: Record<string, string>, attributes = ''): string {
  const entries = Object.entries(properties).map(([name, value]) => `<camunda:property name="${escapeXml(name)}" value="${escapeXml(value)}"/>`);
  return `<userTask id="${id}" ${attributes}><extensionElements><camunda:properties>${entries.join('')}</camunda:properties></extensionElements></userTask>`;
}

/** start → prepare → review (limited) → after → end */
function reviewProcess(key: string, properties: Record<string, string>, assignee = 'handler'): string {
  return bpmn(key, `
    <startEvent id="start"/>${flow('start', 'prepare')}
    <userTask id="prepare" camunda:assignee="clerk"/>${flow('prepare', 'review')}
    ${limitedTask('review', properties, `camunda:assignee="${assignee}" camunda:dueDate="2030-01-01T00:00:00Z"`)}${flow('review', 'after')}
    <userTask id="after"/>${flow('after', 'end')}
    <endEvent id="end"/>`);
}

function run<T>(engine: ProcessEngine, work: (context: CommandContext) => Promise<T>): Promise<T> {
  const command: Command<T> = { name: 'DeadlineTest', execute: work };
  return engine.commandExecutor.execute(command);
}

/** A clock that stands where the test puts it, so due dates compare to the millisecond. */
class StoppedClock implements Clock {
  private at = new Date();

  now(): Date {
    return this.at;
  }

  /** China time */
  set(local: string): void {
    this.at = cst(local);
  }
}

describeOnDatabases('tasks - deadlines on the working calendar', (databaseFixture) => {
  const clock = new StoppedClock();
  let engine: ProcessEngine;

  before(async () => {
    // an engine of its own on the suite's database, on a clock that does not run
    engine = await ProcessEngine.open({ database: databaseFixture().databaseConfig, clock });
    await engine.commandExecutor.execute(new SaveCalendarCmd({ kind: 'shared' }, {
      name: '默认日历', timeZone: 'Asia/Shanghai', workDays: [1, 2, 3, 4, 5], workHours: [['08:30', '12:00'], ['14:30', '17:30']],
    }));
    await engine.commandExecutor.execute(new ReplaceCalendarDaysCmd({ kind: 'shared' }, 2026, [
      { day: '2026-05-01', kind: 'holiday', name: '劳动节' }, { day: '2026-05-04', kind: 'holiday' }, { day: '2026-05-05', kind: 'holiday' },
      { day: '2026-05-09', kind: 'workday', name: '调休' },
    ]));
    await buildOrganisation(engine, {
      departments: [
        { tenantId: '100000', code: 'office', name: '办公室', leader: 'director' },
        { tenantId: '100000', code: 'team', name: '受理组', parent: 'office', leader: 'lead' },
      ],
      users: [
        { id: 'director', tenantId: '100000', departments: ['office'] },
        { id: 'lead', tenantId: '100000', departments: ['team'] },
        { id: 'handler', tenantId: '100000', departments: ['team'] },
        { id: 'clerk', tenantId: '100000', departments: ['team'] },
      ],
    });
  });

  after(async () => {
    await engine.close();
  });

  /** Starts the process at `local` China time and completes `prepare`: the review task is created then. */
  async function reviewAt(key: string, local: string, variables: Record<string, unknown> = {}): Promise<{ instanceId: string; task: TaskEntity }> {
    clock.set(local);
    const instance = await engine.runtimeService.startProcessInstanceByKey(key, { variables });
    await completeTask(engine, instance.id, 'prepare');
    const { id } = await openTask(engine, instance.id, 'review');
    return { instanceId: instance.id, task: await storedTask(id) };
  }

  const storedTask = async (id: string) => (await run(engine, (context) => context.session.findById(TASK, id))) as TaskEntity;
  const clockOf = (task: TaskEntity, local: string) => run(engine, (context) => taskClock(context, task, cst(local))) as Promise<TaskClock>;
  const deadlineJobs = (instanceId: string) =>
    engine.database.read((sql) => sql.select("SELECT due_date FROM job WHERE process_instance_id = $1 AND handler_type = 'task-deadline' ORDER BY due_date", [instanceId]));
  const notices = (taskId: string) =>
    engine.database.read(async (sql) =>
      (await sql.select("SELECT user_id, kind FROM notification WHERE task_id = $1 AND kind LIKE 'deadline-%' ORDER BY create_time, id", [taskId])).map((row) => `${String(row.kind)}>${String(row.user_id)}`),
    );
  const timeline = (instanceId: string) =>
    engine.database.read(async (sql) =>
      (await sql.select('SELECT operation, user_id FROM case_action WHERE process_instance_id = $1 ORDER BY seq', [instanceId])).map((row) => `${String(row.operation)}:${String(row.user_id)}`),
    );

  it('sets the limit, the warn and due dates on the calendar when the task is created, over lunch, replacing camunda:dueDate', async () => {
    // given
    await deployProcess(engine, reviewProcess('limit_hours', { 'yiwang:timeLimit': 'PT4H' }));
    // when: created Tuesday 10:00; 4 working hours = 2 before lunch, 2 after
    const { instanceId, task } = await reviewAt('limit_hours', '2026-04-14T10:00');
    // then: warn at 80% (3 h 12 min)
    expect(task.timeLimitMs).to.equal(4 * HOUR);
    expect(task.dueDate).to.deep.equal(cst('2026-04-14T16:30'));
    expect(task.warnDate).to.deep.equal(cst('2026-04-14T15:42'));
    expect((await deadlineJobs(instanceId)).length).to.equal(2);
    expect(await clockOf(task, '2026-04-14T15:00')).to.deep.equal({ workingMs: 2.5 * HOUR, limitMs: 4 * HOUR, light: 'green' });
    expect(await clockOf(task, '2026-04-14T16:00')).to.deep.equal({ workingMs: 3.5 * HOUR, limitMs: 4 * HOUR, light: 'yellow' });
    expect(await clockOf(task, '2026-04-15T09:00')).to.deep.equal({ workingMs: 5.5 * HOUR, limitMs: 4 * HOUR, light: 'red' });
  });

  it('counts working days across the weekend, a public holiday and a make-up Saturday (调休), from an expression in hours', async () => {
    // given
    await deployProcess(engine, reviewProcess('limit_expression', { 'yiwang:timeLimit': '${days * 6.5}' }));
    // when: Thursday 30 April 17:00 with 2 working days: 0.5 h Thursday; 1 May, the weekend and 4–5 May off; 6–8 May; Saturday 9 May worked
    const { task } = await reviewAt('limit_expression', '2026-04-30T17:00', { days: 4 });
    // then
    expect(task.timeLimitMs).to.equal(26 * HOUR);
    expect(task.dueDate).to.deep.equal(cst('2026-05-09T17:00'));
  });

  it("takes the limit from the case category's dictionary item, in the task's tenant or the shared dictionary", async () => {
    // given
    await engine.commandExecutor.execute(new CreateDictionaryCmd({
      code: 'deadline-category', name: '案件类别', items: [{ code: 'BJ01', label: '井盖', extra: { handlingLimit: 'P2D' } }, { code: 'BJ02', label: '路灯' }],
    }));
    await deployProcess(engine, reviewProcess('limit_lookup', {
      'yiwang:timeLimit:dictionary': 'deadline-category', 'yiwang:timeLimit:variable': 'category', 'yiwang:timeLimit:field': 'handlingLimit',
    }));
    // when
    const withLimit = await reviewAt('limit_lookup', '2026-04-14T08:30', { category: 'BJ01' });
    const withoutLimit = await reviewAt('limit_lookup', '2026-04-14T08:30', { category: 'BJ02' });
    // then
    expect(withLimit.task.timeLimitMs).to.equal(13 * HOUR);
    expect(withLimit.task.dueDate).to.deep.equal(cst('2026-04-15T17:30'));
    expect(withoutLimit.task).to.include({ timeLimitMs: null, warnDate: null });
    expect(withoutLimit.task.dueDate).to.deep.equal(new Date('2030-01-01T00:00:00Z'));
  });

  it("takes the limit from a path evaluated on the case (yiwang:timeLimit:field `limits.${urgency}`): the category's limit for the urgency tier", async () => {
    // given: categories with a handling limit per tier, one without tier C
    await engine.commandExecutor.execute(new CreateDictionaryCmd({
      code: 'tier-category', name: '案件类别（分级时限）', items: [
        { code: 'SJ01', label: '暴露垃圾', extra: { limits: { A: 'PT2H', B: 'P1D', C: 'P2D' } } },
        { code: 'SJ02', label: '占道经营', extra: { limits: { A: 'PT1H', B: 'PT4H' } } },
      ],
    }));
    await deployProcess(engine, reviewProcess('limit_tier', {
      'yiwang:timeLimit:dictionary': 'tier-category', 'yiwang:timeLimit:variable': 'category', 'yiwang:timeLimit:field': 'limits.${urgency}',
    }));
    // when: Tuesday 08:30
    const urgent = await reviewAt('limit_tier', '2026-04-14T08:30', { category: 'SJ01', urgency: 'A' });
    const important = await reviewAt('limit_tier', '2026-04-14T08:30', { category: 'SJ01', urgency: 'B' });
    const otherCategory = await reviewAt('limit_tier', '2026-04-14T08:30', { category: 'SJ02', urgency: 'B' });
    const noSuchTier = await reviewAt('limit_tier', '2026-04-14T08:30', { category: 'SJ02', urgency: 'C' });
    const noTier = await reviewAt('limit_tier', '2026-04-14T08:30', { category: 'SJ01', urgency: null });
    // then: each from its own category and tier, on the calendar
    expect(urgent.task.timeLimitMs).to.equal(2 * HOUR);
    expect(urgent.task.dueDate).to.deep.equal(cst('2026-04-14T10:30'));
    expect(important.task.timeLimitMs).to.equal(6.5 * HOUR);
    expect(important.task.dueDate).to.deep.equal(cst('2026-04-14T17:30'));
    expect(otherCategory.task.timeLimitMs).to.equal(4 * HOUR);
    expect(otherCategory.task.dueDate).to.deep.equal(cst('2026-04-14T15:00'));
    // and a tier the item has no limit for, or an empty tier, leaves the task without one, as an unknown item does
    for (const { task } of [noSuchTier, noTier]) {
      expect(task).to.include({ timeLimitMs: null, warnDate: null });
      expect(task.dueDate).to.deep.equal(new Date('2030-01-01T00:00:00Z'));
    }
  });

  it('fails the command that creates the task when the field path evaluates to something that is no path, naming the task', async () => {
    // given
    await engine.commandExecutor.execute(new CreateDictionaryCmd({ code: 'tier-category-2', name: '案件类别', items: [{ code: 'SJ01', label: '暴露垃圾', extra: { limits: { A: 'PT2H' } } }] }));
    await deployProcess(engine, reviewProcess('limit_bad_path', {
      'yiwang:timeLimit:dictionary': 'tier-category-2', 'yiwang:timeLimit:variable': 'category', 'yiwang:timeLimit:field': '${tiers}',
    }));
    clock.set('2026-04-14T08:30');
    const instance = await engine.runtimeService.startProcessInstanceByKey('limit_bad_path', { variables: { category: 'SJ01', tiers: { A: 1 } } });
    // when
    const error = await rejectionOf(completeTask(engine, instance.id, 'prepare'));
    // then: as a malformed limit does; the instance still waits at prepare
    expect(error).to.be.instanceOf(ProcessEvaluationError);
    expect(error.message).to.equal("yiwang:timeLimit:field of user task 'review' (${tiers}) must give a dot path of keys, not {\"A\":1}");
    expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['prepare']);
  });

  it('refuses at deploy a field path that does not parse or has an empty key, naming the task', async () => {
    // given
    const xml = bpmn('limit_invalid_paths', `
      <startEvent id="start"/>${flow('start', 'one')}
      ${limitedTask('one', { 'yiwang:timeLimit:dictionary': 'tier-category', 'yiwang:timeLimit:variable': 'category', 'yiwang:timeLimit:field': 'limits.${urgency' })}${flow('one', 'two')}
      ${limitedTask('two', { 'yiwang:timeLimit:dictionary': 'tier-category', 'yiwang:timeLimit:variable': 'category', 'yiwang:timeLimit:field': 'limits..A' })}${flow('two', 'end')}
      <endEvent id="end"/>`);
    // when
    const error = await rejectionOf(deployProcess(engine, xml));
    // then
    expect(error).to.be.instanceOf(ParseError);
    const problems = (error as ParseError).problems.map((problem) => `${problem.elementId}: ${problem.message}`);
    expect(problems).to.have.length(2);
    expect(problems[0]).to.match(/^one: Invalid expression on 'one': /);
    expect(problems[1]).to.equal("two: 'two': yiwang:timeLimit:field 'limits..A' is no path into the item's extra: a dot-separated list of keys, none empty");
  });

  it('announces "approaching" and then "passed" once each, and removes the jobs when the task is completed', async () => {
    // given
    await deployProcess(engine, reviewProcess('limit_jobs', { 'yiwang:timeLimit': 'PT1H', 'yiwang:timeout:action': 'remind' }));
    const { instanceId, task } = await reviewAt('limit_jobs', '2026-04-14T09:00');
    // when
    clock.set('2026-04-14T09:50');
    const approaching = [await engine.jobExecutor.runDueJobs(), await engine.jobExecutor.runDueJobs()];
    clock.set('2026-04-14T10:01');
    const passed = [await engine.jobExecutor.runDueJobs(), await engine.jobExecutor.runDueJobs()];
    // then
    expect(approaching).to.deep.equal([1, 0]);
    expect(passed).to.deep.equal([1, 0]);
    expect(await notices(task.id)).to.deep.equal(['deadline-approaching>handler', 'deadline-passed>handler']);
    // and a second task's jobs go with its completion
    const second = await reviewAt('limit_jobs', '2026-04-14T09:00');
    expect(await deadlineJobs(second.instanceId)).to.have.length(2);
    await completeTask(engine, second.instanceId, 'review');
    expect(await deadlineJobs(second.instanceId)).to.deep.equal([]);
    expect(await deadlineJobs(instanceId)).to.deep.equal([]);
  });

  it('escalates a passed limit to the leader of the handler\'s department, in the timeline', async () => {
    // given
    await deployProcess(engine, reviewProcess('limit_escalate', { 'yiwang:timeLimit': 'PT1H', 'yiwang:timeout:action': 'escalate' }));
    await deployProcess(engine, reviewProcess('limit_escalate_lead', { 'yiwang:timeLimit': 'PT1H', 'yiwang:timeout:action': 'escalate' }, 'lead'));
    const { instanceId, task } = await reviewAt('limit_escalate', '2026-04-14T09:00');
    const leads = await reviewAt('limit_escalate_lead', '2026-04-14T09:00');
    // when
    clock.set('2026-04-14T10:30');
    await engine.jobExecutor.runDueJobs();
    // then: the team's leader; for the leader's own task, the leader above (the three notices are sent
    // at the same instant of the test clock, so their order among themselves is not defined)
    expect(await notices(task.id)).to.have.members(['deadline-approaching>handler', 'deadline-passed>handler', 'deadline-escalated>lead']);
    expect(await notices(leads.task.id)).to.have.members(['deadline-approaching>lead', 'deadline-passed>lead', 'deadline-escalated>director']);
    expect((await timeline(instanceId)).slice(-1)).to.deep.equal(['escalate:null']);
  });

  it('completes the task as the engine when the limit passes (auto-complete), shown as timeout-complete', async () => {
    // given
    await deployProcess(engine, reviewProcess('limit_complete', { 'yiwang:timeLimit': 'PT1H', 'yiwang:timeout:action': 'auto-complete' }));
    const { instanceId } = await reviewAt('limit_complete', '2026-04-14T09:00');
    // when
    clock.set('2026-04-14T10:30');
    await engine.jobExecutor.runDueJobs();
    // then
    expect(await openTaskKeys(engine, instanceId)).to.deep.equal(['after']);
    expect((await timeline(instanceId)).slice(-1)).to.deep.equal(['timeout-complete:null']);
  });

  it('sends the task back to the previous step when the limit passes (auto-return)', async () => {
    // given
    await deployProcess(engine, reviewProcess('limit_return', { 'yiwang:timeLimit': 'PT1H', 'yiwang:timeout:action': 'auto-return' }));
    const { instanceId } = await reviewAt('limit_return', '2026-04-14T09:00');
    // when
    clock.set('2026-04-14T10:30');
    await engine.jobExecutor.runDueJobs();
    // then
    expect(await openTaskKeys(engine, instanceId)).to.deep.equal(['prepare']);
    expect(await deadlineJobs(instanceId)).to.deep.equal([]);
  });

  it('stops the clock while the case is parked: the parked working time moves the due date and is not counted', async () => {
    // given: 4 working hours from Tuesday 08:30, due 14:30+0.5 h = 15:00
    await deployProcess(engine, reviewProcess('limit_parked', { 'yiwang:timeLimit': 'PT4H' }));
    const { instanceId, task } = await reviewAt('limit_parked', '2026-04-14T08:30');
    // when: parked 10:00 to 16:30 (2 + 2 working hours), then again Wednesday 09:00 to 09:30
    clock.set('2026-04-14T10:00');
    await run(engine, (context) => parkTaskClocks(context, instanceId));
    const parkedJobs = await deadlineJobs(instanceId);
    const whileParked = await clockOf(await storedTask(task.id), '2026-04-14T16:00');
    clock.set('2026-04-14T16:30');
    await run(engine, (context) => resumeTaskClocks(context, instanceId));
    clock.set('2026-04-15T09:00');
    await run(engine, (context) => parkTaskClocks(context, instanceId));
    clock.set('2026-04-15T09:30');
    await run(engine, (context) => resumeTaskClocks(context, instanceId));
    const resumed = await storedTask(task.id);
    // then
    expect(parkedJobs).to.deep.equal([]);
    expect(whileParked).to.include({ workingMs: 1.5 * HOUR, light: 'green' });
    expect(resumed).to.include({ parkedAt: null, parkedMs: 4.5 * HOUR });
    expect(resumed.dueDate).to.deep.equal(cst('2026-04-15T10:30'));
    expect((await clockOf(resumed, '2026-04-15T10:00')).workingMs).to.equal(3.5 * HOUR);
    expect(await deadlineJobs(instanceId)).to.have.length(2);
  });

  it('extends the limit by working time and reschedules its jobs; a case shows the worst light of its tasks', async () => {
    // given
    await deployProcess(engine, reviewProcess('limit_extend', { 'yiwang:timeLimit': 'PT1H' }));
    const { instanceId, task } = await reviewAt('limit_extend', '2026-04-14T09:00');
    // when
    clock.set('2026-04-14T09:30');
    await run(engine, async (context) => extendTaskLimit(context, (await context.session.findById(TASK, task.id)) as TaskEntity, 30 * MINUTE));
    const extended = await storedTask(task.id);
    // then
    expect(extended.timeLimitMs).to.equal(90 * MINUTE);
    expect(extended.dueDate).to.deep.equal(cst('2026-04-14T10:30'));
    expect(await deadlineJobs(instanceId)).to.have.length(2);
    const unlimited = { ...extended, timeLimitMs: null };
    expect(caseLight([extended, unlimited], cst('2026-04-14T10:20'))).to.equal('yellow');
    expect(caseLight([extended, unlimited], cst('2026-04-14T10:31'))).to.equal('red');
    expect(caseLight([unlimited], cst('2026-04-14T10:31'))).to.equal(null);
  });

  it('runs a deadline that came due while the engine was stopped once, after the restart', async () => {
    // given
    const { databaseConfig } = databaseFixture();
    await deployProcess(engine, reviewProcess('limit_restart', { 'yiwang:timeLimit': 'PT1H', 'yiwang:timeout:action': 'auto-complete' }));
    const { instanceId, task } = await reviewAt('limit_restart', '2026-04-14T09:00');
    // when: the engine is down over the whole limit; a new engine on the same database takes over
    await engine.close();
    clock.set('2026-04-14T14:00');
    engine = await ProcessEngine.open({ database: databaseConfig, clock });
    const runs = [await engine.jobExecutor.runDueJobs(), await engine.jobExecutor.runDueJobs()];
    // then: approaching and passed, each once (with the due jobs of earlier tests); the task was completed once
    expect(runs[0]).to.be.at.least(2);
    expect(runs[1]).to.equal(0);
    // members, not order: the frozen clock gives both notices one create_time, and ids do not sort by time
    expect(await notices(task.id)).to.have.members(['deadline-approaching>handler', 'deadline-passed>handler']);
    expect(await openTaskKeys(engine, instanceId)).to.deep.equal(['after']);
  });
});
