import { expect } from 'chai';
import { CreateDictionaryCmd } from '../../dictionaries/index.js';
import { bpmn, flow } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../../testing/organisation.js';
import { startSignedInApi, type SignedInClient } from '../../testing/signed-in-app.js';

const { countyA, countyB } = TENANT_TREE;

interface StartableJson {
  id: string;
  key: string;
  name: string | null;
  version: number;
  category: string | null;
  categoryLabel: string | null;
  hasStartForm: boolean;
}
interface CaseJson {
  id: string;
  businessKey: string | null;
  processName: string | null;
  processDefinitionKey: string | null;
  state: string;
  startTime: string;
  endTime: string | null;
}
interface DiagramJson {
  processDefinitionId: string;
  bpmnXml: string;
  activities: { activityId: string; state: string; count: number }[];
  incidents: string[];
}

const REPORT_FORM = { id: 'pr-report', type: 'default', schemaVersion: 16, components: [{ id: 'f_title', type: 'textfield', key: 'title', label: '标题' }] };

/** A one-task process named `name`, of `category` when given, whose start event has the report form when `withForm`. */
function process(key: string, name: string, category?: string, withForm = false): string {
  const properties = category ? `<extensionElements><camunda:properties><camunda:property name="yiwang:category" value="${category}"/></camunda:properties></extensionElements>` : '';
  return bpmn(key, `${properties}
    <startEvent id="start"${withForm ? ' camunda:formRef="pr-report"' : ''}/>${flow('start', 'accept')}
    <userTask id="accept" name="受理" camunda:assignee="\${starter}"/>${flow('accept', 'call')}
    <serviceTask id="call" name="外呼" camunda:type="external" camunda:topic="pr-call"/>${flow('call', 'end')}
    <endEvent id="end"/>`, `name="${name}"`);
}

