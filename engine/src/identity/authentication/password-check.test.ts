import { expect } from 'chai';
import { silentLogger } from '../../logging/index.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE, TEST_USER_PASSWORD } from '../../testing/organisation.js';
import { Principals } from '../principals.js';
import { Authentication } from './authentication.js';
import { AccountLockedError, AuthenticationError } from './errors.js';
import { DEFAULT_AUTHENTICATION_SETTINGS } from './settings.js';

const LIMIT = DEFAULT_AUTHENTICATION_SETTINGS.maxFailedLogins;

describeOnDatabases('identity/authentication - lockout against guesses sent at once', (fixture) => {
  let authentication: Authentication;

  before(async () => {
    const { engine } = fixture();
    await buildOrganisation(engine, { tenants: TENANT_TREE_FIXTURE, users: [{ id: 'guessed', tenantId: TENANT_TREE.city }] });
    authentication = new Authentication(engine, new Principals(engine.database, engine.environment.clock), silentLogger());
  });

  /** The wrong passwords checked against the user: each is audited once checked. */
  const checkedWrongPasswords = async (userId: string) =>
    Number(
      (
        await fixture().engine.database.read((sql) =>
          sql.select("SELECT COUNT(*) AS n FROM audit_log WHERE object_id = $1 AND action IN ('auth.login-failed', 'auth.account-locked')", [userId]),
        )
      )[0]?.n,
    );

  it(`checks only ${LIMIT} of ${LIMIT + 5} wrong passwords sent at once, then refuses even the right one`, async () => {
    // when
    const outcomes = await Promise.allSettled(Array.from({ length: LIMIT + 5 }, (_, i) => authentication.login('guessed', `Wrong-Guess-${i}`, null)));
    const right = await authentication.login('guessed', TEST_USER_PASSWORD, null).then(
      () => null,
      (error: unknown) => error,
    );
    // then
    const errors = outcomes.map((outcome) => (outcome.status === 'rejected' ? (outcome.reason as Error) : null));
    expect(errors.every((error) => error instanceof AuthenticationError)).to.equal(true);
    expect(errors.filter((error) => !(error instanceof AccountLockedError))).to.have.length(LIMIT - 1);
    expect(await checkedWrongPasswords('guessed')).to.equal(LIMIT);
    expect(right).to.be.instanceOf(AccountLockedError);
  });
});
