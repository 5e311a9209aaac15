import { expect } from 'chai';
import type { Locator, Page } from 'playwright-core';
import { ADMIN_PASSWORD, useDesigner } from './designer.js';

const DI = 'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"';

/** A case process as Camunda Modeler saves it: report → review (the task the test configures) → end. */
const CASE_HANDLING = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" ${DI}
  id="d_case" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.30.0">
  <bpmn:process id="case_handling" name="案件处置" isExecutable="true" camunda:historyTimeToLive="180">
    <bpmn:startEvent id="report" name="上报"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="report" targetRef="review"/>
    <bpmn:userTask id="review" name="审核"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="done"/>
    <bpmn:endEvent id="done" name="办结"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram"><bpmndi:BPMNPlane id="plane" bpmnElement="case_handling">
    <bpmndi:BPMNShape id="report_di" bpmnElement="report"><dc:Bounds x="152" y="102" width="36" height="36"/></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="review_di" bpmnElement="review"><dc:Bounds x="250" y="80" width="100" height="80"/></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="done_di" bpmnElement="done"><dc:Bounds x="422" y="102" width="36" height="36"/></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="188" y="120"/><di:waypoint x="250" y="120"/></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="350" y="120"/><di:waypoint x="422" y="120"/></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;

/** A task nobody connected: bpmnlint's no-disconnected, an error the engine's deploy refuses too. */
const DISCONNECTED = CASE_HANDLING
  .replace(/case_handling/g, 'case_orphan')
  .replace('</bpmn:process>', '<bpmn:userTask id="orphan" name="无人连接"/></bpmn:process>')
  .replace('</bpmndi:BPMNPlane>', '<bpmndi:BPMNShape id="orphan_di" bpmnElement="orphan"><dc:Bounds x="250" y="240" width="100" height="80"/></bpmndi:BPMNShape></bpmndi:BPMNPlane>');

/** Passes bpmnlint, but the engine refuses the handler entry 'team:night' (an unknown prefix). */
const BAD_ASSIGNEE = CASE_HANDLING.replace(/case_handling/g, 'case_bad').replace('<bpmn:userTask id="review" name="审核">', '<bpmn:userTask id="review" name="审核" camunda:assignee="team:night">');

const REVIEW_FORM = {
  id: 'case-review',
  type: 'default',
  schemaVersion: 16,
  components: [
    { id: 'title', type: 'textfield', key: 'title', label: '标题' },
    { id: 'remark', type: 'textarea', key: 'remark', label: '处理意见' },
  ],
};

const shape = (page: Page, id: string): Locator => page.locator(`[data-test=canvas] .djs-element.djs-shape[data-element-id="${id}"]`);
const hasClass = async (locator: Locator, name: string) => ((await locator.getAttribute('class')) ?? '').split(/\s+/).includes(name);

/** Picks an option of an element-plus select: opens it, types to search, clicks the option in its popper. */
async function choose(page: Page, select: Locator, search: string, option: string): Promise<void> {
  await select.click();
  if (search) await select.locator('input').fill(search);
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click();
}

async function openDesigner(page: Page, baseUrl: string, xml: string, fileName: string): Promise<void> {
  await page.goto(`${baseUrl}/processes/designer`);
  await page.locator('[data-test=canvas] .djs-container').waitFor();
  await page.locator('[data-test=import-file]').setInputFiles({ name: fileName, mimeType: 'application/xml', buffer: Buffer.from(xml) });
  await page.locator('.el-message--success').filter({ hasText: fileName }).waitFor();
}