describeOnDatabases('api/platform - start catalogue, finding cases and a case diagram', (fixture) => {
  let api: SignedInClient;

  before(async () => {
    const { engine } = fixture();
    const clerk = ['task:read', 'task:handle', 'instance:read', 'process:read', 'process:start'];
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      roles: [
        { tenantId: countyA, code: 'clerk', permissions: clerk },
        { tenantId: countyA, code: 'narrow', permissions: clerk, dataScope: 'self' },
        { tenantId: countyA, code: 'reader', permissions: ['task:read'] },
        { tenantId: countyB, code: 'clerk', permissions: clerk },
      ],
      users: [
        { id: 'a-clerk', tenantId: countyA, roles: ['clerk'] },
        { id: 'a-narrow', tenantId: countyA, roles: ['narrow'] },
        { id: 'a-reader', tenantId: countyA, roles: ['reader'] },
        { id: 'b-clerk', tenantId: countyB, roles: ['clerk'] },
      ],
    });
    await engine.commandExecutor.execute(new CreateDictionaryCmd({
      code: 'process-category', name: '流程分类',
      items: [
        { code: 'command', label: '指挥协调', labelEn: 'Command and coordination' },
        { code: 'public-service', label: '公众服务', labelEn: 'Public service' },
        { code: 'monitoring', label: '运行监测', labelEn: 'Operation monitoring' },
      ],
    }));
    const deploy = (name: string, tenantId: string | undefined, resources: { name: string; content: string }[]) => engine.repositoryService.deploy({ name, tenantId, resources });
    // shared: a report process (countyA has its own of the key) and a public-service one
    await deploy('shared', undefined, [{ name: 'report.bpmn', content: process('pr_report', '共享上报', 'command') }, { name: 'hotline.bpmn', content: process('pr_hotline', '热线', 'public-service') }]);
    await deploy('a', countyA, [
      { name: 'report.bpmn', content: process('pr_report', '案件上报', 'command', true) }, { name: 'report.form', content: JSON.stringify(REPORT_FORM) },
      { name: 'patrol.bpmn', content: process('pr_patrol', '巡查', 'monitoring') },
      { name: 'plain.bpmn', content: process('pr_plain', '杂项') },
      { name: 'odd.bpmn', content: process('pr_odd', '未知分类', 'no-such-category') },
      { name: 'hidden.bpmn', content: process('pr_hidden', '不可发起') },
      { name: 'paused.bpmn', content: process('pr_paused', '已挂起') },
    ]);
    // a second version of 巡查: the catalogue offers the latest
    await deploy('a2', countyA, [{ name: 'patrol.bpmn', content: `${process('pr_patrol', '巡查', 'monitoring')}<!-- v2 -->` }]);
    await deploy('b', countyB, [{ name: 'b.bpmn', content: process('pr_b_only', '乙县流程', 'command') }]);
    await engine.database.transaction(async (sql) => {
      await sql.execute('UPDATE process_definition SET startable = $1 WHERE key_ = $2', [false, 'pr_hidden']);
      await sql.execute('UPDATE process_definition SET suspended = $1 WHERE key_ = $2', [true, 'pr_paused']);
    });
    api = await startSignedInApi(engine);
  });

  after(async () => {
    await api?.close();
  });

  const start = async (key: string, businessKey: string, as = 'a-clerk', tenantId: string = countyA) =>
    (await fixture().engine.forUser(as).runtimeService.startProcessInstanceByKey(key, { businessKey, tenantId, variables: { starter: as } })).id;

  describe('GET /process-definitions/startable', () => {
    it("lists the latest startable version of each key of the caller's tenant and the shared ones, by category then name, labelled in Chinese", async () => {
      // when
      const catalogue = await api.json<StartableJson[]>('/process-definitions/startable', { as: 'a-clerk' });
      // then
      expect(catalogue.map((p) => [p.key, p.name, p.version, p.category, p.categoryLabel, p.hasStartForm])).to.deep.equal([
        ['pr_report', '案件上报', 1, 'command', '指挥协调', true],
        ['pr_hotline', '热线', 1, 'public-service', '公众服务', false],
        ['pr_patrol', '巡查', 2, 'monitoring', '运行监测', false],
        ['pr_odd', '未知分类', 1, 'no-such-category', 'no-such-category', false],
        ['pr_plain', '杂项', 1, null, null, false],
      ]);
      const report = catalogue[0] as StartableJson;
      const own = await fixture().engine.repositoryService.listProcessDefinitions({ key: 'pr_report', tenantIdIn: [countyA] });
      expect(report.id).to.equal(own[0]?.id);
    });

    it('labels the categories in English when the request asks for it', async () => {
      // when
      const response = await api.request('/process-definitions/startable', { as: 'a-clerk', headers: { 'Accept-Language': 'en' } });
      const catalogue = (await response.json()) as StartableJson[];
      // then
      expect(catalogue.map((p) => p.categoryLabel)).to.deep.equal(['Command and coordination', 'Public service', 'Operation monitoring', 'no-such-category', null]);
    });

    it("shows another tenant only its own and the shared processes, and needs process:start", async () => {
      // when
      const catalogue = await api.json<StartableJson[]>('/process-definitions/startable', { as: 'b-clerk' });
      const refused = await api.request('/process-definitions/startable', { as: 'a-reader' });
      // then
      // names in pinyin order within a category: 共享 (gòng) before 乙县 (yǐ)
      expect(catalogue.map((p) => [p.key, p.name])).to.deep.equal([['pr_report', '共享上报'], ['pr_b_only', '乙县流程'], ['pr_hotline', '热线']]);
      expect(refused.status).to.equal(403);
    });
  });

  describe('GET /instances and /instances/count', () => {
    let first: string;
    let second: string;
    let third: string;
    before(async () => {
      first = await start('pr_patrol', 'PR-2026-001');
      second = await start('pr_patrol', 'PR-2026-002');
      third = await start('pr_report', 'PR-2027-001');
      await start('pr_b_only', 'PR-2026-009', 'b-clerk', countyB);
    });

    it('finds a case by its exact number, with its process and state', async () => {
      // when
      const found = await api.json<CaseJson[]>('/instances?businessKey=PR-2026-001', { as: 'a-clerk' });
      // then
      expect(found).to.have.length(1);
      expect(found[0]).to.include({ id: first, businessKey: 'PR-2026-001', processName: '巡查', processDefinitionKey: 'pr_patrol', state: 'ACTIVE', endTime: null });
      expect(Date.parse(found[0]?.startTime as string)).to.be.greaterThan(0);
    });

    it('finds cases by the beginning of their number, newest first, a page at a time, and counts them', async () => {
      // when
      const all = await api.json<CaseJson[]>('/instances?businessKeyLike=PR-2026-', { as: 'a-clerk' });
      const page = await api.json<CaseJson[]>('/instances?businessKeyLike=PR-2026-&firstResult=1&maxResults=1', { as: 'a-clerk' });
      const count = await api.json<{ count: number }>('/instances/count?businessKeyLike=PR-2026-', { as: 'a-clerk' });
      const wildcard = await api.json<CaseJson[]>('/instances?businessKeyLike=PR_2026', { as: 'a-clerk' });
      const everything = await api.json<{ count: number }>('/instances/count?businessKeyLike=PR-', { as: 'a-clerk' });
      // then
      expect(all.map((c) => c.id)).to.deep.equal([second, first]);
      expect(page.map((c) => c.id)).to.deep.equal([first]);
      expect(count.count).to.equal(2);
      expect(wildcard, '_ matches itself').to.deep.equal([]);
      expect(everything.count).to.equal(3);
      expect(third).to.be.a('string');
    });

    it("finds a process's cases, newest first, also by the beginning of their number, and counts them", async () => {
      // when
      const patrols = await api.json<CaseJson[]>('/instances?processDefinitionKey=pr_patrol', { as: 'a-clerk' });
      const count = await api.json<{ count: number }>('/instances/count?processDefinitionKey=pr_patrol', { as: 'a-clerk' });
      const numbered = await api.json<CaseJson[]>('/instances?processDefinitionKey=pr_patrol&businessKeyLike=PR-2026-002', { as: 'a-clerk' });
      const otherProcess = await api.json<CaseJson[]>('/instances?processDefinitionKey=pr_report&businessKeyLike=PR-2026-', { as: 'a-clerk' });
      const otherTenant = await api.json<CaseJson[]>('/instances?processDefinitionKey=pr_b_only', { as: 'a-clerk' });
      // then
      expect(patrols.map((c) => c.id)).to.deep.equal([second, first]);
      expect(patrols.every((c) => c.processDefinitionKey === 'pr_patrol')).to.equal(true);
      expect(count.count).to.equal(2);
      expect(numbered.map((c) => c.id)).to.deep.equal([second]);
      expect(otherProcess).to.deep.equal([]);
      expect(otherTenant, "another tenant's process").to.deep.equal([]);
      expect((await api.request(`/instances?processDefinitionKey=${'x'.repeat(256)}`, { as: 'a-clerk' })).status).to.equal(400);
    });

    it("does not list another tenant's cases, nor cases outside the caller's data scope", async () => {
      // when
      const otherTenant = await api.json<CaseJson[]>('/instances?businessKey=PR-2026-001', { as: 'b-clerk' });
      const ownTenant = await api.json<CaseJson[]>('/instances?businessKeyLike=PR-', { as: 'b-clerk' });
      const narrow = await api.json<CaseJson[]>('/instances?businessKeyLike=PR-', { as: 'a-narrow' });
      const narrowCount = await api.json<{ count: number }>('/instances/count?businessKeyLike=PR-', { as: 'a-narrow' });
      // then
      expect(otherTenant).to.deep.equal([]);
      expect(ownTenant.map((c) => c.businessKey)).to.deep.equal(['PR-2026-009']);
      expect(narrow).to.deep.equal([]);
      expect(narrowCount.count).to.equal(0);
    });
  });

  describe('GET /instances/{id}/diagram', () => {
    it('answers the definition XML, the activities done and active, and where the case has an incident', async () => {
      // given: 受理 done, 外呼 failed for good
      const { engine } = fixture();
      const id = await start('pr_patrol', 'PR-DIAGRAM-1');
      const [accept] = await engine.taskService.listTasks({ processInstanceId: id });
      await engine.taskService.complete(accept?.id as string);
      const [locked] = await engine.externalTaskService.fetchAndLock({ workerId: 'w', maxTasks: 1, topics: [{ topicName: 'pr-call', lockDuration: 60_000, businessKey: 'PR-DIAGRAM-1' }] });
      await engine.externalTaskService.handleFailure(locked?.id as string, { workerId: 'w', errorMessage: '线路忙', retries: 0 });
      // when
      const diagram = await api.json<DiagramJson>(`/instances/${id}/diagram`, { as: 'a-clerk' });
      // then
      const [definition] = await engine.repositoryService.listProcessDefinitions({ key: 'pr_patrol', version: 2 });
      expect(diagram.processDefinitionId).to.equal(definition?.id);
      expect(diagram.bpmnXml).to.contain('<process id="pr_patrol"');
      expect(diagram.activities).to.deep.equal([
        { activityId: 'start', state: 'completed', count: 1 },
        { activityId: 'accept', state: 'completed', count: 1 },
        { activityId: 'call', state: 'active', count: 1 },
      ]);
      expect(diagram.incidents).to.deep.equal(['call']);
    });

    it("answers 404 for another tenant's case, a case outside the data scope, and an unknown id", async () => {
      // given
      const id = await start('pr_patrol', 'PR-DIAGRAM-2');
      // when
      const statuses = await Promise.all([
        api.request(`/instances/${id}/diagram`, { as: 'b-clerk' }),
        api.request(`/instances/${id}/diagram`, { as: 'a-narrow' }),
        api.request('/instances/no-such-case/diagram', { as: 'a-clerk' }),
      ]);
      // then
      expect(statuses.map((response) => response.status)).to.deep.equal([404, 404, 404]);
    });
  });
});
