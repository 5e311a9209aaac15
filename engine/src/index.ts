/** The public face of @yiwang/engine for other packages (plugins, seeds, the CLI). */
export { ProcessEngine } from './services/index.js';
export type * from './services/index.js';
export { startServer, type PlatformServer, type ServerOptions } from './api/index.js';
export { loadConfig, parseDatabaseUrl, type PlatformConfig, type DatabaseConfig, type DatabaseDialect } from './config/index.js';
export { TypedValue, Variables, type ValueType, type VariableMap } from './variables/index.js';
export * from './errors/index.js';
export type { Clock } from './command/index.js';