describe('designer processes: modelling, business panels, lint, deploy and versions', function () {
  this.slow(30_000);
  const designer = useDesigner({ name: 'processes' });

  before(async () => {
    await designer().adminApi('/api/admin/roles', { body: { code: 'dispatcher', name: '调度员', dataScope: 'all', permissions: [] } });
    await designer().adminApi('/api/forms', { body: { form: REVIEW_FORM, name: '案件审核单' } });
  });

  it('imports a process, gives its task to a role, binds a form with a read-only field, deploys, and lists and compares the versions', async () => {
    const { page, baseUrl } = designer();
    await designer().signIn('admin', ADMIN_PASSWORD);
    // given the process imported from a .bpmn file
    await openDesigner(page, baseUrl, CASE_HANDLING, 'case_handling.bpmn');
    await shape(page, 'review').click();
    await page.locator('[data-test=assignment-panel]').waitFor();
    // when the task goes to the role 调度员, found by searching
    await choose(page, page.locator('[data-test=assignment-value]'), '调度', '调度员（dispatcher）');
    await page.locator('[data-test=assignment-add]').click();
    // and the form is bound with 处理意见 read-only
    await choose(page, page.locator('[data-test=form-key]'), '案件', '案件审核单（case-review）');
    await page.locator('[data-test="permission-remark"]').getByText('只读').click();
    await designer().screenshot('task-configured');
    // then the panel shows the choices
    expect(await page.locator('[data-test=assignment-entry]').allTextContents()).to.deep.equal(['角色：调度员（dispatcher）']);
    expect(await page.locator('[data-test=problem-errors]').textContent()).to.contain('0');

    // when deployed
    await page.locator('[data-test=deploy]').click();
    await page.locator('[data-test=deploy-confirm]').click();
    await page.locator('.el-message--success').filter({ hasText: 'case_handling v1' }).waitFor();
    // then the engine has the task as configured
    const [v1] = await designer().adminApi<{ id: string }[]>('/engine-rest/process-definition?key=case_handling');
    const { bpmn20Xml } = await designer().adminApi<{ bpmn20Xml: string }>(`/engine-rest/process-definition/${v1?.id}/xml`);
    expect(bpmn20Xml).to.contain('camunda:candidateGroups="role:dispatcher"');
    expect(bpmn20Xml).to.contain('camunda:formRef="case-review"');
    expect(bpmn20Xml).to.match(/<camunda:property name="yiwang:field:remark" value="readonly" \/>/);

    // when the time limit becomes 1 working day and the process is deployed again
    await page.locator('[data-test=group-time-limit] .el-collapse-item__header').click();
    await page.locator('[data-test=time-limit-panel]').getByText('固定时限').click();
    await page.locator('[data-test=time-limit-panel]').getByRole('button', { name: '应用' }).click();
    await page.locator('[data-test=deploy]').click();
    await page.locator('[data-test=deploy-confirm]').click();
    await page.locator('.el-message--success').filter({ hasText: 'case_handling v2' }).waitFor();

    // then the versions page lists both, and compares them
    await page.locator('[data-test=versions]').click();
    await page.locator('[data-test=process-versions] [data-test=version]').first().waitFor();
    expect(await page.locator('[data-test=process-versions] [data-test=version]').allTextContents()).to.deep.equal(['v2', 'v1']);
    const boxes = page.locator('[data-test=version-table] .el-table__body .el-checkbox');
    await boxes.nth(0).click();
    await boxes.nth(1).click();
    await page.locator('[data-test=compare]').click();
    await page.locator('[data-test=version-diff]').waitFor();
    expect(await page.locator('[data-test=version-diff] td.added').allTextContents()).to.satisfy((lines: string[]) => lines.some((line) => line.includes('yiwang:timeLimit') && line.includes('P1D')));
    await designer().screenshot('versions-diff');
  });

  it('exports the diagram as a .bpmn file Camunda Modeler opens', async () => {
    const { page, baseUrl } = designer();
    await openDesigner(page, baseUrl, CASE_HANDLING, 'case_handling.bpmn');
    // when
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export]').click()]);
    const content = (await (await download.createReadStream()).toArray()).join('');
    // then
    expect(download.suggestedFilename()).to.equal('case_handling.bpmn');
    expect(content).to.contain('xmlns:camunda="http://camunda.org/schema/1.0/bpmn"');
    expect(content).to.contain('<bpmn:userTask id="review" name="审核">');
    expect(content).to.contain('<bpmndi:BPMNShape id="review_di" bpmnElement="review">');
  });

  it("sets the process's category from the process-category dictionary; the deployed definition and the list carry it", async () => {
    const { page, baseUrl } = designer();
    await designer().adminApi('/api/dictionaries', {
      body: { code: 'process-category', name: '流程分类', hierarchical: false, items: [{ code: 'command', label: '指挥协调', labelEn: 'Command' }, { code: 'monitoring', label: '运行监测', labelEn: 'Monitoring' }] },
    });
    const categorised = CASE_HANDLING.replace(/case_handling/g, 'case_category');
    await openDesigner(page, baseUrl, categorised, 'case_category.bpmn');
    // when, nothing selected, the process's category is chosen
    await page.locator('[data-test=process-settings]').waitFor();
    await choose(page, page.locator('[data-test=process-category]'), '', '运行监测');
    await page.locator('[data-test=deploy]').click();
    await page.locator('[data-test=deploy-confirm]').click();
    await page.locator('.el-message--success').filter({ hasText: 'case_category v1' }).waitFor();
    // then the definition has the category, and the process list shows its label
    const [definition] = await designer().adminApi<{ category: string | null }[]>('/engine-rest/process-definition?key=case_category');
    expect(definition?.category).to.equal('monitoring');
    await page.goto(`${baseUrl}/processes`);
    const row = page.locator('[data-test=process-list] .el-table__row', { hasText: 'case_category' });
    await row.waitFor();
    expect(await row.locator('[data-test=process-category-label]').textContent()).to.equal('运行监测');
    await designer().screenshot('process-category');
  });

  it('lists a lint problem before deploying, and clicking it selects the element', async () => {
    const { page, baseUrl } = designer();
    await openDesigner(page, baseUrl, DISCONNECTED, 'case_orphan.bpmn');
    // then
    const problem = page.locator('[data-test=problems] .el-table__row', { has: page.locator('[data-test="problem-orphan"]') }).filter({ hasText: 'no-disconnected' });
    await problem.waitFor();
    // when
    await problem.click();
    // then
    expect(await hasClass(shape(page, 'orphan'), 'selected')).to.equal(true);
    // and deploying is refused until it is fixed
    await page.locator('[data-test=deploy]').click();
    await page.locator('.el-message--error').filter({ hasText: '1 个错误' }).waitFor();
    await designer().screenshot('lint-problem-selected');
  });

  it("lists the engine's refusal of a deploy by element", async () => {
    const { page, baseUrl } = designer();
    designer().allowConsoleErrors(/status of 400/);
    await openDesigner(page, baseUrl, BAD_ASSIGNEE, 'case_bad.bpmn');
    // when
    await page.locator('[data-test=deploy]').click();
    await page.locator('[data-test=deploy-confirm]').click();
    // then
    await page.locator('.el-message--error').filter({ hasText: '部署被拒绝' }).waitFor();
    const row = page.locator('[data-test=problems] .el-table__row', { hasText: 'team:night' });
    expect(await row.textContent()).to.contain('review').and.to.contain('部署检查');
    await row.click();
    expect(await hasClass(shape(page, 'review'), 'selected')).to.equal(true);
    await designer().screenshot('deploy-refused');
  });

  it('saves an unfinished diagram as a server draft, opens it again from the drafts list, and deletes it', async () => {
    const { page, baseUrl } = designer();
    // given a diagram with a lint error (a draft may be unfinished)
    const draft = DISCONNECTED.replace(/case_orphan/g, 'case_draft');
    await openDesigner(page, baseUrl, draft, 'case_draft.bpmn');
    // when it is saved as a draft
    await page.locator('[data-test=save-draft]').click();
    await page.locator('.el-message--success').filter({ hasText: '草稿已保存' }).waitFor();
    expect(await page.locator('[data-test=draft-status]').textContent()).to.contain('草稿保存于');
    // and opened again from the drafts list on the process list
    await page.goto(`${baseUrl}/processes`);
    await page.locator('[data-test=draft-list] .el-table__row', { hasText: 'case_draft' }).waitFor();
    await page.locator('[data-test="open-draft-case_draft"]').click();
    // then the task is still there, and saving again replaces the draft at its revision
    await shape(page, 'orphan').waitFor();
    expect(await shape(page, 'review').count()).to.equal(1);
    expect(await page.locator('[data-test=draft-status]').textContent()).to.contain('草稿保存于');
    await page.locator('[data-test=save-draft]').click();
    await page.locator('.el-message--success').filter({ hasText: '草稿已保存' }).last().waitFor();
    await designer().screenshot('draft-reopened');
    // and when it is deleted from the list
    await page.goto(`${baseUrl}/processes`);
    await page.locator('[data-test="delete-draft-case_draft"]').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await page.locator('.el-message--success').filter({ hasText: 'case_draft' }).waitFor();
    // then it is gone
    await page.locator('[data-test=draft-list] .el-table__row', { hasText: 'case_draft' }).waitFor({ state: 'detached' });
  });
});
