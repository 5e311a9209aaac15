import type { OpenAPIV3 } from 'openapi-types';

type Schema = OpenAPIV3.SchemaObject | OpenAPIV3.ReferenceObject;

/* Schema building blocks. Every DTO field is always present (null when unknown), so objects list all as required. */

const CAMUNDA_DATE_PATTERN = String.raw`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$`;
const text: Schema = { type: 'string', nullable: true };
const requiredText: Schema = { type: 'string' };
const integer: Schema = { type: 'integer', nullable: true };
const requiredInteger: Schema = { type: 'integer' };
const flag: Schema = { type: 'boolean' };
const date: Schema = { type: 'string', nullable: true, pattern: CAMUNDA_DATE_PATTERN, description: "yyyy-MM-dd'T'HH:mm:ss.SSSZ" };
const alwaysNull: Schema = { type: 'string', nullable: true, maxLength: 0, description: 'always null here (case management, removal times and the like are not part of this engine)' };
const ref = (name: string): OpenAPIV3.ReferenceObject => ({ $ref: `#/components/schemas/${name}` });
const arrayOf = (items: Schema): Schema => ({ type: 'array', items });

function object(properties: Record<string, Schema>, description?: string): OpenAPIV3.SchemaObject {
  return { type: 'object', description, properties, required: Object.keys(properties), additionalProperties: false };
}

