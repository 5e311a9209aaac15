import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { DbSession, HI_PROCESS_INSTANCE } from '../../persistence/index.js';
import { bpmn, flow, rejectionOf } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../../testing/organisation.js';
import { errorMessage, startSignedInApi, type SignedInClient } from '../../testing/signed-in-app.js';

const { countyA, countyB } = TENANT_TREE;

interface InboxRowJson {
  taskId: string | null;
  taskName: string | null;
  processInstanceId: string;
  businessKey: string | null;
  processName: string | null;
  assignee: string | null;
  light: string | null;
  parked: boolean;
  state: string | null;
}
interface TaskViewJson {
  task: { id: string; assignee: string | null; owner: string | null; openedAt: string | null; timeLimitMs: number | null; urgeCount: number };
  parked: boolean;
  hasForm: boolean;
  operations: { operation: string; label: string }[];
}
interface TimelineJson {
  operation: string;
  userId: string | null;
  userName: string | null;
  comment: string | null;
  activityId: string | null;
  target: Record<string, unknown> | null;
}
interface InstanceViewJson {
  instance: { id: string; state: string; endTime: string | null };
  openTasks: { id: string; name: string }[];
  hold: { parkedBy: string } | null;
  operations: string[];
}
interface CaseRequestJson {
  id: string;
  kind: string;
  state: string;
  decidedBy: string | null;
}

const WEEK_MS = 7 * 24 * 3_600_000;
const property = (name: string, value: string) => `<camunda:property name="${name}" value="${value}"/>`;

/**
 * 受理 offers everything a clerk needs (通过 labelled 受理通过); 复核 offers only 转办 and 挂账, so
 * 通过 is refused there; 处置 has an 8-hour limit and offers 延期 and 作废.
 */
const CASE_PROCESS = bpmn('to_case', `
  <startEvent id="start"/>${flow('start', 'accept')}
  <userTask id="accept" name="受理" camunda:candidateGroups="role:clerk">
    <extensionElements><camunda:properties>
      ${property('yiwang:operations', 'approve,transfer,delegate,copy,urge,park,extend,void')}
      ${property('yiwang:operation:approve:label', '受理通过')}
    </camunda:properties></extensionElements>
  </userTask>${flow('accept', 'review')}
  <userTask id="review" name="复核" camunda:assignee="\${reviewer}">
    <extensionElements><camunda:properties>${property('yiwang:operations', 'transfer,park,urge')}</camunda:properties></extensionElements>
  </userTask>${flow('review', 'end')}
  <endEvent id="end"/>`);

/** 受理 with an 8 working-hour limit that may be extended (延期). */
const LIMITED_PROCESS = bpmn('to_limited', `
  <startEvent id="start"/>${flow('start', 'accept')}
  <userTask id="accept" name="限时受理" camunda:assignee="a-clerk1">
    <extensionElements><camunda:properties>
      ${property('yiwang:operations', 'approve,extend')}
      ${property('yiwang:timeLimit', 'PT8H')}
    </camunda:properties></extensionElements>
  </userTask>${flow('accept', 'end')}
  <endEvent id="end"/>`);

/** One task naming nobody: open to whoever may see its case. */
const OPEN_PROCESS = bpmn('to_open', `
  <startEvent id="start"/>${flow('start', 'open')}
  <userTask id="open" name="公开任务"/>${flow('open', 'end')}
  <endEvent id="end"/>`);

/** 填写 has a deployed form (pinned at deploy), 复核 none. */
const NOTE_FORM = { id: 'tr-note', type: 'default', schemaVersion: 16, components: [{ id: 'f_note', type: 'textfield', key: 'note', label: '意见' }] };
const FORM_PROCESS = bpmn('to_form', `
  <startEvent id="start"/>${flow('start', 'fill')}
  <userTask id="fill" name="填写" camunda:assignee="a-clerk1" camunda:formRef="tr-note" camunda:formRefBinding="deployment"/>${flow('fill', 'check')}
  <userTask id="check" name="复核" camunda:assignee="a-clerk1"/>${flow('check', 'end')}
  <endEvent id="end"/>`);

