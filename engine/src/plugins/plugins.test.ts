import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import type { Command } from '../command/index.js';
import { UpdateItemCmd } from '../dictionaries/index.js';
import { BadUserRequestError, ConflictError, NotFoundError } from '../errors/index.js';
import { actorOf, ensurePlatformAdmin, Principals, syncPermissionCatalogue } from '../identity/index.js';
import { DbSession, DICTIONARY, DICTIONARY_ITEM, PERMISSION, PROCESS_DEFINITION, ROLE, ROLE_PERMISSION } from '../persistence/index.js';
import type { ProcessEngine } from '../services/index.js';
import { runPluginCli } from '../cli/plugin.js';
import { PUBLIC_CHANNEL } from '../public-reports/index.js';
import { countRows, rejectionOf } from '../testing/bpmn.js';
import { describeOnDatabases } from '../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../testing/organisation.js';
import {
  discoverPlugins,
  DisablePluginCmd,
  EnablePluginCmd,
  InstallPluginCmd,
  installedPluginNames,
  installedWorkerModules,
  listPlugins,
  PLUGIN_INSTALLATION,
  PLUGIN_MENU,
  PLUGIN_MIGRATION,
  PLUGIN_STATISTIC,
  UninstallPluginCmd,
  UpgradePluginCmd,
} from './index.js';

const { root, city, countyA, countyB } = TENANT_TREE;
const fixtures = (version: 'v1' | 'v2') => fileURLToPath(new URL(`./fixtures/${version}/`, import.meta.url));
const V1 = discoverPlugins([fixtures('v1')]);
const V2 = discoverPlugins([fixtures('v2')]);

