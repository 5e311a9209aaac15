import { defineConfig } from 'vite';
import { runtimeAppConfig } from './vite.shared.js';

/** The citizens' reporting portal, served by the engine at /public: a small mobile page (see the JavaScript budget in README.md). */
export default defineConfig(runtimeAppConfig('public', '/public/'));
