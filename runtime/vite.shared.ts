import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import type { UserConfig } from 'vite';
import { fileURLToPath } from 'node:url';

/** where `npm run dev` sends API calls: a running engine (`npm start` at the root) */
const ENGINE = process.env.YIWANG_ENGINE_URL ?? 'http://localhost:3000';

/**
 * What both runtime apps build with: element-plus components imported where a template uses them
 * (unplugin-vue-components, so each page carries only its own), vue-i18n's composition API only,
 * the engine proxied in development. `app` is the folder and the path the engine serves it at.
 */
export function runtimeAppConfig(app: 'staff' | 'public', base: '/runtime/' | '/public/'): UserConfig {
  return {
    root: app,
    base,
    plugins: [
      vue(),
      // the staff app imports element-plus's whole stylesheet in main.ts (messages, dialogs opened from
      // code need theirs too); the public page takes each component's own, to stay small.
      // dts: the generated component types for vue-tsc, at <app>/src (an absolute path: a relative one
      // is taken from the vite root, <app>/, and put the public app's under public/public/ — its
      // publicDir, copied into the build)
      Components({
        resolvers: [ElementPlusResolver({ importStyle: app === 'public' ? 'css' : false })],
        dts: fileURLToPath(new URL(`./${app}/src/components.d.ts`, import.meta.url)),
        dirs: [],
      }),
    ],
    define: {
      __VUE_I18N_FULL_INSTALL__: true,
      __VUE_I18N_LEGACY_API__: false,
      __INTLIFY_PROD_DEVTOOLS__: false,
    },
    server: { proxy: { '/api': ENGINE, '/engine-rest': ENGINE } },
    build: {
      outDir: `../dist/${app}`,
      emptyOutDir: true,
      sourcemap: false,
      chunkSizeWarningLimit: 2000,
    },
  };
}
