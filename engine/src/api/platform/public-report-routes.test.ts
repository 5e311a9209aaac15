import { Ajv } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { OpenAPIV3 } from 'openapi-types';
import sharp from 'sharp';
import { DEFAULT_PUBLIC_REPORT_SETTINGS, type PublicReportSettings } from '../../config/index.js';
import { CreateDictionaryCmd } from '../../dictionaries/index.js';
import { bpmn, flow } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../../testing/organisation.js';
import { startSignedInApi, type SignedInClient } from '../../testing/signed-in-app.js';
import { streamUpload } from '../../testing/stream-upload.js';

const { countyA, countyB } = TENANT_TREE;

interface SubmittedJson {
  trackingCode: string;
  submittedAt: string;
}
interface StatusJson {
  trackingCode: string;
  category: string;
  categoryLabel: string | null;
  description: string;
  state: 'open' | 'closed' | 'voided';
  stages: { name: string; time: string }[];
  rating: { score: string; comment: string | null; ratedAt: string } | null;
  canRate: boolean;
}
interface ErrorJson {
  type: string;
  message: string;
  errors?: { field: string; label: string | null; rule: string; message: string }[];
  retryAfterSeconds?: number;
}
interface SatisfactionJson {
  total: number;
  satisfied: number;
  basicallySatisfied: number;
  dissatisfied: number;
  satisfactionRate: number | null;
}

/** A report waits at 处置 for the clerk, then ends. */
const REPORT_PROCESS = bpmn('public_case', `
  <startEvent id="start" name="开始"/>${flow('start', 'handle')}
  <userTask id="handle" name="处置" camunda:assignee="a-clerk"/>${flow('handle', 'end')}
  <endEvent id="end"/>`);
/** The same for every tenant: deployed without one. */
const SHARED_PROCESS = bpmn('shared_case', `
  <startEvent id="start"/>${flow('start', 'handle')}
  <userTask id="handle" name="共享处置"/>${flow('handle', 'end')}
  <endEvent id="end"/>`);

const SETTINGS: PublicReportSettings = {
  ...DEFAULT_PUBLIC_REPORT_SETTINGS,
  reportsPerHourPerAddress: 3,
  reportsPerDayPerPhone: 2,
  attemptsPerHourPerAddress: 8,
  lookupsPerMinutePerAddress: 10,
  photoMaxCount: 3,
  photoMaxBytes: 200_000,
};
/** A channel's process as configured, then changed under it. */
const CHANGING_PROCESS = bpmn('changing_case', `
  <startEvent id="start"/>${flow('start', 'handle')}
  <userTask id="handle" name="处置"/>${flow('handle', 'end')}
  <endEvent id="end"/>`);
const TIMER_STARTS_ONLY = bpmn('changing_case', `
  <startEvent id="start"><timerEventDefinition><timeDate>2099-01-01T00:00:00Z</timeDate></timerEventDefinition></startEvent>${flow('start', 'end')}
  <startEvent id="later"><timerEventDefinition><timeDate>2099-06-01T00:00:00Z</timeDate></timerEventDefinition></startEvent>${flow('later', 'end')}
  <endEvent id="end"/>`);
/** Starts, but its gateway's condition reads a variable no report has: the start fails in the command. */
const FAILING_START = bpmn('changing_case', `
  <startEvent id="start"/>${flow('start', 'split')}
  <exclusiveGateway id="split"/>
  <sequenceFlow id="urgent" sourceRef="split" targetRef="end"><conditionExpression xsi:type="tFormalExpression">\${priority > 2}</conditionExpression></sequenceFlow>
  <sequenceFlow id="usual" sourceRef="split" targetRef="end2"><conditionExpression xsi:type="tFormalExpression">\${priority &lt;= 2}</conditionExpression></sequenceFlow>
  <endEvent id="end"/>
  <endEvent id="end2"/>`);
const CLERK_NAME = '张处置员';
const INTERNAL_NOTE = '内部意见：请城管中队处理';
const TRACKING_CODE = /^[A-HJ-NP-Z2-9]{12}$/;

/**
 * The public reporting portal over real HTTP: a citizen (no credentials, known by the address the
 * trusted proxy reports in X-Forwarded-For) opens the portal, reports with photos, follows and
 * rates the report; staff configure the channel and read the satisfaction figures.
 */
