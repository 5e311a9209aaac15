import { expect } from 'chai';
import { bpmn, flow } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { startRestServer, type RestClient } from '../../testing/rest.js';

/** A Camunda form with one number field, `amount`: submissions are validated against it. */
function amountForm(id: string): string {
  return JSON.stringify({ id, type: 'default', schemaVersion: 16, components: [{ type: 'number', key: 'amount', label: 'Amount', id: 'field_amount' }] });
}

interface TaskJson {
  id: string;
  name: string;
  assignee: string | null;
  owner: string | null;
  delegationState: string | null;
  created: string;
  due: string | null;
  processInstanceId: string;
  taskDefinitionKey: string;
  formKey: string | null;
  camundaFormRef: { key: string; binding: string; version: number | null } | null;
}

const TASK_FIELDS = ['id', 'name', 'assignee', 'owner', 'created', 'lastUpdated', 'due', 'followUp', 'delegationState', 'description', 'executionId', 'parentTaskId', 'priority', 'processDefinitionId', 'processInstanceId', 'taskDefinitionKey', 'suspended', 'formKey', 'camundaFormRef', 'tenantId'];

describeOnDatabases('api/engine-rest - tasks', (fixture) => {
  let rest: RestClient;

  before(async () => {
    const { engine } = fixture();
    rest = await startRestServer(engine);
    await engine.repositoryService.deploy({
      name: 'tasks',
      resources: [
        {
          name: 'tasks.bpmn',
          content: bpmn('tk_flow', `
            <startEvent id="start"/>${flow('start', 'fill')}
            <userTask id="fill" name="Fill in the claim" camunda:candidateGroups="clerks" camunda:candidateUsers="carol"
              camunda:dueDate="2030-01-01T12:00:00+08:00" camunda:formRef="claim-form" camunda:formRefBinding="latest"/>${flow('fill', 'sign')}
            <userTask id="sign" name="Sign" camunda:assignee="\${signer}"/>${flow('sign', 'end')}
            <endEvent id="end"/>`),
        },
        { name: 'claim.form', content: amountForm('claim-form') },
      ],
    });
  });

  after(async () => {
    await rest.server.close();
  });

  const start = async (signer = 'admin') => {
    const instance = await fixture().engine.runtimeService.startProcessInstanceByKey('tk_flow', { variables: { signer, amount: 7 } });
    const [task] = await rest.json<TaskJson[]>(`/task?processInstanceId=${instance.id}`);
    return { instanceId: instance.id, task: task as TaskJson };
  };

  it('lists and counts the inbox with Camunda filters, on GET and POST', async () => {
    // given
    const { instanceId, task } = await start();
    // when
    const byGroup = await rest.json<TaskJson[]>(`/task?candidateGroup=clerks&processInstanceId=${instanceId}`);
    const byUser = await rest.json<TaskJson[]>(`/task?candidateUser=carol&processInstanceId=${instanceId}`);
    const filtered = await rest.json<{ count: number }>(
      `/task/count?processDefinitionKey=tk_flow&taskDefinitionKey=fill&nameLike=Fill%25&unassigned=true&dueBefore=2030-01-02T00:00:00.000%2B0800&processInstanceId=${instanceId}`,
    );
    const posted = await rest.json<TaskJson[]>('/task?maxResults=5', { body: { candidateGroups: ['clerks', 'others'], processInstanceId: instanceId, sortBy: 'created', sortOrder: 'desc' } });
    const postedCount = await rest.json<{ count: number }>('/task/count', { body: { assignee: 'nobody' } });
    // then
    expect(Object.keys(task)).to.include.members(TASK_FIELDS);
    expect(task).to.include({ name: 'Fill in the claim', assignee: null, delegationState: null, formKey: null, taskDefinitionKey: 'fill' });
    expect(task.due).to.equal('2030-01-01T12:00:00.000+0800');
    expect(task.camundaFormRef).to.deep.equal({ key: 'claim-form', binding: 'latest', version: null });
    expect(byGroup.map((t) => t.id)).to.deep.equal([task.id]);
    expect(byUser.map((t) => t.id)).to.deep.equal([task.id]);
    expect(filtered.count).to.equal(1);
    expect(posted.map((t) => t.id)).to.deep.equal([task.id]);
    expect(postedCount.count).to.equal(0);
  });

  it('claims, unclaims and assigns; a task claimed by another cannot be claimed', async () => {
    const { task } = await start();
    expect((await rest.request(`/task/${task.id}/claim`, { body: { userId: 'dora' } })).status).to.equal(204);
    const taken = await rest.request(`/task/${task.id}/claim`, { body: { userId: 'emil' } });
    expect(taken.status).to.equal(409);
    expect((await rest.json<TaskJson[]>('/task?assignee=dora')).map((t) => t.id)).to.include(task.id);
    expect((await rest.request(`/task/${task.id}/unclaim`, { body: {} })).status).to.equal(204);
    expect((await rest.json<TaskJson>(`/task/${task.id}`)).assignee).to.equal(null);
    expect((await rest.request(`/task/${task.id}/assignee`, { body: { userId: 'emil' } })).status).to.equal(204);
    expect((await rest.json<TaskJson[]>('/task?assigneeIn=emil,frank')).map((t) => t.id)).to.include(task.id);
    expect((await rest.json<TaskJson[]>(`/task?candidateGroup=clerks&includeAssignedTasks=true`)).map((t) => t.id)).to.include(task.id);
  });

  it('delegates to another user and resolves back to the owner; a pending task cannot be completed', async () => {
    // given a task the admin holds
    const { task } = await start();
    await rest.request(`/task/${task.id}/claim`, { body: { userId: 'admin' } });
    // when
    const delegated = await rest.request(`/task/${task.id}/delegate`, { body: { userId: 'gina' } });
    const pending = await rest.json<TaskJson>(`/task/${task.id}`);
    const refused = await rest.request(`/task/${task.id}/complete`, { body: {} });
    const resolved = await rest.request(`/task/${task.id}/resolve`, { body: { variables: { checked: { type: 'Boolean', value: true } } } });
    const back = await rest.json<TaskJson>(`/task/${task.id}`);
    // then
    expect(delegated.status).to.equal(204);
    expect(pending).to.include({ assignee: 'gina', owner: 'admin', delegationState: 'PENDING' });
    expect(refused.status).to.equal(409);
    expect(resolved.status).to.equal(204);
    expect(back).to.include({ assignee: 'admin', owner: 'admin', delegationState: 'RESOLVED' });
    expect((await rest.json<Record<string, { value: unknown }>>(`/task/${task.id}/variables`)).checked?.value).to.equal(true);
    expect((await rest.request(`/task/${task.id}/complete`, { body: {} })).status).to.equal(204);
  });

  it('completes with 204, or 200 with the variables when asked', async () => {
    const { instanceId, task } = await start();
    const variables = await rest.json<Record<string, { type: string; value: unknown }>>(`/task/${task.id}/complete`, {
      body: { variables: { amount: { type: 'Double', value: 7.5 } }, withVariablesInReturn: true },
    });
    expect(variables.amount).to.deep.include({ type: 'Double', value: 7.5 });
    const [sign] = await rest.json<TaskJson[]>(`/task?processInstanceId=${instanceId}`);
    expect(sign).to.include({ taskDefinitionKey: 'sign', assignee: 'admin' });
    expect((await rest.request(`/task/${sign?.id}/complete`, { body: { variables: {} } })).status).to.equal(204);
    // completing twice is a conflict, as someone else completed it first
    expect((await rest.request(`/task/${sign?.id}/complete`, { body: {} })).status).to.equal(409);
  });

  it('answers the form reference, the deployed form and the form variables; submits the form', async () => {
    const { task } = await start();
    expect(await rest.json(`/task/${task.id}/form`)).to.deep.equal({ key: null, contextPath: null, camundaFormRef: { key: 'claim-form', binding: 'latest', version: null } });
    const form = await rest.request(`/task/${task.id}/deployed-form`);
    expect(form.headers.get('content-type')).to.equal('application/json');
    expect(((await form.json()) as { id: string }).id).to.equal('claim-form');
    expect(await rest.json(`/task/${task.id}/form-variables?variableNames=amount`)).to.deep.equal({ amount: { type: 'Integer', value: 7, valueInfo: {} } });
    const submitted = await rest.request(`/task/${task.id}/submit-form`, { body: { variables: { amount: { type: 'Integer', value: 9 } } } });
    expect(submitted.status).to.equal(204);
    expect((await rest.request(`/task/${task.id}`)).status).to.equal(404);
  });

  it('reads and modifies the variables a task sees', async () => {
    const { instanceId, task } = await start();
    const modified = await rest.request(`/task/${task.id}/variables`, { body: { modifications: { note: { value: 'checked' } }, deletions: ['amount'] } });
    expect(modified.status).to.equal(204);
    const variables = await rest.json<Record<string, { value: unknown }>>(`/task/${task.id}/variables`);
    expect(Object.keys(variables).sort()).to.deep.equal(['note', 'signer']);
    expect(await fixture().engine.runtimeService.getVariable(instanceId, 'note')).to.equal('checked');
  });

  it('answers unknown ids with 404, bad input with 400 and no credentials with 401', async () => {
    const { task } = await start();
    for (const path of ['/task/nope', '/task/nope/form', '/task/nope/deployed-form', '/task/nope/form-variables', '/task/nope/variables']) {
      expect((await rest.request(path)).status, path).to.equal(404);
    }
    for (const action of ['claim', 'unclaim', 'assignee', 'delegate', 'resolve', 'complete', 'submit-form', 'variables']) {
      expect((await rest.request(`/task/nope/${action}`, { body: { userId: 'x' } })).status, action).to.equal(404);
    }
    for (const path of ['/task?unassigned=maybe', '/task?dueBefore=soon', '/task?sortBy=assignee&sortOrder=asc', '/task?maxResults=lots', '/task?sortOrder=asc']) {
      expect((await rest.request(path)).status, path).to.equal(400);
    }
    const bad: [string, unknown][] = [
      ['claim', {}],
      ['delegate', { userId: 5 }],
      ['complete', { variables: { amount: { type: 'Long', value: 'x' } } }],
      ['complete', { variables: [] }],
      ['resolve', { variables: { d: { type: 'Date', value: 'later' } } }],
      ['variables', { modifications: { f: { type: 'File', value: '***' } } }],
    ];
    for (const [action, body] of bad) {
      expect((await rest.request(`/task/${task.id}/${action}`, { body })).status, `${action} ${JSON.stringify(body)}`).to.equal(400);
    }
    expect((await rest.request(`/task/${task.id}/complete`, { body: '{"variables"', headers: { 'Content-Type': 'application/json' } })).status).to.equal(400);
    expect((await rest.request('/task', { auth: null })).status).to.equal(401);
    expect((await rest.request(`/task/${task.id}/complete`, { body: {}, auth: null })).status).to.equal(401);
  });
});
