/**
 * The server calls of monitoring: Camunda's /engine-rest for definitions, instances, activity
 * instances, history, incidents and jobs; the platform's /api for the case timeline and the audit log.
 */
import { http } from './http.js';

export interface Page<T> {
  items: T[];
  total: number;
}

export interface PageQuery {
  firstResult: number;
  maxResults: number;
}

export interface ProcessDefinition {
  id: string;
  key: string;
  name: string | null;
  version: number;
  deploymentId: string;
  tenantId: string | null;
  versionTag: string | null;
  suspended: boolean;
}

/** A definition with the number of its instances still running. */
export interface DefinitionRow extends ProcessDefinition {
  running: number;
}

type Filter = Record<string, string | number | boolean | undefined>;

async function paged<T>(path: string, filter: Filter, page: PageQuery & { sortBy?: string; sortOrder?: 'asc' | 'desc' }): Promise<Page<T>> {
  const [items, count] = await Promise.all([
    http.get<T[]>(path, { ...filter, ...page }),
    http.get<{ count: number }>(`${path}/count`, filter),
  ]);
  return { items, total: count.count };
}

export function runningCount(processDefinitionId: string): Promise<number> {
  return http.get<{ count: number }>('/engine-rest/process-instance/count', { processDefinitionId }).then((answer) => answer.count);
}

async function withRunning(definitions: ProcessDefinition[]): Promise<DefinitionRow[]> {
  const counts = await Promise.all(definitions.map((definition) => runningCount(definition.id)));
  return definitions.map((definition, index) => ({ ...definition, running: counts[index] ?? 0 }));
}

/** The latest version of each process, with its running instances. */
export async function listLatestDefinitions(query: PageQuery & { nameLike?: string }): Promise<Page<DefinitionRow>> {
  const filter: Filter = { latestVersion: true, nameLike: query.nameLike ? `%${query.nameLike}%` : undefined };
  const page = await paged<ProcessDefinition>('/engine-rest/process-definition', filter, { firstResult: query.firstResult, maxResults: query.maxResults, sortBy: 'key', sortOrder: 'asc' });
  return { items: await withRunning(page.items), total: page.total };
}

/** Every version of a process key, newest first, with running instances. */
export async function listVersions(key: string, tenantId: string | null): Promise<DefinitionRow[]> {
  const definitions = await http.get<ProcessDefinition[]>('/engine-rest/process-definition', {
    key, tenantIdIn: tenantId ?? undefined, sortBy: 'version', sortOrder: 'desc', firstResult: 0, maxResults: 200,
  });
  return withRunning(definitions);
}

export function getDefinition(id: string): Promise<ProcessDefinition> {
  return http.get<ProcessDefinition>(`/engine-rest/process-definition/${encodeURIComponent(id)}`);
}

export async function getDefinitionXml(id: string): Promise<string> {
  return (await http.get<{ bpmn20Xml: string }>(`/engine-rest/process-definition/${encodeURIComponent(id)}/xml`)).bpmn20Xml;
}

export interface HistoricInstance {
  id: string;
  processDefinitionId: string;
  processDefinitionKey: string;
  processDefinitionName: string | null;
  processDefinitionVersion: number | null;
  businessKey: string | null;
  startTime: string;
  endTime: string | null;
  durationInMillis: number | null;
  startUserId: string | null;
  deleteReason: string | null;
  tenantId: string | null;
  state: string;
}

export interface InstanceQuery extends PageQuery {
  processDefinitionId?: string;
  processDefinitionKey?: string;
  businessKeyLike?: string;
  /** running, finished, or both when absent */
  status?: 'running' | 'finished';
}

/** Instances (running and finished) from history, newest first: history keeps their start time, definition and state. */
export function listInstances(query: InstanceQuery): Promise<Page<HistoricInstance>> {
  const filter: Filter = {
    processDefinitionId: query.processDefinitionId || undefined,
    processDefinitionKey: query.processDefinitionKey || undefined,
    processInstanceBusinessKeyLike: query.businessKeyLike ? `%${query.businessKeyLike}%` : undefined,
    unfinished: query.status === 'running' ? true : undefined,
    finished: query.status === 'finished' ? true : undefined,
  };
  return paged<HistoricInstance>('/engine-rest/history/process-instance', filter, { firstResult: query.firstResult, maxResults: query.maxResults, sortBy: 'startTime', sortOrder: 'desc' });
}