describeOnDatabases('api/platform - public reports', (fixture) => {
  let api: SignedInClient;
  let jpeg: Buffer;
  let png: Buffer;
  let addressCounter = 0;
  /** a client address of its own, so one test's requests do not count towards another's limits */
  const newAddress = () => `198.51.100.${++addressCounter}`;

  before(async () => {
    const { engine } = fixture();
    const staff = ['task:read', 'task:handle', 'instance:read'];
    const admin = [...staff, 'public-channel:read', 'public-channel:write', 'public-report:read'];
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      roles: [
        { tenantId: countyA, code: 'admin', permissions: admin },
        { tenantId: countyA, code: 'clerk', permissions: staff },
        { tenantId: countyB, code: 'admin', permissions: admin },
      ],
      users: [
        { id: 'a-admin', tenantId: countyA, roles: ['admin'] },
        { id: 'a-clerk', tenantId: countyA, name: CLERK_NAME, roles: ['clerk'] },
        { id: 'b-admin', tenantId: countyB, roles: ['admin'] },
      ],
    });
    await engine.commandExecutor.execute(new CreateDictionaryCmd({
      code: 'case-category', name: '案件类别', hierarchical: true,
      items: [
        { code: 'SJ', label: '事项' },
        { code: 'SJ06001', label: '私搭乱建', labelEn: 'Illegal construction', parent: 'SJ' },
        { code: 'SJ06010', label: '暴露垃圾', parent: 'SJ' },
        { code: 'SJ99999', label: '已停用', parent: 'SJ', enabled: false },
        { code: 'BJ', label: '部件', enabled: false },
        { code: 'BJ01001', label: '供水井盖', parent: 'BJ' },
      ],
    }));
    await engine.repositoryService.deploy({ name: 'public', tenantId: countyA, resources: [{ name: 'public.bpmn', content: REPORT_PROCESS }] });
    await engine.repositoryService.deploy({ name: 'shared', resources: [{ name: 'shared.bpmn', content: SHARED_PROCESS }] });
    api = await startSignedInApi(engine, { trustProxy: true, publicReports: SETTINGS });
    await api.json('/public-channel', { as: 'a-admin', method: 'PUT', body: { processKey: 'public_case', enabled: true } });
    const image = sharp({ create: { width: 16, height: 12, channels: 3, background: '#2a7' } });
    [jpeg, png] = await Promise.all([image.clone().jpeg().toBuffer(), image.clone().png().toBuffer()]);
  });

  after(async () => {
    await api?.close();
  });

  interface Photo {
    readonly name: string;
    readonly content: Buffer;
    readonly type?: string;
  }

  function reportForm(fields: Record<string, string>, photos: readonly Photo[] = []): FormData {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    for (const photo of photos) form.append('photos', new Blob([photo.content], { type: photo.type ?? 'image/jpeg' }), photo.name);
    return form;
  }
  const VALID = { tenant: countyA, category: 'SJ06001', description: '小区门口有人私搭乱建，占用消防通道' };
  const asClient = (address: string, language?: string) => ({ 'X-Forwarded-For': address, ...(language ? { 'Accept-Language': language } : {}) });
  const submit = (fields: Record<string, string>, photos: readonly Photo[] = [], address = newAddress(), language?: string) =>
    api.request('/public/reports', { as: null, method: 'POST', body: reportForm(fields, photos), headers: asClient(address, language) });
  async function submitted(fields: Record<string, string> = VALID, photos: readonly Photo[] = [], address = newAddress()): Promise<SubmittedJson> {
    const response = await submit(fields, photos, address);
    expect(response.status, await response.clone().text()).to.equal(201);
    return (await response.json()) as SubmittedJson;
  }
  const status = (code: string, address = newAddress(), language?: string) => api.request(`/public/reports/${code}`, { as: null, headers: asClient(address, language) });
  const statusOf = async (code: string) => (await (await status(code)).json()) as StatusJson;
  const rate = (code: string, body: object, address = newAddress()) =>
    api.request(`/public/reports/${code}/rating`, { as: null, method: 'POST', body, headers: asClient(address) });

  async function count(table: string): Promise<number> {
    const [row] = await fixture().engine.database.read((sql) => sql.select(`SELECT COUNT(*) AS n FROM ${table}`));
    return Number(row?.n);
  }
  const written = async () => ({ reports: await count('public_report'), files: await count('stored_file'), instances: await count('hi_process_instance'), actions: await count('case_action') });
  async function instanceOf(trackingCode: string): Promise<string> {
    const [row] = await fixture().engine.database.read((sql) => sql.select('SELECT process_instance_id FROM public_report WHERE tracking_code = $1', [trackingCode]));
    return String(row?.process_instance_id);
  }
  /** The report's case, handled by the clerk through the staff API with an internal note. */
  async function close(trackingCode: string): Promise<void> {
    const [task] = await fixture().engine.taskService.listTasks({ processInstanceId: await instanceOf(trackingCode) });
    await api.json(`/tasks/${task?.id}/approve`, { as: 'a-clerk', body: { comment: INTERNAL_NOTE } });
  }

  it('configures the channel per tenant: the process must be deployed for the tenant or shared, the dictionary must exist', async () => {
    // when
    const unknownProcess = await api.request('/public-channel', { as: 'b-admin', method: 'PUT', body: { processKey: 'public_case', enabled: true } });
    const unknownDictionary = await api.request('/public-channel', { as: 'b-admin', method: 'PUT', body: { processKey: 'shared_case', categoryDictionary: 'no-such', enabled: true } });
    const before = await api.json<{ processKey: string | null; enabled: boolean }>('/public-channel', { as: 'b-admin' });
    const clerk = await api.request('/public-channel', { as: 'a-clerk' });
    const mine = await api.json<{ tenantId: string; processKey: string; categoryDictionary: string; enabled: boolean; updatedBy: string }>('/public-channel', { as: 'a-admin' });
    // then: county B cannot start county A's process
    expect(unknownProcess.status).to.equal(400);
    expect(((await unknownProcess.json()) as ErrorJson).message).to.contain("'public_case'");
    expect(unknownDictionary.status).to.equal(400);
    expect(((await unknownDictionary.json()) as ErrorJson).message).to.contain("'no-such'");
    expect(before).to.include({ processKey: null, enabled: false });
    expect(clerk.status).to.equal(403);
    expect(mine).to.include({ tenantId: countyA, processKey: 'public_case', categoryDictionary: 'case-category', enabled: true, updatedBy: 'a-admin' });
  });

  it('opens the portal of the only open tenant: the enabled categories, the photo limits and no captcha; other tenants answer 404', async () => {
    // when
    const portal = await api.json<{ tenantId: string; tenantName: string; categories: unknown[]; photos: unknown; captcha: unknown }>('/public/portal', { as: 'a-admin' });
    const named = await api.request(`/public/portal?tenant=${countyA}`, { as: null });
    const closed = await api.request(`/public/portal?tenant=${countyB}`, { as: null });
    // then
    expect(portal).to.deep.equal({
      tenantId: countyA,
      tenantName: '柳城县',
      categories: [{
        code: 'SJ', label: '事项', labelEn: null, children: [
          { code: 'SJ06001', label: '私搭乱建', labelEn: 'Illegal construction', children: [] },
          { code: 'SJ06010', label: '暴露垃圾', labelEn: null, children: [] },
        ],
      }],
      photos: { maxCount: 3, maxBytes: 200_000, contentTypes: ['image/jpeg', 'image/png', 'image/webp'] },
      captcha: null,
    });
    expect(named.status).to.equal(200);
    expect(closed.status).to.equal(404);
  });

  it('takes a report with a JPEG and a PNG: one case started with the report as variables, no start user, photos stored as the tenant\'s files', async () => {
    // when
    const report = await submitted({ ...VALID, address: '城中区文惠路 3 号', latitude: '24.3264', longitude: '109.4281', phone: '13812345678' }, [
      { name: '现场.jpg', content: jpeg }, { name: 'detail.png', content: png, type: 'image/png' },
    ]);
    // then
    expect(report.trackingCode).to.match(TRACKING_CODE);
    const { engine } = fixture();
    const instanceId = await instanceOf(report.trackingCode);
    const variables = Object.fromEntries([...(await engine.runtimeService.getVariables(instanceId))].map(([name, value]) => [name, value.value]));
    const photos = variables.photos as string[];
    expect(variables).to.deep.equal({
      source: 'public', channel: 'public', category: 'SJ06001', categoryLabel: '私搭乱建', description: VALID.description,
      location: { address: '城中区文惠路 3 号', latitude: 24.3264, longitude: 109.4281 }, photos, reporterPhone: '13812345678', trackingCode: report.trackingCode,
      possibleDuplicates: [],
    });
    const files = await engine.database.read((sql) => sql.select(`SELECT tenant_id, content_type, created_by FROM stored_file WHERE id IN ($1, $2) ORDER BY content_type`, photos));
    expect(files.map((file) => [file.tenant_id, file.content_type, file.created_by])).to.deep.equal([[countyA, 'image/jpeg', null], [countyA, 'image/png', null]]);
    const instance = await engine.historyService.getProcessInstance(instanceId);
    expect(instance).to.include({ startUserId: null, tenantId: countyA });
    const timeline = await api.json<{ operation: string; userId: string | null }[]>(`/instances/${instanceId}/timeline`, { as: 'a-admin' });
    expect(timeline).to.have.length(1);
    expect(timeline[0]).to.include({ operation: 'start', userId: null });
  });

  it('refuses a photo that is no image by its content, whatever its name says, and writes nothing', async () => {
    // given
    const before = await written();
    // when
    const response = await submit(VALID, [{ name: 'photo.jpg', content: jpeg }, { name: 'evil.jpg', content: Buffer.from('<script>alert(1)</script>') }]);
    // then
    expect(response.status).to.equal(400);
    const body = (await response.json()) as ErrorJson;
    expect(body.errors?.map((error) => [error.field, error.rule])).to.deep.equal([['photos[1]', 'type']]);
    expect(body.errors?.[0]?.message).to.contain('evil.jpg');
    expect(await written()).to.deep.equal(before);
  });

  it('refuses each missing or invalid field with a message naming it, and writes nothing', async () => {
    // given
    const before = await written();
    const cases: [Record<string, string>, string, string][] = [
      [{ tenant: countyA, category: 'SJ06001' }, 'description', 'required'],
      [{ ...VALID, description: ' \u0007 abc \u0000 ' }, 'description', 'minLength'],
      [{ ...VALID, description: '很'.repeat(1001) }, 'description', 'maxLength'],
      [{ ...VALID, category: '' }, 'category', 'required'],
      [{ ...VALID, category: 'XX00000' }, 'category', 'enum'],
      [{ ...VALID, category: 'SJ' }, 'category', 'enum'],
      [{ ...VALID, category: 'SJ99999' }, 'category', 'enum'],
      [{ ...VALID, address: '路'.repeat(201) }, 'address', 'maxLength'],
      [{ ...VALID, latitude: '24.3' }, 'longitude', 'required'],
      [{ ...VALID, latitude: '91', longitude: '109' }, 'latitude', 'max'],
      [{ ...VALID, latitude: '24', longitude: 'east' }, 'longitude', 'type'],
      [{ ...VALID, phone: '1381234567' }, 'phone', 'pattern'],
      [{ ...VALID, phone: '23812345678' }, 'phone', 'pattern'],
      [{ ...VALID, reporter: 'me' }, 'reporter', 'unknown'],
    ];
    for (const [fields, field, rule] of cases) {
      // when
      const response = await submit(fields);
      // then
      const body = (await response.json()) as ErrorJson;
      expect(response.status, `${field} ${rule}`).to.equal(400);
      expect(body.errors?.map((error) => [error.field, error.rule]), `${field} ${rule}`).to.deep.equal([[field, rule]]);
    }
    expect(await written()).to.deep.equal(before);
  });

  it('says what is wrong in Chinese with the English beside it, or in English alone when Accept-Language prefers it', async () => {
    // when
    const chinese = (await (await submit({ ...VALID, description: 'abc' })).json()) as ErrorJson;
    const english = (await (await submit({ ...VALID, description: 'abc' }, [], newAddress(), 'en-US,en;q=0.9')).json()) as ErrorJson;
    // then
    expect(chinese.errors?.[0]?.message).to.equal('「问题描述」至少需要 5 个字符 (问题描述 must have at least 5 characters)');
    expect(english.errors?.[0]?.message).to.equal('description must have at least 5 characters');
  });

  it('removes control characters and trims, but stores markup as it was written', async () => {
    // when
    const report = await submitted({ ...VALID, description: '\u0000  <b>垃圾</b> & "满溢"\u0007\r\n第二行\u001b  ' });
    // then
    expect((await statusOf(report.trackingCode)).description).to.equal('<b>垃圾</b> & "满溢"\n第二行');
  });

  it('shows the citizen the submission and each completed step by name, never who handled it, their notes or files', async () => {
    // given
    const report = await submitted();
    const open = await statusOf(report.trackingCode);
    // when
    await close(report.trackingCode);
    const closed = await (await status(report.trackingCode)).text();
    // then
    expect(open).to.include({ state: 'open', canRate: false, rating: null, category: 'SJ06001', categoryLabel: '私搭乱建', description: VALID.description });
    expect(await (await status(report.trackingCode, newAddress(), 'en')).json()).to.include({ categoryLabel: 'Illegal construction' });
    expect(open.stages.map((stage) => stage.name)).to.deep.equal(['已提交']);
    const json = JSON.parse(closed) as StatusJson;
    expect(json).to.include({ state: 'closed', canRate: true });
    expect(json.stages.map((stage) => stage.name)).to.deep.equal(['已提交', '处置']);
    for (const secret of [CLERK_NAME, 'a-clerk', INTERNAL_NOTE]) expect(closed).to.not.contain(secret);
  });

  it('answers every unknown tracking code, malformed or not, with the same 404', async () => {
    // when
    const answers = await Promise.all(['ZZZZZZZZZZZZ', 'abc', 'x'.repeat(300), "' OR 1=1 --"].map(async (code) => {
      const response = await status(encodeURIComponent(code));
      return [response.status, await response.text()];
    }));
    // then
    expect(new Set(answers.map((answer) => JSON.stringify(answer)))).to.have.property('size', 1);
    expect(answers[0]?.[0]).to.equal(404);
  });

  it('takes a rating once the case is closed, exactly once, with a timeline entry that names nobody', async () => {
    // given
    const report = await submitted();
    // when
    const early = await rate(report.trackingCode, { score: 'satisfied' });
    await close(report.trackingCode);
    const first = await rate(report.trackingCode.toLowerCase(), { score: 'basically-satisfied', comment: '  处理及时\u0000 ' });
    const second = await rate(report.trackingCode, { score: 'dissatisfied' });
    // then
    expect(early.status).to.equal(409);
    expect(first.status).to.equal(201);
    expect(await first.json()).to.include({ score: 'basically-satisfied', comment: '处理及时' });
    expect(second.status).to.equal(409);
    const after = await statusOf(report.trackingCode);
    expect(after).to.include({ canRate: false });
    expect(after.rating).to.include({ score: 'basically-satisfied', comment: '处理及时' });
    const timeline = await api.json<{ operation: string; userId: string | null }[]>(`/instances/${await instanceOf(report.trackingCode)}/timeline`, { as: 'a-admin' });
    expect(timeline.map((entry) => [entry.operation, entry.userId])).to.deep.equal([['start', null], ['approve', 'a-clerk'], ['rate', null]]);
  });

  it('takes exactly one of several ratings sent at the same moment', async () => {
    // given
    const report = await submitted();
    await close(report.trackingCode);
    // when
    const answers = await Promise.all(['satisfied', 'dissatisfied', 'basically-satisfied', 'satisfied', 'dissatisfied'].map((score) => rate(report.trackingCode, { score })));
    // then
    expect(answers.map((answer) => answer.status).sort()).to.deep.equal([201, 409, 409, 409, 409]);
    expect(await count(`public_report WHERE rated_at IS NOT NULL AND tracking_code = '${report.trackingCode}'`)).to.equal(1);
  });

  it('calls a case ended any other way voided, and refuses to rate it', async () => {
    // given
    const report = await submitted();
    await fixture().engine.runtimeService.deleteProcessInstance(await instanceOf(report.trackingCode), 'voided: 重复上报');
    // when
    const voided = await statusOf(report.trackingCode);
    const rating = await rate(report.trackingCode, { score: 'satisfied' });
    // then
    expect(voided).to.include({ state: 'voided', canRate: false });
    expect(rating.status).to.equal(409);
  });

  it('limits the reports of one client address per hour, counted in the database, with Retry-After', async () => {
    // given: the limit is 3
    const address = newAddress();
    for (let i = 0; i < 3; i += 1) await submitted(VALID, [], address);
    // when
    const refused = await submit(VALID, [], address);
    const english = await submit(VALID, [], address, 'en');
    const elsewhere = await submit(VALID, [], newAddress());
    // then
    expect(refused.status).to.equal(429);
    const retryAfter = Number(refused.headers.get('Retry-After'));
    expect(retryAfter).to.be.greaterThan(3500).and.at.most(3600);
    const body = (await refused.json()) as ErrorJson;
    expect(body).to.include({ type: 'RateLimitExceeded', retryAfterSeconds: retryAfter });
    expect(body.message).to.equal('提交过于频繁，请稍后再试 (Too many reports; please try again later)');
    expect(((await english.json()) as ErrorJson).message).to.equal('Too many reports; please try again later');
    expect(elsewhere.status).to.equal(201);
  });

  it('limits the reports naming one phone number per day, from whichever address', async () => {
    // given: the limit is 2
    const phone = '13900000001';
    await submitted({ ...VALID, phone });
    await submitted({ ...VALID, phone });
    // when
    const refused = await submit({ ...VALID, phone });
    // then
    expect(refused.status).to.equal(429);
    expect(Number(refused.headers.get('Retry-After'))).to.be.greaterThan(86_000);
    // the same words as the address's limit: nothing says this number reported lately
    expect(await refused.json()).to.include({ type: 'RateLimitExceeded', message: '提交过于频繁，请稍后再试 (Too many reports; please try again later)' });
    expect((await submit({ ...VALID, phone: '13900000002' })).status).to.equal(201);
  });

  it('limits the status lookups and ratings of one client address per minute', async () => {
    // given: the limit is 10
    const report = await submitted();
    const address = newAddress();
    for (let i = 0; i < 9; i += 1) expect((await status(report.trackingCode, address)).status).to.equal(200);
    expect((await rate(report.trackingCode, { score: 'satisfied' }, address)).status).to.equal(409);
    // when
    const refused = await status(report.trackingCode, address);
    const unknown = await status('ZZZZZZZZZZZZ', address);
    // then
    expect(refused.status).to.equal(429);
    expect(Number(refused.headers.get('Retry-After'))).to.be.within(1, 60);
    expect(unknown.status).to.equal(429);
    expect((await status(report.trackingCode, newAddress())).status).to.equal(200);
  });

  it('counts the satisfaction of the caller\'s tenant only', async () => {
    // given: three closed reports, rated one of each after the ratings of the tests before
    await new Promise((resolve) => setTimeout(resolve, 5));
    const from = new Date().toISOString();
    for (const score of ['satisfied', 'basically-satisfied', 'dissatisfied']) {
      const report = await submitted();
      await close(report.trackingCode);
      expect((await rate(report.trackingCode, { score })).status).to.equal(201);
    }
    // when
    const mine = await api.json<SatisfactionJson>(`/public-reports/satisfaction?from=${encodeURIComponent(from)}`, { as: 'a-admin' });
    const before = await api.json<SatisfactionJson>(`/public-reports/satisfaction?to=${encodeURIComponent(from)}`, { as: 'a-admin' });
    const all = await api.json<SatisfactionJson>('/public-reports/satisfaction', { as: 'a-admin' });
    const otherTenant = await api.json<SatisfactionJson>('/public-reports/satisfaction', { as: 'b-admin' });
    const clerk = await api.request('/public-reports/satisfaction', { as: 'a-clerk' });
    // then
    expect(mine).to.deep.equal({ total: 3, satisfied: 1, basicallySatisfied: 1, dissatisfied: 1, satisfactionRate: 2 / 3 });
    expect(before.total + mine.total).to.equal(all.total);
    expect(otherTenant).to.deep.equal({ total: 0, satisfied: 0, basicallySatisfied: 0, dissatisfied: 0, satisfactionRate: null });
    expect(clerk.status).to.equal(403);
  });

  it("starts a shared process in the channel's tenant: its staff see the case, another tenant's do not", async () => {
    // given
    await api.json('/public-channel', { as: 'b-admin', method: 'PUT', body: { processKey: 'shared_case', enabled: true } });
    // when
    const report = await submitted({ ...VALID, tenant: countyB });
    const anyPortal = await api.request('/public/portal', { as: null });
    // then
    const instanceId = await instanceOf(report.trackingCode);
    const instance = await fixture().engine.historyService.getProcessInstance(instanceId);
    expect(instance).to.include({ tenantId: countyB, startUserId: null });
    expect((await api.request(`/instances/${instanceId}`, { as: 'b-admin' })).status).to.equal(200);
    expect((await api.request(`/instances/${instanceId}`, { as: 'a-admin' })).status).to.equal(404);
    expect(anyPortal.status).to.equal(404);
    await api.json('/public-channel', { as: 'b-admin', method: 'PUT', body: { processKey: 'shared_case', enabled: false } });
  });

  it('counts every report attempt of an address before its body is read, refused ones too: past the hourly attempts even a good report is a 429', async () => {
    // given: the attempts are 8 an hour
    const address = newAddress();
    for (let i = 0; i < 8; i += 1) expect((await submit({ ...VALID, description: 'abc' }, [], address)).status).to.equal(400);
    // when
    const refused = await submit(VALID, [], address);
    // then
    expect(refused.status).to.equal(429);
    expect(Number(refused.headers.get('Retry-After'))).to.be.within(3500, 3600);
    expect(await refused.json()).to.include({ type: 'RateLimitExceeded', message: '提交过于频繁，请稍后再试 (Too many reports; please try again later)' });
    expect(await count(`public_rate_event WHERE bucket = 'report-attempt:${address}'`)).to.equal(8);
    expect((await submit(VALID, [], newAddress())).status).to.equal(201);
  });

  it('stops reading at the first photo past the size limit: a 413 naming it as a refused field, while the client still sends, and nothing written', async () => {
    // given
    const before = await written();
    const total = 4 * 1024 * 1024;
    // when: the limit is 200 000 bytes
    const { status: answer, body, sentWhenAnswered } = await streamUpload({ url: `${api.baseUrl}/public/reports`, headers: asClient(newAddress()), fields: VALID, fileField: 'photos', filename: 'big.jpg', total });
    // then
    expect(answer).to.equal(413);
    expect(sentWhenAnswered).to.be.below(total - 1024 * 1024);
    const refusal = JSON.parse(body) as ErrorJson;
    expect(refusal.type).to.equal('PayloadTooLargeException');
    expect(refusal.errors).to.deep.equal([{ field: 'photos[0]', label: 'big.jpg', rule: 'maxSize', message: refusal.message }]);
    expect(refusal.message).to.contain('200000');
    expect(await written()).to.deep.equal(before);
  });

  it('refuses a photo past the allowed count at once, and a text field sent as a file', async () => {
    // when: 3 photos are allowed
    const surplus = await submit(VALID, [1, 2, 3, 4].map((n) => ({ name: `${n}.jpg`, content: jpeg })));
    const fileField = new FormData();
    for (const [name, value] of Object.entries(VALID)) fileField.append(name, value);
    fileField.append('address', new Blob(['城中区']), 'address.txt');
    const misplaced = await api.request('/public/reports', { as: null, method: 'POST', body: fileField, headers: asClient(newAddress()) });
    // then
    expect(surplus.status).to.equal(400);
    expect(((await surplus.json()) as ErrorJson).errors?.map((error) => [error.field, error.rule])).to.deep.equal([['photos', 'maxItems']]);
    expect(misplaced.status).to.equal(400);
    expect(((await misplaced.json()) as ErrorJson).errors?.map((error) => [error.field, error.rule])).to.deep.equal([['address', 'type']]);
  });

  it('counts IPv6 clients by their /64 and IPv4-mapped ones as IPv4; a forwarded address that is none is a 400', async () => {
    // given: 3 reports an hour per client
    for (const address of ['2001:db8:7:7::1', '2001:db8:7:7::2', '2001:DB8:7:7::abcd:1']) expect((await submit(VALID, [], address)).status, address).to.equal(201);
    const ipv4 = newAddress();
    for (const address of [`::ffff:${ipv4}`, ipv4, `::FFFF:${ipv4}`]) expect((await submit(VALID, [], address)).status, address).to.equal(201);
    // when
    const sameNetwork = await submit(VALID, [], '2001:db8:7:7:ffff:ffff:ffff:ffff');
    const nextNetwork = await submit(VALID, [], '2001:db8:7:8::1');
    const sameIpv4 = await submit(VALID, [], ipv4);
    const forged = await submit(VALID, [], 'not-an-address');
    // then
    expect(sameNetwork.status).to.equal(429);
    expect(nextNetwork.status).to.equal(201);
    expect(sameIpv4.status).to.equal(429);
    expect(forged.status).to.equal(400);
    expect(await count(`public_report WHERE client_address = '2001:db8:7:7:0:0:0:0/64'`)).to.equal(3);
    expect(await count(`public_report WHERE client_address = '${ipv4}'`)).to.equal(3);
  });

  it('stores exactly as many of simultaneous reports of one address as its limit allows, the rest 429', async () => {
    // given: 3 reports an hour
    const address = newAddress();
    // when
    const answers = await Promise.all(Array.from({ length: 7 }, () => submit(VALID, [], address)));
    // then
    expect(answers.map((answer) => answer.status).sort()).to.deep.equal([201, 201, 201, 429, 429, 429, 429]);
    expect(await count(`public_report WHERE client_address = '${address}'`)).to.equal(3);
  });

  it("checks the channel's process again when a report comes: changed since it was configured, the citizen hears a neutral 503 and nothing is written", async () => {
    // given
    const { engine } = fixture();
    const deploy = (content: string) => engine.repositoryService.deploy({ name: 'changing', tenantId: countyB, resources: [{ name: 'changing.bpmn', content }] });
    await deploy(CHANGING_PROCESS);
    await api.json('/public-channel', { as: 'b-admin', method: 'PUT', body: { processKey: 'changing_case', enabled: true } });
    const report = { ...VALID, tenant: countyB };
    try {
      const photo = [{ name: 'a.jpg', content: jpeg }];
      expect((await submit(report, photo)).status).to.equal(201);
      const before = await written();
      // when: a version without a none start event, a suspended version, a version whose start fails
      await deploy(TIMER_STARTS_ONLY);
      const noStartEvent = await submit(report, photo);
      await deploy(CHANGING_PROCESS);
      await engine.database.transaction((sql) => sql.execute("UPDATE process_definition SET suspended = $1 WHERE key_ = 'changing_case'", [1]));
      const suspended = await submit(report, photo, newAddress(), 'en');
      await deploy(FAILING_START);
      const failingStart = await submit(report, photo);
      // then
      for (const answer of [noStartEvent, failingStart]) {
        expect(answer.status).to.equal(503);
        expect(await answer.json()).to.deep.equal({ type: 'ReportingUnavailable', message: '暂时无法受理上报，请稍后再试 (Reports cannot be taken at the moment; please try again later)' });
      }
      expect(suspended.status).to.equal(503);
      expect(((await suspended.json()) as ErrorJson).message).to.equal('Reports cannot be taken at the moment; please try again later');
      expect(await written()).to.deep.equal(before);
    } finally {
      await api.json('/public-channel', { as: 'b-admin', method: 'PUT', body: { processKey: 'shared_case', enabled: false } });
    }
  });

  it('answers as the OpenAPI document declares', async () => {
    // given
    const document = await api.json<OpenAPIV3.Document>('/openapi.json', { as: 'a-admin' });
    const ajv = new Ajv({ strict: false, allErrors: true, formats: { 'date-time': fullFormats['date-time'] } });
    const declared = (method: 'get' | 'post' | 'put', path: string, status: number) => {
      const operation = (document.paths[path] as Record<string, OpenAPIV3.OperationObject>)[method];
      expect(operation?.responses, `${method} ${path}`).to.have.property(String(status));
      const schema = (operation?.responses[String(status)] as OpenAPIV3.ResponseObject).content?.['application/json']?.schema;
      return (answer: unknown) => {
        const validate = ajv.compile(schema as object);
        expect(validate(answer), `${method} ${path}: ${ajv.errorsText(validate.errors)}`).to.equal(true);
      };
    };
    const report = await submitted();
    await close(report.trackingCode);
    // then
    declared('post', '/public/reports', 201)(report);
    declared('get', '/public/portal', 200)(await api.json('/public/portal', { as: 'a-admin' }));
    declared('get', '/public/reports/{trackingCode}', 200)(await statusOf(report.trackingCode));
    declared('post', '/public/reports/{trackingCode}/rating', 201)(await (await rate(report.trackingCode, { score: 'satisfied', comment: '好' })).json());
    declared('get', '/public/reports/{trackingCode}', 200)(await statusOf(report.trackingCode));
    declared('get', '/public-channel', 200)(await api.json('/public-channel', { as: 'a-admin' }));
    declared('get', '/public-reports/satisfaction', 200)(await api.json('/public-reports/satisfaction', { as: 'a-admin' }));
    expect((document.paths['/public/reports'] as Record<string, OpenAPIV3.OperationObject>).post?.security).to.deep.equal([]);
  });

  describe('with a captcha', () => {
    let captchaApi: SignedInClient;
    let provider: Server;
    const verifications: URLSearchParams[] = [];
    /** photos are staged on disk here, under .incoming, while they arrive */
    const fileDirectory = mkdtempSync(path.join(tmpdir(), 'yiwang-public-'));
    const staged = () => (existsSync(path.join(fileDirectory, '.incoming')) ? readdirSync(path.join(fileDirectory, '.incoming')) : []);

    before(async () => {
      // a local siteverify provider: the token 'solved' passes
      provider = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => {
          const form = new URLSearchParams(body);
          verifications.push(form);
          response.setHeader('Content-Type', 'application/json');
          response.end(JSON.stringify({ success: form.get('secret') === 'test-secret' && form.get('response') === 'solved' }));
        });
      });
      await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
      const verifyUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/siteverify`;
      const captcha = { provider: 'turnstile', siteKey: 'site-key', scriptUrl: 'https://challenges.example/api.js', verifyUrl, secret: 'test-secret' };
      captchaApi = await startSignedInApi(fixture().engine, { trustProxy: true, publicReports: { ...SETTINGS, captcha }, files: { storage: 'disk', directory: fileDirectory } });
    });

    after(async () => {
      await captchaApi?.close();
      await new Promise((resolve) => provider?.close(resolve));
      rmSync(fileDirectory, { recursive: true, force: true });
    });

    const submitSolving = (captchaToken: string | null, address: string) => {
      const fields = captchaToken === null ? VALID : { ...VALID, captchaToken };
      return captchaApi.request('/public/reports', { as: null, method: 'POST', body: reportForm(fields), headers: asClient(address) });
    };

    it('hands the page the provider and site key, never the secret', async () => {
      // when
      const portal = await captchaApi.request(`/public/portal?tenant=${countyA}`, { as: null });
      // then
      const text = await portal.text();
      expect(JSON.parse(text).captcha).to.deep.equal({ provider: 'turnstile', siteKey: 'site-key', scriptUrl: 'https://challenges.example/api.js' });
      expect(text).to.not.contain('test-secret');
    });

    it('requires a token the provider confirms: none is a 400 naming the field, a refused one CaptchaFailed, nothing written either way', async () => {
      // given
      const before = await written();
      const address = newAddress();
      // when
      const missing = await submitSolving(null, address);
      const refused = await submitSolving('robot', address);
      const afterRefusals = await written();
      const solved = await submitSolving('solved', address);
      // then
      expect(missing.status).to.equal(400);
      expect(((await missing.json()) as ErrorJson).errors?.map((error) => error.field)).to.deep.equal(['captchaToken']);
      expect(refused.status).to.equal(400);
      expect(((await refused.json()) as ErrorJson).type).to.equal('CaptchaFailed');
      expect(afterRefusals).to.deep.equal(before);
      expect(solved.status).to.equal(201);
      expect(verifications.map((form) => [form.get('response'), form.get('remoteip')])).to.deep.equal([['robot', address], ['solved', address]]);
    });
    it('verifies the token as its field arrives, before any photo is staged: a refused one ends the body with nothing staged, each token asked once', async () => {
      // given
      verifications.length = 0;
      const before = await written();
      const photos = [{ name: 'a.jpg', content: jpeg }, { name: 'b.png', content: png, type: 'image/png' }];
      const send = (form: FormData) => captchaApi.request('/public/reports', { as: null, method: 'POST', body: form, headers: asClient(newAddress()) });
      // when
      const refused = await send(reportForm({ ...VALID, captchaToken: 'robot' }, photos));
      const stagedAfterRefusal = staged();
      const late = reportForm(VALID, photos);
      late.append('captchaToken', 'solved');
      const tokenAfterPhotos = await send(late);
      const solved = await send(reportForm({ ...VALID, captchaToken: 'solved' }, photos));
      // then
      expect(refused.status).to.equal(400);
      expect(((await refused.json()) as ErrorJson).type).to.equal('CaptchaFailed');
      expect(stagedAfterRefusal).to.deep.equal([]);
      expect(tokenAfterPhotos.status).to.equal(400);
      expect(((await tokenAfterPhotos.json()) as ErrorJson).errors?.map((error) => error.field)).to.deep.equal(['captchaToken']);
      expect(solved.status).to.equal(201);
      expect(verifications.map((form) => form.get('response'))).to.deep.equal(['robot', 'solved']);
      expect((await written()).reports).to.equal(before.reports + 1);
      expect(staged()).to.deep.equal([]);
    });
  });
});

