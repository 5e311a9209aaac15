/**
 * The whole case loop across both apps, on a fresh database with the Liuzhou demo users: a citizen
 * reports through /public with a photo → the 受理员 finds it in the inbox and accepts it → the
 * 派遣员 dispatches it → the department handles it with an after-photo → the 监督员's check fails
 * once (返工) → handled again → the check passes → the 值班长 closes it → the citizen sees 已结案,
 * the stages without a staff name, and rates it; the rating reaches the satisfaction figures.
 * Driven with the test case process until the command-and-coordination plugin ships its own.
 *
 *   cd runtime && npx vite build --config vite.staff.config.ts --outDir /tmp/rt-staff \
 *     && npx vite build --config vite.public.config.ts --outDir /tmp/rt-public
 *   YIWANG_RUNTIME_DIST=/tmp/rt-staff YIWANG_PUBLIC_DIST=/tmp/rt-public npx mocha --no-config --node-option import=tsx --timeout 120000 test/case-loop.test.ts
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { chooseCascade, DEMO_PASSWORD, formField, LIUZHOU, openInboxTab, PHONE, PHOTO, pressOperation, signOut, useRuntime } from './runtime.js';

/** who works which step, and the staff names that must never reach the citizen */
const STAFF = { 'lz.receptionist': '覃语桐', 'lz.dispatcher': '莫思远', 'lz.handler': '廖青禾', 'lz.supervisor': '韦晓岚', 'lz.shift-leader': '蓝启航' } as const;
type StaffUser = keyof typeof STAFF;

interface Step {
  readonly user: StaffUser;
  readonly task: string;
  /** the task is offered to a role: claim it first */
  readonly claim: boolean;
  /** fills the task's form before 通过 */
  readonly fill?: (page: Page) => Promise<void>;
  readonly comment: string;
  /** a photo attached to 通过 (the department's after-photo) */
  readonly photo?: boolean;
}

