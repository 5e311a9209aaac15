import { expect } from 'chai';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../../testing/organisation.js';
import { errorMessage, startSignedInApi, type SignedInClient } from '../../testing/signed-in-app.js';

const { root, city, countyA } = TENANT_TREE;

interface Calendar {
  id: string | null;
  tenantId: string | null;
  source: 'tenant' | 'default' | 'built-in';
  name: string;
  timeZone: string;
  workDays: number[];
  workHours: [string, string][];
  workingDayMs: number;
}

const OFFICE_RULE = { name: '市级工作日历', timeZone: 'Asia/Shanghai', workDays: [1, 2, 3, 4, 5], workHours: [['14:30', '17:30'], ['08:30', '12:00']] };
const HOUR = 3_600_000;

describeOnDatabases('api/platform - working calendars', (fixture) => {
  let api: SignedInClient;

  before(async () => {
    const { engine } = fixture();
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      roles: [
        { tenantId: root, code: 'platform', permissions: ['*'], seesDescendants: true },
        { tenantId: city, code: 'calendar-admin', permissions: ['calendar:read', 'calendar:write'] },
        { tenantId: city, code: 'calendar-reader', permissions: ['calendar:read'] },
        { tenantId: countyA, code: 'calendar-admin', permissions: ['calendar:read', 'calendar:write'] },
      ],
      users: [
        { id: 'platform-admin', tenantId: root, roles: ['platform'] },
        { id: 'city-admin', tenantId: city, roles: ['calendar-admin'] },
        { id: 'city-reader', tenantId: city, roles: ['calendar-reader'] },
        { id: 'a-admin', tenantId: countyA, roles: ['calendar-admin'] },
      ],
    });
    api = await startSignedInApi(engine);
  });

  after(async () => {
    await api?.close();
  });

  const auditActions = async (objectId: string) =>
    (await fixture().engine.database.read((sql) => sql.select('SELECT action, user_id FROM audit_log WHERE object_id = $1 ORDER BY time, id', [objectId]))).map(
      (row) => `${String(row.user_id)}:${String(row.action)}`,
    );

  it('answers the built-in calendar before any is stored, then the default the platform administrator keeps', async () => {
    // given
    const before = await api.json<Calendar>('/calendar', { as: 'city-reader' });
    // when
    const saved = await api.json<Calendar>('/calendar?shared=true', { as: 'platform-admin', method: 'PUT', body: { ...OFFICE_RULE, name: '默认日历' } });
    const seen = await api.json<Calendar>('/calendar', { as: 'city-reader' });
    // then
    expect(before).to.include({ source: 'built-in', timeZone: 'Asia/Shanghai', workingDayMs: 8 * HOUR });
    expect(saved).to.include({ source: 'default', tenantId: null, name: '默认日历' });
    expect(saved.workHours).to.deep.equal([['08:30', '12:00'], ['14:30', '17:30']]);
    expect(seen).to.include({ source: 'default', name: '默认日历', workingDayMs: 6.5 * HOUR });
    expect(await auditActions(saved.id as string)).to.deep.equal(['platform-admin:calendar.create']);
  });

  it("keeps a city's own calendar and its year's exceptions, and computes due times on it at once", async () => {
    // given
    const own = await api.json<Calendar>('/calendar', { as: 'city-admin', method: 'PUT', body: OFFICE_RULE });
    // when: 劳动节 2026 with its make-up Saturday
    const replaced = await api.json('/calendar/days/2026', {
      as: 'city-admin', method: 'PUT',
      body: { days: [{ day: '2026-05-01', kind: 'holiday', name: '劳动节' }, { day: '2026-05-04', kind: 'holiday' }, { day: '2026-05-05', kind: 'holiday' }, { day: '2026-05-09', kind: 'workday', name: '调休' }] },
    });
    const days = await api.json<{ day: string; kind: string }[]>('/calendar/days?year=2026', { as: 'city-reader' });
    const due = await api.json<{ due: string; limitMs: number; source: string }>(`/calendar/due?start=${encodeURIComponent('2026-04-30T17:00:00+08:00')}&limit=P1D`, { as: 'city-reader' });
    // then
    expect(own).to.include({ source: 'tenant', tenantId: city });
    expect(replaced).to.deep.equal({ holidays: 3, workdays: 1 });
    expect(days.map((d) => `${d.day}:${d.kind}`)).to.deep.equal(['2026-05-01:holiday', '2026-05-04:holiday', '2026-05-05:holiday', '2026-05-09:workday']);
    expect(due).to.deep.equal({ start: '2026-04-30T09:00:00.000Z', due: '2026-05-06T09:00:00.000Z', limitMs: 6.5 * HOUR, source: 'tenant' });
    expect(await auditActions(own.id as string)).to.deep.equal(['city-admin:calendar.create', 'city-admin:calendar.days']);
  });

  it('refuses bad hours, an unknown zone and each bad date by name, writing nothing', async () => {
    // when
    const overlapping = await api.request('/calendar', { as: 'city-admin', method: 'PUT', body: { ...OFFICE_RULE, timeZone: 'Asia/Liuzhou', workHours: [['08:30', '12:00'], ['11:30', '17:30']] } });
    const badDays = await api.request('/calendar/days/2026', {
      as: 'city-admin', method: 'PUT',
      body: { days: [{ day: '2027-01-01', kind: 'holiday' }, { day: '2026-06-19', kind: 'holiday' }, { day: '2026-06-19', kind: 'holiday' }, { day: '2026-06-20', kind: 'holiday' }, { day: '2026-06-22', kind: 'workday' }] },
    });
    const badLimit = await api.request('/calendar/due?limit=P1M', { as: 'city-reader' });
    const days = await api.json<unknown[]>('/calendar/days?year=2026', { as: 'city-reader' });
    // then
    expect(overlapping.status).to.equal(400);
    expect(await errorMessage(overlapping)).to.contain("'Asia/Liuzhou' is no IANA zone").and.contain('08:30-12:00 and 11:30-17:30 overlap');
    expect(badDays.status).to.equal(400);
    const message = await errorMessage(badDays);
    expect(message).to.contain('2027-01-01: 不在 2026 年').and.contain('2026-06-19: 重复').and.contain('2026-06-20: 节假日落在非工作日').and.contain('2026-06-22: 调休上班日落在工作日');
    expect(badLimit.status).to.equal(400);
    expect(days).to.have.length(4);
  });

  it("keeps a county out of the city's calendar: it reads the default and cannot read or change the city's", async () => {
    // when
    const countySees = await api.json<Calendar>('/calendar', { as: 'a-admin' });
    const readCity = await api.request(`/calendar?tenantId=${city}`, { as: 'a-admin' });
    const changeCity = await api.request(`/calendar?tenantId=${city}`, { as: 'a-admin', method: 'PUT', body: OFFICE_RULE });
    const changeDefault = await api.request('/calendar?shared=true', { as: 'a-admin', method: 'PUT', body: OFFICE_RULE });
    const cityDays = await api.request(`/calendar/days/2026?tenantId=${city}`, { as: 'a-admin', method: 'PUT', body: { days: [] } });
    const cityReads = await api.json<Calendar>('/calendar', { as: 'city-reader' });
    // then
    expect(countySees).to.include({ source: 'default', name: '默认日历' });
    expect([readCity.status, changeCity.status, changeDefault.status, cityDays.status]).to.deep.equal([404, 404, 403, 404]);
    expect(cityReads).to.include({ source: 'tenant', name: '市级工作日历' });
  });

  it('answers 404 for the days of a tenant without a calendar of its own, and 403 without calendar:write', async () => {
    // when
    const noCalendar = await api.request('/calendar/days/2026', { as: 'a-admin', method: 'PUT', body: { days: [] } });
    const readerWrites = await api.request('/calendar', { as: 'city-reader', method: 'PUT', body: OFFICE_RULE });
    // then
    expect(noCalendar.status).to.equal(404);
    expect(await errorMessage(noCalendar)).to.contain('has no calendar of its own');
    expect(readerWrites.status).to.equal(403);
  });
});
