import { expect } from 'chai';
import { bpmn, flow } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { camundaForm, modelerDeploymentForm, type ModelerResource } from '../../testing/modeler.js';
import { startRestServer, type RestClient } from '../../testing/rest.js';

interface DeploymentJson {
  id: string;
  name: string;
  source: string;
  deploymentTime: string;
  tenantId: string | null;
  links: { href: string; rel: string }[];
  deployedProcessDefinitions: Record<string, { id: string; key: string; version: number; resource: string; deploymentId: string }> | null;
  deployedCaseDefinitions: null;
  deployedDecisionDefinitions: null;
  deployedDecisionRequirementsDefinitions: null;
}

const CAMUNDA_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/;

/** A leave request as Modeler deploys it: a start form by formRef, a review task by formKey. */
export function leaveRequest(processId: string, taskName = 'Review'): ModelerResource[] {
  return [
    {
      name: `${processId}.bpmn`,
      content: bpmn(processId, `
        <startEvent id="start" camunda:formRef="leave-start" camunda:formRefBinding="deployment"/>${flow('start', 'review')}
        <userTask id="review" name="${taskName}" camunda:formKey="camunda-forms:deployment:review.form" camunda:candidateGroups="managers"/>${flow('review', 'end')}
        <endEvent id="end"/>`, 'name="Leave request"'),
    },
    { name: 'start.form', content: camundaForm('leave-start', ['days', 'reason']) },
    { name: 'review.form', content: camundaForm('leave-review', ['approved']) },
  ];
}

