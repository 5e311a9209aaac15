/**
 * The command-coordination plugin against the real engine (SQLite and MariaDB): its dictionaries, forms and
 * process deploy through the engine's own services, and the case loop runs through `/api` as the
 * seeded Liuzhou staff — straight through, with verification and rework, 不立案, 延期, 挂账/恢复, 作废, an upper-level
 * assignment reported back by the plugin's worker, the case number and the urgency tiers' limits.
 */
import { expect } from 'chai';
import { Variables, type Task, type TaskService } from 'camunda-external-task-client-js';
import { ApiKeys } from '../../../engine/src/identity/authentication/api-keys.js';
import { describeOnDatabases } from '../../../engine/src/testing/databases.js';
import { startSignedInApi, type SignedInClient } from '../../../engine/src/testing/signed-in-app.js';
import handlers from '../workers/report-back.js';
import { CaseDriver } from './case-api.js';
import { installCommandCoordination, LIUZHOU, REGION, type DictionaryFile } from './harness.js';

const HOUR = 3_600_000;
/** the built-in calendar of a tenant without one: Monday–Friday 09:00–17:00 */
const WORKING_DAY = 8 * HOUR;
const CASE_NUMBER = /^\d{8}\d{5}$/;

describeOnDatabases('plugin command-coordination', (fixture) => {
  let api: SignedInClient;
  let cases: CaseDriver;
  let dictionaries: DictionaryFile[];
  let cgj: string;
  let zjj: string;
  let exchangeKey: string;

  before(async () => {
    const { engine } = fixture();
    // the regional supervision platform: an exchange partner of the city with an API key
    const installed = await installCommandCoordination(engine, [{ tenantId: LIUZHOU, code: 'exchange-partner', permissions: ['exchange:assign'] }], [
      { id: 'gx.platform', tenantId: LIUZHOU, name: '自治区数字城管平台', departments: ['cgj-zhzx'], roles: ['exchange-partner'] },
    ]);
    dictionaries = installed.dictionaries;
    cgj = installed.organisation.departmentId(LIUZHOU, 'cgj');
    zjj = installed.organisation.departmentId(LIUZHOU, 'zjj');
    api = await startSignedInApi(engine);
    cases = new CaseDriver(engine, api);
    exchangeKey = (await new ApiKeys(engine, api.principals).create({ name: '自治区数字城管平台', userId: 'gx.platform', permissions: ['exchange:assign'] }, null, null)).key;
  });

  after(async () => {
    await api?.close();
  });

  const reportData = async (changes: Record<string, unknown> = {}) => ({
    source: 'supervisor', category: 'SJ06010', urgency: 'B', region: REGION,
    description: '文惠路口绿化带旁暴露垃圾约 2 平方米', address: '城中区文惠路 12 号',
    location: { longitude: 109.4281, latitude: 24.3264, address: '城中区文惠路 12 号' },
    photos: [await cases.upload('lz.supervisor', 'before.png')],
    ...changes,
  });

  /** 受理 → 立案 → 派遣 (to `department`) */
  async function throughDispatch(instanceId: string, department: string): Promise<void> {
    await cases.act('lz.receptionist', instanceId, 'accept', { acceptAction: 'register', acceptNote: '属城市管理范围' });
    await cases.act('lz.shift-leader', instanceId, 'register', { registerNote: '符合立案条件' });
    await cases.act('lz.dispatcher', instanceId, 'dispatch', { department, dispatchNote: '请尽快处置' });
  }

  it('deploys the process with its eight forms and the five dictionaries', async () => {
    const { engine } = fixture();
    const [definition] = await engine.repositoryService.listProcessDefinitions({ key: 'cc_case' });
    expect(definition).to.include({ key: 'cc_case', name: '城市管理案件（指挥协调）', tenantId: LIUZHOU, category: 'command' });
    expect(dictionaries.map((d) => d.code)).to.deep.equal(['cc-case-category', 'cc-urgency', 'cc-routing', 'cc-case-source', 'cc-report-channel']);
    const categories = dictionaries[0]!.items.flatMap((major) => major.children ?? []);
    expect(categories).to.have.length(73);
    for (const item of categories) {
      expect(item.extra, item.code).to.have.keys('kind', 'standardCode', 'registerCondition', 'limits');
      expect(item.extra!.limits, item.code).to.have.keys('A', 'B', 'C');
    }
    const routed = dictionaries[2]!.items.map((item) => item.code);
    expect(routed).to.deep.equal(categories.map((item) => item.code));
  });

  it('keeps the public report channels apart from the case sources: a form\'s source offers no channel client, the channel dimension reads cc-report-channel', async () => {
    const codes = (code: string) => dictionaries.find((dictionary) => dictionary.code === code)?.items.map((item) => item.code);
    const { default: indicators } = await import('../statistics/indicators.json', { with: { type: 'json' } });
    const dimension = (code: string) => (indicators as { dimensions: { code: string; dictionary?: string }[] }).dimensions.find((d) => d.code === code)?.dictionary;
    expect(codes('cc-case-source')).to.deep.equal(['supervisor', 'public', '12345', 'video', 'upper']);
    // `public`: the engine's /public portal (public-reports/clients.ts PORTAL_CHANNEL); the others: the registered clients' codes
    expect(codes('cc-report-channel')).to.deep.equal(['public', 'wechat-szcg', 'wechat-lzcg', 'app-smt']);
    expect(dimension('source')).to.equal('cc-case-source');
    expect(dimension('channel')).to.equal('cc-report-channel');
  });

  it('runs a supervisor\'s report straight through: 上报 → 受理 → 立案 → 派遣 → 处置 → 核查 → 结案', async () => {
    const { engine } = fixture();
    // 上报
    const started = await cases.report('lz.supervisor', await reportData());
    expect(started.businessKey).to.match(CASE_NUMBER);
    const instanceId = started.processInstanceId;
    // 受理, 立案, 派遣 to 市城管执法局: its sub-departments' staff are candidates (执法一大队's handler)
    await throughDispatch(instanceId, cgj);
    const offered = await engine.taskService.listTasks({ processInstanceId: instanceId, candidateUser: 'lz.handler' });
    expect(offered.map((t) => t.taskDefinitionKey)).to.deep.equal(['handle']);
    const notOffered = await engine.taskService.listTasks({ processInstanceId: instanceId, candidateUser: 'lz.zjj.handler' });
    expect(notOffered).to.have.length(0);
    // 案卷编号: the category, the day of the case number, the category's daily sequence (test/case-code.test.ts)
    expect((await cases.variables(instanceId)).caseCode).to.match(new RegExp(`^SJ06010${started.businessKey.slice(0, 8)}\\d{4}$`));
    // 处置 with an after-photo, 核查 passes, 结案
    await cases.act('lz.handler', instanceId, 'handle', { handlingNote: '已清运垃圾并冲洗地面', afterPhotos: [await cases.upload('lz.handler', 'after.png')] });
    await cases.act('lz.supervisor', instanceId, 'check', { checkResult: 'pass', checkNote: '现场已清理干净' });
    await cases.act('lz.shift-leader', instanceId, 'close', { closeNote: '结案' });
    // then
    const instance = await engine.historyService.getProcessInstance(instanceId);
    expect(instance).to.include({ state: 'COMPLETED', endActivityId: 'closed', businessKey: started.businessKey });
    const variables = await cases.historicVariables(instanceId);
    expect(variables).to.include({ rework: 0, verifications: 0, source: 'supervisor', category: 'SJ06010', urgency: 'B', department: cgj });
    const steps = (await engine.historyService.listActivityInstances({ processInstanceId: instanceId })).filter((a) => a.activityType === 'userTask').map((a) => a.activityId);
    expect(steps).to.deep.equal(['accept', 'register', 'dispatch', 'handle', 'check', 'close']);
  });

  it('asks an inspector to verify before accepting, and sends a failed check back to the department as rework', async () => {
    const { engine } = fixture();
    const { processInstanceId: id } = await cases.report('lz.supervisor', await reportData({ category: 'SJ06013', description: '人行道路面塌陷约 1 平方米' }));
    // 受理: 派监督员核实 → 核实 → back at 受理 with the result
    await cases.act('lz.receptionist', id, 'accept', { acceptAction: 'verify', acceptNote: '请核实塌陷范围' });
    await cases.act('lz.supervisor', id, 'verify_report', { verifyResult: 'confirmed', verifyNote: '属实，约 1.2 平方米' });
    const back = await cases.act('lz.receptionist', id, 'accept', { acceptAction: 'register' });
    expect(back.data).to.include({ verifyResult: 'confirmed', verifyNote: '属实，约 1.2 平方米', acceptAction: 'verify' });
    await cases.act('lz.shift-leader', id, 'register');
    await cases.act('lz.dispatcher', id, 'dispatch', { department: zjj });
    // 处置 by 住建局, 核查 fails: 返工
    await cases.act('lz.zjj.handler', id, 'handle', { handlingNote: '已设置围挡', afterPhotos: [await cases.upload('lz.zjj.handler')] });
    await cases.act('lz.supervisor', id, 'check', { checkResult: 'fail', checkNote: '仅设围挡，未修复' });
    const again = await cases.openTask(id, 'handle');
    expect((await cases.variables(id)).rework).to.equal(1);
    const reworkForm = await api.json<{ data: Record<string, unknown> }>(`/tasks/${again.id}/form`, { as: 'lz.zjj.handler' });
    expect(reworkForm.data).to.include({ rework: 1, checkNote: '仅设围挡，未修复' });
    await cases.act('lz.zjj.handler', id, 'handle', { handlingNote: '已修复路面' });
    await cases.act('lz.supervisor', id, 'check', { checkResult: 'pass' });
    await cases.act('lz.shift-leader', id, 'close');
    // then
    expect(await engine.historyService.getProcessInstance(id)).to.include({ state: 'COMPLETED', endActivityId: 'closed' });
    expect(await cases.historicVariables(id)).to.include({ rework: 1, verifications: 1 });
    const handled = (await engine.historyService.listActivityInstances({ processInstanceId: id })).filter((a) => a.activityId === 'handle');
    expect(handled).to.have.length(2);
  });

  it('ends a case the shift leader does not register (不立案) as voided', async () => {
    const { engine } = fixture();
    const { processInstanceId: id } = await cases.report('lz.supervisor', await reportData({ description: '疑似重复上报的暴露垃圾' }));
    await cases.act('lz.receptionist', id, 'accept', { acceptAction: 'register' });
    const task = await cases.openTask(id, 'register');
    await api.json(`/tasks/${task.id}/claim`, { as: 'lz.shift-leader', method: 'POST' }, 204);
    const view = await cases.view('lz.shift-leader', task.id);
    expect(view.operations.map((o) => [o.operation, o.label])).to.deep.include(['reject', '不立案']);
    await api.json(`/tasks/${task.id}/reject`, { as: 'lz.shift-leader', method: 'POST', body: { comment: '不符合立案条件：重复上报' } }, 204);
    const instance = await engine.historyService.getProcessInstance(id);
    expect(instance).to.include({ state: 'EXTERNALLY_TERMINATED', deleteReason: 'rejected' });
  });

  it('takes a task assigned by the regional platform (message start), runs it and reports the result back through the plugin\'s worker', async () => {
    const { engine } = fixture();
    // the exchange partner's call: a message start with the upper platform's task id as business key
    await engine.runtimeService.correlateMessage({
      messageName: 'cc_upper_assignment', businessKey: 'GX-DB-20260315-0007', tenantId: LIUZHOU,
      processVariables: {
        upperTaskId: 'GX-DB-20260315-0007', category: 'BJ01003', urgency: 'A', description: '自治区督办：雨水井盖缺失',
        location: { longitude: 109.41, latitude: 24.31, address: '柳南区航银路' },
      },
    });
    const [instance] = await engine.runtimeService.listProcessInstances({ businessKey: 'GX-DB-20260315-0007' });
    const id = instance!.id;
    expect(await cases.variables(id)).to.include({ source: 'upper', caseNumber: 'GX-DB-20260315-0007', urgency: 'A', rework: 0 });
    await cases.act('lz.receptionist', id, 'accept', { acceptAction: 'register', region: REGION });
    await cases.act('lz.shift-leader', id, 'register');
    await cases.act('lz.dispatcher', id, 'dispatch', { department: zjj });
    await cases.act('lz.zjj.handler', id, 'handle', { handlingNote: '已补装井盖', afterPhotos: [await cases.upload('lz.zjj.handler')] });
    await cases.act('lz.supervisor', id, 'check', { checkResult: 'pass' });
    await cases.act('lz.shift-leader', id, 'close', { closeNote: '按期办结' });
    // 回报上级: the plugin's handler settles the external task through the engine's service
    expect(await engine.runtimeService.getActiveActivityIds(id)).to.deep.equal(['report_back']);
    const [locked] = await engine.externalTaskService.fetchAndLock({ workerId: 'plugin-test', maxTasks: 1, topics: [{ topicName: 'cc-report-back', lockDuration: 60_000 }] });
    expect(locked).to.include({ processInstanceId: id, businessKey: 'GX-DB-20260315-0007' });
    const variables = await cases.variables(id);
    const task = { ...locked, workerId: 'plugin-test', variables: new Variables().setAll(variables) } as unknown as Task;
    const taskService = {
      complete: async (done: Task, vars?: Variables) => engine.externalTaskService.complete(done.id, 'plugin-test', vars?.getAll() ?? {}),
    } as unknown as TaskService;
    await handlers['cc-report-back']!({ task, taskService });
    // then
    expect(await engine.historyService.getProcessInstance(id)).to.include({ state: 'COMPLETED', endActivityId: 'closed_reported' });
    const ended = await cases.historicVariables(id);
    expect(ended.reportedBackAt).to.be.a('string');
    expect(ended.caseCode).to.match(/^BJ01003\d{12}$/);
    expect(ended.reportBack).to.include({ upperTaskId: 'GX-DB-20260315-0007', caseCode: ended.caseCode, closeNote: '按期办结', rework: 0 });
  });

  it('takes a task the regional platform assigns through the exchange API (API key), once per id, and answers its report back once closed', async () => {
    const { engine } = fixture();
    const exchange = (path: string, body?: unknown) =>
      api.request(path, { as: null, method: body ? 'POST' : 'GET', body, headers: { Authorization: `Bearer ${exchangeKey}` } });
    const task = { externalId: 'GX-DB-20260316-0012', category: 'BJ01003', urgency: 'B', description: '自治区交办：雨水井盖破损', location: { longitude: 109.42, latitude: 24.32, address: '城中区文惠路' }, deadline: '2026-03-20T09:00:00+08:00' };
    const created = await exchange('/exchange/assignments', task);
    expect(created.status, await created.clone().text()).to.equal(201);
    const { processInstanceId: id } = (await created.json()) as { processInstanceId: string };
    const repeated = await exchange('/exchange/assignments', task);
    expect(repeated.status).to.equal(200);
    expect(((await repeated.json()) as { processInstanceId: string }).processInstanceId).to.equal(id);
    expect(await cases.variables(id)).to.include({ source: 'upper', caseNumber: task.externalId, upperTaskId: task.externalId, category: 'BJ01003', urgency: 'B', upperDeadline: task.deadline });
    await cases.act('lz.receptionist', id, 'accept', { acceptAction: 'register', region: REGION });
    await cases.act('lz.shift-leader', id, 'register');
    await cases.act('lz.dispatcher', id, 'dispatch', { department: zjj });
    await cases.act('lz.zjj.handler', id, 'handle', { handlingNote: '已更换井盖', afterPhotos: [await cases.upload('lz.zjj.handler')] });
    await cases.act('lz.supervisor', id, 'check', { checkResult: 'pass' });
    await cases.act('lz.shift-leader', id, 'close', { closeNote: '已办结' });
    expect(((await (await exchange(`/exchange/assignments/${task.externalId}`)).json()) as { state: string }).state, 'until reported back').to.equal('open');
    const [locked] = await engine.externalTaskService.fetchAndLock({ workerId: 'plugin-test', maxTasks: 1, topics: [{ topicName: 'cc-report-back', lockDuration: 60_000 }] });
    const variables = await cases.variables(id);
    const taskService = { complete: async (done: Task, vars?: Variables) => engine.externalTaskService.complete(done.id, 'plugin-test', vars?.getAll() ?? {}) } as unknown as TaskService;
    await handlers['cc-report-back']!({ task: { ...locked, workerId: 'plugin-test', variables: new Variables().setAll(variables) } as unknown as Task, taskService });
    const status = (await (await exchange(`/exchange/assignments/${task.externalId}`)).json()) as { state: string; caseCode: string; reportBack: Record<string, unknown>; reportedBackAt: string };
    expect(status).to.include({ state: 'closed', caseCode: variables.caseCode });
    expect(status.caseCode).to.match(/^BJ01003\d{12}$/);
    expect(status.reportBack).to.include({ upperTaskId: task.externalId, caseCode: status.caseCode, closeNote: '已办结', rework: 0 });
    expect(status.reportedBackAt).to.be.a('string');
  });

  it('numbers 20 cases reported at the same moment with 20 distinct, consecutive case numbers', async () => {
    const data = await reportData({ description: '同时上报的案件' });
    const started = await Promise.all(Array.from({ length: 20 }, () => cases.report('lz.supervisor', data)));
    const numbers = started.map((s) => s.businessKey).sort();
    expect(new Set(numbers).size).to.equal(20);
    for (const number of numbers) expect(number).to.match(CASE_NUMBER);
    const sequence = numbers.map((n) => Number(n.slice(8)));
    expect(sequence).to.deep.equal(Array.from({ length: 20 }, (_, i) => sequence[0]! + i));
    expect(new Set(numbers.map((n) => n.slice(0, 8))).size).to.equal(1);
  });

  it('moves 处置\'s deadline when the shift leader approves the department\'s 延期 request', async () => {
    const started = await cases.report('lz.supervisor', await reportData({ urgency: 'A' }));
    await throughDispatch(started.processInstanceId, cgj);
    const handling = await cases.openTask(started.processInstanceId, 'handle');
    await api.json(`/tasks/${handling.id}/claim`, { as: 'lz.handler', method: 'POST' }, 204);
    const before = (await cases.view('lz.handler', handling.id)).task;
    // 暴露垃圾's limit for 紧急 (A)
    expect(before.timeLimitMs).to.equal(HOUR);
    const request = await api.json<{ id: string; state: string }>(`/tasks/${handling.id}/extension-requests`, { as: 'lz.handler', method: 'POST', body: { hours: 4, comment: '需协调供水部门停水后施工' } }, 201);
    expect(request.state).to.equal('pending');
    const pending = await api.json<{ id: string }[]>(`/case-requests?state=pending&processInstanceId=${started.processInstanceId}`, { as: 'lz.shift-leader' });
    expect(pending.map((r) => r.id)).to.deep.equal([request.id]);
    const decided = await api.json<{ state: string }>(`/case-requests/${request.id}/approve`, { as: 'lz.shift-leader', method: 'POST', body: { comment: '同意延期' } });
    expect(decided.state).to.equal('approved');
    const after = (await cases.view('lz.handler', handling.id)).task;
    expect(after.timeLimitMs).to.equal(5 * HOUR);
    expect(new Date(after.dueDate!).getTime()).to.be.greaterThan(new Date(before.dueDate!).getTime());
    const timeline = await api.json<{ operation: string }[]>(`/instances/${started.processInstanceId}/timeline`, { as: 'lz.shift-leader' });
    expect(timeline.map((entry) => entry.operation)).to.include('extension-approved');
  });

  it('parks (挂账) a case at 处置: no buttons and no approval while parked; resumed (恢复) it goes on to 核查', async () => {
    const started = await cases.report('lz.supervisor', await reportData());
    const id = started.processInstanceId;
    await throughDispatch(id, cgj);
    const handling = await cases.openTask(id, 'handle');
    await api.json(`/tasks/${handling.id}/claim`, { as: 'lz.handler', method: 'POST' }, 204);
    await api.json(`/tasks/${handling.id}/park`, { as: 'lz.handler', method: 'POST', body: { comment: '等待产权单位确认' } }, 204);
    const parked = await cases.view('lz.handler', handling.id);
    expect(parked.operations).to.deep.equal([]);
    const casePage = await api.json<{ hold: { parkedBy: string } | null; operations: string[] }>(`/instances/${id}`, { as: 'lz.handler' });
    expect(casePage.hold).to.include({ parkedBy: 'lz.handler' });
    expect(casePage.operations).to.include('resume');
    const refused = await api.request(`/tasks/${handling.id}/approve`, { as: 'lz.handler', method: 'POST', body: { data: { handlingNote: '已处理' } } });
    expect(refused.status, 'approve while parked').to.equal(409);
    await api.json(`/instances/${id}/resume`, { as: 'lz.handler', method: 'POST', body: { comment: '产权单位已确认' } }, 204);
    expect((await api.json<{ hold: unknown }>(`/instances/${id}`, { as: 'lz.handler' })).hold).to.equal(null);
    await cases.act('lz.handler', id, 'handle', { handlingNote: '已清理', afterPhotos: [await cases.upload('lz.handler')] });
    await cases.openTask(id, 'check');
    const timeline = await api.json<{ operation: string }[]>(`/instances/${id}/timeline`, { as: 'lz.shift-leader' });
    expect(timeline.map((entry) => entry.operation)).to.include.members(['park', 'resume']);
  });

  it('voids (作废) an invalid report at 受理 once the shift leader approves the request', async () => {
    const { engine } = fixture();
    const started = await cases.report('lz.supervisor', await reportData({ description: '误报：现场无垃圾' }));
    const id = started.processInstanceId;
    const accept = await cases.openTask(id, 'accept');
    await api.json(`/tasks/${accept.id}/claim`, { as: 'lz.receptionist', method: 'POST' }, 204);
    const request = await api.json<{ id: string }>(`/tasks/${accept.id}/void-requests`, { as: 'lz.receptionist', method: 'POST', body: { comment: '误报' } }, 201);
    expect((await engine.historyService.getProcessInstance(id)).state, 'until decided').to.equal('ACTIVE');
    await api.json(`/case-requests/${request.id}/approve`, { as: 'lz.shift-leader', method: 'POST', body: { comment: '同意作废' } });
    const instance = await engine.historyService.getProcessInstance(id);
    expect(instance.state).to.equal('EXTERNALLY_TERMINATED');
    expect(await engine.taskService.listTasks({ processInstanceId: id })).to.have.length(0);
    const timeline = await api.json<{ operation: string }[]>(`/instances/${id}/timeline`, { as: 'lz.shift-leader' });
    expect(timeline.map((entry) => entry.operation)).to.include('void-approved');
  });

  it('numbers cases by the day: yyyyMMdd and a five-digit daily sequence; the case code is the kind and category, the day and the category\'s own sequence', async () => {
    const first = await cases.report('lz.supervisor', await reportData({ category: 'BJ01001' }));
    const second = await cases.report('lz.supervisor', await reportData({ category: 'SJ09006' }));
    expect(first.businessKey).to.match(CASE_NUMBER);
    expect(first.serialNumbers).to.deep.equal({ caseNumber: first.businessKey });
    expect(Number(second.businessKey.slice(8))).to.equal(Number(first.businessKey.slice(8)) + 1);
    expect(second.businessKey.slice(0, 8)).to.equal(first.businessKey.slice(0, 8));
    await cases.act('lz.receptionist', first.processInstanceId, 'accept', { acceptAction: 'register' });
    await cases.act('lz.shift-leader', first.processInstanceId, 'register');
    // BJ01001 is registered nowhere else in this suite: its first 案卷 of the day
    expect((await cases.variables(first.processInstanceId)).caseCode).to.equal(`BJ01001${first.businessKey.slice(0, 8)}0001`);
  });

  it('sets each step\'s time limit from the urgency tier (cc-urgency) — 处置 from the category\'s limit for the tier — on the working calendar; a case without urgency is 一般 (C)', async () => {
    const urgency = dictionaries[1]!;
    const limitOf = (tier: string, field: string) => urgency.items.find((item) => item.code === tier)!.extra![field];
    expect([limitOf('A', 'handleLimit'), limitOf('C', 'handleLimit')]).to.deep.equal(['PT2H', 'P3D']);
    const urgent = await cases.report('lz.supervisor', await reportData({ urgency: 'A' }));
    const ordinary = await cases.report('lz.supervisor', await reportData({ urgency: 'C' }));
    const acceptUrgent = await cases.view('lz.receptionist', (await cases.openTask(urgent.processInstanceId, 'accept')).id);
    const acceptOrdinary = await cases.view('lz.receptionist', (await cases.openTask(ordinary.processInstanceId, 'accept')).id);
    expect(acceptUrgent.task.timeLimitMs).to.equal(HOUR / 2);
    expect(acceptOrdinary.task.timeLimitMs).to.equal(2 * HOUR);
    await throughDispatch(urgent.processInstanceId, cgj);
    await throughDispatch(ordinary.processInstanceId, cgj);
    const urgentHandling = await cases.openTask(urgent.processInstanceId, 'handle');
    await api.json(`/tasks/${urgentHandling.id}/claim`, { as: 'lz.handler', method: 'POST' }, 204);
    const handleUrgent = await cases.view('lz.handler', urgentHandling.id);
    const handleOrdinary = await cases.view('lz.handler', (await cases.openTask(ordinary.processInstanceId, 'handle')).id);
    // 暴露垃圾 (SJ06010): A 1 h, C 1 working day (cc-case-category limits)
    expect(handleUrgent.task.timeLimitMs).to.equal(HOUR);
    expect(handleOrdinary.task.timeLimitMs).to.equal(WORKING_DAY);
    expect(new Date(handleOrdinary.task.dueDate!).getTime()).to.be.greaterThan(new Date(handleUrgent.task.dueDate!).getTime());
    expect(handleUrgent.operations.map((o) => o.operation)).to.include.members(['approve', 'return', 'transfer', 'copy', 'park', 'extend']);
    // an upper-level task without urgency: C
    await fixture().engine.runtimeService.correlateMessage({ messageName: 'cc_upper_assignment', businessKey: 'GX-DB-NO-URGENCY', tenantId: LIUZHOU, processVariables: { description: '未给紧急程度的交办' } });
    const [plain] = await fixture().engine.runtimeService.listProcessInstances({ businessKey: 'GX-DB-NO-URGENCY' });
    expect((await cases.variables(plain!.id)).urgency).to.equal('C');
  });

  it('escalates (督办) an overdue 处置 to the department leader once its due date has passed', async () => {
    const { engine, clock } = fixture();
    const started = await cases.report('lz.supervisor', await reportData({ urgency: 'A' }));
    await throughDispatch(started.processInstanceId, cgj);
    clock.advance(7 * 24 * HOUR);
    await engine.jobExecutor.runDueJobs();
    const timeline = await api.json<{ operation: string }[]>(`/instances/${started.processInstanceId}/timeline`, { as: 'lz.shift-leader' });
    expect(timeline.map((entry) => entry.operation)).to.include('escalate');
  });
});
