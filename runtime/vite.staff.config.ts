import { defineConfig } from 'vite';
import { runtimeAppConfig } from './vite.shared.js';

/** The staff app, served by the engine at /runtime: every route its own chunk (form-js and bpmn-js only on the pages that show them). */
export default defineConfig(runtimeAppConfig('staff', '/runtime/'));
