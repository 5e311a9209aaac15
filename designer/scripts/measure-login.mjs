import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
// The JavaScript the login page loads (index.html's scripts and the login route's chunk, with
// every chunk they import statically), raw and gzip: `node scripts/measure-login.mjs` after a build.
const dist = process.argv[2] ?? new URL('../dist', import.meta.url).pathname;
const html = readFileSync(`${dist}/index.html`, 'utf8');
const start = [...html.matchAll(/(?:src|href)="\/designer\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
const page = readdirSync(`${dist}/assets`).find((f) => f.startsWith('LoginPage-') && f.endsWith('.js'));
const seen = new Set();
const visit = (file) => {
  if (seen.has(file)) return;
  seen.add(file);
  const code = readFileSync(`${dist}/${file}`, 'utf8');
  for (const m of code.matchAll(/(?:from\s*|import\s*)["']\.\/([^"']+\.js)["']/g)) visit(`assets/${m[1]}`);
};
for (const f of [...start, `assets/${page}`]) visit(f);
let raw = 0, gz = 0;
for (const f of seen) { const b = readFileSync(`${dist}/${f}`); raw += b.length; gz += gzipSync(b).length; }
console.log(`login page: ${seen.size} files, ${(raw/1024).toFixed(1)} KB, ${(gz/1024).toFixed(1)} KB gzip`);
if (process.argv.includes('--files')) console.log([...seen].join('\n'));
