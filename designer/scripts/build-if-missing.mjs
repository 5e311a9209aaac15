// `npm start` at the root: build the designer when designer/dist holds no build yet (the engine
// serves it at /designer). A build that exists is kept: `npm run build -w @yiwang/designer` renews it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
if (!existsSync(fileURLToPath(new URL('../dist/index.html', import.meta.url)))) {
  console.log('building the designer (designer/dist is missing)');
  execFileSync('npm', ['run', 'build', '-w', '@yiwang/designer'], { cwd: root, stdio: 'inherit' });
}
