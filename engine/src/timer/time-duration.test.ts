import { expect } from 'chai';
import { parseTimer } from './index.js';

function dueOf(text: string, createdAt: string, timeZone = 'UTC'): string {
  return parseTimer('timeDuration', text, { timeZone }).firstDue(new Date(createdAt)).toISOString();
}

describe('timer > timeDuration', () => {
  it('adds the duration to the creation time', () => {
    expect(dueOf('PT5M', '2026-03-01T10:00:00Z')).to.equal('2026-03-01T10:05:00.000Z');
    expect(dueOf('P1DT2H', '2026-03-01T10:00:00Z')).to.equal('2026-03-02T12:00:00.000Z');
    expect(dueOf('P2W', '2026-03-01T10:00:00Z')).to.equal('2026-03-15T10:00:00.000Z');
    expect(dueOf('PT0.5S', '2026-03-01T10:00:00Z')).to.equal('2026-03-01T10:00:00.500Z');
    expect(dueOf('PT1.5H', '2026-03-01T10:00:00Z')).to.equal('2026-03-01T11:30:00.000Z');
    expect(dueOf('P1Y2M3DT4H5M6.789S', '2026-03-01T10:00:00Z')).to.equal('2027-05-04T14:05:06.789Z');
  });

  it('counts calendar units in the time zone', () => {
    // 2026-01-31T12:00Z is 31 January, 20:00 in Shanghai: one month later is the last day of February
    expect(dueOf('P1M', '2026-01-31T12:00:00Z', 'Asia/Shanghai')).to.equal('2026-02-28T12:00:00.000Z');
    // 2026-02-28T20:00Z is 1 March in Shanghai but still February in UTC
    expect(dueOf('P1M', '2026-02-28T20:00:00Z', 'Asia/Shanghai')).to.equal('2026-03-31T20:00:00.000Z');
    expect(dueOf('P1M', '2026-02-28T20:00:00Z', 'UTC')).to.equal('2026-03-28T20:00:00.000Z');
  });

  it('takes P1D across a daylight saving change as a calendar day, PT24H as 24 hours', () => {
    // New York springs forward on 2026-03-08: that day has 23 hours
    expect(dueOf('P1D', '2026-03-07T17:00:00Z', 'America/New_York')).to.equal('2026-03-08T16:00:00.000Z');
    expect(dueOf('PT24H', '2026-03-07T17:00:00Z', 'America/New_York')).to.equal('2026-03-08T17:00:00.000Z');
  });

  it('does not repeat', () => {
    // when
    const schedule = parseTimer('timeDuration', 'PT5M', { timeZone: 'UTC' });
    // then
    expect(schedule.type).to.equal('timeDuration');
    expect(schedule.repeating).to.equal(false);
    expect(schedule.nextDue(new Date('2026-03-01T10:05:00Z'), new Date('2026-03-01T10:05:00Z'), 1)).to.equal(null);
  });
});
