import { expect } from 'chai';
import { DEFAULT_AUTHENTICATION_SETTINGS, secretHash, type SignedIn } from '../../identity/index.js';
import { formatTimestamp } from '../../persistence/index.js';
import { bpmn, flow } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE, TEST_USER_PASSWORD } from '../../testing/organisation.js';
import { basicAuth, startPlatformServer, type ErrorBody, type HttpClient } from '../../testing/rest.js';

const { city } = TENANT_TREE;
const WRONG_CREDENTIALS = '用户名或密码错误 (wrong user name or password)';
const NEW_PASSWORD = 'Another-Passw0rd';

describeOnDatabases('api/platform - sign-in, sessions, lockout and passwords', (fixture) => {
  let api: HttpClient;
  let rest: HttpClient;
  let close: () => Promise<void>;

  before(async () => {
    const { engine } = fixture();
    ({ api, rest, close } = await startPlatformServer(engine));
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      departments: [
        { tenantId: city, code: 'cgj', name: '市城管执法局' },
        { tenantId: city, code: 'cgj-zf', name: '执法支队', parent: 'cgj' },
      ],
      roles: [{ tenantId: city, code: 'dispatcher', name: '派遣员', permissions: ['task:read', 'task:handle'], dataScope: 'department-and-below' }],
      users: ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace'].map((id) => ({ id, tenantId: city, name: `用户 ${id}`, departments: ['cgj-zf', 'cgj'], roles: ['dispatcher'] })),
    });
  });

  after(async () => {
    await close();
  });

  const login = (username: string, password: string) => api.request('/auth/login', { auth: null, body: { username, password } });
  const signIn = async (username: string, password = TEST_USER_PASSWORD) => {
    const response = await login(username, password);
    expect(response.status, await response.clone().text()).to.equal(200);
    return (await response.json()) as SignedIn;
  };
  const bearer = (token: string) => `Bearer ${token}`;
  const userRow = async (id: string) => {
    const [row] = await fixture().engine.database.read((sql) => sql.select('SELECT failed_logins, locked_until, password_hash FROM app_user WHERE id = $1', [id]));
    return row as { failed_logins: number; locked_until: unknown; password_hash: string };
  };
  const auditActions = async (userId: string) =>
    (await fixture().engine.database.read((sql) => sql.select('SELECT action FROM audit_log WHERE object_id = $1 ORDER BY time, id', [userId]))).map((row) => row.action);

  it('signs a user in with short-lived opaque tokens, storing only their hashes', async () => {
    // when
    const signedIn = await signIn('alice');
    // then
    expect(signedIn).to.deep.include({
      tokenType: 'Bearer',
      expiresIn: DEFAULT_AUTHENTICATION_SETTINGS.accessTokenTtlMs / 1000,
      refreshExpiresIn: DEFAULT_AUTHENTICATION_SETTINGS.refreshTokenTtlMs / 1000,
      mustChangePassword: false,
      passwordExpired: false,
      user: { id: 'alice', displayName: '用户 alice', tenantId: city },
    });
    expect(signedIn.accessToken).to.match(/^ywa_[A-Za-z0-9_-]{43}$/);
    expect(signedIn.refreshToken).to.match(/^ywr_[A-Za-z0-9_-]{43}$/);
    const sessions = await fixture().engine.database.read((sql) => sql.select('SELECT * FROM auth_session WHERE user_id = $1', ['alice']));
    expect(sessions).to.have.length(1);
    expect(sessions[0]).to.include({ access_hash: secretHash(signedIn.accessToken), refresh_hash: secretHash(signedIn.refreshToken) });
    expect(JSON.stringify(sessions)).not.to.contain(signedIn.accessToken).and.not.to.contain(signedIn.refreshToken);
    expect(await auditActions('alice')).to.include('auth.login');
  });

  it('tells the caller who they are: tenant, departments, roles, permissions and data scope', async () => {
    // given
    const { accessToken } = await signIn('alice');
    // when
    const me = await api.json<Record<string, unknown>>('/auth/me', { auth: bearer(accessToken) });
    // then
    expect(me).to.deep.include({
      id: 'alice',
      displayName: '用户 alice',
      tenant: { id: city, name: '柳州市', level: 'city' },
      permissions: ['task:handle', 'task:read'],
    });
    expect((me.departments as { code: string }[]).map((department) => department.code)).to.deep.equal(['cgj-zf', 'cgj']);
    expect(me.roles).to.deep.equal([{ id: (me.roles as { id: string }[])[0]?.id, code: 'dispatcher', name: '派遣员' }]);
    expect(me.dataScope).to.include({ kind: 'department-and-below' });
  });

  it('answers a wrong password and an unknown user with the same 401, in similar time', async () => {
    // when
    const started = performance.now();
    const wrong = await login('alice', 'Wrong-Passw0rd');
    const wrongMs = performance.now() - started;
    const unknownStarted = performance.now();
    const unknown = await login('nobody-at-all', 'Wrong-Passw0rd');
    const unknownMs = performance.now() - unknownStarted;
    // then
    for (const response of [wrong, unknown]) {
      expect(response.status).to.equal(401);
      expect(await response.json()).to.deep.equal({ type: 'AuthenticationException', message: WRONG_CREDENTIALS });
    }
    // both run argon2: an unknown user is not answered in a fraction of the time
    expect(unknownMs).to.be.greaterThan(wrongMs / 4);
  });

  it('refuses a disabled user even with the right password', async () => {
    // given
    await fixture().engine.database.transaction((sql) => sql.execute('UPDATE app_user SET enabled = $1 WHERE id = $2', [0, 'dave']));
    // when
    const response = await login('dave', TEST_USER_PASSWORD);
    // then
    expect(response.status).to.equal(401);
    expect(await response.json()).to.include({ message: WRONG_CREDENTIALS });
  });

  it('locks an account after 5 failures in a row, even against the right password, until the lockout has passed', async () => {
    // given four failures, then a success that starts the count again
    for (let i = 0; i < 4; i++) expect((await login('bob', `Wrong-${i}`)).status).to.equal(401);
    expect((await userRow('bob')).failed_logins).to.equal(4);
    await signIn('bob');
    expect((await userRow('bob')).failed_logins).to.equal(0);
    // when five failures follow
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await login('bob', `Wrong-${i}`));
    // then the fifth says the account is locked, and so does the right password
    expect(answers.slice(0, 4).map((response) => response.status)).to.deep.equal([401, 401, 401, 401]);
    expect(answers[4]?.status).to.equal(423);
    const locked = await login('bob', TEST_USER_PASSWORD);
    expect(locked.status).to.equal(423);
    const { type, message } = (await locked.json()) as ErrorBody;
    expect(type).to.equal('AccountLockedException');
    expect(message).to.match(/^账户已锁定，请于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} 后再试 \(the account is locked after too many failed sign-ins until \S+Z\)$/);
    // and HTTP Basic on /engine-rest is refused the same way
    expect((await rest.request('/version', { auth: basicAuth('bob', TEST_USER_PASSWORD) })).status).to.equal(423);
    expect(await auditActions('bob')).to.include('auth.account-locked');
    // when the lockout has passed
    fixture().clock.advance(DEFAULT_AUTHENTICATION_SETTINGS.lockoutMs + 1000);
    // then the right password works again
    await signIn('bob');
    expect(await userRow('bob')).to.include({ failed_logins: 0, locked_until: null });
  });

  it('counts failed HTTP Basic credentials on /engine-rest towards the lockout', async () => {
    // given
    expect((await rest.request('/version', { auth: basicAuth('erin', TEST_USER_PASSWORD) })).status).to.equal(200);
    // when
    for (let i = 0; i < 5; i++) expect((await rest.request('/version', { auth: basicAuth('erin', `Wrong-${i}`) })).status).to.be.oneOf([401, 423]);
    // then
    expect((await rest.request('/version', { auth: basicAuth('erin', TEST_USER_PASSWORD) })).status).to.equal(423);
    expect((await login('erin', TEST_USER_PASSWORD)).status).to.equal(423);
  });

  it('rotates both tokens on refresh: the old refresh token stops working, the new tokens work', async () => {
    // given
    const first = await signIn('carol');
    // when
    const refreshed = await api.json<SignedIn>('/auth/refresh', { auth: null, body: { refreshToken: first.refreshToken } });
    // then
    expect(refreshed.accessToken).not.to.equal(first.accessToken);
    expect(refreshed.refreshToken).not.to.equal(first.refreshToken);
    expect(refreshed.user.id).to.equal('carol');
    expect((await api.request('/auth/me', { auth: bearer(refreshed.accessToken) })).status).to.equal(200);
    expect((await api.request('/auth/me', { auth: bearer(first.accessToken) })).status).to.equal(401);
    const again = await api.json<SignedIn>('/auth/refresh', { auth: null, body: { refreshToken: refreshed.refreshToken } });
    expect((await api.request('/auth/me', { auth: bearer(again.accessToken) })).status).to.equal(200);
  });

  it('ends the whole session when a refresh token is used a second time', async () => {
    // given a session refreshed once, and another session of the same user
    const stolen = await signIn('frank');
    const other = await signIn('frank');
    const current = await api.json<SignedIn>('/auth/refresh', { auth: null, body: { refreshToken: stolen.refreshToken } });
    // when the old refresh token comes back
    const reused = await api.request('/auth/refresh', { auth: null, body: { refreshToken: stolen.refreshToken } });
    // then it is refused, and the tokens that descend from it are revoked too
    expect(reused.status).to.equal(401);
    expect(await reused.json()).to.include({ type: 'AuthenticationException' });
    expect((await api.request('/auth/me', { auth: bearer(current.accessToken) })).status).to.equal(401);
    expect((await api.request('/auth/refresh', { auth: null, body: { refreshToken: current.refreshToken } })).status).to.equal(401);
    expect(await auditActions('frank')).to.include('auth.refresh-token-reused');
    // but the user's other session goes on
    expect((await api.request('/auth/me', { auth: bearer(other.accessToken) })).status).to.equal(200);
  });

  it('refuses an access token once it expired, and a refresh token once it expired', async () => {
    // given
    const session = await signIn('alice');
    // when
    fixture().clock.advance(DEFAULT_AUTHENTICATION_SETTINGS.accessTokenTtlMs + 1000);
    // then
    expect((await api.request('/auth/me', { auth: bearer(session.accessToken) })).status).to.equal(401);
    // a client refreshing with the expired access token still attached, as HTTP clients with a default header do
    const refreshed = await api.json<SignedIn>('/auth/refresh', { auth: bearer(session.accessToken), body: { refreshToken: session.refreshToken } });
    // when
    fixture().clock.advance(DEFAULT_AUTHENTICATION_SETTINGS.refreshTokenTtlMs + 1000);
    // then
    expect((await api.request('/auth/refresh', { auth: null, body: { refreshToken: refreshed.refreshToken } })).status).to.equal(401);
  });

  it('revokes a session at logout: its access token gets 401 on the next request, on /api and /engine-rest', async () => {
    // given
    const { accessToken, refreshToken } = await signIn('alice');
    expect((await rest.request('/version', { auth: bearer(accessToken) })).status).to.equal(200);
    // when
    const logout = await api.request('/auth/logout', { method: 'POST', auth: bearer(accessToken) });
    // then
    expect(logout.status).to.equal(204);
    expect((await api.request('/auth/me', { auth: bearer(accessToken) })).status).to.equal(401);
    expect((await rest.request('/version', { auth: bearer(accessToken) })).status).to.equal(401);
    expect((await api.request('/auth/refresh', { auth: null, body: { refreshToken } })).status).to.equal(401);
    expect(await auditActions('alice')).to.include('auth.logout');
  });

  it('refuses a new password the policy does not allow, or a wrong current password, and changes nothing', async () => {
    // given
    const { accessToken } = await signIn('grace');
    const before = await userRow('grace');
    const change = (currentPassword: string, newPassword: string) => api.request('/auth/password', { auth: bearer(accessToken), body: { currentPassword, newPassword } });
    // when / then
    for (const [newPassword, expected] of [
      ['Sh0rt!', /^密码至少 10 位/],
      ['alllowercase-letters', /^密码须包含/],
      [TEST_USER_PASSWORD, /^新密码不能与当前密码相同/],
    ] as const) {
      const response = await change(TEST_USER_PASSWORD, newPassword);
      expect(response.status, newPassword).to.equal(400);
      expect(((await response.json()) as ErrorBody).message).to.match(expected);
    }
    const wrongCurrent = await change('Not-the-passw0rd', NEW_PASSWORD);
    expect(wrongCurrent.status).to.equal(400);
    expect(await wrongCurrent.json()).to.include({ message: '当前密码不正确 (the current password is wrong)' });
    expect((await userRow('grace')).password_hash).to.equal(before.password_hash);
    expect((await userRow('grace')).failed_logins).to.equal(1);
  });

  it('changes the password: the old one stops working, the other sessions end, this one goes on', async () => {
    // given two sessions, one flagged to change its password
    await fixture().engine.database.transaction((sql) => sql.execute('UPDATE app_user SET must_change_password = $1 WHERE id = $2', [1, 'grace']));
    const here = await signIn('grace');
    const elsewhere = await signIn('grace');
    expect(here.mustChangePassword).to.equal(true);
    // when
    const response = await api.request('/auth/password', { auth: bearer(here.accessToken), body: { currentPassword: TEST_USER_PASSWORD, newPassword: NEW_PASSWORD } });
    // then
    expect(response.status).to.equal(204);
    expect((await api.request('/auth/me', { auth: bearer(here.accessToken) })).status).to.equal(200);
    expect((await api.request('/auth/me', { auth: bearer(elsewhere.accessToken) })).status).to.equal(401);
    expect((await login('grace', TEST_USER_PASSWORD)).status).to.equal(401);
    expect((await signIn('grace', NEW_PASSWORD)).mustChangePassword).to.equal(false);
    expect(await auditActions('grace')).to.include('user.password-change');
  });

  it('flags a password older than the policy allows', async () => {
    // given a password set 91 days ago
    const longAgo = new Date(fixture().clock.now().getTime() - 91 * 86_400_000);
    await fixture().engine.database.transaction((sql) => sql.execute('UPDATE app_user SET password_changed = $1 WHERE id = $2', [formatTimestamp(longAgo), 'carol']));
    // when
    const signedIn = await signIn('carol');
    // then
    expect(signedIn.passwordExpired).to.equal(true);
  });

  it('answers logout and password change without a session with 401, and logout with an API key with 400', async () => {
    expect((await api.request('/auth/logout', { method: 'POST', auth: null })).status).to.equal(401);
    expect((await api.request('/auth/me', { auth: null })).status).to.equal(401);
    const { key } = await api.authentication.apiKeys.create({ name: 'a script', userId: 'alice' }, null, null);
    const logout = await api.request('/auth/logout', { method: 'POST', auth: bearer(key) });
    expect(logout.status).to.equal(400);
  });

  it('matches the login id ignoring case and acts as the stored id: sessions, audit rows and tasks are the stored user\'s', async () => {
    // given a task assigned to alice
    const { engine } = fixture();
    const process = bpmn('case_ids', `<startEvent id="start"/>${flow('start', 'handle')}<userTask id="handle" camunda:assignee="alice"/>${flow('handle', 'end')}<endEvent id="end"/>`);
    await engine.repositoryService.deploy({ name: 'case-ids', tenantId: city, resources: [{ name: 'case-ids.bpmn', content: process }] });
    const instance = await engine.runtimeService.startProcessInstanceByKey('case_ids', { tenantId: city });
    const [task] = await engine.taskService.listTasks({ processInstanceId: instance.id });
    // when she signs in as ALICE
    const signedIn = await signIn('ALICE');
    // then she is alice, in the answer, her profile and her session
    expect(signedIn.user.id).to.equal('alice');
    expect(await api.json('/auth/me', { auth: bearer(signedIn.accessToken) })).to.include({ id: 'alice' });
    const [session] = await engine.database.read((sql) => sql.select('SELECT user_id FROM auth_session WHERE access_hash = $1', [secretHash(signedIn.accessToken)]));
    expect(session?.user_id).to.equal('alice');
    // when she completes her task over HTTP Basic as Alice
    const completed = await rest.request(`/task/${task!.id}/complete`, { auth: basicAuth('Alice', TEST_USER_PASSWORD), body: {} });
    // then the task was hers, and the history and audit log name alice
    expect(completed.status, await completed.clone().text()).to.equal(204);
    const [done] = await engine.database.read((sql) => sql.select('SELECT assignee FROM hi_task WHERE id = $1', [task!.id]));
    expect(done?.assignee).to.equal('alice');
    const auditUsers = await engine.database.read((sql) => sql.select("SELECT user_id FROM audit_log WHERE action IN ('auth.login', 'case.complete')", []));
    expect(auditUsers.map((row) => row.user_id)).to.include('alice').and.not.to.include('ALICE').and.not.to.include('Alice');
  });

  it('counts a wrong password typed under another case of the id against the stored user', async () => {
    // given
    const before = (await userRow('carol')).failed_logins;
    // when
    expect((await login('CAROL', 'Wrong-Passw0rd')).status).to.equal(401);
    // then
    expect((await userRow('carol')).failed_logins).to.equal(before + 1);
    await signIn('Carol');
  });

  it('refuses malformed sign-in bodies with 400 naming the problem', async () => {
    const missing = await api.request('/auth/login', { auth: null, body: { username: 'alice' } });
    expect(missing.status).to.equal(400);
    expect(((await missing.json()) as ErrorBody).message).to.contain("'password' is required");
    const oversized = await api.request('/auth/login', { auth: null, body: { username: 'a'.repeat(65), password: 'x' } });
    expect(oversized.status).to.equal(400);
  });
});

