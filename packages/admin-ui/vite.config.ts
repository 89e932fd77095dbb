import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Built into the server package, which serves it at /admin/ui from memory
// (packages/server/src/admin-ui/admin-ui-files.ts). The page runs under a
// strict Content-Security-Policy: no inline script or style, so no
// modulepreload polyfill (an inline script) and no assets inlined as data:.
export default defineConfig({
  base: '/admin/ui/',
  resolve: { conditions: ['source'] },
  build: {
    outDir: fileURLToPath(new URL('../server/admin-ui', import.meta.url)),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
  },
});
