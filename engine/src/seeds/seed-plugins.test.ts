import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { syncPermissionCatalogue } from '../identity/index.js';
import type { SqlValue } from '../persistence/index.js';
import { discoverPlugins, type PluginCatalogue } from '../plugins/index.js';
import { countRows, rejectionOf } from '../testing/bpmn.js';
import { describeOnDatabases } from '../testing/databases.js';
import { DEFAULT_SEEDS_DIRECTORY, loadSeeds, SeedDataError, type LoadSeedsOptions } from './index.js';

const CITY = '450200';
const LIUCHENG = '450222';
const COUNTED_TABLES = [
  'tenant', 'role', 'role_permission', 'permission', 'app_user', 'dictionary', 'dictionary_item', 'deployment', 'process_definition', 'plugin_installation', 'plugin_menu',
  'plugin_statistic', 'plugin_dict_item', 'public_channel', 'audit_log',
];

describeOnDatabases('seeds - the template\'s plugins', (fixture) => {
  let catalogue: PluginCatalogue;
  const options = (): LoadSeedsOptions => ({ directory: DEFAULT_SEEDS_DIRECTORY, demoPassword: 'Demo-Passw0rd-1', announce: () => undefined, plugins: catalogue });

  before(async () => {
    catalogue = discoverPlugins();
    // as at every start, before the seeds: the roles the plugins extend grant permissions of the catalogue
    await syncPermissionCatalogue(fixture().engine.commandExecutor);
  });

  async function rows(query: string, bind: SqlValue[] = []) {
    return fixture().engine.database.read((sql) => sql.select(query, bind));
  }

  const counts = () => countRows(fixture().engine, COUNTED_TABLES);

  it('refuses a seed set naming a plugin the folders do not have, naming it, and writes nothing', async () => {
    // given
    const directory = path.join(await mkdtemp(path.join(tmpdir(), 'yiwang-seeds-')), 'liuzhou');
    await cp(DEFAULT_SEEDS_DIRECTORY, directory, { recursive: true });
    const file = path.join(directory, 'tenants.json');
    const content = JSON.parse(await readFile(file, 'utf8')) as { tenants: { id: string; plugins?: string[] }[] };
    const county = content.tenants.find((tenant) => tenant.id === '450206');
    if (!county) throw new Error('the seed set has no 450206');
    county.plugins = ['city-inspection'];
    await writeFile(file, JSON.stringify(content));
    const before = await counts();
    try {
      // when
      const error = await rejectionOf(loadSeeds(fixture().engine, { ...options(), directory }));
      // then
      expect(error).to.be.instanceOf(SeedDataError);
      expect(error.message).to.contain(file).and.contain("tenant '450206' names the plugin 'city-inspection', which is not in the plugin folders");
      expect(await counts()).to.deep.equal(before);
      expect(before.tenant, 'not even the tenants').to.be.at.most(1);
    } finally {
      await rm(path.dirname(directory), { recursive: true, force: true });
    }
  });

  it('refuses a planned plugin', async () => {
    // given
    const directory = path.join(await mkdtemp(path.join(tmpdir(), 'yiwang-seeds-')), 'liuzhou');
    await cp(DEFAULT_SEEDS_DIRECTORY, directory, { recursive: true });
    const file = path.join(directory, 'tenants.json');
    const content = JSON.parse(await readFile(file, 'utf8')) as { tenants: { id: string; plugins?: string[] }[] };
    content.tenants[2] = { ...content.tenants[2]!, plugins: ['data-exchange'] };
    await writeFile(file, JSON.stringify(content));
    try {
      // when
      const error = await rejectionOf(loadSeeds(fixture().engine, { ...options(), directory }));
      // then
      expect(error.message).to.contain("names the plugin 'data-exchange', which is planned and cannot be installed yet");
    } finally {
      await rm(path.dirname(directory), { recursive: true, force: true });
    }
  });

  it('installs command-coordination and public-service into 柳州市 and 柳城县 with the organisation', async () => {
    // when
    const summary = await loadSeeds(fixture().engine, { ...options(), firstTimeOnly: true });
    // then
    expect(summary.plugins).to.equal(4);
    expect(summary.users).to.equal(20);
    const installations = await rows('SELECT tenant_id, plugin, version, state FROM plugin_installation ORDER BY tenant_id, plugin');
    expect(installations).to.deep.equal([
      { tenant_id: CITY, plugin: 'command-coordination', version: '1.0.0', state: 'installed' },
      { tenant_id: CITY, plugin: 'public-service', version: '1.0.0', state: 'installed' },
      { tenant_id: LIUCHENG, plugin: 'command-coordination', version: '1.0.0', state: 'installed' },
      { tenant_id: LIUCHENG, plugin: 'public-service', version: '1.0.0', state: 'installed' },
    ]);
    for (const tenant of [CITY, LIUCHENG]) {
      const definitions = await rows('SELECT key_ AS k, version FROM process_definition WHERE tenant_id = $1', [tenant]);
      expect(definitions.map((row) => row.k), tenant).to.include('cc_case');
      const [channel] = await rows('SELECT process_key, category_dictionary, enabled FROM public_channel WHERE tenant_id = $1', [tenant]);
      expect(channel?.process_key).to.equal('cc_case');
      expect(channel?.category_dictionary).to.equal('ps-public-category');
      expect(Boolean(channel?.enabled)).to.equal(true);
      const dictionaries = (await rows('SELECT code FROM dictionary WHERE tenant_id = $1', [tenant])).map((row) => row.code);
      expect(dictionaries).to.include.members(['cc-case-category', 'cc-urgency', 'cc-routing', 'cc-case-source', 'cc-report-channel', 'ps-public-category']);
    }
    expect(await rows('SELECT tenant_id FROM plugin_installation WHERE tenant_id NOT IN ($1, $2)', [CITY, LIUCHENG])).to.deep.equal([]);
    // the plugin's role permissions merge into the seeded roles
    const [grant] = await rows(
      "SELECT COUNT(*) AS n FROM role_permission rp JOIN role r ON r.id = rp.role_id WHERE r.tenant_id = $1 AND r.code = 'shift-leader' AND rp.permission = 'menu:runtime:cc-report'",
      [CITY],
    );
    expect(Number(grant?.n)).to.equal(1);
  });

  it('changes nothing when loaded again, by request or at a later start', async () => {
    // given
    const before = await counts();
    // when
    const again = await loadSeeds(fixture().engine, options());
    const atStart = await loadSeeds(fixture().engine, { ...options(), firstTimeOnly: true });
    // then
    expect(again.plugins).to.equal(0);
    expect(Object.values(again).every((count) => count === 0)).to.equal(true);
    expect(Object.values(atStart).every((count) => count === 0)).to.equal(true);
    expect(await counts()).to.deep.equal(before);
  });

  it('leaves a plugin an administrator disabled disabled, and one at another version at its version', async () => {
    // given
    await fixture().engine.database.transaction(async (sql) => {
      await sql.execute("UPDATE plugin_installation SET state = 'disabled' WHERE tenant_id = $1 AND plugin = 'public-service'", [CITY]);
      await sql.execute("UPDATE plugin_installation SET version = '0.9.0' WHERE tenant_id = $1 AND plugin = 'command-coordination'", [LIUCHENG]);
    });
    const before = await counts();
    // when
    const summary = await loadSeeds(fixture().engine, options());
    // then
    expect(summary.plugins).to.equal(0);
    expect(await counts()).to.deep.equal(before);
    const states = await rows('SELECT tenant_id, plugin, version, state FROM plugin_installation ORDER BY tenant_id, plugin');
    expect(states).to.deep.include({ tenant_id: CITY, plugin: 'public-service', version: '1.0.0', state: 'disabled' });
    expect(states).to.deep.include({ tenant_id: LIUCHENG, plugin: 'command-coordination', version: '0.9.0', state: 'installed' });
  });

  it('installs nothing without the plugin folders (the end-to-end harness\'s load)', async () => {
    // given
    await fixture().engine.database.transaction((sql) => sql.execute("DELETE FROM plugin_installation WHERE tenant_id = $1 AND plugin = 'public-service'", [CITY]));
    // when
    const summary = await loadSeeds(fixture().engine, { ...options(), plugins: undefined });
    // then
    expect(summary.plugins).to.equal(0);
    expect(await rows("SELECT id FROM plugin_installation WHERE tenant_id = $1 AND plugin = 'public-service'", [CITY])).to.deep.equal([]);
  });
});
