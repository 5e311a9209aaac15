/**
 * The installed plugins' menu entries in the designer (@e2e), on the seeded platform with its plugins
 * installed as at the engine's first start (柳州市 has command-coordination and public-service). No
 * seeded role holds the plugin's designer menu permissions (menu:designer:cc-category,
 * menu:designer:cc-routing), so the suite grants them to
 * 柳州市's 系统管理员 through a role of its own: before, no 指挥协调 section; after, 案件类别 and
 * 派遣规则, each opening the dictionary editor on its dictionary, in the chosen language; once the
 * plugin is disabled in the tenant, a reload leaves no entry of it.
 * Screenshots in designer/test-artifacts/plugin-menus/.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '@yiwang/web-kit/testing';
import { useDesigner } from './designer.js';

const LIUZHOU = '450200';
const GROUP = '[data-test=side-menu] [data-test=plugin-group-command-coordination]';

async function menusLoaded(page: Page): Promise<void> {
  await page.locator('[data-test=app-layout][data-plugin-menus=loaded]').waitFor();
}

async function openGroup(page: Page): Promise<void> {
  const title = page.locator(`${GROUP} > .el-sub-menu__title`);
  await title.waitFor();
  if (!(await page.locator(`${GROUP}.is-opened`).count())) await title.click();
  await page.locator(`${GROUP} [data-test=plugin-menu-cc-category]`).waitFor({ state: 'visible' });
}

describe('designer: the plugins\' menu entries', function () {
  this.timeout(120_000);
  const designer = useDesigner({ name: 'plugin-menus', seeds: true, plugins: true });

  it('shows 系统管理员 no 指挥协调 section while they lack its menu permissions', async () => {
    const { page, signIn } = designer();
    await signIn('lz.sysadmin', DEMO_PASSWORD);
    await menusLoaded(page);
    // 系统管理员 holds menu:designer:dictionary but neither cc-category nor cc-routing nor public-service's ps-category
    expect(await page.locator('[data-test^=plugin-group-]').count()).to.equal(0);
    expect(await page.locator('[data-test="menu-section-designer"]').count(), 'the app\'s own sections stay').to.equal(1);
    await page.evaluate(() => localStorage.removeItem('yiwang.tokens'));
  });

  it('lists 案件类别 and 派遣规则 to a holder of their permissions and opens each dictionary', async () => {
    const { page, signIn, screenshot, adminApi } = designer();
    // given the plugin's two designer menu permissions, through a role of 柳州市
    const role = await adminApi<{ id: string }>('/api/admin/roles', {
      body: { tenantId: LIUZHOU, code: 'cc-dictionaries', name: '指挥协调字典维护', dataScope: 'all', permissions: ['menu:designer:cc-category', 'menu:designer:cc-routing'] },
    });
    await adminApi(`/api/admin/roles/${role.id}/users`, { method: 'PUT', body: { userIds: ['lz.sysadmin'] } });
    // when
    await signIn('lz.sysadmin', DEMO_PASSWORD);
    await openGroup(page);
    // then
    expect(await page.locator(`${GROUP} > .el-sub-menu__title`).textContent()).to.contain('指挥协调');
    expect(await page.locator(`${GROUP} [data-test^=plugin-menu-]`).allTextContents()).to.deep.equal(['案件类别', '派遣规则']);
    // public-service's entries stay hidden: the user holds neither menu:designer:ps-channel (公众上报渠道,
    // which has no page here either) nor menu:designer:ps-category (市民上报问题类型)
    expect(await page.locator('[data-test=plugin-group-public-service]').count()).to.equal(0);
    await screenshot('entries');

    // when
    await page.locator(`${GROUP} [data-test=plugin-menu-cc-routing]`).click();
    // then
    await page.waitForURL('**/designer/dictionaries?code=cc-routing');
    await page.locator('[data-test=dictionary-code]', { hasText: 'cc-routing' }).waitFor();
    await page.locator(`${GROUP} [data-test=plugin-menu-cc-routing].is-active`).waitFor();
    await screenshot('routing');
    // the page stays open in its tab: the other entry opens its own dictionary in it
    await page.locator(`${GROUP} [data-test=plugin-menu-cc-category]`).click();
    await page.waitForURL('**/designer/dictionaries?code=cc-case-category');
    await page.locator('[data-test=dictionary-code]', { hasText: 'cc-case-category' }).waitFor();
    expect(await page.locator('[data-test=item-table] .el-table__row').count(), 'the category tree\'s items').to.be.greaterThan(0);
  });

  it('follows the language switch', async () => {
    const { page, screenshot } = designer();
    await openGroup(page);
    await page.locator('[data-test=language-button]').click();
    await page.locator('[data-test=language-en]').click();
    await page.locator(`${GROUP} > .el-sub-menu__title`, { hasText: 'Command and coordination' }).waitFor();
    expect(await page.locator(`${GROUP} [data-test^=plugin-menu-]`).allTextContents()).to.deep.equal(['Case categories', 'Dispatch routing']);
    await screenshot('english');
    await page.locator('[data-test=language-button]').click();
    await page.locator('[data-test=language-zh-CN]').click();
    await page.locator(`${GROUP} > .el-sub-menu__title`, { hasText: '指挥协调' }).waitFor();
  });

  it('drops the entries once the plugin is disabled in the tenant, at the next load', async () => {
    const { page, baseUrl, screenshot, adminApi } = designer();
    await adminApi('/api/plugins/command-coordination/disable', { body: { tenantId: LIUZHOU } });
    // when
    await page.goto(`${baseUrl}/`);
    await menusLoaded(page);
    // then
    expect(await page.locator('[data-test^=plugin-group-]').count()).to.equal(0);
    expect(await page.locator('[data-test^=plugin-menu-]').count()).to.equal(0);
    await screenshot('disabled');
    await adminApi('/api/plugins/command-coordination/enable', { body: { tenantId: LIUZHOU } });
  });
});
