import { expect } from 'chai';
import { DEFAULT_PUBLIC_REPORT_SETTINGS } from '../config/index.js';
import { describeOnDatabases } from '../testing/databases.js';
import { RateLimitExceededError } from './errors.js';
import { addressLimits, CountRequestCmd } from './rate-limits.js';

describeOnDatabases('public-reports - lookups counted in the database', (fixture) => {
  const limits = addressLimits({ ...DEFAULT_PUBLIC_REPORT_SETTINGS, lookupsPerMinutePerAddress: 3 });
  const lookup = (address: string) => fixture().engine.commandExecutor.execute(new CountRequestCmd('lookup', address, limits, 'en'));
  async function events(address: string): Promise<number> {
    const [row] = await fixture().engine.database.read((sql) => sql.select('SELECT COUNT(*) AS n FROM public_rate_event WHERE bucket = $1', [`lookup:${address}`]));
    return Number(row?.n);
  }

  it('refuses the lookup past the limit until the oldest leaves the minute, then prunes the expired events', async () => {
    // given
    const { clock } = fixture();
    for (let i = 0; i < 3; i += 1) {
      await lookup('192.0.2.1');
      clock.advance(10_000);
    }
    // when
    const refused = await lookup('192.0.2.1').catch((error: unknown) => error);
    await lookup('192.0.2.2');
    clock.advance(31_000);
    await lookup('192.0.2.1');
    // then: refused 30 s before the first lookup left the window; the second address counts apart
    expect(refused).to.be.instanceOf(RateLimitExceededError);
    expect((refused as RateLimitExceededError).retryAfterSeconds).to.equal(30);
    expect(await events('192.0.2.1')).to.equal(3);
    expect(await events('192.0.2.2')).to.equal(1);
  });
});
