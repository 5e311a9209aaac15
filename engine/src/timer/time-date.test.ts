import { expect } from 'chai';
import { parseTimer } from './index.js';

const createdAt = new Date('2026-01-01T00:00:00Z');

function dueOf(text: string, timeZone: string): string {
  return parseTimer('timeDate', text, { timeZone }).firstDue(createdAt).toISOString();
}

describe('timer > timeDate', () => {
  it('reads a local date-time in the given time zone', () => {
    expect(dueOf('2026-11-24T10:00:00', 'Asia/Shanghai')).to.equal('2026-11-24T02:00:00.000Z');
    expect(dueOf('2026-11-24T10:00:00', 'UTC')).to.equal('2026-11-24T10:00:00.000Z');
  });

  it('keeps an explicit offset or Z whatever the time zone', () => {
    expect(dueOf('2026-11-24T10:00:00+08:00', 'UTC')).to.equal('2026-11-24T02:00:00.000Z');
    expect(dueOf('2026-11-24T10:00:00Z', 'Asia/Shanghai')).to.equal('2026-11-24T10:00:00.000Z');
  });

  it('keeps fractional seconds', () => {
    expect(dueOf('2026-11-24T10:00:00.250Z', 'UTC')).to.equal('2026-11-24T10:00:00.250Z');
  });

  it('reads a date alone as local midnight', () => {
    expect(dueOf('2026-11-24', 'Asia/Shanghai')).to.equal('2026-11-23T16:00:00.000Z');
    expect(dueOf('2026-11-24', 'UTC')).to.equal('2026-11-24T00:00:00.000Z');
  });

  it('is due at that date even when it has passed (the timer fires at once)', () => {
    expect(dueOf('2025-06-01T08:00:00Z', 'UTC')).to.equal('2025-06-01T08:00:00.000Z');
  });

  it('does not repeat', () => {
    // when
    const schedule = parseTimer('timeDate', '2026-11-24T10:00:00Z', { timeZone: 'UTC' });
    // then
    expect(schedule.type).to.equal('timeDate');
    expect(schedule.repeating).to.equal(false);
    expect(schedule.nextDue(new Date('2026-11-24T10:00:00Z'), new Date('2026-11-24T10:00:01Z'), 1)).to.equal(null);
  });
});
