import { defineTable } from './table.js';

/* Runtime state. Property names map to snake_case columns of the 001-engine-core migration. */

export interface DeploymentEntity {
  id: string;
  name: string | null;
  source: string | null;
  tenantId: string | null;
  deployTime: Date;
}
export const DEPLOYMENT = defineTable<DeploymentEntity>('deployment', {
  id: 'string', name: 'string', source: 'string', tenantId: 'string', deployTime: 'date',
});

export interface ResourceEntity {
  id: string;
  deploymentId: string;
  name: string;
  content: Buffer;
  tenantId: string | null;
}
export const RESOURCE = defineTable<ResourceEntity>('resource', {
  id: 'string', deploymentId: 'string', name: 'string', content: 'bytes', tenantId: 'string',
});

export interface ProcessDefinitionEntity {
  id: string;
  key: string;
  version: number;
  versionTag: string | null;
  name: string | null;
  category: string | null;
  description: string | null;
  deploymentId: string;
  resourceName: string;
  tenantId: string | null;
  suspended: boolean;
  startable: boolean;
  historyTtl: number | null;
}
export const PROCESS_DEFINITION = defineTable<ProcessDefinitionEntity>('process_definition', {
  id: 'string', key: 'string', version: 'int', versionTag: 'string', name: 'string', category: 'string',
  description: 'string', deploymentId: 'string', resourceName: 'string', tenantId: 'string', suspended: 'bool',
  startable: 'bool', historyTtl: 'int',
}, { key: 'key_' });

/** ACTIVE: running or waiting in an activity; JOINING: arrived at a joining gateway, waiting for the others. */
export type ExecutionState = 'ACTIVE' | 'JOINING';

/**
 * A process instance is a tree of executions: the root (id = process instance id) is the scope of
 * the process; each token is a child of the scope it runs in, at one activity. A token that enters
 * an embedded sub-process becomes the scope of that sub-process's own tokens (`isScope`).
 */
export interface ExecutionEntity {
  id: string;
  rev: number;
  processInstanceId: string;
  parentId: string | null;
  processDefinitionId: string;
  activityId: string | null;
  activityInstanceId: string | null;
  incomingFlowId: string | null;
  businessKey: string | null;
  isScope: boolean;
  state: ExecutionState;
  tenantId: string | null;
  startTime: Date;
  /** on a called instance's root: the call activity's token in the calling instance */
  superExecutionId: string | null;
  /** on an instance's root: the case is parked (挂账), read with the instance instead of a query per new task */
  parked: boolean;
}
export const EXECUTION = defineTable<ExecutionEntity>('execution', {
  id: 'string', rev: 'int', processInstanceId: 'string', parentId: 'string', processDefinitionId: 'string',
  activityId: 'string', activityInstanceId: 'string', incomingFlowId: 'string', businessKey: 'string',
  isScope: 'bool', state: 'string', tenantId: 'string', startTime: 'date', superExecutionId: 'string', parked: 'bool',
});

export interface FormRef {
  key: string;
  binding: 'latest' | 'deployment' | 'version';
  version: number | null;
}

export interface TaskEntity {
  id: string;
  rev: number;
  name: string | null;
  description: string | null;
  assignee: string | null;
  owner: string | null;
  delegationState: 'PENDING' | 'RESOLVED' | null;
  priority: number;
  dueDate: Date | null;
  followUpDate: Date | null;
  createTime: Date;
  lastUpdated: Date | null;
  executionId: string;
  processInstanceId: string;
  processDefinitionId: string;
  /** its case's business key (案件编号), copied at creation so the inbox searches it in the task row */
  businessKey: string | null;
  /** what the inbox's 待办 and 待认领 searches test, in their index: always `taskSearchText(businessKey, name)` */
  searchText: string;
  taskDefinitionKey: string;
  activityInstanceId: string;
  formKey: string | null;
  formRef: FormRef | null;
  tenantId: string | null;
  suspended: boolean;
  /** the assignment strategy found nobody and the task went to the fallback handler: shown flagged, never orphaned */
  assignmentFallback: boolean;
  /** 加签: the task this added signer's task belongs to; such a task moves no token */
  parentTaskId: string | null;
  /** an added signer's task: before | after; the task waiting for its signers: waiting-before | waiting-after */
  signState: SignState | null;
  /** the task whose completion created this one (what 撤回 takes back) */
  previousTaskId: string | null;
  /** 退回 with direct resubmission: completing this task goes straight back to the task that returned it */
  returnTo: ReturnTarget | null;
  /** working milliseconds the task's time limit allows; null: no limit */
  timeLimitMs: number | null;
  /** when the light turns yellow (the time limit's warn ratio): the inbox filters lights on it and dueDate */
  warnDate: Date | null;
  /** when its case was parked (挂账): the clock stands still from then */
  parkedAt: Date | null;
  /** working milliseconds its case was parked before `parkedAt` (earlier parkings): the clock leaves them out */
  parkedMs: number;
  /** when the assignee first opened it: from then on it cannot be withdrawn */
  openedAt: Date | null;
  urgeCount: number;
}
export type SignState = 'before' | 'after' | 'waiting-before' | 'waiting-after';
/** Where a returned task's completion goes back to, and to whom. */
export interface ReturnTarget {
  readonly activityId: string;
  readonly userId: string | null;
}
export const TASK = defineTable<TaskEntity>('task', {
  id: 'string', rev: 'int', name: 'string', description: 'string', assignee: 'string', owner: 'string',
  delegationState: 'string', priority: 'int', dueDate: 'date', followUpDate: 'date', createTime: 'date',
  lastUpdated: 'date', executionId: 'string', processInstanceId: 'string', processDefinitionId: 'string', businessKey: 'string',
  searchText: 'string', taskDefinitionKey: 'string', activityInstanceId: 'string', formKey: 'string', formRef: 'json',
  tenantId: 'string', suspended: 'bool', assignmentFallback: 'bool', parentTaskId: 'string', signState: 'string',
  previousTaskId: 'string', returnTo: 'json', timeLimitMs: 'int', warnDate: 'date', parkedAt: 'date', parkedMs: 'int', openedAt: 'date', urgeCount: 'int',
});

