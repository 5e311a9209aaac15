import { expect } from 'chai';
import { dictionaryItemsExist, findDictionaryItems } from '../../dictionaries/index.js';
import { readAs, type Principal } from '../../identity/index.js';
import type { DbSession } from '../../persistence/index.js';
import { countRows } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../../testing/organisation.js';
import { errorMessage, startSignedInApi, type SignedInClient } from '../../testing/signed-in-app.js';

const { root, city, countyA, countyB } = TENANT_TREE;

interface ItemNode {
  code: string;
  label: string;
  labelEn: string | null;
  sortOrder: number;
  enabled: boolean;
  extra: Record<string, unknown> | null;
  children: ItemNode[];
}

interface Dictionary {
  id: string;
  tenantId: string | null;
  shared: boolean;
  code: string;
  name: string;
  description: string | null;
  hierarchical: boolean;
  items: ItemNode[];
}

interface PickerItem {
  code: string;
  label: string;
  parent: string | null;
  enabled: boolean;
  hasChildren: boolean;
}

/** `code(children…)` of a tree, to compare shapes at a glance. */
function shape(items: readonly ItemNode[]): string[] {
  return items.map((item) => (item.children.length > 0 ? `${item.code}(${shape(item.children).join(',')})` : item.code));
}

const REGION_ITEMS = [
  { code: '450202', label: '城中区', extra: { level: 'district' } },
  { code: '450202001', label: '城中一街道', parent: '450202' },
  { code: '450202001001', label: '一社区', parent: '450202001' },
  { code: '450202002', label: '城中二街道', parent: '450202', enabled: false },
  { code: '450203', label: '鱼峰区' },
];

