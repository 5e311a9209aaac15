import { expect } from 'chai';
import { silentLogger } from '../../logging/index.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { Principals } from '../principals.js';
import { Authentication } from './authentication.js';
import { ensurePlatformAdmin } from './bootstrap.js';
import { hashPassword } from './passwords.js';

describeOnDatabases('identity/authentication - the platform administrator at first start', (fixture) => {
  const rowCounts = () =>
    fixture().engine.database.read(async (sql) => {
      const counts: Record<string, number> = {};
      for (const table of ['tenant', 'role', 'role_permission', 'app_user', 'user_role']) {
        counts[table] = Number((await sql.select(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.n);
      }
      return counts;
    });
  const authentication = () => new Authentication(fixture().engine, new Principals(fixture().engine.database, fixture().engine.environment.clock), silentLogger());
  const signsIn = (password: string) =>
    authentication()
      .login('admin', password, null)
      .then(
        () => true,
        () => false,
      );

  it('creates the root tenant, the platform-admin role and the admin, generating a password announced once', async () => {
    // given
    const { engine } = fixture();
    const announced: string[] = [];
    // when started twice
    await ensurePlatformAdmin(engine, undefined, (message) => announced.push(message));
    const afterFirst = await rowCounts();
    await ensurePlatformAdmin(engine, undefined, (message) => announced.push(message));
    // then
    expect(announced).to.have.length(1);
    expect(await rowCounts()).to.deep.equal(afterFirst).and.deep.equal({ tenant: 1, role: 1, role_permission: 1, app_user: 1, user_role: 1 });
    const [tenant] = await engine.database.read((sql) => sql.select('SELECT id, name, level, path, parent_id FROM tenant'));
    expect(tenant).to.deep.equal({ id: '100000', name: '全国', level: 'national', path: '/100000/', parent_id: null });
    const [user] = await engine.database.read((sql) => sql.select('SELECT display_name, tenant_id, password_hash, must_change_password FROM app_user WHERE id = $1', ['admin']));
    const password = /password: (\S+)/.exec(announced[0] as string)?.[1] as string;
    expect(user?.display_name).to.equal('平台管理员');
    expect(String(user?.password_hash)).to.match(/^\$argon2id\$/).and.not.contain(password);
    expect(Boolean(Number(user?.must_change_password))).to.equal(true);
    expect(await signsIn(password)).to.equal(true);
    expect(await signsIn(`${password}x`)).to.equal(false);
  });

  it('gives the admin every permission over every tenant', async () => {
    const principal = await new Principals(fixture().engine.database, fixture().engine.environment.clock).load('admin');
    expect(principal).to.include({ tenantId: '100000', visibleTenantIds: 'all' });
    expect([...(principal?.permissions ?? [])]).to.deep.equal(['*']);
    expect(principal?.dataScope).to.deep.equal({ kind: 'all' });
  });

  it('sets the configured password, and keeps it (and its age) while it stays the same', async () => {
    // given
    const { engine } = fixture();
    // when
    await ensurePlatformAdmin(engine, 'Configured-Passw0rd', () => expect.fail('a configured password is not announced'));
    const [first] = await engine.database.read((sql) => sql.select('SELECT password_hash, password_changed, must_change_password FROM app_user WHERE id = $1', ['admin']));
    await ensurePlatformAdmin(engine, 'Configured-Passw0rd', () => undefined);
    // then
    const [second] = await engine.database.read((sql) => sql.select('SELECT password_hash, password_changed FROM app_user WHERE id = $1', ['admin']));
    expect(second).to.deep.equal({ password_hash: first?.password_hash, password_changed: first?.password_changed });
    expect(Boolean(Number(first?.must_change_password))).to.equal(false);
    expect(await signsIn('Configured-Passw0rd')).to.equal(true);
    // and without a configured password, the last one stays and nothing is announced
    await ensurePlatformAdmin(engine, undefined, () => expect.fail('nothing new to announce'));
    expect(await signsIn('Configured-Passw0rd')).to.equal(true);
  });

  it('keeps a password the admin changed themselves, and a lockout, across restarts with the same configured password', async () => {
    // given: the configured password applied, then changed by the admin, who is then locked out
    const { engine } = fixture();
    await ensurePlatformAdmin(engine, 'Configured-Passw0rd', () => undefined);
    const own = await hashPassword('Admins-Own-Passw0rd');
    await engine.database.transaction((sql) => sql.execute("UPDATE app_user SET password_hash = $1, locked_until = '2099-01-01 00:00:00.000' WHERE id = $2", [own, 'admin']));
    // when the platform restarts with the variable unchanged
    await ensurePlatformAdmin(engine, 'Configured-Passw0rd', () => undefined);
    // then
    const [admin] = await engine.database.read((sql) => sql.select('SELECT locked_until FROM app_user WHERE id = $1', ['admin']));
    expect(String(admin?.locked_until)).to.match(/^2099-01-01/);
    await engine.database.transaction((sql) => sql.execute('UPDATE app_user SET locked_until = NULL WHERE id = $1', ['admin']));
    expect(await signsIn('Configured-Passw0rd')).to.equal(false);
    expect(await signsIn('Admins-Own-Passw0rd')).to.equal(true);
  });

  it('stores a changed configured password over the admin’s own, lifting a lockout, and remembers it by a hash only', async () => {
    // given: an admin locked out with a password of their own
    const { engine } = fixture();
    await engine.database.transaction((sql) => sql.execute("UPDATE app_user SET locked_until = '2099-01-01 00:00:00.000', failed_logins = 3 WHERE id = $1", ['admin']));
    // when the operator sets another password
    await ensurePlatformAdmin(engine, 'Recovered-Passw0rd', () => undefined);
    // then
    const [admin] = await engine.database.read((sql) => sql.select('SELECT locked_until, failed_logins FROM app_user WHERE id = $1', ['admin']));
    expect(admin).to.deep.equal({ locked_until: null, failed_logins: 0 });
    expect(await signsIn('Recovered-Passw0rd')).to.equal(true);
    const [applied] = await engine.database.read((sql) => sql.select("SELECT value FROM engine_property WHERE name = 'identity.admin-password.applied'"));
    expect(String(applied?.value)).to.match(/^\$argon2id\$/).and.not.contain('Recovered');
  });

  it('refuses to start with a configured password the policy does not allow, naming the variable, and changes nothing', async () => {
    // given
    const { engine } = fixture();
    const before = await engine.database.read((sql) => sql.select('SELECT password_hash, password_changed FROM app_user WHERE id = $1', ['admin']));
    // when
    const refusals = await Promise.all(
      ['short', 'alllowercaseletters'].map((password) =>
        ensurePlatformAdmin(engine, password, () => undefined).then(
          () => null,
          (error: Error) => error.message,
        ),
      ),
    );
    const stricter = await ensurePlatformAdmin(engine, 'Recovered-Passw0rd', () => undefined, { minLength: 20, minClasses: 3, maxAgeDays: null }).then(
      () => null,
      (error: Error) => error.message,
    );
    // then
    expect(refusals).to.deep.equal([
      'YIWANG_ADMIN_PASSWORD does not meet the password policy: 密码至少 10 位 (the password must have at least 10 characters)',
      'YIWANG_ADMIN_PASSWORD does not meet the password policy: 密码须包含小写字母、大写字母、数字、符号中的至少 3 类 (the password must mix at least 3 of lower case, upper case, digits and symbols)',
    ]);
    expect(stricter).to.contain('YIWANG_ADMIN_PASSWORD').and.contain('20');
    expect(await engine.database.read((sql) => sql.select('SELECT password_hash, password_changed FROM app_user WHERE id = $1', ['admin']))).to.deep.equal(before);
  });

  it('puts back what makes the role the platform administrator’s', async () => {
    // given someone narrowed the role
    const { engine } = fixture();
    await engine.database.transaction((sql) => sql.execute("UPDATE role SET data_scope = 'self', sees_descendants = $1 WHERE code = 'platform-admin'", [0]));
    // when
    await ensurePlatformAdmin(engine, undefined, () => undefined);
    // then
    const [role] = await engine.database.read((sql) => sql.select("SELECT data_scope, sees_descendants FROM role WHERE code = 'platform-admin'"));
    expect(role?.data_scope).to.equal('all');
    expect(Number(role?.sees_descendants)).to.equal(1);
  });
});