/** The length of `task.search_text` (migration 020): it keeps the inbox index within InnoDB's 3,072-byte key. */
const TASK_SEARCH_TEXT_LENGTH = 380;

/**
 * A task's search text: its case number, a unit separator (so no text typed into a search box
 * matches across the two), its name; cut to the column's length, which holds a case number of up
 * to 124 characters beside any name (255).
 */
export function taskSearchText(businessKey: string | null, name: string | null): string {
  return Array.from(`${businessKey ?? ''}\u001f${name ?? ''}`).slice(0, TASK_SEARCH_TEXT_LENGTH).join('');
}

/** One candidate user or group of an open task: the inbox query joins on this table. */
export interface TaskCandidateEntity {
  id: string;
  taskId: string;
  processInstanceId: string;
  userId: string | null;
  groupId: string | null;
  /** the task's tenant, so a caller's candidate rows are found in their tenants from an index alone */
  tenantId: string | null;
}
export const TASK_CANDIDATE = defineTable<TaskCandidateEntity>('task_candidate', {
  id: 'string', taskId: 'string', processInstanceId: 'string', userId: 'string', groupId: 'string', tenantId: 'string',
});

export interface ExternalTaskEntity {
  id: string;
  rev: number;
  topicName: string;
  workerId: string | null;
  lockExpirationTime: Date | null;
  retries: number | null;
  errorMessage: string | null;
  errorDetails: string | null;
  priority: number;
  /** the execution columns are null on a notification channel's delivery, which belongs to no execution */
  executionId: string | null;
  processInstanceId: string | null;
  processDefinitionId: string | null;
  processDefinitionKey: string | null;
  activityId: string | null;
  activityInstanceId: string | null;
  businessKey: string | null;
  tenantId: string | null;
  createTime: Date;
  suspended: boolean;
  /** set on a notification channel's delivery: the message it carries (notifications/channels.ts) */
  notificationId: string | null;
}
export const EXTERNAL_TASK = defineTable<ExternalTaskEntity>('external_task', {
  id: 'string', rev: 'int', topicName: 'string', workerId: 'string', lockExpirationTime: 'date', retries: 'int',
  errorMessage: 'string', errorDetails: 'string', priority: 'int', executionId: 'string',
  processInstanceId: 'string', processDefinitionId: 'string', processDefinitionKey: 'string',
  activityId: 'string', activityInstanceId: 'string', businessKey: 'string', tenantId: 'string',
  createTime: 'date', suspended: 'bool', notificationId: 'string',
});

/** The stored form of a typed value, shared by runtime variables and their history. */
export interface StoredValue {
  type: string;
  textValue: string | null;
  longValue: number | null;
  doubleValue: number | null;
  bytesValue: Buffer | null;
  valueInfo: Record<string, unknown> | null;
}
const STORED_VALUE_COLUMNS = {
  type: 'string', textValue: 'string', longValue: 'int', doubleValue: 'double', bytesValue: 'bytes', valueInfo: 'json',
} as const;

export interface VariableEntity extends StoredValue {
  id: string;
  rev: number;
  name: string;
  executionId: string;
  processInstanceId: string;
  taskId: string | null;
  tenantId: string | null;
}
export const VARIABLE = defineTable<VariableEntity>('variable', {
  id: 'string', rev: 'int', name: 'string', ...STORED_VALUE_COLUMNS, executionId: 'string',
  processInstanceId: 'string', taskId: 'string', tenantId: 'string',
});

