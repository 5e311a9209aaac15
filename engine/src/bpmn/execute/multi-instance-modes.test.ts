import { expect } from 'chai';
import { ParseError } from '../../errors/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { bpmn, deployProcess, escapeXml, flow, openTaskKeys, rejectionOf } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';

/** `camunda:properties` from name → value. */
function properties(values: Record<string, string>): string {
  const entries = Object.entries(values).map(([name, value]) => `<camunda:property name="${name}" value="${value}"/>`);
  return `<extensionElements><camunda:properties>${entries.join('')}</camunda:properties></extensionElements>`;
}

const LOOP = '<multiInstanceLoopCharacteristics camunda:collection="${reviewers}" camunda:elementVariable="reviewer"/>';

/** start → review (one task per reviewer, the mode from `values`) → after → end */
function signing(key: string, values: Record<string, string>, loop = LOOP): string {
  return bpmn(key, `
    <startEvent id="start"/>${flow('start', 'review')}
    <userTask id="review" name="会签" camunda:assignee="\${reviewer}">${properties(values)}${loop}</userTask>${flow('review', 'after')}
    <userTask id="after"/>${flow('after', 'end')}
    <endEvent id="end"/>`);
}

async function completeFor(engine: ProcessEngine, processInstanceId: string, assignee: string): Promise<void> {
  const [task] = await engine.taskService.listTasks({ processInstanceId, assignee });
  if (!task) throw new Error(`no open task for '${assignee}'`);
  await engine.taskService.complete(task.id);
}

