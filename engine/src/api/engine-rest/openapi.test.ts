import { Ajv, type ValidateFunction } from 'ajv';
import { expect } from 'chai';
import type { OpenAPIV3 } from 'openapi-types';
import { bpmn, flow } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { camundaForm, modelerDeploymentForm } from '../../testing/modeler.js';
import { startRestServer, type RestClient } from '../../testing/rest.js';
import { engineRestRouter } from './index.js';

type Json = Record<string, unknown>;
const ROOT_TENANT_ID = '100000';
type Method = 'get' | 'post' | 'put' | 'delete';

/** A user task with a form, a worker's external task, and a file variable to download. */
const MAIN = bpmn('oa_main', `
  <startEvent id="start" camunda:formRef="oa-review" camunda:formRefBinding="deployment"/>${flow('start', 'review')}
  <userTask id="review" name="审核" camunda:formRef="oa-review" camunda:formRefBinding="deployment"/>${flow('review', 'work')}
  <serviceTask id="work" camunda:type="external" camunda:topic="oa_topic"/>${flow('work', 'end')}
  <endEvent id="end"/>`, 'name="OpenAPI"');

/** An asynchronous continuation that always fails (its gateway finds no way on), and a timer. */
const FAILING = bpmn('oa_failing', `
  <startEvent id="start"/>${flow('start', 'async')}
  <task id="async" camunda:asyncBefore="true"/>${flow('async', 'gw')}
  <exclusiveGateway id="gw"/>${flow('gw', 'end', '${false}')}
  <endEvent id="end"/>`);