export interface IncidentEntity {
  id: string;
  rev: number;
  incidentType: string;
  message: string;
  activityId: string | null;
  executionId: string | null;
  processInstanceId: string | null;
  processDefinitionId: string | null;
  /** the id of what failed: the external task or the job */
  configuration: string | null;
  createTime: Date;
  tenantId: string | null;
}
export const INCIDENT = defineTable<IncidentEntity>('incident', {
  id: 'string', rev: 'int', incidentType: 'string', message: 'string', activityId: 'string', executionId: 'string',
  processInstanceId: 'string', processDefinitionId: 'string', configuration: 'string', createTime: 'date',
  tenantId: 'string',
});

/**
 * Work the job executor does when it is due: a timer firing, an asynchronous continuation, a
 * timer start event. Locked by one engine process at a time (`lockOwner` until `lockExpirationTime`).
 */
export interface JobEntity {
  id: string;
  rev: number;
  handlerType: JobHandlerType;
  handlerConfig: Record<string, unknown> | null;
  processInstanceId: string | null;
  executionId: string | null;
  processDefinitionId: string | null;
  processDefinitionKey: string | null;
  activityId: string | null;
  dueDate: Date | null;
  /** a timer cycle as evaluated when the timer was created; null for one-off jobs */
  repeat: string | null;
  firedCount: number;
  lockOwner: string | null;
  lockExpirationTime: Date | null;
  retries: number;
  /** camunda:failedJobRetryTimeCycle of the activity, evaluated; null: retry at once */
  retryTimeCycle: string | null;
  exceptionMessage: string | null;
  exceptionStacktrace: string | null;
  /** exclusive jobs of one process instance never run at the same time */
  exclusive: boolean;
  priority: number;
  suspended: boolean;
  tenantId: string | null;
  createTime: Date;
}
/** task-deadline: a user task's time limit is approaching or has passed (tasks/deadlines.ts) */
export type JobHandlerType = 'timer' | 'timer-start' | 'async-continuation' | 'task-deadline';
export const JOB = defineTable<JobEntity>('job', {
  id: 'string', rev: 'int', handlerType: 'string', handlerConfig: 'json', processInstanceId: 'string',
  executionId: 'string', processDefinitionId: 'string', processDefinitionKey: 'string', activityId: 'string',
  dueDate: 'date', repeat: 'string', firedCount: 'int', lockOwner: 'string', lockExpirationTime: 'date',
  retries: 'int', retryTimeCycle: 'string', exceptionMessage: 'string', exceptionStacktrace: 'string',
  exclusive: 'bool', priority: 'int', suspended: 'bool', tenantId: 'string', createTime: 'date',
}, { repeat: 'repeat_', exclusive: 'exclusive_' });

/**
 * A token (or, for start events, a process definition) waiting for a message or a signal by name.
 * `activityId` is the catching event: a catch event, a boundary event, a receive task, an event
 * after an event-based gateway, or a start event (then `executionId` is null).
 */
export interface EventSubscriptionEntity {
  id: string;
  rev: number;
  eventType: 'message' | 'signal';
  eventName: string;
  executionId: string | null;
  processInstanceId: string | null;
  processDefinitionId: string | null;
  activityId: string;
  tenantId: string | null;
  createTime: Date;
}
export const EVENT_SUBSCRIPTION = defineTable<EventSubscriptionEntity>('event_subscription', {
  id: 'string', rev: 'int', eventType: 'string', eventName: 'string', executionId: 'string',
  processInstanceId: 'string', processDefinitionId: 'string', activityId: 'string', tenantId: 'string',
  createTime: 'date',
});

/* History. */

export type ProcessInstanceState = 'ACTIVE' | 'COMPLETED' | 'EXTERNALLY_TERMINATED' | 'INTERNALLY_TERMINATED';

export interface HistoricProcessInstanceEntity {
  id: string;
  processDefinitionId: string;
  processDefinitionKey: string;
  businessKey: string | null;
  startTime: Date;
  endTime: Date | null;
  durationMs: number | null;
  startUserId: string | null;
  startActivityId: string | null;
  endActivityId: string | null;
  state: ProcessInstanceState;
  deleteReason: string | null;
  tenantId: string | null;
  superProcessInstanceId: string | null;
  /** the initiator's primary department when the instance started: what department data scopes filter on */
  startDepartmentId: string | null;
}
export const HI_PROCESS_INSTANCE = defineTable<HistoricProcessInstanceEntity>('hi_process_instance', {
  id: 'string', processDefinitionId: 'string', processDefinitionKey: 'string', businessKey: 'string',
  startTime: 'date', endTime: 'date', durationMs: 'int', startUserId: 'string', startActivityId: 'string',
  endActivityId: 'string', state: 'string', deleteReason: 'string', tenantId: 'string', superProcessInstanceId: 'string',
  startDepartmentId: 'string',
});

