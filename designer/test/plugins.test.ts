import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, useDesigner } from './designer.js';

/** 柳江区: a county the Liuzhou template installs no plugins into */
const COUNTY = '450206';

describe('designer plugins: the list, install, disable and enable, a refused uninstall, the details', function () {
  this.timeout(120_000);
  const designer = useDesigner({ name: 'plugins', seeds: true });

  async function confirm(page: Page): Promise<void> {
    await page.locator('.plugin-confirm .el-button--primary').click();
    await page.locator('.plugin-confirm').waitFor({ state: 'hidden' });
  }

  async function stateOf(page: Page, plugin: string, state: string): Promise<void> {
    await page.locator(`[data-test="plugin-state-${plugin}"][data-state="${state}"]`).waitFor();
  }

  before(async () => {
    const { page, baseUrl } = designer();
    page.setDefaultTimeout(15_000);
    await designer().signIn('admin', ADMIN_PASSWORD);
    await page.goto(`${baseUrl}/plugins`);
    await page.locator('[data-test=plugin-table]').waitFor();
  });

  it('lists the ten plugins of the plugin folders, available and planned, with their state in the tenant', async () => {
    const { page } = designer();
    // then
    await page.locator('.plugin-row-command-coordination').waitFor();
    expect(await page.locator('[data-test=plugin-table] .el-table__body tr').count()).to.equal(10);
    const row = page.locator('.plugin-row-command-coordination');
    expect(await row.textContent()).to.contain('指挥协调').and.contain('1.0.0').and.contain('可用');
    expect(await page.locator('.plugin-row-public-service').textContent()).to.contain('command-coordination ^1.0.0');
    expect(await page.locator('.plugin-row-decision-support').textContent()).to.contain('规划中');
    expect(await page.locator('[data-test^=plugin-install-decision-support]').count(), 'a planned plugin offers no command').to.equal(0);
    expect(await page.locator('[data-test=plugin-problems]').count(), 'every manifest of the repository is valid').to.equal(0);
    await designer().screenshot('list');
  });

  it('installs command-coordination into 柳江区 and shows its installed version once the progress indicator is gone', async () => {
    const { page } = designer();
    // given 柳江区 chosen
    await page.locator('[data-test=tenant-select]').click();
    await page.keyboard.type(COUNTY);
    await page.locator('.el-select-dropdown__item', { hasText: `(${COUNTY})` }).click();
    await stateOf(page, 'command-coordination', 'not-installed');
    // when
    await page.locator('[data-test=plugin-install-command-coordination]').click();
    expect(await page.locator('.plugin-confirm').textContent()).to.contain(COUNTY).and.contain('指挥协调');
    await designer().screenshot('install-confirm');
    await confirm(page);
    // then
    await stateOf(page, 'command-coordination', 'installed');
    expect(await page.locator('[data-test=plugin-running]').count()).to.equal(0);
    expect(await page.locator('[data-test="plugin-state-command-coordination"]').textContent()).to.contain('已安装').and.contain('1.0.0');
    const listed = await designer().adminApi<{ name: string; state: string }[]>(`/api/plugins?tenantId=${COUNTY}`);
    expect(listed.find((plugin) => plugin.name === 'command-coordination')?.state).to.equal('installed');
    expect(listed.find((plugin) => plugin.name === 'public-service')?.state).to.equal('not-installed');
    await designer().screenshot('installed');
  });

  it('disables and enables it again', async () => {
    const { page } = designer();
    // when
    await page.locator('[data-test=plugin-disable-command-coordination]').click();
    await confirm(page);
    // then
    await stateOf(page, 'command-coordination', 'disabled');
    await page.locator('[data-test=plugin-enable-command-coordination]').waitFor();
    await designer().screenshot('disabled');
    // when
    await page.locator('[data-test=plugin-enable-command-coordination]').click();
    await confirm(page);
    // then
    await stateOf(page, 'command-coordination', 'installed');
  });

  it('shows the server\'s refusal to uninstall while a case is open', async () => {
    const { page } = designer();
    // given a case of cc_case in 柳江区
    await designer().adminApi(`/engine-rest/process-definition/key/cc_case/tenant-id/${COUNTY}/start`, { body: {} });
    designer().allowConsoleErrors(/409 \(Conflict\)/);
    // when
    await page.locator('[data-test=plugin-uninstall-command-coordination]').click();
    await confirm(page);
    // then
    const refusal = page.locator('[data-test=plugin-refusal]');
    await refusal.waitFor();
    expect(await refusal.textContent()).to.contain('卸载');
    expect((await refusal.textContent())?.length).to.be.greaterThan(20);
    await stateOf(page, 'command-coordination', 'installed');
    await designer().screenshot('uninstall-refused');
  });

  it('shows what a plugin contributes in a drawer, and a planned plugin\'s description', async () => {
    const { page } = designer();
    // when
    await page.locator('[data-test=plugin-details-command-coordination]').click();
    // then
    const drawer = page.locator('[data-test=plugin-contributions]');
    await drawer.waitFor();
    const text = await drawer.textContent();
    // the drawer slides in: the screenshot waits for it to stand still
    await page.locator('.el-drawer').evaluate((element) => Promise.all(element.getAnimations().map((animation) => animation.finished)));
    expect(text).to.contain('case-loop.bpmn').and.contain('cc-report.form').and.contain('cc-case-category').and.contain('派遣员 (dispatcher)').and.contain('indicators.json');
    await designer().screenshot('details');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    // when
    await page.locator('[data-test=plugin-details-decision-support]').click();
    // then
    await page.locator('[data-test=plugin-planned]').waitFor();
    expect(await page.locator('[data-test=plugin-description]').textContent()).to.not.equal('—');
    await designer().screenshot('planned');
    await page.keyboard.press('Escape');
  });
});
