import { expect } from 'chai';
import sharp from 'sharp';
import { DEFAULT_PUBLIC_REPORT_SETTINGS } from '../../config/index.js';
import { CreateDictionaryCmd } from '../../dictionaries/index.js';
import { bpmn, flow } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../../testing/organisation.js';
import { startSignedInApi, type SignedInClient } from '../../testing/signed-in-app.js';

const { city, countyA, countyB } = TENANT_TREE;

interface DuplicatesJson {
  trackingCode: string | null;
  mergedInto: { processInstanceId: string; trackingCode: string } | null;
  candidates: { processInstanceId: string; trackingCode: string; caseNumber: string | null; category: string; categoryLabel: string | null; distanceMetres: number; submittedAt: string; state: string; steps: string[] }[];
}
interface MergeJson {
  duplicate: { processInstanceId: string; trackingCode: string };
  original: { processInstanceId: string; trackingCode: string; caseNumber: string | null; state: string };
  mergedAt: string;
}
interface TimelineEntry {
  operation: string;
  userId: string | null;
  comment: string | null;
  target: Record<string, unknown> | null;
  files?: { id: string; name: string }[];
}

/** A report waits at 受理 (for the intake clerks; it offers 合并), then at 处置 (for the handlers; it does not), then ends. */
const REPORT_PROCESS = bpmn('merge_case', `
  <startEvent id="start"/>${flow('start', 'accept')}
  <userTask id="accept" name="受理" camunda:candidateGroups="role:intake,role:desk,role:trainee">
    <extensionElements><camunda:properties><camunda:property name="yiwang:operations" value="approve,merge"/></camunda:properties></extensionElements>
  </userTask>${flow('accept', 'handle')}
  <userTask id="handle" name="处置" camunda:candidateGroups="role:handler"/>${flow('handle', 'end')}
  <endEvent id="end"/>`);

/**
 * 合并 at 受理 over HTTP: the clerk reads the earlier reports a flagged case may repeat and merges
 * it into one; the duplicate ends `merged` and its citizen sees 已合并 with the original's code,
 * the original's timeline carries the merged report with its photo; refused when either case has
 * ended, across tenants, into another report after a merge, or without the permission.
 */
