import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rejectionOf } from '../testing/bpmn.js';
import { discoverWorkerTopics, findWorkerModules, WorkerModuleError } from './index.js';

describe('workers - discovery of plugin worker modules', () => {
  const dirs: string[] = [];

  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A plugins folder in a temporary directory: `{ 'a/workers/x.ts': source }`; every top folder becomes an ESM package unless listed in `withoutPackage`. */
  function pluginsFolder(files: Record<string, string>, withoutPackage: string[] = []): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'yiwang-plugins-'));
    dirs.push(dir);
    for (const [file, source] of Object.entries(files)) {
      const full = path.join(dir, file);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, source);
    }
    for (const plugin of new Set(Object.keys(files).map((file) => file.split('/')[0] as string))) {
      if (!withoutPackage.includes(plugin)) writeFileSync(path.join(dir, plugin, 'package.json'), JSON.stringify({ name: `@yiwang/plugin-${plugin}`, type: 'module' }));
    }
    return dir;
  }

  it('loads the default export of TypeScript modules and `handlers` of JavaScript modules of every plugin package with a workers folder', async () => {
    // given two plugins with workers, one without, a folder that is no package, and files that are no worker modules
    const dir = pluginsFolder({
      'intake/workers/intake.ts': `
        import type { WorkerHandlers } from '${path.resolve('src/workers/index.ts').replaceAll('\\', '/')}';
        const handlers: WorkerHandlers = { 'intake-check': async ({ task }) => { void task.id; } };
        export default handlers;`,
      'notify/workers/sms.js': `export const handlers = { 'notify-sms': async () => {}, 'notify-mail': async () => {} };`,
      'notify/workers/sms.test.js': `throw new Error('a test file is not a worker module');`,
      'notify/workers/types.d.ts': `export type X = string;`,
      'notify/workers/README.md': `# not a module`,
      'reports/forms/form.json': `{}`,
      'scratch/workers/x.js': `throw new Error('not a workspace package');`,
    }, ['scratch']);
    // when
    const modules = findWorkerModules(dir);
    const topics = await discoverWorkerTopics(dir);
    // then
    expect(modules.map((m) => [m.plugin, path.relative(dir, m.file)])).to.deep.equal([
      ['@yiwang/plugin-intake', path.join('intake', 'workers', 'intake.ts')],
      ['@yiwang/plugin-notify', path.join('notify', 'workers', 'sms.js')],
    ]);
    expect([...topics.keys()]).to.deep.equal(['intake-check', 'notify-sms', 'notify-mail']);
    expect(topics.get('notify-mail')).to.include({ plugin: '@yiwang/plugin-notify', file: path.join(dir, 'notify', 'workers', 'sms.js') });
    expect(topics.get('intake-check')?.handler).to.be.a('function');
  });

  it('finds nothing where there is no plugins folder', async () => {
    expect(findWorkerModules(path.join(tmpdir(), 'yiwang-no-such-folder'))).to.deep.equal([]);
    expect((await discoverWorkerTopics(path.join(tmpdir(), 'yiwang-no-such-folder'))).size).to.equal(0);
  });

  for (const [what, source, complaint] of [
    ['no default and no `handlers` export', `export const check = async () => {};`, /expected a default export \(or an export named 'handlers'\).*got no such export/],
    ['a function as default export', `export default async function handler() {}`, /got a function/],
    ['an array', `export default [async () => {}];`, /got an array/],
    ['an empty map', `export default {};`, /got an empty object/],
    ['a topic mapped to something other than a function', `export default { 'ok-topic': async () => {}, 'bad-topic': 'handler.js' };`, /the handler of topic 'bad-topic' is not a function/],
    ['an error at import', `throw new Error('boom at import');`, /cannot load worker module .*bad\.js: boom at import/],
  ] as const) {
    it(`refuses a module with ${what}, naming the file`, async () => {
      // given
      const dir = pluginsFolder({ 'broken/workers/bad.js': source });
      // when
      const error = await rejectionOf(discoverWorkerTopics(dir));
      // then
      expect(error).to.be.instanceOf(WorkerModuleError);
      expect(error.message).to.match(complaint);
      expect(error.message).to.include(path.join(dir, 'broken', 'workers', 'bad.js'));
    });
  }

  it('refuses two plugins claiming the same topic, naming both', async () => {
    // given
    const dir = pluginsFolder({
      'first/workers/a.js': `export default { 'shared-topic': async () => {} };`,
      'second/workers/b.js': `export default { 'other-topic': async () => {}, 'shared-topic': async () => {} };`,
    });
    // when
    const error = await rejectionOf(discoverWorkerTopics(dir));
    // then
    expect(error).to.be.instanceOf(WorkerModuleError);
    expect(error.message).to.equal(`topic 'shared-topic' is claimed twice: by @yiwang/plugin-first (${path.join(dir, 'first', 'workers', 'a.js')}) and by @yiwang/plugin-second (${path.join(dir, 'second', 'workers', 'b.js')})`);
  });
});
