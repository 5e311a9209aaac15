import { expect } from 'chai';
import { ForbiddenError, NotFoundError } from '../errors/index.js';
import { AUDIT_LOG, DbSession } from '../persistence/index.js';
import type { EngineServices, ProcessEngine } from '../services/index.js';
import { bpmn, flow, rejectionOf } from '../testing/bpmn.js';
import { describeOnDatabases } from '../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../testing/organisation.js';
import { serviceCaller } from './caller.js';
import { Principals } from './principals.js';

const { root, city, countyA, countyB } = TENANT_TREE;
const EVERYTHING = ['*'];

/** One user task: a case waiting in the inbox of whoever may see it. */
const CASE = (key: string) => bpmn(key, `<startEvent id="start"/>${flow('start', 'handle')}<userTask id="handle"/>${flow('handle', 'end')}<endEvent id="end"/>`);

describeOnDatabases('identity - tenant isolation and data scope', (fixture) => {
  let principals: Principals;

  /** The services as the user: their queries scoped, their commands scoped and audited. */
  async function as(userId: string): Promise<EngineServices> {
    const principal = await principals.load(userId);
    if (!principal) throw new Error(`no principal for ${userId}`);
    return fixture().engine.forCaller(serviceCaller(principal, '10.0.0.7'));
  }

  async function startIn(engine: ProcessEngine, tenantId: string | null, starter: string): Promise<string> {
    const services = await as(starter);
    const key = `case_${tenantId ?? 'shared'}`;
    await engine.repositoryService.deploy({ name: key, tenantId, resources: [{ name: `${key}.bpmn`, content: CASE(key) }] });
    return (await services.runtimeService.startProcessInstanceByKey(key)).id;
  }

  before(async () => {
    const { engine } = fixture();
    principals = new Principals(engine.database, engine.environment.clock);
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      departments: [
        { tenantId: city, code: 'cgj', name: '市城管执法局' },
        { tenantId: city, code: 'cgj-zd', name: '执法支队', parent: 'cgj' },
        { tenantId: city, code: 'sjj', name: '市大数据发展局' },
        { tenantId: countyA, code: 'cgj', name: '柳城县城管局' },
        { tenantId: countyB, code: 'cgj', name: '鹿寨县城管局' },
      ],
      roles: [
        { tenantId: root, code: 'platform', permissions: EVERYTHING, seesDescendants: true },
        { tenantId: city, code: 'city-supervisor', permissions: EVERYTHING, seesDescendants: true },
        { tenantId: city, code: 'city-clerk', permissions: EVERYTHING },
        { tenantId: city, code: 'dept-only', permissions: EVERYTHING, dataScope: 'department' },
        { tenantId: city, code: 'dept-and-below', permissions: EVERYTHING, dataScope: 'department-and-below' },
        { tenantId: city, code: 'self-only', permissions: EVERYTHING, dataScope: 'self' },
        { tenantId: city, code: 'handler', permissions: ['task:read', 'task:handle'] },
        { tenantId: city, code: 'assigner', permissions: ['task:read', 'task:handle', 'task:assign'] },
        { tenantId: countyA, code: 'clerk', permissions: EVERYTHING },
        { tenantId: countyB, code: 'clerk', permissions: EVERYTHING },
      ],
      users: [
        { id: 'root-admin', tenantId: root, roles: ['platform'] },
        { id: 'city-supervisor', tenantId: city, roles: ['city-supervisor'], departments: ['cgj'] },
        { id: 'city-clerk', tenantId: city, roles: ['city-clerk'], departments: ['cgj'] },
        { id: 'cgj-head', tenantId: city, roles: ['dept-and-below'], departments: ['cgj'] },
        { id: 'cgj-officer', tenantId: city, roles: ['dept-only'], departments: ['cgj'] },
        { id: 'zd-officer', tenantId: city, roles: ['self-only'], departments: ['cgj-zd'] },
        { id: 'sjj-officer', tenantId: city, roles: ['dept-only'], departments: ['sjj'] },
        { id: 'handler-1', tenantId: city, roles: ['handler'] },
        { id: 'handler-2', tenantId: city, roles: ['handler'] },
        { id: 'shift-leader', tenantId: city, roles: ['assigner'] },
        { id: 'a-clerk', tenantId: countyA, roles: ['clerk'], departments: ['cgj'] },
        { id: 'b-clerk', tenantId: countyB, roles: ['clerk'], departments: ['cgj'] },
      ],
    });
  });

  describe('tenants', () => {
    let cityCase: string;
    let countyACase: string;
    let countyBCase: string;

    before(async () => {
      const { engine } = fixture();
      cityCase = await startIn(engine, city, 'city-clerk');
      countyACase = await startIn(engine, countyA, 'a-clerk');
      countyBCase = await startIn(engine, countyB, 'b-clerk');
    });

    const instancesSeenBy = async (userId: string) =>
      (await (await as(userId)).runtimeService.listProcessInstances({})).map((instance) => instance.id).sort();

    it('shows a county only its own cases, never a sibling county’s or the city’s', async () => {
      expect(await instancesSeenBy('a-clerk')).to.deep.equal([countyACase]);
      expect(await instancesSeenBy('b-clerk')).to.deep.equal([countyBCase]);
      const tasks = await (await as('a-clerk')).taskService.listTasks({});
      expect(tasks.map((task) => task.processInstanceId)).to.deep.equal([countyACase]);
      expect(await (await as('a-clerk')).historyService.countProcessInstances({})).to.equal(1);
    });

    it('shows the city its counties’ cases only where a role grants it (上下级)', async () => {
      expect(await instancesSeenBy('city-clerk')).to.deep.equal([cityCase]);
      expect(await instancesSeenBy('city-supervisor')).to.deep.equal([cityCase, countyACase, countyBCase].sort());
      expect(await instancesSeenBy('root-admin')).to.include.members([cityCase, countyACase, countyBCase]);
    });

    it('answers another tenant’s task as not found, and leaves it as it was', async () => {
      const { engine } = fixture();
      const [task] = await engine.taskService.listTasks({ processInstanceId: countyBCase });
      const countyAClerk = await as('a-clerk');
      expect(await rejectionOf(countyAClerk.taskService.getTask(task!.id))).to.be.instanceOf(NotFoundError);
      expect(await rejectionOf(countyAClerk.taskService.complete(task!.id))).to.be.instanceOf(NotFoundError);
      expect(await rejectionOf(countyAClerk.runtimeService.deleteProcessInstance(countyBCase, 'not mine'))).to.be.instanceOf(NotFoundError);
      expect((await engine.taskService.getTask(task!.id)).assignee).to.equal(null);
      expect(await engine.runtimeService.countProcessInstances({ processInstanceIds: [countyBCase] })).to.equal(1);
    });

    it('lets every tenant start a shared definition, the instance belonging to the starter’s tenant', async () => {
      const { engine } = fixture();
      const shared = await startIn(engine, null, 'a-clerk');
      const instance = await engine.historyService.listProcessInstances({ processInstanceId: shared });
      expect(instance[0]?.tenantId).to.equal(countyA);
      expect(await instancesSeenBy('b-clerk')).to.not.include(shared);
      expect(await (await as('b-clerk')).repositoryService.countProcessDefinitions({ key: 'case_shared' })).to.equal(1);
      expect(await (await as('b-clerk')).repositoryService.countProcessDefinitions({ key: `case_${countyA}` })).to.equal(0);
    });

    it('keeps a county from deleting a deployment every tenant shares', async () => {
      const { engine } = fixture();
      const [shared] = await engine.repositoryService.listDeployments({ name: 'case_shared' });
      const error = await rejectionOf((await as('a-clerk')).repositoryService.deleteDeployment(shared!.id, { cascade: true }));
      expect(error).to.be.instanceOf(ForbiddenError);
      expect(await engine.repositoryService.countDeployments({ name: 'case_shared' })).to.equal(1);
    });

    it('refuses a deployment for a tenant the deployer cannot see', async () => {
      const countyAClerk = await as('a-clerk');
      const error = await rejectionOf(countyAClerk.repositoryService.deploy({ name: 'x', tenantId: countyB, resources: [{ name: 'x.bpmn', content: CASE('x') }] }));
      expect(error.message).to.contain(`tenant '${countyB}'`);
      const own = await countyAClerk.repositoryService.deploy({ name: 'own', resources: [{ name: 'own.bpmn', content: CASE('own') }] });
      expect(own.deployment.tenantId).to.equal(countyA);
    });

    it('writes an audit row for each command a person runs, with their tenant and address', async () => {
      const { engine } = fixture();
      const [task] = await (await as('a-clerk')).taskService.listTasks({ processInstanceId: countyACase });
      await (await as('a-clerk')).taskService.complete(task!.id);
      const rows = await engine.database.read((sql) => new DbSession(sql).select(AUDIT_LOG, 'object_id = $1', [task!.id]));
      expect(rows.map((row) => ({ ...row, id: undefined, time: undefined, detail: undefined }))).to.deep.equal([
        { id: undefined, time: undefined, detail: undefined, userId: 'a-clerk', tenantId: countyA, action: 'case.complete', objectType: 'Task', objectId: task!.id, address: '10.0.0.7' },
      ]);
    });
  });

  describe('data scope', () => {
    const cases = new Map<string, string>();

    before(async () => {
      const { engine } = fixture();
      await engine.repositoryService.deploy({ name: 'scoped', tenantId: city, resources: [{ name: 'scoped.bpmn', content: CASE('scoped') }] });
      for (const starter of ['cgj-officer', 'zd-officer', 'sjj-officer']) {
        cases.set(starter, (await (await as(starter)).runtimeService.startProcessInstanceByKey('scoped')).id);
      }
    });

    const scopedCasesSeenBy = async (userId: string) => {
      const instances = await (await as(userId)).runtimeService.listProcessInstances({ processDefinitionKey: 'scoped' });
      return [...cases].filter(([, id]) => instances.some((instance) => instance.id === id)).map(([starter]) => starter).sort();
    };

    it('limits a department scope to cases started in the department', async () => {
      expect(await scopedCasesSeenBy('cgj-officer')).to.deep.equal(['cgj-officer']);
      expect(await scopedCasesSeenBy('sjj-officer')).to.deep.equal(['sjj-officer']);
    });

    it('widens department-and-below to the sub-departments', async () => {
      expect(await scopedCasesSeenBy('cgj-head')).to.deep.equal(['cgj-officer', 'zd-officer']);
    });

    it('limits self to the cases one started or worked on, and keeps one’s own inbox visible', async () => {
      const { engine } = fixture();
      expect(await scopedCasesSeenBy('zd-officer')).to.deep.equal(['zd-officer']);
      const [task] = await engine.taskService.listTasks({ processInstanceId: cases.get('sjj-officer') });
      await engine.taskService.setAssignee(task!.id, 'zd-officer');
      const inbox = await (await as('zd-officer')).taskService.listTasks({ assignee: 'zd-officer' });
      expect(inbox.map((t) => t.id)).to.deep.equal([task!.id]);
    });

    it('hides the variables of cases outside the scope, and refuses to act on those cases by id', async () => {
      const { engine } = fixture();
      const outside = cases.get('sjj-officer') as string;
      await engine.runtimeService.setVariables(outside, { complainant: '13800000000' });
      const cgjOfficer = await as('cgj-officer');
      expect((await cgjOfficer.historyService.listVariableInstances({})).map((v) => v.name)).to.not.include('complainant');
      expect(await rejectionOf(cgjOfficer.runtimeService.setVariables(outside, { complainant: 'changed' }))).to.be.instanceOf(NotFoundError);
      expect(await rejectionOf(cgjOfficer.runtimeService.deleteProcessInstance(outside, 'not mine'))).to.be.instanceOf(NotFoundError);
      expect(await engine.runtimeService.countProcessInstances({ processInstanceIds: [outside] })).to.equal(1);
    });

    it('shows the case of a task offered to one, whatever the scope, so it can be worked on', async () => {
      const { engine } = fixture();
      const OFFERED_TO_OFFICER = bpmn('offered_scoped', `<startEvent id="start"/>${flow('start', 'handle')}<userTask id="handle" camunda:candidateUsers="cgj-officer"/>${flow('handle', 'end')}<endEvent id="end"/>`);
      await engine.repositoryService.deploy({ name: 'offered_scoped', tenantId: city, resources: [{ name: 'o.bpmn', content: OFFERED_TO_OFFICER }] });
      const instance = await (await as('sjj-officer')).runtimeService.startProcessInstanceByKey('offered_scoped', { variables: { note: '井盖缺失' } });
      const [task] = await (await as('cgj-officer')).taskService.listTasks({ processInstanceId: instance.id });
      const variables = await (await as('cgj-officer')).taskService.getVariables(task!.id);
      expect(variables.get('note')?.value).to.equal('井盖缺失');
    });

    it('does not narrow a scope of all within the tenant', async () => {
      expect(await scopedCasesSeenBy('city-clerk')).to.deep.equal(['cgj-officer', 'sjj-officer', 'zd-officer']);
    });
  });

  describe('task work', () => {
    const OFFERED = bpmn('offered', `<startEvent id="start"/>${flow('start', 'handle')}<userTask id="handle" camunda:candidateUsers="handler-1"/>${flow('handle', 'end')}<endEvent id="end"/>`);
    let taskId: string;

    before(async () => {
      const { engine } = fixture();
      await engine.repositoryService.deploy({ name: 'offered', tenantId: city, resources: [{ name: 'offered.bpmn', content: OFFERED }] });
      const instance = await engine.runtimeService.startProcessInstanceByKey('offered', { tenantId: city });
      const [task] = await engine.taskService.listTasks({ processInstanceId: instance.id });
      taskId = task!.id;
    });

    it('lets only a candidate claim a task, and only for themselves', async () => {
      expect((await rejectionOf((await as('handler-2')).taskService.claim(taskId, 'handler-2'))).message).to.contain('not offered to them');
      expect((await rejectionOf((await as('handler-1')).taskService.claim(taskId, 'handler-2'))).message).to.contain('needs the permission task:assign');
      await (await as('handler-1')).taskService.claim(taskId, 'handler-1');
      expect((await fixture().engine.taskService.getTask(taskId)).assignee).to.equal('handler-1');
      const meddling = await rejectionOf((await as('handler-2')).taskService.modifyVariables(taskId, { verdict: 'closed' }, []));
      expect(meddling.message).to.contain('it is assigned to handler-1');
    });

    it('keeps another handler from completing an assigned task, while the holder of task:assign may reassign it', async () => {
      const error = await rejectionOf((await as('handler-2')).taskService.complete(taskId));
      expect(error).to.be.instanceOf(ForbiddenError);
      expect(error.message).to.contain('it is assigned to handler-1');
      await (await as('shift-leader')).taskService.setAssignee(taskId, 'handler-2');
      await (await as('handler-2')).taskService.complete(taskId);
      expect(await fixture().engine.taskService.countTasks({ taskDefinitionKey: 'handle', processDefinitionKey: 'offered' })).to.equal(0);
    });
  });

  it('lets whoever may see a task that names nobody claim and complete it', async () => {
    const { engine } = fixture();
    await engine.repositoryService.deploy({ name: 'open', tenantId: city, resources: [{ name: 'open.bpmn', content: CASE('open_task') }] });
    const instance = await engine.runtimeService.startProcessInstanceByKey('open_task', { tenantId: city });
    const [task] = await engine.taskService.listTasks({ processInstanceId: instance.id });
    await (await as('handler-2')).taskService.claim(task!.id, 'handler-2');
    await (await as('handler-2')).taskService.complete(task!.id);
    expect(await engine.runtimeService.countProcessInstances({ processInstanceIds: [instance.id] })).to.equal(0);
  });

  describe('audit', () => {
    it('files the audit row of a city supervisor’s change to a county’s case under the county, so the county sees it', async () => {
      const { engine } = fixture();
      const instanceId = await startIn(engine, countyA, 'a-clerk');
      const [task] = await engine.taskService.listTasks({ processInstanceId: instanceId });
      await (await as('city-supervisor')).taskService.complete(task!.id);
      const [row] = await engine.database.read((sql) => new DbSession(sql).select(AUDIT_LOG, 'object_id = $1', [task!.id]));
      expect(row).to.include({ userId: 'city-supervisor', tenantId: countyA, action: 'case.complete' });
    });
  });
});
