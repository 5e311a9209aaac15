import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';

/**
 * The library: one ES module and one stylesheet in dist/. form-js and preact stay imports, so an
 * app bundles the single preact that form-js renders with (two copies break hooks). The
 * stylesheet is shipped as written (apps import `@yiwang/form-fields/style.css`); the module does
 * not import it, so it also loads where CSS cannot be imported (node, the tests).
 */
export default defineConfig({
  plugins: [{
    name: 'yiwang-stylesheet',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'style.css', source: readFileSync(new URL('./src/styles.css', import.meta.url), 'utf8') });
    },
  }],
  build: {
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: 'index' },
    rollupOptions: { external: [/^@bpmn-io\//, /^preact(\/|$)/] },
    sourcemap: true,
    // the apps minify when they bundle; a readable library keeps their stack traces readable
    minify: false,
    emptyOutDir: true,
  },
});
