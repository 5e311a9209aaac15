import { Ajv, type ValidateFunction } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { expect } from 'chai';
import type { OpenAPIV3 } from 'openapi-types';
import { bpmn, flow } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../../testing/organisation.js';
import { startSignedInApi, type SignedInClient } from '../../testing/signed-in-app.js';

const { countyA } = TENANT_TREE;
const property = (name: string, value: string) => `<camunda:property name="${name}" value="${value}"/>`;

/** 受理 (8 working hours) then 复核, which can send back, copy and take signers. */
const PROCESS = bpmn('oa_case', `
  <startEvent id="start"/>${flow('start', 'accept')}
  <userTask id="accept" name="受理" camunda:assignee="a-clerk">
    <extensionElements><camunda:properties>${property('yiwang:timeLimit', 'PT8H')}</camunda:properties></extensionElements>
  </userTask>${flow('accept', 'review')}
  <userTask id="review" name="复核" camunda:assignee="a-clerk"/>${flow('review', 'end')}
  <endEvent id="end"/>`);

/**
 * `/api/openapi.json` is generated from the route declarations that validate requests; these
 * tests hold it to what the routes really answer: real answers of the task, case, timeline,
 * message and calendar routes are validated against the response schemas the document declares.
 */
describeOnDatabases('api/platform - the OpenAPI document against real answers', (fixture) => {
  let api: SignedInClient;
  let document: OpenAPIV3.Document;
  const ajv = new Ajv({ strict: false, allErrors: true, formats: { 'date-time': fullFormats['date-time'], date: fullFormats.date } });
  const validators = new Map<string, ValidateFunction>();

  before(async () => {
    const { engine } = fixture();
    const clerk = ['task:read', 'task:handle', 'instance:read', 'process:start', 'calendar:read'];
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      roles: [{ tenantId: countyA, code: 'clerk', permissions: clerk }],
      users: [{ id: 'a-clerk', tenantId: countyA, roles: ['clerk'] }, { id: 'a-other', tenantId: countyA, roles: ['clerk'] }],
    });
    await engine.repositoryService.deploy({ name: 'oa', tenantId: countyA, resources: [{ name: 'oa.bpmn', content: PROCESS }] });
    api = await startSignedInApi(engine);
    document = await api.json<OpenAPIV3.Document>('/openapi.json', { as: 'a-clerk' });
  });

  after(async () => {
    await api?.close();
  });

  /** The answer of `GET path` (or another method), which must match the schema the document declares for `template`. */
  async function conforming(method: 'get' | 'post', template: string, path: string, body?: object): Promise<unknown> {
    const operation = (document.paths[template] as Record<string, OpenAPIV3.OperationObject> | undefined)?.[method];
    expect(operation, `${method.toUpperCase()} ${template} is in the document`).to.not.equal(undefined);
    const [status, response] = Object.entries(operation?.responses ?? {})[0] as [string, OpenAPIV3.ResponseObject];
    const answer = await api.json(path, { as: 'a-clerk', method: method.toUpperCase(), body }, Number(status));
    const schema = response.content?.['application/json']?.schema;
    if (!schema) return answer;
    const key = `${method} ${template}`;
    if (!validators.has(key)) validators.set(key, ajv.compile(schema));
    const validate = validators.get(key) as ValidateFunction;
    expect(validate(answer), `${key}: ${ajv.errorsText(validate.errors)}`).to.equal(true);
    return answer;
  }

  it('describes the task, case, timeline and admin routes, each with its permission, and the Idempotency-Key on the operations', () => {
    const paths = Object.keys(document.paths);
    for (const path of ['/tasks', '/tasks/{id}', '/tasks/{id}/approve', '/tasks/{id}/return', '/tasks/{id}/withdraw', '/tasks/{id}/signers', '/tasks/{id}/copy',
      '/instances/{id}', '/instances/{id}/timeline', '/instances/{id}/urge', '/case-requests', '/notifications', '/copies', '/calendar', '/admin/users', '/admin/roles']) {
      expect(paths, path).to.include(path);
    }
    const approve = (document.paths['/tasks/{id}/approve'] as Record<string, OpenAPIV3.OperationObject>).post;
    expect(approve?.description).to.contain('task:handle');
    expect((approve?.parameters as OpenAPIV3.ParameterObject[]).map((parameter) => parameter.name)).to.include('Idempotency-Key');
    const timeline = (document.paths['/instances/{id}/timeline'] as Record<string, OpenAPIV3.OperationObject>).get;
    expect(timeline?.description).to.contain('instance:read');
  });

  it('answers as its response schemas say: inbox, task page, case page, timeline, return targets, signers, messages and the calendar', async () => {
    // given: a case that went through 受理 and waits at 复核, copied to a colleague and urged
    const { engine } = fixture();
    const started = await engine.forUser('a-clerk').runtimeService.startProcessInstanceByKey('oa_case', { businessKey: 'OA-1', tenantId: countyA });
    const [accept] = await engine.taskService.listTasks({ processInstanceId: started.id });
    await conforming('post', '/tasks/{id}/approve', `/tasks/${accept?.id}/approve`, { comment: '受理' });
    const [review] = await engine.taskService.listTasks({ processInstanceId: started.id });
    const reviewId = review?.id as string;
    await conforming('post', '/tasks/{id}/copy', `/tasks/${reviewId}/copy`, { users: ['a-other'] });
    // then
    const inbox = (await conforming('get', '/tasks', '/tasks?view=todo&search=OA-1', undefined)) as unknown[];
    expect(inbox).to.have.length(1);
    await conforming('get', '/tasks', '/tasks?view=done&search=OA-1');
    await conforming('get', '/tasks', '/tasks?view=started&search=OA-1');
    await conforming('get', '/tasks/count', '/tasks/count?view=todo');
    await conforming('get', '/tasks/inbox-counts', '/tasks/inbox-counts');
    await conforming('get', '/tasks/{id}', `/tasks/${reviewId}`);
    await conforming('get', '/instances/{id}', `/instances/${started.id}`);
    const entries = (await conforming('get', '/instances/{id}/timeline', `/instances/${started.id}/timeline`)) as { operation: string; light: string | null }[];
    expect(entries.map((entry) => entry.operation)).to.deep.equal(['start', 'approve', 'copy']);
    expect(entries[1]?.light).to.equal('green');
    await conforming('get', '/tasks/{id}/return-targets', `/tasks/${reviewId}/return-targets`);
    await conforming('get', '/tasks/{id}/signers', `/tasks/${reviewId}/signers`);
    await conforming('get', '/notifications', '/notifications');
    await conforming('get', '/copies', '/copies');
    await conforming('get', '/calendar', '/calendar');
    // the staff app's reads of processes and cases
    await conforming('get', '/process-definitions/startable', '/process-definitions/startable');
    expect(await conforming('get', '/instances', '/instances?businessKey=OA-1')).to.have.length(1);
    await conforming('get', '/instances/count', '/instances/count?businessKeyLike=OA-');
    await conforming('get', '/instances/{id}/diagram', `/instances/${started.id}/diagram`);
  });
});
