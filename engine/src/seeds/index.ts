export { loadSeeds, type LoadSeedsOptions } from './load-seeds.js';
export { LoadSeedsCmd, type SeedSummary } from './load-seeds-cmd.js';
export { DEFAULT_SEEDS_DIRECTORY, seedSettingsFromEnvironment, type SeedSettings } from './location.js';
export { readSeedData, SeedDataError, type SeedData } from './seed-data.js';
