import { defineConfig } from 'vite';

/** Builds the page the browser test drives (test/page) into test-results/page. */
export default defineConfig({
  root: new URL('./page', import.meta.url).pathname,
  base: './',
  logLevel: 'warn',
  build: { outDir: new URL('../test-results/page', import.meta.url).pathname, emptyOutDir: true, sourcemap: true, minify: false },
});
