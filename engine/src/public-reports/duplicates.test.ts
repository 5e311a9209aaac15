import { expect } from 'chai';
import { DEFAULT_PUBLIC_REPORT_SETTINGS } from '../config/index.js';
import { CreateDictionaryCmd } from '../dictionaries/index.js';
import { bpmn, flow } from '../testing/bpmn.js';
import { describeOnDatabases } from '../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../testing/organisation.js';
import { startSignedInApi, type SignedInClient } from '../testing/signed-in-app.js';
import { haversineMetres, type PossibleDuplicate } from './duplicates.js';

const { countyA } = TENANT_TREE;
const HOUR = 3_600_000;
/** metres per degree of latitude on the mean sphere: moving north by `m` metres */
const north = (metres: number) => (metres / (6_371_008.8 * Math.PI)) * 180;
const REPORT_PROCESS = bpmn('public_case', `
  <startEvent id="start"/>${flow('start', 'accept')}
  <userTask id="accept" name="受理"/>${flow('accept', 'end')}
  <endEvent id="end"/>`);

describe('public-reports - haversine distance', () => {
  it('measures metres on the sphere: a degree of latitude, a degree of longitude at 60°, nothing', () => {
    expect(haversineMetres({ latitude: 24, longitude: 109 }, { latitude: 25, longitude: 109 })).to.be.closeTo(111_195, 1);
    expect(haversineMetres({ latitude: 60, longitude: 10 }, { latitude: 60, longitude: 11 })).to.be.closeTo(55_597, 2);
    expect(haversineMetres({ latitude: 24.3, longitude: 109.4 }, { latitude: 24.3, longitude: 109.4 })).to.equal(0);
  });
});

/**
 * Public reports of the same category within 50 m within a day are flagged on the new case
 * (`possibleDuplicates`), for the intake clerk to merge; farther, another category, a day later
 * or without coordinates they are not.
 */
describeOnDatabases('public-reports - possible duplicates', (fixture) => {
  let api: SignedInClient;
  let address = 0;

  before(async () => {
    const { engine } = fixture();
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      roles: [{ tenantId: countyA, code: 'admin', permissions: ['public-channel:read', 'public-channel:write'] }],
      users: [{ id: 'a-admin', tenantId: countyA, roles: ['admin'] }],
    });
    await engine.commandExecutor.execute(new CreateDictionaryCmd({
      code: 'case-category', name: '案件类别', hierarchical: true,
      items: [{ code: 'SJ', label: '事项' }, { code: 'SJ06010', label: '暴露垃圾', parent: 'SJ' }, { code: 'SJ06001', label: '私搭乱建', parent: 'SJ' }],
    }));
    await engine.repositoryService.deploy({ name: 'public', tenantId: countyA, resources: [{ name: 'public.bpmn', content: REPORT_PROCESS }] });
    api = await startSignedInApi(engine, { trustProxy: true, publicReports: { ...DEFAULT_PUBLIC_REPORT_SETTINGS, reportsPerHourPerAddress: 100 } });
    await api.json('/public-channel', { as: 'a-admin', method: 'PUT', body: { processKey: 'public_case', enabled: true } });
  });

  after(async () => {
    await api?.close();
  });

  /** a report at `latitude` (longitude 109.4) or without coordinates; its case's possibleDuplicates */
  async function report(category: string, latitude: number | null, longitude = 109.4): Promise<{ trackingCode: string; processInstanceId: string; duplicates: PossibleDuplicate[] }> {
    const body = new FormData();
    const fields: Record<string, string> = { tenant: countyA, category, description: '路口有一堆垃圾没人清理', address: '文惠路' };
    if (latitude !== null) Object.assign(fields, { latitude: String(latitude), longitude: String(longitude) });
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    const response = await api.request('/public/reports', { as: null, method: 'POST', body, headers: { 'X-Forwarded-For': `203.0.113.${++address}` } });
    expect(response.status, await response.clone().text()).to.equal(201);
    const { trackingCode } = (await response.json()) as { trackingCode: string };
    const [row] = await fixture().engine.database.read((sql) => sql.select('SELECT process_instance_id FROM public_report WHERE tracking_code = $1', [trackingCode]));
    const processInstanceId = String(row?.process_instance_id);
    const variables = await fixture().engine.runtimeService.getVariables(processInstanceId);
    return { trackingCode, processInstanceId, duplicates: variables.get('possibleDuplicates')?.value as PossibleDuplicate[] };
  }

  it('flags a report 30 m from one of the same category a few hours earlier, with its case, tracking code and distance', async () => {
    const first = await report('SJ06010', 24.3);
    expect(first.duplicates).to.deep.equal([]);
    fixture().clock.advance(3 * HOUR);
    const second = await report('SJ06010', 24.3 + north(30));
    expect(second.duplicates).to.have.length(1);
    expect(second.duplicates[0]).to.include({ processInstanceId: first.processInstanceId, trackingCode: first.trackingCode });
    expect(second.duplicates[0]!.distanceMetres).to.be.closeTo(30, 0.2);
  });

  it('does not flag a report 80 m away, of another category, 25 hours later, or without coordinates', async () => {
    const base = await report('SJ06010', 24.31);
    expect((await report('SJ06010', 24.31 + north(80))).duplicates, '80 m').to.deep.equal([]);
    expect((await report('SJ06001', 24.31 + north(10))).duplicates, 'other category').to.deep.equal([]);
    expect((await report('SJ06010', null)).duplicates, 'no coordinates').to.deep.equal([]);
    // a neighbour 30 m east, at the same moment: flagged (the longitude side of the box)
    const east = await report('SJ06010', 24.31, 109.4 + north(30) / Math.cos((24.31 * Math.PI) / 180));
    expect(east.duplicates.map((d) => d.processInstanceId)).to.deep.equal([base.processInstanceId]);
    fixture().clock.advance(25 * HOUR);
    expect((await report('SJ06010', 24.31 + north(5))).duplicates, '25 h later').to.deep.equal([]);
  });
});