describeOnDatabases('api/platform - task operations, inbox, case page and timeline', (fixture) => {
  let api: SignedInClient;

  before(async () => {
    const { engine } = fixture();
    const clerk = ['task:read', 'task:handle', 'instance:read', 'process:read', 'process:start', 'file:read', 'file:write'];
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      roles: [
        { tenantId: countyA, code: 'clerk', permissions: clerk },
        { tenantId: countyA, code: 'leader', permissions: [...clerk, 'case:supervise', 'case-request:approve'] },
        { tenantId: countyA, code: 'admin', permissions: [...clerk, 'instance:terminate'] },
        { tenantId: countyB, code: 'clerk', permissions: clerk },
        { tenantId: countyB, code: 'leader', permissions: [...clerk, 'case-request:approve'] },
        { tenantId: countyA, code: 'narrow', permissions: clerk, dataScope: 'self' },
      ],
      users: [
        { id: 'a-clerk1', tenantId: countyA, roles: ['clerk'] },
        { id: 'a-clerk2', tenantId: countyA, roles: ['clerk'] },
        { id: 'a-leader', tenantId: countyA, roles: ['clerk', 'leader'] },
        { id: 'a-admin', tenantId: countyA, roles: ['admin'] },
        { id: 'b-clerk', tenantId: countyB, roles: ['clerk'] },
        { id: 'b-leader', tenantId: countyB, roles: ['leader'] },
        { id: 'a-narrow', tenantId: countyA, roles: ['narrow'] },
      ],
    });
    await engine.repositoryService.deploy({ name: 'cases', tenantId: countyA, resources: [{ name: 'case.bpmn', content: CASE_PROCESS }, { name: 'limited.bpmn', content: LIMITED_PROCESS }, { name: 'open.bpmn', content: OPEN_PROCESS }, { name: 'form.bpmn', content: FORM_PROCESS }, { name: 'note.form', content: JSON.stringify(NOTE_FORM) }] });
    api = await startSignedInApi(engine);
  });

  after(async () => {
    await api?.close();
  });

  let caseNumber = 0;
  /** A new case started by a-clerk1, waiting at 受理 for the clerks; 复核 will go to `reviewer`. */
  async function startCase(reviewer = 'a-clerk2'): Promise<{ instanceId: string; taskId: string }> {
    caseNumber += 1;
    const started = await fixture().engine.forUser('a-clerk1').runtimeService.startProcessInstanceByKey('to_case', {
      businessKey: `AJ-${caseNumber}`, tenantId: countyA, variables: { reviewer },
    });
    const [task] = await fixture().engine.taskService.listTasks({ processInstanceId: started.id });
    return { instanceId: started.id, taskId: task?.id as string };
  }
  const post = (path: string, as: string, body: object = {}) => api.request(path, { as, method: 'POST', body });
  const timeline = (instanceId: string, as = 'a-clerk1') => api.json<TimelineJson[]>(`/instances/${instanceId}/timeline`, { as });
  const openTasks = async (instanceId: string) => fixture().engine.taskService.listTasks({ processInstanceId: instanceId });

  it('lists the inbox tabs with their counts: offered to the clerks, then mine once claimed, then done', async () => {
    // given
    const { instanceId, taskId } = await startCase();
    // when
    const claimableBefore = await api.json<InboxRowJson[]>('/tasks?view=claimable&search=AJ-' + caseNumber, { as: 'a-clerk2' });
    expect((await post(`/tasks/${taskId}/claim`, 'a-clerk1')).status).to.equal(204);
    const mine = await api.json<InboxRowJson[]>(`/tasks?view=todo&search=AJ-${caseNumber}`, { as: 'a-clerk1' });
    const claimableAfter = await api.json<InboxRowJson[]>(`/tasks?view=claimable&search=AJ-${caseNumber}`, { as: 'a-clerk2' });
    await api.json(`/tasks/${taskId}/approve`, { as: 'a-clerk1', body: { comment: '情况属实' } });
    const done = await api.json<InboxRowJson[]>(`/tasks?view=done&search=AJ-${caseNumber}`, { as: 'a-clerk1' });
    const started = await api.json<InboxRowJson[]>(`/tasks?view=started&search=AJ-${caseNumber}`, { as: 'a-clerk1' });
    const counts = await api.json<Record<string, number>>('/tasks/inbox-counts', { as: 'a-clerk2' });
    const todoCount = await api.json<{ count: number }>('/tasks/count?view=todo', { as: 'a-clerk2' });
    const otherTenant = await api.json<InboxRowJson[]>(`/tasks?view=started&search=AJ-${caseNumber}`, { as: 'b-clerk' });
    // then
    expect(claimableBefore.map((row) => row.taskId)).to.deep.equal([taskId]);
    expect(claimableBefore[0]).to.include({ businessKey: `AJ-${caseNumber}`, processInstanceId: instanceId, assignee: null, parked: false });
    expect(mine.map((row) => row.taskId)).to.deep.equal([taskId]);
    expect(claimableAfter).to.deep.equal([]);
    expect(done.map((row) => row.taskName)).to.deep.equal(['受理']);
    expect(started).to.have.length(1);
    expect(started[0]).to.include({ processInstanceId: instanceId, state: 'ACTIVE' });
    expect(counts.todo).to.equal(todoCount.count).and.to.be.greaterThan(0);
    expect(otherTenant).to.deep.equal([]);
  });

  it('searches 待认领 and 待办 by part of the case number in any letter case or by the task name, never across the two', async () => {
    // given
    const { taskId } = await startCase();
    const claimable = async (search: string) => (await api.json<InboxRowJson[]>(`/tasks?view=claimable&search=${encodeURIComponent(search)}`, { as: 'a-clerk2' })).map((row) => row.taskId);
    // when
    const byLowerCaseNumber = await claimable(`aj-${caseNumber}`);
    const byName = await claimable('受理');
    const acrossNumberAndName = await claimable(`-${caseNumber}受`);
    const withWildcard = await claimable(`AJ_${caseNumber}`);
    await post(`/tasks/${taskId}/claim`, 'a-clerk1');
    const mine = await api.json<InboxRowJson[]>(`/tasks?view=todo&search=${encodeURIComponent(`J-${caseNumber}`)}`, { as: 'a-clerk1' });
    const page = await api.json<{ task: Record<string, unknown> }>(`/tasks/${taskId}`, { as: 'a-clerk1' });
    // then
    expect(byLowerCaseNumber).to.deep.equal([taskId]);
    expect(byName).to.include(taskId);
    expect(acrossNumberAndName).to.deep.equal([]);
    expect(withWildcard, '_ is a character, not a wildcard').to.deep.equal([]);
    expect(mine.map((row) => row.taskId)).to.deep.equal([taskId]);
    expect(page.task, 'the search text is the index\'s, not the page\'s').to.not.have.property('searchText');
  });

  it('searches 已办 by part of the case number when the text matches more than a thousand cases', async () => {
    // given: a done task of a-clerk1, and 1,001 other cases in another tenant whose numbers share the text
    const { taskId } = await startCase();
    expect((await post(`/tasks/${taskId}/claim`, 'a-clerk1')).status).to.equal(204);
    await api.json(`/tasks/${taskId}/approve`, { as: 'a-clerk1', body: { comment: '受理' } });
    await fixture().engine.database.transaction(async (sql) => {
      const session = new DbSession(sql);
      for (let i = 0; i < 1001; i += 1) {
        session.insert(HI_PROCESS_INSTANCE, {
          id: randomUUID(), processDefinitionId: 'other:1:x', processDefinitionKey: 'other', businessKey: `AJ-${caseNumber}-${i}`,
          startTime: new Date(), endTime: null, durationMs: null, startUserId: 'b-clerk', startDepartmentId: null, startActivityId: 'start',
          endActivityId: null, state: 'ACTIVE', deleteReason: null, tenantId: countyB, superProcessInstanceId: null,
        });
      }
      await session.flush();
    });
    // when
    const done = async (search: string) => (await api.json<InboxRowJson[]>(`/tasks?view=done&search=${encodeURIComponent(search)}`, { as: 'a-clerk1' })).map((row) => row.taskId);
    // then: the caller's own task is found by its case, and nothing of the other tenant's cases
    expect(await done(`aj-${caseNumber}`)).to.deep.equal([taskId]);
    expect(await done(`AJ-${caseNumber}-7`)).to.deep.equal([]);
  });

  it('offers the buttons the task configures to its assignee, with their labels, and 认领 to candidates; opening marks it opened', async () => {
    // given
    const { taskId } = await startCase();
    // when
    const asCandidate = await api.json<TaskViewJson>(`/tasks/${taskId}`, { as: 'a-clerk2' });
    await post(`/tasks/${taskId}/claim`, 'a-clerk1');
    const asOther = await api.json<TaskViewJson>(`/tasks/${taskId}`, { as: 'a-clerk2' });
    const asAssignee = await api.json<TaskViewJson>(`/tasks/${taskId}`, { as: 'a-clerk1' });
    const [stored] = await fixture().engine.taskService.listTasks({ processInstanceId: (await fixture().engine.taskService.getTask(taskId)).processInstanceId });
    // then
    expect(asCandidate.operations).to.deep.equal([{ operation: 'claim', label: '认领' }]);
    expect(asOther.operations).to.deep.equal([]);
    expect(asAssignee.operations.map((button) => button.operation)).to.deep.equal(['approve', 'transfer', 'delegate', 'copy', 'park', 'extend', 'void', 'unclaim']);
    expect(asAssignee.operations[0]).to.deep.equal({ operation: 'approve', label: '受理通过' });
    expect(asCandidate.task.openedAt).to.equal(null);
    expect(stored?.openedAt).to.be.instanceOf(Date);
  });

  it('says whether a task has a form, so the task page asks for it only then', async () => {
    // given: 填写 with its pinned form, then 复核 without one
    const started = await fixture().engine.forUser('a-clerk1').runtimeService.startProcessInstanceByKey('to_form', { tenantId: countyA });
    const [fill] = await openTasks(started.id);
    // when
    const withForm = await api.json<TaskViewJson>(`/tasks/${fill?.id}`, { as: 'a-clerk1' });
    const itsForm = await api.request(`/tasks/${fill?.id}/form`, { as: 'a-clerk1' });
    await fixture().engine.taskService.complete(fill?.id as string);
    const [check] = await openTasks(started.id);
    const withoutForm = await api.json<TaskViewJson>(`/tasks/${check?.id}`, { as: 'a-clerk1' });
    const noForm = await api.request(`/tasks/${check?.id}/form`, { as: 'a-clerk1' });
    // then
    expect(withForm.hasForm).to.equal(true);
    expect(itsForm.status).to.equal(200);
    expect(withoutForm.hasForm).to.equal(false);
    expect(noForm.status).to.equal(404);
  });

  it('refuses 通过 where the task does not offer it, to who is not the assignee, and on a task already done', async () => {
    // given: 受理 done, 复核 waiting for a-clerk2
    const { instanceId, taskId } = await startCase();
    await post(`/tasks/${taskId}/claim`, 'a-clerk1');
    await api.json(`/tasks/${taskId}/approve`, { as: 'a-clerk1', body: {} });
    const [review] = await openTasks(instanceId);
    // when
    const notOffered = await post(`/tasks/${review?.id}/approve`, 'a-clerk2');
    const notAssignee = await post(`/tasks/${review?.id}/transfer`, 'a-clerk1', { userId: 'a-leader' });
    const done = await post(`/tasks/${taskId}/approve`, 'a-clerk1');
    // then
    expect(notOffered.status).to.equal(403);
    expect(await errorMessage(notOffered)).to.match(/does not offer 通过 \(approve\); it offers transfer, park, urge/);
    expect(notAssignee.status).to.equal(403);
    expect(done.status).to.equal(409);
    expect((await timeline(instanceId)).map((entry) => entry.operation)).to.deep.equal(['start', 'claim', 'approve']);
  });

  it('lets exactly one of two concurrent approvals through; a retry with the same Idempotency-Key gets the first answer without acting again', async () => {
    // given
    const { instanceId, taskId } = await startCase();
    await post(`/tasks/${taskId}/claim`, 'a-clerk1');
    const headers = { as: 'a-clerk1', method: 'POST', body: { comment: '同意' } };
    // when
    const [first, second] = await Promise.all([api.request(`/tasks/${taskId}/approve`, headers), api.request(`/tasks/${taskId}/approve`, headers)]);
    // then
    expect([first.status, second.status].sort()).to.deep.equal([200, 409]);
    expect((await timeline(instanceId)).filter((entry) => entry.operation === 'approve')).to.have.length(1);

    // given: another case, approved with a key
    const other = await startCase();
    await post(`/tasks/${other.taskId}/claim`, 'a-clerk1');
    const keyed = async () => {
      const response = await fetchWithKey(api, `/tasks/${other.taskId}/approve`, 'a-clerk1', 'approve-key-0001');
      return { status: response.status, replayed: response.headers.get('idempotency-replayed'), body: await response.text() };
    };
    // when
    const original = await keyed();
    const retried = await keyed();
    // then
    expect(original).to.include({ status: 200, replayed: null });
    expect(retried).to.deep.equal({ ...original, replayed: 'true' });
    const otherBody = await api.request(`/tasks/${other.taskId}/approve`, { as: 'a-clerk1', method: 'POST', body: { comment: '另一个请求' }, headers: { 'Idempotency-Key': 'approve-key-0001' } });
    expect(otherBody.status).to.equal(400);
    expect(await errorMessage(otherBody)).to.contain('another request');
    expect((await timeline(other.instanceId)).filter((entry) => entry.operation === 'approve')).to.have.length(1);
  });

  it('transfers for good, delegates and resolves back, refusing a colleague of another tenant', async () => {
    // given
    const { instanceId, taskId } = await startCase();
    await post(`/tasks/${taskId}/claim`, 'a-clerk1');
    // when
    const foreign = await post(`/tasks/${taskId}/transfer`, 'a-clerk1', { userId: 'b-clerk' });
    expect((await post(`/tasks/${taskId}/transfer`, 'a-clerk1', { userId: 'a-clerk2', comment: '请协助' })).status).to.equal(204);
    const transferred = await fixture().engine.taskService.getTask(taskId);
    expect((await post(`/tasks/${taskId}/delegate`, 'a-clerk2', { userId: 'a-leader' })).status).to.equal(204);
    const delegated = await fixture().engine.taskService.getTask(taskId);
    const approveWhileDelegated = await post(`/tasks/${taskId}/approve`, 'a-leader');
    const delegateView = await api.json<TaskViewJson>(`/tasks/${taskId}`, { as: 'a-leader' });
    expect((await post(`/tasks/${taskId}/resolve`, 'a-leader', { comment: '已核实' })).status).to.equal(204);
    const resolved = await fixture().engine.taskService.getTask(taskId);
    // then
    expect(foreign.status).to.equal(400);
    expect(await errorMessage(foreign)).to.contain('b-clerk');
    expect(transferred).to.include({ assignee: 'a-clerk2', owner: null });
    expect(delegated).to.include({ assignee: 'a-leader', owner: 'a-clerk2', delegationState: 'PENDING' });
    expect(approveWhileDelegated.status).to.equal(409);
    expect(delegateView.operations.map((button) => button.operation)).to.deep.equal(['resolve']);
    expect(resolved).to.include({ assignee: 'a-clerk2', delegationState: 'RESOLVED' });
    const entries = await timeline(instanceId);
    expect(entries.map((entry) => entry.operation)).to.deep.equal(['start', 'claim', 'transfer', 'delegate', 'resolve']);
    expect(entries[2]).to.include({ userId: 'a-clerk1', comment: '请协助' });
    expect(entries[2]?.target).to.deep.equal({ from: 'a-clerk1', userId: 'a-clerk2' });
  });

  it('parks a case (挂账) so nothing but 恢复 is done to it, resumed only by who parked it or a supervisor', async () => {
    // given
    const { instanceId, taskId } = await startCase();
    await post(`/tasks/${taskId}/claim`, 'a-clerk1');
    // when
    const withoutReason = await post(`/tasks/${taskId}/park`, 'a-clerk1', {});
    expect((await post(`/tasks/${taskId}/park`, 'a-clerk1', { comment: '等待施工单位答复' })).status).to.equal(204);
    const parkedView = await api.json<TaskViewJson>(`/tasks/${taskId}`, { as: 'a-clerk1' });
    const approveWhileParked = await post(`/tasks/${taskId}/approve`, 'a-clerk1');
    const parkAgain = await post(`/tasks/${taskId}/park`, 'a-clerk1', { comment: '再次' });
    const resumeByOther = await post(`/instances/${instanceId}/resume`, 'a-clerk2');
    const caseView = await api.json<InstanceViewJson>(`/instances/${instanceId}`, { as: 'a-leader' });
    const resumed = await post(`/instances/${instanceId}/resume`, 'a-leader', { comment: '已答复' });
    const approved = await post(`/tasks/${taskId}/approve`, 'a-clerk1');
    // then
    expect(withoutReason.status).to.equal(400);
    expect(parkedView).to.include({ parked: true });
    expect(parkedView.operations).to.deep.equal([]);
    expect(approveWhileParked.status).to.equal(409);
    expect(await errorMessage(approveWhileParked)).to.contain('parked');
    expect(parkAgain.status).to.equal(409);
    expect(resumeByOther.status).to.equal(403);
    expect(caseView.hold).to.include({ parkedBy: 'a-clerk1' });
    expect(caseView.operations).to.include('resume');
    expect(resumed.status).to.equal(204);
    expect(approved.status).to.equal(200);
    expect((await timeline(instanceId)).map((entry) => entry.operation)).to.deep.equal(['start', 'claim', 'park', 'resume', 'approve']);
  });

  it('asks for voiding (作废), which an approver other than the requester grants, ending the case', async () => {
    // given
    const { instanceId, taskId } = await startCase();
    await post(`/tasks/${taskId}/claim`, 'a-clerk1');
    // when
    const extensionWithoutLimit = await post(`/tasks/${taskId}/extension-requests`, 'a-clerk1', { hours: 4, comment: '需要更多时间' });
    const request = await api.json<CaseRequestJson>(`/tasks/${taskId}/void-requests`, { as: 'a-clerk1', body: { comment: '重复上报' } }, 201);
    const second = await post(`/tasks/${taskId}/void-requests`, 'a-clerk1', { comment: '再次' });
    const pending = await api.json<CaseRequestJson[]>('/case-requests?state=pending', { as: 'a-leader' });
    const byClerk = await api.request('/case-requests?state=pending', { as: 'a-clerk2' });
    const decided = await api.json<CaseRequestJson>(`/case-requests/${request.id}/approve`, { as: 'a-leader', body: { comment: '同意作废' } });
    const again = await post(`/case-requests/${request.id}/reject`, 'a-leader');
    const caseView = await api.json<InstanceViewJson>(`/instances/${instanceId}`, { as: 'a-clerk1' });
    // then
    expect(extensionWithoutLimit.status).to.equal(409);
    expect(request).to.include({ kind: 'void', state: 'pending' });
    expect(second.status).to.equal(409);
    expect(pending.map((row) => row.id)).to.include(request.id);
    expect(byClerk.status).to.equal(403);
    expect(decided).to.include({ state: 'approved', decidedBy: 'a-leader' });
    expect(again.status).to.equal(409);
    expect(caseView.instance.endTime).to.not.equal(null);
    expect(caseView.openTasks).to.deep.equal([]);
    expect((await timeline(instanceId)).map((entry) => entry.operation)).to.deep.equal(['start', 'claim', 'void-request', 'void-approved', 'void']);
  });

  it('refuses to let the requester decide their own request', async () => {
    // given
    const { taskId } = await startCase();
    expect((await post(`/tasks/${taskId}/claim`, 'a-leader')).status).to.equal(204);
    const request = await api.json<CaseRequestJson>(`/tasks/${taskId}/void-requests`, { as: 'a-leader', body: { comment: '无效上报' } }, 201);
    // when
    const own = await post(`/case-requests/${request.id}/approve`, 'a-leader');
    // then
    expect(own.status).to.equal(403);
  });

  it('keeps requests to their case: another tenant\'s approver neither lists nor decides them', async () => {
    // given
    const { taskId } = await startCase();
    await post(`/tasks/${taskId}/claim`, 'a-clerk1');
    const request = await api.json<CaseRequestJson>(`/tasks/${taskId}/void-requests`, { as: 'a-clerk1', body: { comment: '重复上报' } }, 201);
    // when
    const listed = await api.json<CaseRequestJson[]>('/case-requests?state=pending', { as: 'b-leader' });
    const approved = await post(`/case-requests/${request.id}/approve`, 'b-leader');
    const rejected = await post(`/case-requests/${request.id}/reject`, 'b-leader');
    // then
    expect(listed.map((row) => row.id)).to.not.include(request.id);
    expect([approved.status, rejected.status]).to.deep.equal([404, 404]);
    const [stored] = await api.json<CaseRequestJson[]>(`/case-requests?state=pending`, { as: 'a-leader' }).then((rows) => rows.filter((row) => row.id === request.id));
    expect(stored).to.include({ state: 'pending' });
  });

  it('does not let a caller whose data scope hides a case approve its task, even one open to all', async () => {
    // given: a task naming nobody in a case a-narrow (data scope self) did not start
    const { engine } = fixture();
    const started = await engine.forUser('a-clerk1').runtimeService.startProcessInstanceByKey('to_open', { tenantId: countyA });
    const [task] = await openTasks(started.id);
    // when
    const approved = await post(`/tasks/${task?.id}/approve`, 'a-narrow');
    const viaForm = await post(`/tasks/${task?.id}/form`, 'a-narrow', { data: {} });
    // then
    expect([approved.status, viaForm.status]).to.deep.equal([404, 404]);
    expect(await openTasks(started.id)).to.have.length(1);
  });

  it('holds a parked case still for every client, and lets the hold go with the case', async () => {
    // given
    const { engine } = fixture();
    const { instanceId, taskId } = await startCase();
    await post(`/tasks/${taskId}/claim`, 'a-clerk1');
    await post(`/tasks/${taskId}/park`, 'a-clerk1', { comment: '等待答复' });
    // when: completed as Camunda clients do, then the case terminated
    const completion = await rejectionOf(engine.taskService.complete(taskId));
    await post(`/instances/${instanceId}/terminate`, 'a-admin', { comment: '并案处理' });
    const caseView = await api.json<InstanceViewJson>(`/instances/${instanceId}`, { as: 'a-admin' });
    const resumed = await post(`/instances/${instanceId}/resume`, 'a-clerk1');
    // then
    expect(completion.message).to.contain('parked');
    expect(caseView.hold).to.equal(null);
    expect(caseView.operations).to.deep.equal([]);
    expect(resumed.status).to.equal(409);
  });

  it('terminates a case for an administrator only, once', async () => {
    // given
    const { instanceId } = await startCase();
    // when
    const byClerk = await post(`/instances/${instanceId}/terminate`, 'a-clerk1', { comment: '测试' });
    const withoutReason = await post(`/instances/${instanceId}/terminate`, 'a-admin', {});
    const terminated = await post(`/instances/${instanceId}/terminate`, 'a-admin', { comment: '系统测试数据' });
    const again = await post(`/instances/${instanceId}/terminate`, 'a-admin', { comment: '再次' });
    // then
    expect(byClerk.status).to.equal(403);
    expect(withoutReason.status).to.equal(400);
    expect(terminated.status).to.equal(204);
    expect(again.status).to.equal(409);
    expect(await openTasks(instanceId)).to.deep.equal([]);
    const last = (await timeline(instanceId, 'a-admin')).at(-1);
    expect(last).to.include({ operation: 'terminate', userId: 'a-admin', comment: '系统测试数据' });
  });

  it('urges the handlers of the open tasks, at most once in ten minutes per user, counting every urge', async () => {
    // given: 复核 waits for a-clerk2
    const { instanceId, taskId } = await startCase('a-clerk2');
    await post(`/tasks/${taskId}/claim`, 'a-clerk1');
    await api.json(`/tasks/${taskId}/approve`, { as: 'a-clerk1', body: {} });
    // when
    const urged = await api.json<{ urgedTasks: number; notifiedUsers: number }>(`/instances/${instanceId}/urge`, { as: 'a-clerk1', body: { comment: '请尽快复核' } });
    const tooSoon = await post(`/instances/${instanceId}/urge`, 'a-clerk1');
    const byOther = await post(`/instances/${instanceId}/urge`, 'a-leader');
    const [review] = await openTasks(instanceId);
    const notifications = await api.json<{ kind: string; title: string }[]>('/notifications?unread=true', { as: 'a-clerk2' });
    // then
    expect(urged).to.deep.equal({ urgedTasks: 1, notifiedUsers: 1 });
    expect(tooSoon.status).to.equal(429);
    const { retryAfterSeconds } = (await tooSoon.json()) as { retryAfterSeconds: number };
    expect(retryAfterSeconds).to.be.within(1, 600);
    // the error mapping sets the header of every 429
    expect(tooSoon.headers.get('Retry-After')).to.equal(String(retryAfterSeconds));
    expect(byOther.status).to.equal(200);
    expect(review?.urgeCount).to.equal(2);
    expect(notifications.filter((message) => message.kind === 'urge').map((message) => message.title)).to.include('催办：复核');
  });

  it('keeps comments and files in the timeline, refusing a file the caller cannot see and writing nothing then', async () => {
    // given
    const { instanceId, taskId } = await startCase();
    await post(`/tasks/${taskId}/claim`, 'a-clerk1');
    const upload = new FormData();
    upload.append('file', new Blob([Buffer.from('%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n', 'latin1')], { type: 'application/pdf' }), '现场说明.pdf');
    const [own] = await api.json<{ id: string }[]>('/files', { as: 'a-clerk1', body: upload }, 201);
    const foreignUpload = new FormData();
    foreignUpload.append('file', new Blob([Buffer.from('%PDF-1.4\n%%EOF\n', 'latin1')], { type: 'application/pdf' }), 'b.pdf');
    const [foreign] = await api.json<{ id: string }[]>('/files', { as: 'b-clerk', body: foreignUpload }, 201);
    // when
    const refused = await post(`/tasks/${taskId}/approve`, 'a-clerk1', { comment: '附件', attachments: [foreign?.id] });
    const stillOpen = await fixture().engine.taskService.getTask(taskId);
    await api.json(`/tasks/${taskId}/approve`, { as: 'a-clerk1', body: { comment: '见附件', attachments: [own?.id] } });
    const entries = await api.json<(TimelineJson & { files: { name: string }[] })[]>(`/instances/${instanceId}/timeline`, { as: 'a-clerk1' });
    // then
    expect(refused.status).to.equal(400);
    expect(stillOpen.id).to.equal(taskId);
    const approval = entries.find((entry) => entry.operation === 'approve');
    expect(approval).to.include({ userId: 'a-clerk1', comment: '见附件', activityId: 'accept' });
    expect(approval?.files.map((file) => file.name)).to.deep.equal(['现场说明.pdf']);
  });
});

