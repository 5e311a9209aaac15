import { DeploymentCache } from '../bpmn/deployment-cache.js';
import { DEFAULT_FALLBACK_USER, type AssignmentResolver } from '../bpmn/execute/index.js';
import { CommandExecutor, systemClock, type Clock, type EngineEnvironment } from '../command/index.js';
import type { DatabaseConfig } from '../config/index.js';
import { OrganisationAssignmentResolver } from '../identity/assignment/index.js';
import { silentLogger, type Logger } from '../logging/index.js';
import { JobExecutor, type JobExecutorOptions } from '../jobs/index.js';
import { migrate, openDatabase, type Database } from '../persistence/index.js';
import { ExternalTaskService } from './external-task-service.js';
import { FormService } from './form-service.js';
import { HistoryService } from './history-service.js';
import { ManagementService } from './management-service.js';
import { RepositoryService } from './repository-service.js';
import { RuntimeService } from './runtime-service.js';
import { SYSTEM_CALLER, type ServiceCaller } from './service-base.js';
import { TaskService } from './task-service.js';

export interface ProcessEngineOptions {
  readonly database: DatabaseConfig;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** IANA zone for timers' local dates and cron expressions, e.g. `Asia/Shanghai`; default: the process's zone */
  readonly timeZone?: string;
  /** run due jobs in the background (the server does; tests call `jobExecutor.runDueJobs()` instead) */
  readonly jobExecutorActivate?: boolean;
  readonly jobExecutor?: JobExecutorOptions;
  /** who answers user-task assignment strategies (`role:`, `dept:`, ...); default: the organisation tables (`identity/assignment`) */
  readonly assignmentResolver?: AssignmentResolver;
  /** who gets a user task whose assignment resolves to nobody, unless the task names its own `yiwang:fallbackAssignee`; default `admin` */
  readonly assignmentFallbackUser?: string;
}

/** The services, acting for one user (or for the system when the user is null). */
export interface EngineServices {
  readonly repositoryService: RepositoryService;
  readonly runtimeService: RuntimeService;
  readonly taskService: TaskService;
  readonly externalTaskService: ExternalTaskService;
  readonly historyService: HistoryService;
  readonly managementService: ManagementService;
  readonly formService: FormService;
}

/**
 * The engine's TypeScript facade, shaped like Camunda's: open it on a database (the schema is
 * migrated), use its services, close it. Several engines may share one MariaDB database.
 */
export class ProcessEngine implements EngineServices {
  readonly repositoryService: RepositoryService;
  readonly runtimeService: RuntimeService;
  readonly taskService: TaskService;
  readonly externalTaskService: ExternalTaskService;
  readonly historyService: HistoryService;
  readonly managementService: ManagementService;
  readonly formService: FormService;
  readonly jobExecutor: JobExecutor;
  /** runs commands in their own transactions; for engine modules (plugins, tests) that define their own commands */
  readonly commandExecutor: CommandExecutor;
  private closed = false;

  private constructor(
    readonly database: Database,
    readonly environment: EngineEnvironment,
    jobExecutorOptions: JobExecutorOptions = {},
  ) {
    this.commandExecutor = new CommandExecutor(database, environment);
    this.jobExecutor = new JobExecutor(this.commandExecutor, environment.logger, jobExecutorOptions);
    this.commandExecutor.onJobScheduled = (dueDate) => this.jobExecutor.jobScheduled(dueDate);
    const services = this.forCaller(SYSTEM_CALLER);
    this.repositoryService = services.repositoryService;
    this.runtimeService = services.runtimeService;
    this.taskService = services.taskService;
    this.externalTaskService = services.externalTaskService;
    this.historyService = services.historyService;
    this.managementService = services.managementService;
    this.formService = services.formService;
  }

  static async open(options: ProcessEngineOptions): Promise<ProcessEngine> {
    const database = await openDatabase(options.database);
    try {
      await migrate(database);
    } catch (error) {
      await database.close();
      throw error;
    }
    const engine = new ProcessEngine(
      database,
      {
        dialect: database.dialect,
        clock: options.clock ?? systemClock,
        deployments: new DeploymentCache(),
        logger: options.logger ?? silentLogger(),
        timeZone: options.timeZone,
        taskAssignment: {
          resolver: options.assignmentResolver ?? new OrganisationAssignmentResolver(),
          fallbackUser: options.assignmentFallbackUser ?? DEFAULT_FALLBACK_USER,
        },
      },
      options.jobExecutor,
    );
    if (options.jobExecutorActivate) engine.jobExecutor.start();
    return engine;
  }

  /** Services whose commands are recorded in history and the operation log as done by `userId`. */
  forUser(userId: string | null): EngineServices {
    return this.forCaller({ ...SYSTEM_CALLER, userId });
  }

  /** Services for a request's caller: their commands are scoped and audited, their queries see only their rows (`identity/`). */
  forCaller(caller: ServiceCaller): EngineServices {
    const args = [this.commandExecutor, this.database, caller, this.environment.clock] as const;
    return {
      repositoryService: new RepositoryService(...args),
      runtimeService: new RuntimeService(...args),
      taskService: new TaskService(...args),
      externalTaskService: new ExternalTaskService(...args),
      historyService: new HistoryService(...args),
      managementService: new ManagementService(...args),
      formService: new FormService(...args),
    };
  }

  /** Stops the job executor (letting the jobs in hand finish), then closes the database. Closing twice is harmless. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.jobExecutor.stop();
    await this.database.close();
  }
}
