export { InstanceRuntime } from './runtime.js';
export { visibleFrom } from './variables.js';
