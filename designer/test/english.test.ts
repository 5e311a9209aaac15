import { expect } from 'chai';
import type { ConsoleMessage } from 'playwright-core';
import { ADMIN_PASSWORD, useDesigner } from './designer.js';

/** Chinese, Japanese or Korean characters: what must not be left on an English page */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** the texts checked on each page: the menu, breadcrumbs, tabs and the page's headings, card and dialog titles, table heads and form labels */
const HEADERS = [
  '[data-test=side-menu]',
  '[data-test=breadcrumbs]',
  '[data-test=tabs] .el-tabs__item',
  '.yw-main :is(h1, h2, h3, h4, .el-card__header, .el-page-header__content, .el-table th, .el-form-item__label, .el-tabs__item)',
].join(', ');

describe('designer in English: every menu page, no missing texts', function () {
  this.slow(60_000);
  const designer = useDesigner({ name: 'english' });

  it('visits every page of the administrator\'s menu in English without a missing text or Chinese left in its headers', async function () {
    this.timeout(300_000);
    const { page, baseUrl } = designer();
    /** vue-i18n's "Not found 'key' key in 'en' locale messages", with the page it was seen on */
    const missing = new Map<string, Set<string>>();
    let here = '/login';
    const onConsole = (message: ConsoleMessage) => {
      const found = /Not found '(.+?)' key in 'en' locale messages/.exec(message.text());
      // element-plus renders each table column's slot once with an empty row (`{ row: {}, $index: -1 }`)
      // to find nested columns: `t(`x.${row.level}`)` then asks for 'x.undefined', which no user sees
      if (found?.[1] && !found[1].endsWith('.undefined')) missing.set(found[1], (missing.get(found[1]) ?? new Set()).add(here));
    };
    page.on('console', onConsole);
    const chinese: string[] = [];
    try {
      // given
      await designer().signIn('admin', ADMIN_PASSWORD);
      await page.locator('[data-test=language-button]').click();
      await page.locator('[data-test=language-en]').click();
      await page.locator('[data-test="menu-/"]', { hasText: 'Home' }).waitFor();
      // every section open, then the menu's entries as rendered
      const closed = page.locator('[data-test=side-menu] > .el-sub-menu:not(.is-opened) > .el-sub-menu__title');
      while ((await closed.count()) > 0) await closed.first().click();
      const paths = await page.locator('[data-test=side-menu] .el-menu-item').evaluateAll((items) => items.map((item) => item.getAttribute('data-test')?.replace(/^menu-/, '') ?? ''));
      expect(paths.length, 'menu entries').to.be.greaterThan(5);
      // the signed-in user's name and tenant are data, not texts of the app
      const data = (await page.locator('[data-test=user-button] :is(.yw-user, .yw-tenant)').allInnerTexts()).map((text) => text.trim()).filter(Boolean);
      // when
      for (const path of paths) {
        here = path;
        await page.locator(`[data-test="menu-${path}"]`).click();
        await page.waitForURL(`${baseUrl}${path === '/' ? '/' : path}`);
        await page.waitForLoadState('networkidle');
        await page.waitForTimeout(300);
        await designer().screenshot(`en${path}`);
        // then
        for (const text of await page.locator(HEADERS).allInnerTexts()) {
          for (const line of text.split('\n')) if (CJK.test(data.reduce((rest, value) => rest.replaceAll(value, ''), line))) chinese.push(`${path}: ${line.trim()}`);
        }
      }
    } finally {
      page.off('console', onConsole);
    }
    const report = [
      ...[...missing].map(([key, where]) => `  missing English text ${key}  (on ${[...where].join(', ')})`),
      ...[...new Set(chinese)].map((line) => `  Chinese left in a header: ${line}`),
    ];
    expect(report, `not English yet:\n${report.join('\n')}\n`).to.deep.equal([]);
  });
});
