import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, useDesigner } from './designer.js';

/** Opens a menu entry, opening its section first when it is closed. */
async function openFromMenu(page: Page, section: string, path: string): Promise<void> {
  const entry = page.locator(`[data-test="menu-${path}"]`);
  if (!(await entry.isVisible())) await page.locator(`[data-test="menu-section-${section}"] > .el-sub-menu__title`).click();
  await entry.click();
}

describe('designer shell: sign-in, layout, language, tabs, placeholders, phone', function () {
  this.slow(20_000);
  const designer = useDesigner({ name: 'shell' });

  it('refuses a wrong password and says so on the login page', async () => {
    const { page, baseUrl, allowConsoleErrors } = designer();
    // the browser logs the refused POST /api/auth/login itself
    allowConsoleErrors(/401 \(Unauthorized\)/);
    // given
    await page.goto(`${baseUrl}/`);
    await page.waitForURL(/\/designer\/login/);
    // when
    await page.locator('input[name=username]').fill('admin');
    await page.locator('input[name=password]').fill('not-the-password');
    await page.locator('[data-test=login-submit]').click();
    // then
    const error = page.locator('[data-test=login-error]');
    await error.waitFor();
    expect(await error.textContent()).to.contain('用户名或密码错误');
    await designer().screenshot('login-wrong-password');
  });

  it('signs the administrator in to the layout: menu from their permissions, home with their tenant', async () => {
    const { page } = designer();
    // when
    await designer().signIn('admin', ADMIN_PASSWORD);
    // then
    await page.locator('[data-test=home]').waitFor();
    expect(await page.locator('[data-test=user-button]').textContent()).to.contain('平台管理员');
    expect(await page.locator('[data-test=home-tenant]').textContent()).to.not.equal('');
    expect(await page.locator('[data-test=side-menu]').isVisible()).to.equal(true);
    // sections start closed on the home page; the system section holds the placeholders
    expect(await page.locator('[data-test="menu-section-system"]').textContent()).to.contain('系统');
    expect(await page.locator('[data-test="menu-/plugins"]').isVisible()).to.equal(false);
    await page.locator('[data-test="menu-section-system"] > .el-sub-menu__title').click();
    await page.locator('[data-test="menu-/plugins"]', { hasText: '插件' }).waitFor();
    expect(await page.locator('[data-test=breadcrumbs]').textContent()).to.contain('首页');
    await designer().screenshot('home');
  });

  it('switches to English and back, keeping the choice across a reload', async () => {
    const { page } = designer();
    // when
    await page.locator('[data-test=language-button]').click();
    await page.locator('[data-test=language-en]').click();
    // then
    await page.locator('[data-test="menu-/"]', { hasText: 'Home' }).waitFor();
    await page.reload();
    await page.locator('[data-test="menu-/"]', { hasText: 'Home' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).to.equal('en');
    await designer().screenshot('home-english');
    // and back
    await page.locator('[data-test=language-button]').click();
    await page.locator('[data-test=language-zh-CN]').click();
    await page.locator('[data-test="menu-/"]', { hasText: '首页' }).waitFor();
  });

  it('opens pages as tabs and closes them; the statistics placeholder says plainly it is not there yet', async () => {
    const { page, baseUrl } = designer();
    // when
    await openFromMenu(page, 'system', '/plugins');
    await page.waitForURL(`${baseUrl}/plugins`);
    // then
    await page.locator('[data-test=plugin-table]').waitFor();
    await designer().screenshot('plugins');
    const placeholder = page.locator('[data-test=placeholder]');
    await openFromMenu(page, 'system', '/statistics');
    await page.waitForURL(`${baseUrl}/statistics`);
    expect(await placeholder.textContent()).to.contain('统计议题');
    expect(await page.locator('[data-test="tab-/plugins"]').count()).to.equal(1);
    expect(await page.locator('[data-test="tab-/statistics"]').count()).to.equal(1);
    expect(await page.locator('[data-test=breadcrumbs]').textContent()).to.contain('统计');
    await designer().screenshot('two-tabs');
    // when the current tab is closed, its left neighbour opens
    await page.locator('#tab-\\/statistics .is-icon-close').click();
    await page.waitForURL(`${baseUrl}/plugins`);
    expect(await page.locator('[data-test="tab-/statistics"]').count()).to.equal(0);
    // a click on a tab returns to it
    await page.locator('[data-test="tab-/"]').click();
    await page.waitForURL(`${baseUrl}/`);
    await page.locator('[data-test=tabs-menu]').click();
    await page.locator('[data-test=tabs-close-others]').click();
    await page.locator('[data-test="tab-/plugins"]').waitFor({ state: 'detached' });
  });

  it('keeps a page while its tab is open: what was typed stays across tab switches, and goes when the tab is closed', async () => {
    const { page, baseUrl } = designer();
    // given a search typed on the users page
    await openFromMenu(page, 'org', '/org/users');
    await page.waitForURL(`${baseUrl}/org/users`);
    const search = page.locator('input[data-test=user-search]');
    await search.fill('kept-across-tabs');
    // when another tab is opened and the users tab chosen again
    await openFromMenu(page, 'system', '/plugins');
    await page.waitForURL(`${baseUrl}/plugins`);
    await page.locator('[data-test="tab-/org/users"]').click();
    await page.waitForURL(`${baseUrl}/org/users`);
    // then the page is the same, its search still typed
    expect(await search.inputValue()).to.equal('kept-across-tabs');
    await designer().screenshot('tab-kept');
    // when the tab is closed and the page opened again
    await page.locator('#tab-\\/org\\/users .is-icon-close').click();
    await page.waitForURL(`${baseUrl}/plugins`);
    await openFromMenu(page, 'org', '/org/users');
    await page.waitForURL(`${baseUrl}/org/users`);
    // then it starts afresh
    expect(await search.inputValue()).to.equal('');
    await page.locator('#tab-\\/org\\/users .is-icon-close').click();
    await page.locator('#tab-\\/plugins .is-icon-close').click();
    await page.waitForURL(`${baseUrl}/`);
  });

  it('signs out to the login page, and the app asks for sign-in again', async () => {
    const { page, baseUrl } = designer();
    // when
    await page.locator('[data-test=user-button]').click();
    await page.locator('[data-test=sign-out]').click();
    // then
    await page.waitForURL(/\/designer\/login/);
    await page.goto(`${baseUrl}/plugins`);
    await page.waitForURL(/\/designer\/login\?redirect=(%2F|\/)plugins/);
    await designer().screenshot('signed-out');
  });

  it('shows the menu as a drawer on a phone', async () => {
    const phone = await designer().openPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    // given
    await designer().signIn('admin', ADMIN_PASSWORD, phone);
    expect(await phone.locator('[data-test=side-menu]').isVisible()).to.equal(false);
    await designer().screenshot('phone-home', phone);
    // when
    await phone.locator('[data-test=menu-toggle]').click();
    // then
    await phone.locator('[data-test="menu-section-system"] > .el-sub-menu__title').click();
    const entry = phone.locator('[data-test="menu-/plugins"]');
    await entry.waitFor();
    await designer().screenshot('phone-menu-drawer', phone);
    await entry.click();
    await phone.waitForURL(/\/designer\/plugins$/);
    await entry.waitFor({ state: 'hidden' });
    await phone.context().close();
  });
});
