import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { calendarDays, loadCalendar } from '../calendar/index.js';
import { DbSession } from '../persistence/index.js';
import { rejectionOf } from '../testing/bpmn.js';
import { describeOnDatabases } from '../testing/databases.js';
import { DEFAULT_SEEDS_DIRECTORY, loadSeeds, readSeedData, SeedDataError } from './index.js';

describe('seeds - reading the default calendar', () => {
  it("refuses a calendar file whose dates break the weekly rule, naming the file and each date", async () => {
    // given
    const directory = path.join(await mkdtemp(path.join(tmpdir(), 'yiwang-seeds-')), 'liuzhou');
    try {
      await cp(DEFAULT_SEEDS_DIRECTORY, directory, { recursive: true });
      const file = path.join(directory, 'calendar.json');
      const content = JSON.parse(await readFile(file, 'utf8')) as { calendar: { days: unknown[] } };
      content.calendar.days.push({ day: '2026-01-03', kind: 'holiday', name: '元旦' }, { day: '2026-01-01', kind: 'holiday', name: '元旦' });
      await writeFile(file, JSON.stringify(content));
      // when
      const error = await rejectionOf(readSeedData(directory));
      // then
      expect(error).to.be.instanceOf(SeedDataError);
      expect(error.message).to.contain('calendar.json').and.contain('2026-01-03: 节假日落在非工作日').and.contain('2026-01-01: 重复');
    } finally {
      await rm(path.dirname(directory), { recursive: true, force: true });
    }
  });
});

describeOnDatabases('seeds - loading the default calendar', (fixture) => {
  it('creates the 2026 default calendar once: office hours, 19 weekday holidays and 6 make-up working days (调休)', async () => {
    // when
    const options = { directory: DEFAULT_SEEDS_DIRECTORY, demoPassword: 'Demo-Passw0rd-1', announce: () => undefined };
    const first = await loadSeeds(fixture().engine, options);
    const second = await loadSeeds(fixture().engine, options);
    const { calendar, source, days } = await fixture().engine.database.read(async (sql) => {
      const session = new DbSession(sql);
      const applied = await loadCalendar(session, '450200');
      return { ...applied, days: await calendarDays(session, applied.row?.id as string, 2026) };
    });
    // then
    expect([first.calendars, second.calendars]).to.deep.equal([1, 0]);
    expect(source).to.equal('default');
    expect(calendar.workHours).to.deep.equal([['08:30', '12:00'], ['14:30', '17:30']]);
    expect(days.filter((day) => day.kind === 'holiday')).to.have.length(19);
    expect(days.filter((day) => day.kind === 'workday').map((day) => day.day)).to.deep.equal(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  });
});
