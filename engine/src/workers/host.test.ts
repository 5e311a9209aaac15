import { expect } from 'chai';
import { Variables } from 'camunda-external-task-client-js';
import { pino } from 'pino';
import { bpmn, deployProcess, flow, openTaskKeys } from '../testing/bpmn.js';
import { describeOnDatabases } from '../testing/databases.js';
import { startRestServer, TEST_ADMIN_PASSWORD, type RestClient } from '../testing/rest.js';
import { startWorkerHost, type WorkerHandlers, type WorkerHost, type WorkerHostConfig, type WorkerTopic } from './index.js';
import { until } from '../testing/until.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** start → external task of `topic` → user task `check` → end */
const externalThenUserTask = (processId: string, topic: string) =>
  bpmn(processId, `
    <startEvent id="start"/>${flow('start', 'work')}
    <serviceTask id="work" camunda:type="external" camunda:topic="${topic}"/>${flow('work', 'check')}
    <userTask id="check"/>${flow('check', 'end')}
    <endEvent id="end"/>`);

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

describeOnDatabases('workers - the worker host with camunda-external-task-client-js', (fixture) => {
  let rest: RestClient;
  const hosts: WorkerHost[] = [];
  let logLines: LogLine[];
  let logText: string[];

  before(async () => {
    rest = await startRestServer(fixture().engine);
  });

  beforeEach(() => {
    logLines = [];
    logText = [];
  });

  afterEach(async () => {
    await Promise.all(hosts.splice(0).map((host) => host.stop()));
  });

  after(async () => {
    await rest.server.close();
  });

  /** A host for inline handlers, logging into `logLines`, stopped after the test. */
  function host(handlers: WorkerHandlers, config: Partial<WorkerHostConfig> = {}): WorkerHost {
    const topics = new Map(Object.entries(handlers).map(([topic, handler]): [string, WorkerTopic] => [topic, { topic, handler, plugin: '@yiwang/plugin-test', file: 'inline' }]));
    const logger = pino({ level: 'debug' }, { write: (line: string) => void (logText.push(line), logLines.push(JSON.parse(line) as LogLine)) });
    const started = startWorkerHost(topics, {
      baseUrl: rest.baseUrl,
      auth: { kind: 'basic', username: 'admin', password: TEST_ADMIN_PASSWORD },
      workerId: 'host-test',
      maxTasks: 10,
      lockDuration: 60_000,
      asyncResponseTimeout: 2_000,
      retryTimeout: 0,
      shutdownTimeout: 5_000,
      pollInterval: 20,
      ...config,
    }, logger);
    hosts.push(started);
    return started;
  }

  const externalTasks = (processInstanceId: string) => fixture().engine.externalTaskService.listExternalTasks({ processInstanceId });
  const reachedCheck = (processInstanceId: string) => until('the user task after the external task', async () => (await openTaskKeys(fixture().engine, processInstanceId)).includes('check'));

  it('runs a plugin handler that completes its task with variables', async () => {
    // given a process waiting in an external task, and a host with a handler for its topic
    const { engine } = fixture();
    await deployProcess(engine, externalThenUserTask('wh_complete', 'wh-complete'));
    const instance = await engine.runtimeService.startProcessInstanceByKey('wh_complete', { variables: { applicant: '张三' } });
    let seen: unknown;
    host({
      'wh-complete': async ({ task, taskService }) => {
        seen = task.variables.get('applicant');
        await taskService.complete(task, new Variables().set('verdict', '已核实').set('score', 7));
      },
    });
    // when the host fetched and ran it
    await reachedCheck(instance.id);
    // then
    expect(seen).to.equal('张三');
    const variables = await engine.runtimeService.getVariables(instance.id);
    expect(variables.get('verdict')).to.deep.include({ type: 'string', value: '已核实' });
    expect(variables.get('score')).to.deep.include({ type: 'integer', value: 7 });
    expect(logLines.filter((line) => line.level >= 40)).to.deep.equal([]);
  });

  it('reports a throwing handler as a failure with one retry less and goes on with the next task', async () => {
    // given two instances, the first of which makes the handler throw
    const { engine } = fixture();
    await deployProcess(engine, externalThenUserTask('wh_fail', 'wh-fail'));
    const bad = await engine.runtimeService.startProcessInstanceByKey('wh_fail', { businessKey: 'bad' });
    const good = await engine.runtimeService.startProcessInstanceByKey('wh_fail', { businessKey: 'good' });
    // when a host with a long retry timeout runs them
    host({
      'wh-fail': async ({ task, taskService }) => {
        if (task.businessKey === 'bad') throw new Error('档案系统无响应');
        await taskService.complete(task);
      },
    }, { retryTimeout: 60_000 });
    // then the failing task counts down from 3, with the handler's message and stack
    const [failed] = await until('the failure to be reported', async () => {
      const tasks = await externalTasks(bad.id);
      return tasks[0]?.retries !== null && tasks;
    });
    expect(failed).to.include({ retries: 2, errorMessage: '档案系统无响应' });
    expect(failed?.errorDetails).to.match(/^Error: 档案系统无响应\n\s+at /);
    // and the host still serves the other instance
    await reachedCheck(good.id);
    expect(logLines.find((line) => line.msg === 'handler failed; reported to the engine for a retry')).to.include({ error: '档案系统无响应', retries: 2, taskId: failed?.id });
  });

  it('counts the retries down to zero, where the engine raises an incident and no worker fetches the task again', async () => {
    // given a handler that always throws
    const { engine } = fixture();
    await deployProcess(engine, externalThenUserTask('wh_incident', 'wh-incident'));
    const instance = await engine.runtimeService.startProcessInstanceByKey('wh_incident');
    const attempts: (number | null)[] = [];
    host({
      'wh-incident': async ({ task }) => {
        attempts.push(task.retries);
        throw new Error('invalid street code');
      },
    });
    // when it failed every retry
    const [incident] = await until('an incident', async () => {
      const incidents = await engine.managementService.listIncidents({ processInstanceId: instance.id });
      return incidents.length > 0 && incidents;
    });
    await sleep(300);
    // then
    expect(attempts).to.deep.equal([null, 2, 1]);
    const [task] = await externalTasks(instance.id);
    expect(task).to.include({ retries: 0, errorMessage: 'invalid street code' });
    expect(incident).to.include({ incidentType: 'failedExternalTask', configuration: task?.id, activityId: 'work' });
  });

  it('authenticates with an API token, and logs a rejected token without showing it', async () => {
    // given a token for the admin, and a wrong one
    const { engine } = fixture();
    const { key: token } = await rest.authentication.apiKeys.create({ name: 'worker host test', userId: 'admin' }, null, null);
    await deployProcess(engine, externalThenUserTask('wh_token', 'wh-token'));
    const instance = await engine.runtimeService.startProcessInstanceByKey('wh_token');
    // when a host with the wrong token polls
    host({ 'wh-token': async ({ task, taskService }) => taskService.complete(task) }, { auth: { kind: 'bearer', token: 'yw_wrong-token-value' }, workerId: 'wrong-token' });
    const rejected = await until('the rejected fetch in the log', async () => logLines.find((line) => line.msg.startsWith('fetching external tasks failed')));
    await sleep(200);
    // and a host with the right one
    host({ 'wh-token': async ({ task, taskService }) => taskService.complete(task) }, { auth: { kind: 'bearer', token }, workerId: 'right-token' });
    // then the task is done by the host with the right token
    await reachedCheck(instance.id);
    expect(rejected.error).to.match(/Response code 401/);
    expect(logLines.filter((line) => line.msg.startsWith('fetching external tasks failed'))).to.have.length(1);
    expect(logText.join('')).not.to.include('wrong-token-value').and.not.to.include(token).and.not.to.include(TEST_ADMIN_PASSWORD);
  });

  it('leaves the task locked and warns when a handler returns without settling it', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, externalThenUserTask('wh_forgot', 'wh-forgot'));
    const instance = await engine.runtimeService.startProcessInstanceByKey('wh_forgot');
    host({ 'wh-forgot': async () => undefined });
    // when
    const warning = await until('the warning', async () => logLines.find((line) => line.level === 40));
    // then
    expect(warning.msg).to.equal('handler returned without completing or failing its task; the task is fetched again when its lock expires');
    const [task] = await externalTasks(instance.id);
    expect(task).to.include({ workerId: 'host-test', retries: null });
    expect(task?.lockExpirationTime?.getTime()).to.be.greaterThan(Date.now());
  });

  it('stops at once while a long poll waits, and fetches nothing afterwards', async () => {
    // given a host whose long poll waits 10 seconds on the server
    const { engine } = fixture();
    await deployProcess(engine, externalThenUserTask('wh_stop', 'wh-stop'));
    const started = host({ 'wh-stop': async ({ task, taskService }) => taskService.complete(task) }, { asyncResponseTimeout: 10_000 });
    await sleep(300);
    // when
    const before = Date.now();
    await started.stop();
    // then
    expect(Date.now() - before).to.be.lessThan(1_000);
    // the server notices the closed connection a moment later (the test shares its event loop)
    await sleep(100);
    const instance = await engine.runtimeService.startProcessInstanceByKey('wh_stop');
    await sleep(500);
    const [task] = await externalTasks(instance.id);
    expect(task).to.include({ workerId: null, lockExpirationTime: null });
    expect(logLines.filter((line) => line.level >= 40)).to.deep.equal([]);
  });

  it('waits for running handlers before it resolves', async () => {
    // given a handler held up until the test lets it go
    const { engine } = fixture();
    await deployProcess(engine, externalThenUserTask('wh_drain', 'wh_drain'));
    const instance = await engine.runtimeService.startProcessInstanceByKey('wh_drain');
    let running = (): void => undefined;
    const handlerStarted = new Promise<void>((resolve) => (running = resolve));
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const started = host({
      wh_drain: async ({ task, taskService }) => {
        running();
        await released;
        await taskService.complete(task);
      },
    });
    await handlerStarted;
    // when the host is stopped while the handler runs
    let stopped = false;
    const stopping = started.stop().then(() => (stopped = true));
    await sleep(300);
    expect(stopped).to.equal(false);
    release();
    await stopping;
    // then the handler finished its task before stop resolved
    expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['check']);
  });

  it('gives up waiting after the shutdown timeout', async () => {
    // given a handler that never ends
    const { engine } = fixture();
    await deployProcess(engine, externalThenUserTask('wh_stuck', 'wh-stuck'));
    await engine.runtimeService.startProcessInstanceByKey('wh_stuck');
    let running = (): void => undefined;
    const handlerStarted = new Promise<void>((resolve) => (running = resolve));
    const started = host({ 'wh-stuck': () => (running(), new Promise<void>(() => undefined)) }, { shutdownTimeout: 200 });
    await handlerStarted;
    // when
    const before = Date.now();
    await started.stop();
    // then
    expect(Date.now() - before).to.be.within(150, 1_000);
    expect(logLines.find((line) => line.level === 40)).to.include({ msg: 'handlers still running at shutdown; their tasks are fetched again when the locks expire', running: 1 });
  });
});
