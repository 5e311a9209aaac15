import { expect } from 'chai';
import { workerHostConfig } from './index.js';

describe('workers - host configuration from the environment', () => {
  it('defaults to the local server without credentials and Camunda-like polling', () => {
    // when
    const config = workerHostConfig({ PORT: '3456' });
    // then
    expect(config).to.deep.include({
      baseUrl: 'http://localhost:3456/engine-rest', auth: { kind: 'none' }, maxTasks: 10, lockDuration: 60_000,
      asyncResponseTimeout: 20_000, retryTimeout: 10_000, shutdownTimeout: 30_000, pollInterval: 300,
    });
    expect(config.workerId).to.match(/^yiwang-workers-.+-\d+$/);
  });

  it('reads the server, Basic or Bearer credentials and the tuning variables', () => {
    // when
    const basic = workerHostConfig({ ENGINE_REST_URL: 'https://camunda.example/engine-rest', ENGINE_REST_USER: 'demo', ENGINE_REST_PASSWORD: 'pw', WORKER_ID: 'w1', WORKER_MAX_TASKS: '5', WORKER_LOCK_DURATION_MS: '1000', WORKER_RETRY_TIMEOUT_MS: '0' });
    const bearer = workerHostConfig({ ENGINE_REST_TOKEN: 'yw_abc' });
    // then
    expect(basic).to.deep.include({ baseUrl: 'https://camunda.example/engine-rest', auth: { kind: 'basic', username: 'demo', password: 'pw' }, workerId: 'w1', maxTasks: 5, lockDuration: 1000, retryTimeout: 0 });
    expect(bearer.auth).to.deep.equal({ kind: 'bearer', token: 'yw_abc' });
  });

  it('refuses ambiguous credentials and numbers that are not counts', () => {
    expect(() => workerHostConfig({ ENGINE_REST_TOKEN: 't', ENGINE_REST_USER: 'u', ENGINE_REST_PASSWORD: 'p' })).to.throw('set either ENGINE_REST_TOKEN or ENGINE_REST_USER and ENGINE_REST_PASSWORD, not both');
    expect(() => workerHostConfig({ ENGINE_REST_USER: 'u' })).to.throw('ENGINE_REST_USER and ENGINE_REST_PASSWORD go together');
    expect(() => workerHostConfig({ WORKER_MAX_TASKS: '0' })).to.throw("WORKER_MAX_TASKS must be a positive integer, got '0'");
    expect(() => workerHostConfig({ WORKER_LOCK_DURATION_MS: '1.5' })).to.throw("WORKER_LOCK_DURATION_MS must be a non-negative integer, got '1.5'");
  });
});