describeOnDatabases('api/platform - a password to change before anything else', (fixture) => {
  let api: HttpClient;
  let rest: HttpClient;
  let close: () => Promise<void>;
  const RESET_PASSWORD = 'Reset-by-Adm1n';

  before(async () => {
    const { engine } = fixture();
    ({ api, rest, close } = await startPlatformServer(engine));
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      roles: [{ tenantId: city, code: 'key-reader', permissions: ['api-key:read', 'task:read'] }],
      users: ['reset.me', 'flagged', 'worker', 'old.timer'].map((id) => ({ id, tenantId: city, roles: ['key-reader'] })),
    });
  });

  after(async () => {
    await close();
  });

  const bearer = (token: string) => `Bearer ${token}`;
  const signIn = (username: string, password = TEST_USER_PASSWORD) => api.json<SignedIn>('/auth/login', { auth: null, body: { username, password } });
  const changePassword = (auth: string, currentPassword: string) => api.request('/auth/password', { auth, body: { currentPassword, newPassword: NEW_PASSWORD } });
  const flag = (userId: string) => fixture().engine.database.transaction((sql) => sql.execute('UPDATE app_user SET must_change_password = $1 WHERE id = $2', [1, userId]));
  /** answers of an /api route and an /engine-rest route that the user's role allows */
  const statuses = async (auth: string) => [(await api.request('/admin/api-keys', { auth })).status, (await rest.request('/version', { auth })).status];

  it('lets a user whose password an administrator reset only see who they are, refresh, sign out and change it', async () => {
    // given
    await api.json('/admin/users/reset.me/password', { body: { password: RESET_PASSWORD } }, 204);
    // when
    const signedIn = await signIn('reset.me', RESET_PASSWORD);
    const auth = bearer(signedIn.accessToken);
    // then every other route, on /api and /engine-rest, with the session or HTTP Basic, says to change the password first
    expect(signedIn.mustChangePassword).to.equal(true);
    for (const response of [
      await api.request('/admin/api-keys', { auth }),
      await rest.request('/version', { auth }),
      await rest.request('/task', { auth: basicAuth('reset.me', RESET_PASSWORD) }),
    ]) {
      expect(response.status, response.url).to.equal(403);
      const { type, message } = (await response.json()) as ErrorBody;
      expect(type).to.equal('PasswordChangeRequiredException');
      expect(message).to.match(/^请先修改密码 \(change your password first: /);
    }
    expect(await api.json('/auth/me', { auth })).to.include({ id: 'reset.me', passwordChangeRequired: true });
    const refreshed = await api.json<SignedIn>('/auth/refresh', { auth: null, body: { refreshToken: signedIn.refreshToken } });
    expect(await statuses(bearer(refreshed.accessToken))).to.deep.equal([403, 403]);
    expect((await api.request('/auth/logout', { method: 'POST', auth: bearer(refreshed.accessToken) })).status).to.equal(204);
  });

  it('lifts the block at once when the password is changed, for the session that changed it and for HTTP Basic', async () => {
    // given
    await flag('flagged');
    const auth = bearer((await signIn('flagged')).accessToken);
    expect(await statuses(auth)).to.deep.equal([403, 403]);
    // when
    expect((await changePassword(auth, TEST_USER_PASSWORD)).status).to.equal(204);
    // then
    expect(await statuses(auth)).to.deep.equal([200, 200]);
    expect(await statuses(basicAuth('flagged', NEW_PASSWORD))).to.deep.equal([200, 200]);
    expect(await api.json('/auth/me', { auth })).to.include({ passwordChangeRequired: false });
  });

  it('reads the flag on every request: an account flagged meanwhile is held back at its next request', async () => {
    // given a session in use, its principal cached
    const auth = bearer((await signIn('worker')).accessToken);
    expect(await statuses(auth)).to.deep.equal([200, 200]);
    // when an administrator (here: another engine process) flags the account
    await flag('worker');
    // then
    expect(await statuses(auth)).to.deep.equal([403, 403]);
  });

  it('keeps API keys working while their user has a password to change: they are machine credentials', async () => {
    // given a flagged user with a key
    await flag('worker');
    const { key } = await api.authentication.apiKeys.create({ name: 'worker key', userId: 'worker' }, null, null);
    // when / then
    expect(await statuses(bearer(key))).to.deep.equal([200, 200]);
    expect(await statuses(basicAuth('worker', TEST_USER_PASSWORD))).to.deep.equal([403, 403]);
  });

  it('holds back a password older than the policy allows, by the engine clock, until it is changed', async () => {
    // given a password in use
    expect(await statuses(basicAuth('old.timer', TEST_USER_PASSWORD))).to.deep.equal([200, 200]);
    // when 91 days pass
    fixture().clock.advance(91 * 86_400_000);
    // then
    const signedIn = await signIn('old.timer');
    expect(signedIn).to.include({ mustChangePassword: false, passwordExpired: true });
    const auth = bearer(signedIn.accessToken);
    expect(await statuses(auth)).to.deep.equal([403, 403]);
    expect(await statuses(basicAuth('old.timer', TEST_USER_PASSWORD))).to.deep.equal([403, 403]);
    // when
    expect((await changePassword(auth, TEST_USER_PASSWORD)).status).to.equal(204);
    // then
    expect(await statuses(auth)).to.deep.equal([200, 200]);
  });
});