export interface HistoricActivityInstanceEntity {
  id: string;
  parentActivityInstanceId: string | null;
  activityId: string;
  activityName: string | null;
  activityType: string;
  processInstanceId: string;
  processDefinitionId: string;
  executionId: string;
  taskId: string | null;
  assignee: string | null;
  startTime: Date;
  endTime: Date | null;
  durationMs: number | null;
  canceled: boolean;
  /** orders activity instances that start within the same millisecond */
  sequenceCounter: number;
  tenantId: string | null;
  calledProcessInstanceId: string | null;
}
export const HI_ACTIVITY_INSTANCE = defineTable<HistoricActivityInstanceEntity>('hi_activity_instance', {
  id: 'string', parentActivityInstanceId: 'string', activityId: 'string', activityName: 'string',
  activityType: 'string', processInstanceId: 'string', processDefinitionId: 'string', executionId: 'string',
  taskId: 'string', assignee: 'string', startTime: 'date', endTime: 'date', durationMs: 'int', canceled: 'bool',
  sequenceCounter: 'int', tenantId: 'string', calledProcessInstanceId: 'string',
});

export interface HistoricTaskEntity {
  id: string;
  name: string | null;
  description: string | null;
  assignee: string | null;
  owner: string | null;
  priority: number;
  dueDate: Date | null;
  followUpDate: Date | null;
  startTime: Date;
  endTime: Date | null;
  durationMs: number | null;
  deleteReason: string | null;
  taskDefinitionKey: string;
  executionId: string;
  processInstanceId: string;
  processDefinitionId: string;
  activityInstanceId: string;
  tenantId: string | null;
  parentTaskId: string | null;
  /** an added signer's task: before | after (加签) */
  signState: SignState | null;
  timeLimitMs: number | null;
  /** the task whose completion created this one: 撤回 finds everything a completion started, done or not */
  previousTaskId: string | null;
}
export const HI_TASK = defineTable<HistoricTaskEntity>('hi_task', {
  id: 'string', name: 'string', description: 'string', assignee: 'string', owner: 'string', priority: 'int',
  dueDate: 'date', followUpDate: 'date', startTime: 'date', endTime: 'date', durationMs: 'int',
  deleteReason: 'string', taskDefinitionKey: 'string', executionId: 'string', processInstanceId: 'string',
  processDefinitionId: 'string', activityInstanceId: 'string', tenantId: 'string', parentTaskId: 'string', signState: 'string', timeLimitMs: 'int',
  previousTaskId: 'string',
});

export interface HistoricVariableEntity extends StoredValue {
  id: string;
  name: string;
  state: 'CREATED' | 'DELETED';
  processInstanceId: string;
  executionId: string;
  taskId: string | null;
  createTime: Date;
  tenantId: string | null;
}
export const HI_VARIABLE = defineTable<HistoricVariableEntity>('hi_variable', {
  id: 'string', name: 'string', ...STORED_VALUE_COLUMNS, state: 'string', processInstanceId: 'string',
  executionId: 'string', taskId: 'string', createTime: 'date', tenantId: 'string',
});

export interface HistoricVariableUpdateEntity extends StoredValue {
  id: string;
  variableId: string;
  name: string;
  revision: number;
  processInstanceId: string;
  executionId: string;
  taskId: string | null;
  activityInstanceId: string | null;
  time: Date;
  tenantId: string | null;
}
export const HI_VARIABLE_UPDATE = defineTable<HistoricVariableUpdateEntity>('hi_variable_update', {
  id: 'string', variableId: 'string', name: 'string', ...STORED_VALUE_COLUMNS, revision: 'int',
  processInstanceId: 'string', executionId: 'string', taskId: 'string', activityInstanceId: 'string',
  time: 'date', tenantId: 'string',
});

export interface OperationLogEntity {
  id: string;
  operationId: string;
  operationType: string;
  entityType: string;
  userId: string | null;
  timestamp: Date;
  deploymentId: string | null;
  processDefinitionId: string | null;
  processDefinitionKey: string | null;
  processInstanceId: string | null;
  taskId: string | null;
  externalTaskId: string | null;
  property: string | null;
  orgValue: string | null;
  newValue: string | null;
  tenantId: string | null;
}
export const HI_OPERATION_LOG = defineTable<OperationLogEntity>('hi_operation_log', {
  id: 'string', operationId: 'string', operationType: 'string', entityType: 'string', userId: 'string',
  timestamp: 'date', deploymentId: 'string', processDefinitionId: 'string', processDefinitionKey: 'string',
  processInstanceId: 'string', taskId: 'string', externalTaskId: 'string', property: 'string',
  orgValue: 'string', newValue: 'string', tenantId: 'string',
});

/* Access. */

