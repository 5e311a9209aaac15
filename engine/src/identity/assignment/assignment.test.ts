import { expect } from 'chai';
import { systemClock } from '../../command/index.js';
import { ParseError } from '../../errors/index.js';
import type { ServiceCaller } from '../../services/index.js';
import { bpmn, countRows, deployProcess, escapeXml, flow, openTask, rejectionOf } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE, type BuiltOrganisation, type OrganisationFixture } from '../../testing/organisation.js';
import { actorOf, Principals } from '../index.js';

const CITY = TENANT_TREE.city;
const COUNTY = TENANT_TREE.countyA;

/**
 * 城管执法局 (cgj) → 执法支队 (cgj-zd) → 一大队 (cgj-zd-1) and 二大队 (cgj-zd-2, without a leader)
 * in the city; a county with a role and a department of the same codes, to prove they never mix.
 */
const ORGANISATION: OrganisationFixture = {
  tenants: TENANT_TREE_FIXTURE,
  departments: [
    { tenantId: CITY, code: 'cgj', name: '城管执法局', leader: 'cgj.chief' },
    { tenantId: CITY, code: 'cgj-zd', name: '执法支队', parent: 'cgj', leader: 'zd.chief' },
    { tenantId: CITY, code: 'cgj-zd-1', name: '一大队', parent: 'cgj-zd', leader: 'dd1.chief' },
    { tenantId: CITY, code: 'cgj-zd-2', name: '二大队', parent: 'cgj-zd' },
    { tenantId: COUNTY, code: 'cgj', name: '柳城县城管局', leader: 'county.chief' },
  ],
  posts: [{ tenantId: CITY, code: 'inspector', name: '网格监督员' }],
  roles: [
    { tenantId: CITY, code: 'dispatcher', name: '派遣员', permissions: [] },
    { tenantId: CITY, code: 'auditor', name: '审计员（无人担任）', permissions: [] },
    { tenantId: COUNTY, code: 'dispatcher', name: '派遣员', permissions: [] },
    { tenantId: COUNTY, code: 'patrol', name: '巡查员', permissions: [] },
  ],
  groups: [{ tenantId: CITY, code: 'night-shift', name: '夜班' }],
  users: [
    { id: 'cgj.chief', tenantId: CITY, departments: ['cgj'] },
    { id: 'zd.chief', tenantId: CITY, departments: ['cgj-zd'] },
    { id: 'dd1.chief', tenantId: CITY, departments: ['cgj-zd-1'] },
    { id: 'dd1.officer', tenantId: CITY, departments: ['cgj-zd-1'], posts: ['inspector'], roles: ['dispatcher'] },
    { id: 'dd1.night', tenantId: CITY, departments: ['cgj-zd-1'], groups: ['night-shift'] },
    { id: 'dd2.officer', tenantId: CITY, departments: ['cgj-zd-2'], posts: ['inspector'] },
    { id: 'city.dispatcher', tenantId: CITY, departments: ['cgj'], roles: ['dispatcher'] },
    { id: 'county.chief', tenantId: COUNTY, departments: ['cgj'], roles: ['dispatcher', 'patrol'] },
    { id: 'county.patrol', tenantId: COUNTY, departments: ['cgj'], roles: ['patrol'] },
  ],
};

/** Who a created task went to, in a form that compares in one assertion. */
interface Resolved {
  readonly assignee: string | null;
  readonly users: string[];
  readonly groups: string[];
  readonly fallback: boolean;
}

interface TaskSpec {
  /** the user task's assignment attributes, e.g. `camunda:candidateGroups="role:dispatcher"` */
  readonly attributes: string;
  readonly properties?: Record<string, string>;
  readonly variables?: Record<string, unknown>;
  /** who starts the instance (as a request's caller, in their tenant); null: the engine itself, without a tenant */
  readonly starter?: string | null;
  /** starts as that user without an actor (`engine.forUser`): no tenant, no start department */
  readonly startedForUser?: string;
}

let processCounter = 0;

