/**
 * The public portal end to end, on a phone's viewport (390×844) against a real engine with the
 * Liuzhou template: a citizen reports with a photo and the location, follows the report to its
 * closure (no staff name shown), rates it once; the page's refusals, the 429, the captcha hook,
 * English.
 *
 *   cd runtime && npx vite build --config vite.public.config.ts --outDir /tmp/rt-public
 *   YIWANG_PUBLIC_DIST=/tmp/rt-public npx mocha --no-config --node-option import=tsx --timeout 120000 test/public.test.ts
 */
import { DEMO_PASSWORD, useApps } from '@yiwang/web-kit/testing';
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
const PHONE = { width: 390, height: 844 };
/** 柳州市人民广场, roughly */
const WHERE = { latitude: 24.3129, longitude: 109.4112 };
const PROCESS_KEY = 'public_report_e2e';
const TENANT = '450200';
/** the seeded staff who work the case: their names must never reach the citizen */
const STAFF_NAMES = ['覃语桐', '廖青禾', '陆云帆', 'lz.receptionist', 'lz.handler'];

/** 上报 → 受理 (lz.receptionist) → 处置 (lz.handler) → 结案 */
const BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs" targetNamespace="http://yiwang.test">
  <bpmn:process id="${PROCESS_KEY}" name="公众上报" isExecutable="true">
    <bpmn:startEvent id="start" name="上报" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="accept" />
    <bpmn:userTask id="accept" name="受理" camunda:assignee="lz.receptionist" />
    <bpmn:sequenceFlow id="f2" sourceRef="accept" targetRef="handle" />
    <bpmn:userTask id="handle" name="处置" camunda:assignee="lz.handler" />
    <bpmn:sequenceFlow id="f3" sourceRef="handle" targetRef="end" />
    <bpmn:endEvent id="end" name="结案" />
  </bpmn:process>
