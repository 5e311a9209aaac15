import { expect } from 'chai';
import { bpmn, flow } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { startRestServer, type RestClient } from '../../testing/rest.js';

/** A Camunda form with one number field, `amount`: submissions are validated against it. */
function amountForm(id: string): string {
  return JSON.stringify({ id, type: 'default', schemaVersion: 16, components: [{ type: 'number', key: 'amount', label: 'Amount', id: 'field_amount' }] });
}

interface DefinitionJson {
  id: string;
  key: string;
  name: string | null;
  version: number;
  startableInTasklist: boolean;
}

describeOnDatabases('api/engine-rest - process definitions', (fixture) => {
  let rest: RestClient;
  let v1: string;
  let v2: string;
  let plain: string;

  before(async () => {
    const { engine } = fixture();
    rest = await startRestServer(engine);
    const withForm = (name: string) => bpmn('pd_order', `
      <startEvent id="start" camunda:formKey="camunda-forms:deployment:order.form"/>${flow('start', 'check')}
      <userTask id="check"/>${flow('check', 'end')}
      <endEvent id="end"/>`, `name="${name}"`);
    const deployOrder = async (name: string) => {
      const result = await engine.repositoryService.deploy({
        name: 'orders',
        resources: [{ name: 'order.bpmn', content: withForm(name) }, { name: 'order.form', content: amountForm('order') }],
      });
      return result.deployedProcessDefinitions[0]?.id as string;
    };
    v1 = await deployOrder('Order');
    v2 = await deployOrder('Order v2');
    const result = await engine.repositoryService.deploy({
      name: 'plain',
      resources: [{ name: 'plain.bpmn', content: bpmn('pd_plain', `<startEvent id="s"/>${flow('s', 'e')}<endEvent id="e"/>`) }],
    });
    plain = result.deployedProcessDefinitions[0]?.id as string;
  });

  after(async () => {
    await rest.server.close();
  });

  it('lists and counts definitions with filters, paging and sorting', async () => {
    const byKey = await rest.json<DefinitionJson[]>('/process-definition?key=pd_order&sortBy=version&sortOrder=desc');
    const latest = await rest.json<DefinitionJson[]>('/process-definition?keysIn=pd_order,pd_plain&latestVersion=true&sortBy=key&sortOrder=asc');
    const page = await rest.json<DefinitionJson[]>('/process-definition?key=pd_order&sortBy=version&sortOrder=asc&firstResult=1&maxResults=1');
    const like = await rest.json<{ count: number }>('/process-definition/count?nameLike=Order%25&version=2');
    expect(byKey.map((d) => d.version)).to.deep.equal([2, 1]);
    expect(byKey[0]).to.include({ id: v2, key: 'pd_order', name: 'Order v2', startableInTasklist: true });
    expect(Object.keys(byKey[0] as object)).to.include.members(['category', 'description', 'resource', 'deploymentId', 'diagram', 'suspended', 'tenantId', 'versionTag', 'historyTimeToLive']);
    expect(latest.map((d) => d.id)).to.deep.equal([v2, plain]);
    expect(page.map((d) => d.id)).to.deep.equal([v2]);
    expect(like.count).to.equal(1);
  });

  it('reads a definition by id and by key (the latest), and its XML', async () => {
    expect((await rest.json<DefinitionJson>(`/process-definition/${v1}`)).version).to.equal(1);
    expect((await rest.json<DefinitionJson>('/process-definition/key/pd_order')).id).to.equal(v2);
    const xml = await rest.json<{ id: string; bpmn20Xml: string }>('/process-definition/key/pd_order/xml');
    expect(xml.id).to.equal(v2);
    expect(xml.bpmn20Xml).to.contain('name="Order v2"');
  });

  it('starts an instance by key with typed variables and returns them when asked', async () => {
    const instance = await rest.json<Record<string, unknown>>('/process-definition/key/pd_order/start', {
      body: { businessKey: 'ORDER-7', variables: { amount: { type: 'Long', value: 1200 }, note: { type: 'String', value: 'rush' } }, withVariablesInReturn: true },
    });
    expect(instance).to.include({ definitionId: v2, businessKey: 'ORDER-7', caseInstanceId: null, ended: false, suspended: false, tenantId: null });
    expect(instance.links).to.have.length(1);
    expect(instance.variables).to.deep.equal({
      amount: { type: 'Long', value: 1200, valueInfo: {} },
      note: { type: 'String', value: 'rush', valueInfo: {} },
    });
    // an instance that ends at once returns its last variables too
    const ended = await rest.json<{ ended: boolean; variables: Record<string, { value: unknown }> }>(`/process-definition/${plain}/start`, {
      body: { variables: { done: { type: 'Boolean', value: true } }, withVariablesInReturn: true },
    });
    expect(ended.ended).to.equal(true);
    expect(ended.variables.done?.value).to.equal(true);
  });

  it('answers the start form reference and the deployed start form; 404 without one', async () => {
    expect(await rest.json(`/process-definition/${v1}/startForm`)).to.deep.equal({ key: 'camunda-forms:deployment:order.form', contextPath: null, camundaFormRef: null });
    const form = await rest.request('/process-definition/key/pd_order/deployed-start-form');
    expect(form.headers.get('content-type')).to.equal('application/json');
    expect(((await form.json()) as { id: string }).id).to.equal('order');
    const none = await rest.request(`/process-definition/${plain}/deployed-start-form`);
    expect(none.status).to.equal(404);
    expect(((await none.json()) as { message: string }).message).to.contain('has no form');
  });

  it('starts an instance from a submitted start form', async () => {
    const instance = await rest.json<{ id: string; businessKey: string }>(`/process-definition/${v1}/submit-form`, {
      body: { businessKey: 'FORM-1', variables: { amount: { type: 'Integer', value: 5 } } },
    });
    expect(instance.businessKey).to.equal('FORM-1');
    expect(await fixture().engine.runtimeService.getVariable(instance.id, 'amount')).to.equal(5);
  });

  it('answers unknown ids with 404, bad input with 400 and no credentials with 401', async () => {
    for (const path of ['/process-definition/nope', '/process-definition/key/nope', '/process-definition/nope/xml', '/process-definition/nope/startForm', '/process-definition/key/nope/deployed-start-form']) {
      expect((await rest.request(path)).status, path).to.equal(404);
    }
    expect((await rest.request('/process-definition/nope/start', { body: {} })).status).to.equal(404);
    for (const path of ['/process-definition?version=two', '/process-definition?latestVersion=maybe', '/process-definition?sortBy=colour&sortOrder=asc', '/process-definition?maxResults=-1']) {
      expect((await rest.request(path)).status, path).to.equal(400);
    }
    const bodies = [
      { variables: { amount: { type: 'Integer', value: 'many' } } },
      { variables: { amount: { type: 'Colour', value: 'red' } } },
      { variables: { amount: 5 } },
      { startInstructions: [{ type: 'startBeforeActivity', activityId: 'check' }] },
    ];
    for (const body of bodies) {
      const response = await rest.request(`/process-definition/${v1}/start`, { body });
      expect(response.status, JSON.stringify(body)).to.equal(400);
    }
    const malformed = await rest.request(`/process-definition/${v1}/start`, { body: '{"variables":', headers: { 'Content-Type': 'application/json' } });
    expect(malformed.status).to.equal(400);
    expect((await rest.request('/process-definition', { auth: null })).status).to.equal(401);
    expect((await rest.request(`/process-definition/${v1}/start`, { body: {}, auth: null })).status).to.equal(401);
  });
});
