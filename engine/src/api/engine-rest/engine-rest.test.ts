import { expect } from 'chai';
import { bpmn, deployProcess, flow } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { basicAuth, startRestServer, TEST_ADMIN_PASSWORD, type RestClient } from '../../testing/rest.js';
import { AdminAccount } from './auth.js';

describeOnDatabases('api/engine-rest - authentication, version, message and signal', (fixture) => {
  let rest: RestClient;

  before(async () => {
    rest = await startRestServer(fixture().engine);
  });

  after(async () => {
    await rest.server.close();
  });

  it('answers 401 with a Basic challenge without credentials or with wrong ones', async () => {
    for (const auth of [null, basicAuth('admin', 'wrong'), basicAuth('someone', TEST_ADMIN_PASSWORD), 'Bearer nonsense']) {
      const response = await rest.request('/version', { auth });
      expect(response.status, String(auth)).to.equal(401);
      expect(response.headers.get('www-authenticate')).to.equal('Basic realm="yiwang"');
      expect(response.headers.get('content-type')).to.equal('application/json');
      expect(await response.json()).to.include({ type: 'AuthenticationException' });
    }
  });

  it('answers the admin with the Camunda version it is compatible with', async () => {
    expect(await rest.json('/version')).to.deep.equal({ version: '7.22.0' });
  });

  it('generates an admin password once, announces it once, and keeps it across restarts', async () => {
    // given a database whose admin password was set by the suite; forget it first
    const { engine } = fixture();
    await engine.database.transaction((sql) => sql.execute("DELETE FROM engine_property WHERE name = 'admin.password'"));
    const announced: string[] = [];
    // when
    const first = await AdminAccount.ensure(engine, undefined, (message) => announced.push(message));
    const second = await AdminAccount.ensure(engine, undefined, (message) => announced.push(message));
    // then
    expect(announced).to.have.length(1);
    const password = /password: (\S+)/.exec(announced[0] as string)?.[1] as string;
    expect(await first.verify('admin', password)).to.equal(true);
    expect(await second.verify('admin', password)).to.equal(true);
    expect(await second.verify('admin', `${password}x`)).to.equal(false);
    const [row] = await engine.database.read((sql) => sql.select("SELECT value FROM engine_property WHERE name = 'admin.password'"));
    expect(String(row?.value)).to.match(/^scrypt\$/).and.not.contain(password);
    // and the configured password takes over again
    expect(await (await AdminAccount.ensure(engine, TEST_ADMIN_PASSWORD, () => undefined)).verify('admin', TEST_ADMIN_PASSWORD)).to.equal(true);
  });

  it('answers malformed JSON with 400 and keeps serving', async () => {
    // when
    const response = await rest.request('/message', { body: '{"messageName": ', headers: { 'Content-Type': 'application/json' } });
    // then
    expect(response.status).to.equal(400);
    expect(await response.json()).to.include({ type: 'InvalidRequestException' });
    expect((await rest.request('/version')).status).to.equal(200);
  });

  it('correlates a message and throws a signal over REST, answering 204', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('rest_events', `
      <startEvent id="start"/>${flow('start', 'wait')}
      <intermediateCatchEvent id="wait"><messageEventDefinition messageRef="m"/></intermediateCatchEvent>${flow('wait', 'stop')}
      <intermediateCatchEvent id="stop"><signalEventDefinition signalRef="s"/></intermediateCatchEvent>${flow('stop', 'end')}
      <endEvent id="end"/>`).replace('</definitions>', '<message id="m" name="rest_notice"/><signal id="s" name="rest_stop"/></definitions>'));
    const instance = await engine.runtimeService.startProcessInstanceByKey('rest_events', { businessKey: 'REST-1' });
    // when
    const correlated = await rest.request('/message', {
      body: { messageName: 'rest_notice', businessKey: 'REST-1', processVariables: { level: { type: 'Integer', value: 2 } } },
    });
    const second = await engine.runtimeService.startProcessInstanceByKey('rest_events', { businessKey: 'REST-2' });
    const results = await rest.json<{ resultType: string; execution: { processInstanceId: string } }[]>('/message', {
      body: { messageName: 'rest_notice', businessKey: 'REST-2', resultEnabled: true },
    });
    const signalled = await rest.request('/signal', { body: { name: 'rest_stop' } });
    // then
    expect(correlated.status).to.equal(204);
    expect(results.map((r) => [r.resultType, r.execution.processInstanceId])).to.deep.equal([['Execution', second.id]]);
    expect(signalled.status).to.equal(204);
    expect(await engine.runtimeService.countProcessInstances({ processInstanceIds: [instance.id, second.id] })).to.equal(0);
    const [historic] = await engine.historyService.listProcessInstances({ processInstanceId: instance.id });
    expect(historic?.state).to.equal('COMPLETED');
  });

  it('answers an unmatched message with 400 MismatchingMessageCorrelationException', async () => {
    const response = await rest.request('/message', { body: { messageName: 'nobody_waits' } });
    expect(response.status).to.equal(400);
    expect(await response.json()).to.deep.include({ type: 'MismatchingMessageCorrelationException' });
  });
});
