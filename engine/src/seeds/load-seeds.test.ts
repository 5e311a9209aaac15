import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Actor } from '../command/index.js';
import { ForbiddenError } from '../errors/index.js';
import { passwordMatches } from '../identity/authentication/passwords.js';
import { Principals } from '../identity/principals.js';
import type { SqlValue } from '../persistence/index.js';
import { countRows, rejectionOf } from '../testing/bpmn.js';
import { describeOnDatabases } from '../testing/databases.js';
import { buildOrganisation } from '../testing/organisation.js';
import { DEFAULT_SEEDS_DIRECTORY, loadSeeds, readSeedData, SeedDataError, type LoadSeedsOptions } from './index.js';

const DEMO_PASSWORD = 'Demo-Passw0rd-1';
const COUNTIES = ['450202', '450203', '450204', '450205', '450206', '450222', '450223', '450224', '450225', '450226'];
const COUNTED_TABLES = ['tenant', 'department', 'post', 'role', 'role_permission', 'app_user', 'user_department', 'user_post', 'user_role', 'audit_log', 'dictionary', 'dictionary_item'];

/** A copy of the Liuzhou seed set in a temp dir, with `edit` applied to one of its files. */
async function editedCopy(file: string, edit: (content: Record<string, unknown[]>) => void): Promise<string> {
  const directory = path.join(await mkdtemp(path.join(tmpdir(), 'yiwang-seeds-')), 'liuzhou');
  await cp(DEFAULT_SEEDS_DIRECTORY, directory, { recursive: true });
  const content = JSON.parse(await readFile(path.join(directory, file), 'utf8')) as Record<string, unknown[]>;
  edit(content);
  await writeFile(path.join(directory, file), JSON.stringify(content));
  return directory;
}

function entry(content: Record<string, unknown[]>, list: string, key: string, value: string): Record<string, unknown> {
  const found = content[list]?.find((item) => (item as Record<string, unknown>)[key] === value);
  if (!found) throw new Error(`the seed data has no ${list} entry with ${key} '${value}'`);
  return found as Record<string, unknown>;
}

describe('seeds - reading the seed data', () => {
  const temporaries: string[] = [];
  after(async () => {
    for (const directory of temporaries) await rm(path.dirname(directory), { recursive: true, force: true });
  });

  async function problemsOf(file: string, edit: (content: Record<string, unknown[]>) => void): Promise<string> {
    const directory = await editedCopy(file, edit);
    temporaries.push(directory);
    const error = await rejectionOf(readSeedData(directory));
    expect(error).to.be.instanceOf(SeedDataError);
    return error.message;
  }

  it('reads the Liuzhou set: 13 tenants, the city and the county organisations, 20 demo users', async () => {
    // when
    const data = await readSeedData(DEFAULT_SEEDS_DIRECTORY);
    // then
    expect(data.name).to.equal('liuzhou');
    expect(data.tenants).to.have.length(13);
    expect(data.organisations.map((o) => path.basename(o.file))).to.deep.equal(['organisation-city.json', 'organisation-county.json']);
    expect(data.organisations[1]?.tenants).to.deep.equal(COUNTIES);
    expect(data.users).to.have.length(20);
  });

  it('refuses a department whose parent is not listed before it, naming the file and the department', async () => {
    // when
    const message = await problemsOf('organisation-city.json', (content) => {
      entry(content, 'departments', 'code', 'cgj-zfzd-1d').parent = 'cgj-zfzd-9';
    });
    // then
    expect(message).to.contain('organisation-city.json').and.contain("department 'cgj-zfzd-1d' names the parent 'cgj-zfzd-9'");
  });

  it('refuses a user in a department the tenant does not have', async () => {
    // when
    const message = await problemsOf('users.json', (content) => {
      entry(content, 'users', 'id', 'lc.handler').departments = ['dsj'];
    });
    // then
    expect(message).to.contain('users.json').and.contain("user 'lc.handler' names the department 'dsj', which organisation-county.json does not define");
  });

  it('refuses an entry that breaks the schema, naming the entry by position and code', async () => {
    // when
    const message = await problemsOf('organisation-county.json', (content) => {
      entry(content, 'roles', 'code', 'handler').dataScope = 'everything';
    });
    // then
    expect(message).to.contain('organisation-county.json').and.contain("roles[4] 'handler' /dataScope must be equal to one of the allowed values");
  });

  it('refuses two users leading one department', async () => {
    // when
    const message = await problemsOf('users.json', (content) => {
      entry(content, 'users', 'id', 'lz.zjj.handler').leads = ['zjj'];
    });
    // then
    expect(message).to.contain("user 'lz.zjj.director' leads the department 'zjj', which 'lz.zjj.handler' leads too");
  });
});