/** The DTOs, named as in Camunda's own OpenAPI document. */
const SCHEMAS: Record<string, Schema> = {
  ExceptionDto: { type: 'object', properties: { type: requiredText, message: requiredText, code: integer }, required: ['type', 'message'], additionalProperties: false },
  CountResultDto: object({ count: requiredInteger }),
  VersionDto: object({ version: requiredText }),
  LinkDto: object({ method: requiredText, href: requiredText, rel: requiredText }),
  VariableValueDto: {
    type: 'object',
    description: 'A typed value: `type` String, Integer, Long, Double, Boolean, Date, Json, Bytes, File or Null; files travel without content',
    properties: { type: requiredText, value: {}, valueInfo: { type: 'object', nullable: true } },
    required: ['type', 'value'],
  },
  VariableMap: { type: 'object', additionalProperties: ref('VariableValueDto') },
  ProcessDefinitionDto: object({
    id: requiredText, key: requiredText, category: text, description: text, name: text, version: requiredInteger, resource: requiredText,
    deploymentId: requiredText, diagram: text, suspended: flag, tenantId: text, versionTag: text, historyTimeToLive: integer,
    startableInTasklist: flag,
  }),
  DeploymentDto: object({ links: arrayOf(ref('LinkDto')), id: requiredText, name: text, source: text, deploymentTime: date, processApplicationId: alwaysNull, tenantId: text }),
  DeploymentWithDefinitionsDto: object({
    links: arrayOf(ref('LinkDto')), id: requiredText, name: text, source: text, deploymentTime: date, processApplicationId: alwaysNull, tenantId: text,
    deployedProcessDefinitions: { type: 'object', nullable: true, additionalProperties: ref('ProcessDefinitionDto') },
    deployedCaseDefinitions: alwaysNull, deployedDecisionDefinitions: alwaysNull, deployedDecisionRequirementsDefinitions: alwaysNull,
  }),
  DeploymentResourceDto: object({ id: requiredText, name: requiredText, deploymentId: requiredText }),
  ProcessDefinitionDiagramDto: object({ id: requiredText, bpmn20Xml: requiredText }),
  FormDto: object({ key: text, contextPath: alwaysNull, camundaFormRef: { type: 'object', nullable: true } }),
  CamundaFormDto: { type: 'object', description: 'the form version pinned at deploy (form-js JSON) as the caller gets it: fields hidden at this step left out, read-only ones `readonly: true`' },
  FormValidationErrorDto: {
    type: 'object',
    description: 'a form submission that failed validation: every failing field (messages in zh-CN, or en by Accept-Language); nothing was written',
    properties: {
      type: requiredText, message: requiredText,
      errors: arrayOf(object({ field: requiredText, label: text, rule: requiredText, message: requiredText })),
    },
    required: ['type', 'message', 'errors'],
    additionalProperties: false,
  },
  ProcessInstanceDto: object({ links: arrayOf(ref('LinkDto')), id: requiredText, definitionId: requiredText, businessKey: text, caseInstanceId: alwaysNull, ended: flag, suspended: flag, tenantId: text }),
  ProcessInstanceWithVariablesDto: object({
    links: arrayOf(ref('LinkDto')), id: requiredText, definitionId: requiredText, businessKey: text, caseInstanceId: alwaysNull, ended: flag,
    suspended: flag, tenantId: text, variables: ref('VariableMap'),
  }),
  ActivityInstanceDto: object({
    id: requiredText, parentActivityInstanceId: text, activityId: requiredText, activityType: requiredText, activityName: text,
    processInstanceId: requiredText, processDefinitionId: requiredText, childActivityInstances: arrayOf(ref('ActivityInstanceDto')),
    childTransitionInstances: arrayOf(ref('TransitionInstanceDto')), executionIds: arrayOf(requiredText), incidentIds: arrayOf(requiredText),
  }),
  TransitionInstanceDto: object({
    id: requiredText, parentActivityInstanceId: requiredText, activityId: requiredText, activityType: text, activityName: text,
    processInstanceId: requiredText, processDefinitionId: requiredText, executionId: requiredText, targetActivityId: requiredText,
    incidentIds: arrayOf(requiredText),
  }),
  TaskDto: object({
    id: requiredText, name: text, assignee: text, owner: text, created: date, lastUpdated: date, due: date, followUp: date,
    delegationState: { type: 'string', nullable: true, enum: ['PENDING', 'RESOLVED', null] }, description: text, executionId: requiredText,
    parentTaskId: alwaysNull, priority: requiredInteger, processDefinitionId: requiredText, processInstanceId: requiredText,
    taskDefinitionKey: requiredText, caseExecutionId: alwaysNull, caseInstanceId: alwaysNull, caseDefinitionId: alwaysNull, suspended: flag,
    formKey: text, camundaFormRef: { type: 'object', nullable: true }, tenantId: text,
  }),
  ExternalTaskDto: object({
    id: requiredText, topicName: requiredText, workerId: text, lockExpirationTime: date, createTime: date, retries: integer, errorMessage: text,
    suspended: flag, priority: requiredInteger, activityId: requiredText, activityInstanceId: requiredText, executionId: requiredText,
    processInstanceId: requiredText, processDefinitionId: requiredText, processDefinitionKey: requiredText, processDefinitionVersionTag: text,
    tenantId: text, businessKey: text,
  }),
  LockedExternalTaskDto: object({
    id: requiredText, topicName: requiredText, workerId: text, lockExpirationTime: date, createTime: date, retries: integer, errorMessage: text,
    priority: requiredInteger, activityId: requiredText, activityInstanceId: requiredText, executionId: requiredText,
    processInstanceId: requiredText, processDefinitionId: requiredText, processDefinitionKey: requiredText, processDefinitionVersionTag: text,
    tenantId: text, businessKey: text, errorDetails: text, variables: ref('VariableMap'),
    extensionProperties: { type: 'object', additionalProperties: { type: 'string' } },
  }),
  MessageCorrelationResultWithVariableDto: object({
    resultType: { type: 'string', enum: ['Execution', 'ProcessDefinition'] },
    execution: { type: 'object', nullable: true },
    processInstance: { type: 'object', nullable: true },
  }),
  HistoricProcessInstanceDto: object({
    id: requiredText, rootProcessInstanceId: requiredText, superProcessInstanceId: text, superCaseInstanceId: alwaysNull, caseInstanceId: alwaysNull,
    processDefinitionName: text, processDefinitionKey: requiredText, processDefinitionVersion: integer, processDefinitionId: requiredText,
    businessKey: text, startTime: date, endTime: date, removalTime: alwaysNull, durationInMillis: integer, startUserId: text,
    startActivityId: text, deleteReason: text, tenantId: text,
    state: { type: 'string', enum: ['ACTIVE', 'COMPLETED', 'EXTERNALLY_TERMINATED', 'INTERNALLY_TERMINATED'] },
  }),
  HistoricActivityInstanceDto: object({
    id: requiredText, parentActivityInstanceId: text, activityId: requiredText, activityName: text, activityType: requiredText,
    processDefinitionKey: text, processDefinitionId: requiredText, processInstanceId: requiredText, executionId: requiredText, taskId: text,
    assignee: text, calledProcessInstanceId: text, calledCaseInstanceId: alwaysNull, startTime: date, endTime: date, durationInMillis: integer,
    canceled: flag, completeScope: flag, tenantId: text, removalTime: alwaysNull, rootProcessInstanceId: text,
  }),
  HistoricTaskInstanceDto: object({
    id: requiredText, processDefinitionKey: text, processDefinitionId: requiredText, processInstanceId: requiredText, executionId: requiredText,
    caseDefinitionKey: alwaysNull, caseDefinitionId: alwaysNull, caseInstanceId: alwaysNull, caseExecutionId: alwaysNull,
    activityInstanceId: requiredText, name: text, description: text, deleteReason: text, owner: text, assignee: text, startTime: date,
    endTime: date, duration: integer, taskDefinitionKey: requiredText, priority: requiredInteger, due: date, parentTaskId: alwaysNull,
    followUp: date, tenantId: text, removalTime: alwaysNull, rootProcessInstanceId: text,
  }),
  HistoricVariableInstanceDto: object({
    type: requiredText, value: {}, valueInfo: { type: 'object', nullable: true },
    id: requiredText, name: requiredText, processDefinitionKey: text, processDefinitionId: text, processInstanceId: requiredText,
    executionId: requiredText, activityInstanceId: text, caseDefinitionKey: alwaysNull, caseDefinitionId: alwaysNull, caseInstanceId: alwaysNull,
    caseExecutionId: alwaysNull, taskId: text, tenantId: text, errorMessage: alwaysNull, state: { type: 'string', enum: ['CREATED', 'DELETED'] },
    createTime: date, removalTime: alwaysNull, rootProcessInstanceId: text,
  }),
  UserOperationLogEntryDto: object({
    id: requiredText, userId: text, timestamp: date, operationId: requiredText, operationType: requiredText, entityType: requiredText,
    category: alwaysNull, annotation: alwaysNull, property: text, orgValue: text, newValue: text, deploymentId: text, processDefinitionId: text,
    processDefinitionKey: text, processInstanceId: text, executionId: alwaysNull, caseDefinitionId: alwaysNull, caseInstanceId: alwaysNull,
    caseExecutionId: alwaysNull, taskId: text, externalTaskId: text, batchId: alwaysNull, jobId: alwaysNull, jobDefinitionId: alwaysNull,
    removalTime: alwaysNull, rootProcessInstanceId: alwaysNull,
  }),
  IncidentDto: object({
    id: requiredText, processDefinitionId: text, processInstanceId: text, executionId: text, incidentTimestamp: date, incidentType: requiredText,
    activityId: text, failedActivityId: text, causeIncidentId: requiredText, rootCauseIncidentId: requiredText, configuration: text, tenantId: text,
    incidentMessage: text, jobDefinitionId: alwaysNull, annotation: alwaysNull,
  }),
  JobDto: object({
    id: requiredText, jobDefinitionId: alwaysNull, dueDate: date, processInstanceId: text, executionId: text, processDefinitionId: text,
    processDefinitionKey: text, retries: requiredInteger, exceptionMessage: text, failedActivityId: text, suspended: flag,
    priority: requiredInteger, tenantId: text, createTime: date,
  }),
  UserProfileDto: object({ id: requiredText, firstName: requiredText, lastName: requiredText, email: text }),
  GroupDto: object({ id: requiredText, name: text, type: text }),
  TenantDto: object({ id: requiredText, name: text }),
  IdentityServiceGroupInfoDto: object({
    groups: arrayOf(object({ id: requiredText, name: text })),
    groupUsers: arrayOf(object({ id: requiredText, firstName: requiredText, lastName: requiredText, displayName: requiredText })),
  }),
};

