import { expect } from 'chai';
import { createFetchDataSource } from '../src/fetch-data-source.js';
import { createMemoryDataSource } from '../src/memory-data-source.js';

interface Call { readonly url: URL; readonly headers: Record<string, string> }

/** A fetch answering from `routes` by path, recording every request. */
function fakeFetch(routes: Record<string, unknown>, calls: Call[], status = 200): typeof fetch {
  return (async (input: URL | RequestInfo, init?: RequestInit) => {
    const url = new URL(String(input));
    calls.push({ url, headers: init?.headers as Record<string, string> });
    const body = status === 200 ? routes[url.pathname] : { type: 'ForbiddenError', message: '没有权限 (forbidden)' };
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  }) as typeof fetch;
}

describe('data sources', () => {
  describe('createFetchDataSource', () => {
    const departments = [
      { id: 'd1', tenantId: '450200', code: 'cgj', name: '城市管理局', children: [{ id: 'd2', tenantId: '450200', code: 'cgj-zhzx', name: '指挥中心', children: [] }] },
    ];

    it('searches enabled users by id or name with the bearer token and language', async () => {
      const calls: Call[] = [];
      const users = [{ id: 'lz.supervisor', displayName: '韦晓岚', email: null, enabled: true }];
      const source = createFetchDataSource('http://engine.test/', () => 'ywa_token', { fetch: fakeFetch({ '/api/admin/users': users }, calls), language: 'zh-CN' });
      expect(await source.searchUsers(' 韦 ')).to.deep.equal([{ id: 'lz.supervisor', displayName: '韦晓岚' }]);
      const [call] = calls;
      expect(call!.url.pathname).to.equal('/api/admin/users');
      expect(Object.fromEntries(call!.url.searchParams)).to.deep.equal({ search: '韦', enabled: 'true', sortBy: 'displayName', sortOrder: 'asc', maxResults: '20' });
      expect(call!.headers).to.include({ Authorization: 'Bearer ywa_token', 'Accept-Language': 'zh-CN' });
    });

    it('flattens the department tree of a tenant, reads it once and filters by name or code', async () => {
      const calls: Call[] = [];
      const source = createFetchDataSource('http://engine.test', 'ywa_token', { fetch: fakeFetch({ '/api/admin/departments': departments }, calls) });
      expect((await source.searchDepartments('zhzx', '450200')).map((department) => department.name)).to.deep.equal(['指挥中心']);
      expect((await source.searchDepartments('', '450200')).map((department) => department.id)).to.deep.equal(['d1', 'd2']);
      expect(calls).to.have.length(1);
      expect(calls[0]!.url.searchParams.get('tenantId')).to.equal('450200');
    });

    it('reads dictionary items below a parent, and regions from the region dictionary', async () => {
      const calls: Call[] = [];
      const items = [{ code: 'bj-gy', label: '公用设施', labelEn: 'Public utilities', hasChildren: false }];
      const source = createFetchDataSource('http://engine.test', 'ywa_token', {
        fetch: fakeFetch({ '/api/dictionaries/case-category/items': items, '/api/dictionaries/grid%20areas/items': [] }, calls),
        regionDictionary: 'grid areas',
      });
      expect(await source.dictionaryItems('case-category', 'bj')).to.deep.equal(items);
      await source.regionChildren();
      expect(calls.map((call) => `${call.url.pathname}${call.url.search}`)).to.deep.equal(['/api/dictionaries/case-category/items?parent=bj', '/api/dictionaries/grid%20areas/items']);
    });

    it('fails with the status and the server\'s message', async () => {
      const source = createFetchDataSource('http://engine.test', 'ywa_token', { fetch: fakeFetch({}, [], 403) });
      try {
        await source.searchUsers('x');
        expect.fail('the search should have failed');
      } catch (error) {
        expect((error as Error).message).to.equal('/api/admin/users: HTTP 403 没有权限 (forbidden)');
      }
    });
  });

  describe('createMemoryDataSource', () => {
    const source = createMemoryDataSource({
      regions: [{ code: '450202', label: '城中区', children: [{ code: '450202001', label: '城中街道' }] }],
      departments: [{ id: 'a', code: 'a', name: '甲', tenantId: '1' }, { id: 'b', code: 'b', name: '乙', tenantId: '2' }],
    });

    it('answers the levels of a tree with hasChildren', async () => {
      expect(await source.regionChildren()).to.deep.equal([{ code: '450202', label: '城中区', labelEn: null, hasChildren: true }]);
      expect(await source.regionChildren('450202')).to.deep.equal([{ code: '450202001', label: '城中街道', labelEn: null, hasChildren: false }]);
      expect(await source.dictionaryItems('unknown')).to.deep.equal([]);
    });

    it('keeps departments to the tenant asked for', async () => {
      expect((await source.searchDepartments('', '2')).map((department) => department.id)).to.deep.equal(['b']);
    });
  });
});
