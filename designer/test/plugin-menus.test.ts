/**
 * The installed plugins' menu entries in the designer (@e2e), on the seeded platform with its plugins
 * installed as at the engine's first start (柳州市 has command-coordination and public-service, and
 * each grants 系统管理员 its designer menus at install): 指挥协调 with 案件类别 and 派遣规则, each
 * opening the dictionary editor on its dictionary, and 公众服务 with 市民上报问题类型 (公众上报渠道
 * has no page here), in the chosen language; a section goes once an administrator takes its
 * permissions from the role, and once the plugin is disabled in the tenant, at the next load.
 * Screenshots in designer/test-artifacts/plugin-menus/.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '@yiwang/web-kit/testing';
import { useDesigner } from './designer.js';

const LIUZHOU = '450200';
const GROUP = '[data-test=side-menu] [data-test=plugin-group-command-coordination]';
const PUBLIC_GROUP = '[data-test=side-menu] [data-test=plugin-group-public-service]';

async function menusLoaded(page: Page): Promise<void> {
  await page.locator('[data-test=app-layout][data-plugin-menus=loaded]').waitFor();
}

async function openGroup(page: Page, group = GROUP, entry = 'cc-category'): Promise<void> {
  const title = page.locator(`${group} > .el-sub-menu__title`);
  await title.waitFor();
  if (!(await page.locator(`${group}.is-opened`).count())) await title.click();
  await page.locator(`${group} [data-test=plugin-menu-${entry}]`).waitFor({ state: 'visible' });
}

interface RoleDetail {
  id: string;
  code: string;
  name: string;
  dataScope: string;
  permissions: string[];
  departments: { id: string }[];
}

describe('designer: the plugins\' menu entries', function () {
  this.timeout(120_000);
  const designer = useDesigner({ name: 'plugin-menus', seeds: true, plugins: true });

  it('shows 系统管理员 the sections the plugins granted at install and opens each dictionary', async () => {
    const { page, signIn, screenshot } = designer();
    // when
    await signIn('lz.sysadmin', DEMO_PASSWORD);
    await openGroup(page);
    await openGroup(page, PUBLIC_GROUP, 'ps-category');
    // then
    expect(await page.locator(`${GROUP} > .el-sub-menu__title`).textContent()).to.contain('指挥协调');
    expect(await page.locator(`${GROUP} [data-test^=plugin-menu-]`).allTextContents()).to.deep.equal(['案件类别', '派遣规则']);
    // 公众上报渠道 (menu:designer:ps-channel, granted too) has no page in the designer and is not shown
    expect(await page.locator(`${PUBLIC_GROUP} [data-test^=plugin-menu-]`).allTextContents()).to.deep.equal(['市民上报问题类型']);
    expect(await page.locator('[data-test="menu-section-designer"]').count(), 'the app\'s own sections stay').to.equal(1);
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

  it('drops a section once an administrator takes its permissions from the role, and once the plugin is disabled, at the next load', async () => {
    const { page, baseUrl, screenshot, adminApi } = designer();
    // given: 柳州市's 系统管理员 without the two 指挥协调 menu permissions
    const [listed] = await adminApi<{ id: string }[]>(`/api/admin/roles?tenantId=${LIUZHOU}&code=sysadmin`);
    const role = await adminApi<RoleDetail>(`/api/admin/roles/${listed!.id}`);
    const kept = role.permissions.filter((permission) => !permission.startsWith('menu:designer:cc-'));
    expect(kept.length, 'the role held the two menu permissions').to.equal(role.permissions.length - 2);
    await adminApi(`/api/admin/roles/${role.id}`, {
      method: 'PUT',
      body: { code: role.code, name: role.name, dataScope: role.dataScope, permissions: kept, departmentIds: role.departments.map((department) => department.id) },
    });
    // when
    await page.goto(`${baseUrl}/`);
    await menusLoaded(page);
    // then
    expect(await page.locator('[data-test=plugin-group-command-coordination]').count()).to.equal(0);
    expect(await page.locator('[data-test=plugin-group-public-service]').count()).to.equal(1);
    // when: public-service disabled in the tenant
    await adminApi('/api/plugins/public-service/disable', { body: { tenantId: LIUZHOU } });
    await page.goto(`${baseUrl}/`);
    await menusLoaded(page);
    // then
    expect(await page.locator('[data-test^=plugin-group-]').count()).to.equal(0);
    expect(await page.locator('[data-test^=plugin-menu-]').count()).to.equal(0);
    await screenshot('disabled');
    await adminApi('/api/plugins/public-service/enable', { body: { tenantId: LIUZHOU } });
  });
});