describeOnDatabases('plugins - install, upgrade, disable, uninstall', (fixture) => {
  let engine: ProcessEngine;
  let principals: Principals;

  before(async () => {
    engine = fixture().engine;
    await syncPermissionCatalogue(engine.commandExecutor);
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      roles: [
        { tenantId: city, code: 'plugin-admin', permissions: ['plugin:read', 'plugin:write'] },
        { tenantId: countyA, code: 'plugin-admin', permissions: ['plugin:read', 'plugin:write'] },
      ],
      users: [
        { id: 'city-admin', tenantId: city, roles: ['plugin-admin'] },
        { id: 'a-admin', tenantId: countyA, roles: ['plugin-admin'] },
      ],
    });
    principals = new Principals(engine.database, engine.environment.clock);
  });

  /** Runs the command for the user, as a request of theirs would. */
  async function as<T>(userId: string, command: Command<T>): Promise<T> {
    const principal = await principals.load(userId);
    if (!principal) throw new Error(`no principal ${userId}`);
    return engine.commandExecutor.execute(command, { actor: actorOf(principal, '127.0.0.1') });
  }

  const read = <T>(work: (session: DbSession) => Promise<T>): Promise<T> => engine.database.read((sql) => work(new DbSession(sql)));
  const items = (tenantId: string, code: string) =>
    read(async (session) => {
      const [dictionary] = await session.select(DICTIONARY, 'tenant_id = $1 AND code = $2', [tenantId, code]);
      if (!dictionary) return null;
      const rows = await session.select(DICTIONARY_ITEM, 'dictionary_id = $1', [dictionary.id], 'ORDER BY code');
      return Object.fromEntries(rows.map((row) => [row.code, { label: row.label, enabled: row.enabled, extra: row.extra }]));
    });
  const rolePermissions = (tenantId: string, code: string) =>
    read(async (session) => {
      const [role] = await session.select(ROLE, 'tenant_id = $1 AND code = $2', [tenantId, code]);
      return role ? (await session.select(ROLE_PERMISSION, 'role_id = $1', [role.id])).map((row) => row.permission).sort() : null;
    });
  const definitions = (tenantId: string) => read((session) => session.select(PROCESS_DEFINITION, 'tenant_id = $1', [tenantId], 'ORDER BY version'));
  const auditActions = async (tenantId: string) =>
    (await engine.database.read((sql) => sql.select("SELECT action FROM audit_log WHERE tenant_id = $1 AND action LIKE 'plugin.%' ORDER BY time", [tenantId]))).map((row) => row.action);

  it('installs a plugin into a tenant in one command: processes and forms, dictionaries, permissions, roles, menus, statistics, calendar', async () => {
    // when
    const result = await as('city-admin', new InstallPluginCmd(V1, 'fx-base'));
    // then
    expect(result).to.deep.include({ plugin: 'fx-base', tenantId: city, version: '1.0.0', changed: true, applied: [{ plugin: 'fx-base', from: null, to: '1.0.0' }] });
    const [definition] = await definitions(city);
    expect(definition).to.include({ key: 'fx_case', version: 1, tenantId: city });
    const deployment = await engine.database.read((sql) => sql.select('SELECT name FROM deployment WHERE id = $1', [definition?.deploymentId as string]));
    expect(deployment[0]?.name).to.equal('plugin:fx-base@1.0.0');
    expect(await items(city, 'fx-category')).to.have.keys('A', 'A1', 'A2', 'A3', 'B');
    const permission = await read((session) => session.findById(PERMISSION, 'fx:close'));
    expect(permission).to.include({ kind: 'action', source: '@yiwang/plugin-fx-base', nameEn: 'Close cases' });
    expect(await rolePermissions(city, 'fx-clerk')).to.deep.equal(['fx:close', 'menu:runtime', 'menu:runtime:fx-cases', 'task:handle', 'task:read']);
    const menus = await read((session) => session.select(PLUGIN_MENU, 'tenant_id = $1', [city], 'ORDER BY menu_key'));
    expect(menus.map((menu) => [menu.app, menu.menuKey, menu.enabled])).to.deep.equal([['runtime', 'fx-cases', true], ['designer', 'fx-category', true]]);
    const [statistic] = await read((session) => session.select(PLUGIN_STATISTIC, 'tenant_id = $1', [city]));
    expect(statistic?.definition).to.deep.include({ version: 1 });
    const calendar = await engine.database.read((sql) => sql.select('SELECT name FROM work_calendar WHERE tenant_id = $1', [city]));
    expect(calendar.map((row) => row.name)).to.deep.equal(['测试日历']);
    const [installation] = await read((session) => session.select(PLUGIN_INSTALLATION, 'tenant_id = $1', [city]));
    expect(installation).to.include({ plugin: 'fx-base', version: '1.0.0', state: 'installed', installedBy: 'city-admin' });
    expect(await auditActions(city)).to.deep.equal(['plugin.install']);
  });

  it('installing the same version again changes nothing', async () => {
    // given
    const before = await countRows(engine);
    // when
    const result = await as('city-admin', new InstallPluginCmd(V1, 'fx-base'));
    // then
    expect(result.changed).to.equal(false);
    expect(await countRows(engine)).to.deep.equal(before);
  });

  it('a failure midway (a BPMN that does not compile) leaves nothing behind', async () => {
    // given
    const before = await countRows(engine);
    // when
    const error = await rejectionOf(as('a-admin', new InstallPluginCmd(V1, 'fx-broken')));
    // then
    expect(error).to.be.instanceOf(BadUserRequestError);
    expect(error.message).to.contain('nowhere');
    expect(await countRows(engine)).to.deep.equal(before);
    expect(await read((session) => session.findById(PERMISSION, 'fx-broken:act'))).to.equal(null);
    expect(await items(countyA, 'fx-broken')).to.equal(null);
  });

  it('refuses a plugin whose dependency is in no plugin folder, naming it', async () => {
    const error = await rejectionOf(as('a-admin', new InstallPluginCmd(V1, 'fx-orphan')));
    expect(error).to.be.instanceOf(BadUserRequestError);
    expect(error.message).to.contain("needs 'fx-missing' ^1.0.0");
  });

  it('installs the dependencies a plugin lacks first, in the same command, and adds permissions to their roles', async () => {
    // when
    const result = await as('a-admin', new InstallPluginCmd(V1, 'fx-addon'));
    // then
    expect(result.applied.map((step) => step.plugin)).to.deep.equal(['fx-base', 'fx-addon']);
    const [channel] = await read((session) => session.select(PUBLIC_CHANNEL, 'tenant_id = $1', [countyA]));
    expect(channel).to.include({ processKey: 'fx_case', categoryDictionary: 'fx-public', enabled: true });
    expect(await rolePermissions(countyA, 'fx-clerk')).to.include.members(['menu:runtime:fx-public', 'fx:close', 'task:handle']);
    // a role the tenant lacks is created; without a declared data scope it sees only its holder's own cases
    const [watcher] = await read((session) => session.select(ROLE, 'tenant_id = $1 AND code = $2', [countyA, 'fx-watcher']));
    expect(watcher).to.include({ dataScope: 'self' });
    expect((await read((session) => session.select(PLUGIN_INSTALLATION, 'tenant_id = $1', [countyA], 'ORDER BY plugin'))).map((row) => row.plugin)).to.deep.equal(['fx-addon', 'fx-base']);
  });

  it('keeps tenants apart: an administrator cannot install into a tenant they do not see, nor see its plugins', async () => {
    const error = await rejectionOf(as('a-admin', new InstallPluginCmd(V1, 'fx-base', city)));
    expect(error).to.be.instanceOf(NotFoundError);
    const seen = await engine.database.read(async (sql) => {
      const principal = await principals.load('a-admin');
      const { queryScope } = await import('../identity/index.js');
      return new DbSession(sql, queryScope(principal as never)).select(PLUGIN_INSTALLATION, '1 = 1', []);
    });
    expect(seen.every((row) => row.tenantId === countyA)).to.equal(true);
  });

  it('upgrades: new process versions for new cases while a running case keeps its own, dictionaries merged keeping an administrator edit, the migration once', async () => {
    // given a running case of version 1 and an administrator's edit of A3
    const running = await engine.runtimeService.startProcessInstanceByKey('fx_case', { tenantId: city });
    await as('city-admin', new UpdateItemCmd('fx-category', { kind: 'tenant', tenantId: city }, 'A3', { label: '甲三（管理员改）' }));
    // when
    const result = await as('city-admin', new UpgradePluginCmd(V2, 'fx-base'));
    // then
    expect(result).to.deep.include({ changed: true, applied: [{ plugin: 'fx-base', from: '1.0.0', to: '2.0.0' }] });
    expect(result.notes.join('\n')).to.contain('A3').and.to.contain('fx-category/Z');
    expect(await items(city, 'fx-category')).to.deep.equal({
      A: { label: '甲', enabled: true, extra: null },
      A1: { label: '甲一（新）', enabled: true, extra: null },
      A2: { label: '甲二', enabled: false, extra: null },
      A3: { label: '甲三（管理员改）', enabled: true, extra: null },
      A4: { label: '甲四', enabled: true, extra: null },
      B: { label: '乙', enabled: true, extra: { limit: '4h' } },
      C: { label: '丙', enabled: true, extra: null },
      C1: { label: '丙一', enabled: true, extra: null },
    });
    expect(await rolePermissions(city, 'fx-clerk')).to.include('instance:read');
    expect(await rolePermissions(city, 'fx-checker')).to.deep.equal(['task:handle', 'task:read']);
    expect((await definitions(city)).map((d) => d.version)).to.deep.equal([1, 2]);
    // the running case stays on version 1 and ends after its one task
    const [task] = await engine.taskService.listTasks({ processInstanceId: running.id });
    await engine.taskService.complete(task?.id as string);
    expect((await engine.runtimeService.listProcessInstances({ processInstanceIds: [running.id] })).length).to.equal(0);
    // a new case starts on version 2, which has a check after handling
    const next = await engine.runtimeService.startProcessInstanceByKey('fx_case', { tenantId: city });
    expect(next.definitionId).to.match(/^fx_case:2:/);
    // the migration ran once, and upgrading again changes nothing
    expect((await as('city-admin', new UpgradePluginCmd(V2, 'fx-base'))).changed).to.equal(false);
    const migrations = await read((session) => session.select(PLUGIN_MIGRATION, 'tenant_id = $1', [city]));
    expect(migrations.map((m) => [m.migrationId, m.executed])).to.deep.equal([['2026-b-limit', true]]);
    await engine.runtimeService.deleteProcessInstance(next.id);
  });

  it('refuses a downgrade', async () => {
    const error = await rejectionOf(as('city-admin', new UpgradePluginCmd(V1, 'fx-base')));
    expect(error).to.be.instanceOf(ConflictError);
    expect(error.message).to.contain('cannot be downgraded from 2.0.0 to 1.0.0');
  });

  it('disable stops new cases (none start and message start) and hides the menus, while a running case completes; enable reverses it', async () => {
    // given
    const running = await engine.runtimeService.startProcessInstanceByKey('fx_case', { tenantId: city });
    // when
    await as('city-admin', new DisablePluginCmd('fx-base'));
    // then
    expect(await rejectionOf(engine.runtimeService.startProcessInstanceByKey('fx_case', { tenantId: city }))).to.be.instanceOf(ConflictError);
    expect(await rejectionOf(engine.runtimeService.correlateMessage({ messageName: 'fx-assigned', tenantId: city }))).to.be.instanceOf(Error);
    const menus = await read((session) => session.select(PLUGIN_MENU, 'tenant_id = $1', [city]));
    expect(menus.every((menu) => !menu.enabled)).to.equal(true);
    for (const activity of ['handle', 'check']) {
      const [task] = await engine.taskService.listTasks({ processInstanceId: running.id });
      expect(task?.taskDefinitionKey).to.equal(activity);
      await engine.taskService.complete(task?.id as string);
    }
    expect((await engine.runtimeService.listProcessInstances({ processInstanceIds: [running.id] })).length).to.equal(0);
    // when enabled again, both starts work
    await as('city-admin', new EnablePluginCmd('fx-base'));
    const started = await engine.runtimeService.startProcessInstanceByKey('fx_case', { tenantId: city });
    const [byMessage] = await engine.runtimeService.correlateMessage({ messageName: 'fx-assigned', tenantId: city });
    expect(byMessage).to.not.equal(undefined);
    for (const id of [started.id, (byMessage as { processInstanceId: string }).processInstanceId]) await engine.runtimeService.deleteProcessInstance(id);
  });

  it('refuses to uninstall while cases are open, naming their count; afterwards keeps deployments and dictionaries, and installs again', async () => {
    // given
    const open = await engine.runtimeService.startProcessInstanceByKey('fx_case', { tenantId: city });
    // when
    const refused = await rejectionOf(as('city-admin', new UninstallPluginCmd('fx-base')));
    // then
    expect(refused).to.be.instanceOf(ConflictError);
    expect(refused.message).to.contain('1 of its cases are open');
    await engine.runtimeService.deleteProcessInstance(open.id);
    await as('city-admin', new UninstallPluginCmd('fx-base'));
    expect(await read((session) => session.select(PLUGIN_INSTALLATION, 'tenant_id = $1', [city]))).to.deep.equal([]);
    expect(await read((session) => session.select(PLUGIN_MENU, 'tenant_id = $1', [city]))).to.deep.equal([]);
    expect(await items(city, 'fx-category')).to.have.property('A3');
    expect((await definitions(city)).every((definition) => definition.suspended)).to.equal(true);
    // installing again resumes its processes
    await as('city-admin', new InstallPluginCmd(V2, 'fx-base'));
    const again = await engine.runtimeService.startProcessInstanceByKey('fx_case', { tenantId: city });
    await engine.runtimeService.deleteProcessInstance(again.id);
    // every change audited once (compared sorted: the test clock stands still, so rows of one instant have no order)
    expect((await auditActions(city)).sort()).to.deep.equal(['plugin.disable', 'plugin.disable', 'plugin.enable', 'plugin.install', 'plugin.install', 'plugin.migration', 'plugin.uninstall', 'plugin.upgrade']);
  });

  it('the CLI installs, lists and disables through the same commands, as the platform administrator', async () => {
    // given
    await ensurePlatformAdmin(engine, 'Cli-Admin-Passw0rd!', () => undefined);
    const lines: string[] = [];
    // when
    expect(await runPluginCli(engine, ['install', 'fx-base', '--tenant', countyB], V1, (line) => lines.push(line))).to.equal(0);
    expect(await runPluginCli(engine, ['disable', 'fx-base', '--tenant', countyB], V1, (line) => lines.push(line))).to.equal(0);
    expect(await runPluginCli(engine, ['list', '--tenant', countyB], V1, (line) => lines.push(line))).to.equal(0);
    expect(await runPluginCli(engine, ['install', 'fx-base'], V1, (line) => lines.push(line))).to.equal(2);
    // then
    expect(lines[0]).to.equal(`installed into tenant ${countyB}: fx-base 1.0.0`);
    expect(lines[1]).to.equal(`fx-base in tenant ${countyB}: disabled`);
    expect(lines).to.include(`fx-base\t1.0.0\tavailable\tdisabled 1.0.0`);
    expect(lines.at(-1)).to.contain('usage: yiwang plugin');
    const views = await read((session) => listPlugins(session, V2, city));
    expect(views.find((view) => view.name === 'fx-base')).to.deep.include({ state: 'installed', installedVersion: '2.0.0', upgradeAvailable: false });
    expect((await read((session) => listPlugins(session, V2, countyB))).find((view) => view.name === 'fx-base')).to.deep.include({ state: 'disabled', upgradeAvailable: true });
    expect(root).to.be.a('string');
  });

  it('the worker host loads the workers of plugins installed in some tenant', async () => {
    const installed = await installedPluginNames(engine.database);
    expect(installed).to.deep.equal(['fx-addon', 'fx-base']);
    const { modules, missing } = installedWorkerModules(V1, [...installed, 'fx-gone']);
    expect(modules.map((module) => [module.plugin, module.file.endsWith('workers/fx-worker.ts')])).to.deep.equal([['@yiwang/plugin-fx-base', true]]);
    expect(missing).to.deep.equal(['fx-gone']);
  });
});