/** An API token for `/engine-rest` (`Authorization: Bearer`); only its SHA-256 is stored. */
export interface ApiTokenEntity {
  id: string;
  name: string;
  userId: string;
  tokenHash: string;
  created: Date;
  expires: Date | null;
  lastUsed: Date | null;
  /** the tenant the key acts in; null for keys of the platform's root administrator */
  tenantId: string | null;
  /** the permissions the key carries (a subset of its user's), or null for all of the user's */
  permissions: string[] | null;
}
export const API_TOKEN = defineTable<ApiTokenEntity>('api_token', {
  id: 'string', name: 'string', userId: 'string', tokenHash: 'string', created: 'date', expires: 'date', lastUsed: 'date',
  tenantId: 'string', permissions: 'json',
});

/* Identity and access (migration 005). */

export type TenantLevel = 'national' | 'regional' | 'city' | 'county';

/** A platform at one administrative level; its id is its GB/T 2260 region code. */
export interface TenantEntity {
  id: string;
  rev: number;
  name: string;
  level: TenantLevel;
  regionCode: string;
  parentId: string | null;
  /** `/100000/450000/450200/`: the ids from the root down to this tenant */
  path: string;
  enabled: boolean;
  created: Date;
}
export const TENANT = defineTable<TenantEntity>('tenant', {
  id: 'string', rev: 'int', name: 'string', level: 'string', regionCode: 'string', parentId: 'string', path: 'string',
  enabled: 'bool', created: 'date',
});

export interface DepartmentEntity {
  id: string;
  rev: number;
  tenantId: string;
  parentId: string | null;
  /** unique in the tenant; what BPMN assignments name (`dept:cgj`) */
  code: string;
  name: string;
  leaderUserId: string | null;
  /** `/a/b/c/`: the department ids from the tenant's top department down to this one */
  path: string;
  sortOrder: number;
  created: Date;
}
export const DEPARTMENT = defineTable<DepartmentEntity>('department', {
  id: 'string', rev: 'int', tenantId: 'string', parentId: 'string', code: 'string', name: 'string', leaderUserId: 'string',
  path: 'string', sortOrder: 'int', created: 'date',
});

/** A post (岗位) such as 网格监督员 or 科长; users hold posts, BPMN assigns by them (`post:code`). */
export interface PostEntity {
  id: string;
  rev: number;
  tenantId: string;
  code: string;
  name: string;
  created: Date;
}
export const POST = defineTable<PostEntity>('post', {
  id: 'string', rev: 'int', tenantId: 'string', code: 'string', name: 'string', created: 'date',
});

/** A person who signs in. The id is the login name, unique across the platform. */
export interface UserEntity {
  id: string;
  rev: number;
  tenantId: string;
  displayName: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  /** argon2id, PHC string; null until a password is set */
  passwordHash: string | null;
  passwordChanged: Date | null;
  mustChangePassword: boolean;
  failedLogins: number;
  lockedUntil: Date | null;
  enabled: boolean;
  created: Date;
}
export const USER = defineTable<UserEntity>('app_user', {
  id: 'string', rev: 'int', tenantId: 'string', displayName: 'string', firstName: 'string', lastName: 'string',
  email: 'string', phone: 'string', passwordHash: 'string', passwordChanged: 'date', mustChangePassword: 'bool',
  failedLogins: 'int', lockedUntil: 'date', enabled: 'bool', created: 'date',
});

export interface UserDepartmentEntity {
  id: string;
  userId: string;
  departmentId: string;
  tenantId: string;
  /** the department a user acts for by default (the initiator's department of the instances they start) */
  primary: boolean;
}
export const USER_DEPARTMENT = defineTable<UserDepartmentEntity>(
  'user_department',
  { id: 'string', userId: 'string', departmentId: 'string', tenantId: 'string', primary: 'bool' },
  { primary: 'primary_' },
);

export interface UserPostEntity {
  id: string;
  userId: string;
  postId: string;
  tenantId: string;
}
export const USER_POST = defineTable<UserPostEntity>('user_post', { id: 'string', userId: 'string', postId: 'string', tenantId: 'string' });

/** all | department and below | own department | self | chosen departments (role_department) */
export type DataScopeKind = 'all' | 'department-and-below' | 'department' | 'self' | 'chosen-departments';

export interface RoleEntity {
  id: string;
  rev: number;
  tenantId: string;
  code: string;
  name: string;
  dataScope: DataScopeKind;
  /** holders see the rows of the tenant's descendants too (上下级) */
  seesDescendants: boolean;
  created: Date;
}
export const ROLE = defineTable<RoleEntity>('role', {
  id: 'string', rev: 'int', tenantId: 'string', code: 'string', name: 'string', dataScope: 'string', seesDescendants: 'bool',
  created: 'date',
});

export interface RolePermissionEntity {
  id: string;
  roleId: string;
  permission: string;
}
export const ROLE_PERMISSION = defineTable<RolePermissionEntity>('role_permission', { id: 'string', roleId: 'string', permission: 'string' });

/** A department of a role whose data scope is `chosen-departments`. */
export interface RoleDepartmentEntity {
  id: string;
  roleId: string;
  departmentId: string;
}
export const ROLE_DEPARTMENT = defineTable<RoleDepartmentEntity>('role_department', { id: 'string', roleId: 'string', departmentId: 'string' });