describeOnDatabases('api/engine-rest - deployment (Camunda Modeler)', (fixture) => {
  let rest: RestClient;

  before(async () => {
    rest = await startRestServer(fixture().engine);
  });

  after(async () => {
    await rest.server.close();
  });

  const deploy = (name: string, resources: ModelerResource[], fields?: Record<string, string>) =>
    rest.request('/deployment/create', { body: modelerDeploymentForm({ name, resources, fields }) });

  it("answers Modeler's connection check with 2xx", async () => {
    const response = await rest.request('/deployment?maxResults=0');
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('application/json');
    expect(await response.json()).to.deep.equal([]);
  });

  it('deploys as Modeler does, starts an instance, lists, claims and completes its task', async () => {
    // given Modeler's Deploy button: a diagram with two forms beside it
    const response = await deploy('leave', leaveRequest('leave_e2e'));
    expect(response.status).to.equal(200);
    const deployment = (await response.json()) as DeploymentJson;
    expect(deployment).to.include({ name: 'leave', source: 'Camunda Modeler', tenantId: null });
    expect(deployment.deploymentTime).to.match(CAMUNDA_DATE);
    expect(deployment.links[0]?.href).to.equal(`${rest.baseUrl}/deployment/${deployment.id}`);
    expect(deployment).to.include({ deployedCaseDefinitions: null, deployedDecisionDefinitions: null, deployedDecisionRequirementsDefinitions: null });
    const [definition] = Object.values(deployment.deployedProcessDefinitions ?? {});
    expect(definition).to.include({ key: 'leave_e2e', version: 1, resource: 'leave_e2e.bpmn', deploymentId: deployment.id });
    const resources = await rest.json<{ name: string }[]>(`/deployment/${deployment.id}/resources`);
    expect(resources.map((r) => r.name)).to.deep.equal(['leave_e2e.bpmn', 'review.form', 'start.form']);
    // when Tasklist starts an instance with its start form and works the task
    const startForm = await rest.json<{ id: string }>(`/process-definition/${definition?.id}/deployed-start-form`);
    const instance = await rest.json<{ id: string; definitionId: string; businessKey: string; ended: boolean }>(`/process-definition/${definition?.id}/start`, {
      body: { businessKey: 'LEAVE-1', variables: { days: { type: 'Integer', value: 3 }, reason: { value: 'family' } } },
    });
    const tasks = await rest.json<{ id: string; name: string; assignee: string | null; formKey: string }[]>(`/task?processInstanceId=${instance.id}`);
    const task = tasks[0] as (typeof tasks)[number];
    const inbox = await rest.json<{ id: string }[]>('/task?candidateGroup=managers');
    const taskForm = await rest.json<{ id: string }>(`/task/${task.id}/deployed-form`);
    const claimed = await rest.request(`/task/${task.id}/claim`, { body: { userId: 'admin' } });
    const afterClaim = await rest.json<{ assignee: string }>(`/task/${task.id}`);
    const completed = await rest.request(`/task/${task.id}/complete`, { body: { variables: { approved: { type: 'Boolean', value: true } } } });
    // then
    expect(startForm.id).to.equal('leave-start');
    expect(instance).to.include({ definitionId: definition?.id, businessKey: 'LEAVE-1', ended: false });
    expect(tasks).to.have.length(1);
    expect(task).to.include({ name: 'Review', assignee: null, formKey: 'camunda-forms:deployment:review.form' });
    expect(inbox.map((t) => t.id)).to.include(task.id);
    expect(taskForm.id).to.equal('leave-review');
    expect(claimed.status).to.equal(204);
    expect(afterClaim.assignee).to.equal('admin');
    expect(completed.status).to.equal(204);
    expect((await rest.request(`/process-instance/${instance.id}`)).status).to.equal(404);
    const [historic] = await fixture().engine.historyService.listProcessInstances({ processInstanceId: instance.id });
    expect(historic?.state).to.equal('COMPLETED');
  });

  it('filters duplicates as Modeler asks (deploy-changed-only): an unchanged redeploy creates nothing', async () => {
    // given
    const resources = leaveRequest('leave_dup');
    const first = (await (await deploy('dup', resources)).json()) as DeploymentJson;
    // when
    const again = (await (await deploy('dup', resources)).json()) as DeploymentJson;
    const edited = [{ name: 'leave_dup.bpmn', content: (resources[0] as ModelerResource).content.replace('name="Review"', 'name="Review again"') }, ...resources.slice(1)];
    const changed = (await (await deploy('dup', edited)).json()) as DeploymentJson;
    const plain = await deploy('dup', edited, { 'deploy-changed-only': 'false', 'enable-duplicate-filtering': 'true' });
    // then
    expect(again.id).to.equal(first.id);
    expect(again.deployedProcessDefinitions).to.equal(null);
    expect(changed.id).to.not.equal(first.id);
    expect(Object.values(changed.deployedProcessDefinitions ?? {}).map((d) => d.version)).to.deep.equal([2]);
    // only the changed diagram was deployed; the forms stay with the first deployment
    expect((await rest.json<{ name: string }[]>(`/deployment/${changed.id}/resources`)).map((r) => r.name)).to.deep.equal(['leave_dup.bpmn']);
    expect(((await plain.json()) as DeploymentJson).id).to.equal(changed.id);
  });

  it('keeps a Chinese file name as the browser or Modeler sent it (UTF-8)', async () => {
    // when
    const deployed = (await (await deploy('中文', [{ name: '案件处置流程.bpmn', content: bpmn('zh_name', `<startEvent id="s"/>${flow('s', 'e')}<endEvent id="e"/>`) }])).json()) as DeploymentJson;
    // then
    expect((await rest.json<{ name: string }[]>(`/deployment/${deployed.id}/resources`)).map((r) => r.name)).to.deep.equal(['案件处置流程.bpmn']);
  });

  it('answers a BPMN that does not parse with 400 and the ENGINE-09005 prefix', async () => {
    const response = await deploy('broken', [{ name: 'broken.bpmn', content: '<definitions><process id="x"' }]);
    expect(response.status).to.equal(400);
    const error = (await response.json()) as { type: string; message: string };
    expect(error.type).to.equal('ParseException');
    expect(error.message.startsWith('ENGINE-09005 Could not parse BPMN process.')).to.equal(true);
  });

  it('refuses a deployment without resources, another content type, and an activation time', async () => {
    const empty = new FormData();
    empty.append('deployment-name', 'empty');
    const cases: [string, Response][] = [
      ['no resources', await rest.request('/deployment/create', { body: empty })],
      ['JSON body', await rest.request('/deployment/create', { body: { 'deployment-name': 'json' } })],
      ['activation time', await deploy('later', leaveRequest('leave_later'), { 'deployment-activation-time': '2030-01-01T00:00:00.000+0800' })],
    ];
    for (const [label, response] of cases) {
      expect(response.status, label).to.equal(400);
      expect(((await response.json()) as { type: string }).type, label).to.equal('InvalidRequestException');
    }
  });

  it('refuses a resource above the size limit', async () => {
    const huge = { name: 'huge.bpmn', content: 'x'.repeat(10 * 1024 * 1024 + 1) };
    const response = await deploy('huge', [huge]);
    expect(response.status).to.equal(400);
    expect(((await response.json()) as { message: string }).message).to.contain('huge.bpmn');
  });

  it('lists, counts, reads and downloads deployments and their resources', async () => {
    // given
    const deployment = (await (await deploy('listed', leaveRequest('leave_listed'))).json()) as DeploymentJson;
    // when
    const byName = await rest.json<{ id: string }[]>('/deployment?name=listed');
    const like = await rest.json<{ count: number }>('/deployment/count?nameLike=list%25');
    const sorted = await rest.json<{ name: string }[]>('/deployment?sortBy=name&sortOrder=desc&maxResults=1');
    const one = await rest.json<{ id: string; name: string }>(`/deployment/${deployment.id}`);
    const resources = await rest.json<{ id: string; name: string; deploymentId: string }[]>(`/deployment/${deployment.id}/resources`);
    const form = resources.find((r) => r.name === 'review.form');
    const data = await rest.request(`/deployment/${deployment.id}/resources/${form?.id}/data`);
    // then
    expect(byName.map((d) => d.id)).to.deep.equal([deployment.id]);
    expect(like.count).to.equal(1);
    expect(sorted).to.have.length(1);
    expect(one).to.include({ id: deployment.id, name: 'listed' });
    expect(form).to.include({ deploymentId: deployment.id });
    expect(data.status).to.equal(200);
    expect(data.headers.get('content-type')).to.equal('application/json');
    expect(JSON.parse(await data.text()).id).to.equal('leave-review');
  });

  it('deletes a deployment, refusing running instances without cascade', async () => {
    // given
    const deployment = (await (await deploy('deleted', leaveRequest('leave_deleted'))).json()) as DeploymentJson;
    const [definitionId] = Object.keys(deployment.deployedProcessDefinitions ?? {});
    const instance = await rest.json<{ id: string }>(`/process-definition/${definitionId}/start`, { body: {} });
    // when
    const refused = await rest.request(`/deployment/${deployment.id}`, { method: 'DELETE' });
    const deleted = await rest.request(`/deployment/${deployment.id}?cascade=true`, { method: 'DELETE' });
    // then
    expect(refused.status).to.equal(409);
    expect(deleted.status).to.equal(204);
    expect((await rest.request(`/deployment/${deployment.id}`)).status).to.equal(404);
    expect((await rest.request(`/process-definition/${definitionId}`)).status).to.equal(404);
    expect((await rest.request(`/process-instance/${instance.id}`)).status).to.equal(404);
  });

  it('answers unknown ids with 404, bad parameters with 400 and no credentials with 401', async () => {
    const cases: [string, number][] = [
      ['/deployment/nope', 404],
      ['/deployment/nope/resources', 404],
      ['/deployment/nope/resources/nope/data', 404],
      ['/deployment?maxResults=many', 400],
      ['/deployment?sortBy=name', 400],
      ['/deployment?sortBy=colour&sortOrder=asc', 400],
      ['/deployment?after=yesterday', 400],
    ];
    for (const [path, status] of cases) expect((await rest.request(path)).status, path).to.equal(status);
    expect((await rest.request('/deployment/nope', { method: 'DELETE' })).status).to.equal(404);
    expect((await rest.request('/deployment', { auth: null })).status).to.equal(401);
    expect((await rest.request('/deployment/create', { body: modelerDeploymentForm({ name: 'x', resources: leaveRequest('leave_401') }), auth: null })).status).to.equal(401);
  });
});
