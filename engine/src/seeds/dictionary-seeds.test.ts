import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { getDictionary, type ItemNode } from '../dictionaries/index.js';
import { DbSession } from '../persistence/index.js';
import { rejectionOf } from '../testing/bpmn.js';
import { describeOnDatabases } from '../testing/databases.js';
import { DEFAULT_SEEDS_DIRECTORY, loadSeeds, readSeedData, SeedDataError, type LoadSeedsOptions } from './index.js';

interface DictionaryFile {
  dictionaries: { code: string; name: string; hierarchical?: boolean; tenant?: string; items: { code: string; label: string }[] }[];
}

/** Every item of a tree with its parent's code, `parent>code`. */
function edges(items: readonly ItemNode[], parent = ''): string[] {
  return items.flatMap((item) => [`${parent}>${item.code}`, ...edges(item.children, item.code)]);
}

function find(items: readonly ItemNode[], code: string): ItemNode | undefined {
  for (const item of items) {
    if (item.code === code) return item;
    const below = find(item.children, code);
    if (below) return below;
  }
  return undefined;
}

describe('seeds - reading the dictionaries', () => {
  async function problemsOf(edit: (content: DictionaryFile) => void): Promise<string> {
    const directory = path.join(await mkdtemp(path.join(tmpdir(), 'yiwang-seeds-')), 'liuzhou');
    try {
      await cp(DEFAULT_SEEDS_DIRECTORY, directory, { recursive: true });
      const file = path.join(directory, 'dictionaries.json');
      const content = JSON.parse(await readFile(file, 'utf8')) as DictionaryFile;
      edit(content);
      await writeFile(file, JSON.stringify(content));
      const error = await rejectionOf(readSeedData(directory));
      expect(error).to.be.instanceOf(SeedDataError);
      return error.message;
    } finally {
      await rm(path.dirname(directory), { recursive: true, force: true });
    }
  }

  it('reads the case categories, the region tree and the process categories as shared dictionaries', async () => {
    // when
    const { dictionaries } = await readSeedData(DEFAULT_SEEDS_DIRECTORY);
    // then
    expect(dictionaries.map((d) => [d.code, d.tenant ?? 'shared', d.hierarchical])).to.deep.equal([
      ['case-category', 'shared', true],
      ['region', 'shared', true],
      ['process-category', 'shared', false],
    ]);
  });

  it('refuses an item listed twice, sub-items in a flat dictionary and an unknown tenant, naming the file and the dictionary', async () => {
    // when
    const message = await problemsOf((content) => {
      const [category, region] = content.dictionaries;
      category?.items.push({ code: 'bj01', label: '重复' });
      if (region) region.hierarchical = false;
      content.dictionaries.push({ code: 'local', name: '本地', tenant: '999999', items: [] });
    });
    // then
    expect(message).to.contain('dictionaries.json');
    expect(message).to.contain("dictionary 'case-category' lists the item 'bj01' twice");
    expect(message).to.contain("dictionary 'region' is not hierarchical, but its item '450202' has children");
    expect(message).to.contain("dictionary 'local' belongs to the tenant '999999', which tenants.json does not define");
  });
});

describeOnDatabases('seeds - loading the dictionaries', (fixture) => {
  const options: LoadSeedsOptions = { directory: DEFAULT_SEEDS_DIRECTORY, demoPassword: 'Demo-Passw0rd-1', announce: () => undefined };
  const shared = (code: string) => fixture().engine.database.read((sql) => getDictionary(new DbSession(sql), code, { kind: 'shared' }));

  it('loads the case categories of domain.md: 部件 and 事项 classes with their sub-classes, keyed by kind', async () => {
    // when
    const summary = await loadSeeds(fixture().engine, options);
    const categories = await shared('case-category');
    // then
    expect(summary.dictionaries).to.equal(3);
    expect(categories).to.include({ tenantId: null, shared: true, hierarchical: true });
    const links = edges(categories.items);
    expect(links).to.include.members(['>BJ01', 'BJ01>BJ01001', 'BJ02>BJ02014', 'BJ05>BJ05003', '>SJ06', 'SJ06>SJ06001', 'SJ08>SJ08016', 'SJ09>SJ09009', 'SJ10>SJ10002', 'SJ01>SJ01001']);
    expect(find(categories.items, 'BJ01001')).to.include({ label: '供水井盖' }).and.deep.include({ extra: { kind: 'component', standardCode: '01001' } });
    expect(find(categories.items, 'SJ01001')).to.include({ label: '供水井盖异常' }).and.deep.include({ extra: { kind: 'matter', standardCode: '01001' } });
    expect(find(categories.items, 'SJ06001')).to.include({ label: '私搭乱建', labelEn: 'Illegal structure' });
    expect(find(categories.items, 'SJ09009')?.label).to.equal('机动车乱停放');
    expect(find(categories.items, 'BJ02014')?.label).to.equal('交通信号灯');
    expect(categories.items.map((item) => item.code)).to.deep.equal(['BJ01', 'BJ02', 'BJ03', 'BJ04', 'BJ05', 'SJ01', 'SJ02', 'SJ03', 'SJ04', 'SJ05', 'SJ06', 'SJ07', 'SJ08', 'SJ09', 'SJ10']);
    expect(categories.items.every((major) => major.children.every((minor) => minor.children.length === 0))).to.equal(true);
  });

  it('loads the process categories: one flat item per subsystem, with English labels', async () => {
    // when
    const categories = await shared('process-category');
    // then
    expect(categories).to.include({ tenantId: null, shared: true, hierarchical: false });
    expect(categories.items.map((item) => item.code)).to.deep.equal(['command', 'public-service', 'monitoring', 'evaluation', 'guidance', 'industry', 'data', 'maintenance']);
    expect(find(categories.items, 'data')).to.include({ label: '数据汇聚与交换', labelEn: 'Data aggregation and exchange' });
  });

  it('loads the region tree: districts and counties by GB/T 2260 code down to 15-character grids, the invented levels marked as demo data', async () => {
    // when
    const region = await shared('region');
    // then
    expect(region.items.map((item) => item.code)).to.deep.equal(['450202', '450203', '450204', '450205', '450206', '450222', '450223', '450224', '450225', '450226']);
    expect(edges(region.items)).to.include.members(['>450222', '450222>450222001', '450222001>450222001001', '450222001001>450222001001001']);
    expect(find(region.items, '450222')).to.include({ label: '柳城县' }).and.deep.include({ extra: { level: 'district' } });
    expect(find(region.items, '450222001001001')).to.deep.include({ extra: { level: 'grid', demo: true } });
    expect(region.description).to.contain('演示数据');
  });

  it('leaves a loaded dictionary as an administrator changed it when the seeds load again', async () => {
    // given
    await fixture().engine.database.transaction((sql) => sql.execute("UPDATE dictionary_item SET label = '井盖（供水）' WHERE code = 'BJ01001'"));
    // when
    const summary = await loadSeeds(fixture().engine, options);
    // then
    expect(summary.dictionaries).to.equal(0);
    expect(find((await shared('case-category')).items, 'BJ01001')?.label).to.equal('井盖（供水）');
  });
});