export interface UserRoleEntity {
  id: string;
  userId: string;
  roleId: string;
  tenantId: string;
}
export const USER_ROLE = defineTable<UserRoleEntity>('user_role', { id: 'string', userId: 'string', roleId: 'string', tenantId: 'string' });

/** An ad-hoc set of users for candidate lists (`group:code`). */
export interface UserGroupEntity {
  id: string;
  rev: number;
  tenantId: string;
  code: string;
  name: string;
  created: Date;
}
export const USER_GROUP = defineTable<UserGroupEntity>('user_group', {
  id: 'string', rev: 'int', tenantId: 'string', code: 'string', name: 'string', created: 'date',
});

export interface GroupMemberEntity {
  id: string;
  groupId: string;
  userId: string;
}
export const GROUP_MEMBER = defineTable<GroupMemberEntity>('group_member', { id: 'string', groupId: 'string', userId: 'string' });

/** A permission string of the catalogue: a menu entry or an action; roles may grant only these. */
export interface PermissionEntity {
  id: string;
  kind: 'menu' | 'action';
  nameZh: string;
  nameEn: string;
  /** `core`, or the plugin that contributed it */
  source: string;
}
export const PERMISSION = defineTable<PermissionEntity>('permission', {
  id: 'string', kind: 'string', nameZh: 'string', nameEn: 'string', source: 'string',
});

/** A signed-in session: a short-lived access token and its refresh token, both stored as SHA-256. */
export interface AuthSessionEntity {
  id: string;
  userId: string;
  accessHash: string;
  accessExpires: Date;
  refreshHash: string;
  refreshExpires: Date;
  created: Date;
  address: string | null;
  revoked: Date | null;
}
export const AUTH_SESSION = defineTable<AuthSessionEntity>('auth_session', {
  id: 'string', userId: 'string', accessHash: 'string', accessExpires: 'date', refreshHash: 'string', refreshExpires: 'date',
  created: 'date', address: 'string', revoked: 'date',
});

/** One change made by a person or client: append-only (the database refuses updates and deletes). */
export interface AuditLogEntity {
  id: string;
  time: Date;
  userId: string | null;
  tenantId: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  address: string | null;
  detail: unknown;
}
export const AUDIT_LOG = defineTable<AuditLogEntity>('audit_log', {
  id: 'string', time: 'date', userId: 'string', tenantId: 'string', action: 'string', objectType: 'string', objectId: 'string',
  address: 'string', detail: 'json',
});

/* Forms (migration 006). */

/** One version of a form-js form of a tenant (or shared, without one); versions count per tenant and key. */
export interface FormDefinitionEntity {
  id: string;
  rev: number;
  tenantId: string | null;
  /** the form-js `id` */
  key: string;
  version: number;
  name: string | null;
  /** the form-js JSON */
  content: string;
  /** SHA-256 of the content, hex */
  contentHash: string;
  /** the deployment that brought this version; null when it was saved through /api/forms */
  deploymentId: string | null;
  created: Date;
  createdBy: string | null;
}
export const FORM_DEFINITION = defineTable<FormDefinitionEntity>('form_definition', {
  id: 'string', rev: 'int', tenantId: 'string', key: 'string', version: 'int', name: 'string', content: 'string',
  contentHash: 'string', deploymentId: 'string', created: 'date', createdBy: 'string',
}, { key: 'key_' });

/** The form version a start event or user task of a process definition shows, fixed when the definition was deployed. */
export interface ProcessFormEntity {
  id: string;
  processDefinitionId: string;
  activityId: string;
  formDefinitionId: string;
}
export const PROCESS_FORM = defineTable<ProcessFormEntity>('process_form', {
  id: 'string', processDefinitionId: 'string', activityId: 'string', formDefinitionId: 'string',
});

/** The last number a `yw-serial` rule handed out in a tenant on a day. */
export interface SerialSequenceEntity {
  id: string;
  rev: number;
  tenantId: string | null;
  rule: string;
  /** yyyyMMdd in the engine's time zone */
  day: string;
  value: number;
}
export const SERIAL_SEQUENCE = defineTable<SerialSequenceEntity>('serial_sequence', {
  id: 'string', rev: 'int', tenantId: 'string', rule: 'string', day: 'string', value: 'int',
});

/* Files and dictionaries (migration 007). */

export type FileStorageKind = 'database' | 'disk';

/** An uploaded file's description; its content is in `stored_file_chunk` or on disk at `path`. */
export interface StoredFileEntity {
  id: string;
  tenantId: string;
  name: string;
  /** recognised from the content */
  contentType: string;
  size: number;
  /** hex */
  sha256: string;
  storage: FileStorageKind;
  /** relative to the file directory, for files on disk */
  path: string | null;
  /** WebP, at most 320 px; images only */
  thumbnail: Buffer | null;
  created: Date;
  createdBy: string | null;
}
export const STORED_FILE = defineTable<StoredFileEntity>('stored_file', {
  id: 'string', tenantId: 'string', name: 'string', contentType: 'string', size: 'int', sha256: 'string', storage: 'string',
  path: 'string', thumbnail: 'bytes', created: 'date', createdBy: 'string',
});

