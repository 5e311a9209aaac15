/**
 * The part of camunda-external-task-client-js 3.x (which ships no types) that yiwang uses, declared
 * from its sources (lib/Client.js, TaskService.js, Variables.js, File.js).
 */
declare module 'camunda-external-task-client-js' {
  import type { EventEmitter } from 'node:events';

  export interface TypedValue {
    type: string;
    value: unknown;
    valueInfo?: Record<string, unknown>;
  }

  export class Variables {
    constructor(initialVariables?: Record<string, TypedValue>, options?: Record<string, unknown>);
    get(name: string): any;
    getTyped(name: string): TypedValue | null;
    getAll(): Record<string, any>;
    getAllTyped(): Record<string, TypedValue>;
    set(name: string, value: unknown): this;
    setTyped(name: string, typedValue: TypedValue): this;
    setAll(values: Record<string, unknown>): this;
    setTransient(name: string, value: unknown): this;
  }

  export class File {
    constructor(options: { localPath?: string; remotePath?: string; typedValue?: TypedValue; filename?: string; encoding?: string; mimetype?: string });
    filename: string;
    mimetype?: string;
    encoding?: string;
    content: Buffer | string;
    load(): Promise<this>;
  }

  export interface Task {
    id: string;
    topicName: string;
    workerId: string;
    processInstanceId: string;
    processDefinitionId: string;
    processDefinitionKey: string;
    processDefinitionVersionTag: string | null;
    activityId: string;
    executionId: string;
    businessKey: string | null;
    tenantId: string | null;
    retries: number | null;
    errorMessage: string | null;
    priority: number;
    lockExpirationTime: string;
    extensionProperties: Record<string, string>;
    variables: Variables;
  }

  export interface TaskService {
    complete(task: Task | string, variables?: Variables, localVariables?: Variables): Promise<void>;
    handleFailure(task: Task | string, options: { errorMessage?: string; errorDetails?: string; retries?: number; retryTimeout?: number }): Promise<void>;
    handleBpmnError(task: Task | string, errorCode: string, errorMessage?: string, variables?: Variables): Promise<void>;
    lock(task: Task | string, lockDuration: number): Promise<void>;
    extendLock(task: Task | string, newDuration: number): Promise<void>;
    unlock(task: Task | string): Promise<void>;
  }

  export type Handler = (args: { task: Task; taskService: TaskService }) => unknown;

  export interface TopicSubscriptionOptions {
    lockDuration?: number;
    variables?: string[];
    localVariables?: boolean;
    businessKey?: string;
    processDefinitionId?: string;
    processDefinitionIdIn?: string[];
    processDefinitionKey?: string;
    processDefinitionKeyIn?: string[];
    processDefinitionVersionTag?: string;
    processVariables?: Record<string, unknown>;
    tenantIdIn?: string[];
    withoutTenantId?: boolean;
    includeExtensionProperties?: boolean;
  }

  export interface TopicSubscription {
    unsubscribe(): void;
  }

  export type Interceptor = (config: Record<string, any>) => Record<string, any>;

  export interface ClientOptions {
    baseUrl: string;
    workerId?: string;
    maxTasks?: number;
    maxParallelExecutions?: number;
    interval?: number;
    lockDuration?: number;
    autoPoll?: boolean;
    asyncResponseTimeout?: number;
    usePriority?: boolean;
    sorting?: { sortBy: 'createTime'; sortOrder: 'asc' | 'desc' }[];
    interceptors?: Interceptor | Interceptor[];
    use?: ((client: Client) => void) | ((client: Client) => void)[];
  }

  export class Client extends EventEmitter {
    constructor(options: ClientOptions);
    subscribe(topic: string, handler: Handler): TopicSubscription;
    subscribe(topic: string, options: TopicSubscriptionOptions, handler: Handler): TopicSubscription;
    start(): void;
    stop(): void;
  }

  export class BasicAuthInterceptor {
    constructor(options: { username: string; password: string });
  }
  // the constructor returns the interceptor function itself
  export interface BasicAuthInterceptor extends Interceptor {}
}