describeOnDatabases('api/platform - lights and extensions (延期) on the working calendar', (fixture) => {
  let api: SignedInClient;

  before(async () => {
    const { engine } = fixture();
    const clerk = ['task:read', 'task:handle', 'instance:read'];
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      roles: [{ tenantId: countyA, code: 'clerk', permissions: clerk }, { tenantId: countyA, code: 'leader', permissions: [...clerk, 'case-request:approve'] }],
      users: [{ id: 'a-clerk1', tenantId: countyA, roles: ['clerk'] }, { id: 'a-leader', tenantId: countyA, roles: ['leader'] }],
    });
    await engine.repositoryService.deploy({ name: 'limited', tenantId: countyA, resources: [{ name: 'limited.bpmn', content: LIMITED_PROCESS }] });
    api = await startSignedInApi(engine);
  });

  after(async () => {
    await api?.close();
  });

  const ids = (rows: InboxRowJson[]) => rows.map((row) => row.taskId);

  it('filters the inbox by light as the clock runs past the limit, and an approved extension (延期) moves the due date by working time', async () => {
    // given: a task with 8 working hours
    const { engine, clock } = fixture();
    const started = await engine.runtimeService.startProcessInstanceByKey('to_limited', { businessKey: 'LIGHT-1', tenantId: countyA });
    const [task] = await engine.taskService.listTasks({ processInstanceId: started.id });
    const taskId = task?.id as string;
    const inbox = (light: string) => api.json<InboxRowJson[]>(`/tasks?view=todo&search=LIGHT-1&light=${light}`, { as: 'a-clerk1' });
    // then: green now
    expect(ids(await inbox('green'))).to.deep.equal([taskId]);
    expect(ids(await inbox('red'))).to.deep.equal([]);
    // when: a week passes (five working days: far past 8 working hours)
    clock.advance(WEEK_MS);
    try {
      // then: red, on the task page too
      expect(ids(await inbox('red'))).to.deep.equal([taskId]);
      expect(ids(await inbox('green'))).to.deep.equal([]);
      expect((await api.json<TaskViewJson & { light: string }>(`/tasks/${taskId}`, { as: 'a-clerk1' })).light).to.equal('red');
      // when: 80 more working hours (ten working days from the task's start) are asked for and granted
      const request = await api.json<CaseRequestJson>(`/tasks/${taskId}/extension-requests`, { as: 'a-clerk1', body: { hours: 80, comment: '需协调多个部门' } }, 201);
      await api.json(`/case-requests/${request.id}/approve`, { as: 'a-leader', body: {} });
      // then: the limit grew by 80 working hours and the due date lies ahead of now again
      const extended = await engine.taskService.getTask(taskId);
      expect(extended.timeLimitMs).to.equal(88 * 3_600_000);
      expect(extended.dueDate?.getTime()).to.be.greaterThan(clock.now().getTime());
      expect(ids(await inbox('red'))).to.deep.equal([]);
    } finally {
      clock.advance(-WEEK_MS);
    }
  });
});

/** A POST with an Idempotency-Key, signed in as `as` through the client's own session. */
async function fetchWithKey(api: SignedInClient, path: string, as: string, key: string): Promise<Response> {
  return api.request(path, { as, method: 'POST', body: {}, headers: { 'Idempotency-Key': key } });
}