describeOnDatabases('api/platform - merging duplicate public reports', (fixture) => {
  let api: SignedInClient;
  let jpeg: Buffer;
  let addressCounter = 0;

  before(async () => {
    const { engine } = fixture();
    const intake = ['instance:read', 'task:read', 'task:handle', 'file:read', 'public-report:merge'];
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      roles: [
        { tenantId: countyA, code: 'intake', permissions: intake },
        { tenantId: countyA, code: 'reader', permissions: ['instance:read', 'task:read'] },
        // an intake clerk who sees only their own cases (the ones offered to them or they worked on)
        { tenantId: countyA, code: 'desk', permissions: intake, dataScope: 'self' },
        { tenantId: countyA, code: 'self-reader', permissions: ['instance:read', 'task:read'], dataScope: 'self' },
        { tenantId: countyA, code: 'trainee', permissions: ['instance:read', 'task:read', 'task:handle'] },
        { tenantId: countyA, code: 'handler', permissions: intake },
        { tenantId: countyA, code: 'admin', permissions: ['public-channel:read', 'public-channel:write'] },
        { tenantId: countyB, code: 'admin', permissions: ['public-channel:read', 'public-channel:write'] },
        { tenantId: city, code: 'overseer', permissions: intake, seesDescendants: true },
      ],
      users: [
        { id: 'a-clerk', tenantId: countyA, roles: ['intake'] },
        { id: 'a-reader', tenantId: countyA, roles: ['reader'] },
        { id: 'a-desk', tenantId: countyA, roles: ['desk'] },
        { id: 'a-self-reader', tenantId: countyA, roles: ['self-reader'] },
        { id: 'a-trainee', tenantId: countyA, roles: ['trainee'] },
        { id: 'a-handler', tenantId: countyA, roles: ['handler'] },
        { id: 'a-admin', tenantId: countyA, roles: ['admin'] },
        { id: 'b-admin', tenantId: countyB, roles: ['admin'] },
        { id: 'city-overseer', tenantId: city, roles: ['overseer'] },
      ],
    });
    await engine.commandExecutor.execute(new CreateDictionaryCmd({
      code: 'case-category', name: '案件类别', hierarchical: true,
      items: [{ code: 'SJ', label: '事项' }, { code: 'SJ06010', label: '暴露垃圾', parent: 'SJ' }, { code: 'SJ06001', label: '私搭乱建', parent: 'SJ' }],
    }));
    for (const tenantId of [countyA, countyB]) {
      await engine.repositoryService.deploy({ name: 'merge', tenantId, resources: [{ name: 'merge.bpmn', content: REPORT_PROCESS }] });
    }
    api = await startSignedInApi(engine, { trustProxy: true, publicReports: { ...DEFAULT_PUBLIC_REPORT_SETTINGS, reportsPerHourPerAddress: 100, attemptsPerHourPerAddress: 100 } });
    await api.json('/public-channel', { as: 'a-admin', method: 'PUT', body: { processKey: 'merge_case', enabled: true } });
    await api.json('/public-channel', { as: 'b-admin', method: 'PUT', body: { processKey: 'merge_case', enabled: true } });
    jpeg = await sharp({ create: { width: 16, height: 12, channels: 3, background: '#a72' } }).jpeg().toBuffer();
  });

  after(async () => {
    await api?.close();
  });

  /** A report at a point (latitude, longitude) of the tenant; a photo when asked; its case's id and tracking code. */
  async function report(tenant: string, latitude: number, longitude: number, options: { photo?: boolean; description?: string } = {}): Promise<{ id: string; code: string }> {
    const form = new FormData();
    const fields = { tenant, category: 'SJ06010', description: options.description ?? '小区门口垃圾堆了三天没人清理', latitude: String(latitude), longitude: String(longitude) };
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    if (options.photo) form.append('photos', new Blob([jpeg], { type: 'image/jpeg' }), '现场.jpg');
    const response = await api.request('/public/reports', { as: null, method: 'POST', body: form, headers: { 'X-Forwarded-For': `203.0.113.${++addressCounter}` } });
    const text = await response.text();
    expect(response.status, text).to.equal(201);
    const code = (JSON.parse(text) as { trackingCode: string }).trackingCode;
    const [row] = await fixture().engine.database.read((sql) => sql.select('SELECT process_instance_id FROM public_report WHERE tracking_code = $1', [code]));
    return { id: String(row?.process_instance_id), code };
  }
  const merge = (as: string, duplicate: string, into: string, comment?: string) =>
    api.request(`/instances/${duplicate}/merge`, { as, method: 'POST', body: comment === undefined ? { into } : { into, comment } });
  const citizenStatus = async (code: string) =>
    (await (await api.request(`/public/reports/${code}`, { as: null, headers: { 'X-Forwarded-For': `203.0.113.${++addressCounter}` } })).json()) as { state: string; mergedInto: unknown; canRate: boolean };
  const timeline = (as: string, id: string) => api.json<TimelineEntry[]>(`/instances/${id}/timeline`, { as });
  /** 20 m north of a point, in degrees of latitude */
  const NORTH_20_M = 0.00018;

  it('shows the clerk the earlier report a flagged case repeats and merges it: the duplicate ends merged, the original\'s timeline carries it with its photo', async () => {
    // given
    const original = await report(countyA, 24.3264, 109.4281);
    const duplicate = await report(countyA, 24.3264 + NORTH_20_M, 109.4281, { photo: true, description: '垃圾还在，味道很大' });
    const { engine } = fixture();
    const instance = await engine.historyService.getProcessInstance(original.id);
    // when
    const candidates = await api.json<DuplicatesJson>(`/instances/${duplicate.id}/duplicates`, { as: 'a-clerk' });
    const ofOriginal = await api.json<DuplicatesJson>(`/instances/${original.id}/duplicates`, { as: 'a-clerk' });
    const refused = await merge('a-reader', duplicate.id, original.id);
    const merged = await merge('a-clerk', duplicate.id, original.id, '同一处垃圾，合并处理');
    // then: the candidate as the clerk weighs it
    expect(candidates.trackingCode).to.equal(duplicate.code);
    expect(candidates.mergedInto).to.equal(null);
    expect(candidates.candidates).to.have.length(1);
    expect(candidates.candidates[0]).to.deep.include({ processInstanceId: original.id, trackingCode: original.code, caseNumber: instance.businessKey, category: 'SJ06010', categoryLabel: '暴露垃圾', state: 'open', steps: ['受理'] });
    expect(candidates.candidates[0]?.distanceMetres).to.be.within(19, 21);
    expect(ofOriginal.candidates, 'the later report is no original of the earlier one').to.deep.equal([]);
    expect(refused.status).to.equal(403);
    expect(merged.status, await merged.clone().text()).to.equal(200);
    const outcome = (await merged.json()) as MergeJson;
    expect(outcome).to.deep.include({ duplicate: { processInstanceId: duplicate.id, trackingCode: duplicate.code } });
    expect(outcome.original).to.include({ processInstanceId: original.id, trackingCode: original.code, state: 'open' });
    // the duplicate's case ended with its own reason, its 受理 task gone
    const ended = await engine.historyService.getProcessInstance(duplicate.id);
    expect(ended).to.include({ deleteReason: 'merged' });
    expect(ended.endTime).to.not.equal(null);
    expect(await engine.taskService.listTasks({ processInstanceId: duplicate.id })).to.deep.equal([]);
    expect(await engine.taskService.listTasks({ processInstanceId: original.id })).to.have.length(1);
    // the original's timeline: the merged report, its words and photo reachable
    const entries = await timeline('a-clerk', original.id);
    const mergeIn = entries.find((entry) => entry.operation === 'merge-in');
    expect(mergeIn).to.deep.include({ userId: 'a-clerk', comment: '同一处垃圾，合并处理' });
    expect(mergeIn?.target).to.deep.include({ processInstanceId: duplicate.id, trackingCode: duplicate.code, description: '垃圾还在，味道很大', channel: 'public' });
    expect(mergeIn?.files?.map((file) => file.name)).to.deep.equal(['现场.jpg']);
    const photo = await api.request(`/files/${mergeIn?.files?.[0]?.id}`, { as: 'a-clerk' });
    expect(photo.status).to.equal(200);
    expect((await timeline('a-clerk', duplicate.id)).map((entry) => entry.operation)).to.deep.equal(['start', 'merge']);
    // the citizen of the duplicate: 已合并, following the original
    const status = await citizenStatus(duplicate.code);
    expect(status).to.deep.include({ state: 'merged', mergedInto: { trackingCode: original.code, state: 'open' }, canRate: false });
    expect((await citizenStatus(original.code)).state).to.equal('open');
    expect((await api.json<DuplicatesJson>(`/instances/${duplicate.id}/duplicates`, { as: 'a-clerk' })).mergedInto).to.deep.equal({ processInstanceId: original.id, trackingCode: original.code });
  });

  it('answers a repeated merge with the same outcome and writes nothing; merging into another report is a 409', async () => {
    // given
    const original = await report(countyA, 24.40, 109.50);
    const duplicate = await report(countyA, 24.40 + NORTH_20_M, 109.50);
    const third = await report(countyA, 24.40 - NORTH_20_M, 109.50);
    const first = (await (await merge('a-clerk', duplicate.id, original.id)).json()) as MergeJson;
    const before = (await timeline('a-clerk', original.id)).length;
    // when
    const again = await merge('a-clerk', duplicate.id, original.id);
    const elsewhere = await merge('a-clerk', duplicate.id, third.id);
    const intoMerged = await merge('a-clerk', third.id, duplicate.id);
    // then
    expect(again.status).to.equal(200);
    expect(await again.json()).to.deep.equal(first);
    expect((await timeline('a-clerk', original.id)).length).to.equal(before);
    expect(elsewhere.status).to.equal(409);
    expect(intoMerged.status, 'into a merged report, whose case has ended').to.equal(409);
  });

  it('leaves no chain when a report is merged into one that is merged itself at the same moment', async () => {
    // given: c first, b 20 m from it, a 20 m further
    const c = await report(countyA, 24.50, 109.60);
    const b = await report(countyA, 24.50 + NORTH_20_M, 109.60);
    const a = await report(countyA, 24.50 + 2 * NORTH_20_M, 109.60);
    // when
    const answers = await Promise.all([merge('a-clerk', a.id, b.id), merge('a-clerk', b.id, c.id)]);
    // then: one or both went through (the second after the first), never a report left pointing at a merged one
    expect(answers.map((answer) => answer.status)).to.include(200);
    expect(answers.every((answer) => answer.status === 200 || answer.status === 409)).to.equal(true);
    const rows = await fixture().engine.database.read((sql) => sql.select('SELECT id, merged_into FROM public_report WHERE process_instance_id IN ($1, $2, $3)', [a.id, b.id, c.id]));
    const merged = new Set(rows.filter((row) => row.merged_into !== null).map((row) => String(row.id)));
    expect(rows.filter((row) => row.merged_into !== null && merged.has(String(row.merged_into))), 'merged into a merged report').to.deep.equal([]);
  });

  it('points the reports merged into a case at the original when that case is merged in turn: their citizens follow the case that goes on', async () => {
    // given: a was merged into b
    const c = await report(countyA, 24.52, 109.62);
    const b = await report(countyA, 24.52 + NORTH_20_M, 109.62);
    const a = await report(countyA, 24.52 + 2 * NORTH_20_M, 109.62, { description: '垃圾还是没人清' });
    expect((await merge('a-clerk', a.id, b.id)).status).to.equal(200);
    // when
    const merged = await merge('a-clerk', b.id, c.id);
    // then
    expect(merged.status, await merged.clone().text()).to.equal(200);
    expect(await citizenStatus(a.code)).to.deep.include({ state: 'merged', mergedInto: { trackingCode: c.code, state: 'open' } });
    expect(await citizenStatus(b.code)).to.deep.include({ state: 'merged', mergedInto: { trackingCode: c.code, state: 'open' } });
    expect((await api.json<DuplicatesJson>(`/instances/${a.id}/duplicates`, { as: 'a-clerk' })).mergedInto).to.deep.equal({ processInstanceId: c.id, trackingCode: c.code });
    // a's merge stays where it happened: on b's timeline, as b's merge on c's
    expect((await timeline('a-clerk', b.id)).filter((entry) => entry.operation === 'merge-in').map((entry) => entry.target?.trackingCode)).to.deep.equal([a.code]);
    expect((await timeline('a-clerk', c.id)).filter((entry) => entry.operation === 'merge-in').map((entry) => entry.target?.trackingCode)).to.deep.equal([b.code]);
  });

  it('lets only one who may do 合并 on the duplicate\'s open task (which offers it) merge it, and only into one of its candidates', async () => {
    // given
    const { engine } = fixture();
    const original = await report(countyA, 24.54, 109.64);
    const duplicate = await report(countyA, 24.54 + NORTH_20_M, 109.64);
    const later = await report(countyA, 24.54 - NORTH_20_M, 109.64);
    const far = await report(countyA, 24.541, 109.64);
    const atHandling = await report(countyA, 24.54 + 2 * NORTH_20_M, 109.64);
    const [accept] = await engine.taskService.listTasks({ processInstanceId: atHandling.id });
    await engine.taskService.complete(accept!.id);
    // when
    const byOverseer = await merge('city-overseer', duplicate.id, original.id);
    const intoLater = await merge('a-clerk', duplicate.id, later.id);
    const intoFar = await merge('a-clerk', duplicate.id, far.id);
    const pastIntake = await merge('a-clerk', atHandling.id, original.id);
    const byHandler = await merge('a-handler', atHandling.id, original.id);
    const byClerk = await merge('a-clerk', duplicate.id, original.id);
    // then
    expect(byOverseer.status, 'sees both cases and holds the permission, but is offered no task of the duplicate').to.equal(403);
    expect(intoLater.status, 'a later report is no candidate').to.equal(400);
    expect(intoFar.status, '110 m away').to.equal(400);
    expect(pastIntake.status, 'its open task (处置) is not the clerk\'s').to.equal(403);
    expect(byHandler.status, '处置 does not offer 合并, though the handler may work on it and holds the permission').to.equal(403);
    expect(byClerk.status, await byClerk.clone().text()).to.equal(200);
    for (const id of [later.id, far.id, atHandling.id]) expect(await engine.taskService.listTasks({ processInstanceId: id }), 'nothing ended').to.have.length(1);
  });

  it('offers 合并 on the 受理 task to its assignee holding public-report:merge, not to one without it', async () => {
    // given
    const { engine } = fixture();
    const first = await report(countyA, 24.60, 109.70);
    const second = await report(countyA, 24.61, 109.70);
    const [ofFirst] = await engine.taskService.listTasks({ processInstanceId: first.id });
    const [ofSecond] = await engine.taskService.listTasks({ processInstanceId: second.id });
    await api.request(`/tasks/${ofFirst!.id}/claim`, { as: 'a-clerk', method: 'POST' });
    await api.request(`/tasks/${ofSecond!.id}/claim`, { as: 'a-trainee', method: 'POST' });
    // when
    const asClerk = await api.json<{ operations: { operation: string; label: string }[] }>(`/tasks/${ofFirst!.id}`, { as: 'a-clerk' });
    const asTrainee = await api.json<{ operations: { operation: string; label: string }[] }>(`/tasks/${ofSecond!.id}`, { as: 'a-trainee' });
    // then
    expect(asClerk.operations).to.deep.include({ operation: 'merge', label: '合并' });
    expect(asTrainee.operations.map((button) => button.operation)).to.not.include('merge');
  });

  it('answers a case the caller\'s data scope hides with 404, its tracking code unread; offers and names only cases the caller sees', async () => {
    // given: an original that moved on to 处置 (no longer offered to the desk clerk, who sees only their own cases)
    const { engine } = fixture();
    const original = await report(countyA, 24.56, 109.66);
    const duplicate = await report(countyA, 24.56 + NORTH_20_M, 109.66);
    const [accept] = await engine.taskService.listTasks({ processInstanceId: original.id });
    await engine.taskService.complete(accept!.id);
    // and a pair the desk clerk merged, whose original moved on after
    const original2 = await report(countyA, 24.58, 109.68);
    const duplicate2 = await report(countyA, 24.58 + NORTH_20_M, 109.68);
    const [accept2] = await engine.taskService.listTasks({ processInstanceId: duplicate2.id });
    expect((await api.request(`/tasks/${accept2!.id}/claim`, { as: 'a-desk', method: 'POST' })).status).to.be.below(300);
    expect((await merge('a-desk', duplicate2.id, original2.id)).status).to.equal(200);
    const [acceptOfOriginal2] = await engine.taskService.listTasks({ processInstanceId: original2.id });
    await engine.taskService.complete(acceptOfOriginal2!.id);
    // when
    const instanceOfHidden = await api.request(`/instances/${duplicate.id}`, { as: 'a-self-reader' });
    const duplicatesOfHidden = await api.request(`/instances/${duplicate.id}/duplicates`, { as: 'a-self-reader' });
    const asDesk = await api.json<DuplicatesJson>(`/instances/${duplicate.id}/duplicates`, { as: 'a-desk' });
    const asClerk = await api.json<DuplicatesJson>(`/instances/${duplicate.id}/duplicates`, { as: 'a-clerk' });
    const intoHidden = await merge('a-desk', duplicate.id, original.id);
    const mergedAsDesk = await api.json<DuplicatesJson>(`/instances/${duplicate2.id}/duplicates`, { as: 'a-desk' });
    // then
    expect(instanceOfHidden.status).to.equal(404);
    expect(duplicatesOfHidden.status, 'as GET /instances/{id}').to.equal(404);
    expect(await duplicatesOfHidden.text()).to.not.contain(duplicate.code);
    expect(asDesk.trackingCode, 'the case offered to the desk clerk').to.equal(duplicate.code);
    expect(asDesk.candidates, 'the original the desk clerk no longer sees').to.deep.equal([]);
    expect(asClerk.candidates.map((candidate) => candidate.processInstanceId)).to.deep.equal([original.id]);
    expect(intoHidden.status).to.equal(404);
    expect((await api.request(`/instances/${original2.id}`, { as: 'a-desk' })).status).to.equal(404);
    expect(mergedAsDesk).to.deep.include({ trackingCode: duplicate2.code, mergedInto: null });
  });

  it('refuses while either case has ended, across tenants, into itself and for a case no report started', async () => {
    // given: an original whose case was closed
    const { engine } = fixture();
    const closed = await report(countyA, 24.45, 109.55);
    for (let step = 0; step < 2; step += 1) {
      const [task] = await engine.taskService.listTasks({ processInstanceId: closed.id });
      await engine.taskService.complete(task!.id);
    }
    const late = await report(countyA, 24.45 + NORTH_20_M, 109.55);
    const inA = await report(countyA, 24.47, 109.57);
    const inB = await report(countyB, 24.47 + NORTH_20_M, 109.57);
    const started = await engine.runtimeService.startProcessInstanceByKey('merge_case', { tenantId: countyA });
    // when
    const intoClosed = await merge('a-clerk', late.id, closed.id);
    const closedIntoOpen = await merge('a-clerk', closed.id, late.id);
    const intoOtherTenant = await merge('a-clerk', inA.id, inB.id);
    const acrossTenants = await merge('city-overseer', inA.id, inB.id);
    const intoItself = await merge('a-clerk', inA.id, inA.id);
    const notReport = await merge('a-clerk', started.id, inA.id);
    const candidatesOfNoReport = await api.json<DuplicatesJson>(`/instances/${started.id}/duplicates`, { as: 'a-clerk' });
    const candidatesOfUnseen = await api.request(`/instances/${inB.id}/duplicates`, { as: 'a-clerk' });
    // then
    expect(intoClosed.status).to.equal(409);
    expect(((await intoClosed.json()) as { message: string }).message).to.contain('已结束');
    expect(closedIntoOpen.status).to.equal(409);
    expect(intoOtherTenant.status, 'a case of another tenant is not found').to.equal(404);
    expect(acrossTenants.status, 'one who sees both tenants still cannot merge across them').to.equal(400);
    expect(intoItself.status).to.equal(400);
    expect(notReport.status).to.equal(404);
    expect(candidatesOfNoReport).to.deep.equal({ trackingCode: null, mergedInto: null, candidates: [] });
    expect(candidatesOfUnseen.status, 'another tenant\'s case').to.equal(404);
    expect(await engine.taskService.listTasks({ processInstanceId: late.id }), 'nothing ended').to.have.length(1);
    expect(await engine.taskService.listTasks({ processInstanceId: inA.id })).to.have.length(1);
  });
});