describe('the case loop from a citizen\'s report to the rating @e2e', function () {
  this.timeout(180_000);
  const runtime = useRuntime({ name: 'case-loop' });
  let trackingCode = '';
  let citizen: Page;

  before(async function () {
    this.timeout(60_000);
    const apps = runtime();
    await apps.deployCaseLoop();
    await apps.userApi('lz.sysadmin', '/api/public-channel', { method: 'PUT', body: { processKey: 'case_loop', enabled: true } });
    citizen = await apps.openPage({ ...PHONE, locale: 'zh-CN' });
    citizen.setDefaultTimeout(15_000);
    apps.page.setDefaultTimeout(15_000);
  });

  it('takes a citizen\'s report with a photo and the location on a phone', async () => {
    await citizen.goto(`${runtime().origin}/public/?tenant=${LIUZHOU}`);
    await citizen.locator('[data-test=report-form]').waitFor();
    await citizen.locator('[data-test=category]').click();
    await citizen.keyboard.type('井盖');
    await citizen.locator('[data-test=category-BJ01002]').click();
    await citizen.locator('[data-test=description]').fill('文惠路与东环路口的污水井盖破损，晚上行人容易踩空。');
    await citizen.locator('[data-test=photo-input]').setInputFiles({ name: 'manhole.png', mimeType: 'image/png', buffer: PHOTO });
    await citizen.locator('[data-test=photo]').waitFor();
    await citizen.locator('[data-test=locate]').click();
    await citizen.locator('[data-test=located]').waitFor();
    await citizen.locator('[data-test=address]').fill('城中区文惠路口');
    await runtime().screenshot('citizen-report', citizen);
    await citizen.locator('[data-test=submit]').click();
    await citizen.locator('[data-test=report-done]').waitFor();
    trackingCode = (await citizen.locator('[data-test=tracking-code]').textContent())!.trim();
    expect(trackingCode).to.match(/^[A-Z2-9]{12}$/);
    await runtime().screenshot('citizen-tracking-code', citizen);
  });

  /** A staff member signs in, opens the step from the inbox, claims it when offered to their role, fills its form and presses 通过. */
  async function work(step: Step): Promise<void> {
    const { page, signIn, screenshot } = runtime();
    await signIn(step.user, DEMO_PASSWORD);
    await openInboxTab(page, step.claim ? 'claimable' : 'todo');
    await page.locator('[data-test=inbox-table] .el-table__row', { hasText: step.task }).first().click();
    await page.waitForURL('**/runtime/tasks/**');
    await page.locator('[data-test=task-name]', { hasText: step.task }).waitFor();
    if (step.claim) {
      await (await pressOperation(page, 'claim')).locator('[data-test=operation-submit]').click();
      await page.locator('[data-test=op-approve]').waitFor();
    }
    await step.fill?.(page);
    const dialog = await pressOperation(page, 'approve');
    await dialog.locator('[data-test=operation-comment]').fill(step.comment);
    if (step.photo) {
      await dialog.locator('[data-test=attach-input]').setInputFiles({ name: 'after.png', mimeType: 'image/png', buffer: PHOTO });
      await dialog.locator('[data-test=file-thumbnail]').waitFor();
    }
    await screenshot(`${step.task}-${step.user}`);
    await dialog.locator('[data-test=operation-submit]').click();
    await page.waitForURL('**/runtime/inbox/todo');
    await signOut(page);
  }

  const handle = (note: string): Step => ({
    user: 'lz.handler', task: '处置', claim: false, comment: note, photo: true,
    fill: async (page) => {
      await chooseCascade(formField(page, '处置结果'), ['已处置完毕']);
      await formField(page, '处置说明').locator('textarea').fill(note);
    },
  });
  const verify = (passed: boolean, note: string): Step => ({
    user: 'lz.supervisor', task: '核查', claim: true, comment: note,
    fill: async (page) => {
      if (passed) await formField(page, '现场核查通过').locator('input[type=checkbox]').check();
      await formField(page, '核查说明').locator('textarea').fill(note);
    },
  });

  it('is accepted by the 受理员 from the inbox and dispatched by the 派遣员', async () => {
    await work({ user: 'lz.receptionist', task: '受理', claim: true, comment: '公众上报属实，予以受理', fill: (page) => formField(page, '办理意见').locator('textarea').fill('属实') });
    await work({ user: 'lz.dispatcher', task: '派遣', claim: true, comment: '派至执法一大队', fill: (page) => formField(page, '办理意见').locator('textarea').fill('请尽快处置') });
  });

  it('is handled by the department with an after-photo, fails its check once (返工) and passes the second', async () => {
    await work(handle('井盖已临时围挡'));
    await work(verify(false, '只是围挡，井盖未更换'));
    const rework = await runtime().userApi<{ taskName: string }[]>('lz.handler', '/api/tasks?view=todo');
    expect(rework.map((task) => task.taskName)).to.deep.equal(['处置']);
    await work(handle('井盖已更换'));
    await work(verify(true, '现场已修复'));
  });

  it('is closed by the 值班长', async () => {
    await work({ user: 'lz.shift-leader', task: '结案', claim: true, comment: '同意结案' });
    const [report] = await runtime().userApi<{ state: string; businessKey: string }[]>('lz.shift-leader', '/api/instances?firstResult=0&maxResults=5');
    expect(report?.state).to.equal('COMPLETED');
    // numbered by the start form's serial field, like a case a member of staff starts
    expect(report?.businessKey).to.match(/^SJ\d{8}0001$/);
  });

  it('shows the citizen 已结案 with every stage and no staff name, and takes the rating into the satisfaction figures', async () => {
    await citizen.locator('[data-test=track-link]').click();
    await citizen.waitForURL(`**/public/track/${trackingCode}`);
    await citizen.locator('[data-test=rating-form]').waitFor();
    expect((await citizen.locator('[data-test=report-state]').textContent())!.trim()).to.equal('已结案');
    const stages = await citizen.locator('[data-test=stage] .el-timeline-item__content').allTextContents();
    expect(stages.map((stage) => stage.trim())).to.deep.equal(['已提交', '受理', '派遣', '处置', '核查', '处置', '核查', '结案']);
    const text = await citizen.locator('body').innerText();
    for (const [user, name] of Object.entries(STAFF)) expect(text).not.to.contain(name).and.not.to.contain(user);
    await runtime().screenshot('citizen-closed', citizen);

    await citizen.locator('[data-test=score-satisfied]').click();
    await citizen.locator('[data-test=rating-comment-input]').fill('修得很好，谢谢！');
    await citizen.locator('[data-test=rating-submit]').click();
    await citizen.locator('[data-test=rating-view]').waitFor();
    await runtime().screenshot('citizen-rated', citizen);

    const figures = await runtime().userApi<{ total: number; satisfied: number; satisfactionRate: number }>('lz.shift-leader', '/api/public-reports/satisfaction');
    expect(figures).to.include({ total: 1, satisfied: 1, satisfactionRate: 1 });
  });
});
