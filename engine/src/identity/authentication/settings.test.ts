import { expect } from 'chai';
import { silentLogger } from '../../logging/index.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE, TEST_USER_PASSWORD } from '../../testing/organisation.js';
import { actorOf } from '../caller.js';
import { startIdentity, type Identity } from '../startup.js';
import { AccountLockedError } from './errors.js';
import type { AuthenticationSettings } from './settings.js';

const { city } = TENANT_TREE;
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Settings unlike every default, as the YIWANG_ variables may set them. */
const SETTINGS: AuthenticationSettings = {
  accessTokenTtlMs: 60_000,
  refreshTokenTtlMs: 86_400_000,
  maxFailedLogins: 2,
  lockoutMs: 60_000,
  passwordPolicy: { minLength: 12, minClasses: 4, maxAgeDays: null },
};

describeOnDatabases('identity/authentication - the settings identity is started with', (fixture) => {
  let identity: Identity;

  before(async () => {
    const { engine } = fixture();
    identity = await startIdentity(engine, { adminPassword: 'unused-Adm1n-password', announce: () => undefined, logger: silentLogger(), settings: SETTINGS });
    await buildOrganisation(engine, { tenants: TENANT_TREE_FIXTURE, users: ['ann', 'ben', 'cid'].map((id) => ({ id, tenantId: city })) });
  });

  it('issues tokens with the lifetimes given', async () => {
    const signedIn = await identity.authentication.login('ann', TEST_USER_PASSWORD, null);
    expect(signedIn).to.include({ expiresIn: 60, refreshExpiresIn: 86_400 });
  });

  it('locks the account after the number of failures given, for the time given', async () => {
    // when
    await identity.authentication.login('ben', 'Wrong-Passw0rd', null).catch(() => undefined);
    const second = await identity.authentication.login('ben', 'Wrong-Passw0rd', null).catch((error: unknown) => error);
    // then
    expect(second).to.be.instanceOf(AccountLockedError);
    expect((second as AccountLockedError).lockedUntil.getTime() - fixture().clock.now().getTime()).to.be.within(50_000, 60_000);
    fixture().clock.advance(60_001);
    await identity.authentication.login('ben', TEST_USER_PASSWORD, null);
  });

  it('checks new passwords against the policy given', async () => {
    // given
    const { accessToken } = await identity.authentication.login('cid', TEST_USER_PASSWORD, null);
    const principal = (await identity.principals.load('cid'))!;
    const change = (newPassword: string) => identity.authentication.changePassword(principal, actorOf(principal, null), `Bearer ${accessToken}`, TEST_USER_PASSWORD, newPassword);
    const refusal = (newPassword: string) => change(newPassword).then(() => 'changed', (error: Error) => error.message);
    // when / then: three classes are not enough, nor 11 characters
    expect(await refusal('Three-Classes')).to.match(/^密码须包含小写字母、大写字母、数字、符号中的至少 4 类/);
    expect(await refusal('Sh0rt-Enuf!')).to.match(/^密码至少 12 位/);
    expect(await refusal('Four-Class3s')).to.equal('changed');
  });

  it('never holds a password back for its age when the policy sets no maximum', async () => {
    // when
    fixture().clock.advance(400 * 86_400_000);
    // then
    expect(await identity.authentication.login('ann', TEST_USER_PASSWORD, null)).to.include({ passwordExpired: false });
    expect(await identity.authentication.authenticator.principalOf(basic('ann', TEST_USER_PASSWORD), null)).to.include({ passwordChangeRequired: false });
  });
});
