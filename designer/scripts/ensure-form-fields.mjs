// The designer imports @yiwang/form-fields (a workspace package) from its built dist/: build it
// once when a fresh clone has none, so `npm run build`, `typecheck` and `test` work from `npm ci`.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = fileURLToPath(new URL('../../runtime/form-fields/dist/', import.meta.url));
if (!existsSync(`${dist}index.js`) || !existsSync(`${dist}types/index.d.ts`)) {
  console.log('building @yiwang/form-fields (its dist/ is missing)');
  execFileSync('npm', ['run', 'build', '-w', '@yiwang/form-fields'], { cwd: root, stdio: 'inherit' });
}
