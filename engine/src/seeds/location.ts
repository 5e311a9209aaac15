import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's `seeds/` folder: three levels up from this module, in `src/seeds/` and in `dist/seeds/` alike. */
const SEEDS_ROOT = fileURLToPath(new URL('../../../seeds/', import.meta.url));

/** The JSON Schemas every seed set is checked against (the loader's own, whichever directory the data comes from). */
export const SEED_SCHEMA_DIRECTORY = path.join(SEEDS_ROOT, 'schema');

/** The Liuzhou city template: what a fresh platform starts with. */
export const DEFAULT_SEEDS_DIRECTORY = path.join(SEEDS_ROOT, 'liuzhou');

export interface SeedSettings {
  readonly directory: string;
  /** the demo users' password; undefined: one is generated and announced */
  readonly demoPassword: string | undefined;
}

/**
 * What to seed at start, from the environment: `YIWANG_SEEDS=off` seeds nothing (null),
 * `YIWANG_SEEDS_DIR` names another seed set (relative to `cwd`), `YIWANG_DEMO_PASSWORD` the demo
 * users' password.
 */
export function seedSettingsFromEnvironment(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): SeedSettings | null {
  const switchedOn = env.YIWANG_SEEDS ?? 'on';
  if (switchedOn === 'off') return null;
  // a typo such as `false` must not silently seed demo accounts into a production database
  if (switchedOn !== 'on' && switchedOn !== '') throw new Error(`YIWANG_SEEDS '${switchedOn}' is neither 'on' nor 'off'`);
  return {
    directory: env.YIWANG_SEEDS_DIR ? path.resolve(cwd, env.YIWANG_SEEDS_DIR) : DEFAULT_SEEDS_DIRECTORY,
    demoPassword: env.YIWANG_DEMO_PASSWORD || undefined,
  };
}