</bpmn:definitions>`;

describe('public portal', function () {
  const apps = useApps({
    app: 'public',
    artifacts: ARTIFACTS,
    seeds: true,
    context: { viewport: PHONE, isMobile: true, hasTouch: true, permissions: ['geolocation'], geolocation: WHERE, locale: 'zh-CN' },
  });
  const portalUrl = () => `${apps().baseUrl}/?tenant=${TENANT}`;
  let trackingCode = '';

  const tokens = new Map<string, string>();
  /** a call as a seeded user: JSON, or multipart with `form` */
  async function asUser(user: string, path: string, init: { method?: string; body?: unknown; form?: FormData } = {}): Promise<Response> {
    if (!tokens.has(user)) {
      const login = await fetch(`${apps().origin}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: user, password: DEMO_PASSWORD }) });
      expect(login.status, `sign-in of ${user}`).to.equal(200);
      tokens.set(user, ((await login.json()) as { accessToken: string }).accessToken);
    }
    return fetch(`${apps().origin}${path}`, {
      method: init.method ?? (init.body === undefined && !init.form ? 'GET' : 'POST'),
      headers: { Authorization: `Bearer ${tokens.get(user)}`, ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: init.form ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
    });
  }
  async function as<T>(user: string, path: string, init: { method?: string; body?: unknown; form?: FormData } = {}): Promise<{ status: number; body: T }> {
    const response = await asUser(user, path, init);
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  before(async function () {
    this.timeout(60_000);
    // the channel: a small process deployed for 柳州市, opened by its system administrator
    const form = new FormData();
    form.append('deployment-name', 'public-report-e2e');
    form.append('tenant-id', TENANT);
    form.append('public-report.bpmn', new Blob([BPMN], { type: 'application/octet-stream' }), 'public-report.bpmn');
    const deployed = await as('lz.sysadmin', '/engine-rest/deployment/create', { form });
    expect(deployed.status, JSON.stringify(deployed.body)).to.equal(200);
    const channel = await as('lz.sysadmin', '/api/public-channel', { method: 'PUT', body: { processKey: PROCESS_KEY, enabled: true } });
    expect(channel.status, JSON.stringify(channel.body)).to.equal(200);
    apps().page.setDefaultTimeout(10_000);
  });

  /** A photo as a phone takes it: a 2400×1800 JPEG drawn by the browser. */
  async function cameraPhoto(page: Page): Promise<Buffer> {
    const dataUrl = await page.evaluate(() => {
      const canvas = document.createElement('canvas');
      canvas.width = 2400;
      canvas.height = 1800;
      const context = canvas.getContext('2d')!;
      context.fillStyle = '#6a8caf';
      context.fillRect(0, 0, 2400, 1800);
      context.fillStyle = '#333';
      context.fillRect(800, 600, 800, 600);
      return canvas.toDataURL('image/jpeg', 0.9);
    });
    return Buffer.from(dataUrl.split(',')[1]!, 'base64');
  }

  /** width × height of a JPEG, from its SOF marker */
  function jpegSize(jpeg: Buffer): { width: number; height: number } {
    for (let at = 2; at < jpeg.length; ) {
      const marker = jpeg[at + 1]!;
      const length = jpeg.readUInt16BE(at + 2);
      if (marker >= 0xc0 && marker <= 0xc2) return { height: jpeg.readUInt16BE(at + 5), width: jpeg.readUInt16BE(at + 7) };
      at += 2 + length;
    }
    throw new Error('no SOF marker');
  }

  async function phonePage(options: Parameters<ReturnType<typeof apps>['openPage']>[0] = {}): Promise<Page> {
    const page = await apps().openPage({ viewport: PHONE, isMobile: true, hasTouch: true, ...options });
    page.setDefaultTimeout(10_000);
    return page;
  }

  async function chooseCategory(page: Page, search: string, code: string, screenshot?: string): Promise<void> {
    await page.locator('[data-test=category]').click();
    await page.keyboard.type(search);
    if (screenshot) {
      await page.waitForFunction(() => !document.querySelector('.el-popper[class*=-enter-active]'));
      await apps().screenshot(screenshot, page);
    }
    await page.locator(`[data-test=category-${code}]`).click();
  }

  it('reports a problem with a photo and the location on a phone, and gets a tracking code', async () => {
    const { page } = apps();
    await page.goto(portalUrl());
    await page.locator('[data-test=report-form]').waitFor();
    expect(await page.locator('[data-test=tenant-name]').textContent()).to.equal('柳州市');
    await apps().screenshot('report-empty');

    await chooseCategory(page, '井盖', 'BJ01002', 'category-search');
    expect(await page.locator('[data-test=category]').textContent()).to.contain('污水井盖');
    await page.locator('[data-test=description]').fill('文惠路与东环路口的污水井盖破损，已经缺了一角，晚上行人容易踩空。');

    const photo = await cameraPhoto(page);
    await page.locator('[data-test=photo-input]').setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.locator('[data-test=photo]').waitFor();

    await page.locator('[data-test=locate]').click();
    const located = await page.locator('[data-test=located]').textContent();
    expect(located).to.contain('24.31290').and.to.contain('109.41120');
    await page.locator('[data-test=address]').fill('城中区文惠路口');
    await page.locator('[data-test=phone]').fill('13877001234');
    await apps().screenshot('report-filled');

    await page.locator('[data-test=submit]').click();
    await page.locator('[data-test=report-done]').waitFor();
    trackingCode = (await page.locator('[data-test=tracking-code]').textContent())!.trim();
    expect(trackingCode).to.match(/^[A-Z2-9]{12}$/);
    await apps().screenshot('report-done');
    const remembered = await page.evaluate(() => localStorage.getItem('yiwang.public.reports'));
    expect(JSON.parse(remembered!)[0]).to.include({ code: trackingCode });

    // the case got the photo downscaled to 1600 px as JPEG, and the location
    const [instance] = (await as<{ id: string }[]>('lz.receptionist', `/engine-rest/process-instance?processDefinitionKey=${PROCESS_KEY}`)).body;
    const variables = (await as<Record<string, { value: unknown }>>('lz.receptionist', `/engine-rest/process-instance/${instance!.id}/variables`)).body;
    const valueOf = (name: string) => {
      const value = variables[name]?.value;
      return typeof value === 'string' && /^[[{]/.test(value) ? JSON.parse(value) : value;
    };
    expect(valueOf('location')).to.deep.include({ address: '城中区文惠路口', latitude: WHERE.latitude, longitude: WHERE.longitude });
    const [fileId] = valueOf('photos') as string[];
    const file = await asUser('lz.receptionist', `/api/files/${fileId}`);
    expect(file.headers.get('content-type')).to.contain('image/jpeg');
    const stored = Buffer.from(await file.arrayBuffer());
    expect(jpegSize(stored)).to.deep.equal({ width: 1600, height: 1200 });
    expect(stored.length).to.be.lessThan(photo.length);
  });

  it('shows the report in progress, then closed after staff worked it, with no staff name', async () => {
    const { page } = apps();
    await page.locator('[data-test=track-link]').click();
    await page.waitForURL(`**/public/track/${trackingCode}`);
    await page.locator('[data-test=report-state]').waitFor();
    expect((await page.locator('[data-test=report-state]').textContent())!.trim()).to.equal('处理中');
    expect(await page.locator('[data-test=stage]').allTextContents()).to.have.length(1);
    expect(await page.locator('[data-test=report-category]').textContent()).to.contain('污水井盖');
    expect(await page.locator('[data-test=rating-form]').count()).to.equal(0);
    await apps().screenshot('track-open');

    // the staff work the case: 受理, then 处置
    for (const user of ['lz.receptionist', 'lz.handler']) {
      const tasks = await as<{ id: string }[]>(user, `/engine-rest/task?processDefinitionKey=${PROCESS_KEY}&assignee=${user}`);
      expect(tasks.body, user).to.have.length(1);
      const done = await as(user, `/engine-rest/task/${tasks.body[0]!.id}/complete`, { body: { variables: {} } });
      expect(done.status, `${user} completes: ${JSON.stringify(done.body)}`).to.equal(204);
    }
    await page.reload();
    await page.locator('[data-test=rating-form]').waitFor();
    expect((await page.locator('[data-test=report-state]').textContent())!.trim()).to.equal('已结案');
    const stages = await page.locator('[data-test=stage] .el-timeline-item__content').allTextContents();
    expect(stages.map((stage) => stage.trim())).to.deep.equal(['已提交', '受理', '处置']);
    const text = await page.locator('body').innerText();
    for (const name of STAFF_NAMES) expect(text, name).not.to.contain(name);
    await apps().screenshot('track-closed');
  });

  it('takes one rating after closure and then shows it read-only', async () => {
    const { page } = apps();
    await page.locator('[data-test=rating-submit]').click();
    expect(await page.locator('[data-test=rating-error]').textContent()).to.contain('请选择满意程度');
    await page.locator('[data-test=score-satisfied]').click();
    await page.locator('[data-test=rating-comment-input]').fill('处理得很快，谢谢！');
    await page.locator('[data-test=rating-submit]').click();
    await page.locator('[data-test=rating-view]').waitFor();
    expect(await page.locator('[data-test=rating-score]').textContent()).to.contain('满意');
    expect(await page.locator('[data-test=rating-comment]').textContent()).to.contain('处理得很快');
    expect(await page.locator('[data-test=rating-form]').count()).to.equal(0);
    await apps().screenshot('rated');

    await page.reload();
    await page.locator('[data-test=rating-view]').waitFor();
    expect(await page.locator('[data-test=rating-form]').count()).to.equal(0);
    const again = await fetch(`${apps().origin}/api/public/reports/${trackingCode}/rating`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ score: 'dissatisfied' }) });
    expect(again.status).to.equal(409);

    // the codes this browser submitted, one tap away
    await page.locator('[data-test=tab-track]').click();
    await page.locator('[data-test=recent-code]').first().click();
    await page.waitForURL(`**/public/track/${trackingCode}`);
    await page.locator('[data-test=rating-view]').waitFor();
  });

  it('refuses a file that is not a photo and a report without a description, beside the field', async () => {
    const { page } = apps();
    await page.goto(portalUrl());
    await page.locator('[data-test=report-form]').waitFor();
    // 拍照 opens the camera, 从相册选择 the gallery (several at once): an input with capture offers only the camera on Android
    expect(await page.locator('[data-test=photo-input]').getAttribute('capture')).to.equal('environment');
    expect(await page.locator('[data-test=album-input]').getAttribute('capture')).to.equal(null);
    expect(await page.locator('[data-test=album-input]').getAttribute('multiple')).to.not.equal(null);
    expect(await page.locator('[data-test=album-add]').textContent()).to.contain('从相册选择');
    expect(await page.locator('[data-test=photo-add]').textContent()).to.contain('拍照');
    await page.locator('[data-test=album-input]').setInputFiles([
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') },
      { name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not a png either') },
    ]);
    const photoError = await page.locator('[data-test=error-photos]').textContent();
    expect(photoError).to.contain('notes.txt').and.to.contain('fake.png').and.to.contain('JPEG');
    expect(await page.locator('[data-test=photo]').count()).to.equal(0);
    // two photos from the album at once: both shown, the refusal gone
    const fromAlbum = await cameraPhoto(page);
    await page.locator('[data-test=album-input]').setInputFiles([
      { name: 'album-1.jpg', mimeType: 'image/jpeg', buffer: fromAlbum },
      { name: 'album-2.jpg', mimeType: 'image/jpeg', buffer: fromAlbum },
    ]);
    await page.locator('[data-test=photo]').nth(1).waitFor();
    expect(await page.locator('[data-test=error-photos]').count()).to.equal(0);

    await chooseCategory(page, '乱停', 'SJ09009');
    await page.locator('[data-test=address]').fill('柳南区航银路');
    await page.locator('[data-test=phone]').fill('12345');
    await page.locator('[data-test=submit]').click();
    expect(await page.locator('[data-test=error-description]').textContent()).to.contain('请描述问题');
    expect(await page.locator('[data-test=error-phone]').textContent()).to.contain('11 位手机号码');
    expect(await page.locator('[data-test=report-error]').textContent()).to.contain('请按提示修改');
    await apps().screenshot('refusals');

    await page.locator('[data-test=description]').fill('短');
    expect(await page.locator('[data-test=error-description]').textContent()).to.contain('至少 5 个字');
    await page.locator('[data-test=phone]').fill('');
    expect(await page.locator('[data-test=error-phone]').count()).to.equal(0);
  });

  it('says the location was refused when the browser denies it', async () => {
    const page = await phonePage({ permissions: [] });
    await page.goto(portalUrl());
    await page.locator('[data-test=locate]').click();
    expect(await page.locator('[data-test=location-message]').textContent()).to.contain('定位权限被拒绝');
    await apps().screenshot('location-denied', page);
    await page.context().close();
  });

  it('asks for the captcha when the portal has one and sends its token (window.yiwangCaptcha)', async () => {
    const page = await phonePage({ permissions: ['geolocation'], geolocation: WHERE });
    // a portal with a captcha of a provider that is not built in: the script defines the hook
    await page.route('**/api/public/portal*', async (route) => {
      const answer = await route.fetch();
      const portal = { ...(await answer.json()), captcha: { provider: 'test', siteKey: 'site-key-1', scriptUrl: 'https://captcha.invalid/hook.js' } };
      await route.fulfill({ response: answer, json: portal });
    });
    await page.route('https://captcha.invalid/hook.js', (route) =>
      route.fulfill({
        contentType: 'text/javascript',
        body: `window.yiwangCaptcha = { render(container, options) {
          const button = document.createElement('button'); button.type = 'button'; button.textContent = 'I am human (' + options.siteKey + ')';
          button.dataset.test = 'captcha-solve'; button.onclick = () => options.onToken('token-42'); container.appendChild(button); return 'w1';
        }, reset() { window.captchaResets = (window.captchaResets || 0) + 1; } };`,
      }),
    );
    let sentBody = '';
    await page.route('**/api/public/reports', (route) => {
      sentBody = route.request().postData() ?? '';
      return route.fulfill({ status: 201, json: { trackingCode: 'CAPTCHA23456', submittedAt: new Date().toISOString() } });
    });
    await page.goto(portalUrl());
    await page.locator('[data-test=captcha-solve]').waitFor();
    await chooseCategory(page, '暴露垃圾', 'SJ06010');
    await page.locator('[data-test=description]').fill('小区门口垃圾堆了三天没人清运。');
    await page.locator('[data-test=locate]').click();
    await page.locator('[data-test=located]').waitFor();
    await page.locator('[data-test=submit]').click();
    expect(await page.locator('[data-test=error-captcha]').textContent()).to.contain('人机验证');
    expect(sentBody).to.equal('');
    await apps().screenshot('captcha-required', page);

    await page.locator('[data-test=captcha-solve]').click();
    await page.locator('[data-test=submit]').click();
    await page.locator('[data-test=report-done]').waitFor();
    expect(sentBody).to.contain('name="captchaToken"').and.to.contain('token-42');
    await page.context().close();
  });

  it('switches to English', async () => {
    const page = await phonePage();
    await page.goto(portalUrl());
    await page.locator('[data-test=report-form]').waitFor();
    await page.locator('[data-test=language-switch]').click();
    expect(await page.locator('h1').textContent()).to.equal('Report a city issue');
    expect(await page.locator('[data-test=submit]').textContent()).to.contain('Submit report');
    await page.locator('[data-test=category]').click();
    await page.keyboard.type('manhole');
    expect(await page.locator('[data-test=category-BJ01002]').textContent()).to.contain('Sewage manhole cover');
    await page.locator('h1').click();
    await page.locator('.el-popper.category-popper').waitFor({ state: 'hidden' });
    await page.locator('[data-test=submit]').click();
    expect(await page.locator('[data-test=error-description]').textContent()).to.contain('Describe the problem');
    await apps().screenshot('english-report', page);
    expect(await page.evaluate(() => localStorage.getItem('yiwang.locale'))).to.equal('en');

    await page.goto(`${apps().baseUrl}/track/${trackingCode}`);
    await page.locator('[data-test=rating-view]').waitFor();
    expect((await page.locator('[data-test=report-state]').textContent())!.trim()).to.equal('Closed');
    expect((await page.locator('[data-test=stage]').first().textContent())!).to.contain('Submitted');
    expect(await page.locator('[data-test=report-category]').textContent()).to.equal('Sewage manhole cover');
    expect(await page.locator('[data-test=rating-score]').textContent()).to.contain('Satisfied');
    const text = await page.locator('body').innerText();
    expect(text).not.to.match(/处理中|已结案|查询码|满意/);
    await apps().screenshot('english-track', page);

    await page.locator('[data-test=language-switch]').click();
    expect((await page.locator('[data-test=report-state]').textContent())!.trim()).to.equal('已结案');
    await page.context().close();
  });

  it('is a centred column of at most 560 px on a desktop', async () => {
    const page = await apps().openPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(portalUrl());
    await page.locator('[data-test=report-form]').waitFor();
    const box = (await page.locator('[data-test=public-portal]').boundingBox())!;
    expect(box.width).to.equal(560);
    expect(box.x).to.equal((1280 - 560) / 2);
    await apps().screenshot('desktop', page);
    await page.context().close();
  });

  it('says when to try again once the reports of this address reach the limit (429)', async () => {
    const { page } = apps();
    // the default limit is 5 reports an hour per client address: one came from the page, these fill it
    for (let i = 0; i < 4; i += 1) {
      const form = new FormData();
      for (const [name, value] of Object.entries({ tenant: TENANT, category: 'SJ06012', description: `道路不洁，第 ${i + 1} 次上报。`, address: '鱼峰区柳石路' })) form.set(name, value);
      const response = await fetch(`${apps().origin}/api/public/reports`, { method: 'POST', body: form });
      expect(response.status, await response.clone().text()).to.equal(201);
    }
    apps().allowConsoleErrors(/429 \(Too Many Requests\)/);
    await page.goto(portalUrl());
    await page.locator('[data-test=report-form]').waitFor();
    await chooseCategory(page, '道路不洁', 'SJ06012');
    await page.locator('[data-test=description]').fill('柳石路人行道上满地落叶和垃圾。');
    await page.locator('[data-test=address]').fill('鱼峰区柳石路');
    await page.locator('[data-test=submit]').click();
    const message = (await page.locator('[data-test=report-error]').textContent())!;
    expect(message).to.match(/提交过于频繁，请在 \d+ 分钟后（\d\d:\d\d 以后）再试/);
    expect(await page.locator('[data-test=report-done]').count()).to.equal(0);
    await apps().screenshot('rate-limited');
  });
});