/** One piece of the content of a file stored in the database, in order of `seq` from 0. */
export interface StoredFileChunkEntity {
  id: string;
  fileId: string;
  tenantId: string;
  seq: number;
  data: Buffer;
}
export const STORED_FILE_CHUNK = defineTable<StoredFileChunkEntity>('stored_file_chunk', {
  id: 'string', fileId: 'string', tenantId: 'string', seq: 'int', data: 'bytes',
});

/** What a tenant accepts as uploads; tenants without a row take the platform's defaults. */
export interface TenantFilePolicyEntity {
  id: string;
  rev: number;
  tenantId: string;
  /** bytes */
  maxSize: number;
  /** MIME types */
  allowedTypes: string[];
  updated: Date;
  updatedBy: string | null;
}
export const TENANT_FILE_POLICY = defineTable<TenantFilePolicyEntity>('tenant_file_policy', {
  id: 'string', rev: 'int', tenantId: 'string', maxSize: 'int', allowedTypes: 'json', updated: 'date', updatedBy: 'string',
});

/** A list of codes with labels (case categories, regions); shared by every tenant when it has no tenant. */
export interface DictionaryEntity {
  id: string;
  rev: number;
  tenantId: string | null;
  /** unique per tenant (and among the shared ones); what forms name */
  code: string;
  name: string;
  description: string | null;
  /** items may have parents */
  hierarchical: boolean;
}
export const DICTIONARY = defineTable<DictionaryEntity>('dictionary', {
  id: 'string', rev: 'int', tenantId: 'string', code: 'string', name: 'string', description: 'string', hierarchical: 'bool',
});

export interface DictionaryItemEntity {
  id: string;
  rev: number;
  dictionaryId: string;
  /** the dictionary's */
  tenantId: string | null;
  /** unique in the dictionary; what a form value holds */
  code: string;
  label: string;
  labelEn: string | null;
  /** an item of the same dictionary */
  parentId: string | null;
  sortOrder: number;
  enabled: boolean;
  extra: Record<string, unknown> | null;
}
export const DICTIONARY_ITEM = defineTable<DictionaryItemEntity>('dictionary_item', {
  id: 'string', rev: 'int', dictionaryId: 'string', tenantId: 'string', code: 'string', label: 'string', labelEn: 'string',
  parentId: 'string', sortOrder: 'int', enabled: 'bool', extra: 'json',
});

/** A tenant's working calendar (null tenant: the platform default): the weekly rule and its working hours. */
export interface WorkCalendarEntity {
  id: string;
  rev: number;
  tenantId: string | null;
  name: string;
  timeZone: string;
  /** ISO weekdays, 1 = Monday */
  workDays: number[];
  /** local [start, end] times, "HH:mm" */
  workHours: [string, string][];
  updated: Date;
  updatedBy: string | null;
}
export const WORK_CALENDAR = defineTable<WorkCalendarEntity>('work_calendar', {
  id: 'string', rev: 'int', tenantId: 'string', name: 'string', timeZone: 'string', workDays: 'json', workHours: 'json',
  updated: 'date', updatedBy: 'string',
});

/** A public holiday on a working weekday, or a make-up working day (调休) on a weekend. */
export interface WorkCalendarDayEntity {
  id: string;
  calendarId: string;
  tenantId: string | null;
  /** yyyy-MM-dd in the calendar's zone */
  day: string;
  kind: 'holiday' | 'workday';
  name: string | null;
}
export const WORK_CALENDAR_DAY = defineTable<WorkCalendarDayEntity>('work_calendar_day', {
  id: 'string', calendarId: 'string', tenantId: 'string', day: 'string', kind: 'string', name: 'string',
});

export type StatusLight = 'green' | 'yellow' | 'red';

/** One entry of a case's timeline. */
export interface CaseActionEntity {
  id: string;
  tenantId: string | null;
  processInstanceId: string;
  taskId: string | null;
  activityId: string | null;
  activityName: string | null;
  operation: string;
  /** null: the engine acted */
  userId: string | null;
  target: Record<string, unknown> | null;
  comment: string | null;
  /** stored_file ids */
  attachments: string[] | null;
  time: Date;
  /** orders the entries of one millisecond */
  seq: number;
  workingMs: number | null;
  light: StatusLight | null;
}
export const CASE_ACTION = defineTable<CaseActionEntity>('case_action', {
  id: 'string', tenantId: 'string', processInstanceId: 'string', taskId: 'string', activityId: 'string', activityName: 'string',
  operation: 'string', userId: 'string', target: 'json', comment: 'string', attachments: 'json', time: 'date', seq: 'int', workingMs: 'int',
  light: 'string',
});

