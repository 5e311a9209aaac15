// `npm start` at the root: build the staff app and the public portal when runtime/dist holds no
// build yet (the engine serves them at /runtime and /public). A build that exists is kept:
// `npm run build -w @yiwang/runtime` renews it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const built = ['staff', 'public'].every((app) => existsSync(fileURLToPath(new URL(`../dist/${app}/index.html`, import.meta.url))));
if (!built) {
  console.log('building the staff app and the public portal (runtime/dist is missing)');
  execFileSync('npm', ['run', 'build', '-w', '@yiwang/runtime'], { cwd: root, stdio: 'inherit' });
}
