import { expect } from 'chai';
import { DEFAULT_PUBLIC_REPORT_SETTINGS, type PublicReportSettings } from '../../config/index.js';
import { CreateDictionaryCmd } from '../../dictionaries/index.js';
import { ApiKeys } from '../../identity/authentication/api-keys.js';
import { syncPermissionCatalogue } from '../../identity/index.js';
import { discoverPlugins } from '../../plugins/index.js';
import { DEFAULT_SEEDS_DIRECTORY, loadSeeds } from '../../seeds/index.js';
import { bpmn, flow } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../../testing/organisation.js';
import { startSignedInApi, type SignedInClient } from '../../testing/signed-in-app.js';
import type { PublicReportRouteDeps } from './public-report-routes.js';

/** Registering a client issues an API key: the routes' authentication is no option (type-checked: tsc fails here if it turns optional). */
export const AUTHENTICATION_REQUIRED: object extends Pick<PublicReportRouteDeps, 'authentication'> ? never : true = true;

const { city, countyA, countyB } = TENANT_TREE;

interface ClientJson {
  id: string;
  tenantId: string;
  code: string;
  name: string;
  apiKeyId: string;
  userId: string | null;
  reportsPerHour: number;
  lookupsPerMinute: number;
  revoked: string | null;
  key?: string;
}
interface StatusJson {
  trackingCode: string;
  state: string;
  canRate: boolean;
}

const REPORT_PROCESS = bpmn('client_case', `
  <startEvent id="start"/>${flow('start', 'handle')}
  <userTask id="handle" name="处置"/>${flow('handle', 'end')}
  <endEvent id="end"/>`);

/** The portal asks anonymous citizens for a captcha (its provider unreachable here): clients are never asked. */
const SETTINGS: PublicReportSettings = {
  ...DEFAULT_PUBLIC_REPORT_SETTINGS,
  reportsPerDayPerPhone: 2,
  captcha: { provider: 'turnstile', siteKey: 'site', scriptUrl: 'https://captcha.invalid/api.js', verifyUrl: 'http://127.0.0.1:9/siteverify', secret: 'never-sent' },
};

/**
 * The public channel's API clients over HTTP (柳州数字城管微信公众号, 柳州市民通 …): an administrator
 * registers one and gets its key once; with it the client reports, follows and rates for its
 * citizens in its key's tenant only, each case naming the client's channel, counted by the
 * client's own limits and the citizen's phone; a revoked key is a 401.
 */
