// The JavaScript the public portal's report page loads on first visit, gzip per file and in total,
// against its budget of 150 KB; the staff app's login page measured alike as a peer.
//
//   npm run build:apps -w @yiwang/runtime && npm run bench:public-bundle -w @yiwang/runtime
//
// First load = index.html's module scripts and modulepreload links, and every chunk they import
// statically (the manifest's `imports`, else the `import … from "./x.js"` in the chunks' code);
// lazy chunks (`import()`, e.g. the status page) are not loaded then and not counted.
// YIWANG_PUBLIC_DIST / YIWANG_RUNTIME_DIST name other builds (as the end-to-end harness reads them).
// Exits 1 above the budget, 2 when the portal is not built.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 150;
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const PUBLIC_DIST = process.env.YIWANG_PUBLIC_DIST ?? here('../dist/public');
const STAFF_DIST = process.env.YIWANG_RUNTIME_DIST ?? here('../dist/staff');

const kb = (bytes) => (bytes / 1024).toFixed(1);

/** The files one page's first load fetches: JavaScript (counted) and CSS (shown). `extra` adds a lazy route's chunk that the page needs before it shows. */
function firstLoad(dist, base, extra = () => []) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const manifestPath = join(dist, '.vite', 'manifest.json');
  const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : null;
  const byFile = new Map(manifest ? Object.values(manifest).map((chunk) => [chunk.file, chunk]) : []);
  const local = (url) => (url.startsWith(base) ? url.slice(base.length) : null);
  const start = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+\.js)"/g)].map((m) => local(m[1])).filter(Boolean);
  const css = new Set([...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+\.css)"/g)].map((m) => local(m[1])).filter(Boolean));
  const js = new Set();
  const visit = (file) => {
    if (js.has(file)) return;
    js.add(file);
    const chunk = byFile.get(file);
    if (chunk) {
      for (const key of chunk.imports ?? []) visit(manifest[key].file);
      for (const sheet of chunk.css ?? []) css.add(sheet);
    } else {
      const code = readFileSync(join(dist, file), 'utf8');
      const dir = file.slice(0, file.lastIndexOf('/') + 1);
      for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*)["']\.\/([^"']+\.js)["']/g)) visit(dir + m[1]);
    }
  };
  for (const file of [...start, ...extra(manifest)]) visit(file);
  const size = (files) => [...files].map((file) => {
    const bytes = readFileSync(join(dist, file));
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const scripts = size(js);
  const sheets = size(css);
  const sum = (list, key) => list.reduce((total, entry) => total + entry[key], 0);
  return { scripts, sheets, raw: sum(scripts, 'raw'), gzip: sum(scripts, 'gzip'), cssGzip: sum(sheets, 'gzip') };
}

function print(title, load) {
  console.log(`\n${title}`);
  for (const { file, raw, gzip } of [...load.scripts, ...load.sheets].sort((a, b) => b.gzip - a.gzip)) {
    console.log(`  ${file.padEnd(44)} ${kb(raw).padStart(8)} KB ${kb(gzip).padStart(8)} KB gzip`);
  }
  console.log(`  JavaScript: ${load.scripts.length} files, ${kb(load.raw)} KB, ${kb(load.gzip)} KB gzip   (CSS: ${kb(load.cssGzip)} KB gzip, not counted)`);
}

if (!existsSync(join(PUBLIC_DIST, 'index.html'))) {
  console.error(`the public portal is not built at ${PUBLIC_DIST}: npm run build:apps -w @yiwang/runtime first (or set YIWANG_PUBLIC_DIST)`);
  process.exit(2);
}
const portal = firstLoad(PUBLIC_DIST, '/public/');
print(`public portal, report page (${PUBLIC_DIST})`, portal);

// the staff app's login page: its entry plus the login route's chunk when that is lazy (the route
// imports staff/src/shell/login.ts, which hands over web-kit's LoginPage)
if (existsSync(join(STAFF_DIST, 'index.html'))) {
  const loginChunk = (manifest) => {
    if (manifest) return Object.values(manifest).filter((chunk) => /(LoginPage\.vue|shell\/login\.ts)$/.test(chunk.src ?? '') && chunk.isDynamicEntry).map((chunk) => chunk.file);
    return readdirSync(join(STAFF_DIST, 'assets')).filter((file) => /^(LoginPage|login)-.*\.js$/.test(file)).map((file) => `assets/${file}`);
  };
  const staff = firstLoad(STAFF_DIST, '/runtime/', loginChunk);
  print(`peer: staff app, login page (${STAFF_DIST})`, staff);
  console.log(`\nportal / staff login: ${(portal.gzip / staff.gzip).toFixed(2)} of its JavaScript (gzip)`);
} else {
  console.log(`\npeer: the staff app is not built at ${STAFF_DIST} (set YIWANG_RUNTIME_DIST): no comparison`);
}

const over = portal.gzip > BUDGET_KB * 1024;
console.log(`\nreport page first load: ${kb(portal.gzip)} KB gzip of JavaScript; budget ${BUDGET_KB} KB: ${over ? 'OVER BUDGET' : 'within budget'}`);
process.exit(over ? 1 : 0);
