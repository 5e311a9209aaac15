import { ExecuteJobCmd, JobFailedCmd, SetJobRetriesCmd } from '../jobs/index.js';
import { NotFoundError, OptimisticLockingError } from '../errors/index.js';
import { formatTimestamp, INCIDENT, JOB, type IncidentEntity, type JobEntity } from '../persistence/index.js';
import { Filter, orderAndPage, type Page, type Sorting } from './query.js';
import { ServiceBase } from './service-base.js';

export interface IncidentQuery extends Page, Sorting<keyof typeof INCIDENT_SORT> {
  readonly incidentId?: string;
  readonly processInstanceId?: string;
  readonly processDefinitionId?: string;
  readonly executionId?: string;
  readonly incidentType?: string;
  readonly activityId?: string;
  readonly configuration?: string;
  readonly tenantIdIn?: readonly string[];
}

/** Camunda's REST sort keys (and the engine's `createTime`) mapped to columns. */
const INCIDENT_SORT = {
  createTime: 'create_time', incidentTimestamp: 'create_time', incidentId: 'id', incidentType: 'incident_type',
  executionId: 'execution_id', activityId: 'activity_id', processInstanceId: 'process_instance_id',
  processDefinitionId: 'process_definition_id', configuration: 'configuration', tenantId: 'tenant_id',
} as const;

export interface JobQuery extends Page, Sorting<keyof typeof JOB_SORT> {
  readonly jobId?: string;
  readonly processInstanceId?: string;
  readonly executionId?: string;
  readonly processDefinitionId?: string;
  readonly processDefinitionKey?: string;
  readonly activityId?: string;
  /** timers (timer events and timer start events) or asynchronous continuations */
  readonly timers?: boolean;
  readonly messages?: boolean;
  readonly dueBefore?: Date;
  readonly dueAfter?: Date;
  /** due now or without a due date */
  readonly executable?: boolean;
  readonly withRetriesLeft?: boolean;
  readonly noRetriesLeft?: boolean;
  readonly withException?: boolean;
  readonly locked?: boolean;
  readonly tenantIdIn?: readonly string[];
}

/** The engine's sort keys and Camunda's REST names for them. */
const JOB_SORT = {
  dueDate: 'due_date', createTime: 'create_time', retries: 'retries', priority: 'priority',
  jobId: 'id', executionId: 'execution_id', processInstanceId: 'process_instance_id', processDefinitionId: 'process_definition_id',
  processDefinitionKey: 'process_definition_key', jobRetries: 'retries', jobDueDate: 'due_date', jobPriority: 'priority', tenantId: 'tenant_id',
} as const;

/** Operations' view of the engine: incidents and jobs, and the levers to repair them. */
export class ManagementService extends ServiceBase {
  listIncidents(query: IncidentQuery = {}): Promise<IncidentEntity[]> {
    const filter = incidentFilter(query);
    return this.query((s) => s.select(INCIDENT, filter.where, filter.bindings, orderAndPage(query, INCIDENT_SORT, 'createTime', query)));
  }

  countIncidents(query: IncidentQuery = {}): Promise<number> {
    const filter = incidentFilter(query);
    return this.query((s) => s.count({ name: 'incident' }, filter.where, filter.bindings));
  }

  async getIncident(incidentId: string): Promise<IncidentEntity> {
    const incident = await this.query((s) => s.findById(INCIDENT, incidentId));
    if (!incident) throw new NotFoundError(`Incident '${incidentId}' does not exist`);
    return incident;
  }

  async getJob(jobId: string): Promise<JobEntity> {
    const job = await this.query((s) => s.findById(JOB, jobId));
    if (!job) throw new NotFoundError(`Job '${jobId}' does not exist`);
    return job;
  }

  listJobs(query: JobQuery = {}): Promise<JobEntity[]> {
    const filter = this.jobFilter(query);
    return this.query((s) => s.select(JOB, filter.where, filter.bindings, orderAndPage(query, JOB_SORT, 'dueDate', query)));
  }

  countJobs(query: JobQuery = {}): Promise<number> {
    const filter = this.jobFilter(query);
    return this.query((s) => s.count({ name: 'job' }, filter.where, filter.bindings));
  }

  /**
   * Runs a job now, whoever holds it and whatever its due date, and answers when it is done. A
   * failure costs a retry (an incident at zero), as when the job executor runs it, and is thrown.
   */
  async executeJob(jobId: string): Promise<void> {
    try {
      await this.run(new ExecuteJobCmd(jobId, null));
    } catch (error) {
      if (error instanceof Error && !(error instanceof OptimisticLockingError)) await this.run(new JobFailedCmd(jobId, null, error));
      throw error;
    }
  }

  /** New retries for a job; a failed job's incident is resolved and the job runs again when due. */
  setJobRetries(jobId: string, retries: number): Promise<void> {
    return this.run(new SetJobRetriesCmd(jobId, retries));
  }

  private jobFilter(query: JobQuery): Filter {
    const now = formatTimestamp(this.clock.now());
    const filter = new Filter()
      .equals('id', query.jobId)
      .equals('process_instance_id', query.processInstanceId)
      .equals('execution_id', query.executionId)
      .equals('process_definition_id', query.processDefinitionId)
      .equals('process_definition_key', query.processDefinitionKey)
      .equals('activity_id', query.activityId)
      .compare('due_date', '<', query.dueBefore)
      .compare('due_date', '>', query.dueAfter)
      .in('tenant_id', query.tenantIdIn);
    if (query.timers) filter.raw("handler_type IN ('timer', 'timer-start')");
    if (query.messages) filter.raw("handler_type = 'async-continuation'");
    if (query.executable) filter.raw('retries > 0 AND (due_date IS NULL OR due_date <= ?)', now);
    if (query.withRetriesLeft) filter.raw('retries > 0');
    if (query.noRetriesLeft) filter.raw('retries = 0');
    if (query.withException) filter.raw('exception_message IS NOT NULL');
    if (query.locked !== undefined) filter.raw(query.locked ? 'lock_expiration_time >= ?' : '(lock_expiration_time IS NULL OR lock_expiration_time < ?)', now);
    return filter;
  }
}

function incidentFilter(query: IncidentQuery): Filter {
  return new Filter()
    .equals('id', query.incidentId)
    .equals('process_instance_id', query.processInstanceId)
    .equals('process_definition_id', query.processDefinitionId)
    .equals('execution_id', query.executionId)
    .equals('incident_type', query.incidentType)
    .equals('activity_id', query.activityId)
    .equals('configuration', query.configuration)
    .in('tenant_id', query.tenantIdIn);
}
