/** The end-to-end harness of the web apps (Node side: mocha + playwright-core). */
export { ADMIN_PASSWORD, CHROMIUM, CHROMIUM_ARGS, DEMO_PASSWORD, startApps, useApps, type Apps, type AppsOptions } from './app-harness.js';