/** Each review task's assignee and how it ended, sorted by assignee. */
async function reviewHistory(engine: ProcessEngine, processInstanceId: string): Promise<[string | null, string | null][]> {
  const tasks = await engine.historyService.listTasks({ processInstanceId, taskDefinitionKey: 'review' });
  return tasks.map((t): [string | null, string | null] => [t.assignee, t.deleteReason]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

async function start(engine: ProcessEngine, key: string, reviewers: string[]): Promise<string> {
  return (await engine.runtimeService.startProcessInstanceByKey(key, { variables: { reviewers } })).id;
}

describeOnDatabases('bpmn/execute - multi-instance modes (yiwang:multiInstance)', (fixture) => {
  it('all (会签, also the default): the activity moves on once every instance completed', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, signing('mim_all', { 'yiwang:multiInstance': 'all' }));
    const id = await start(engine, 'mim_all', ['ann', 'bob', 'cai']);
    // when
    await completeFor(engine, id, 'ann');
    await completeFor(engine, id, 'bob');
    // then
    expect(await openTaskKeys(engine, id)).to.deep.equal(['review']);
    // when
    await completeFor(engine, id, 'cai');
    // then
    expect(await openTaskKeys(engine, id)).to.deep.equal(['after']);
    expect(await reviewHistory(engine, id)).to.deep.equal([['ann', 'completed'], ['bob', 'completed'], ['cai', 'completed']]);
  });

  it('any (或签): the first completion completes the activity and cancels the other instances', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, signing('mim_any', { 'yiwang:multiInstance': 'any' }));
    const id = await start(engine, 'mim_any', ['ann', 'bob', 'cai']);
    // when
    await completeFor(engine, id, 'bob');
    // then
    expect(await openTaskKeys(engine, id)).to.deep.equal(['after']);
    expect(await reviewHistory(engine, id)).to.deep.equal([
      ['ann', "completionCondition of 'review'"],
      ['bob', 'completed'],
      ['cai', "completionCondition of 'review'"],
    ]);
  });

  it('ratio 0.6 of three: completes after the second completion, the third instance cancelled in history', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, signing('mim_ratio', { 'yiwang:multiInstance': 'ratio', 'yiwang:multiInstance:ratio': '0.6' }));
    const id = await start(engine, 'mim_ratio', ['ann', 'bob', 'cai']);
    // when
    await completeFor(engine, id, 'ann');
    // then
    expect(await openTaskKeys(engine, id), '1/3 is below 0.6').to.deep.equal(['review', 'review']);
    // when
    await completeFor(engine, id, 'cai');
    // then
    expect(await openTaskKeys(engine, id)).to.deep.equal(['after']);
    expect(await reviewHistory(engine, id)).to.deep.equal([['ann', 'completed'], ['bob', "completionCondition of 'review'"], ['cai', 'completed']]);
    const inner = await engine.historyService.listActivityInstances({ processInstanceId: id, activityId: 'review' });
    expect(inner.map((r) => [r.assignee, r.canceled]).sort()).to.deep.equal([['ann', false], ['bob', true], ['cai', false]]);
  });

  it('ratio exactly met: 3 of 10 at 0.3 completes (no rounding error keeps it open)', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, signing('mim_ratio_exact', { 'yiwang:multiInstance': 'ratio', 'yiwang:multiInstance:ratio': '0.3' }));
    const reviewers = Array.from({ length: 10 }, (_, i) => `r${i}`);
    const id = await start(engine, 'mim_ratio_exact', reviewers);
    // when
    await completeFor(engine, id, 'r0');
    await completeFor(engine, id, 'r1');
    // then
    expect((await openTaskKeys(engine, id)).length).to.equal(8);
    // when
    await completeFor(engine, id, 'r2');
    // then
    expect(await openTaskKeys(engine, id)).to.deep.equal(['after']);
  });

  it('ratio 1 on a sequential loop: every instance in turn', async () => {
    // given
    const { engine } = fixture();
    const sequential = LOOP.replace('camunda:collection', 'isSequential="true" camunda:collection');
    await deployProcess(engine, signing('mim_ratio_seq', { 'yiwang:multiInstance': 'ratio', 'yiwang:multiInstance:ratio': '1' }, sequential));
    const id = await start(engine, 'mim_ratio_seq', ['ann', 'bob']);
    // when
    await completeFor(engine, id, 'ann');
    // then
    expect(await openTaskKeys(engine, id)).to.deep.equal(['review']);
    // when
    await completeFor(engine, id, 'bob');
    // then
    expect(await openTaskKeys(engine, id)).to.deep.equal(['after']);
  });

  it('fails the deploy naming the task: no loop, an unknown mode, a bad ratio, a ratio without the mode, a mode beside a completionCondition', async () => {
    // given
    const { engine } = fixture();
    const task = (id: string, values: Record<string, string>, loop: string) =>
      `<userTask id="${id}" camunda:assignee="\${reviewer}">${properties(values)}${loop}</userTask>${flow(id, 'end')}`;
    const withCondition = `<multiInstanceLoopCharacteristics camunda:collection="\${reviewers}" camunda:elementVariable="reviewer"><completionCondition>${escapeXml('${nrOfCompletedInstances > 1}')}</completionCondition></multiInstanceLoopCharacteristics>`;
    const xml = bpmn('mim_refused', `
      <startEvent id="start"/>${flow('start', 'single')}${flow('start', 'unknown')}${flow('start', 'zero')}${flow('start', 'above')}${flow('start', 'text')}${flow('start', 'stray')}${flow('start', 'both')}
      ${task('single', { 'yiwang:multiInstance': 'any' }, '')}
      ${task('unknown', { 'yiwang:multiInstance': 'most' }, LOOP)}
      ${task('zero', { 'yiwang:multiInstance': 'ratio', 'yiwang:multiInstance:ratio': '0' }, LOOP)}
      ${task('above', { 'yiwang:multiInstance': 'ratio', 'yiwang:multiInstance:ratio': '1.5' }, LOOP)}
      ${task('text', { 'yiwang:multiInstance': 'ratio' }, LOOP)}
      ${task('stray', { 'yiwang:multiInstance:ratio': '0.5' }, LOOP)}
      ${task('both', { 'yiwang:multiInstance': 'any' }, withCondition)}
      <endEvent id="end"/>`);
    // when
    const error = await rejectionOf(deployProcess(engine, xml));
    // then
    expect(error).to.be.instanceOf(ParseError);
    const problems = (error as ParseError).problems.map((p) => [p.elementId, p.message]);
    expect(problems).to.deep.include.members([
      ['single', "yiwang:multiInstance on 'single' needs multi-instance loop characteristics (bpmn:multiInstanceLoopCharacteristics)"],
      ['unknown', "yiwang:multiInstance on 'unknown' must be all (会签), any (或签) or ratio, not 'most'"],
      ['zero', "yiwang:multiInstance:ratio on 'zero' must be a number greater than 0 and at most 1, not '0'"],
      ['above', "yiwang:multiInstance:ratio on 'above' must be a number greater than 0 and at most 1, not '1.5'"],
      ['text', "yiwang:multiInstance:ratio on 'text' must be a number greater than 0 and at most 1, not ''"],
      ['stray', `yiwang:multiInstance:ratio on 'stray' needs yiwang:multiInstance="ratio"`],
      ['both', "Multi-instance activity 'both' has both yiwang:multiInstance and a completionCondition: keep one"],
    ]);
  });
});
