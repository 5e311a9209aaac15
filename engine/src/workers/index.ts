export type { WorkerHandler, WorkerHandlerArgs, WorkerHandlers, WorkerTopic } from './handlers.js';
export {
  DEFAULT_PLUGINS_DIR,
  WorkerModuleError,
  declaredWorkerModules,
  discoverWorkerTopics,
  findWorkerModules,
  loadWorkerTopics,
  type DeclaredWorkers,
  type WorkerModuleFile,
} from './discovery.js';
export { workerHostConfig, type EngineRestAuth, type WorkerHostConfig } from './config.js';
export { startWorkerHost, type WorkerHost } from './host.js';
