import { expect } from 'chai';
import { bpmn, deployProcess, flow } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { basicAuth, startRestServer, TEST_ADMIN_PASSWORD, type RestClient } from '../../testing/rest.js';

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
