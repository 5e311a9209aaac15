import { expect } from 'chai';
import { silentLogger } from '../logging/index.js';
import { describeOnDatabases } from '../testing/databases.js';
import { startIdentity } from '../identity/index.js';
import { startServer, type PlatformServer } from './index.js';

describeOnDatabases('api - server', (fixture) => {
  let server: PlatformServer;

  beforeEach(async () => {
    const { engine } = fixture();
    const identity = await startIdentity(engine, { adminPassword: 'Server-Test-Passw0rd', announce: () => undefined, logger: silentLogger() });
    server = await startServer({ engine, logger: silentLogger(), port: 0, host: '127.0.0.1', version: '9.9.9', ...identity });
  });

  afterEach(async () => {
    await server.close().catch(() => undefined);
  });

  it('answers GET /health with status, database dialect and version', async () => {
    // when
    const response = await fetch(`http://127.0.0.1:${server.port}/health`);
    // then
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('application/json');
    expect(await response.json()).to.deep.equal({
      status: 'UP',
      version: '9.9.9',
      database: { dialect: fixture().dialect, reachable: true },
    });
  });

  it('answers an unknown route with 404 and keeps serving', async () => {
    const missing = await fetch(`http://127.0.0.1:${server.port}/no-such-route`);
    expect(missing.status).to.equal(404);
    expect((await fetch(`http://127.0.0.1:${server.port}/health`)).status).to.equal(200);
  });

  it('finishes a request in flight before it closes, then refuses new connections', async () => {
    // given a client holding a keep-alive connection
    const first = await fetch(`http://127.0.0.1:${server.port}/health`);
    expect(first.status).to.equal(200);
    // when
    await server.close();
    // then
    const error = await fetch(`http://127.0.0.1:${server.port}/health`).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error, 'a connection after close').to.be.instanceOf(Error);
  });
});