/** 抄送: a case copied to one user. */
export interface TaskCopyEntity {
  id: string;
  rev: number;
  tenantId: string | null;
  processInstanceId: string;
  taskId: string | null;
  activityId: string | null;
  activityName: string | null;
  userId: string;
  /** null: a copy node sent it */
  senderId: string | null;
  comment: string | null;
  createTime: Date;
  readTime: Date | null;
}
export const TASK_COPY = defineTable<TaskCopyEntity>('task_copy', {
  id: 'string', rev: 'int', tenantId: 'string', processInstanceId: 'string', taskId: 'string', activityId: 'string',
  activityName: 'string', userId: 'string', senderId: 'string', comment: 'string', createTime: 'date', readTime: 'date',
});

/** A message in a user's message centre. */
export interface NotificationEntity {
  id: string;
  rev: number;
  tenantId: string | null;
  userId: string;
  kind: string;
  title: string;
  body: string | null;
  processInstanceId: string | null;
  taskId: string | null;
  createTime: Date;
  readTime: Date | null;
}
export const NOTIFICATION = defineTable<NotificationEntity>('notification', {
  id: 'string', rev: 'int', tenantId: 'string', userId: 'string', kind: 'string', title: 'string', body: 'string',
  processInstanceId: 'string', taskId: 'string', createTime: 'date', readTime: 'date',
});

/** A delivery channel beyond the message centre, served by a plugin's external-task worker on `topic`. */
export interface NotificationChannelEntity {
  id: string;
  rev: number;
  tenantId: string | null;
  code: string;
  name: string;
  topic: string;
  /** notification kinds sent on it; null: every kind */
  kinds: string[] | null;
  enabled: boolean;
  updated: Date;
  updatedBy: string | null;
}
export const NOTIFICATION_CHANNEL = defineTable<NotificationChannelEntity>('notification_channel', {
  id: 'string', rev: 'int', tenantId: 'string', code: 'string', name: 'string', topic: 'string', kinds: 'json', enabled: 'bool',
  updated: 'date', updatedBy: 'string',
});

export type CaseRequestKind = 'extension' | 'void';
export type CaseRequestState = 'pending' | 'approved' | 'rejected' | 'cancelled';

/** 延期 or 作废, waiting for an approver. */
export interface CaseRequestEntity {
  id: string;
  rev: number;
  tenantId: string | null;
  processInstanceId: string;
  taskId: string | null;
  kind: CaseRequestKind;
  requestedBy: string;
  requestedAt: Date;
  reason: string | null;
  extensionMs: number | null;
  state: CaseRequestState;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionComment: string | null;
  /** `<instance>:<kind>` while pending, null once decided (unique: one waiting request of a kind per case) */
  openKey: string | null;
}
export const CASE_REQUEST = defineTable<CaseRequestEntity>('case_request', {
  id: 'string', rev: 'int', tenantId: 'string', processInstanceId: 'string', taskId: 'string', kind: 'string', requestedBy: 'string',
  requestedAt: 'date', reason: 'string', extensionMs: 'int', state: 'string', decidedBy: 'string', decidedAt: 'date',
  decisionComment: 'string', openKey: 'string',
});

/** 挂账: the instance is parked while this row exists. */
export interface CaseHoldEntity {
  id: string;
  rev: number;
  tenantId: string | null;
  processInstanceId: string;
  parkedAt: Date;
  parkedBy: string | null;
  reason: string | null;
}
export const CASE_HOLD = defineTable<CaseHoldEntity>('case_hold', {
  id: 'string', rev: 'int', tenantId: 'string', processInstanceId: 'string', parkedAt: 'date', parkedBy: 'string', reason: 'string',
});

/** The answer kept for a request carrying an Idempotency-Key, replayed when the same caller retries it. */
export interface IdempotencyKeyEntity {
  id: string;
  tenantId: string | null;
  userId: string;
  requestKey: string;
  request: string;
  status: number;
  response: string | null;
  created: Date;
}
export const IDEMPOTENCY_KEY = defineTable<IdempotencyKeyEntity>('idempotency_key', {
  id: 'string', tenantId: 'string', userId: 'string', requestKey: 'string', request: 'string', status: 'int', response: 'string',
  created: 'date',
});

/** A process saved from the designer before it is deployed: unfinished BPMN XML, one per process id and tenant. */
export interface ProcessDraftEntity {
  id: string;
  rev: number;
  tenantId: string | null;
  /** the process id in the XML */
  key: string;
  name: string | null;
  content: string;
  updated: Date;
  updatedBy: string | null;
}
export const PROCESS_DRAFT = defineTable<ProcessDraftEntity>('process_draft', {
  id: 'string', rev: 'int', tenantId: 'string', key: 'string', name: 'string', content: 'string', updated: 'date', updatedBy: 'string',
}, { key: 'key_' });
