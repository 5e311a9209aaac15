/**
 * 案卷编号 (caseCode): given by the 立案 form's serial field `{field:category}{yyyyMMdd}{seq:4}`,
 * a daily sequence per category — unique and without gaps when shift leaders register at the same
 * moment — and kept when the case comes back to 立案.
 */
import { expect } from 'chai';
import { DateTime } from 'luxon';
import { describeOnDatabases } from '../../../engine/src/testing/databases.js';
import { startSignedInApi, type SignedInClient } from '../../../engine/src/testing/signed-in-app.js';
import { CaseDriver } from './case-api.js';
import { installCommandCoordination, REGION } from './harness.js';

describeOnDatabases('plugin command-coordination - case code (案卷编号)', (fixture) => {
  let api: SignedInClient;
  let cases: CaseDriver;

  before(async () => {
    await installCommandCoordination(fixture().engine);
    api = await startSignedInApi(fixture().engine);
    cases = new CaseDriver(fixture().engine, api);
  });

  after(async () => {
    await api?.close();
  });

  /** the engine's day: its clock in its time zone, what {yyyyMMdd} reads */
  const today = () => DateTime.fromJSDate(fixture().clock.now()).toFormat('yyyyMMdd');

  /** 上报 and 受理 (to 立案): the case's instance id */
  async function accepted(category: string): Promise<string> {
    const { processInstanceId } = await cases.report('lz.supervisor', {
      source: 'supervisor', category, urgency: 'C', region: REGION, description: '同一类别同时立案的案件', address: '城中区文惠路 12 号',
      location: { longitude: 109.4281, latitude: 24.3264 },
    });
    await cases.act('lz.receptionist', processInstanceId, 'accept', { acceptAction: 'register' });
    return processInstanceId;
  }

  it('gives 20 cases of one category registered at the same moment 20 distinct consecutive codes; another category starts at 0001 the same day', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, () => accepted('BJ01002')));
    const registered = await Promise.all(ids.map((id) => cases.act('lz.shift-leader', id, 'register', { registerNote: '符合立案条件' })));
    expect(registered).to.have.length(20);
    const codes = await Promise.all(ids.map(async (id) => (await cases.variables(id)).caseCode as string));
    expect([...codes].sort()).to.deep.equal(Array.from({ length: 20 }, (_, i) => `BJ01002${today()}${String(i + 1).padStart(4, '0')}`));
    // the case number (report serial, business key) is untouched
    const variables = await cases.variables(ids[0]!);
    expect(variables.caseNumber).to.match(/^\d{13}$/);

    const other = await accepted('SJ06010');
    await cases.act('lz.shift-leader', other, 'register');
    expect((await cases.variables(other)).caseCode).to.equal(`SJ06010${today()}0001`);
  });

  it('keeps the code when 派遣 sends the case back (回退) to 立案 and it is registered again, even in another category', async () => {
    const id = await accepted('SJ09006');
    await cases.act('lz.shift-leader', id, 'register');
    const code = (await cases.variables(id)).caseCode;
    expect(code).to.equal(`SJ09006${today()}0001`);
    const dispatch = await cases.openTask(id, 'dispatch');
    await api.json(`/tasks/${dispatch.id}/claim`, { as: 'lz.dispatcher', method: 'POST' }, 204);
    await api.json(`/tasks/${dispatch.id}/return`, { as: 'lz.dispatcher', method: 'POST', body: { activityId: 'register', comment: '类别有误' } }, 204);
    const again = await cases.act('lz.shift-leader', id, 'register', { category: 'SJ09009' });
    expect(again.data.caseCode, 'the form shows the code it has').to.equal(code);
    expect(await cases.variables(id)).to.include({ caseCode: code, category: 'SJ09009' });
    // the kept code took no number: the category's next case follows on
    const next = await accepted('SJ09006');
    await cases.act('lz.shift-leader', next, 'register');
    expect((await cases.variables(next)).caseCode).to.equal(`SJ09006${today()}0002`);
  });
});
