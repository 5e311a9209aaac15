export { SettableClock } from './clock.js';
export { DEFAULT_DISTRIBUTIONS_FILE, generateDemoHistory, readDistributions, type DemoOptions, type DemoSummary, type Distributions, type Progress } from './generator.js';
export { CASE_PLUGIN, prepareTenant, type PreparedTenant } from './prepare.js';
export { formatSummary, parseDemoArguments, type DemoArguments } from './cli.js';
