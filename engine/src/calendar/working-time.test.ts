import { expect } from 'chai';
import { addWorkingTime, parseTimeLimit, TimeLimitFormatError, workingDayMs, workingTimeBetween, type WorkingCalendar } from './index.js';
import { dayProblems, ruleProblems } from './validation.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** Liuzhou's office hours with two of the 2026 exceptions: 劳动节 (1 May, a Friday, off) and its make-up Saturday 9 May. */
const OFFICE: WorkingCalendar = {
  timeZone: 'Asia/Shanghai',
  workDays: [1, 2, 3, 4, 5],
  workHours: [['08:30', '12:00'], ['14:30', '17:30']],
  days: new Map([
    ['2026-05-01', 'holiday'],
    ['2026-05-04', 'holiday'],
    ['2026-05-05', 'holiday'],
    ['2026-05-09', 'workday'],
  ]),
};

/** An instant given as China time. */
const cst = (local: string) => new Date(`${local}+08:00`);

describe('calendar - working time', () => {
  it('counts a standard working day as its working hours: 3.5 h before lunch and 3 h after', () => {
    expect(workingDayMs(OFFICE)).to.equal(6.5 * HOUR);
  });

  it('skips the lunch break: 4 working hours from 10:00 end at 16:30', () => {
    expect(addWorkingTime(OFFICE, cst('2026-04-14T10:00'), 4 * HOUR)).to.deep.equal(cst('2026-04-14T16:30'));
    expect(workingTimeBetween(OFFICE, cst('2026-04-14T10:00'), cst('2026-04-14T16:30'))).to.equal(4 * HOUR);
  });

  it('ends a limit that fills the morning exactly at 12:00, not after lunch', () => {
    expect(addWorkingTime(OFFICE, cst('2026-04-14T08:30'), 3.5 * HOUR)).to.deep.equal(cst('2026-04-14T12:00'));
  });

  it('starts counting at the next working moment when started outside working hours', () => {
    // Tuesday 20:00 → Wednesday 08:30 + 1 h; Tuesday 12:40 (lunch) → 14:30 + 1 h
    expect(addWorkingTime(OFFICE, cst('2026-04-14T20:00'), HOUR)).to.deep.equal(cst('2026-04-15T09:30'));
    expect(addWorkingTime(OFFICE, cst('2026-04-14T12:40'), HOUR)).to.deep.equal(cst('2026-04-14T15:30'));
    expect(workingTimeBetween(OFFICE, cst('2026-04-14T20:00'), cst('2026-04-15T08:30'))).to.equal(0);
  });

  it('skips the weekend: 2 working hours from Friday 16:30 end on Monday 09:30', () => {
    expect(addWorkingTime(OFFICE, cst('2026-04-17T16:30'), 2 * HOUR)).to.deep.equal(cst('2026-04-20T09:30'));
    expect(workingTimeBetween(OFFICE, cst('2026-04-17T16:30'), cst('2026-04-20T09:30'))).to.equal(2 * HOUR);
  });

  it('skips public holidays and works the make-up Saturday (调休)', () => {
    // Thursday 30 April 17:00, one working day (6.5 h): 0.5 h on Thursday, then Friday 1 May,
    // the weekend and 4–5 May are off; Wednesday 6 May gives the other 6 h
    expect(addWorkingTime(OFFICE, cst('2026-04-30T17:00'), 6.5 * HOUR)).to.deep.equal(cst('2026-05-06T17:00'));
    // Friday 8 May 17:00, 1 h: 0.5 h on Friday, 0.5 h on the make-up Saturday morning
    expect(addWorkingTime(OFFICE, cst('2026-05-08T17:00'), HOUR)).to.deep.equal(cst('2026-05-09T09:00'));
    expect(workingTimeBetween(OFFICE, cst('2026-04-30T08:30'), cst('2026-05-07T00:00'))).to.equal(2 * 6.5 * HOUR);
    expect(workingTimeBetween(OFFICE, cst('2026-05-08T17:00'), cst('2026-05-11T00:00'))).to.equal(7 * HOUR);
  });

  it('counts no time backwards: a span ending before it starts is 0', () => {
    expect(workingTimeBetween(OFFICE, cst('2026-04-14T15:00'), cst('2026-04-14T10:00'))).to.equal(0);
    expect(addWorkingTime(OFFICE, cst('2026-04-14T10:00'), 0)).to.deep.equal(cst('2026-04-14T10:00'));
  });

  it('reads time limits: durations in working time, plain numbers as working hours', () => {
    expect(parseTimeLimit(OFFICE, 'PT4H')).to.equal(4 * HOUR);
    expect(parseTimeLimit(OFFICE, 'P2D')).to.equal(13 * HOUR);
    expect(parseTimeLimit(OFFICE, 'P1DT30M')).to.equal(6.5 * HOUR + 30 * MINUTE);
    expect(parseTimeLimit(OFFICE, 8)).to.equal(8 * HOUR);
    expect(parseTimeLimit(OFFICE, '4.5')).to.equal(4.5 * HOUR);
    expect(parseTimeLimit(OFFICE, '')).to.equal(null);
    expect(parseTimeLimit(OFFICE, null)).to.equal(null);
    for (const bad of ['P1M', 'P1W', 'soon', -2, 0, 'PT0S', true]) expect(() => parseTimeLimit(OFFICE, bad), String(bad)).to.throw(TimeLimitFormatError);
  });
});

describe('calendar - validation', () => {
  it('refuses an unknown zone, malformed and overlapping hours', () => {
    const problems = ruleProblems({ name: 'x', timeZone: 'Asia/Liuzhou', workDays: [1, 2], workHours: [['08:30', '12:00'], ['11:00', '17:30']] });
    expect(problems.join('\n')).to.contain("'Asia/Liuzhou' is no IANA zone").and.contain('08:30-12:00 and 11:00-17:30 overlap');
    expect(ruleProblems({ name: 'x', timeZone: 'UTC', workDays: [1], workHours: [['8:30', '12:00']] }).join()).to.contain('8:30-12:00 are not two "HH:mm" times');
    expect(ruleProblems({ name: 'x', timeZone: 'UTC', workDays: [1], workHours: [['12:00', '08:30']] }).join()).to.contain('end before they start');
  });

  it('names each date that breaks the rules of a year', () => {
    const problems = dayProblems([1, 2, 3, 4, 5], 2026, [
      { day: '2025-12-31', kind: 'holiday' },
      { day: '2026-01-01', kind: 'holiday' },
      { day: '2026-01-01', kind: 'holiday' },
      { day: '2026-01-03', kind: 'holiday' },
      { day: '2026-01-05', kind: 'workday' },
      { day: '2026-02-30', kind: 'holiday' },
    ]);
    expect(problems).to.deep.equal([
      '2025-12-31: 不在 2026 年 (outside the year 2026)',
      '2026-01-01: 重复 (listed twice)',
      '2026-01-03: 节假日落在非工作日 (a holiday on a day the weekly rule has off anyway)',
      '2026-01-05: 调休上班日落在工作日 (a make-up working day on a day the weekly rule works anyway)',
      '2026-02-30: not a date (yyyy-MM-dd)',
    ]);
  });
});
