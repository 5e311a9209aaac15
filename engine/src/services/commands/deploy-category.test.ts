import { expect } from 'chai';
import type { Command } from '../../command/index.js';
import { ParseError } from '../../errors/index.js';
import type { Principal } from '../../identity/index.js';
import { listInbox } from '../../tasks/inbox.js';
import { bpmn, deployProcess, flow, rejectionOf } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';

/** A one-task process whose `bpmn:process` carries `yiwang:category`. */
function categorised(key: string, category: string): string {
  return bpmn(key, `
    <extensionElements><camunda:properties><camunda:property name="yiwang:category" value="${category}"/></camunda:properties></extensionElements>
    <startEvent id="start"/>${flow('start', 'handle')}
    <userTask id="handle" camunda:assignee="handler"/>${flow('handle', 'end')}
    <endEvent id="end"/>`);
}

const handler: Principal = {
  userId: 'handler',
  tenantId: 'default',
  visibleTenantIds: 'all',
  permissions: new Set(),
  dataScope: { kind: 'all' },
  departmentIds: [],
  candidateGroupIds: [],
  passwordChangeRequired: false,
};

describeOnDatabases('services - deploy: the process category', (fixture) => {
  it('stores yiwang:category of the process as the definition category', async () => {
    // given
    const { engine } = fixture();
    // when
    const id = await deployProcess(engine, categorised('cat_stored', 'command'));
    const plain = await deployProcess(engine, bpmn('cat_none', `<startEvent id="start"/>${flow('start', 'end')}<endEvent id="end"/>`));
    // then
    const [definition] = await engine.repositoryService.listProcessDefinitions({ id });
    expect(definition?.category).to.equal('command');
    const [uncategorised] = await engine.repositoryService.listProcessDefinitions({ id: plain });
    expect(uncategorised?.category).to.equal(null);
  });

  it('refuses a category that is not a dictionary code, naming the process', async () => {
    // given
    const { engine } = fixture();
    for (const bad of ['公众 服务', 'a'.repeat(65)]) {
      // when
      const error = await rejectionOf(engine.repositoryService.deploy({ name: 'bad', resources: [{ name: 'bad.bpmn', content: categorised('cat_bad', bad) }] }));
      // then
      expect(error).to.be.instanceOf(ParseError);
      expect((error as ParseError).problems.map((p) => p.elementId)).to.deep.equal(['cat_bad']);
      expect(error.message).to.contain("Process 'cat_bad': yiwang:category");
    }
  });

  it("finds a task in the inbox by its process's category", async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, categorised('cat_inbox_a', 'monitoring'));
    await deployProcess(engine, categorised('cat_inbox_b', 'evaluation'));
    const a = await engine.runtimeService.startProcessInstanceByKey('cat_inbox_a');
    await engine.runtimeService.startProcessInstanceByKey('cat_inbox_b');
    // when
    const command: Command<Awaited<ReturnType<typeof listInbox>>> = {
      name: 'InboxByCategory',
      execute: (context) => listInbox(context.session, handler, { view: 'todo', category: 'monitoring' }, new Date()),
    };
    const rows = await engine.commandExecutor.execute(command);
    // then
    expect(rows.map((row) => row.processInstanceId)).to.deep.equal([a.id]);
    expect(rows[0]?.category).to.equal('monitoring');
  });
});
