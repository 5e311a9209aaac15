import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_PLUGINS_DIR } from '../workers/index.js';
import { manifestTypes, MANIFEST_TYPES_FILE } from './generate-types.js';
import { checkManifest, discoverPlugins, InstallPluginCmd, MANIFEST_FILE, PluginManifestError, readPlugin } from './index.js';
import type { CommandContext } from '../command/index.js';

describe('plugins - manifest schema', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  function folder(files: Record<string, unknown>): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'yiwang-plugin-'));
    dirs.push(dir);
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), typeof content === 'string' ? content : JSON.stringify(content));
    }
    return dir;
  }

  const malformed = {
    name: 'Bad Name', version: '1.0', title: { 'zh-CN': '坏' }, description: { 'zh-CN': '坏', en: 'bad' }, engine: '>=0.1.0', status: 'available',
    contributes: { menus: [{ app: 'mobile', key: 'x', title: { 'zh-CN': 'x', en: 'x' }, path: 'no-slash' }], processes: ['../outside.bpmn'], colour: 'red' },
  };

  it('refuses a malformed manifest with every problem and its JSON path', () => {
    const error = (() => {
      try {
        checkManifest(malformed, 'plugin.json');
      } catch (caught) {
        return caught as PluginManifestError;
      }
      throw new Error('accepted');
    })();
    expect(error).to.be.instanceOf(PluginManifestError);
    expect(error.problems.map((p) => p.path)).to.include.members(['/name', '/version', '/title', '/contributes', '/contributes/menus/0/app', '/contributes/menus/0/path', '/contributes/processes/0']);
    expect(error.problems.find((p) => p.path === '/contributes')?.message).to.equal("unknown property 'colour'");
    expect(error.problems.find((p) => p.path === '/contributes/menus/0/app')?.message).to.contain('runtime, designer');
    expect(error.details()).to.have.property('problems').with.length(error.problems.length);
  });

  it('discovery lists a malformed plugin as refused with its problems, and files the manifest names are checked too', () => {
    // given
    const dir = folder({
      'bad/plugin.json': malformed,
      'gaps/plugin.json': {
        name: 'gaps', version: '1.0.0', title: { 'zh-CN': '缺', en: 'Gaps' }, description: { 'zh-CN': '缺', en: 'Gaps' }, engine: 'not a range', status: 'available',
        contributes: { processes: ['processes/missing.bpmn'], dictionaries: ['dictionaries/d.json'] },
      },
      'gaps/dictionaries/d.json': { code: 'd', items: [{ label: 'no code' }] },
    });
    // when
    const catalogue = discoverPlugins([dir]);
    // then
    expect(catalogue.plugins.size).to.equal(0);
    expect(catalogue.invalid.map((error) => error.plugin).sort()).to.deep.equal(['Bad Name', 'gaps']);
    const gaps = catalogue.invalid.find((error) => error.plugin === 'gaps') as PluginManifestError;
    expect(gaps.problems.map((p) => p.path)).to.deep.equal(['/engine', '/contributes/processes/0', '/', '/items/0']);
  });

  it('install refuses a plugin refused at discovery with the same problems', async () => {
    const catalogue = discoverPlugins([folder({ 'bad/plugin.json': { ...malformed, name: 'bad' } })]);
    const context = { actor: null, session: { select: async () => [{ id: '450200' }], findById: async () => ({ id: '450200' }) } } as unknown as CommandContext;
    const error = await new InstallPluginCmd(catalogue, 'bad', '450200').execute(context).then(() => null, (caught: unknown) => caught);
    expect(error).to.be.instanceOf(PluginManifestError);
    expect((error as PluginManifestError).problems.map((p) => p.path)).to.include('/contributes/menus/0/app');
  });

  it('every plugins/*/plugin.json of the repository passes the schema (none skipped)', () => {
    const folders = readdirSync(DEFAULT_PLUGINS_DIR, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    const manifests = folders.filter((entry) => readdirSync(path.join(DEFAULT_PLUGINS_DIR, entry.name)).includes(MANIFEST_FILE));
    expect(manifests.length).to.equal(folders.length, 'every plugin folder has a plugin.json');
    for (const entry of manifests) {
      const plugin = readPlugin(path.join(DEFAULT_PLUGINS_DIR, entry.name));
      expect(plugin.name).to.equal(entry.name);
    }
  });

  it('the committed manifest-types.ts is what json-schema-to-typescript generates from the schema now', async () => {
    expect(readFileSync(MANIFEST_TYPES_FILE, 'utf8')).to.equal(await manifestTypes(), 'run npm run generate:plugin-types -w @yiwang/engine and commit the result');
  });
});
