/**
 * The installed plugins' menu entries in the staff app (@e2e), on the seeded platform with its plugins
 * installed as at the engine's first start (柳州市 has command-coordination and public-service, whose
 * roles' permissions are merged into the seeded roles): the 指挥协调 group shows the entries the user's
 * permissions admit, in the manifest's order, in the chosen language; an entry opens its page (发起上报:
 * the start catalogue narrowed to the plugin's process; 案件查询: the case search of that process; 审批:
 * the approvals page); on a phone they
 * sit behind 更多; once the plugin is disabled, a reload leaves no entry of it.
 * Screenshots in runtime/test-artifacts/plugin-menus/.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, LIUZHOU, PHONE, signOut, useRuntime } from './runtime.js';

const GROUP = '[data-test=side-menu] [data-test=plugin-group-command-coordination]';

/** the keys of the plugin entries in a group, in the order shown */
const keysIn = (page: Page, group: string) =>
  page.locator(`${group} [data-test^=plugin-menu-]`).evaluateAll((items) => items.map((item) => item.getAttribute('data-test')!.replace('plugin-menu-', '')));

describe('staff app: the plugins\' menu entries @e2e', function () {
  this.timeout(120_000);
  const runtime = useRuntime({ name: 'plugin-menus', plugins: true });

  it('shows each user the entries their permissions admit, under the plugin\'s title, in the manifest\'s order', async () => {
    const { page, signIn, screenshot } = runtime();
    // 值班长: all four; no public-service group (no seeded role holds menu:runtime:ps-satisfaction, and the app has no such page: web-kit's unit tests)
    await signIn('lz.shift-leader', DEMO_PASSWORD);
    await page.locator(`${GROUP} [data-test=plugin-menu-cc-inbox]`).waitFor();
    expect(await page.locator(`${GROUP} .el-menu-item-group__title`).textContent()).to.equal('指挥协调');
    expect(await keysIn(page, GROUP)).to.deep.equal(['cc-inbox', 'cc-report', 'cc-cases', 'cc-requests']);
    expect(await page.locator(`${GROUP} [data-test^=plugin-menu-]`).allTextContents()).to.deep.equal(['待办', '发起上报', '案件查询', '审批']);
    expect(await page.locator('[data-test=plugin-group-public-service]').count()).to.equal(0);
    await screenshot('shift-leader');
    await signOut(page);

    // 监督员: 待办 and 发起上报 (menu:runtime:cc-report), no 案件查询 nor 审批
    await signIn('lz.supervisor', DEMO_PASSWORD);
    await page.locator(`${GROUP} [data-test=plugin-menu-cc-inbox]`).waitFor();
    expect(await keysIn(page, GROUP)).to.deep.equal(['cc-inbox', 'cc-report']);
    await signOut(page);

    // 派遣员 lacks menu:runtime:cc-report: no 发起上报
    await signIn('lz.dispatcher', DEMO_PASSWORD);
    await page.locator(`${GROUP} [data-test=plugin-menu-cc-inbox]`).waitFor();
    expect(await keysIn(page, GROUP)).to.deep.equal(['cc-inbox', 'cc-cases']);
    expect(await page.locator('[data-test=plugin-menu-cc-report]').count()).to.equal(0);
    await screenshot('dispatcher');
    await signOut(page);
  });

  it('opens an entry\'s page: 发起上报 the catalogue narrowed to the case process, 案件查询 the case search of that process, 审批 the approvals', async () => {
    const { page, signIn, screenshot } = runtime();
    await signIn('lz.shift-leader', DEMO_PASSWORD);
    // when
    await page.locator(`${GROUP} [data-test=plugin-menu-cc-report]`).click();
    // then
    await page.waitForURL('**/runtime/start?process=cc_case');
    await page.locator('[data-test=start-cc_case]').waitFor();
    expect(await page.locator('[data-test=start-catalogue] .yw-process-card').count(), 'the plugin\'s process alone').to.equal(1);
    expect(await page.locator('[data-test=start-only]').getAttribute('data-process')).to.equal('cc_case');
    const isActive = (selector: string) => page.locator(selector).evaluate((element) => element.classList.contains('is-active'));
    await page.locator(`${GROUP} [data-test=plugin-menu-cc-report].is-active`).waitFor();
    expect(await isActive('[data-test=menu-start]'), 'the entry, not 发起, is current').to.equal(false);
    await screenshot('report-catalogue');
    // 显示全部流程 goes back to the whole catalogue and the app's own entry
    await page.locator('[data-test=start-show-all]').click();
    await page.waitForURL('**/runtime/start');
    await page.locator('[data-test=start-only]').waitFor({ state: 'detached' });
    await page.locator('[data-test=menu-start].is-active').waitFor();
    expect(await isActive(`${GROUP} [data-test=plugin-menu-cc-report]`)).to.equal(false);

    // when
    await page.locator(`${GROUP} [data-test=plugin-menu-cc-cases]`).click();
    // then: the process's cases listed at once (none yet on the seeded platform)
    await page.waitForURL('**/runtime/cases?process=cc_case');
    await page.locator('[data-test=case-search-only][data-process=cc_case]').waitFor();
    await page.locator('[data-test=case-search-empty]', { hasText: '该流程没有您可查看的案件' }).waitFor();
    await screenshot('cases-of-process');
    await page.locator('[data-test=case-search-all]').click();
    await page.waitForURL('**/runtime/cases');
    await page.locator('[data-test=case-search-only]').waitFor({ state: 'detached' });

    // when
    await page.locator(`${GROUP} [data-test=plugin-menu-cc-requests]`).click();
    // then
    await page.waitForURL('**/runtime/requests');
    await page.locator('[data-test=approvals-page]').waitFor();
    await signOut(page);
  });

  it('follows the language switch', async () => {
    const { page, signIn, screenshot } = runtime();
    await signIn('lz.supervisor', DEMO_PASSWORD);
    await page.locator(`${GROUP} [data-test=plugin-menu-cc-report]`).waitFor();
    // when
    await page.locator('[data-test=language-button]').click();
    await page.locator('[data-test=language-en]').click();
    // then
    await page.locator(`${GROUP} .el-menu-item-group__title`, { hasText: 'Command and coordination' }).waitFor();
    expect(await page.locator(`${GROUP} [data-test^=plugin-menu-]`).allTextContents()).to.deep.equal(['To do', 'Report a case']);
    await screenshot('english');
    await page.locator('[data-test=language-button]').click();
    await page.locator('[data-test=language-zh-CN]').click();
    await page.locator(`${GROUP} .el-menu-item-group__title`, { hasText: '指挥协调' }).waitFor();
    await signOut(page);
  });

  it('puts the entries behind 更多 on a phone', async () => {
    const { signIn, screenshot, openPage } = runtime();
    const phone = await openPage(PHONE);
    await signIn('lz.supervisor', DEMO_PASSWORD, phone);
    expect(await phone.locator('[data-test=side-menu]').count()).to.equal(0);
    // when
    await phone.locator('[data-test=tab-more]').click();
    const sheet = phone.locator('[data-test=more-sheet]');
    await sheet.locator('[data-test=plugin-group-command-coordination] [data-test=plugin-menu-cc-report]').waitFor();
    expect(await keysIn(phone, '[data-test=more-sheet] [data-test=plugin-group-command-coordination]')).to.deep.equal(['cc-inbox', 'cc-report']);
    // a trial click waits until the entry is stable (the sheet has slid in) without clicking: the screenshot shows the sheet
    await sheet.locator('[data-test=plugin-menu-cc-report]').click({ trial: true });
    await screenshot('phone-more', phone);
    await sheet.locator('[data-test=plugin-menu-cc-report]').click();
    // then
    await phone.waitForURL('**/runtime/start?process=cc_case');
    await phone.locator('[data-test=start-cc_case]').waitFor();
    await sheet.waitFor({ state: 'hidden' });
    // (classList: router-link also adds router-link-active to 发起, whose path the entry's is)
    const hasClass = (selector: string) => phone.locator(selector).evaluate((element) => element.classList.contains('active'));
    await phone.locator('[data-test=tab-more].active').waitFor();
    expect(await hasClass('[data-test=tab-start]'), '更多 is current, 发起 is not').to.equal(false);
    await screenshot('phone-report', phone);
    await phone.context().close();
  });

  it('drops the entries of a plugin disabled in the tenant at the next load', async () => {
    const { page, signIn, screenshot, adminApi } = runtime();
    await signIn('lz.supervisor', DEMO_PASSWORD);
    await page.locator(`${GROUP} [data-test=plugin-menu-cc-report]`).waitFor();
    // when
    await adminApi('/api/plugins/command-coordination/disable', { body: { tenantId: LIUZHOU } });
    await page.reload();
    // then
    await page.locator('[data-test=app-layout][data-plugin-menus=loaded]').waitFor();
    expect(await page.locator('[data-test=menu-inbox]').count(), 'the app\'s own entries stay').to.equal(1);
    expect(await page.locator('[data-test^=plugin-group-]').count()).to.equal(0);
    expect(await page.locator('[data-test^=plugin-menu-]').count()).to.equal(0);
    await screenshot('disabled');
    // enabled again: back at the next load
    await adminApi('/api/plugins/command-coordination/enable', { body: { tenantId: LIUZHOU } });
    await page.reload();
    await page.locator(`${GROUP} [data-test=plugin-menu-cc-report]`).waitFor();
    await signOut(page);
  });
});
