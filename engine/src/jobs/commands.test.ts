import { expect } from 'chai';
import { bpmn, deployProcess, flow } from '../testing/bpmn.js';
import { describeOnDatabases } from '../testing/databases.js';
import { AcquireJobsCmd } from './commands.js';

describeOnDatabases('jobs - acquisition', (fixture) => {
  /** Two parallel branches, each stopping in front of a task in an asynchronous continuation. */
  async function twoJobsOfOneInstance(key: string, exclusive: boolean): Promise<string> {
    const { engine } = fixture();
    const task = (id: string) => `<task id="${id}" camunda:asyncBefore="true" camunda:exclusive="${exclusive}"/>`;
    await deployProcess(engine, bpmn(key, `
      <startEvent id="start"/>${flow('start', 'fork')}
      <parallelGateway id="fork"/>${flow('fork', 'a')}${flow('fork', 'b')}
      ${task('a')}${flow('a', 'join')}
      ${task('b')}${flow('b', 'join')}
      <parallelGateway id="join"/>${flow('join', 'end')}
      <endEvent id="end"/>`));
    return (await engine.runtimeService.startProcessInstanceByKey(key)).id;
  }

  const acquire = (lockOwner: string, maxJobs: number) =>
    fixture().engine.commandExecutor.execute(new AcquireJobsCmd({ lockOwner, lockTimeMs: 60_000, maxJobs }));

  /** Activities of the jobs of one instance that `lockOwner` acquired (other tests' jobs share the database). */
  async function acquired(lockOwner: string, maxJobs: number, processInstanceId: string): Promise<string[]> {
    const locked = await acquire(lockOwner, maxJobs);
    return locked.filter((job) => job.processInstanceId === processInstanceId).map((job) => job.activityId as string);
  }

  it('does not give another node an exclusive job of an instance while one of its jobs is locked', async () => {
    // given
    const { clock } = fixture();
    const instanceId = await twoJobsOfOneInstance('acq_exclusive', true);
    // when
    const first = await acquired('node-a', 1, instanceId);
    const second = await acquired('node-b', 10, instanceId);
    // then
    expect(first).to.have.length(1);
    expect(second).to.deep.equal([]);
    // when the first node's lock expires (it crashed), the other node may take both
    clock.advance(60_001);
    expect((await acquired('node-b', 10, instanceId)).sort()).to.deep.equal(['a', 'b']);
  });

  it('gives non-exclusive jobs of one instance to different nodes at once', async () => {
    // given
    const instanceId = await twoJobsOfOneInstance('acq_shared', false);
    // when
    const first = await acquired('node-a', 1, instanceId);
    const second = await acquired('node-b', 10, instanceId);
    // then
    expect([...first, ...second].sort()).to.deep.equal(['a', 'b']);
  });

  it('locks each job for one node only when two acquire at the same moment', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('acq_race', `
      <startEvent id="start"/>${flow('start', 'work')}
      <task id="work" camunda:asyncBefore="true"/>${flow('work', 'end')}
      <endEvent id="end"/>`));
    const instances = await Promise.all(Array.from({ length: 20 }, () => engine.runtimeService.startProcessInstanceByKey('acq_race')));
    const ids = new Set(instances.map((i) => i.id));
    // when
    const [a, b] = await Promise.all([acquire('node-a', 15), acquire('node-b', 15)]);
    // then: no job went to both, and together they took all twenty
    const mine = (jobs: { processInstanceId: string | null }[]) => jobs.filter((j) => ids.has(j.processInstanceId as string)).map((j) => j.processInstanceId);
    const all = [...mine(a), ...mine(b)];
    expect(new Set(all).size).to.equal(all.length);
    expect(all.length).to.equal(20);
  });
});
