import type { Task, TaskService } from 'camunda-external-task-client-js';

/** What a worker handler is given: the locked task (variables read-only) and the service to settle it. */
export interface WorkerHandlerArgs {
  readonly task: Task;
  readonly taskService: TaskService;
}

/**
 * One external-task topic's logic. It settles the task through `taskService` (complete, handleFailure,
 * handleBpmnError or unlock); if it throws, the host reports a failure with one retry less.
 */
export type WorkerHandler = (args: WorkerHandlerArgs) => Promise<void>;

/** What a plugin's `workers/*.ts|*.js` module exports (as default, or as `handlers`): topic → handler. */
export type WorkerHandlers = { readonly [topic: string]: WorkerHandler };

/** A topic's handler with where it came from, so that log lines and conflicts can name the file. */
export interface WorkerTopic {
  readonly topic: string;
  readonly handler: WorkerHandler;
  readonly plugin: string;
  /** the module's path */
  readonly file: string;
}
