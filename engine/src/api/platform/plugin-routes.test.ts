import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../../testing/organisation.js';
import { errorMessage, startSignedInApi, type SignedInClient } from '../../testing/signed-in-app.js';

const { city, countyA } = TENANT_TREE;
const FIXTURES = fileURLToPath(new URL('../../plugins/fixtures/v1/', import.meta.url));

interface PluginView {
  name: string;
  version: string | null;
  status: string;
  state: string;
  installedVersion: string | null;
  upgradeAvailable: boolean;
}

describeOnDatabases('api/platform - plugins and menus', (fixture) => {
  let api: SignedInClient;
  let previousDirs: string | undefined;

  before(async () => {
    previousDirs = process.env.YIWANG_PLUGINS_DIR;
    // the routes offer the plugins found at start: the repository's and the fixtures
    process.env.YIWANG_PLUGINS_DIR = FIXTURES;
    const { engine } = fixture();
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      roles: [
        { tenantId: city, code: 'plugin-admin', permissions: ['plugin:read', 'plugin:write', 'menu:runtime:fx-cases'] },
        { tenantId: city, code: 'plugin-reader', permissions: ['plugin:read'] },
        { tenantId: city, code: 'clerk', permissions: ['task:read'] },
        { tenantId: countyA, code: 'plugin-admin', permissions: ['plugin:read', 'plugin:write'] },
        { tenantId: countyA, code: 'fx-reader', permissions: ['menu:runtime:fx-cases'] },
      ],
      users: [
        { id: 'city-admin', tenantId: city, roles: ['plugin-admin'] },
        { id: 'city-reader', tenantId: city, roles: ['plugin-reader'] },
        { id: 'city-clerk', tenantId: city, roles: ['clerk'] },
        { id: 'a-admin', tenantId: countyA, roles: ['plugin-admin'] },
        { id: 'a-fx-clerk', tenantId: countyA, roles: ['fx-reader'] },
      ],
    });
    api = await startSignedInApi(engine);
  });

  after(async () => {
    await api?.close();
    if (previousDirs === undefined) delete process.env.YIWANG_PLUGINS_DIR;
    else process.env.YIWANG_PLUGINS_DIR = previousDirs;
  });

  it('answers 401 without credentials and 403 without the permission', async () => {
    expect((await api.request('/plugins', { as: null })).status).to.equal(401);
    expect((await api.request('/plugins', { as: 'city-clerk' })).status).to.equal(403);
    const refused = await api.request('/plugins/fx-base/install', { as: 'city-reader', method: 'POST', body: {} });
    expect(refused.status).to.equal(403);
    expect(await errorMessage(refused)).to.contain('plugin:write');
    expect((await api.request('/menus?app=runtime', { as: null })).status).to.equal(401);
  });

  it("lists the repository's and the fixtures' plugins with the tenant's state", async () => {
    const plugins = await api.json<PluginView[]>('/plugins', { as: 'city-reader' });
    const names = plugins.map((plugin) => plugin.name);
    expect(names).to.include.members(['command-coordination', 'public-service', 'fx-base', 'fx-addon']);
    expect(plugins.find((plugin) => plugin.name === 'fx-base')).to.deep.include({ version: '1.0.0', status: 'available', state: 'not-installed', installedVersion: null, upgradeAvailable: false });
    expect(plugins.find((plugin) => plugin.name === 'decision-support')).to.deep.include({ status: 'planned' });
  });

  it('installs, shows the menus the caller may see, disables and uninstalls', async () => {
    // when
    const installed = await api.json<{ changed: boolean; applied: unknown[] }>('/plugins/fx-base/install', { as: 'city-admin', method: 'POST', body: {} });
    // then
    expect(installed.changed).to.equal(true);
    const again = await api.json<{ changed: boolean }>('/plugins/fx-base/install', { as: 'city-admin', method: 'POST', body: {} });
    expect(again.changed).to.equal(false);
    expect((await api.json<PluginView[]>('/plugins', { as: 'city-reader' })).find((plugin) => plugin.name === 'fx-base')).to.deep.include({ state: 'installed', installedVersion: '1.0.0' });
    const menus = await api.json<{ key: string; title: { en: string } }[]>('/menus?app=runtime', { as: 'city-admin' });
    expect(menus.map((menu) => menu.key)).to.deep.equal(['fx-cases']);
    // what the apps build their entry from: the plugin's title heads its group, the path carries its query
    expect(menus[0]).to.deep.equal({
      plugin: 'fx-base', pluginTitle: { 'zh-CN': '测试插件', en: 'Fixture plugin' }, key: 'fx-cases', title: { 'zh-CN': '测试案件', en: 'Fixture cases' },
      path: '/cases', icon: null, order: 10, permission: 'menu:runtime:fx-cases',
    });
    expect(await api.json('/menus?app=runtime', { as: 'city-reader' })).to.deep.equal([]);
    // the designer's entry asks for menu:designer:dictionary, which the plugin administrator lacks
    expect(await api.json('/menus?app=designer', { as: 'city-admin' })).to.deep.equal([]);
    // another tenant, holding the same permission, sees nothing of a plugin it has not installed
    expect(await api.json('/menus?app=runtime', { as: 'a-fx-clerk' })).to.deep.equal([]);
    expect((await api.request('/menus?app=staff', { as: 'city-admin' })).status).to.equal(400);
    // disabled: no menus; enabled again: back
    await api.json('/plugins/fx-base/disable', { as: 'city-admin', method: 'POST', body: {} });
    expect(await api.json('/menus?app=runtime', { as: 'city-admin' })).to.deep.equal([]);
    await api.json('/plugins/fx-base/enable', { as: 'city-admin', method: 'POST', body: {} });
    expect((await api.json<{ key: string }[]>('/menus?app=runtime', { as: 'city-admin' })).map((menu) => menu.key)).to.deep.equal(['fx-cases']);
    await api.json('/plugins/fx-base/disable', { as: 'city-admin', method: 'POST', body: {} });
    // uninstalled
    const removed = await api.json<{ state: string }>('/plugins/fx-base', { as: 'city-admin', method: 'DELETE' });
    expect(removed.state).to.equal('not-installed');
  });

  it('keeps tenants apart: another tenant is a 404, an unknown plugin too, and a planned one cannot be installed', async () => {
    expect((await api.request(`/plugins?tenantId=${city}`, { as: 'a-admin' })).status).to.equal(404);
    expect((await api.request('/plugins/fx-base/install', { as: 'a-admin', method: 'POST', body: { tenantId: city } })).status).to.equal(404);
    expect((await api.request('/plugins/no-such-plugin/install', { as: 'a-admin', method: 'POST', body: {} })).status).to.equal(404);
    const planned = await api.request('/plugins/decision-support/install', { as: 'a-admin', method: 'POST', body: {} });
    expect(planned.status).to.equal(400);
    expect(await errorMessage(planned)).to.contain('planned');
  });

  it('answers a plugin\'s manifest to readers (what it contributes), 404 for one the folders lack', async () => {
    const found = await api.request('/plugins/command-coordination/manifest', { as: 'city-reader' });
    expect(found.status).to.equal(200);
    const manifest = (await found.json()) as { name: string; contributes: { processes: string[]; roles: { code: string }[] } };
    expect(manifest.name).to.equal('command-coordination');
    expect(manifest.contributes.processes).to.deep.equal(['processes/case-loop.bpmn']);
    expect(manifest.contributes.roles.map((role) => role.code)).to.include('dispatcher');
    expect((await api.request('/plugins/no-such-plugin/manifest', { as: 'city-reader' })).status).to.equal(404);
    expect((await api.request('/plugins/command-coordination/manifest', { as: 'city-clerk' })).status).to.equal(403);
  });
});
