import { expect } from 'chai';
import type { Locator, Page } from 'playwright-core';
import { ADMIN_PASSWORD, useDesigner } from './designer.js';

const REVIEW = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="d_review" targetNamespace="http://yiwang.test">
  <process id="mon_review" name="巡查审核" isExecutable="true">
    <startEvent id="start" name="上报"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
    <userTask id="review" name="审核"/>
    <sequenceFlow id="f2" sourceRef="review" targetRef="end"/>
    <endEvent id="end" name="办结"/>
  </process>
  <bpmndi:BPMNDiagram id="diagram"><bpmndi:BPMNPlane id="plane" bpmnElement="mon_review">
    <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36"/></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="review_di" bpmnElement="review"><dc:Bounds x="200" y="78" width="100" height="80"/></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="370" y="100" width="36" height="36"/></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="136" y="118"/><di:waypoint x="200" y="118"/></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="300" y="118"/><di:waypoint x="370" y="118"/></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</definitions>`;

/** An asynchronous step whose gateway finds no way on while `go` is false: its job fails until then. */
const FAILING = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
  id="d_failing" targetNamespace="http://yiwang.test">
  <process id="mon_failing" name="数据同步" isExecutable="true">
    <startEvent id="start"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="work"/>
    <task id="work" name="同步" camunda:asyncBefore="true"/>
    <sequenceFlow id="f2" sourceRef="work" targetRef="gw"/>
    <exclusiveGateway id="gw"/>
    <sequenceFlow id="f3" sourceRef="gw" targetRef="end"><conditionExpression>\${go}</conditionExpression></sequenceFlow>
    <endEvent id="end"/>
  </process>
  <bpmndi:BPMNDiagram id="diagram"><bpmndi:BPMNPlane id="plane" bpmnElement="mon_failing">
    <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36"/></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="work_di" bpmnElement="work"><dc:Bounds x="200" y="78" width="100" height="80"/></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="gw_di" bpmnElement="gw" isMarkerVisible="true"><dc:Bounds x="360" y="93" width="50" height="50"/></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="470" y="100" width="36" height="36"/></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="136" y="118"/><di:waypoint x="200" y="118"/></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="300" y="118"/><di:waypoint x="360" y="118"/></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f3_di" bpmnElement="f3"><di:waypoint x="410" y="118"/><di:waypoint x="470" y="118"/></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</definitions>`;

const WAIT_MS = 15_000;

/** Polls until `check` holds (the engine's job executor works in the background). */
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function openMenu(page: Page, path: string): Promise<void> {
  const entry = page.locator(`[data-test="menu-${path}"]`);
  if (!(await entry.isVisible())) await page.locator('[data-test=menu-section-monitoring]').click();
  await entry.click();
}

const element = (page: Page, id: string): Locator => page.locator(`[data-test=instance-diagram] .djs-element[data-element-id="${id}"]`);
const hasClass = async (locator: Locator, name: string) => ((await locator.getAttribute('class')) ?? '').split(/\s+/).includes(name);

describe('designer monitoring: definitions, an instance on its diagram, failed jobs, the audit log', function () {
  this.slow(30_000);
  const designer = useDesigner({ name: 'monitoring', jobExecutor: true });
  let reviewInstance: string;
  let failingInstance: string;

  before(async () => {
    const { engine } = designer();
    await engine.repositoryService.deploy({ name: 'monitoring', resources: [{ name: 'review.bpmn', content: REVIEW }, { name: 'failing.bpmn', content: FAILING }] });
    reviewInstance = (await engine.runtimeService.startProcessInstanceByKey('mon_review', { businessKey: 'XC-0001' })).id;
    failingInstance = (await engine.runtimeService.startProcessInstanceByKey('mon_failing', { variables: { go: false } })).id;
    // the job executor tries the job until its retries are spent and an incident is raised
    await until('the failing job to spend its retries', async () => (await engine.managementService.listJobs({ processInstanceId: failingInstance, noRetriesLeft: true })).length === 1);
  });

  it('lists the deployed definition with its one running instance', async () => {
    const { page } = designer();
    // given
    await designer().signIn('admin', ADMIN_PASSWORD);
    // when
    await openMenu(page, '/monitoring/definitions');
    // then
    const running = page.locator('[data-test=running-mon_review]');
    await running.waitFor();
    expect((await running.innerText()).trim()).to.equal('1');
    expect(await page.locator('[data-test=monitoring-definitions]').innerText()).to.contain('巡查审核');
    await designer().screenshot('definitions');
  });

  it('opens the instance from the definition and shows its token on the diagram, the start shaded as done', async () => {
    const { page } = designer();
    // when the running count is followed to the instances, and the instance opened
    await page.locator('[data-test=running-mon_review]').click();
    await page.locator('[data-test=definition-filter]').waitFor();
    const link = page.locator('[data-test=monitoring-instances] .el-table__row', { hasText: 'XC-0001' }).locator('.yw-mono');
    await link.waitFor();
    expect(await page.locator('[data-test=monitoring-instances] .el-table__row').count()).to.equal(1);
    await designer().screenshot('instances');
    await link.click();
    // then the token stands at 审核, highlighted with its count; the start event and its flow are done
    await page.waitForURL(`**/designer/monitoring/instances/${reviewInstance}`);
    const review = element(page, 'review');
    await page.locator('[data-test=instance-diagram] .djs-element.yw-active').first().waitFor();
    expect(await hasClass(review, 'yw-active')).to.equal(true);
    expect(await hasClass(element(page, 'start'), 'yw-completed')).to.equal(true);
    expect(await hasClass(element(page, 'f1'), 'yw-taken')).to.equal(true);
    expect(await hasClass(element(page, 'end'), 'yw-completed')).to.equal(false);
    expect((await page.locator('[data-test=instance-diagram] .yw-token-badge').innerText()).trim()).to.equal('1');
    expect(await page.locator('[data-test=instance-state]').innerText()).to.equal('运行中');
    await designer().screenshot('instance-token');
  });

  it('marks the incident of the failed job on its activity', async () => {
    const { page, baseUrl } = designer();
    // when
    await page.goto(`${baseUrl}/monitoring/instances/${failingInstance}`);
    // then
    await page.locator('[data-test=instance-diagram] .djs-element.yw-incident').first().waitFor();
    expect(await hasClass(element(page, 'work'), 'yw-incident')).to.equal(true);
    expect(await hasClass(element(page, 'work'), 'yw-active')).to.equal(true);
    expect((await page.locator('[data-test=instance-diagram] .yw-incident-badge').innerText()).trim()).to.equal('1');
    await page.getByRole('tab', { name: /故障/ }).click();
    expect(await page.locator('[data-test=instance-incidents]').innerText()).to.contain('failedJob');
    await designer().screenshot('instance-incident');
  });

  it('retries the failed job: the job executor runs it again and the instance finishes', async () => {
    const { page, engine } = designer();
    // given the cause is repaired
    await engine.runtimeService.setVariables(failingInstance, { go: true });
    const [job] = await engine.managementService.listJobs({ processInstanceId: failingInstance });
    // when
    await openMenu(page, '/monitoring/jobs');
    const retry = page.locator(`[data-test="retry-${job!.id}"]`);
    await retry.waitFor();
    expect(await page.locator('[data-test=failed-jobs] .el-table__body').innerText()).to.contain('work');
    await designer().screenshot('failed-jobs');
    await retry.click();
    await page.locator('[data-test=confirm-retry]').click();
    await page.locator('.el-message--success').waitFor();
    // then
    await until('the instance to finish', async () => (await engine.runtimeService.countProcessInstances({ processInstanceIds: [failingInstance] })) === 0);
    await page.locator('[data-test=failed-jobs]').getByRole('button', { name: '刷新' }).click();
    await page.locator(`[data-test="retry-${job!.id}"]`).waitFor({ state: 'detached' });
    await designer().screenshot('failed-jobs-retried');
  });

  it('filters the audit log, refusing a malformed filter before asking the server', async () => {
    const { page } = designer();
    // given
    await openMenu(page, '/monitoring/audit');
    const table = page.locator('[data-test=monitoring-audit] .el-table__body');
    await page.locator('[data-test=monitoring-audit] .el-table__row').first().waitFor();
    // when a malformed action is entered
    await page.locator('input[name=action]').fill('1 bad');
    await page.locator('[data-test=monitoring-audit]').getByRole('button', { name: '查询' }).click();
    // then it is refused beside the field
    await page.locator('.el-form-item__error', { hasText: '操作名称' }).waitFor();
    // when a real filter is entered: the retry's job, as the administrator changed it
    await page.locator('input[name=action]').fill('SetJobRetries');
    await page.locator('[data-test=monitoring-audit]').getByRole('button', { name: '查询' }).click();
    await until('the audit log filtered to the retry', async () => {
      const rows = await page.locator('[data-test=monitoring-audit] .el-table__row').allInnerTexts();
      return rows.length > 0 && rows.every((row) => row.includes('SetJobRetries'));
    });
    expect(await table.innerText()).to.contain('admin');
    await designer().screenshot('audit-log');
  });
});