describeOnDatabases('api/engine-rest - the OpenAPI document against the routes and their answers', (fixture) => {
  let rest: RestClient;
  let document: OpenAPIV3.Document;
  let ajv: Ajv;
  const validators = new Map<string, ValidateFunction>();
  /** `METHOD /template` of every answer validated against the document */
  const exercised = new Set<string>();

  before(async () => {
    rest = await startRestServer(fixture().engine);
    document = await rest.json<OpenAPIV3.Document>('/openapi.json');
    // the document is the schema root, so `#/components/schemas/...` resolves inside it
    ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addSchema(document as unknown as Json, 'openapi');
  });

  after(async () => {
    await rest.server.close();
  });

  const templates = () => Object.keys(document.paths);

  /** The documented path a concrete path answers to: literal segments win over `{parameters}`. */
  function templateOf(path: string): string {
    const segments = path.split('?')[0]!.split('/');
    const candidates = templates().filter((template) => {
      const parts = template.split('/');
      return parts.length === segments.length && parts.every((part, i) => part.startsWith('{') || part === decodeURIComponent(segments[i]!));
    });
    const parameters = (template: string) => (template.match(/\{/g) ?? []).length;
    candidates.sort((a, b) => parameters(a) - parameters(b));
    if (!candidates[0]) throw new Error(`${path} is not in the OpenAPI document`);
    return candidates[0];
  }

  function validatorFor(template: string, method: Method, status: number): ValidateFunction {
    const key = `${method} ${template} ${status}`;
    let validate = validators.get(key);
    if (!validate) {
      const pointer = ['paths', template, method, 'responses', String(status), 'content', 'application/json', 'schema'].map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
      validate = ajv.compile({ $ref: `openapi#/${pointer}` });
      validators.set(key, validate);
    }
    return validate;
  }

  /** Calls a route and checks its answer against the document: the status is documented, the body fits its schema. */
  async function call(method: Method, path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const response = await rest.request(path, { method: method.toUpperCase(), body });
    const template = templateOf(path);
    const documented = (document.paths[template]?.[method]?.responses ?? {}) as Record<string, OpenAPIV3.ResponseObject>;
    const answer = documented[String(response.status)];
    const text = await response.text();
    expect(answer, `${method.toUpperCase()} ${path} answered ${response.status}, which the document does not list: ${text}`).to.not.equal(undefined);
    const [contentType] = Object.keys(answer?.content ?? {});
    let json: unknown = null;
    if (contentType === undefined) {
      expect(text, `${method} ${path}`).to.equal('');
    } else if (contentType === 'application/json') {
      expect(response.headers.get('content-type')).to.equal('application/json');
      json = JSON.parse(text);
      const validate = validatorFor(template, method, response.status);
      expect(validate(json), `${method.toUpperCase()} ${path} ${response.status}: ${ajv.errorsText(validate.errors)}\n${text.slice(0, 600)}`).to.equal(true);
    } else if (contentType === 'text/plain') {
      expect(response.headers.get('content-type')).to.match(/^text\/plain/);
    }
    exercised.add(`${method.toUpperCase()} ${template}`);
    return { status: response.status, json };
  }

  it('lists exactly the routes the router serves', async () => {
    // given the router as the server builds it
    const router = engineRestRouter({ engine: fixture().engine, authenticator: rest.authentication.authenticator });
    // when
    const served = new Set(
      router.stack
        .flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${String(layer.path).replace(/^\/engine-rest/, '').replace(/:(\w+)/g, '{$1}')}`)),
    );
    const documented = new Set(Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item ?? {}).map((m) => `${m.toUpperCase()} ${path}`)));
    // then
    expect([...served].filter((route) => !documented.has(route)), 'served but not documented').to.deep.equal([]);
    expect([...documented].filter((route) => !served.has(route)), 'documented but not served').to.deep.equal([]);
  });

  it('describes what every route really answers', async () => {
    // deployment and definitions
    const deployed = await call('post', '/deployment/create', modelerDeploymentForm({
      name: 'openapi',
      resources: [{ name: 'oa_main.bpmn', content: MAIN }, { name: 'oa_failing.bpmn', content: FAILING }, { name: 'review.form', content: camundaForm('oa-review', ['note']) }],
    }));
    const deploymentId = deployed.json.id as string;
    const definitions = Object.values(deployed.json.deployedProcessDefinitions as Record<string, Json>);
    const main = definitions.find((d) => d.key === 'oa_main') as Json;
    await call('get', '/deployment?maxResults=0');
    await call('get', '/deployment/count');
    await call('get', `/deployment/${deploymentId}`);
    const resources = (await call('get', `/deployment/${deploymentId}/resources`)).json as Json[];
    await call('get', `/deployment/${deploymentId}/resources/${resources[0]?.id}`);
    await call('get', `/deployment/${deploymentId}/resources/${resources[0]?.id}/data`);
    await call('get', '/process-definition?latestVersion=true');
    await call('get', '/process-definition/count');
    // the same process deployed for a tenant (the root, which exists from the start), addressed by key and tenant
    await call('post', '/deployment/create', modelerDeploymentForm({
      name: 'openapi tenant', tenantId: ROOT_TENANT_ID,
      resources: [{ name: 'oa_main.bpmn', content: MAIN }, { name: 'review.form', content: camundaForm('oa-review', ['note']) }],
    }));
    for (const prefix of [`/process-definition/${main.id}`, '/process-definition/key/oa_main', `/process-definition/key/oa_main/tenant-id/${ROOT_TENANT_ID}`]) {
      await call('get', prefix);
      await call('get', `${prefix}/xml`);
      await call('get', `${prefix}/startForm`);
      await call('get', `${prefix}/deployed-start-form`);
      await call('post', `${prefix}/submit-form`, { variables: { note: { type: 'String', value: 'form' } } });
    }
    // instances and their variables
    const file = { type: 'File', value: Buffer.from('报告').toString('base64'), valueInfo: { filename: 'r.txt', mimetype: 'text/plain' } };
    const started = await call('post', `/process-definition/${main.id}/start`, { businessKey: 'OA-1', variables: { report: file, amount: { type: 'Long', value: 5 } }, withVariablesInReturn: true });
    const instanceId = started.json.id as string;
    await call('post', '/process-definition/key/oa_main/start', { businessKey: 'OA-2' });
    await call('post', `/process-definition/key/oa_main/tenant-id/${ROOT_TENANT_ID}/start`, { businessKey: 'OA-3' });
    await call('get', '/process-instance?processDefinitionKey=oa_main');
    await call('post', '/process-instance', { processDefinitionKey: 'oa_main' });
    await call('get', '/process-instance/count');
    await call('post', '/process-instance/count', { businessKey: 'OA-1' });
    await call('get', `/process-instance/${instanceId}`);
    await call('get', `/process-instance/${instanceId}/activity-instances`);
    await call('get', `/process-instance/${instanceId}/variables`);
    await call('post', `/process-instance/${instanceId}/variables`, { modifications: { extra: { type: 'String', value: 'x' } } });
    await call('put', `/process-instance/${instanceId}/variables/flag`, { type: 'Boolean', value: true });
    await call('get', `/process-instance/${instanceId}/variables/flag`);
    await call('delete', `/process-instance/${instanceId}/variables/flag`);
    await call('get', `/process-instance/${instanceId}/variables/report/data`);
    await call('get', `/execution/${instanceId}/localVariables`);
    await call('get', `/execution/${instanceId}/localVariables/report`);
    await call('get', `/execution/${instanceId}/localVariables/report/data`);
    // tasks
    const [task] = (await call('get', `/task?processInstanceId=${instanceId}`)).json as Json[];
    const taskId = task?.id as string;
    await call('post', '/task', { processInstanceId: instanceId });
    await call('get', '/task/count');
    await call('post', '/task/count', { processInstanceId: instanceId });
    await call('get', `/task/${taskId}`);
    await call('get', `/task/${taskId}/form`);
    await call('get', `/task/${taskId}/deployed-form`);
    await call('get', `/task/${taskId}/form-variables`);
    await call('get', `/task/${taskId}/variables`);
    await call('post', `/task/${taskId}/variables`, { modifications: { seen: { type: 'Boolean', value: true } } });
    await call('post', `/task/${taskId}/claim`, { userId: 'admin' });
    await call('post', `/task/${taskId}/unclaim`, {});
    await call('post', `/task/${taskId}/assignee`, { userId: 'admin' });
    await call('post', `/task/${taskId}/delegate`, { userId: 'admin' });
    await call('post', `/task/${taskId}/resolve`, { variables: {} });
    await call('post', `/task/${taskId}/complete`, { variables: { note: { type: 'String', value: 'ok' } }, withVariablesInReturn: true });
    const [other] = (await call('get', '/task?processDefinitionKey=oa_main&sortBy=created&sortOrder=asc')).json as Json[];
    await call('post', `/task/${other?.id}/submit-form`, { variables: { note: { type: 'String', value: 'ok' } } });
    // external tasks
    const locked = (await call('post', '/external-task/fetchAndLock', { workerId: 'w', maxTasks: 2, topics: [{ topicName: 'oa_topic', lockDuration: 60_000 }] })).json as Json[];
    const [first, second] = locked.map((t) => t.id as string);
    await call('get', '/external-task?topicName=oa_topic');
    await call('get', '/external-task/count?topicName=oa_topic');
    await call('get', `/external-task/${first}`);
    await call('post', `/external-task/${first}/extendLock`, { workerId: 'w', newDuration: 60_000 });
    await call('post', `/external-task/${first}/unlock`, {});
    await call('post', `/external-task/${first}/lock`, { workerId: 'w', lockDuration: 60_000 });
    await call('post', `/external-task/${first}/failure`, { workerId: 'w', errorMessage: 'retry', retries: 1, retryTimeout: 0 });
    await call('put', `/external-task/${first}/retries`, { retries: 2 });
    await call('post', `/external-task/${second}/bpmnError`, { workerId: 'w', errorCode: 'none' });
    const [again] = (await call('post', '/external-task/fetchAndLock', { workerId: 'w', maxTasks: 1, topics: [{ topicName: 'oa_topic', lockDuration: 60_000 }] })).json as Json[];
    await call('post', `/external-task/${again?.id}/complete`, { workerId: 'w', variables: { done: { type: 'Boolean', value: true } } });
    // jobs and incidents
    const failing = (await call('post', '/process-definition/key/oa_failing/start', {})).json.id as string;
    const [job] = (await call('get', `/job?processInstanceId=${failing}`)).json as Json[];
    await call('post', '/job', { processInstanceId: failing });
    await call('get', '/job/count');
    await call('post', '/job/count', { processInstanceId: failing });
    await call('put', `/job/${job?.id}/retries`, { retries: 1 });
    expect((await call('post', `/job/${job?.id}/execute`)).status).to.equal(500);
    await call('get', `/job/${job?.id}`);
    await call('get', `/job/${job?.id}/stacktrace`);
    const [incident] = (await call('get', `/incident?processInstanceId=${failing}`)).json as Json[];
    await call('get', '/incident/count');
    await call('get', `/incident/${incident?.id}`);
    // history
    await call('get', `/history/process-instance?processDefinitionKey=oa_main`);
    await call('post', '/history/process-instance', { processDefinitionKey: 'oa_main', sorting: [{ sortBy: 'startTime', sortOrder: 'desc' }] });
    await call('get', '/history/process-instance/count');
    await call('post', '/history/process-instance/count', { finished: true });
    await call('get', `/history/process-instance/${instanceId}`);
    for (const resource of ['activity-instance', 'task', 'variable-instance']) {
      await call('get', `/history/${resource}?processInstanceId=${instanceId}`);
      await call('post', `/history/${resource}`, { processInstanceId: instanceId });
      await call('get', `/history/${resource}/count`);
      await call('post', `/history/${resource}/count`, { processInstanceId: instanceId });
    }
    await call('get', '/history/user-operation?userId=admin');
    await call('get', '/history/user-operation/count');
    // identity, engine, events
    await call('get', '/user');
    await call('get', '/user/count');
    await call('get', '/user/admin/profile');
    await call('get', '/group');
    await call('get', '/group/count');
    await call('get', '/group/staff');
    await call('get', '/tenant');
    await call('get', '/tenant/count');
    await call('get', '/tenant/liuzhou');
    await call('get', '/identity/groups?userId=admin');
    await call('get', '/version');
    await call('get', '/openapi.json');
    await call('post', '/message', { messageName: 'nobody' });
    await call('post', '/signal', { name: 'nobody' });
    // and the deletes, last
    await call('delete', `/process-instance/${instanceId}`);
    await call('delete', `/deployment/${deploymentId}?cascade=true`);

    // then every documented operation was called and answered as documented
    const documented = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item ?? {}).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.filter((operation) => !exercised.has(operation)), 'documented operations never exercised').to.deep.equal([]);
  });

  it('documents the error answers too: 404, 400 and 401 carry the exception shape', async () => {
    await call('get', '/history/process-instance/nope');
    await call('get', '/job/nope');
    await call('get', '/task/nope');
    await call('get', '/process-definition/nope');
    await call('get', '/history/task?sortBy=colour&sortOrder=asc');
    await call('get', '/incident?maxResults=x');
    const response = await rest.request('/openapi.json', { auth: null });
    expect(response.status).to.equal(401);
  });
});
