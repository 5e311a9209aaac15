import { expect } from 'chai';
import { parseTimer, type TimerSchedule } from './index.js';

function cycle(text: string, timeZone = 'UTC'): TimerSchedule {
  return parseTimer('timeCycle', text, { timeZone });
}

function nextDue(schedule: TimerSchedule, previousDue: string, now: string, firedCount: number): string | null {
  return schedule.nextDue(new Date(previousDue), new Date(now), firedCount)?.toISOString() ?? null;
}

describe('timer > timeCycle > repeating interval', () => {
  it('R/<duration> first fires one period after creation and repeats without end', () => {
    // given
    const schedule = cycle('R/PT1H');
    // then
    expect(schedule.type).to.equal('timeCycle');
    expect(schedule.repeating).to.equal(true);
    expect(schedule.firstDue(new Date('2026-03-01T10:00:00Z')).toISOString()).to.equal('2026-03-01T11:00:00.000Z');
    expect(nextDue(schedule, '2026-03-01T11:00:00Z', '2026-03-01T11:00:00Z', 1)).to.equal('2026-03-01T12:00:00.000Z');
    expect(nextDue(schedule, '2027-03-01T11:00:00Z', '2027-03-01T11:00:00Z', 1_000_000)).to.equal('2027-03-01T12:00:00.000Z');
  });

  it('Rn/<duration> fires n times in total', () => {
    // given
    const schedule = cycle('R3/PT10M');
    // when
    const first = schedule.firstDue(new Date('2026-03-01T10:00:00Z'));
    const second = schedule.nextDue(first, first, 1)!;
    const third = schedule.nextDue(second, second, 2)!;
    // then
    expect([first, second, third].map((date) => date.toISOString())).to.deep.equal([
      '2026-03-01T10:10:00.000Z',
      '2026-03-01T10:20:00.000Z',
      '2026-03-01T10:30:00.000Z',
    ]);
    expect(schedule.nextDue(third, third, 3)).to.equal(null);
  });

  it('R1 fires once', () => {
    // given
    const schedule = cycle('R1/PT10M');
    // when
    const first = schedule.firstDue(new Date('2026-03-01T10:00:00Z'));
    // then
    expect(first.toISOString()).to.equal('2026-03-01T10:10:00.000Z');
    expect(schedule.nextDue(first, first, 1)).to.equal(null);
  });

  it('Rn/<start>/<duration> first fires at the start', () => {
    // given
    const schedule = cycle('R2/2026-03-05T08:00:00Z/PT1H');
    // when
    const first = schedule.firstDue(new Date('2026-03-01T10:00:00Z'));
    const second = schedule.nextDue(first, first, 1)!;
    // then
    expect(first.toISOString()).to.equal('2026-03-05T08:00:00.000Z');
    expect(second.toISOString()).to.equal('2026-03-05T09:00:00.000Z');
    expect(schedule.nextDue(second, second, 2)).to.equal(null);
  });

  it('reads a local start in the time zone', () => {
    // given
    const createdAt = new Date('2026-03-01T00:00:00Z');
    // then
    expect(cycle('R/2026-03-05T08:00:00/P1D', 'Asia/Shanghai').firstDue(createdAt).toISOString()).to.equal('2026-03-05T00:00:00.000Z');
    expect(cycle('R/2026-03-05T08:00:00/P1D', 'UTC').firstDue(createdAt).toISOString()).to.equal('2026-03-05T08:00:00.000Z');
  });

  it('a start already past at creation first fires at its next occurrence from then on', () => {
    // given: every day at 08:00 Shanghai time since 1 March
    const schedule = cycle('R/2026-03-01T08:00:00/P1D', 'Asia/Shanghai');
    // then
    expect(schedule.firstDue(new Date('2026-03-10T03:00:00Z')).toISOString()).to.equal('2026-03-11T00:00:00.000Z');
    expect(schedule.firstDue(new Date('2026-03-10T00:00:00Z')).toISOString()).to.equal('2026-03-10T00:00:00.000Z');
  });

  it('Rn/<start>/<end> repeats the time between start and end', () => {
    // given
    const schedule = cycle('R3/2026-03-05T08:00:00Z/2026-03-05T08:30:00Z');
    // when
    const first = schedule.firstDue(new Date('2026-03-01T00:00:00Z'));
    // then
    expect(first.toISOString()).to.equal('2026-03-05T08:00:00.000Z');
    expect(nextDue(schedule, '2026-03-05T08:00:00Z', '2026-03-05T08:00:00Z', 1)).to.equal('2026-03-05T08:30:00.000Z');
  });

  it('repeats calendar days in the time zone across a daylight saving change', () => {
    // given: 12:00 New York time, the day before it springs forward
    const schedule = cycle('R/P1D', 'America/New_York');
    // then
    expect(nextDue(schedule, '2026-03-07T17:00:00Z', '2026-03-07T17:00:00Z', 1)).to.equal('2026-03-08T16:00:00.000Z');
  });

  describe('after a downtime', () => {
    it('skips the missed occurrences: the next due date is the single one after now', () => {
      // given: an hourly cycle that was due at 10:00 and is run at 15:30, five occurrences late
      const schedule = cycle('R/PT1H');
      // then
      expect(nextDue(schedule, '2026-03-01T10:00:00Z', '2026-03-01T15:30:00Z', 1)).to.equal('2026-03-01T16:00:00.000Z');
    });

    it('is strictly after now when now is an occurrence', () => {
      expect(nextDue(cycle('R/PT1H'), '2026-03-01T10:00:00Z', '2026-03-01T15:00:00Z', 1)).to.equal('2026-03-01T16:00:00.000Z');
    });

    it('keeps to the calendar of the previous due date', () => {
      // given: monthly from 31 January; February has no 31st
      const schedule = cycle('R/P1M');
      // then
      expect(nextDue(schedule, '2026-01-31T09:00:00Z', '2026-02-28T09:00:00Z', 1)).to.equal('2026-03-31T09:00:00.000Z');
      expect(nextDue(schedule, '2026-01-31T09:00:00Z', '2026-02-10T00:00:00Z', 1)).to.equal('2026-02-28T09:00:00.000Z');
    });

    it('does not count skipped occurrences as firings', () => {
      // given: fired once, then down for five periods
      const schedule = cycle('R3/PT10M');
      // then
      expect(nextDue(schedule, '2026-03-01T10:10:00Z', '2026-03-01T11:05:00Z', 1)).to.equal('2026-03-01T11:10:00.000Z');
      expect(nextDue(schedule, '2026-03-01T11:10:00Z', '2026-03-01T11:10:00Z', 2)).to.equal('2026-03-01T11:20:00.000Z');
      expect(nextDue(schedule, '2026-03-01T11:20:00Z', '2026-03-01T11:20:00Z', 3)).to.equal(null);
    });

    it('finds the next due date after a long downtime without stepping through every occurrence', () => {
      // given: every second, down for two years
      const schedule = cycle('R/PT1S');
      const started = Date.now();
      // then
      expect(nextDue(schedule, '2024-03-01T10:00:00Z', '2026-03-01T10:00:00.400Z', 1)).to.equal('2026-03-01T10:00:01.000Z');
      expect(Date.now() - started).to.be.below(1_000);
    });
  });
});
