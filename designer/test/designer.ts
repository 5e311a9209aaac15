/**
 * The designer's end-to-end harness: the shared one (@yiwang/web-kit/testing) with the designer
 * under test and its screenshots in designer/test-artifacts/<suite>/.
 */
import { fileURLToPath } from 'node:url';
import { useApps, type Apps, type AppsOptions } from '@yiwang/web-kit/testing';

export { ADMIN_PASSWORD, CHROMIUM, CHROMIUM_ARGS } from '@yiwang/web-kit/testing';
export type Designer = Apps;

const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));

export function useDesigner(options: Omit<AppsOptions, 'app' | 'artifacts'> = {}): () => Designer {
  return useApps({ app: 'designer', artifacts: ARTIFACTS, ...options });
}
