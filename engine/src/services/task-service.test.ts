import { expect } from 'chai';
import { BadUserRequestError } from '../errors/index.js';
import { bpmn, deployProcess, flow, rejectionOf } from '../testing/bpmn.js';
import { describeOnDatabases } from '../testing/databases.js';
import type { TaskQuery } from './index.js';

/** One user task whose name, candidates, due date and priority come from start variables. */
function inbox(key: string): string {
  return bpmn(key, `
      <startEvent id="start"/>${flow('start', 'inspect')}
      <userTask id="inspect" name="\${title}" camunda:candidateGroups="\${groups}" camunda:candidateUsers="\${users}"
        camunda:dueDate="\${due}" camunda:priority="\${priority}"/>${flow('inspect', 'end')}
      <endEvent id="end"/>`);
}

interface TaskSpec {
  readonly title: string;
  readonly groups?: string;
  readonly users?: string;
  readonly due?: Date | null;
  readonly priority?: number;
  readonly assignee?: string;
}

describeOnDatabases('services - task queries', (fixture) => {
  /** Deploys the inbox process under `key` and starts one instance per spec; returns task ids by title. */
  async function tasks(key: string, specs: TaskSpec[]): Promise<Map<string, string>> {
    const { engine } = fixture();
    await deployProcess(engine, inbox(key), `${key}.bpmn`);
    const ids = new Map<string, string>();
    for (const spec of specs) {
      const instance = await engine.runtimeService.startProcessInstanceByKey(key, {
        variables: { title: spec.title, groups: spec.groups ?? '', users: spec.users ?? '', due: spec.due ?? null, priority: spec.priority ?? 50 },
      });
      const [task] = await engine.taskService.listTasks({ processInstanceId: instance.id });
      if (spec.assignee) await engine.taskService.setAssignee(task!.id, spec.assignee);
      ids.set(spec.title, task!.id);
    }
    return ids;
  }

  async function titles(query: TaskQuery): Promise<(string | null)[]> {
    return (await fixture().engine.taskService.listTasks(query)).map((t) => t.name);
  }

  it('sorts by priority both ways and pages, while the count ignores paging', async () => {
    // given
    const key = 'tq_paging';
    await tasks(key, [30, 90, 10, 70, 50].map((priority) => ({ title: `p${priority}`, priority })));
    const { taskService } = fixture().engine;
    // when
    const descending = await titles({ processDefinitionKey: key, sortBy: 'priority', sortOrder: 'desc' });
    const ascending = await titles({ processDefinitionKey: key, sortBy: 'priority' });
    const page = await titles({ processDefinitionKey: key, sortBy: 'priority', sortOrder: 'desc', firstResult: 1, maxResults: 2 });
    const beyond = await titles({ processDefinitionKey: key, sortBy: 'priority', firstResult: 5 });
    // then
    expect(descending).to.deep.equal(['p90', 'p70', 'p50', 'p30', 'p10']);
    expect(ascending).to.deep.equal(['p10', 'p30', 'p50', 'p70', 'p90']);
    expect(page).to.deep.equal(['p70', 'p50']);
    expect(beyond).to.deep.equal([]);
    expect(await taskService.countTasks({ processDefinitionKey: key, firstResult: 1, maxResults: 2 })).to.equal(5);
    expect(await titles({ processDefinitionKey: key, sortBy: 'name', sortOrder: 'desc', maxResults: 2 })).to.deep.equal(['p90', 'p70']);
  });

  it('finds the tasks a group or user may claim, and assigned ones only when asked', async () => {
    // given
    const key = 'tq_candidates';
    await tasks(key, [
      { title: 'open-inspectors', groups: 'inspectors' },
      { title: 'for-alice-and-bob', users: 'alice, bob' },
      { title: 'claimed-inspectors', groups: 'inspectors', assignee: 'carol' },
      { title: 'open-managers', groups: 'managers,inspectors-east' },
    ]);
    const { taskService } = fixture().engine;
    const sorted = { processDefinitionKey: key, sortBy: 'name' } as const;
    // when / then
    expect(await titles({ ...sorted, candidateGroup: 'inspectors' })).to.deep.equal(['open-inspectors']);
    expect(await titles({ ...sorted, candidateGroup: 'inspectors', includeAssignedTasks: true })).to.deep.equal(['claimed-inspectors', 'open-inspectors']);
    expect(await titles({ ...sorted, candidateGroups: ['inspectors', 'managers'] })).to.deep.equal(['open-inspectors', 'open-managers']);
    expect(await titles({ ...sorted, candidateUser: 'alice' })).to.deep.equal(['for-alice-and-bob']);
    expect(await titles({ ...sorted, candidateUser: 'bob' })).to.deep.equal(['for-alice-and-bob']);
    expect(await titles({ ...sorted, candidateUser: 'carol' })).to.deep.equal([]);
    expect(await titles({ ...sorted, candidateUser: 'alice', candidateGroup: 'managers' })).to.deep.equal(['for-alice-and-bob', 'open-managers']);
    expect(await titles({ ...sorted, assignee: 'carol' })).to.deep.equal(['claimed-inspectors']);
    expect(await titles({ ...sorted, unassigned: true })).to.deep.equal(['for-alice-and-bob', 'open-inspectors', 'open-managers']);
    expect(await taskService.countTasks({ processDefinitionKey: key, candidateGroup: 'inspectors', includeAssignedTasks: true })).to.equal(2);
  });

  it('keeps the candidates of a task, and drops them when the task is completed', async () => {
    // given
    const key = 'tq_candidate_rows';
    const ids = await tasks(key, [{ title: 'both', users: 'alice', groups: 'inspectors,managers' }]);
    const { taskService } = fixture().engine;
    const taskId = ids.get('both')!;
    // when
    const candidates = await taskService.getCandidates(taskId);
    await taskService.complete(taskId);
    // then
    expect(candidates.map((c) => `${c.userId ?? ''}/${c.groupId ?? ''}`)).to.have.members(['alice/', '/inspectors', '/managers']);
    expect(await taskService.getCandidates(taskId)).to.deep.equal([]);
    expect(await taskService.countTasks({ candidateUser: 'alice', processDefinitionKey: key })).to.equal(0);
  });

  it('filters by due date before and after, leaving out tasks without one', async () => {
    // given
    const key = 'tq_due';
    const day = (d: number) => new Date(Date.UTC(2030, 0, d, 9, 0, 0, 250));
    const ids = await tasks(key, [
      { title: 'due-1', due: day(1) },
      { title: 'due-2', due: day(2) },
      { title: 'due-3', due: day(3) },
      { title: 'no-due', due: null },
    ]);
    const { taskService } = fixture().engine;
    const sorted = { processDefinitionKey: key, sortBy: 'dueDate' } as const;
    // when / then
    expect(await titles({ ...sorted, dueBefore: day(2) })).to.deep.equal(['due-1']);
    expect(await titles({ ...sorted, dueAfter: day(2) })).to.deep.equal(['due-3']);
    expect(await titles({ ...sorted, dueAfter: day(1), dueBefore: day(3) })).to.deep.equal(['due-2']);
    expect(await titles({ ...sorted, dueBefore: new Date(day(2).getTime() + 1) })).to.deep.equal(['due-1', 'due-2']);
    expect(await taskService.countTasks({ processDefinitionKey: key, dueAfter: new Date(0) })).to.equal(3);
    expect((await taskService.getTask(ids.get('due-2')!)).dueDate?.toISOString()).to.equal('2030-01-02T09:00:00.250Z');
    expect((await taskService.getTask(ids.get('no-due')!)).dueDate).to.equal(null);
  });

  it('filters by name pattern, definition key, definition id, instance and task definition key', async () => {
    // given
    const key = 'tq_filters';
    const other = 'tq_filters_other';
    const ids = await tasks(key, [{ title: '巡查-东区' }, { title: '巡查-西区' }, { title: '复核' }]);
    await tasks(other, [{ title: '巡查-北区' }]);
    const { taskService } = fixture().engine;
    const task = await taskService.getTask(ids.get('复核')!);
    // when / then
    expect(await titles({ processDefinitionKey: key, nameLike: '巡查%', sortBy: 'name' })).to.deep.equal(['巡查-东区', '巡查-西区']);
    expect(await titles({ nameLike: '%北区', sortBy: 'name' })).to.deep.equal(['巡查-北区']);
    expect(await taskService.countTasks({ processDefinitionKey: key })).to.equal(3);
    expect(await taskService.countTasks({ processDefinitionKey: other })).to.equal(1);
    expect(await taskService.countTasks({ processDefinitionId: task.processDefinitionId })).to.equal(3);
    expect(await titles({ processInstanceId: task.processInstanceId })).to.deep.equal(['复核']);
    expect(await taskService.countTasks({ processDefinitionKey: key, taskDefinitionKey: 'inspect' })).to.equal(3);
    expect(await taskService.countTasks({ processDefinitionKey: key, taskDefinitionKey: 'elsewhere' })).to.equal(0);
    expect(await taskService.countTasks({ processDefinitionKey: 'tq_never_deployed' })).to.equal(0);
  });

  it('filters by creation time', async () => {
    // given
    const key = 'tq_created';
    await tasks(key, [{ title: 'early' }]);
    fixture().clock.advance(60_000);
    const between = fixture().clock.now();
    fixture().clock.advance(60_000);
    await tasks(`${key}_late`, [{ title: 'late' }]);
    // when
    const created = await titles({ createdAfter: between, nameLike: '%l%' });
    // then
    expect(created).to.deep.equal(['late']);
  });

  const invalid: [string, TaskQuery, RegExp][] = [
    ['an unknown sort key', { sortBy: 'assignee' as never }, /^Cannot sort by 'assignee': use one of created, dueDate, priority, name, id$/],
    ['a negative firstResult', { firstResult: -1 }, /^firstResult must be a non-negative integer, got -1$/],
    ['a negative maxResults', { maxResults: -5 }, /^maxResults must be a non-negative integer, got -5$/],
    ['a fractional firstResult', { firstResult: 1.5 }, /^firstResult must be a non-negative integer, got 1.5$/],
    ['an unknown sort order', { sortBy: 'name', sortOrder: 'up' as never }, /^sortOrder must be asc or desc, got 'up'$/],
  ];
  for (const [what, query, message] of invalid) {
    it(`refuses ${what} with a BadUserRequestError`, async () => {
      // when
      const error = await rejectionOf(fixture().engine.taskService.listTasks(query));
      // then
      expect(error).to.be.instanceOf(BadUserRequestError);
      expect(error.message).to.match(message);
    });
  }
});
