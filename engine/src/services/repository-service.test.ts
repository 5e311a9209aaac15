import { expect } from 'chai';
import { BadUserRequestError, NotFoundError } from '../errors/index.js';
import { bpmn, countRows, flow, openTask, rejectionOf } from '../testing/bpmn.js';
import { describeOnDatabases } from '../testing/databases.js';

/** A one-task process whose task id says which version it is; the same arguments give the same bytes. */
function versioned(key: string, taskId: string, name = key): string {
  return bpmn(key, `
      <startEvent id="start"/>${flow('start', taskId, undefined, 'toTask')}
      <userTask id="${taskId}"/>${flow(taskId, 'end', undefined, 'toEnd')}
      <endEvent id="end"/>`, `name="${name}"`);
}

describeOnDatabases('services - versioning and duplicate filtering', (fixture) => {
  it('creates version n+1 of a key when a changed process is deployed again', async () => {
    // given
    const { repositoryService } = fixture().engine;
    const first = await repositoryService.deploy({ name: 'orders', resources: [{ name: 'orders.bpmn', content: versioned('rv_orders', 'v1') }] });
    // when
    const second = await repositoryService.deploy({ name: 'orders', resources: [{ name: 'orders.bpmn', content: versioned('rv_orders', 'v2') }] });
    // then
    expect(first.deployedProcessDefinitions.map((d) => d.version)).to.deep.equal([1]);
    expect(second.deployedProcessDefinitions.map((d) => [d.key, d.version, d.deploymentId])).to.deep.equal([['rv_orders', 2, second.deployment.id]]);
    expect(second.deployment.id).to.not.equal(first.deployment.id);
    const all = await repositoryService.listProcessDefinitions({ key: 'rv_orders', sortBy: 'version' });
    expect(all.map((d) => d.version)).to.deep.equal([1, 2]);
  });

  it('creates a new version even of an unchanged process when duplicate filtering is not asked', async () => {
    // given
    const { repositoryService } = fixture().engine;
    const xml = versioned('rv_unfiltered', 'only');
    await repositoryService.deploy({ name: 'unfiltered', resources: [{ name: 'p.bpmn', content: xml }] });
    // when
    const again = await repositoryService.deploy({ name: 'unfiltered', resources: [{ name: 'p.bpmn', content: xml }] });
    // then
    expect(again.deployedProcessDefinitions.map((d) => d.version)).to.deep.equal([2]);
  });

  it('returns the previous deployment for an unchanged one with duplicate filtering, creating nothing', async () => {
    // given
    const { engine } = fixture();
    const xml = versioned('rv_filtered', 'only');
    const first = await engine.repositoryService.deploy({ name: 'filtered', resources: [{ name: 'p.bpmn', content: xml }], enableDuplicateFiltering: true });
    const before = await countRows(engine);
    // when
    const again = await engine.repositoryService.deploy({ name: 'filtered', resources: [{ name: 'p.bpmn', content: xml }], enableDuplicateFiltering: true });
    // then
    expect(again.deployment.id).to.equal(first.deployment.id);
    expect(again.deployedProcessDefinitions).to.deep.equal([]);
    expect(await countRows(engine)).to.deep.equal(before);
  });

  it('deploys a changed resource with duplicate filtering, and every resource of the deployment with it', async () => {
    // given
    const { repositoryService } = fixture().engine;
    const resources = (a: string) => [
      { name: 'a.bpmn', content: versioned('rv_all_a', a) },
      { name: 'b.bpmn', content: versioned('rv_all_b', 'b1') },
    ];
    await repositoryService.deploy({ name: 'all', resources: resources('a1'), enableDuplicateFiltering: true });
    // when
    const changed = await repositoryService.deploy({ name: 'all', resources: resources('a2'), enableDuplicateFiltering: true });
    // then: as in Camunda, without deployChangedOnly one change redeploys the whole set
    expect(changed.deployedProcessDefinitions.map((d) => `${d.key}:${d.version}`)).to.have.members(['rv_all_a:2', 'rv_all_b:2']);
  });

  it('deploys only the changed resource of two with deployChangedOnly', async () => {
    // given
    const { repositoryService } = fixture().engine;
    const resources = (a: string) => [
      { name: 'a.bpmn', content: versioned('rv_changed_a', a) },
      { name: 'b.bpmn', content: versioned('rv_changed_b', 'b1') },
    ];
    const first = await repositoryService.deploy({ name: 'changed', resources: resources('a1'), enableDuplicateFiltering: true, deployChangedOnly: true });
    // when
    const second = await repositoryService.deploy({ name: 'changed', resources: resources('a2'), enableDuplicateFiltering: true, deployChangedOnly: true });
    // then
    expect(first.deployedProcessDefinitions.map((d) => `${d.key}:${d.version}`)).to.have.members(['rv_changed_a:1', 'rv_changed_b:1']);
    expect(second.deployedProcessDefinitions.map((d) => `${d.key}:${d.version}`)).to.deep.equal(['rv_changed_a:2']);
    expect(await rejectionOf(repositoryService.getResource(second.deployment.id, 'b.bpmn'))).to.be.instanceOf(NotFoundError);
    const latest = await repositoryService.listProcessDefinitions({ keysIn: ['rv_changed_a', 'rv_changed_b'], latestVersion: true, sortBy: 'key' });
    expect(latest.map((d) => [d.key, d.version, d.deploymentId])).to.deep.equal([
      ['rv_changed_a', 2, second.deployment.id],
      ['rv_changed_b', 1, first.deployment.id],
    ]);
  });

  it('compares each resource with its latest deployed version, even when the latest deployment lacks it', async () => {
    // given: the second deployment holds only a.bpmn, so b.bpmn's latest version is in the first
    const { engine } = fixture();
    const resources = (a: string) => [
      { name: 'a.bpmn', content: versioned('rv_latest_a', a) },
      { name: 'b.bpmn', content: versioned('rv_latest_b', 'b1') },
    ];
    const options = { name: 'latest-per-resource', enableDuplicateFiltering: true, deployChangedOnly: true };
    await engine.repositoryService.deploy({ ...options, resources: resources('a1') });
    const second = await engine.repositoryService.deploy({ ...options, resources: resources('a2') });
    const before = await countRows(engine);
    // when
    const third = await engine.repositoryService.deploy({ ...options, resources: resources('a2') });
    // then
    expect(third.deployment.id).to.equal(second.deployment.id);
    expect(third.deployedProcessDefinitions).to.deep.equal([]);
    expect(await countRows(engine)).to.deep.equal(before);
  });

  it('gives concurrent deployments of one key consecutive versions', async () => {
    // given
    const { repositoryService } = fixture().engine;
    const deploy = (task: string) => repositoryService.deploy({ name: 'concurrent', resources: [{ name: 'c.bpmn', content: versioned('rv_concurrent', task) }] });
    // when
    const results = await Promise.all(['a', 'b', 'c', 'd', 'e'].map(deploy));
    // then
    expect(results.map((r) => r.deployedProcessDefinitions[0]?.version).sort()).to.deep.equal([1, 2, 3, 4, 5]);
    expect(await repositoryService.countProcessDefinitions({ key: 'rv_concurrent' })).to.equal(5);
  });

  it('versions the definitions of each tenant apart and starts the tenant’s latest', async () => {
    // given
    const { engine } = fixture();
    const { repositoryService, runtimeService } = engine;
    const deploy = (task: string, tenantId?: string) =>
      repositoryService.deploy({ name: 'tenants', tenantId, resources: [{ name: 't.bpmn', content: versioned('rv_tenants', task) }] });
    await deploy('shared1');
    await deploy('districtA1', 'district-a');
    await deploy('districtA2', 'district-a');
    // when
    const forTenant = await runtimeService.startProcessInstanceByKey('rv_tenants', { tenantId: 'district-a' });
    const withoutTenant = await runtimeService.startProcessInstanceByKey('rv_tenants');
    // then
    const latest = await repositoryService.listProcessDefinitions({ key: 'rv_tenants', latestVersion: true, sortBy: 'version' });
    expect(latest.map((d) => [d.tenantId, d.version])).to.deep.equal([[null, 1], ['district-a', 2]]);
    expect(await runtimeService.getActiveActivityIds(forTenant.id)).to.deep.equal(['districtA2']);
    expect(forTenant.tenantId).to.equal('district-a');
    expect((await openTask(engine, forTenant.id, 'districtA2')).tenantId).to.equal('district-a');
    expect(await runtimeService.getActiveActivityIds(withoutTenant.id)).to.deep.equal(['shared1']);
    const missing = await rejectionOf(runtimeService.startProcessInstanceByKey('rv_tenants', { tenantId: 'district-b' }));
    expect(missing.message).to.equal("No process definition with key 'rv_tenants' for tenant 'district-b' is deployed");
  });

  it('does not filter a deployment of another name', async () => {
    // given
    const { repositoryService } = fixture().engine;
    const xml = versioned('rv_other_name', 'only');
    await repositoryService.deploy({ name: 'one-name', resources: [{ name: 'p.bpmn', content: xml }], enableDuplicateFiltering: true });
    // when
    const other = await repositoryService.deploy({ name: 'other-name', resources: [{ name: 'p.bpmn', content: xml }], enableDuplicateFiltering: true });
    // then
    expect(other.deployedProcessDefinitions.map((d) => d.version)).to.deep.equal([2]);
  });

  it('lists only the latest version of each key, with filters, count and paging', async () => {
    // given
    const { repositoryService } = fixture().engine;
    for (const task of ['t1', 't2', 't3']) {
      await repositoryService.deploy({ name: 'latest', resources: [{ name: 'x.bpmn', content: versioned('rv_list_x', task, '巡查上报') }] });
    }
    await repositoryService.deploy({ name: 'latest', resources: [{ name: 'y.bpmn', content: versioned('rv_list_y', 't1', '事件处置') }] });
    const query = { keysIn: ['rv_list_x', 'rv_list_y'], latestVersion: true } as const;
    // when
    const latest = await repositoryService.listProcessDefinitions({ ...query, sortBy: 'key', sortOrder: 'desc' });
    // then
    expect(latest.map((d) => `${d.key}:${d.version}`)).to.deep.equal(['rv_list_y:1', 'rv_list_x:3']);
    expect(latest.map((d) => d.name)).to.deep.equal(['事件处置', '巡查上报']);
    expect(await repositoryService.countProcessDefinitions(query)).to.equal(2);
    expect(await repositoryService.countProcessDefinitions({ key: 'rv_list_x' })).to.equal(3);
    const page = await repositoryService.listProcessDefinitions({ key: 'rv_list_x', sortBy: 'version', sortOrder: 'desc', firstResult: 1, maxResults: 1 });
    expect(page.map((d) => d.version)).to.deep.equal([2]);
    expect((await repositoryService.listProcessDefinitions({ key: 'rv_list_x', version: 1 })).map((d) => d.version)).to.deep.equal([1]);
    expect((await repositoryService.listProcessDefinitions({ nameLike: '巡查%', latestVersion: true })).map((d) => d.key)).to.deep.equal(['rv_list_x']);
  });

  it('gives the deployed XML back byte for byte', async () => {
    // given: non-ASCII text, CRLF line ends and odd spacing must survive as written
    const { repositoryService } = fixture().engine;
    const xml = `${versioned('rv_xml', 'review', '市容  巡查 — “网格”')}\r\n<!-- 备注 -->\r\n`;
    const { deployedProcessDefinitions: [definition], deployment } = await repositoryService.deploy({
      name: 'xml',
      resources: [{ name: 'xml.bpmn', content: Buffer.from(xml, 'utf8') }],
    });
    // when
    const text = await repositoryService.getProcessDefinitionXml(definition!.id);
    const bytes = await repositoryService.getResource(deployment.id, 'xml.bpmn');
    // then
    expect(text).to.equal(xml);
    expect(bytes.equals(Buffer.from(xml, 'utf8'))).to.equal(true);
    expect((await repositoryService.getProcessDefinition(definition!.id)).resourceName).to.equal('xml.bpmn');
  });

  it('starts the latest version by key while running instances keep their own version', async () => {
    // given
    const { engine } = fixture();
    const { repositoryService, runtimeService, taskService } = engine;
    const v1 = await repositoryService.deploy({ name: 'keep', resources: [{ name: 'keep.bpmn', content: versioned('rv_keep', 'oldStep') }] });
    const running = await runtimeService.startProcessInstanceByKey('rv_keep');
    const v2 = await repositoryService.deploy({ name: 'keep', resources: [{ name: 'keep.bpmn', content: versioned('rv_keep', 'newStep') }] });
    // when
    const started = await runtimeService.startProcessInstanceByKey('rv_keep');
    // then
    expect(started.definitionId).to.equal(v2.deployedProcessDefinitions[0]?.id);
    expect(await runtimeService.getActiveActivityIds(started.id)).to.deep.equal(['newStep']);
    expect(running.definitionId).to.equal(v1.deployedProcessDefinitions[0]?.id);
    expect(await runtimeService.getActiveActivityIds(running.id)).to.deep.equal(['oldStep']);
    await taskService.complete((await openTask(engine, running.id, 'oldStep')).id);
    expect((await engine.historyService.getProcessInstance(running.id)).state).to.equal('COMPLETED');
  });

  it('deploys and starts a process whose key is too long to fit into a readable definition id', async () => {
    // given: key:version:uuid would exceed the 64 characters of an id column
    const { repositoryService, runtimeService } = fixture().engine;
    const key = 'rv_city_operation_street_vendor_complaint_handling';
    // when
    const { deployedProcessDefinitions: [definition] } = await repositoryService.deploy({
      name: 'long-key',
      resources: [{ name: 'long.bpmn', content: versioned(key, 'step') }],
    });
    const instance = await runtimeService.startProcessInstanceByKey(key);
    // then
    expect(definition?.id).to.match(/^[0-9a-f-]{36}$/);
    expect(definition?.key).to.equal(key);
    expect(instance.definitionId).to.equal(definition?.id);
    expect(await runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['step']);
  });

  it('starts an older version by its id', async () => {
    // given
    const { repositoryService, runtimeService } = fixture().engine;
    const v1 = await repositoryService.deploy({ name: 'by-id', resources: [{ name: 'p.bpmn', content: versioned('rv_by_id', 'first') }] });
    await repositoryService.deploy({ name: 'by-id', resources: [{ name: 'p.bpmn', content: versioned('rv_by_id', 'second') }] });
    // when
    const instance = await runtimeService.startProcessInstanceById(v1.deployedProcessDefinitions[0]!.id);
    // then
    expect(await runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['first']);
  });

  it('refuses to start an unknown key or id, naming it, and writes nothing', async () => {
    // given
    const { engine } = fixture();
    const before = await countRows(engine);
    // when
    const byKey = await rejectionOf(engine.runtimeService.startProcessInstanceByKey('rv_never_deployed'));
    const byId = await rejectionOf(engine.runtimeService.startProcessInstanceById('rv_never:1:x'));
    // then
    expect(byKey).to.be.instanceOf(NotFoundError);
    expect(byKey.message).to.equal("No process definition with key 'rv_never_deployed' is deployed");
    expect(byId).to.be.instanceOf(NotFoundError);
    expect(byId.message).to.contain("'rv_never:1:x'");
    expect(await countRows(engine)).to.deep.equal(before);
  });

  it('answers unknown definitions, deployments and resources with NotFoundError', async () => {
    // given
    const { repositoryService } = fixture().engine;
    const { deployment } = await repositoryService.deploy({ name: 'nf', resources: [{ name: 'nf.bpmn', content: versioned('rv_not_found', 'x') }] });
    // when
    const errors = await Promise.all([
      rejectionOf(repositoryService.getProcessDefinition('missing')),
      rejectionOf(repositoryService.getProcessDefinitionXml('missing')),
      rejectionOf(repositoryService.getDeployment('missing')),
      rejectionOf(repositoryService.getResource(deployment.id, 'other.bpmn')),
    ]);
    // then
    for (const error of errors) expect(error).to.be.instanceOf(NotFoundError);
    expect((await repositoryService.getDeployment(deployment.id)).name).to.equal('nf');
  });

  it('refuses a sort key that is not offered, even one every object has', async () => {
    // given
    const { repositoryService } = fixture().engine;
    // when
    const errors = await Promise.all(
      ['deployTime', 'constructor', 'toString', '__proto__'].map((sortBy) => rejectionOf(repositoryService.listProcessDefinitions({ sortBy: sortBy as never }))),
    );
    // then
    for (const error of errors) {
      expect(error).to.be.instanceOf(BadUserRequestError);
      expect(error.message).to.match(/^Cannot sort by '.*': use one of key, name, version, id, deploymentId$/);
    }
  });
});