describeOnDatabases('identity/assignment - user task assignment strategies', (fixture) => {
  let organisation: BuiltOrganisation;
  let principals: Principals;

  before(async () => {
    organisation = await buildOrganisation(fixture().engine, ORGANISATION);
    principals = new Principals(fixture().engine.database, systemClock);
  });

  async function callerFor(userId: string): Promise<ServiceCaller> {
    const principal = await principals.load(userId);
    if (!principal) throw new Error(`the fixture has no user ${userId}`);
    return { userId, actor: actorOf(principal, null), queryScope: null, casesRestricted: false };
  }

  /** Deploys a process with one user task carrying `spec.attributes`, starts it and answers who its task went to. */
  async function resolve(spec: TaskSpec): Promise<Resolved & { taskId: string; processInstanceId: string }> {
    const { engine } = fixture();
    processCounter += 1;
    const key = `assignment_${processCounter}`;
    await deployProcess(engine, bpmn(key, `
      <startEvent id="start"/>${flow('start', 'task')}
      <userTask id="task" ${spec.attributes}>${propertiesXml(spec.properties)}</userTask>${flow('task', 'end')}
      <endEvent id="end"/>`));
    const starter = spec.starter === undefined ? 'dd1.officer' : spec.starter;
    const services = spec.startedForUser ? engine.forUser(spec.startedForUser) : starter ? engine.forCaller(await callerFor(starter)) : engine;
    const instance = await services.runtimeService.startProcessInstanceByKey(key, { variables: spec.variables ?? {} });
    const task = await openTask(engine, instance.id, 'task');
    const candidates = await engine.taskService.getCandidates(task.id);
    return {
      taskId: task.id,
      processInstanceId: instance.id,
      assignee: task.assignee,
      users: candidates.flatMap((c) => (c.userId ? [c.userId] : [])).sort(),
      groups: candidates.flatMap((c) => (c.groupId ? [c.groupId] : [])).sort(),
      fallback: task.assignmentFallback,
    };
  }

  const summary = ({ assignee, users, groups, fallback }: Resolved): Resolved => ({ assignee, users, groups, fallback });

  describe('users', () => {
    it('assigns the user camunda:assignee names, literally or by expression, as Camunda does', async () => {
      expect(summary(await resolve({ attributes: 'camunda:assignee="zd.chief"' }))).to.deep.equal({ assignee: 'zd.chief', users: [], groups: [], fallback: false });
      const byExpression = await resolve({ attributes: 'camunda:assignee="${handler}"', variables: { handler: 'dd2.officer' } });
      expect(byExpression.assignee).to.equal('dd2.officer');
    });

    it('offers the task to candidate users, and to users named with user: among candidate groups', async () => {
      const resolved = await resolve({ attributes: 'camunda:candidateUsers="dd1.chief, zd.chief" camunda:candidateGroups="user:cgj.chief"' });
      expect(summary(resolved)).to.deep.equal({ assignee: null, users: ['cgj.chief', 'dd1.chief', 'zd.chief'], groups: [], fallback: false });
    });
  });

  describe('roles, departments, posts and groups', () => {
    it('offers the task to the holders of a role in the instance\'s tenant, keeping the group for Camunda clients', async () => {
      expect(summary(await resolve({ attributes: 'camunda:candidateGroups="role:dispatcher"' }))).to.deep.equal({
        assignee: null, users: ['city.dispatcher', 'dd1.officer'], groups: ['role:dispatcher'], fallback: false,
      });
    });

    it('reads a bare candidate group as a role code', async () => {
      const resolved = await resolve({ attributes: 'camunda:candidateGroups="dispatcher"' });
      expect([resolved.users, resolved.groups]).to.deep.equal([['city.dispatcher', 'dd1.officer'], ['dispatcher']]);
    });

    it('never offers a task to another tenant\'s role holders: a role only the county has finds nobody in the city', async () => {
      const city = await resolve({ attributes: 'camunda:candidateGroups="role:patrol"' });
      expect(summary(city)).to.deep.equal({ assignee: 'admin', users: [], groups: ['role:patrol'], fallback: true });
      const county = await resolve({ attributes: 'camunda:candidateGroups="role:patrol"', starter: 'county.chief' });
      expect(summary(county)).to.deep.equal({ assignee: null, users: ['county.chief', 'county.patrol'], groups: ['role:patrol'], fallback: false });
    });

    it('keeps to the instance\'s tenant when the engine itself creates the task, without a caller\'s scope', async () => {
      // given: a city instance whose second task is created by a command of the system (no actor, no row scope)
      const { engine } = fixture();
      await deployProcess(engine, bpmn('assignment_by_system', `
        <startEvent id="start"/>${flow('start', 'first')}
        <userTask id="first"/>${flow('first', 'second')}
        <userTask id="second" camunda:candidateGroups="role:dispatcher"/>${flow('second', 'end')}
        <endEvent id="end"/>`));
      const instance = await engine.forCaller(await callerFor('dd1.officer')).runtimeService.startProcessInstanceByKey('assignment_by_system');
      // when
      await engine.taskService.complete((await openTask(engine, instance.id, 'first')).id);
      // then
      const second = await openTask(engine, instance.id, 'second');
      const users = (await engine.taskService.getCandidates(second.id)).flatMap((c) => (c.userId ? [c.userId] : [])).sort();
      expect([second.tenantId, users]).to.deep.equal([CITY, ['city.dispatcher', 'dd1.officer']]);
    });

    it('offers the task to the members of a department, not of its sub-departments', async () => {
      expect(summary(await resolve({ attributes: 'camunda:candidateGroups="dept:cgj-zd"' }))).to.deep.equal({
        assignee: null, users: ['zd.chief'], groups: ['dept:cgj-zd'], fallback: false,
      });
    });

    it('includes the members of every sub-department with yiwang:includeSubDepartments', async () => {
      const resolved = await resolve({ attributes: 'camunda:candidateGroups="dept:cgj-zd"', properties: { 'yiwang:includeSubDepartments': 'true' } });
      expect(resolved.users).to.deep.equal(['dd1.chief', 'dd1.night', 'dd1.officer', 'dd2.officer', 'zd.chief']);
    });

    it('offers the task to the holders of a post', async () => {
      expect(summary(await resolve({ attributes: 'camunda:candidateGroups="post:inspector"' }))).to.deep.equal({
        assignee: null, users: ['dd1.officer', 'dd2.officer'], groups: ['post:inspector'], fallback: false,
      });
    });

    it('offers the task to the members of a user group, even a single one', async () => {
      expect(summary(await resolve({ attributes: 'camunda:candidateGroups="group:night-shift"' }))).to.deep.equal({
        assignee: null, users: ['dd1.night'], groups: ['group:night-shift'], fallback: false,
      });
    });

    it('adds up several strategies of one task without repeating a user', async () => {
      const resolved = await resolve({ attributes: 'camunda:candidateGroups="post:inspector, role:dispatcher"' });
      expect([resolved.users, resolved.groups]).to.deep.equal([['city.dispatcher', 'dd1.officer', 'dd2.officer'], ['post:inspector', 'role:dispatcher']]);
    });
  });

  describe('leaders', () => {
    it('assigns the task to the leader of a named department', async () => {
      expect(summary(await resolve({ attributes: 'camunda:candidateGroups="dept-leader:cgj-zd"' }))).to.deep.equal({
        assignee: 'zd.chief', users: [], groups: [], fallback: false,
      });
    });

    it('goes up to the parent\'s leader when the named department has none', async () => {
      expect((await resolve({ attributes: 'camunda:assignee="dept-leader:cgj-zd-2"' })).assignee).to.equal('zd.chief');
    });

    it('assigns the task to the leader of the initiator\'s department', async () => {
      expect(summary(await resolve({ attributes: 'camunda:candidateGroups="leader:initiator"' }))).to.deep.equal({
        assignee: 'dd1.chief', users: [], groups: [], fallback: false,
      });
    });

    it('counts N levels up from the initiator\'s department and stops at the top department', async () => {
      const leaders: Record<string, string | null> = {};
      for (const levels of [1, 2, 3, 4, 9]) {
        leaders[levels] = (await resolve({ attributes: `camunda:candidateGroups="leader:initiator:${levels}"` })).assignee;
      }
      expect(leaders).to.deep.equal({ 1: 'dd1.chief', 2: 'zd.chief', 3: 'cgj.chief', 4: 'cgj.chief', 9: 'cgj.chief' });
    });

    it('takes the initiator\'s primary department when the instance was started without one, and climbs past a department without a leader', async () => {
      const resolved = await resolve({ attributes: 'camunda:candidateGroups="leader:initiator"', startedForUser: 'dd2.officer' });
      expect([resolved.assignee, resolved.fallback]).to.deep.equal(['zd.chief', false]);
    });
  });

  describe('the initiator and form fields', () => {
    it('assigns the task to the user who started the instance', async () => {
      const resolved = await resolve({ attributes: 'camunda:candidateGroups="initiator"', starter: 'dd2.officer' });
      expect(summary(resolved)).to.deep.equal({ assignee: 'dd2.officer', users: [], groups: [], fallback: false });
      const instance = await fixture().engine.historyService.getProcessInstance(resolved.processInstanceId);
      expect([instance.startUserId, instance.tenantId]).to.deep.equal(['dd2.officer', CITY]);
    });

    it('assigns the task to the user a form field names, or offers it to the several it lists', async () => {
      const one = await resolve({ attributes: 'camunda:candidateGroups="field-user:handlerId"', variables: { handlerId: 'dd2.officer' } });
      expect([one.assignee, one.users]).to.deep.equal(['dd2.officer', []]);
      const several = await resolve({ attributes: 'camunda:candidateGroups="field-user:handlerId"', variables: { handlerId: ['dd2.officer', 'zd.chief'] } });
      expect([several.assignee, several.users]).to.deep.equal([null, ['dd2.officer', 'zd.chief']]);
    });

    it('offers the task to the members of the department a form field names by code or by id', async () => {
      const byCode = await resolve({ attributes: 'camunda:candidateGroups="field-dept:deptCode"', variables: { deptCode: 'cgj-zd-1' } });
      expect(summary(byCode)).to.deep.equal({ assignee: null, users: ['dd1.chief', 'dd1.night', 'dd1.officer'], groups: [], fallback: false });
      const byId = await resolve({ attributes: 'camunda:candidateGroups="field-dept:deptId"', variables: { deptId: organisation.departmentId(CITY, 'cgj-zd-2') } });
      expect(byId.users).to.deep.equal(['dd2.officer']);
    });

    it('assigns the task to the leader of the department a form field names', async () => {
      const resolved = await resolve({ attributes: 'camunda:candidateGroups="field-dept-leader:deptCode"', variables: { deptCode: 'cgj-zd-1' } });
      expect([resolved.assignee, resolved.fallback]).to.deep.equal(['dd1.chief', false]);
    });

    it('reads a department form field in the instance\'s tenant only: the county\'s cgj is not the city\'s', async () => {
      const resolved = await resolve({ attributes: 'camunda:candidateGroups="field-dept-leader:deptCode"', variables: { deptCode: 'cgj' }, starter: 'county.patrol' });
      expect(resolved.assignee).to.equal('county.chief');
    });
  });

  describe('expressions', () => {
    it('evaluates an expression first and reads its result by the same prefixes', async () => {
      const approver = await resolve({ attributes: 'camunda:assignee="${approver}"', variables: { approver: 'leader:initiator:2' } });
      expect(approver.assignee).to.equal('zd.chief');
      const route = await resolve({ attributes: 'camunda:candidateGroups="${routes}"', variables: { routes: ['post:inspector', 'group:night-shift'] } });
      expect([route.users, route.groups]).to.deep.equal([['dd1.night', 'dd1.officer', 'dd2.officer'], ['group:night-shift', 'post:inspector']]);
      const template = await resolve({ attributes: 'camunda:candidateGroups="role:${roleCode}"', variables: { roleCode: 'dispatcher' } });
      expect(template.users).to.deep.equal(['city.dispatcher', 'dd1.officer']);
    });
  });

  describe('fallback', () => {
    it('gives a task whose assignment finds nobody to admin, flags it and records it in the operation log', async () => {
      const resolved = await resolve({ attributes: 'camunda:candidateGroups="role:auditor"' });
      expect(summary(resolved)).to.deep.equal({ assignee: 'admin', users: [], groups: ['role:auditor'], fallback: true });
      const [logged] = await fixture().engine.historyService.listOperationLog({ taskId: resolved.taskId, operationType: 'Assign' });
      expect(logged).to.include({ userId: 'dd1.officer', entityType: 'Task', property: 'assignmentFallback', orgValue: 'role:auditor', newValue: 'admin', tenantId: CITY });
    });

    it('gives it to the task\'s own yiwang:fallbackAssignee instead', async () => {
      const resolved = await resolve({ attributes: 'camunda:candidateGroups="role:auditor"', properties: { 'yiwang:fallbackAssignee': 'cgj.chief' } });
      expect([resolved.assignee, resolved.fallback]).to.deep.equal(['cgj.chief', true]);
    });

    it('falls back when a form field is empty, names nobody, or an expression yields an unknown prefix', async () => {
      const cases = [
        { attributes: 'camunda:candidateGroups="field-user:handlerId"', variables: { handlerId: '' } },
        { attributes: 'camunda:candidateGroups="field-user:handlerId"', variables: { handlerId: 'nobody.here' } },
        { attributes: 'camunda:candidateGroups="field-dept:deptCode"', variables: {} },
        { attributes: 'camunda:candidateGroups="${route}"', variables: { route: 'team:night' } },
        { attributes: 'camunda:assignee="initiator"', starter: null },
      ];
      const fallbacks = [];
      for (const spec of cases) fallbacks.push((await resolve(spec)).assignee);
      expect(fallbacks).to.deep.equal(['admin', 'admin', 'admin', 'admin', 'admin']);
    });

    it('leaves a task offered to a bare group that is no role to that group, as Camunda does, and a task without assignment to everyone', async () => {
      const plainGroup = await resolve({ attributes: 'camunda:candidateGroups="clerks"' });
      expect(summary(plainGroup)).to.deep.equal({ assignee: null, users: [], groups: ['clerks'], fallback: false });
      expect(summary(await resolve({ attributes: '' }))).to.deep.equal({ assignee: null, users: [], groups: [], fallback: false });
    });
  });

  describe('the inbox', () => {
    it('finds the tasks offered to a user by one query on their candidate rows', async () => {
      const { engine } = fixture();
      const byPost = await resolve({ attributes: 'camunda:candidateGroups="post:inspector"' });
      const byDepartment = await resolve({ attributes: 'camunda:candidateGroups="dept:cgj-zd-2"' });
      const elsewhere = await resolve({ attributes: 'camunda:candidateGroups="group:night-shift"' });
      const inbox = (await engine.taskService.listTasks({ candidateUser: 'dd2.officer' })).map((task) => task.id);
      expect(inbox).to.include.members([byPost.taskId, byDepartment.taskId]);
      expect(inbox).not.to.include(elsewhere.taskId);
      const byGroup = (await engine.taskService.listTasks({ candidateGroup: 'post:inspector' })).map((task) => task.id);
      expect(byGroup).to.include(byPost.taskId);
    });
  });

  describe('deployment', () => {
    it('refuses an unknown prefix or a malformed strategy, naming the task and the value, and writes nothing', async () => {
      const { engine } = fixture();
      const before = await countRows(engine);
      const xml = bpmn('assignment_invalid', `
        <startEvent id="start"/>${flow('start', 'review')}
        <userTask id="review" camunda:candidateGroups="role:dispatcher, team:night"/>${flow('review', 'approve')}
        <userTask id="approve" camunda:assignee="leader:boss">${propertiesXml({ 'yiwang:includeSubDepartments': 'yes' })}</userTask>${flow('approve', 'end')}
        <endEvent id="end"/>`);
      const error = await rejectionOf(engine.repositoryService.deploy({ name: 'invalid', resources: [{ name: 'invalid.bpmn', content: xml }] }));
      expect(error).to.be.instanceOf(ParseError);
      const problems = (error as ParseError).problems.map((p) => `${p.elementId}: ${p.message}`);
      expect(problems).to.have.length(3);
      expect(problems[0]).to.match(/^review: User task 'review': camunda:candidateGroups 'team:night' has the unknown prefix 'team'/);
      expect(problems[1]).to.equal("approve: User task 'approve': camunda:assignee 'leader:boss' must be leader:initiator or leader:initiator:N");
      expect(problems[2]).to.equal("approve: User task 'approve': yiwang:includeSubDepartments must be true or false, not 'yes'");
      expect(await countRows(engine)).to.deep.equal(before);
    });
  });
});

function propertiesXml(properties: Record<string, string> | undefined): string {
  if (!properties) return '';
  const entries = Object.entries(properties).map(([name, value]) => `<camunda:property name="${escapeXml(name)}" value="${escapeXml(value)}"/>`);
  return `<extensionElements><camunda:properties>${entries.join('')}</camunda:properties></extensionElements>`;
}