describeOnDatabases('api/platform - public channel clients', (fixture) => {
  let api: SignedInClient;

  before(async () => {
    const { engine } = fixture();
    const admin = ['public-channel:read', 'public-channel:write', 'public-report:submit', 'task:read', 'task:handle', 'instance:read'];
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      roles: [
        { tenantId: countyA, code: 'admin', permissions: admin },
        { tenantId: countyA, code: 'channel', permissions: ['public-report:submit'] },
        { tenantId: countyA, code: 'clerk', permissions: ['task:read'] },
        { tenantId: countyB, code: 'admin', permissions: admin },
        { tenantId: countyB, code: 'channel', permissions: ['public-report:submit'] },
        { tenantId: city, code: 'admin', permissions: admin, seesDescendants: true },
      ],
      users: [
        { id: 'a-admin', tenantId: countyA, roles: ['admin'] },
        { id: 'a-wechat', tenantId: countyA, roles: ['channel'] },
        { id: 'a-app', tenantId: countyA, roles: ['channel'] },
        { id: 'a-clerk', tenantId: countyA, roles: ['clerk'] },
        { id: 'b-admin', tenantId: countyB, roles: ['admin'] },
        { id: 'b-wechat', tenantId: countyB, roles: ['channel'] },
        { id: 'city-admin', tenantId: city, roles: ['admin'] },
      ],
    });
    await engine.commandExecutor.execute(new CreateDictionaryCmd({
      code: 'case-category', name: '案件类别', hierarchical: true,
      items: [{ code: 'SJ', label: '事项' }, { code: 'SJ06010', label: '暴露垃圾', parent: 'SJ' }],
    }));
    for (const tenantId of [countyA, countyB]) {
      await engine.repositoryService.deploy({ name: 'client', tenantId, resources: [{ name: 'client.bpmn', content: REPORT_PROCESS }] });
    }
    api = await startSignedInApi(engine, { trustProxy: true, publicReports: SETTINGS });
    await api.json('/public-channel', { as: 'a-admin', method: 'PUT', body: { processKey: 'client_case', enabled: true } });
    await api.json('/public-channel', { as: 'b-admin', method: 'PUT', body: { processKey: 'client_case', enabled: true } });
  });

  after(async () => {
    await api?.close();
  });

  const register = (as: string, body: Record<string, unknown>) => api.request('/public-channel/clients', { as, method: 'POST', body });
  async function registered(as: string, body: Record<string, unknown>): Promise<ClientJson & { key: string }> {
    return api.json<ClientJson & { key: string }>('/public-channel/clients', { as, method: 'POST', body }, 201);
  }
  const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
  function reportForm(fields: Record<string, string>): FormData {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    return form;
  }
  let phoneCounter = 0;
  const newPhone = () => `1390000${String(++phoneCounter).padStart(4, '0')}`;
  const REPORT = { category: 'SJ06010', description: '小区门口垃圾堆了三天没人清理', latitude: '24.3264', longitude: '109.4281' };
  const submitAs = (key: string, fields: Record<string, string> = { ...REPORT, phone: newPhone() }) =>
    api.request('/public-channel/reports', { as: null, method: 'POST', body: reportForm(fields), headers: bearer(key) });
  async function reportedAs(key: string, fields?: Record<string, string>): Promise<string> {
    const response = await submitAs(key, fields);
    const text = await response.text();
    expect(response.status, text).to.equal(201);
    return (JSON.parse(text) as { trackingCode: string }).trackingCode;
  }
  const statusAs = (key: string, code: string) => api.request(`/public-channel/reports/${code}`, { as: null, headers: bearer(key) });
  async function reportRow(trackingCode: string): Promise<{ processInstanceId: string; channel: string; clientAddress: string }> {
    const [row] = await fixture().engine.database.read((sql) => sql.select('SELECT process_instance_id, channel, client_address FROM public_report WHERE tracking_code = $1', [trackingCode]));
    return { processInstanceId: String(row?.process_instance_id), channel: String(row?.channel), clientAddress: String(row?.client_address) };
  }

  it('registers a client with a key shown once; lists it without the key; refuses a code in use, the portal\'s code and a key user without the permission', async () => {
    // when
    const client = await registered('a-admin', { code: 'wechat-szcg', name: '柳州数字城管微信公众号', userId: 'a-wechat' });
    const again = await register('a-admin', { code: 'wechat-szcg', name: '重复', userId: 'a-wechat' });
    const portalCode = await register('a-admin', { code: 'public', name: '门户', userId: 'a-wechat' });
    const badCode = await register('a-admin', { code: 'WeChat SZCG', name: 'x', userId: 'a-wechat' });
    const powerless = await register('a-admin', { code: 'clerk-app', name: '无权限', userId: 'a-clerk' });
    const list = await api.json<ClientJson[]>('/public-channel/clients', { as: 'a-admin' });
    const otherTenant = await api.json<ClientJson[]>('/public-channel/clients', { as: 'b-admin' });
    // then
    expect(client.key).to.match(/^yw_/);
    expect(client).to.include({ tenantId: countyA, code: 'wechat-szcg', name: '柳州数字城管微信公众号', userId: 'a-wechat', reportsPerHour: 600, lookupsPerMinute: 600, revoked: null });
    expect(again.status).to.equal(409);
    expect(portalCode.status).to.equal(400);
    expect(badCode.status).to.equal(400);
    expect(powerless.status).to.equal(400);
    expect(((await powerless.json()) as { message: string }).message).to.contain('public-report:submit');
    expect(list.map((c) => c.code)).to.deep.equal(['wechat-szcg']);
    expect(list[0]).to.not.have.property('key');
    expect(JSON.stringify(list)).to.not.contain(client.key);
    expect(otherTenant).to.deep.equal([]);
    const keys = await fixture().engine.database.read((sql) => sql.select('SELECT permissions, tenant_id, user_id FROM api_token WHERE id = $1', [client.apiKeyId]));
    expect(keys.map((key) => [key.tenant_id, key.user_id])).to.deep.equal([[countyA, 'a-wechat']]);
    expect(String(keys[0]?.permissions)).to.contain('public-report:submit');
  });

  it('takes a report from a client without a captcha: the case carries source public and the client\'s channel, the report counts for the client', async () => {
    // given
    const { key } = await registered('a-admin', { code: 'app-smt', name: '柳州市民通', userId: 'a-app' });
    const anonymous = await api.request('/public/reports', { as: null, method: 'POST', body: reportForm({ ...REPORT, tenant: countyA }), headers: { 'X-Forwarded-For': '198.51.100.7' } });
    // when
    const portal = await api.request('/public-channel/portal', { as: null, headers: bearer(key) });
    const trackingCode = await reportedAs(key);
    // then
    expect(anonymous.status, 'the portal asks anonymous citizens for the captcha').to.equal(400);
    expect(portal.status).to.equal(200);
    expect(await portal.json()).to.deep.include({ tenantId: countyA, captcha: null });
    const row = await reportRow(trackingCode);
    const [client] = (await api.json<ClientJson[]>('/public-channel/clients', { as: 'a-admin' })).filter((c) => c.code === 'app-smt');
    expect(row).to.deep.equal({ processInstanceId: row.processInstanceId, channel: 'app-smt', clientAddress: `client:${client?.id}` });
    const variables = Object.fromEntries([...(await fixture().engine.runtimeService.getVariables(row.processInstanceId))].map(([name, value]) => [name, value.value]));
    expect(variables).to.include({ source: 'public', channel: 'app-smt', trackingCode, category: 'SJ06010' });
    const instance = await fixture().engine.historyService.getProcessInstance(row.processInstanceId);
    expect(instance).to.include({ tenantId: countyA, startUserId: null });
    const status = (await (await statusAs(key, trackingCode)).json()) as StatusJson;
    expect(status).to.include({ trackingCode, state: 'open', canRate: false });
    // the citizen may follow it on the portal too: the tracking code is theirs
    expect((await api.request(`/public/reports/${trackingCode}`, { as: null, headers: { 'X-Forwarded-For': '198.51.100.8' } })).status).to.equal(200);
  });

  it('rates a closed report for the citizen through the client, once', async () => {
    // given
    const { key } = await registered('a-admin', { code: 'wechat-lzcg', name: '柳州城管微信公众号', userId: 'a-wechat' });
    const trackingCode = await reportedAs(key);
    const { engine } = fixture();
    const [task] = await engine.taskService.listTasks({ processInstanceId: (await reportRow(trackingCode)).processInstanceId });
    await engine.taskService.complete(task!.id);
    // when
    const rated = await api.request(`/public-channel/reports/${trackingCode}/rating`, { as: null, method: 'POST', body: { score: 'satisfied', comment: '处理很快' }, headers: bearer(key) });
    const twice = await api.request(`/public-channel/reports/${trackingCode}/rating`, { as: null, method: 'POST', body: { score: 'dissatisfied' }, headers: bearer(key) });
    // then
    expect(rated.status, await rated.clone().text()).to.equal(201);
    expect(await rated.json()).to.include({ score: 'satisfied', comment: '处理很快' });
    expect(twice.status).to.equal(409);
    expect(((await (await statusAs(key, trackingCode)).json()) as StatusJson)).to.include({ state: 'closed', canRate: false });
  });

  it('counts reports per client (its own hourly limit) and per phone number across clients and the portal', async () => {
    // given: a client allowed two reports an hour, another with the default
    const small = await registered('a-admin', { code: 'wechat-small', name: '小流量公众号', userId: 'a-wechat', reportsPerHour: 2 });
    const big = await registered('a-admin', { code: 'app-big', name: '大流量 App', userId: 'a-app' });
    await reportedAs(small.key);
    await reportedAs(small.key);
    // when
    const third = await submitAs(small.key);
    const otherClient = await submitAs(big.key);
    const phone = newPhone();
    await reportedAs(big.key, { ...REPORT, phone });
    await reportedAs(big.key, { ...REPORT, phone });
    const thirdByPhone = await submitAs(big.key, { ...REPORT, phone });
    // then
    expect(third.status).to.equal(429);
    expect(third.headers.get('Retry-After')).to.match(/^\d+$/);
    expect(otherClient.status).to.equal(201);
    expect(thirdByPhone.status, 'the phone\'s daily limit').to.equal(429);
  });

  it('keeps each client in its key\'s tenant: another tenant\'s tracking code answers 404, naming another tenant is a 400', async () => {
    // given
    const a = await registered('a-admin', { code: 'wechat-iso', name: '柳城公众号', userId: 'a-wechat' });
    const b = await registered('b-admin', { code: 'wechat-iso', name: '鹿寨公众号', userId: 'b-wechat' });
    const codeA = await reportedAs(a.key);
    // when
    const lookup = await statusAs(b.key, codeA);
    const rating = await api.request(`/public-channel/reports/${codeA}/rating`, { as: null, method: 'POST', body: { score: 'satisfied' }, headers: bearer(b.key) });
    const intoA = await submitAs(b.key, { ...REPORT, tenant: countyA });
    const codeB = await reportedAs(b.key);
    // then
    expect(lookup.status).to.equal(404);
    expect(rating.status).to.equal(404);
    expect(intoA.status).to.equal(400);
    expect((await reportRow(codeB)).channel).to.equal('wechat-iso');
    const instance = await fixture().engine.historyService.getProcessInstance((await reportRow(codeB)).processInstanceId);
    expect(instance.tenantId).to.equal(countyB);
  });

  it('answers 401 to a revoked key and 403 to callers that are no client; a revoked code is registered again with a new key', async () => {
    // given
    const client = await registered('a-admin', { code: 'wechat-old', name: '旧公众号', userId: 'a-wechat' });
    const trackingCode = await reportedAs(client.key);
    const plainKey = (await new ApiKeys(fixture().engine, api.principals).create({ name: 'not a client', userId: 'a-wechat', permissions: ['public-report:submit'] }, null, null)).key;
    // when
    const revoked = await api.request('/public-channel/clients/wechat-old', { as: 'a-admin', method: 'DELETE' });
    const revokedAgain = await api.request('/public-channel/clients/wechat-old', { as: 'a-admin', method: 'DELETE' });
    const otherTenant = await api.request('/public-channel/clients/wechat-old', { as: 'b-admin', method: 'DELETE' });
    const renewed = await registered('a-admin', { code: 'wechat-old', name: '旧公众号（新密钥）', userId: 'a-wechat' });
    // then
    expect(revoked.status).to.equal(204);
    expect(revokedAgain.status).to.equal(204);
    expect(otherTenant.status).to.equal(404);
    expect((await submitAs(client.key)).status).to.equal(401);
    expect((await statusAs(client.key, trackingCode)).status).to.equal(401);
    expect((await api.request('/public-channel/portal', { as: null, headers: bearer(client.key) })).status).to.equal(401);
    expect((await statusAs(renewed.key, trackingCode)).status).to.equal(200);
    expect((await reportRow(await reportedAs(renewed.key))).channel).to.equal('wechat-old');
    expect(renewed.id).to.equal(client.id);
    expect((await statusAs(plainKey, trackingCode)).status, 'a key that is no client\'s').to.equal(403);
    expect((await api.request(`/public-channel/reports/${trackingCode}`, { as: 'a-admin' })).status, 'a person signed in').to.equal(403);
    const audit = await fixture().engine.database.read((sql) => sql.select("SELECT action FROM audit_log WHERE action LIKE 'public-channel-client.%' ORDER BY id"));
    expect(audit.map((row) => row.action)).to.include.members(['public-channel-client.register', 'public-channel-client.revoke']);
  });
  it('lists and revokes a client the city\'s administrator registered for a county (?tenantId=), as registration takes the county; a tenant the caller does not see: 404', async () => {
    // given: the city's administrator registers a county's client
    const client = await registered('city-admin', { code: 'app-county', name: '柳城县民通', userId: 'a-app', tenantId: countyA });
    // when
    const listed = await api.json<ClientJson[]>(`/public-channel/clients?tenantId=${countyA}`, { as: 'city-admin' });
    const ownListed = await api.json<ClientJson[]>('/public-channel/clients', { as: 'city-admin' });
    const listedByOther = await api.request(`/public-channel/clients?tenantId=${countyA}`, { as: 'b-admin' });
    const revokedByOther = await api.request(`/public-channel/clients/app-county?tenantId=${countyA}`, { as: 'b-admin', method: 'DELETE' });
    const revoked = await api.request(`/public-channel/clients/app-county?tenantId=${countyA}`, { as: 'city-admin', method: 'DELETE' });
    const afterRevoke = await api.json<ClientJson[]>(`/public-channel/clients?tenantId=${countyA}`, { as: 'city-admin' });
    const renewed = await register('city-admin', { code: 'app-county', name: '柳城县民通', userId: 'a-app', tenantId: countyA });
    // then
    expect(client.tenantId).to.equal(countyA);
    expect(listed.find((row) => row.code === 'app-county')).to.include({ id: client.id, tenantId: countyA, userId: 'a-app', revoked: null });
    expect(ownListed.map((row) => row.code), 'the city has none of its own').to.deep.equal([]);
    expect(listedByOther.status).to.equal(404);
    expect(revokedByOther.status).to.equal(404);
    expect(revoked.status, await revoked.clone().text()).to.equal(204);
    expect(afterRevoke.find((row) => row.code === 'app-county')?.revoked).to.be.a('string');
    expect((await submitAs(client.key)).status).to.equal(401);
    expect(renewed.status, 'a revoked code is registered again').to.equal(201);
  });
});

