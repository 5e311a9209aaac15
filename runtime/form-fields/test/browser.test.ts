import { expect } from 'chai';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { serveDirectory, type StaticServer } from './static-server.js';

/**
 * The field types in a real browser: the test page (test/page, built with vite) renders the case
 * form in the viewer and an empty form in the editor; Debian's chromium drives it headless.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const OUTPUT = fileURLToPath(new URL('../test-results/', import.meta.url));
/** where "use my position" finds the phone: 柳州市城中区 */
const PHONE_POSITION = { longitude: 109.4113, latitude: 24.3122 };

/** a testPage the page leaves on window (test/page/main.ts) */
interface TestPage {
  ready: boolean;
  error?: string;
  submitted?: { data: Record<string, unknown>; errors: Record<string, unknown> };
  editor?: { saveSchema(): { components: Record<string, unknown>[] } };
  chineseGlyphsRender(): { widths: boolean; glyphs: boolean };
}
declare const testPage: TestPage;

describe('browser: form fields in the viewer and the editor (chromium)', function () {
  let server: StaticServer;
  let browser: Browser;
  let context: BrowserContext;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`apt-get install chromium fonts-noto-cjk\` (CI does it in .ci/run) or set CHROMIUM_PATH`);
    }
    await buildTestPage();
    await mkdir(OUTPUT, { recursive: true });
    server = await serveDirectory(`${OUTPUT}page`);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, geolocation: PHONE_POSITION, permissions: ['geolocation'], locale: 'zh-CN' });
  });

  afterEach(async () => context?.close());

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(query: string): Promise<Page> {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${server.url}/?${query}`);
    await page.waitForFunction(() => testPage.ready || testPage.error !== undefined);
    const error = await page.evaluate(() => testPage.error);
    expect(error, 'the test page failed to start').to.equal(undefined);
    expect(problems, 'errors on the page').to.deep.equal([]);
    return page;
  }

  const field = (page: Page, label: string): Locator =>
    page.locator('.fjs-form-field').filter({ has: page.locator(':scope > .fjs-form-field-label', { hasText: label }) });

  async function choose(picker: Locator, search: string, option: string) {
    await picker.locator('input.yw-picker-input').fill(search);
    await picker.locator('.yw-picker-option', { hasText: option }).click();
  }

  describe('viewer', () => {
    it('checks an empty submission in zh-CN, then submits every field type in the shapes the server expects', async () => {
      const page = await open('mode=viewer');

      // given an empty form: the required fields complain in Chinese
      await page.getByRole('button', { name: '提交' }).click();
      await textBecomes(field(page, '处置人').locator('.fjs-form-field-error'), '此项为必填项。');
      await textBecomes(field(page, '所属网格').locator('.fjs-form-field-error'), '请选择区县。');
      await textBecomes(field(page, '案发位置').locator('.fjs-form-field-error'), '此项为必填项。');
      await textBecomes(field(page, '物资明细').locator('.fjs-form-field-error'), '此项为必填项。');
      expect(await page.evaluate(() => Object.keys(testPage.submitted?.errors ?? {}).sort()))
        .to.deep.equal(['category', 'department', 'handler', 'items', 'location', 'region', 'title']);

      // when every field is filled
      await field(page, '案件标题').locator('input').fill('井盖破损');
      await choose(field(page, '处置人'), '韦', '韦晓岚');
      await choose(field(page, '抄送'), 'lz.', '覃建华');
      await choose(field(page, '抄送'), 'lz.', '莫丽萍');
      await choose(field(page, '责任部门'), '指挥', '指挥中心');

      const category = field(page, '案件类别');
      await category.locator('select[data-level="0"]').selectOption('bj');
      await category.locator('select[data-level="1"]').selectOption('bj-gy');

      const region = field(page, '所属网格');
      for (const [level, code] of ['450202', '450202001', '450202001001', '450202001001G01'].entries()) {
        await region.locator(`select[data-level="${level}"] option[value="${code}"]`).waitFor({ state: 'attached' });
        await region.locator(`select[data-level="${level}"]`).selectOption(code);
      }

      // the map loads its tiles from the test server: a click on it sets the position
      const location = field(page, '案发位置');
      await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.yw-map-tile')].some((tile) => tile.complete && tile.naturalWidth > 0));
      await location.locator('.yw-map-viewport').click({ position: { x: 200, y: 120 } });
      expect(Number(await location.locator('input[name="longitude"]').inputValue())).to.be.within(-180, 180);
      // then typed by hand, as from a survey sheet
      await location.locator('input[name="longitude"]').fill('109.4155');
      await location.locator('input[name="latitude"]').fill('24.3257');
      await location.locator('input[name="address"]').fill('柳州市城中区文笔路 1 号');

      // a map that cannot be reached leaves manual entry; the phone's position fills it
      const offline = field(page, '备用位置');
      await textBecomes(offline.locator('.yw-map-unavailable'), '地图无法加载，请手动输入经纬度。');
      expect(await offline.locator('.yw-map').count()).to.equal(0);
      await offline.getByRole('button', { name: '使用我的位置' }).click();
      await valueBecomes(offline.locator('input[name="latitude"]'), String(PHONE_POSITION.latitude));

      const items = field(page, '物资明细');
      await items.getByRole('button', { name: '添加行' }).click();
      await items.getByRole('button', { name: '添加行' }).click();
      const row = (index: number) => items.locator(`tr[data-row="${index}"]`);
      await row(0).locator('td[data-column="name"] input').fill('井盖');
      await row(0).locator('td[data-column="quantity"] input').fill('2');
      await row(0).locator('td[data-column="unit"] select').selectOption('piece');
      await row(0).locator('td[data-column="due"] input').fill('2025-06-01T10:30');
      await row(0).locator('td[data-column="urgent"] input').check();
      await row(1).locator('td[data-column="name"] input').fill('警示牌');
      // a cell left empty, then too small, says so under itself
      await row(1).locator('td[data-column="quantity"] input').focus();
      await row(1).locator('td[data-column="quantity"] input').blur();
      await textBecomes(row(1).locator('td[data-column="quantity"] .yw-cell-error'), '此项为必填项。');
      await row(1).locator('td[data-column="quantity"] input').fill('0');
      await textBecomes(row(1).locator('td[data-column="quantity"] .yw-cell-error'), '不能小于 1。');
      await row(1).locator('td[data-column="quantity"] input').fill('3');

      await textBecomes(field(page, '案件编号').locator('output'), '保存后生成');

      await page.getByRole('button', { name: '提交' }).click();

      // then the submission holds each type's value as the brief defines it, and no serial number
      const submitted = await page.evaluate(() => testPage.submitted);
      expect(submitted?.errors).to.deep.equal({});
      expect(submitted?.data).to.deep.equal({
        title: '井盖破损',
        amount: null,
        handler: 'lz.supervisor',
        copyTo: ['lz.handler', 'lz.dispatcher'],
        department: 'd-cgj-zhzx',
        category: 'bj-gy',
        region: { district: '450202', street: '450202001', community: '450202001001', grid: '450202001001G01' },
        location: { longitude: 109.4155, latitude: 24.3257, address: '柳州市城中区文笔路 1 号' },
        offlineLocation: PHONE_POSITION,
        items: [
          { name: '井盖', quantity: 2, unit: 'piece', due: '2025-06-01T10:30', urgent: true },
          { name: '警示牌', quantity: 3, urgent: false },
        ],
      });

      // on a phone the sub-table becomes cards, and the Chinese text has real glyphs
      await page.setViewportSize({ width: 375, height: 812 });
      expect(await items.locator('thead').evaluate((head) => getComputedStyle(head).display)).to.equal('none');
      expect(await items.locator('tr[data-row="0"]').evaluate((card) => getComputedStyle(card).display)).to.equal('block');
      await page.screenshot({ path: `${OUTPUT}viewer-375.png`, fullPage: true });
      expect(await page.evaluate(() => testPage.chineseGlyphsRender()), 'Chinese characters render as glyphs, not as missing-glyph boxes').to.deep.equal({ widths: true, glyphs: true });
      expect(installedChineseFonts(), 'a CJK font is installed (fonts-noto-cjk)').to.not.equal('');
    });

    it('speaks English when the form is told to', async () => {
      const page = await open('mode=viewer&lang=en');
      await page.getByRole('button', { name: '提交' }).click();
      await textBecomes(field(page, '处置人').locator('.fjs-form-field-error'), 'Field is required.');
      await textBecomes(field(page, '所属网格').locator('.fjs-form-field-error'), 'Choose the District.');
      await textBecomes(field(page, '案件编号').locator('output'), 'Generated when saved');
      expect(await field(page, '案发位置').getByRole('button', { name: 'Use my position' }).count()).to.equal(1);
    });
  });

  describe('editor', () => {
    it('adds a sub-table from the 业务组件 palette group, edits its columns in the properties panel and exports them', async () => {
      const page = await open('mode=editor');
      const group = page.locator('.yw-palette-group');
      await textBecomes(group.locator('.fjs-palette-group-title'), '业务组件');
      expect(await group.locator('.fjs-palette-field').allInnerTexts()).to.deep.equal(['人员', '部门', '字典选择', '行政区划', '位置', '明细表', '流水号']);
      // form-js's own groups in Chinese, without our types
      expect(await page.locator('.fjs-palette-entries [data-field-type="textfield"]').innerText()).to.equal('单行文本');
      expect(await page.locator('.fjs-palette-entries [data-field-type="yw-subtable"]').isVisible()).to.equal(false);

      // when the sub-table is dragged onto the empty form
      await dragAndDrop(page, group.locator('[data-field-type="yw-subtable"]'), page.locator('.fjs-form-container .fjs-drop-container-vertical').first());
      await page.locator('.fjs-form-container .fjs-form-field-yw-subtable').waitFor();

      // and a column is added in the properties panel
      const panel = page.locator('.fjs-properties-panel');
      const business = panel.locator('.bio-properties-panel-group').filter({ has: page.locator('.bio-properties-panel-group-header', { hasText: '业务属性' }) });
      await business.locator('.bio-properties-panel-group-header').click();
      await business.getByRole('button', { name: '添加列' }).click();
      await commit(panel.locator('#bio-properties-panel-columns-1-key'), 'quantity');
      await commit(panel.locator('#bio-properties-panel-columns-1-label'), '数量');
      await panel.locator('#bio-properties-panel-columns-1-type').selectOption('number');
      await panel.locator('#bio-properties-panel-columns-1-required').check();
      await commit(panel.locator('#bio-properties-panel-columns-1-min'), '1');
      await commit(panel.locator('#bio-properties-panel-maxRows'), '20');

      // then the canvas previews it and the exported schema holds it
      await countBecomes(page.locator('.fjs-form-container .yw-subtable th', { hasText: '数量' }), 1);
      const schema = await page.evaluate(() => testPage.editor!.saveSchema());
      const subtables = schema.components.filter((component) => component.type === 'yw-subtable');
      expect(subtables).to.have.length(1);
      expect(subtables[0]).to.include({ label: '明细表', maxRows: 20 });
      expect(subtables[0]!.key).to.be.a('string').and.not.equal('');
      expect(subtables[0]!.columns).to.deep.equal([
        { key: 'item', label: '事项', type: 'textfield', required: true },
        { key: 'quantity', label: '数量', type: 'number', required: true, validate: { min: 1 } },
      ]);
    });
  });
});

/** vite in its own process: inside mocha's tsx loader it cannot resolve its own files */
async function buildTestPage() {
  const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  await promisify(execFile)(process.execPath, [vite, 'build', '--config', fileURLToPath(new URL('./vite.config.ts', import.meta.url))]);
}

const WAIT_MS = 5_000;

/** Polls `read` until it answers `expected` (preact renders after the event), then asserts it. */
async function becomes<T>(read: () => Promise<T>, expected: T, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  let actual = await read();
  while (actual !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    actual = await read();
  }
  expect(actual, what).to.equal(expected);
}
const textBecomes = (locator: Locator, expected: string) =>
  becomes(async () => ((await locator.count()) ? locator.first().innerText() : ''), expected, `text of ${locator}`);
const valueBecomes = (locator: Locator, expected: string) => becomes(() => locator.inputValue(), expected, `value of ${locator}`);
const countBecomes = (locator: Locator, expected: number) => becomes(() => locator.count(), expected, `count of ${locator}`);

/** Types into a properties panel input and leaves it, which writes the value to the schema. */
async function commit(input: Locator, value: string) {
  await input.fill(value);
  await input.press('Tab');
}

/** form-js's drag and drop (dragula) follows the mouse: press, move in steps, release. */
async function dragAndDrop(page: Page, source: Locator, target: Locator) {
  const from = (await source.boundingBox())!;
  const to = (await target.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 20, from.y + from.height / 2 + 20, { steps: 5 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 3, { steps: 20 });
  await page.mouse.up();
}

function installedChineseFonts(): string {
  try {
    return execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}
