/**
 * 审批 end to end (@e2e): a handler asks for 延期 on 处置 through the task page's dialog; the 值班长
 * (the only demo role with `case-request:approve`) finds it under 审批, approves it, and the task's
 * due time moves by the hours asked for on the working calendar; the case's timeline shows the request
 * and the decision. A 作废 request on 受理 is turned down on a phone (card list): the case goes on.
 * Screenshots in runtime/test-artifacts/approvals/.
 */
import { expect } from 'chai';
import { DEMO_PASSWORD, LIUZHOU, PHONE, pressOperation, signOut, useRuntime, type RuntimeApps } from './runtime.js';

interface TaskJson {
  task: { id: string; dueDate: string | null; timeLimitMs: number | null };
}
interface RequestJson {
  id: string;
  kind: string;
  state: string;
  processInstanceId: string;
  decidedBy: string | null;
  decisionComment: string | null;
}
interface TimelineJson {
  operation: string;
  comment: string | null;
}

/** a case started by the inspector through the API, taken through the steps before `until` by their roles */
async function startCase(apps: RuntimeApps, description: string, until: 'accept' | 'handle'): Promise<{ caseId: string; caseNumber: string; taskId: string }> {
  const [definition] = await apps.adminApi<{ id: string }[]>(`/engine-rest/process-definition?key=case_loop&latestVersion=true&tenantIdIn=${LIUZHOU}`);
  const started = await apps.userApi<{ processInstanceId: string; businessKey: string }>('lz.supervisor', `/api/process-definitions/${definition!.id}/start-form`, {
    body: { data: { category: 'SJ06010', description, location: { longitude: 109.41553, latitude: 24.32547, address: '城中区文惠路' } } },
  });
  const claim = async (user: string) => {
    const [offered] = await apps.userApi<{ taskId: string }[]>(user, `/api/tasks?view=claimable&search=${started.businessKey}`);
    await apps.userApi(user, `/api/tasks/${offered!.taskId}/claim`, { method: 'POST' });
    return offered!.taskId;
  };
  let taskId = await claim('lz.receptionist');
  if (until === 'handle') {
    await apps.userApi('lz.receptionist', `/api/tasks/${taskId}/approve`, { body: { data: { remark: '属实' } } });
    taskId = await claim('lz.dispatcher');
    await apps.userApi('lz.dispatcher', `/api/tasks/${taskId}/approve`, { body: { data: { remark: '派至执法一大队' } } });
    const [handle] = await apps.userApi<{ taskId: string; taskName: string }[]>('lz.handler', `/api/tasks?view=todo&search=${started.businessKey}`);
    expect(handle?.taskName).to.equal('处置');
    taskId = handle!.taskId;
  }
  return { caseId: started.processInstanceId, caseNumber: started.businessKey, taskId };
}

