import { expect } from 'chai';
import { bpmn, countRows, flow } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { modelerDeploymentForm, type ModelerResource } from '../../testing/modeler.js';
import { startRestServer, type RestClient } from '../../testing/rest.js';

type Json = Record<string, unknown>;
interface FieldErrorJson {
  field: string;
  label: string | null;
  rule: string;
  message: string;
}
interface FormJson {
  id: string;
  components: { key: string; label: string; readonly?: boolean }[];
}

/** A case report: a required title, an amount from 0 to 100, an internal remark, a note. `titleLabel` tells versions apart. */
function caseForm(id: string, titleLabel = '标题'): string {
  return JSON.stringify({
    id,
    type: 'default',
    schemaVersion: 16,
    components: [
      { id: 'f_title', type: 'textfield', key: 'title', label: titleLabel, validate: { required: true } },
      { id: 'f_amount', type: 'number', key: 'amount', label: '金额', validate: { min: 0, max: 100 } },
      { id: 'f_remark', type: 'textfield', key: 'remark', label: '内部意见' },
      { id: 'f_note', type: 'textarea', key: 'note', label: '备注' },
    ],
  });
}

/** `camunda:properties` of field permissions. */
function permissions(entries: Record<string, string>): string {
  const properties = Object.entries(entries).map(([key, access]) => `<camunda:property name="yiwang:field:${key}" value="${access}"/>`).join('');
  return `<extensionElements><camunda:properties>${properties}</camunda:properties></extensionElements>`;
}

/**
 * A case: started from its start form (the deployment's version of `formId`), reviewed with the
 * title read-only and the remark hidden, then closed with the form the deployment names by file.
 */
function caseProcess(processId: string, formId: string, reviewName = 'Review'): string {
  return bpmn(processId, `
    <startEvent id="start" camunda:formRef="${formId}" camunda:formRefBinding="deployment"/>${flow('start', 'review')}
    <userTask id="review" name="${reviewName}" camunda:formRef="${formId}">${permissions({ title: 'readonly', remark: 'hidden' })}</userTask>${flow('review', 'close')}
    <userTask id="close" camunda:formKey="camunda-forms:deployment:case.form"/>${flow('close', 'end')}
    <endEvent id="end"/>`);
}

