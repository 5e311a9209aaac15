import { expect } from 'chai';
import { DEFAULT_AUTHENTICATION_SETTINGS } from '../../identity/index.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../../testing/organisation.js';
import { startApiServer, type ApiClient } from '../../testing/rest.js';

const { city } = TENANT_TREE;
/** meets the built-in policy (10 characters, three classes), not the stricter one below */
const ELEVEN_CHARACTERS = 'Short-Pass1';

describeOnDatabases('api/platform - the configured password policy governs passwords administrators set', (fixture) => {
  let api: ApiClient;

  before(async () => {
    const { engine } = fixture();
    const settings = { ...DEFAULT_AUTHENTICATION_SETTINGS, passwordPolicy: { minLength: 16, minClasses: 3, maxAgeDays: null } };
    api = await startApiServer(engine, { settings });
    await buildOrganisation(engine, { tenants: TENANT_TREE_FIXTURE, users: [{ id: 'existing', tenantId: city }] });
  });

  after(async () => {
    await api.close();
  });

  it('refuses a new user’s initial password and a reset the policy does not allow, naming the rule', async () => {
    const created = await api.request('/admin/users', { body: { id: 'newcomer', tenantId: city, displayName: '新同事', password: ELEVEN_CHARACTERS } });
    expect(created.status).to.equal(400);
    expect(((await created.json()) as { message: string }).message).to.contain('16');
    const reset = await api.request('/admin/users/existing/password', { body: { password: ELEVEN_CHARACTERS } });
    expect(reset.status).to.equal(400);
    expect((await api.request('/admin/users/newcomer')).status).to.equal(404);
  });

  it('refuses an import row whose initial password the policy does not allow', async () => {
    const form = new FormData();
    const csv = `账号,姓名,初始密码\nimported,导入用户,${ELEVEN_CHARACTERS}\n`;
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'users.csv');
    const response = await api.request(`/admin/users/import?tenantId=${city}`, { body: form });
    expect(response.status).to.equal(400);
    const body = (await response.json()) as { rows: { row: number; field: string; message: string }[] };
    expect(body.rows).to.have.length(1);
    expect(body.rows[0]).to.include({ row: 2, field: 'password' });
    expect(body.rows[0]?.message).to.contain('16');
  });
});
