/**
 * What the case loop takes from its dictionaries at 派遣 and 处置 (SQLite and MariaDB): the
 * department `cc-routing` names for the category (its district's first) preselected on the
 * dispatch form, and 处置's limit from the category's `limits` for the urgency tier.
 */
import { expect } from 'chai';
import { addWorkingTime, BUILT_IN_CALENDAR } from '../../../engine/src/calendar/index.js';
import { UpdateItemCmd } from '../../../engine/src/dictionaries/index.js';
import { describeOnDatabases } from '../../../engine/src/testing/databases.js';
import { startSignedInApi, type SignedInClient } from '../../../engine/src/testing/signed-in-app.js';
import { CaseDriver } from './case-api.js';
import { installCommandCoordination, LIUZHOU, REGION } from './harness.js';

const HOUR = 3_600_000;
/** the built-in calendar of a tenant without one: Monday–Friday 09:00–17:00 */
const WORKING_DAY = 8 * HOUR;

describeOnDatabases('plugin command-coordination - routing and handling limits from the dictionaries', (fixture) => {
  let api: SignedInClient;
  let cases: CaseDriver;
  let department: (code: string) => string;

  before(async () => {
    const { engine } = fixture();
    const installed = await installCommandCoordination(engine);
    department = (code) => installed.organisation.departmentId(LIUZHOU, code);
    api = await startSignedInApi(engine);
    cases = new CaseDriver(engine, api);
    // an administrator routes 道路破损 in 城中区 to the 执法支队 instead of the 住建局 (派遣规则 menu)
    await engine.commandExecutor.execute(new UpdateItemCmd('cc-routing', { kind: 'shared' }, 'SJ06013', {
      extra: { department: 'zjj', departmentName: '市住房城乡建设局', byRegion: { [REGION.district]: 'cgj-zfzd' } },
    }));
  });

  after(async () => {
    await api?.close();
  });

  const report = async (category: string, urgency: string) =>
    (await cases.report('lz.supervisor', {
      source: 'supervisor', category, urgency, region: REGION, description: `${category} 测试案件`, address: '城中区文惠路 12 号',
      location: { longitude: 109.4281, latitude: 24.3264 }, photos: [await cases.upload('lz.supervisor')],
    })).processInstanceId;

  /** 受理 and 立案: the case arrives at 派遣 */
  async function toDispatch(id: string): Promise<void> {
    await cases.act('lz.receptionist', id, 'accept', { acceptAction: 'register' });
    await cases.act('lz.shift-leader', id, 'register', { registerNote: '符合立案条件' });
  }

  const dispatchForm = async (id: string) => {
    const task = await cases.openTask(id, 'dispatch');
    return (await api.json<{ data: Record<string, unknown> }>(`/tasks/${task.id}/form`, { as: 'lz.dispatcher' })).data;
  };

  it("arrives at 派遣 with the routed department preselected — the district's entry first — and the dispatcher may send it elsewhere", async () => {
    const { engine } = fixture();
    // given: 道路破损 in 城中区 (a district entry) and 暴露垃圾 there (none: the category's department)
    const overridden = await report('SJ06013', 'B');
    const plain = await report('SJ06010', 'B');
    // when
    await toDispatch(overridden);
    await toDispatch(plain);
    // then
    expect((await dispatchForm(overridden)).department).to.equal(department('cgj-zfzd'));
    expect((await dispatchForm(plain)).department).to.equal(department('cgj'));
    // when: the dispatcher keeps the default for one case and changes the other's to 住建局
    await cases.act('lz.dispatcher', plain, 'dispatch', { dispatchNote: '按派遣规则' });
    await cases.act('lz.dispatcher', overridden, 'dispatch', { department: department('zjj'), dispatchNote: '属住建局养护路段' });
    // then: 处置 is offered to the chosen departments' staff
    expect((await cases.variables(plain)).department).to.equal(department('cgj'));
    expect((await cases.variables(overridden)).department).to.equal(department('zjj'));
    const offered = async (id: string, user: string) => (await engine.taskService.listTasks({ processInstanceId: id, candidateUser: user })).map((t) => t.taskDefinitionKey);
    expect(await offered(plain, 'lz.handler')).to.deep.equal(['handle']);
    expect(await offered(overridden, 'lz.zjj.handler')).to.deep.equal(['handle']);
    expect(await offered(overridden, 'lz.handler')).to.deep.equal([]);
  });

  it("keeps the dispatcher's choice when 处置 sends the case back (回退) to 派遣", async () => {
    // given: routed to 执法支队, dispatched to 住建局
    const id = await report('SJ06013', 'C');
    await toDispatch(id);
    await cases.act('lz.dispatcher', id, 'dispatch', { department: department('zjj') });
    const handling = await cases.openTask(id, 'handle');
    await api.json(`/tasks/${handling.id}/claim`, { as: 'lz.zjj.handler', method: 'POST' }, 204);
    // when: 回退 — not our department
    await api.json(`/tasks/${handling.id}/return`, { as: 'lz.zjj.handler', method: 'POST', body: { activityId: 'dispatch', comment: '非本部门职责' } }, 204);
    // then: the form shows the department chosen before, not the route
    expect((await dispatchForm(id)).department).to.equal(department('zjj'));
  });

  it("sets 处置's limit from the category's limit for the urgency tier, on the working calendar; the other steps keep the tier's", async () => {
    const { engine } = fixture();
    // given: 占道经营 (B: 2 working hours) and 古树名木 (C: 5 working days)
    const street = await report('SJ09006', 'B');
    const tree = await report('SJ04001', 'C');
    // when
    for (const id of [street, tree]) {
      await toDispatch(id);
      await cases.act('lz.dispatcher', id, 'dispatch', { department: department('cgj') });
    }
    // then
    const handling = async (id: string) => {
      const [task] = await engine.taskService.listTasks({ processInstanceId: id });
      expect(task?.taskDefinitionKey).to.equal('handle');
      return task!;
    };
    const streetTask = await handling(street);
    const treeTask = await handling(tree);
    expect(streetTask.timeLimitMs).to.equal(2 * HOUR);
    expect(treeTask.timeLimitMs).to.equal(5 * WORKING_DAY);
    expect(streetTask.dueDate).to.deep.equal(addWorkingTime(BUILT_IN_CALENDAR, streetTask.createTime, 2 * HOUR));
    expect(treeTask.dueDate).to.deep.equal(addWorkingTime(BUILT_IN_CALENDAR, treeTask.createTime, 5 * WORKING_DAY));
    expect(treeTask.dueDate!.getTime()).to.be.greaterThan(streetTask.dueDate!.getTime());
    // and 派遣 took the urgency tier's dispatchLimit (B: 1 h, C: 2 h)
    const dispatchLimits = await Promise.all([street, tree].map(async (id) => {
      const [dispatched] = await engine.historyService.listTasks({ processInstanceId: id, taskDefinitionKey: 'dispatch' });
      return dispatched?.timeLimitMs;
    }));
    expect(dispatchLimits).to.deep.equal([HOUR, 2 * HOUR]);
  });
});
