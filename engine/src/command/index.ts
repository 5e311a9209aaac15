export { CommandContext, systemClock, type Clock, type EngineEnvironment, type OperationLogInput } from './context.js';
export { CommandExecutor, type Command, type CommandOptions } from './executor.js';
