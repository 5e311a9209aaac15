import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { DEFAULT_SEEDS_DIRECTORY, seedSettingsFromEnvironment } from './location.js';

describe('seeds - where the seed set is', () => {
  it('finds the Liuzhou set in the repository by default, with the demo password from the environment', () => {
    // when
    const settings = seedSettingsFromEnvironment({ YIWANG_DEMO_PASSWORD: 'Demo-Passw0rd-1' });
    // then
    expect(settings).to.deep.equal({ directory: DEFAULT_SEEDS_DIRECTORY, demoPassword: 'Demo-Passw0rd-1' });
    expect(existsSync(path.join(DEFAULT_SEEDS_DIRECTORY, 'tenants.json'))).to.equal(true);
  });

  it('takes another directory from YIWANG_SEEDS_DIR, relative to the working directory', () => {
    // when
    const settings = seedSettingsFromEnvironment({ YIWANG_SEEDS_DIR: 'my-seeds', YIWANG_DEMO_PASSWORD: '' }, '/srv/yiwang');
    // then
    expect(settings).to.deep.equal({ directory: path.resolve('/srv/yiwang', 'my-seeds'), demoPassword: undefined });
  });

  it('seeds nothing with YIWANG_SEEDS=off and refuses a value that is neither on nor off', () => {
    expect(seedSettingsFromEnvironment({ YIWANG_SEEDS: 'off' })).to.equal(null);
    expect(seedSettingsFromEnvironment({ YIWANG_SEEDS: 'on' })).to.not.equal(null);
    expect(() => seedSettingsFromEnvironment({ YIWANG_SEEDS: 'false' })).to.throw("YIWANG_SEEDS 'false' is neither 'on' nor 'off'");
  });
});
