import { expect } from 'chai';
import { parseTimer, type TimerSchedule } from './index.js';

function cron(text: string, timeZone = 'UTC'): TimerSchedule {
  return parseTimer('timeCycle', text, { timeZone });
}

/** The first `count` due dates of a cron timer created at `createdAt`, each fired when due. */
function dueDates(schedule: TimerSchedule, createdAt: string, count: number): string[] {
  const dues = [schedule.firstDue(new Date(createdAt))];
  while (dues.length < count) {
    const previous = dues.at(-1)!;
    dues.push(schedule.nextDue(previous, previous, dues.length)!);
  }
  return dues.map((date) => date.toISOString());
}

// 2026-03-07 is a Saturday
const SATURDAY = '2026-03-07T00:00:00Z';

describe('timer > timeCycle > cron', () => {
  it('reads Quartz fields in the time zone: weekdays at noon in Shanghai and in UTC', () => {
    expect(dueDates(cron('0 0 12 ? * MON-FRI', 'Asia/Shanghai'), SATURDAY, 2)).to.deep.equal([
      '2026-03-09T04:00:00.000Z',
      '2026-03-10T04:00:00.000Z',
    ]);
    expect(dueDates(cron('0 0 12 ? * MON-FRI', 'UTC'), SATURDAY, 2)).to.deep.equal([
      '2026-03-09T12:00:00.000Z',
      '2026-03-10T12:00:00.000Z',
    ]);
  });

  it('is a repeating timeCycle without end', () => {
    // given
    const schedule = cron('0 0 12 * * ?');
    // then
    expect(schedule.type).to.equal('timeCycle');
    expect(schedule.repeating).to.equal(true);
    const due = new Date('2026-03-07T12:00:00Z');
    expect(schedule.nextDue(due, due, 1_000)?.toISOString()).to.equal('2026-03-08T12:00:00.000Z');
  });

  it('first fires strictly after creation', () => {
    expect(cron('0 0 12 * * ?').firstDue(new Date('2026-03-07T12:00:00Z')).toISOString()).to.equal('2026-03-08T12:00:00.000Z');
  });

  it('has a seconds field', () => {
    expect(dueDates(cron('*/20 * * * * ?'), SATURDAY, 3)).to.deep.equal([
      '2026-03-07T00:00:20.000Z',
      '2026-03-07T00:00:40.000Z',
      '2026-03-07T00:01:00.000Z',
    ]);
  });

  it('has an optional year field, and ends with it', () => {
    // given
    const schedule = cron('0 0 9 1 JAN ? 2027-2028');
    // when
    const [first, second] = dueDates(schedule, SATURDAY, 2);
    // then
    expect([first, second]).to.deep.equal(['2027-01-01T09:00:00.000Z', '2028-01-01T09:00:00.000Z']);
    expect(schedule.nextDue(new Date(second), new Date(second), 2)).to.equal(null);
  });

  it('numbers week days the Quartz way: 1 is Sunday, 7 is Saturday', () => {
    expect(dueDates(cron('0 0 12 ? * 2'), SATURDAY, 1)).to.deep.equal(['2026-03-09T12:00:00.000Z']);
    expect(dueDates(cron('0 0 12 ? * 1'), SATURDAY, 1)).to.deep.equal(['2026-03-08T12:00:00.000Z']);
    expect(dueDates(cron('0 0 12 ? * 7'), SATURDAY, 1)).to.deep.equal(['2026-03-07T12:00:00.000Z']);
  });

  it('reads names of months and days in any case', () => {
    expect(dueDates(cron('0 0 12 ? feb mon'), SATURDAY, 1)).to.deep.equal(['2027-02-01T12:00:00.000Z']);
  });

  it('reads Quartz steps without a range', () => {
    expect(dueDates(cron('0 5/20 * * * ?'), SATURDAY, 3)).to.deep.equal([
      '2026-03-07T00:05:00.000Z',
      '2026-03-07T00:25:00.000Z',
      '2026-03-07T00:45:00.000Z',
    ]);
  });

  it('reads L, W, LW and # in the day fields', () => {
    // last day of the month
    expect(dueDates(cron('0 0 12 L * ?'), SATURDAY, 2)).to.deep.equal(['2026-03-31T12:00:00.000Z', '2026-04-30T12:00:00.000Z']);
    // the week day nearest the 15th: 2026-03-15 is a Sunday, 2026-08-15 a Saturday
    expect(dueDates(cron('0 0 12 15W 3,8 ?'), SATURDAY, 2)).to.deep.equal(['2026-03-16T12:00:00.000Z', '2026-08-14T12:00:00.000Z']);
    // last week day of the month: 2026-05-31 is a Sunday
    expect(dueDates(cron('0 0 12 LW 5 ?'), SATURDAY, 1)).to.deep.equal(['2026-05-29T12:00:00.000Z']);
    // the third Friday, and the last Friday of the month
    expect(dueDates(cron('0 0 12 ? * 6#3'), SATURDAY, 1)).to.deep.equal(['2026-03-20T12:00:00.000Z']);
    expect(dueDates(cron('0 0 12 ? * FRI#3'), SATURDAY, 1)).to.deep.equal(['2026-03-20T12:00:00.000Z']);
    expect(dueDates(cron('0 0 12 ? * 6L'), SATURDAY, 1)).to.deep.equal(['2026-03-27T12:00:00.000Z']);
  });

  it('accepts * in both day fields', () => {
    expect(dueDates(cron('0 0 12 * * *'), SATURDAY, 1)).to.deep.equal(['2026-03-07T12:00:00.000Z']);
  });

  it('skips the occurrences missed during a downtime', () => {
    // given: hourly, due at 10:00 and run at 15:30
    const schedule = cron('0 0 * * * ?');
    // then
    const due = schedule.nextDue(new Date('2026-03-01T10:00:00Z'), new Date('2026-03-01T15:30:00Z'), 1);
    expect(due?.toISOString()).to.equal('2026-03-01T16:00:00.000Z');
  });

  it('throws a RangeError when there is no occurrence after creation', () => {
    // given
    const schedule = cron('0 0 12 1 JAN ? 2025');
    // then
    expect(() => schedule.firstDue(new Date(SATURDAY))).to.throw(
      RangeError,
      "'0 0 12 1 JAN ? 2025' has no occurrence after 2026-03-07T00:00:00.000Z",
    );
  });
});