/* Parameters. */

type ParameterKind = 'string' | 'integer' | 'boolean' | 'list' | 'date';

function parameter(name: string, kind: ParameterKind, location: 'query' | 'path' = 'query'): OpenAPIV3.ParameterObject {
  const schema: Schema = {
    string: { type: 'string' },
    integer: { type: 'integer' },
    boolean: { type: 'boolean' },
    list: { type: 'string', description: 'comma-separated values' },
    date: { type: 'string', pattern: CAMUNDA_DATE_PATTERN },
  }[kind] as Schema;
  return { name, in: location, required: location === 'path', schema };
}

/** `{ name: kind }` filters of a list, as query parameters. */
type Filters = Record<string, ParameterKind>;

const PAGING: Filters = { firstResult: 'integer', maxResults: 'integer' };
const SORTING: Filters = { sortBy: 'string', sortOrder: 'string' };
const USER_FILTERS: Filters = {
  id: 'string', idIn: 'list', firstName: 'string', firstNameLike: 'string', lastName: 'string', lastNameLike: 'string', email: 'string', emailLike: 'string',
  memberOfGroup: 'string', memberOfTenant: 'string',
};
const GROUP_FILTERS: Filters = { id: 'string', idIn: 'list', name: 'string', nameLike: 'string', type: 'string', member: 'string', memberOfTenant: 'string' };
const TENANT_FILTERS: Filters = { id: 'string', name: 'string', nameLike: 'string', userMember: 'string', groupMember: 'string' };

/* Operations. */

type Answer = Schema | 'empty' | 'text' | 'binary';

interface OperationSpec {
  readonly summary: string;
  readonly tag: string;
  readonly query?: Filters;
  readonly body?: Schema | 'multipart';
  readonly answers: Partial<Record<200 | 204 | 400 | 500, Answer>>;
  /** error statuses besides 401, which every operation has */
  readonly errors?: readonly (400 | 403 | 404 | 409 | 500)[];
}

const ERROR_TEXT: Record<number, string> = {
  400: 'bad parameters, body or variable types',
  401: 'no valid credentials (HTTP Basic or a Bearer API token)',
  403: 'the authenticated user may not do this',
  404: 'the named resource does not exist',
  409: 'a concurrent change won (OptimisticLockingException) or the state forbids it',
  500: 'the job failed; the body carries its exception',
};

function answer(status: number, content: Answer): OpenAPIV3.ResponseObject {
  if (content === 'empty') return { description: 'success, no content' };
  if (content === 'text') return { description: 'success', content: { 'text/plain': { schema: { type: 'string' } } } };
  if (content === 'binary') return { description: 'success: the raw content', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } };
  return { description: status < 400 ? 'success' : ERROR_TEXT[status] ?? 'error', content: { 'application/json': { schema: content } } };
}

