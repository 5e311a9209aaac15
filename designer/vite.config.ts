import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import { defineConfig } from 'vite';

/** where `npm run dev` sends API calls: a running engine (`npm start` at the root) */
const ENGINE = process.env.YIWANG_ENGINE_URL ?? 'http://localhost:3000';

/**
 * The designer, served by the engine at /designer. element-plus components are imported where a
 * template uses them (unplugin-vue-components), so the login page does not carry the whole
 * library; every route is its own chunk (bpmn-js and form-js only on their pages).
 */
export default defineConfig({
  base: '/designer/',
  plugins: [
    vue(),
    // the stylesheet is imported once in main.ts; dts: the generated component types for vue-tsc
    Components({ resolvers: [ElementPlusResolver({ importStyle: false })], dts: 'src/components.d.ts', dirs: [] }),
  ],
  define: {
    // vue-i18n: the composition API only, no devtools in production
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  server: {
    proxy: { '/api': ENGINE, '/engine-rest': ENGINE, '/health': ENGINE },
  },
  build: {
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
});