/**
 * On the Liuzhou template (seeds with their plugins): the city's system administrator, whose role
 * the public-service plugin gives public-report:submit, registers the 柳州市民通 client, and the
 * client reports to the city; the seeded 受理员 holds public-report:merge.
 */
describeOnDatabases('api/platform - public channel clients on the Liuzhou template', (fixture) => {
  let api: SignedInClient;
  const DEMO_PASSWORD = 'Demo-Passw0rd-1';

  before(async () => {
    const { engine } = fixture();
    await syncPermissionCatalogue(engine.commandExecutor);
    await loadSeeds(engine, { directory: DEFAULT_SEEDS_DIRECTORY, demoPassword: DEMO_PASSWORD, announce: () => undefined, plugins: discoverPlugins() });
    api = await startSignedInApi(engine);
  });

  after(async () => {
    await api?.close();
  });

  async function signIn(userId: string): Promise<Record<string, string>> {
    const response = await api.request('/auth/login', { as: null, method: 'POST', body: { username: userId, password: DEMO_PASSWORD } });
    expect(response.status, await response.clone().text()).to.equal(200);
    return { Authorization: `Bearer ${((await response.json()) as { accessToken: string }).accessToken}` };
  }

  it('lets the city\'s system administrator register 柳州市民通, whose key then reports to the city', async () => {
    // given
    const admin = await signIn('lz.sysadmin');
    await api.request('/public-channel', { as: null, method: 'PUT', headers: admin, body: { processKey: 'cc_case', categoryDictionary: 'ps-public-category', enabled: true } });
    // when
    const registered = await api.request('/public-channel/clients', { as: null, method: 'POST', headers: admin, body: { code: 'app-smt', name: '柳州市民通' } });
    const text = await registered.text();
    // then
    expect(registered.status, text).to.equal(201);
    const { key } = JSON.parse(text) as { key: string };
    const form = new FormData();
    for (const [name, value] of Object.entries({ category: 'ps-garbage', description: '小区门口垃圾堆了三天没人清理' })) form.append(name, value);
    const reported = await api.request('/public-channel/reports', { as: null, method: 'POST', body: form, headers: { Authorization: `Bearer ${key}` } });
    expect(reported.status, await reported.clone().text()).to.equal(201);
    const me = (await (await api.request('/auth/me', { as: null, headers: await signIn('lz.receptionist') })).json()) as { permissions: string[] };
    expect(me.permissions).to.include('public-report:merge');
  });
});