function operation(path: string, spec: OperationSpec): OpenAPIV3.OperationObject {
  const pathParameters = [...path.matchAll(/\{(\w+)\}/g)].map((match) => parameter(match[1] as string, 'string', 'path'));
  const queryParameters = Object.entries(spec.query ?? {}).map(([name, kind]) => parameter(name, kind));
  const responses: OpenAPIV3.ResponsesObject = {};
  for (const [status, content] of Object.entries(spec.answers)) responses[status] = answer(Number(status), content as Answer);
  for (const status of [...(spec.errors ?? []), 401]) responses[String(status)] ??= answer(status, ref('ExceptionDto'));
  const body: OpenAPIV3.RequestBodyObject | undefined = spec.body === undefined
    ? undefined
    : spec.body === 'multipart'
      ? { required: true, content: { 'multipart/form-data': { schema: { type: 'object', additionalProperties: { type: 'string', format: 'binary' } } } } }
      : { required: false, content: { 'application/json': { schema: spec.body } } };
  return {
    summary: spec.summary,
    tags: [spec.tag],
    parameters: [...pathParameters, ...queryParameters],
    ...(body ? { requestBody: body } : {}),
    responses,
  };
}

type Routes = Record<string, Partial<Record<'get' | 'post' | 'put' | 'delete', OperationSpec>>>;

/** `GET path` and `GET path/count`, and with `post` their POST twins taking the filters as a JSON body. */
function listRoutes(path: string, tag: string, dto: string, filters: Filters, post: boolean): Routes {
  const filterBody: Schema = { type: 'object', description: 'the filters of the GET form, as JSON (lists as arrays); `sorting: [{ sortBy, sortOrder }]`' };
  const list: OperationSpec = { summary: `list (${dto})`, tag, query: { ...filters, ...PAGING, ...SORTING }, answers: { 200: arrayOf(ref(dto)) }, errors: [400] };
  const count: OperationSpec = { summary: 'count', tag, query: filters, answers: { 200: ref('CountResultDto') }, errors: [400] };
  return {
    [path]: { get: list, ...(post ? { post: { ...list, query: PAGING, body: filterBody } } : {}) },
    [`${path}/count`]: { get: count, ...(post ? { post: { ...count, query: {}, body: filterBody } } : {}) },
  };
}

/** A form submission's 400: bad input, or the failing fields. */
const FORM_REFUSED: Schema = { oneOf: [ref('ExceptionDto'), ref('FormValidationErrorDto')] };
const variables = (field = 'variables'): Schema => ({ type: 'object', properties: { [field]: ref('VariableMap') } });
const workerBody = (extra: Record<string, Schema>): Schema => ({ type: 'object', required: ['workerId'], properties: { workerId: requiredText, ...extra } });
const VARIABLE_MODIFICATIONS: Schema = { type: 'object', properties: { modifications: ref('VariableMap'), deletions: arrayOf(requiredText) } };

function processDefinitionRoutes(prefix: string): Routes {
  const tag = 'Process Definition';
  const start: OperationSpec = {
    summary: 'start an instance', tag, body: { type: 'object', properties: { businessKey: text, variables: ref('VariableMap'), withVariablesInReturn: flag } },
    answers: { 200: { oneOf: [ref('ProcessInstanceDto'), ref('ProcessInstanceWithVariablesDto')] } }, errors: [400, 404, 409],
  };
  return {
    [prefix]: { get: { summary: 'one definition', tag, answers: { 200: ref('ProcessDefinitionDto') }, errors: [404] } },
    [`${prefix}/xml`]: { get: { summary: 'the BPMN XML', tag, answers: { 200: ref('ProcessDefinitionDiagramDto') }, errors: [404] } },
    [`${prefix}/start`]: { post: start },
    [`${prefix}/submit-form`]: { post: { ...start, summary: 'start from the start form, validated against it', body: variables(), answers: { ...start.answers, 400: FORM_REFUSED } } },
    [`${prefix}/startForm`]: { get: { summary: 'the start form key', tag, answers: { 200: ref('FormDto') }, errors: [404] } },
    [`${prefix}/deployed-start-form`]: { get: { summary: 'the deployed start form', tag, answers: { 200: ref('CamundaFormDto') }, errors: [400, 404] } },
  };
}

const HISTORIC_PROCESS_INSTANCE_FILTERS: Filters = {
  processInstanceId: 'string', processInstanceIds: 'list', processDefinitionId: 'string', processDefinitionKey: 'string',
  processDefinitionKeyIn: 'list', processInstanceBusinessKey: 'string', processInstanceBusinessKeyLike: 'string',
  superProcessInstanceId: 'string', startedBy: 'string', startedBefore: 'date', startedAfter: 'date', finishedBefore: 'date',
  finishedAfter: 'date', finished: 'boolean', unfinished: 'boolean', active: 'boolean', completed: 'boolean',
  externallyTerminated: 'boolean', internallyTerminated: 'boolean', tenantIdIn: 'list',
};