describeOnDatabases('seeds - loading the Liuzhou seed set', (fixture) => {
  const announced: string[] = [];
  const options: LoadSeedsOptions = { directory: DEFAULT_SEEDS_DIRECTORY, demoPassword: undefined, announce: (message) => announced.push(message) };
  const passwordsAnnounced = () => announced.filter((message) => message.includes('初始密码'));
  let principals: Principals;

  before(() => {
    principals = new Principals(fixture().engine.database, fixture().clock);
  });

  async function rows(query: string, bind: SqlValue[] = []) {
    return fixture().engine.database.read((sql) => sql.select(query, bind));
  }

  const counts = () => countRows(fixture().engine, COUNTED_TABLES);

  async function department(tenantId: string, code: string) {
    const [row] = await rows('SELECT id, name, path, leader_user_id FROM department WHERE tenant_id = $1 AND code = $2', [tenantId, code]);
    if (!row) throw new Error(`no department ${code} in ${tenantId}`);
    return row;
  }

  it('refuses a role granting a permission outside the catalogue, naming it, and writes nothing', async () => {
    // given
    const directory = await editedCopy('organisation-city.json', (content) => {
      (entry(content, 'roles', 'code', 'handler').permissions as string[]).push('task:delete-everything');
    });
    const before = await counts();
    try {
      // when
      const error = await rejectionOf(loadSeeds(fixture().engine, { ...options, directory }));
      // then
      expect(error).to.be.instanceOf(SeedDataError);
      expect(error.message).to.contain(path.join(directory, 'organisation-city.json')).and.contain("role 'handler' grants 'task:delete-everything', which is not in the permission catalogue");
      expect(await counts()).to.deep.equal(before);
      expect(announced).to.deep.equal([]);
    } finally {
      await rm(path.dirname(directory), { recursive: true, force: true });
    }
  });

  it('creates the tenant tree, keeping a national root made at first start, and one generated password announced once', async () => {
    // given the root that the platform's bootstrap creates
    await buildOrganisation(fixture().engine, { tenants: [{ id: '100000', name: '全国', level: 'national' }] });
    // when
    const summary = await loadSeeds(fixture().engine, options);
    // then
    expect(summary).to.deep.equal({ tenants: 12, departments: 17 + 6 * COUNTIES.length, posts: 9 * 11, roles: 6 * 11, users: 20, dictionaries: 3, calendars: 1, plugins: 0 });
    const tenants = await rows('SELECT id, level, parent_id, path FROM tenant ORDER BY id');
    expect(tenants).to.have.length(13);
    expect(tenants.find((t) => t.id === '450222')).to.deep.include({ level: 'county', parent_id: '450200', path: '/100000/450000/450200/450222/' });
    expect(tenants.find((t) => t.id === '450202')).to.deep.include({ level: 'county', path: '/100000/450000/450200/450202/' });
    expect(tenants.find((t) => t.id === '450200')).to.deep.include({ level: 'city', path: '/100000/450000/450200/' });
    expect(passwordsAnnounced()).to.have.length(1);
    expect(announced.find((message) => message.startsWith('演示账号'))).to.contain('lz.receptionist').and.contain('受理员').and.contain('柳州市 450200');
    const password = /: (\S+) {2}/.exec(passwordsAnnounced()[0] ?? '')?.[1] ?? '';
    const hashes = await rows('SELECT DISTINCT password_hash FROM app_user');
    expect(hashes, 'one hash shared by every demo user').to.have.length(1);
    expect(await passwordMatches(password, String(hashes[0]?.password_hash))).to.equal(true);
    expect(await rows('SELECT id FROM app_user WHERE must_change_password = $1', [1])).to.deep.equal([]);
  });

  it('builds the city department tree three levels deep with leaders from the demo users', async () => {
    // when
    const [cgj, zfzd, firstTeam, county] = [await department('450200', 'cgj'), await department('450200', 'cgj-zfzd'), await department('450200', 'cgj-zfzd-1d'), await department('450222', 'cgj-zhzx')];
    // then
    expect(firstTeam.path).to.equal(`/${cgj.id}/${zfzd.id}/${firstTeam.id}/`);
    expect([cgj.leader_user_id, zfzd.leader_user_id, firstTeam.leader_user_id]).to.deep.equal(['lz.cgj.director', 'lz.zfzd.chief', 'lz.zfzd-1d.chief']);
    expect(county.leader_user_id).to.equal('lc.shift-leader');
    expect((await department('450223', 'cgj-zhzx')).leader_user_id, 'a county without demo users has no leaders').to.equal(null);
  });

  it('gives the city dispatcher their role permissions and the whole city as data scope', async () => {
    // when
    const dispatcher = await principals.load('lz.dispatcher');
    // then
    const centre = await department('450200', 'cgj-zhzx');
    expect(dispatcher).to.deep.include({ tenantId: '450200', visibleTenantIds: ['450200'], dataScope: { kind: 'all' }, departmentIds: [centre.id] });
    expect([...(dispatcher?.permissions ?? [])].sort()).to.deep.equal(
      ['dictionary:read', 'file:read', 'file:write', 'history:read', 'identity:read', 'instance:read', 'menu:runtime', 'menu:runtime:inbox', 'menu:runtime:messages', 'process:read', 'task:assign', 'task:handle', 'task:read'],
    );
    expect(dispatcher?.candidateGroupIds).to.have.members(['role:dispatcher', 'dept:cgj-zhzx', 'post:dispatcher']);
  });

  it('limits a handler to their department and below: the bureau director sees the whole bureau', async () => {
    // when
    const director = await principals.load('lz.cgj.director');
    const supervisor = await principals.load('lz.supervisor');
    // then
    const bureau = await Promise.all(['cgj', 'cgj-zhzx', 'cgj-zfzd', 'cgj-zfzd-1d'].map(async (code) => String((await department('450200', code)).id)));
    expect(director?.dataScope.kind).to.equal('department-and-below');
    expect(director?.dataScope.kind !== 'all' && director?.dataScope.departmentIds).to.have.members(bureau);
    expect(supervisor?.dataScope.kind).to.equal('self');
  });

  it('lets the city sysadmin see the counties, and the county sysadmin only its own county', async () => {
    // when
    const city = await principals.load('lz.sysadmin');
    const county = await principals.load('lc.sysadmin');
    // then
    expect(city?.visibleTenantIds).to.have.members(['450200', ...COUNTIES]);
    expect(city?.permissions.has('tenant:write')).to.equal(true);
    expect(county?.visibleTenantIds).to.deep.equal(['450222']);
    expect(county?.permissions.has('tenant:write')).to.equal(false);
  });

  it('creates nothing when loaded again, and keeps the name an administrator gave a seeded department', async () => {
    // given
    await fixture().engine.database.transaction((sql) => sql.execute('UPDATE department SET name = $1 WHERE tenant_id = $2 AND code = $3', ['城市管理局', '450200', 'cgj']));
    const before = await counts();
    // when
    const summary = await loadSeeds(fixture().engine, { ...options, demoPassword: DEMO_PASSWORD });
    // then
    expect(summary).to.deep.equal({ tenants: 0, departments: 0, posts: 0, roles: 0, users: 0, dictionaries: 0, calendars: 0, plugins: 0 });
    expect(await counts()).to.deep.equal(before);
    expect((await department('450200', 'cgj')).name).to.equal('城市管理局');
    expect(passwordsAnnounced(), 'no new password is announced').to.have.length(1);
    expect(before.audit_log, 'a load without an actor is not audited').to.equal(0);
  });

  it('at a later start, leaves a seeded user an administrator deleted deleted', async () => {
    // given
    await fixture().engine.database.transaction(async (sql) => {
      for (const table of ['user_department', 'user_post', 'user_role']) await sql.execute(`DELETE FROM ${table} WHERE user_id = $1`, ['lc.handler']);
      await sql.execute('DELETE FROM app_user WHERE id = $1', ['lc.handler']);
    });
    const before = await counts();
    // when
    const summary = await loadSeeds(fixture().engine, { ...options, demoPassword: DEMO_PASSWORD, firstTimeOnly: true });
    // then
    expect(summary.users).to.equal(0);
    expect(await counts()).to.deep.equal(before);
  });

  it('by request, recreates a missing demo user with the configured password, audited as seed.liuzhou for an actor', async () => {
    const actor: Actor = { userId: 'admin', tenantId: null, departmentId: null, address: '127.0.0.1', scope: null };
    // when
    const summary = await loadSeeds(fixture().engine, { ...options, demoPassword: DEMO_PASSWORD, actor });
    // then
    expect(summary.users).to.equal(1);
    const [user] = await rows('SELECT password_hash FROM app_user WHERE id = $1', ['lc.handler']);
    expect(await passwordMatches(DEMO_PASSWORD, String(user?.password_hash))).to.equal(true);
    expect((await principals.load('lc.handler'))?.candidateGroupIds).to.have.members(['role:handler', 'dept:zjj', 'post:handler']);
    const audit = await rows('SELECT user_id, action, object_type, object_id FROM audit_log');
    expect(audit).to.deep.equal([{ user_id: 'admin', action: 'seed.liuzhou', object_type: 'seed', object_id: 'liuzhou' }]);
    expect(passwordsAnnounced(), 'a configured password is never announced').to.have.length(1);
  });

  it('refuses an actor who does not see every tenant', async () => {
    // given
    const actor: Actor = { userId: 'lc.sysadmin', tenantId: '450222', departmentId: null, address: null, scope: { restrict: () => null } };
    // when
    const error = await rejectionOf(loadSeeds(fixture().engine, { ...options, actor }));
    // then
    expect(error).to.be.instanceOf(ForbiddenError);
  });
});