describeOnDatabases('api/platform - dictionaries', (fixture) => {
  let api: SignedInClient;

  before(async () => {
    const { engine } = fixture();
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      roles: [
        { tenantId: root, code: 'platform', permissions: ['*'], seesDescendants: true },
        { tenantId: city, code: 'dict-admin', permissions: ['dictionary:read', 'dictionary:write'] },
        { tenantId: city, code: 'dict-reader', permissions: ['dictionary:read'] },
        { tenantId: countyA, code: 'dict-admin', permissions: ['dictionary:read', 'dictionary:write'] },
        { tenantId: countyB, code: 'dict-admin', permissions: ['dictionary:read', 'dictionary:write'] },
      ],
      users: [
        { id: 'platform-admin', tenantId: root, roles: ['platform'] },
        { id: 'city-admin', tenantId: city, roles: ['dict-admin'] },
        { id: 'city-reader', tenantId: city, roles: ['dict-reader'] },
        { id: 'a-admin', tenantId: countyA, roles: ['dict-admin'] },
        { id: 'b-admin', tenantId: countyB, roles: ['dict-admin'] },
      ],
    });
    api = await startSignedInApi(engine);
  });

  after(async () => {
    await api?.close();
  });

  /** `work` on a session scoped as the user's requests are */
  const readFor = async <T>(userId: string, work: (session: DbSession) => Promise<T>): Promise<T> =>
    readAs(fixture().engine.database, (await api.principals.load(userId)) as Principal, work);
  const create = (as: string, body: Record<string, unknown>) => api.json<Dictionary>('/dictionaries', { as, body }, 201);
  const auditActions = async (objectId: string) =>
    (await fixture().engine.database.read((sql) => sql.select('SELECT action, user_id, tenant_id FROM audit_log WHERE object_id = $1 ORDER BY time, id', [objectId]))).map(
      (row) => `${String(row.user_id)}:${String(row.action)}@${String(row.tenant_id)}`,
    );

  it('creates a tree dictionary with its items, changes it item by item, and audits every change under its tenant', async () => {
    // when
    const created = await create('city-admin', { code: 'region-test', name: '区划', hierarchical: true, items: REGION_ITEMS });
    await api.json(`/dictionaries/region-test`, { as: 'city-admin', method: 'PATCH', body: { name: '行政区划', description: '测试' } });
    const added = await api.json<PickerItem>('/dictionaries/region-test/items', { as: 'city-admin', body: { code: '450203001', label: '鱼峰一街道', parent: '450203' } }, 201);
    const moved = await api.json<PickerItem>('/dictionaries/region-test/items/450202001001', {
      as: 'city-admin', method: 'PATCH', body: { parent: '450203001', label: '鱼峰一社区', extra: { level: 'community' } },
    });
    await api.json('/dictionaries/region-test/items/450202002', { as: 'city-admin', method: 'DELETE' }, 204);
    const dictionary = await api.json<Dictionary>('/dictionaries/region-test', { as: 'city-reader' });
    // then
    expect(created).to.include({ tenantId: city, shared: false, code: 'region-test', name: '区划', hierarchical: true });
    expect(shape(created.items)).to.deep.equal(['450202(450202001(450202001001),450202002)', '450203']);
    expect(created.items[0]?.extra).to.deep.equal({ level: 'district' });
    expect(added).to.include({ code: '450203001', parent: '450203', enabled: true, hasChildren: false });
    expect(moved).to.include({ code: '450202001001', label: '鱼峰一社区', parent: '450203001' });
    expect(dictionary).to.include({ name: '行政区划', description: '测试' });
    expect(shape(dictionary.items)).to.deep.equal(['450202(450202001)', '450203(450203001(450202001001))']);
    expect(await auditActions(created.id)).to.deep.equal([
      `city-admin:dictionary.create@${city}`,
      `city-admin:dictionary.update@${city}`,
      `city-admin:dictionary.item.create@${city}`,
      `city-admin:dictionary.item.update@${city}`,
      `city-admin:dictionary.item.delete@${city}`,
    ]);
  });

  it('offers a picker the enabled items one level at a time, telling which have sub-items', async () => {
    // given
    await create('city-admin', { code: 'picker-test', name: '区划', hierarchical: true, items: REGION_ITEMS });
    // when
    const top = await api.json<PickerItem[]>('/dictionaries/picker-test/items', { as: 'city-reader' });
    const streets = await api.json<PickerItem[]>('/dictionaries/picker-test/items?parent=450202', { as: 'city-reader' });
    const unknownParent = await api.request('/dictionaries/picker-test/items?parent=999', { as: 'city-reader' });
    // then
    expect(top.map((item) => [item.code, item.hasChildren])).to.deep.equal([['450202', true], ['450203', false]]);
    expect(streets.map((item) => `${item.parent}>${item.code}:${item.hasChildren}`)).to.deep.equal(['450202>450202001:true']);
    expect(unknownParent.status).to.equal(404);
  });

  it('refuses a parent below the item itself, a parent in a flat dictionary, and deleting an item with sub-items, changing nothing', async () => {
    // given
    await create('city-admin', { code: 'cycle-test', name: '区划', hierarchical: true, items: REGION_ITEMS });
    await create('city-admin', { code: 'flat-test', name: '列表', items: [{ code: 'a', label: 'A' }, { code: 'b', label: 'B' }] });
    const before = await countRows(fixture().engine);
    // when
    const underOwnChild = await api.request('/dictionaries/cycle-test/items/450202', { as: 'city-admin', method: 'PATCH', body: { parent: '450202001001' } });
    const underItself = await api.request('/dictionaries/cycle-test/items/450202', { as: 'city-admin', method: 'PATCH', body: { parent: '450202' } });
    const cyclicList = await api.request('/dictionaries/cycle-test/items', {
      as: 'city-admin', method: 'PUT', body: { items: [{ code: 'x', label: 'X', parent: 'y' }, { code: 'y', label: 'Y', parent: 'x' }] },
    });
    const flatParent = await api.request('/dictionaries/flat-test/items', { as: 'city-admin', body: { code: 'c', label: 'C', parent: 'a' } });
    const withChildren = await api.request('/dictionaries/cycle-test/items/450202', { as: 'city-admin', method: 'DELETE' });
    const unknownParent = await api.request('/dictionaries/cycle-test/items', { as: 'city-admin', body: { code: 'z', label: 'Z', parent: 'nowhere' } });
    // then
    expect(underOwnChild.status).to.equal(400);
    expect(await errorMessage(underOwnChild)).to.contain("the item '450202' cannot go under '450202001001'");
    expect(underItself.status).to.equal(400);
    expect(cyclicList.status).to.equal(400);
    expect(await errorMessage(cyclicList)).to.match(/cannot go under/);
    expect(flatParent.status).to.equal(400);
    expect(await errorMessage(flatParent)).to.contain("'flat-test' is not hierarchical");
    expect(withChildren.status).to.equal(409);
    expect(await errorMessage(withChildren)).to.contain('has 2 sub-items');
    expect(unknownParent.status).to.equal(400);
    expect(await countRows(fixture().engine)).to.deep.equal(before);
  });

  it('replaces all items in one command: listed codes keep their rows, new ones are added, the others removed', async () => {
    // given
    const created = await create('city-admin', { code: 'bulk-test', name: '区划', hierarchical: true, items: REGION_ITEMS });
    const idsBefore = await itemIds(created.id);
    // when
    const summary = await api.json('/dictionaries/bulk-test/items', {
      as: 'city-admin', method: 'PUT',
      body: { items: [{ code: '450203001', label: '鱼峰一街道', parent: '450203' }, { code: '450203', label: '鱼峰区' }, { code: '450202', label: '城中区', extra: { level: 'district' } }] },
    });
    const dictionary = await api.json<Dictionary>('/dictionaries/bulk-test', { as: 'city-admin' });
    const idsAfter = await itemIds(created.id);
    // then
    expect(summary).to.deep.equal({ added: 1, updated: 2, removed: 3 });
    expect(shape(dictionary.items)).to.deep.equal(['450203(450203001)', '450202']);
    expect(idsAfter.get('450202')).to.equal(idsBefore.get('450202'));
    expect(idsAfter.get('450203')).to.equal(idsBefore.get('450203'));
    expect(await auditActions(created.id)).to.deep.equal([`city-admin:dictionary.create@${city}`, `city-admin:dictionary.items.replace@${city}`]);
  });

  async function itemIds(dictionaryId: string): Promise<Map<string, string>> {
    const rows = await fixture().engine.database.read((sql) => sql.select('SELECT id, code FROM dictionary_item WHERE dictionary_id = $1', [dictionaryId]));
    return new Map(rows.map((row) => [String(row.code), String(row.id)]));
  }

  it("shares the platform administrator's dictionaries with every tenant; a tenant's own of the code replaces it for that tenant only", async () => {
    // given
    const shared = await create('platform-admin', { code: 'severity', name: '紧急程度', items: [{ code: 'A', label: '紧急' }, { code: 'C', label: '一般' }] });
    await create('a-admin', { code: 'severity', name: '紧急程度（柳城）', items: [{ code: 'A', label: '特急' }, { code: 'B', label: '重大' }] });
    // when
    const forCountyA = await api.json<Dictionary>('/dictionaries/severity', { as: 'a-admin' });
    const sharedForCountyA = await api.json<Dictionary>('/dictionaries/severity?shared=true', { as: 'a-admin' });
    const forCountyB = await api.json<Dictionary>('/dictionaries/severity', { as: 'b-admin' });
    const countyBChangesShared = await api.request('/dictionaries/severity', { as: 'b-admin', method: 'PATCH', body: { name: '改名' } });
    const countyBAddsToShared = await api.request('/dictionaries/severity/items', { as: 'b-admin', body: { code: 'B', label: '重大' } });
    const duplicateShared = await api.request('/dictionaries', { as: 'platform-admin', body: { code: 'SEVERITY', name: '重复' } });
    // then
    expect(shared).to.include({ tenantId: null, shared: true });
    expect(forCountyA).to.include({ tenantId: countyA, name: '紧急程度（柳城）' });
    expect(forCountyA.items.map((item) => item.label)).to.deep.equal(['特急', '重大']);
    expect(sharedForCountyA).to.include({ id: shared.id });
    expect(forCountyB).to.include({ id: shared.id, name: '紧急程度' });
    expect(countyBChangesShared.status).to.equal(403);
    expect(await errorMessage(countyBChangesShared)).to.contain('kept by the platform administrator');
    expect(countyBAddsToShared.status).to.equal(403);
    expect(duplicateShared.status).to.equal(409);
    const inCountyA = await readFor('a-admin', (session) => dictionaryItemsExist(session, 'severity', ['A', 'B', 'C'], countyA));
    const inCountyB = await readFor('b-admin', (session) => dictionaryItemsExist(session, 'severity', ['A', 'B', 'C'], countyB));
    const anywhereForA = await readFor('a-admin', (session) => dictionaryItemsExist(session, 'severity', ['A', 'B', 'C', 'D']));
    expect(inCountyA).to.deep.equal(['C']);
    expect(inCountyB).to.deep.equal(['B']);
    expect(anywhereForA).to.deep.equal(['D']);
  });

  it("keeps a tenant's dictionaries from other tenants: lists leave them out, reads and changes answer 404", async () => {
    // given
    await create('a-admin', { code: 'county-only', name: '柳城专用', items: [{ code: 'x', label: 'X' }] });
    // when
    const listedForB = await api.json<Dictionary[]>('/dictionaries', { as: 'b-admin' });
    const listedForA = await api.json<Dictionary[]>('/dictionaries?shared=false', { as: 'a-admin' });
    const readByB = await api.request(`/dictionaries/county-only?tenantId=${countyA}`, { as: 'b-admin' });
    const readByCity = await api.request('/dictionaries/county-only', { as: 'city-admin' });
    const changedByB = await api.request(`/dictionaries/county-only?tenantId=${countyA}`, { as: 'b-admin', method: 'DELETE' });
    const createdInAByB = await api.request('/dictionaries', { as: 'b-admin', body: { tenantId: countyA, code: 'intruder', name: '越权' } });
    const existsForB = await readFor('b-admin', (session) => findDictionaryItems(session, 'county-only', ['x']));
    // then
    expect(listedForB.map((dictionary) => dictionary.code)).not.to.include('county-only');
    expect(listedForA.map((dictionary) => `${dictionary.tenantId}/${dictionary.code}`)).to.include(`${countyA}/county-only`);
    expect(listedForA.every((dictionary) => dictionary.tenantId === countyA)).to.equal(true);
    expect(readByB.status).to.equal(404);
    expect(readByCity.status).to.equal(404);
    expect(changedByB.status).to.equal(404);
    expect(createdInAByB.status).to.equal(404);
    expect(existsForB).to.deep.equal([]);
  });

  it('needs dictionary:write to change and dictionary:read to read', async () => {
    // when
    const readerCreates = await api.request('/dictionaries', { as: 'city-reader', body: { code: 'nope', name: '无权' } });
    const anonymous = await api.request('/dictionaries', { as: null });
    // then
    expect(readerCreates.status).to.equal(403);
    expect(anonymous.status).to.equal(401);
  });
});