/** Every route `/engine-rest` serves; `openapi.test.ts` checks it against the router and the live answers. */
const ROUTES: Routes = {
  '/version': { get: { summary: 'the Camunda version this API answers like', tag: 'Engine', answers: { 200: ref('VersionDto') } } },
  '/openapi.json': { get: { summary: 'this document', tag: 'Engine', answers: { 200: { type: 'object' } } } },
  '/message': {
    post: {
      summary: 'correlate a message', tag: 'Message',
      body: { type: 'object', required: ['messageName'], properties: { messageName: requiredText, businessKey: text, processInstanceId: text, tenantId: text, correlationKeys: ref('VariableMap'), processVariables: ref('VariableMap'), all: flag, resultEnabled: flag } },
      answers: { 200: arrayOf(ref('MessageCorrelationResultWithVariableDto')), 204: 'empty' }, errors: [400],
    },
  },
  '/signal': {
    post: { summary: 'throw a signal', tag: 'Signal', body: { type: 'object', required: ['name'], properties: { name: requiredText, executionId: text, tenantId: text, variables: ref('VariableMap') } }, answers: { 204: 'empty' }, errors: [400] },
  },

  '/deployment/create': { post: { summary: 'deploy (Camunda Modeler)', tag: 'Deployment', body: 'multipart', answers: { 200: ref('DeploymentWithDefinitionsDto') }, errors: [400] } },
  '/deployment': { get: { summary: 'list', tag: 'Deployment', query: { id: 'string', name: 'string', nameLike: 'string', source: 'string', tenantIdIn: 'list', after: 'date', before: 'date', ...PAGING, ...SORTING }, answers: { 200: arrayOf(ref('DeploymentDto')) }, errors: [400] } },
  '/deployment/count': { get: { summary: 'count', tag: 'Deployment', query: { id: 'string', name: 'string', nameLike: 'string', source: 'string', tenantIdIn: 'list', after: 'date', before: 'date' }, answers: { 200: ref('CountResultDto') }, errors: [400] } },
  '/deployment/{id}': {
    get: { summary: 'one deployment', tag: 'Deployment', answers: { 200: ref('DeploymentDto') }, errors: [404] },
    delete: { summary: 'delete', tag: 'Deployment', query: { cascade: 'boolean' }, answers: { 204: 'empty' }, errors: [404, 409] },
  },
  '/deployment/{id}/resources': { get: { summary: 'its resources', tag: 'Deployment', answers: { 200: arrayOf(ref('DeploymentResourceDto')) }, errors: [404] } },
  '/deployment/{id}/resources/{resourceId}': { get: { summary: 'one resource', tag: 'Deployment', answers: { 200: ref('DeploymentResourceDto') }, errors: [404] } },
  '/deployment/{id}/resources/{resourceId}/data': { get: { summary: 'a resource\'s content', tag: 'Deployment', answers: { 200: 'binary' }, errors: [404] } },

  '/process-definition': { get: { summary: 'list', tag: 'Process Definition', query: { processDefinitionId: 'string', key: 'string', keysIn: 'list', name: 'string', nameLike: 'string', deploymentId: 'string', version: 'integer', latestVersion: 'boolean', tenantIdIn: 'list', ...PAGING, ...SORTING }, answers: { 200: arrayOf(ref('ProcessDefinitionDto')) }, errors: [400] } },
  '/process-definition/count': { get: { summary: 'count', tag: 'Process Definition', query: { processDefinitionId: 'string', key: 'string', keysIn: 'list', name: 'string', nameLike: 'string', deploymentId: 'string', version: 'integer', latestVersion: 'boolean', tenantIdIn: 'list' }, answers: { 200: ref('CountResultDto') }, errors: [400] } },
  ...processDefinitionRoutes('/process-definition/{id}'),
  ...processDefinitionRoutes('/process-definition/key/{key}'),
  ...processDefinitionRoutes('/process-definition/key/{key}/tenant-id/{tenantId}'),

  ...listRoutes('/process-instance', 'Process Instance', 'ProcessInstanceDto', { processInstanceIds: 'list', businessKey: 'string', businessKeyLike: 'string', processDefinitionId: 'string', processDefinitionKey: 'string', activityIdIn: 'list', tenantIdIn: 'list', withIncident: 'boolean', active: 'boolean', suspended: 'boolean' }, true),
  '/process-instance/{id}': {
    get: { summary: 'one instance', tag: 'Process Instance', answers: { 200: ref('ProcessInstanceDto') }, errors: [404] },
    delete: { summary: 'delete', tag: 'Process Instance', query: { deleteReason: 'string', failIfNotExists: 'boolean' }, answers: { 204: 'empty' }, errors: [404] },
  },
  '/process-instance/{id}/activity-instances': { get: { summary: 'the activity instance tree', tag: 'Process Instance', answers: { 200: ref('ActivityInstanceDto') }, errors: [404] } },
  '/process-instance/{id}/variables': {
    get: { summary: 'its variables', tag: 'Process Instance', answers: { 200: ref('VariableMap') }, errors: [404] },
    post: { summary: 'modify variables', tag: 'Process Instance', body: VARIABLE_MODIFICATIONS, answers: { 204: 'empty' }, errors: [400, 404] },
  },
  '/process-instance/{id}/variables/{name}': {
    get: { summary: 'one variable', tag: 'Process Instance', answers: { 200: ref('VariableValueDto') }, errors: [404] },
    put: { summary: 'set a variable', tag: 'Process Instance', body: ref('VariableValueDto'), answers: { 204: 'empty' }, errors: [400, 404] },
    delete: { summary: 'remove a variable', tag: 'Process Instance', answers: { 204: 'empty' }, errors: [404] },
  },
  '/process-instance/{id}/variables/{name}/data': { get: { summary: 'a file or bytes variable\'s content', tag: 'Process Instance', answers: { 200: 'binary' }, errors: [400, 404] } },
  '/execution/{id}/localVariables': { get: { summary: 'an execution\'s own variables', tag: 'Execution', answers: { 200: ref('VariableMap') }, errors: [404] } },
  '/execution/{id}/localVariables/{name}': { get: { summary: 'one of them', tag: 'Execution', answers: { 200: ref('VariableValueDto') }, errors: [404] } },
  '/execution/{id}/localVariables/{name}/data': { get: { summary: 'a file or bytes variable\'s content', tag: 'Execution', answers: { 200: 'binary' }, errors: [400, 404] } },

  ...listRoutes('/task', 'Task', 'TaskDto', { assignee: 'string', assigneeIn: 'list', unassigned: 'boolean', candidateUser: 'string', candidateGroup: 'string', candidateGroups: 'list', includeAssignedTasks: 'boolean', processInstanceId: 'string', processDefinitionId: 'string', processDefinitionKey: 'string', taskDefinitionKey: 'string', nameLike: 'string', dueBefore: 'date', dueAfter: 'date', createdAfter: 'date', tenantIdIn: 'list' }, true),
  '/task/{id}': { get: { summary: 'one task', tag: 'Task', answers: { 200: ref('TaskDto') }, errors: [404] } },
  '/task/{id}/claim': { post: { summary: 'claim', tag: 'Task', body: { type: 'object', required: ['userId'], properties: { userId: requiredText } }, answers: { 204: 'empty' }, errors: [400, 404, 409] } },
  '/task/{id}/unclaim': { post: { summary: 'unclaim', tag: 'Task', answers: { 204: 'empty' }, errors: [404] } },
  '/task/{id}/assignee': { post: { summary: 'set the assignee', tag: 'Task', body: { type: 'object', properties: { userId: text } }, answers: { 204: 'empty' }, errors: [400, 404] } },
  '/task/{id}/delegate': { post: { summary: 'delegate', tag: 'Task', body: { type: 'object', required: ['userId'], properties: { userId: requiredText } }, answers: { 204: 'empty' }, errors: [400, 404] } },
  '/task/{id}/resolve': { post: { summary: 'resolve a delegated task', tag: 'Task', body: variables(), answers: { 204: 'empty' }, errors: [400, 404] } },
  '/task/{id}/complete': { post: { summary: 'complete', tag: 'Task', body: { type: 'object', properties: { variables: ref('VariableMap'), withVariablesInReturn: flag } }, answers: { 200: ref('VariableMap'), 204: 'empty' }, errors: [400, 403, 404, 409] } },
  '/task/{id}/submit-form': { post: { summary: 'submit the task form, validated against it', tag: 'Task', body: { type: 'object', properties: { variables: ref('VariableMap'), withVariablesInReturn: flag } }, answers: { 200: ref('VariableMap'), 204: 'empty', 400: FORM_REFUSED }, errors: [400, 403, 404, 409] } },
  '/task/{id}/form': { get: { summary: 'the form key', tag: 'Task', answers: { 200: ref('FormDto') }, errors: [404] } },
  '/task/{id}/deployed-form': { get: { summary: 'the deployed form', tag: 'Task', answers: { 200: ref('CamundaFormDto') }, errors: [400, 404] } },
  '/task/{id}/form-variables': { get: { summary: 'the variables a form shows', tag: 'Task', query: { variableNames: 'list' }, answers: { 200: ref('VariableMap') }, errors: [404] } },
  '/task/{id}/variables': {
    get: { summary: 'the variables visible from the task', tag: 'Task', answers: { 200: ref('VariableMap') }, errors: [404] },
    post: { summary: 'modify variables', tag: 'Task', body: VARIABLE_MODIFICATIONS, answers: { 204: 'empty' }, errors: [400, 404] },
  },

  '/external-task/fetchAndLock': {
    post: {
      summary: 'fetch and lock, with long polling', tag: 'External Task',
      body: workerBody({ maxTasks: requiredInteger, usePriority: flag, asyncResponseTimeout: integer, topics: arrayOf({ type: 'object', required: ['topicName', 'lockDuration'], properties: { topicName: requiredText, lockDuration: requiredInteger } }) }),
      answers: { 200: arrayOf(ref('LockedExternalTaskDto')) }, errors: [400],
    },
  },
  '/external-task/{id}/complete': { post: { summary: 'complete', tag: 'External Task', body: workerBody({ variables: ref('VariableMap'), localVariables: ref('VariableMap') }), answers: { 204: 'empty' }, errors: [400, 404, 409] } },
  '/external-task/{id}/failure': { post: { summary: 'report a failure', tag: 'External Task', body: workerBody({ errorMessage: text, errorDetails: text, retries: integer, retryTimeout: integer }), answers: { 204: 'empty' }, errors: [400, 404, 409] } },
  '/external-task/{id}/bpmnError': { post: { summary: 'throw a BPMN error', tag: 'External Task', body: workerBody({ errorCode: requiredText, errorMessage: text, variables: ref('VariableMap') }), answers: { 204: 'empty' }, errors: [400, 404, 409] } },
  '/external-task/{id}/lock': { post: { summary: 'lock', tag: 'External Task', body: workerBody({ lockDuration: requiredInteger }), answers: { 204: 'empty' }, errors: [400, 404, 409] } },
  '/external-task/{id}/extendLock': { post: { summary: 'extend the lock', tag: 'External Task', body: workerBody({ newDuration: requiredInteger }), answers: { 204: 'empty' }, errors: [400, 404, 409] } },
  '/external-task/{id}/unlock': { post: { summary: 'unlock', tag: 'External Task', answers: { 204: 'empty' }, errors: [404] } },
  '/external-task/{id}/retries': { put: { summary: 'set retries', tag: 'External Task', body: { type: 'object', required: ['retries'], properties: { retries: requiredInteger } }, answers: { 204: 'empty' }, errors: [400, 404] } },
  '/external-task': { get: { summary: 'list', tag: 'External Task', query: externalTaskFilters(true), answers: { 200: arrayOf(ref('ExternalTaskDto')) }, errors: [400] } },
  '/external-task/count': { get: { summary: 'count', tag: 'External Task', query: externalTaskFilters(false), answers: { 200: ref('CountResultDto') }, errors: [400] } },
  '/external-task/{id}': { get: { summary: 'one external task', tag: 'External Task', answers: { 200: ref('ExternalTaskDto') }, errors: [404] } },

  ...listRoutes('/history/process-instance', 'Historic Process Instance', 'HistoricProcessInstanceDto', HISTORIC_PROCESS_INSTANCE_FILTERS, true),
  '/history/process-instance/{id}': { get: { summary: 'one historic process instance', tag: 'Historic Process Instance', answers: { 200: ref('HistoricProcessInstanceDto') }, errors: [404] } },
  ...listRoutes('/history/activity-instance', 'Historic Activity Instance', 'HistoricActivityInstanceDto', { activityInstanceId: 'string', processInstanceId: 'string', processDefinitionId: 'string', executionId: 'string', activityId: 'string', activityType: 'string', taskAssignee: 'string', canceled: 'boolean', finished: 'boolean', unfinished: 'boolean' }, true),
  ...listRoutes('/history/task', 'Historic Task Instance', 'HistoricTaskInstanceDto', { taskId: 'string', processInstanceId: 'string', processDefinitionId: 'string', processDefinitionKey: 'string', executionId: 'string', taskAssignee: 'string', taskDefinitionKey: 'string', finished: 'boolean', unfinished: 'boolean' }, true),
  ...listRoutes('/history/variable-instance', 'Historic Variable Instance', 'HistoricVariableInstanceDto', { variableName: 'string', variableNameLike: 'string', processInstanceId: 'string', processInstanceIdIn: 'list', executionIdIn: 'list', taskIdIn: 'list', includeDeleted: 'boolean' }, true),
  ...listRoutes('/history/user-operation', 'Historic User Operation Log', 'UserOperationLogEntryDto', { userId: 'string', processInstanceId: 'string', processDefinitionId: 'string', processDefinitionKey: 'string', taskId: 'string', externalTaskId: 'string', operationType: 'string', entityType: 'string', afterTimestamp: 'date', beforeTimestamp: 'date' }, false),

  ...listRoutes('/incident', 'Incident', 'IncidentDto', { incidentId: 'string', incidentType: 'string', processInstanceId: 'string', processDefinitionId: 'string', executionId: 'string', activityId: 'string', configuration: 'string', tenantIdIn: 'list' }, false),
  '/incident/{id}': { get: { summary: 'one incident', tag: 'Incident', answers: { 200: ref('IncidentDto') }, errors: [404] } },
  ...listRoutes('/job', 'Job', 'JobDto', { jobId: 'string', processInstanceId: 'string', executionId: 'string', processDefinitionId: 'string', processDefinitionKey: 'string', activityId: 'string', timers: 'boolean', messages: 'boolean', dueDates: 'list', executable: 'boolean', withRetriesLeft: 'boolean', noRetriesLeft: 'boolean', withException: 'boolean', tenantIdIn: 'list' }, true),
  '/job/{id}': { get: { summary: 'one job', tag: 'Job', answers: { 200: ref('JobDto') }, errors: [404] } },
  '/job/{id}/stacktrace': { get: { summary: 'the stack trace of its last failure', tag: 'Job', answers: { 200: 'text' }, errors: [404] } },
  '/job/{id}/execute': { post: { summary: 'run it now', tag: 'Job', answers: { 204: 'empty', 500: ref('ExceptionDto') }, errors: [404, 409] } },
  '/job/{id}/retries': { put: { summary: 'set retries (resolves its incident)', tag: 'Job', body: { type: 'object', required: ['retries'], properties: { retries: requiredInteger } }, answers: { 204: 'empty' }, errors: [400, 404] } },

  '/user': { get: { summary: 'users of the tenants the caller sees', tag: 'User', query: { ...USER_FILTERS, ...PAGING, ...SORTING }, answers: { 200: arrayOf(ref('UserProfileDto')) }, errors: [400] } },
  '/user/count': { get: { summary: 'count', tag: 'User', query: USER_FILTERS, answers: { 200: ref('CountResultDto') }, errors: [400] } },
  '/user/{id}/profile': { get: { summary: 'a user\'s profile', tag: 'User', answers: { 200: ref('UserProfileDto') }, errors: [404] } },
  '/group': { get: { summary: 'candidate groups (dept:, group:, post:, role:) of the tenants the caller sees', tag: 'Group', query: { ...GROUP_FILTERS, ...PAGING, ...SORTING }, answers: { 200: arrayOf(ref('GroupDto')) }, errors: [400] } },
  '/group/count': { get: { summary: 'count', tag: 'Group', query: GROUP_FILTERS, answers: { 200: ref('CountResultDto') }, errors: [400] } },
  '/group/{id}': { get: { summary: 'one group', tag: 'Group', answers: { 200: ref('GroupDto') }, errors: [404] } },
  '/tenant': { get: { summary: 'the tenants the caller sees (ids: region codes)', tag: 'Tenant', query: { ...TENANT_FILTERS, ...PAGING, ...SORTING }, answers: { 200: arrayOf(ref('TenantDto')) }, errors: [400] } },
  '/tenant/count': { get: { summary: 'count', tag: 'Tenant', query: TENANT_FILTERS, answers: { 200: ref('CountResultDto') }, errors: [400] } },
  '/tenant/{id}': { get: { summary: 'one tenant', tag: 'Tenant', answers: { 200: ref('TenantDto') }, errors: [404] } },
  '/identity/groups': { get: { summary: 'a user\'s groups', tag: 'Identity', query: { userId: 'string' }, answers: { 200: ref('IdentityServiceGroupInfoDto') }, errors: [400] } },
};

