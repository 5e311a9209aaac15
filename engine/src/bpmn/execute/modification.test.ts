import { expect } from 'chai';
import type { Command, CommandContext } from '../../command/index.js';
import { BadUserRequestError, ConflictError } from '../../errors/index.js';
import { TASK } from '../../persistence/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { bpmn, deployProcess, flow, openTask, openTaskKeys, rejectionOf } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { taskHistoryOf, tokensOf } from '../../testing/tokens.js';
import { moveToken, planMove } from './modification.js';
import { InstanceRuntime } from './runtime.js';

/** Moves the token of an open task to `targetActivityId`, as the task operations do. */
class MoveCmd implements Command<void> {
  readonly name = 'Move';
  constructor(
    private readonly taskId: string,
    private readonly targetActivityId: string,
  ) {}
  async execute(context: CommandContext): Promise<void> {
    const task = await context.session.findById(TASK, this.taskId);
    const runtime = await InstanceRuntime.load(context, task!.processInstanceId);
    await moveToken(runtime, planMove(runtime, runtime.execution(task!.executionId), this.targetActivityId), 'moved');
  }
}

/** a → fork → [b1 (with a timer boundary) | c1] → join → d; a sub-process after d */
const PROCESS = bpmn('md_process', `
  <startEvent id="start"/>${flow('start', 'a')}
  <userTask id="a"/>${flow('a', 'fork')}
  <parallelGateway id="fork"/>${flow('fork', 'b1')}${flow('fork', 'c1')}
  <userTask id="b1"/>${flow('b1', 'join')}
  <boundaryEvent id="late" attachedToRef="b1"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></boundaryEvent>${flow('late', 'lateEnd')}
  <endEvent id="lateEnd"/>
  <userTask id="c1"/>${flow('c1', 'join')}
  <parallelGateway id="join"/>${flow('join', 'd')}
  <userTask id="d"/>${flow('d', 'sub')}
  <subProcess id="sub">
    <startEvent id="sub_start"/>${flow('sub_start', 's1')}
    <userTask id="s1"/>${flow('s1', 'sub_end')}
    <endEvent id="sub_end"/>
  </subProcess>${flow('sub', 'end')}
  <endEvent id="end"/>`);

describeOnDatabases('bpmn/execute/modification - moving a token inside a running instance', (fixture) => {
  let engine: ProcessEngine;

  before(async () => {
    engine = fixture().engine;
    await deployProcess(engine, PROCESS);
  });

  const atBranches = async () => {
    const id = (await engine.runtimeService.startProcessInstanceByKey('md_process')).id;
    await engine.taskService.complete((await openTask(engine, id, 'a')).id);
    return id;
  };
  const move = async (id: string, from: string, to: string) => engine.commandExecutor.execute(new MoveCmd((await openTask(engine, id, from)).id, to));
  const jobsOf = (id: string) => engine.database.read((sql) => sql.select('SELECT activity_id FROM job WHERE process_instance_id = $1', [id]));

  it('cancels the task, its boundary timer and its visit in history, and enters the target as if a token arrived', async () => {
    const id = await atBranches();
    const b1 = await openTask(engine, id, 'b1');
    expect(await jobsOf(id)).to.have.length(1);
    await move(id, 'b1', 'a');
    expect(await tokensOf(engine, id)).to.deep.equal(['a']);
    expect(await jobsOf(id)).to.deep.equal([]);
    expect((await taskHistoryOf(engine, id)).find((t) => t.id === b1.id)?.deleteReason).to.equal('moved');
    const visits = await engine.historyService.listActivityInstances({ processInstanceId: id, activityId: 'b1' });
    expect(visits.map((v) => [v.canceled, v.endTime !== null])).to.deep.equal([[true, true]]);
    expect((await engine.historyService.listActivityInstances({ processInstanceId: id, activityId: 'a', finished: false }))).to.have.length(1);
  });

  it('refuses a target inside a sub-process the token is not in', async () => {
    const id = await atBranches();
    const error = await rejectionOf(move(id, 'b1', 's1'));
    expect(error).to.be.instanceOf(BadUserRequestError);
    expect(error.message).to.contain("sub-process 'sub'");
    expect(await tokensOf(engine, id)).to.deep.equal(['b1', 'c1']);
  });

  it('refuses a move out of one parallel branch past the join: the other branch would wait there for ever', async () => {
    const id = await atBranches();
    const error = await rejectionOf(move(id, 'b1', 'd'));
    expect(error).to.be.instanceOf(ConflictError);
    expect(error.message).to.contain("parallel gateway 'join'");
    expect(await openTaskKeys(engine, id)).to.deep.equal(['b1', 'c1']);
  });

  it('refuses a move into the other parallel branch', async () => {
    const id = await atBranches();
    await engine.taskService.complete((await openTask(engine, id, 'c1')).id);
    expect(await rejectionOf(move(id, 'b1', 'c1'))).to.be.instanceOf(ConflictError);
  });

  it('refuses what is no activity to move to', async () => {
    const id = await atBranches();
    expect(await rejectionOf(move(id, 'b1', 'nowhere'))).to.be.instanceOf(BadUserRequestError);
    expect(await rejectionOf(move(id, 'b1', 'late'))).to.be.instanceOf(BadUserRequestError);
  });

  it('out of a sub-process to an earlier step cancels the sub-process; from after the join into a branch counts the other as arrived', async () => {
    const id = await atBranches();
    await engine.taskService.complete((await openTask(engine, id, 'b1')).id);
    await engine.taskService.complete((await openTask(engine, id, 'c1')).id);
    await engine.taskService.complete((await openTask(engine, id, 'd')).id);
    expect(await tokensOf(engine, id)).to.deep.equal(['s1', 'sub']);
    await move(id, 's1', 'c1');
    expect(await tokensOf(engine, id)).to.deep.equal(['c1', 'join:JOINING']);
    await engine.taskService.complete((await openTask(engine, id, 'c1')).id);
    expect(await tokensOf(engine, id)).to.deep.equal(['d']);
  });
});
