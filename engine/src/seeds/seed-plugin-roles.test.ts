/**
 * The template's plugins grant the seeded roles their menus (both databases): after the first
 * start (seeds with their plugins) 柳州市's and 柳城县's 系统管理员 hold the designer menu
 * permissions the plugins declare for `sysadmin` and see those entries in `GET /api/menus`; the
 * 值班长 holds 公众满意度. An upgrade or a reinstall grants what the new version declares, but not
 * a permission an administrator has taken from the role since, nor a role they deleted.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { syncPermissionCatalogue } from '../identity/index.js';
import type { SqlValue } from '../persistence/index.js';
import { discoverPlugins, InstallPluginCmd, UninstallPluginCmd, UpgradePluginCmd, type PluginChange, type PluginCatalogue } from '../plugins/index.js';
import { describeOnDatabases } from '../testing/databases.js';
import { TEST_USER_PASSWORD } from '../testing/organisation.js';
import { startSignedInApi, type SignedInClient } from '../testing/signed-in-app.js';
import { DEFAULT_SEEDS_DIRECTORY, loadSeeds } from './index.js';

const CITY = '450200';
const LIUCHENG = '450222';
const REPOSITORY_PLUGINS = fileURLToPath(new URL('../../../plugins/', import.meta.url));
const DESIGNER_MENUS = ['menu:designer:cc-category', 'menu:designer:cc-routing', 'menu:designer:ps-channel', 'menu:designer:ps-category'];

interface Menu {
  plugin: string;
  key: string;
}

describeOnDatabases('seeds - the plugins grant the seeded roles their menus', (fixture) => {
  let api: SignedInClient;
  let newer: PluginCatalogue;
  let folder: string;

  before(async () => {
    const { engine } = fixture();
    // as at the first start: the catalogue, then the seeds with the repository's plugins (the demo users' password is the harness's)
    await syncPermissionCatalogue(engine.commandExecutor);
    await loadSeeds(engine, { directory: DEFAULT_SEEDS_DIRECTORY, demoPassword: TEST_USER_PASSWORD, announce: () => undefined, plugins: discoverPlugins(), firstTimeOnly: true });
    api = await startSignedInApi(engine);
    // command-coordination 1.1.0: its sysadmin entry declares one more menu permission
    folder = await mkdtemp(path.join(tmpdir(), 'yiwang-plugins-'));
    for (const name of ['command-coordination', 'public-service']) await cp(path.join(REPOSITORY_PLUGINS, name), path.join(folder, name), { recursive: true });
    const file = path.join(folder, 'command-coordination', 'plugin.json');
    const manifest = JSON.parse(await readFile(file, 'utf8')) as { version: string; contributes: { roles: { code: string; permissions: string[] }[] } };
    manifest.version = '1.1.0';
    manifest.contributes.roles.find((role) => role.code === 'sysadmin')!.permissions.push('menu:runtime:cc-cases');
    await writeFile(file, JSON.stringify(manifest));
    newer = discoverPlugins([folder]);
  });

  after(async () => {
    await api?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const rows = (query: string, bind: SqlValue[] = []) => fixture().engine.database.read((sql) => sql.select(query, bind));
  const rolePermissions = async (tenantId: string, code: string) =>
    (await rows('SELECT rp.permission FROM role_permission rp JOIN role r ON r.id = rp.role_id WHERE r.tenant_id = $1 AND r.code = $2 ORDER BY rp.permission', [tenantId, code])).map((row) => String(row.permission));
  const menus = async (userId: string, app: 'designer' | 'runtime') => (await api.json<Menu[]>(`/menus?app=${app}`, { as: userId })).map((menu) => `${menu.plugin}/${menu.key}`);
  const run = (command: InstallPluginCmd | UpgradePluginCmd): Promise<PluginChange> => fixture().engine.commandExecutor.execute(command);
  const uninstall = (plugin: string) => fixture().engine.commandExecutor.execute(new UninstallPluginCmd(plugin, CITY));

  it('gives the city\'s and the county\'s 系统管理员 the plugins\' designer menus at the first start, and shows them the entries', async () => {
    for (const tenant of [CITY, LIUCHENG]) expect(await rolePermissions(tenant, 'sysadmin'), tenant).to.include.members([...DESIGNER_MENUS, 'menu:runtime:ps-satisfaction', 'public-report:submit']);
    const me = await api.json<{ permissions: string[] }>('/auth/me', { as: 'lz.sysadmin' });
    expect(me.permissions).to.include.members(DESIGNER_MENUS);
    const entries = ['command-coordination/cc-category', 'command-coordination/cc-routing', 'public-service/ps-channel', 'public-service/ps-category'];
    expect(await menus('lz.sysadmin', 'designer')).to.deep.equal(entries);
    expect(await menus('lc.sysadmin', 'designer')).to.deep.equal(entries);
    // grant only what is declared: the clerk has no designer entry, the 值班长 has 公众满意度 among their runtime ones
    expect(await menus('lz.receptionist', 'designer')).to.deep.equal([]);
    expect(await menus('lz.shift-leader', 'runtime')).to.include('public-service/ps-satisfaction');
    expect(await menus('lz.receptionist', 'runtime')).not.to.include('public-service/ps-satisfaction');
  });

  it('does not give back a menu an administrator took from the role when the plugin is upgraded or installed again, and grants what the new version adds', async () => {
    // given: 柳州市's administrator takes 派遣规则 from the 系统管理员 role
    const [role] = await rows("SELECT id FROM role WHERE tenant_id = $1 AND code = 'sysadmin'", [CITY]);
    const detail = await api.json<{ code: string; name: string; dataScope: string; seesDescendants: boolean; permissions: string[]; departments: { id: string }[] }>(`/admin/roles/${String(role!.id)}`, { as: 'lz.sysadmin' });
    await api.json(`/admin/roles/${String(role!.id)}`, {
      as: 'lz.sysadmin', method: 'PUT',
      body: { code: detail.code, name: detail.name, dataScope: detail.dataScope, seesDescendants: detail.seesDescendants, departmentIds: detail.departments.map((d) => d.id), permissions: detail.permissions.filter((p) => p !== 'menu:designer:cc-routing') },
    });
    // when
    const upgraded = await run(new UpgradePluginCmd(newer, 'command-coordination', CITY));
    // then
    expect(upgraded.applied).to.deep.equal([{ plugin: 'command-coordination', from: '1.0.0', to: '1.1.0' }]);
    expect(upgraded.notes.join('\n')).to.contain("kept the administrator's removal of menu:designer:cc-routing from the role 'sysadmin'");
    const afterUpgrade = await rolePermissions(CITY, 'sysadmin');
    expect(afterUpgrade).not.to.include('menu:designer:cc-routing');
    expect(afterUpgrade).to.include.members(['menu:designer:cc-category', 'menu:runtime:cc-cases']);
    api.principals.invalidate();
    expect(await menus('lz.sysadmin', 'designer')).to.deep.equal(['command-coordination/cc-category', 'public-service/ps-channel', 'public-service/ps-category']);
    // the county's role was not touched: its plugin is still at 1.0.0
    expect(await rolePermissions(LIUCHENG, 'sysadmin')).to.include('menu:designer:cc-routing').and.not.include('menu:runtime:cc-cases');

    // given: the administrator also deletes the channel clients' role public-service created (nobody holds it)
    const [clients] = await rows("SELECT id FROM role WHERE tenant_id = $1 AND code = 'ps-channel-client'", [CITY]);
    expect((await api.request(`/admin/roles/${String(clients!.id)}`, { as: 'lz.sysadmin', method: 'DELETE' })).status).to.equal(204);
    // when: uninstalled (public-service first, it depends on it) and installed again
    await uninstall('public-service');
    await uninstall('command-coordination');
    const reinstalled = await run(new InstallPluginCmd(newer, 'public-service', CITY));
    // then
    expect(reinstalled.applied.map((step) => step.plugin)).to.deep.equal(['command-coordination', 'public-service']);
    expect(reinstalled.notes.join('\n')).to.contain("kept the administrator's removal of menu:designer:cc-routing").and.contain("the role 'ps-channel-client' was deleted by an administrator: not created again");
    expect(await rows("SELECT id FROM role WHERE tenant_id = $1 AND code = 'ps-channel-client'", [CITY])).to.deep.equal([]);
    expect(await rolePermissions(CITY, 'sysadmin')).to.deep.equal(afterUpgrade);
    api.principals.invalidate();
    expect(await menus('lz.sysadmin', 'designer')).to.deep.equal(['command-coordination/cc-category', 'public-service/ps-channel', 'public-service/ps-category']);
  });
});