describeOnDatabases('api/engine-rest - forms: versions, pinning, field permissions and submissions', (fixture) => {
  let rest: RestClient;

  before(async () => {
    rest = await startRestServer(fixture().engine);
  });

  after(async () => {
    await rest.server.close();
  });

  async function deploy(name: string, resources: ModelerResource[]): Promise<{ id: string; definitions: Json[] }> {
    const deployment = await rest.json<Json>('/deployment/create', { body: modelerDeploymentForm({ name, resources }) });
    return { id: deployment.id as string, definitions: Object.values((deployment.deployedProcessDefinitions ?? {}) as Record<string, Json>) };
  }

  const formVersions = async (key: string) => (await fixture().engine.formService.listFormVersions(key)).map((v) => v.version);

  async function startCase(definitionId: string, variables: Json = {}): Promise<{ instanceId: string; taskId: string }> {
    const instance = await rest.json<{ id: string }>(`/process-definition/${definitionId}/submit-form`, { body: { variables } });
    const [task] = await rest.json<{ id: string }[]>(`/task?processInstanceId=${instance.id}`);
    return { instanceId: instance.id, taskId: task?.id as string };
  }

  const titleLabel = (form: FormJson) => form.components.find((c) => c.key === 'title')?.label;
  const submitForm = (path: string, variables: Json, language?: string) =>
    rest.request(path, { body: { variables }, headers: language ? { 'Accept-Language': language } : {} });
  const fieldErrors = async (response: Response) => {
    expect(response.status).to.equal(400);
    const body = (await response.json()) as { errors: FieldErrorJson[] };
    return body.errors.map(({ field, rule }) => `${field}:${rule}`);
  };

  it('deploys forms with their process as Modeler does, making a new form version only when a form changed', async () => {
    // given Modeler's deploy of a diagram with its form
    const resources = [{ name: 'cases.bpmn', content: caseProcess('fm_versions', 'fm-versions') }, { name: 'case.form', content: caseForm('fm-versions') }];
    const first = await deploy('fm-versions', resources);
    // when the same files are deployed again, then a changed form alone, then the form again as it was
    await deploy('fm-versions', resources);
    const versionsAfterSame = await formVersions('fm-versions');
    await deploy('fm-versions', [resources[0] as ModelerResource, { name: 'case.form', content: caseForm('fm-versions', '案件标题') }]);
    // then
    expect(first.definitions).to.have.length(1);
    expect(versionsAfterSame).to.deep.equal([1]);
    expect(await formVersions('fm-versions')).to.deep.equal([2, 1]);
    // the unchanged diagram was not deployed again, so its definition keeps the version it was pinned to
    const form = await rest.json<FormJson>(`/process-definition/${first.definitions[0]?.id}/deployed-start-form`);
    expect(titleLabel(form)).to.equal('标题');
  });

  it('keeps a running case on the form version it started with when a new version is deployed', async () => {
    // given a case started on the first version
    const first = await deploy('fm-pinning', [{ name: 'cases.bpmn', content: caseProcess('fm_pinning', 'fm-pinning') }, { name: 'case.form', content: caseForm('fm-pinning') }]);
    const running = await startCase(first.definitions[0]?.id as string, { title: { value: 'first case' } });
    // when the process is deployed again with a changed form
    const second = await deploy('fm-pinning', [
      { name: 'cases.bpmn', content: caseProcess('fm_pinning', 'fm-pinning', 'Review again') },
      { name: 'case.form', content: caseForm('fm-pinning', '案件标题') },
    ]);
    const later = await startCase(second.definitions[0]?.id as string, { title: { value: 'second case' } });
    // then each case shows the version its definition was pinned to
    expect(titleLabel(await rest.json<FormJson>(`/task/${running.taskId}/deployed-form`))).to.equal('标题');
    expect(titleLabel(await rest.json<FormJson>(`/task/${later.taskId}/deployed-form`))).to.equal('案件标题');
    expect(await formVersions('fm-pinning')).to.deep.equal([2, 1]);
  });

  it('resolves every binding at deploy: deployment, latest, version and the deployment form key', async () => {
    // given two versions of a form
    await deploy('fm-bindings-forms', [{ name: 'case.form', content: caseForm('fm-bindings', 'v1') }]);
    await deploy('fm-bindings-forms', [{ name: 'case.form', content: caseForm('fm-bindings', 'v2') }]);
    // when a process is deployed without the form, with one task per binding
    const { definitions } = await deploy('fm-bindings', [{
      name: 'bindings.bpmn',
      content: bpmn('fm_bindings', `
        <startEvent id="start"/>${flow('start', 'fork')}
        <parallelGateway id="fork"/>${flow('fork', 'latest')}${flow('fork', 'pinned')}${flow('fork', 'own')}
        <userTask id="latest" camunda:formRef="fm-bindings" camunda:formRefBinding="latest"/>${flow('latest', 'end1')}
        <userTask id="pinned" camunda:formRef="fm-bindings" camunda:formRefBinding="version" camunda:formRefVersion="1"/>${flow('pinned', 'end2')}
        <userTask id="own" camunda:formKey="camunda-forms:deployment:own.form"/>${flow('own', 'end3')}
        <endEvent id="end1"/><endEvent id="end2"/><endEvent id="end3"/>`),
    }, { name: 'own.form', content: caseForm('fm-bindings-own', 'own') }]);
    const instance = await rest.json<{ id: string }>(`/process-definition/${definitions[0]?.id}/start`, { body: {} });
    const tasks = await rest.json<{ id: string; taskDefinitionKey: string }[]>(`/task?processInstanceId=${instance.id}`);
    const labelAt = async (activityId: string) => titleLabel(await rest.json<FormJson>(`/task/${tasks.find((t) => t.taskDefinitionKey === activityId)?.id}/deployed-form`));
    // then
    expect(await labelAt('latest')).to.equal('v2');
    expect(await labelAt('pinned')).to.equal('v1');
    expect(await labelAt('own')).to.equal('own');
  });

  it('refuses a deploy whose form cannot be found, naming the task and the form, and writes nothing', async () => {
    // given
    const before = await countRows(fixture().engine);
    const cases: [string, string][] = [
      ['<userTask id="task" camunda:formRef="fm-nowhere"/>', "User task 'task' references the form 'fm-nowhere'"],
      ['<userTask id="task" camunda:formKey="camunda-forms:deployment:missing.form"/>', "the form resource 'missing.form'"],
      ['<userTask id="task" camunda:formRef="fm-nowhere" camunda:formRefBinding="version" camunda:formRefVersion="7"/>', "version 7 of form 'fm-nowhere'"],
      [`<userTask id="task" camunda:formKey="camunda-forms:deployment:case.form">${permissions({ nothing: 'hidden' })}</userTask>`, 'yiwang:field:nothing'],
      [`<userTask id="task" camunda:formKey="camunda-forms:deployment:case.form">${permissions({ title: 'invisible' })}</userTask>`, "yiwang:field:title = 'invisible'"],
    ];
    for (const [task, expected] of cases) {
      // when
      const response = await rest.request('/deployment/create', {
        body: modelerDeploymentForm({
          name: 'fm-missing',
          resources: [{ name: 'missing.bpmn', content: bpmn('fm_missing', `<startEvent id="start"/>${flow('start', 'task')}${task}${flow('task', 'end')}<endEvent id="end"/>`) }, { name: 'case.form', content: caseForm('fm-missing') }],
        }),
      });
      // then
      expect(response.status, task).to.equal(400);
      const error = (await response.json()) as { type: string; message: string };
      expect(error.type, task).to.equal('ParseException');
      expect(error.message, task).to.match(/^ENGINE-09005 Could not parse BPMN process\./).and.to.contain(expected).and.to.contain("element 'task'");
    }
    expect(await countRows(fixture().engine)).to.deep.equal(before);
  });

  it("withholds the fields a task hides from its form and its form variables, flags read-only ones, and leaves the start form whole", async () => {
    // given
    const { definitions } = await deploy('fm-permissions', [{ name: 'cases.bpmn', content: caseProcess('fm_permissions', 'fm-permissions') }, { name: 'case.form', content: caseForm('fm-permissions') }]);
    const definitionId = definitions[0]?.id as string;
    const { taskId } = await startCase(definitionId, { title: { value: '占道经营' }, remark: { value: '内部' }, amount: { type: 'Integer', value: 5 } });
    // when
    const startForm = await rest.json<FormJson>(`/process-definition/${definitionId}/deployed-start-form`);
    const taskForm = await rest.json<FormJson>(`/task/${taskId}/deployed-form`);
    const variables = await rest.json<Json>(`/task/${taskId}/form-variables`);
    // then
    expect(startForm.components.map((c) => c.key)).to.deep.equal(['title', 'amount', 'remark', 'note']);
    expect(taskForm.components.map((c) => c.key)).to.deep.equal(['title', 'amount', 'note']);
    expect(taskForm.components.find((c) => c.key === 'title')?.readonly).to.equal(true);
    expect(Object.keys(variables).sort()).to.deep.equal(['amount', 'title']);
    expect(Object.keys(await rest.json<Json>(`/task/${taskId}/variables`)).sort()).to.deep.equal(['amount', 'remark', 'title']);
  });

  it('refuses a task submission that sets a hidden field or changes a read-only one, and accepts the read-only value unchanged', async () => {
    // given
    const { definitions } = await deploy('fm-submit', [{ name: 'cases.bpmn', content: caseProcess('fm_submit', 'fm-submit') }, { name: 'case.form', content: caseForm('fm-submit') }]);
    const { instanceId, taskId } = await startCase(definitions[0]?.id as string, { title: { value: '占道经营' } });
    // when
    const hidden = await submitForm(`/task/${taskId}/submit-form`, { title: { value: '占道经营' }, remark: { value: 'sneaked in' } });
    const changed = await submitForm(`/task/${taskId}/submit-form`, { title: { value: '另一个标题' } });
    const accepted = await submitForm(`/task/${taskId}/submit-form`, { title: { value: '占道经营' }, note: { value: '已核实' } });
    // then
    expect(await fieldErrors(hidden)).to.deep.equal(['remark:hidden']);
    expect(await fieldErrors(changed)).to.deep.equal(['title:readonly']);
    expect(accepted.status).to.equal(204);
    expect(await fixture().engine.runtimeService.getVariable(instanceId, 'note')).to.equal('已核实');
    expect(await fixture().engine.runtimeService.getVariable(instanceId, 'remark')).to.equal(null);
  });

  it('answers a failing submission with every failing field and writes nothing; complete and start stay unvalidated', async () => {
    // given
    const { definitions } = await deploy('fm-invalid', [{ name: 'cases.bpmn', content: caseProcess('fm_invalid', 'fm-invalid') }, { name: 'case.form', content: caseForm('fm-invalid') }]);
    const definitionId = definitions[0]?.id as string;
    const { taskId } = await startCase(definitionId, { title: { value: '占道经营' } });
    const before = await countRows(fixture().engine);
    // when
    const start = await submitForm(`/process-definition/${definitionId}/submit-form`, { amount: { type: 'Integer', value: 500 }, colour: { value: 'red' } });
    const task = await submitForm(`/task/${taskId}/submit-form`, { amount: { type: 'Integer', value: -1 } });
    const unknownTask = await submitForm('/task/nope/submit-form', {});
    // then
    expect(await fieldErrors(start)).to.have.members(['title:required', 'amount:max', 'colour:unknown']);
    expect(await fieldErrors(task)).to.deep.equal(['amount:min']);
    expect(unknownTask.status).to.equal(404);
    expect(await countRows(fixture().engine)).to.deep.equal(before);
    // machine calls keep Camunda's behaviour
    const started = await rest.request(`/process-definition/${definitionId}/start`, { body: { variables: { amount: { type: 'Integer', value: 500 } } } });
    const completed = await rest.request(`/task/${taskId}/complete`, { body: { variables: { remark: { value: 'set by a machine' }, amount: { type: 'Integer', value: -1 } } } });
    expect(started.status).to.equal(200);
    expect(completed.status).to.equal(204);
  });

  it('says what failed in Chinese by default and in English when Accept-Language prefers it', async () => {
    // given
    const { definitions } = await deploy('fm-language', [{ name: 'cases.bpmn', content: caseProcess('fm_language', 'fm-language') }, { name: 'case.form', content: caseForm('fm-language') }]);
    const path = `/process-definition/${definitions[0]?.id}/submit-form`;
    const messages = async (language?: string) => ((await (await submitForm(path, { title: { value: 'x' }, amount: { type: 'Integer', value: 500 } }, language)).json()) as { errors: FieldErrorJson[] }).errors;
    // when
    const chinese = await messages();
    const english = await messages('en-US,en;q=0.9');
    const preferChinese = await messages('zh-CN,zh;q=0.9,en;q=0.8');
    // then
    expect(chinese).to.deep.equal([{ field: 'amount', label: '金额', rule: 'max', message: chinese[0]?.message }]);
    expect(chinese[0]?.message).to.contain('不能大于 100');
    expect(english[0]?.message).to.contain('must be at most 100');
    expect(preferChinese[0]?.message).to.equal(chinese[0]?.message);
  });
});
