import { expect } from 'chai';
import { parseTimer, type TimerType } from './index.js';

const createdAt = new Date('2026-03-07T00:00:00Z');

function firstDueOf(type: TimerType, text: string): string {
  return parseTimer(type, text, { timeZone: 'UTC' }).firstDue(createdAt).toISOString();
}

describe('timer > parseTimer', () => {
  it('trims the text of every type', () => {
    expect(firstDueOf('timeDate', '\n  2026-11-24T10:00:00Z \t')).to.equal('2026-11-24T10:00:00.000Z');
    expect(firstDueOf('timeDuration', ' PT5M\n')).to.equal('2026-03-07T00:05:00.000Z');
    expect(firstDueOf('timeCycle', ' R/PT1H ')).to.equal('2026-03-07T01:00:00.000Z');
    expect(firstDueOf('timeCycle', ' 0 0 12 * * ? ')).to.equal('2026-03-07T12:00:00.000Z');
  });

  it('reads local times in the zone of the process by default', () => {
    // given
    const processZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    // when
    const byDefault = parseTimer('timeDate', '2026-11-24T10:00:00').firstDue(createdAt);
    const explicit = parseTimer('timeDate', '2026-11-24T10:00:00', { timeZone: processZone }).firstDue(createdAt);
    // then
    expect(byDefault.toISOString()).to.equal(explicit.toISOString());
  });

  it('rejects an unknown time zone with a RangeError', () => {
    expect(() => parseTimer('timeDuration', 'PT5M', { timeZone: 'Mars/Olympus_Mons' })).to.throw(
      RangeError,
      "'Mars/Olympus_Mons' is not an IANA time zone",
    );
  });
});