describe('approvals (延期 and 作废) @e2e', function () {
  this.timeout(120_000);
  const runtime = useRuntime({ name: 'approvals' });

  before(async function () {
    this.timeout(60_000);
    await runtime().deployCaseLoop();
  });

  it('approves a handler\'s 延期 on 处置 under 审批: the due time moves, the timeline shows both', async () => {
    const apps = runtime();
    const { page, signIn, screenshot, userApi } = apps;
    const { caseId, caseNumber, taskId } = await startCase(apps, '人行道护栏倒塌，需要更换', 'handle');
    const before = await userApi<TaskJson>('lz.handler', `/api/tasks/${taskId}`);
    expect(before.task.dueDate).to.be.a('string');

    // the handler asks for 16 more working hours through the task page's dialog
    await signIn('lz.handler', DEMO_PASSWORD);
    await page.goto(`${apps.baseUrl}/tasks/${taskId}`);
    await page.locator('[data-test=task-name]', { hasText: '处置' }).waitFor();
    const dialog = await pressOperation(page, 'extend');
    await dialog.locator('[data-test=extend-hours] input').fill('16');
    await dialog.locator('[data-test=operation-comment]').fill('护栏需定制，材料三天后到货');
    await page.waitForTimeout(400);
    await screenshot('extension-request-dialog');
    await dialog.locator('[data-test=operation-submit]').click();
    await dialog.waitFor({ state: 'hidden' });
    // the handler has no 审批 entry
    expect(await page.locator('[data-test=menu-approvals]').count()).to.equal(0);
    await signOut(page);

    // the shift leader sees it under 审批 with its case and approves it
    await signIn('lz.shift-leader', DEMO_PASSWORD);
    await page.locator('[data-test=menu-approvals]').click();
    await page.waitForURL('**/runtime/approvals');
    const row = page.locator('[data-test=approval-table] .el-table__row', { hasText: caseNumber });
    await row.waitFor();
    expect(await row.textContent()).to.contain('延期').and.to.contain('16').and.to.contain('护栏需定制').and.to.contain('lz.handler').and.to.contain('处置');
    await screenshot('approvals-pending');
    await row.locator('[data-test=approval-approve]').click();
    const decide = page.locator('.el-dialog[data-test=approval-dialog]');
    await decide.waitFor();
    await decide.locator('[data-test=approval-comment]').fill('同意延期，尽快完成');
    await page.waitForTimeout(400); // the dialog's opening animation
    await screenshot('approve-dialog');
    await decide.locator('[data-test=approval-submit]').click();
    await decide.waitFor({ state: 'hidden' });
    await row.waitFor({ state: 'detached' });

    // the task's limit is longer: its due time later
    const after = await userApi<TaskJson>('lz.handler', `/api/tasks/${taskId}`);
    expect(new Date(after.task.dueDate!).getTime()).to.be.greaterThan(new Date(before.task.dueDate!).getTime());
    expect(after.task.timeLimitMs! - before.task.timeLimitMs!).to.equal(16 * 3_600_000);
    const [decided] = await userApi<RequestJson[]>('lz.shift-leader', `/api/case-requests?state=approved&processInstanceId=${caseId}`);
    expect(decided).to.include({ kind: 'extension', state: 'approved', decidedBy: 'lz.shift-leader', decisionComment: '同意延期，尽快完成' });

    // the approved list, then the case from the row's link: its timeline has the request and the approval
    await page.locator('[data-test=approvals-state]').click();
    await page.locator('[data-test=approvals-state-approved]').click();
    const approvedRow = page.locator('[data-test=approval-table] .el-table__row', { hasText: caseNumber });
    await approvedRow.waitFor();
    expect(await approvedRow.textContent()).to.contain('已批准').and.to.contain('同意延期');
    await approvedRow.locator('[data-test=approval-case]').click();
    await page.waitForURL(`**/runtime/cases/${caseId}`);
    await page.locator('[data-test=timeline-entry][data-operation=extension-approved]').waitFor();
    expect(await page.locator('[data-test=timeline-entry][data-operation=extension-request]').textContent()).to.contain('护栏需定制');
    expect(await page.locator('[data-test=timeline-entry][data-operation=extension-approved]').textContent()).to.contain('同意延期');
    await screenshot('case-timeline-extension');
    const timeline = await userApi<TimelineJson[]>('lz.shift-leader', `/api/instances/${caseId}/timeline`);
    expect(timeline.map((entry) => entry.operation)).to.include.members(['extension-request', 'extension-approved']);
    await signOut(page);
  });

  it('turns down a 作废 request on a phone: a card per request, the case goes on', async () => {
    const apps = runtime();
    const { signIn, screenshot, userApi, openPage } = apps;
    const { caseId, caseNumber, taskId } = await startCase(apps, '路灯不亮，疑似重复上报', 'accept');
    await userApi('lz.receptionist', `/api/tasks/${taskId}/void-requests`, { body: { comment: '与前一案件重复' } });

    const phone = await openPage(PHONE);
    await signIn('lz.shift-leader', DEMO_PASSWORD, phone);
    await phone.locator('[data-test=tab-approvals]').click();
    const card = phone.locator('[data-test=approval-cards] [data-test=approval-row]', { hasText: caseNumber });
    await card.waitFor();
    expect(await card.textContent()).to.contain('作废').and.to.contain('与前一案件重复');
    await screenshot('phone-approvals', phone);
    await card.locator('[data-test=approval-reject]').click();
    const decide = phone.locator('.el-dialog[data-test=approval-dialog]');
    await decide.waitFor();
    await decide.locator('[data-test=approval-comment]').fill('不是重复案件，继续办理');
    await phone.waitForTimeout(400);
    await screenshot('phone-reject-dialog', phone);
    await decide.locator('[data-test=approval-submit]').click();
    await card.waitFor({ state: 'detached' });

    const [decided] = await userApi<RequestJson[]>('lz.shift-leader', `/api/case-requests?kind=void&processInstanceId=${caseId}`);
    expect(decided).to.include({ kind: 'void', state: 'rejected', decisionComment: '不是重复案件，继续办理' });
    const view = await userApi<{ instance: { state: string }; openTasks: { name: string }[] }>('lz.shift-leader', `/api/instances/${caseId}`);
    expect(view.instance.state).to.equal('ACTIVE');
    expect(view.openTasks.map((task) => task.name)).to.deep.equal(['受理']);
    const timeline = await userApi<TimelineJson[]>('lz.shift-leader', `/api/instances/${caseId}/timeline`);
    expect(timeline.map((entry) => entry.operation)).to.include.members(['void-request', 'void-rejected']);
  });

  it('offers 审批 only to holders of case-request:approve: the page is refused to the others', async () => {
    const { page, signIn, baseUrl } = runtime();
    await signIn('lz.receptionist', DEMO_PASSWORD);
    expect(await page.locator('[data-test=menu-approvals]').count()).to.equal(0);
    await page.goto(`${baseUrl}/approvals`);
    await page.waitForURL('**/runtime/forbidden');
    await signOut(page);
  });
});
