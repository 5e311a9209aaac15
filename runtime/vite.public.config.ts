import { defineConfig } from 'vite';
import { runtimeAppConfig } from './vite.shared.js';

/**
 * The citizens' reporting portal, served by the engine at /public: a small mobile page (see the
 * JavaScript budget in README.md). The manifest (dist/public/.vite/manifest.json) is what
 * scripts/measure-public-bundle.mjs follows to find what the first page load fetches.
 */
const shared = runtimeAppConfig('public', '/public/');
export default defineConfig({ ...shared, build: { ...shared.build, manifest: true } });