function externalTaskFilters(paged: boolean): Filters {
  const filters: Filters = {
    externalTaskId: 'string', externalTaskIdIn: 'list', topicName: 'string', workerId: 'string', locked: 'boolean', notLocked: 'boolean',
    withRetriesLeft: 'boolean', noRetriesLeft: 'boolean', lockExpirationAfter: 'date', lockExpirationBefore: 'date', activityId: 'string',
    activityIdIn: 'list', executionId: 'string', processInstanceId: 'string', processInstanceIdIn: 'list', processDefinitionId: 'string',
    active: 'boolean', suspended: 'boolean', priorityHigherThanOrEquals: 'integer', priorityLowerThanOrEquals: 'integer', tenantIdIn: 'list',
  };
  return paged ? { ...filters, ...PAGING, ...SORTING } : filters;
}

/**
 * The OpenAPI 3 document of `/engine-rest`, built once. Served at `GET /engine-rest/openapi.json`
 * behind the same authentication as every other route: one rule for the whole prefix, and tooling
 * (Swagger UI, generators) can send Basic or Bearer credentials.
 */
export function openApiDocument(version: string): OpenAPIV3.Document {
  const paths: OpenAPIV3.PathsObject = {};
  for (const [path, methods] of Object.entries(ROUTES)) {
    paths[path] = Object.fromEntries(Object.entries(methods).map(([method, spec]) => [method, operation(path, spec)]));
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'yiwang /engine-rest',
      version,
      description: 'The subset of the Camunda 7 REST API that yiwang serves, so that Camunda Modeler, Tasklist-style clients and camunda-external-task-client-js work unmodified.',
    },
    servers: [{ url: '/engine-rest' }],
    security: [{ basic: [] }, { bearer: [] }],
    components: {
      securitySchemes: { basic: { type: 'http', scheme: 'basic' }, bearer: { type: 'http', scheme: 'bearer', description: 'an API token from `npm run token -w @yiwang/engine -- create <name>`' } },
      schemas: SCHEMAS,
    },
    paths,
  };
}
