/**
 * The public-service plugin on the real engine (SQLite and MariaDB): with the command-coordination plugin
 * installed, the tenant's public channel starts `cc_case` with the citizen-facing categories; a
 * citizen's report (POST /api/public/reports, the route /public and API clients use) becomes a
 * numbered case waiting at 受理, whose form the intake clerk can submit as the staff app does,
 * choosing the standard category the citizen's problem maps to.
 */
import { expect } from 'chai';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PUBLIC_REPORT_SETTINGS } from '../../../engine/src/config/index.js';
import { describeOnDatabases } from '../../../engine/src/testing/databases.js';
import { startSignedInApi, type SignedInClient } from '../../../engine/src/testing/signed-in-app.js';
import { CaseDriver, PHOTO } from '../../command-coordination/test/case-api.js';
import { installCommandCoordination, installDictionaries, LIUZHOU, manifestOf, REGION, type DictionaryFile } from '../../command-coordination/test/harness.js';

const PLUGIN_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

describeOnDatabases('plugin public-service', (fixture) => {
  let api: SignedInClient;
  let cases: CaseDriver;
  let categories: DictionaryFile;

  before(async () => {
    const { engine } = fixture();
    // what this plugin's manifest adds to the receptionist's role: the install merges it into
    // command-coordination's 受理员, as the harness merges a role of a code the cc manifest declares
    const added = (await manifestOf(PLUGIN_DIR)).contributes.roles?.find((role) => role.code === 'receptionist')?.permissions ?? [];
    expect(added).to.include('public-report:merge');
    await installCommandCoordination(engine, [
      { tenantId: LIUZHOU, code: 'sysadmin', permissions: ['public-channel:read', 'public-channel:write', 'public-report:read', 'instance:read'] },
      { tenantId: LIUZHOU, code: 'receptionist', permissions: added },
    ], [
      { id: 'lz.sysadmin', tenantId: LIUZHOU, name: '陆云帆', departments: ['cgj'], roles: ['sysadmin'] },
    ]);
    [categories] = (await installDictionaries(engine, PLUGIN_DIR)) as [DictionaryFile];
    // every report comes from one address here: room for all of them
    api = await startSignedInApi(engine, { publicReports: { ...DEFAULT_PUBLIC_REPORT_SETTINGS, reportsPerHourPerAddress: 50, attemptsPerHourPerAddress: 50 } });
    cases = new CaseDriver(engine, api);
    const { contributes } = await manifestOf(PLUGIN_DIR);
    await api.json('/public-channel', { as: 'lz.sysadmin', method: 'PUT', body: { processKey: contributes.publicChannel?.processKey, categoryDictionary: 'ps-public-category', enabled: true } });
  });

  after(async () => {
    await api?.close();
  });

  function report(fields: Record<string, string>, photos = 0): Promise<Response> {
    const body = new FormData();
    for (const [name, value] of Object.entries({ tenant: LIUZHOU, ...fields })) body.append(name, value);
    for (let i = 0; i < photos; i += 1) body.append('photos', new Blob([PHOTO], { type: 'image/png' }), `photo-${i}.png`);
    return api.request('/public/reports', { as: null, method: 'POST', body });
  }
  async function caseOf(trackingCode: string): Promise<string> {
    const [row] = await fixture().engine.database.read((sql) => sql.select('SELECT process_instance_id FROM public_report WHERE tracking_code = $1', [trackingCode]));
    return String(row?.process_instance_id);
  }
  const ccCategoryOf = (code: string) => categories.items.flatMap((group) => group.children ?? []).find((item) => item.code === code)?.extra?.ccCategory;

  it('maps every citizen-facing problem to a category of the command-and-coordination dictionary (or none for 其他)', async () => {
    const cc = (await import('../../command-coordination/dictionaries/cc-case-category.json', { with: { type: 'json' } })).default as DictionaryFile;
    const ccCodes = new Set(cc.items.flatMap((major) => major.children ?? []).map((item) => item.code));
    for (const item of categories.items.flatMap((group) => group.children ?? [])) {
      const target = item.extra?.ccCategory;
      if (target !== null) expect(ccCodes.has(String(target)), `${item.code} → ${String(target)}`).to.equal(true);
    }
  });

  it('starts cc_case from a citizen\'s report with photos: numbered, at 受理, and the clerk accepts it with the standard category', async () => {
    // when: a citizen reports through the public route
    const response = await report({ category: 'ps-garbage', description: '小区门口垃圾堆了三天没人清理', address: '城中区文惠路 3 号', latitude: '24.3264', longitude: '109.4281', phone: '13812345678' }, 2);
    expect(response.status, await response.clone().text()).to.equal(201);
    const { trackingCode } = (await response.json()) as { trackingCode: string };
    const id = await caseOf(trackingCode);
    // then: the case waits at 受理 with the report normalised for the staff forms
    const accept = await cases.openTask(id, 'accept');
    const instance = await fixture().engine.historyService.getProcessInstance(id);
    expect(instance.businessKey).to.match(/^\d{13}$/);
    const form = await api.json<{ data: Record<string, unknown> }>(`/tasks/${accept.id}/form`, { as: 'lz.receptionist' });
    expect(form.data).to.include({ caseNumber: instance.businessKey, source: 'public', reportedCategoryLabel: '垃圾乱堆、暴露垃圾', description: '小区门口垃圾堆了三天没人清理', address: '城中区文惠路 3 号', reporterPhone: '13812345678' });
    expect(form.data.category).to.equal(null);
    expect(form.data.location).to.deep.equal({ address: '城中区文惠路 3 号', latitude: 24.3264, longitude: 109.4281 });
    expect((form.data.photos as { id: string }[]).map((photo) => typeof photo.id)).to.deep.equal(['string', 'string']);
    const variables = await cases.variables(id);
    expect(variables).to.include({ reportedCategory: 'ps-garbage', trackingCode, urgency: 'C', rework: 0 });
    // when: the clerk submits the form as the staff app does, choosing the mapped standard category
    await cases.act('lz.receptionist', id, 'accept', { category: ccCategoryOf('ps-garbage'), region: REGION, acceptAction: 'register' });
    // then
    await cases.openTask(id, 'register');
    expect((await cases.variables(id)).category).to.equal('SJ06010');
    const status = await api.json<{ state: string; stages: { name: string }[] }>(`/public/reports/${trackingCode}`, { as: 'lz.sysadmin' });
    expect(status.state).to.equal('open');
    expect(status.stages.map((stage) => stage.name)).to.deep.equal(['已提交', '受理']);
  });

  it('copes with a report without coordinates or photos: the address is kept, the location left empty', async () => {
    const response = await report({ category: 'ps-manhole', description: '人行道上井盖不见了，很危险', address: '柳南区航银路 88 号' });
    expect(response.status, await response.clone().text()).to.equal(201);
    const { trackingCode } = (await response.json()) as { trackingCode: string };
    const id = await caseOf(trackingCode);
    const variables = await cases.variables(id);
    expect(variables).to.include({ address: '柳南区航银路 88 号', location: null, reporterPhone: null });
    expect(variables.photos).to.deep.equal([]);
    await cases.act('lz.receptionist', id, 'accept', { category: ccCategoryOf('ps-manhole'), urgency: 'A', region: REGION, acceptAction: 'register' });
    const register = await cases.openTask(id, 'register');
    expect((await cases.view('lz.shift-leader', register.id)).task.timeLimitMs).to.equal(30 * 60_000);
  });

  it('flags a second report of the same problem 20 m away on its case (possibleDuplicates) for the clerk to merge', async () => {
    const fields = { category: 'ps-garbage', description: '桥头垃圾堆积散发臭味', address: '柳北区桥头' };
    const first = (await (await report({ ...fields, latitude: '24.4000', longitude: '109.4000' })).json()) as { trackingCode: string };
    const second = await report({ ...fields, latitude: '24.40018', longitude: '109.4000' });
    expect(second.status, await second.clone().text()).to.equal(201);
    const id = await caseOf(((await second.json()) as { trackingCode: string }).trackingCode);
    const [flagged] = (await cases.variables(id)).possibleDuplicates as { processInstanceId: string; trackingCode: string; distanceMetres: number }[];
    expect(flagged).to.include({ trackingCode: first.trackingCode, processInstanceId: await caseOf(first.trackingCode) });
    expect(flagged!.distanceMetres).to.be.closeTo(20, 0.5);
    await cases.openTask(id, 'accept');
  });

  it('lets the intake clerk merge the flagged case at 受理 into the earlier one: it ends merged, the original stays at 受理 with the report on its timeline', async () => {
    // given
    const fields = { category: 'ps-garbage', description: '河堤边垃圾成堆', address: '柳南区河堤' };
    const first = (await (await report({ ...fields, latitude: '24.3000', longitude: '109.3000' })).json()) as { trackingCode: string };
    const second = (await (await report({ ...fields, description: '河堤边垃圾还没清', latitude: '24.30018', longitude: '109.3000' }, 1)).json()) as { trackingCode: string };
    expect(second.trackingCode).to.be.a('string');
    const [original, duplicate] = [await caseOf(first.trackingCode), await caseOf(second.trackingCode)];
    await cases.openTask(duplicate, 'accept');
    // when
    const candidates = await api.json<{ candidates: { processInstanceId: string; steps: string[] }[] }>(`/instances/${duplicate}/duplicates`, { as: 'lz.receptionist' });
    const byShiftLeader = await api.request(`/instances/${duplicate}/merge`, { as: 'lz.shift-leader', method: 'POST', body: { into: original } });
    const merged = await api.request(`/instances/${duplicate}/merge`, { as: 'lz.receptionist', method: 'POST', body: { into: original } });
    // then
    expect(candidates.candidates.map((c) => [c.processInstanceId, c.steps])).to.deep.equal([[original, ['受理']]]);
    expect(byShiftLeader.status, 'the 值班长 holds no public-report:merge').to.equal(403);
    expect(merged.status, await merged.clone().text()).to.equal(200);
    expect((await fixture().engine.historyService.getProcessInstance(duplicate)).deleteReason).to.equal('merged');
    await cases.openTask(original, 'accept');
    const timeline = await api.json<{ operation: string; files?: unknown[] }[]>(`/instances/${original}/timeline`, { as: 'lz.receptionist' });
    expect(timeline.find((entry) => entry.operation === 'merge-in')?.files).to.have.length(1);
    const status = (await (await api.request(`/public/reports/${second.trackingCode}`, { as: null })).json()) as { state: string; mergedInto: { trackingCode: string } };
    expect(status.state).to.equal('merged');
    expect(status.mergedInto.trackingCode).to.equal(first.trackingCode);
  });
});