export function getHistoricInstance(id: string): Promise<HistoricInstance> {
  return http.get<HistoricInstance>(`/engine-rest/history/process-instance/${encodeURIComponent(id)}`);
}

export interface ActivityInstanceTree {
  id: string;
  activityId: string;
  activityType: string;
  activityName: string | null;
  childActivityInstances: ActivityInstanceTree[];
  childTransitionInstances: { id: string; activityId: string; incidentIds: string[] }[];
  incidentIds: string[];
}

export function getActivityTree(processInstanceId: string): Promise<ActivityInstanceTree> {
  return http.get<ActivityInstanceTree>(`/engine-rest/process-instance/${encodeURIComponent(processInstanceId)}/activity-instances`);
}

export interface HistoricActivity {
  id: string;
  activityId: string;
  activityName: string | null;
  activityType: string;
  assignee: string | null;
  startTime: string;
  endTime: string | null;
  canceled: boolean;
}

/** Every activity an instance passed or stands at (history keeps at most a few thousand per case). */
export function listHistoricActivities(processInstanceId: string): Promise<HistoricActivity[]> {
  return http.get<HistoricActivity[]>('/engine-rest/history/activity-instance', { processInstanceId, sortBy: 'startTime', sortOrder: 'asc', firstResult: 0, maxResults: 1000 });
}

export interface Incident {
  id: string;
  processInstanceId: string;
  processDefinitionId: string;
  incidentTimestamp: string;
  incidentType: string;
  activityId: string | null;
  configuration: string | null;
  incidentMessage: string | null;
}

export function listIncidents(processInstanceId: string): Promise<Incident[]> {
  return http.get<Incident[]>('/engine-rest/incident', { processInstanceId, firstResult: 0, maxResults: 200 });
}

export interface TimelineEntry {
  id: string;
  operation: string;
  taskId: string | null;
  activityId: string | null;
  activityName: string | null;
  userId: string | null;
  userName: string | null;
  time: string;
  comment: string | null;
  workingMs: number | null;
  light: string | null;
  files: { id: string; name: string; contentType: string; size: number }[];
}

export function getTimeline(processInstanceId: string): Promise<TimelineEntry[]> {
  return http.get<TimelineEntry[]>(`/api/instances/${encodeURIComponent(processInstanceId)}/timeline`);
}

export interface Job {
  id: string;
  dueDate: string | null;
  processInstanceId: string | null;
  processDefinitionId: string | null;
  processDefinitionKey: string | null;
  retries: number;
  exceptionMessage: string | null;
  failedActivityId: string | null;
  createTime: string;
  tenantId: string | null;
}

export interface JobQuery extends PageQuery {
  processInstanceId?: string;
  processDefinitionKey?: string;
  /** only jobs whose retries are spent (they raised an incident) */
  noRetriesLeft?: boolean;
}

/** Jobs that failed at least once (they hold an exception). */
export function listFailedJobs(query: JobQuery): Promise<Page<Job>> {
  const filter: Filter = {
    withException: true,
    processInstanceId: query.processInstanceId || undefined,
    processDefinitionKey: query.processDefinitionKey || undefined,
    noRetriesLeft: query.noRetriesLeft || undefined,
  };
  return paged<Job>('/engine-rest/job', filter, { firstResult: query.firstResult, maxResults: query.maxResults });
}

export function getJobStacktrace(id: string): Promise<string> {
  return http.text(`/engine-rest/job/${encodeURIComponent(id)}/stacktrace`);
}

/** Gives a job its retries back: the job executor picks it up again. */
export function setJobRetries(id: string, retries: number): Promise<void> {
  return http.put<void>(`/engine-rest/job/${encodeURIComponent(id)}/retries`, { retries });
}

export interface AuditEntry {
  id: string;
  time: string;
  userId: string | null;
  tenantId: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  address: string | null;
  detail: unknown;
}

export interface AuditQuery extends PageQuery {
  userId?: string;
  action?: string;
  objectType?: string;
  objectId?: string;
  /** ISO 8601 with offset */
  from?: string;
  to?: string;
}

export function listAudit(query: AuditQuery): Promise<Page<AuditEntry>> {
  const filter: Filter = {
    userId: query.userId || undefined,
    action: query.action || undefined,
    objectType: query.objectType || undefined,
    objectId: query.objectId || undefined,
    from: query.from || undefined,
    to: query.to || undefined,
  };
  return paged<AuditEntry>('/api/admin/audit-log', filter, { firstResult: query.firstResult, maxResults: query.maxResults });
}
