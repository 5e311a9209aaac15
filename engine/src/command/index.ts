export { CommandContext, systemClock, type Actor, type AuditEntry, type TaskAction, type TaskWorkPolicy, type Clock, type EngineEnvironment, type OperationLogInput, type RequestKey } from './context.js';
export { CommandExecutor, type Command, type CommandOptions } from './executor.js';
