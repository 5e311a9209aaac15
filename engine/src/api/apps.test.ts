import { expect } from 'chai';
import Koa from 'koa';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../logging/index.js';
import { webApps } from './apps.js';
import { errorHandler } from './errors.js';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

describe('api/apps - a built app at its prefix (the designer at /designer)', () => {
  let dir: string;
  let server: Server;

  /** a GET with the path sent exactly as written (fetch would normalise `..` away) */
  const get = (path: string) =>
    new Promise<Answer>((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path, method: 'GET' }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      });
      request.on('error', reject);
      request.end();
    });

  before(async () => {
    // given a build beside a file that must stay unreachable
    dir = await mkdtemp(join(tmpdir(), 'yiwang-apps-'));
    const dist = join(dir, 'dist');
    await mkdir(join(dist, 'assets', 'nested'), { recursive: true });
    await writeFile(join(dist, 'index.html'), '<!doctype html><title>designer</title>');
    await writeFile(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    await writeFile(join(dist, 'favicon.svg'), '<svg/>');
    await writeFile(join(dist, '.env'), 'SECRET=1');
    await writeFile(join(dir, 'secret.txt'), 'outside');
    const app = new Koa();
    app.use(errorHandler(silentLogger()));
    app.use(webApps([{ prefix: '/designer', root: dist }, { prefix: '/runtime', root: join(dir, 'no-runtime-build') }]));
    app.use((ctx) => {
      ctx.status = 404;
      ctx.body = 'not the designer';
    });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('passes every request on while the directory holds no build', async () => {
    // given a server over a directory without a build
    const app = new Koa();
    app.use(webApps([{ prefix: '/designer', root: join(dir, 'no-such-dist') }]));
    app.use((ctx) => {
      ctx.body = 'not the designer';
    });
    const empty = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    try {
      for (const path of ['/', '/designer/', '/designer/assets/index-abc123.js']) {
        const answer = await fetch(`http://127.0.0.1:${(empty.address() as AddressInfo).port}${path}`, { redirect: 'manual' });
        expect(await answer.text(), path).to.equal('not the designer');
      }
    } finally {
      await new Promise((resolve) => empty.close(resolve));
    }
  });

  it('answers index.html for the app and for any page of its router, never cached', async () => {
    for (const path of ['/designer/', '/designer/index.html', '/designer/org/users', '/designer/monitoring/instances/42']) {
      const answer = await get(path);
      expect(answer.status, path).to.equal(200);
      expect(answer.body, path).to.contain('<title>designer</title>');
      expect(answer.headers['content-type'], path).to.match(/^text\/html/);
      expect(answer.headers['cache-control'], path).to.equal('no-cache');
    }
  });

  it('serves hashed assets with a year-long immutable cache', async () => {
    const answer = await get('/designer/assets/index-abc123.js');
    expect(answer.status).to.equal(200);
    expect(answer.body).to.equal('console.log(1)');
    expect(answer.headers['content-type']).to.match(/javascript/);
    expect(answer.headers['cache-control']).to.equal('max-age=31536000,immutable');
  });

  it('serves other files of the build, and redirects / and /designer to /designer/', async () => {
    expect((await get('/designer/favicon.svg')).body).to.equal('<svg/>');
    for (const path of ['/', '/designer']) {
      const answer = await get(path);
      expect(answer.status, path).to.equal(302);
      expect(answer.headers.location, path).to.equal('/designer/');
    }
  });

  it('answers 404 for a missing file instead of the app', async () => {
    for (const path of ['/designer/assets/missing.js', '/designer/missing.css']) {
      const answer = await get(path);
      expect(answer.status, path).to.equal(404);
      expect(JSON.parse(answer.body), path).to.include({ type: 'NotFoundException' });
    }
  });

  it('reaches nothing outside the build, no hidden file and no directory listing', async () => {
    for (const path of ['/designer/../secret.txt', '/designer/%2e%2e/secret.txt', '/designer/assets/..%2f..%2fsecret.txt', '/designer/.env', '/designer/assets/', '/designer/assets/nested/']) {
      const answer = await get(path);
      expect(answer.status, path).to.equal(404);
      expect(answer.body, path).not.to.contain('outside');
      expect(answer.body, path).not.to.contain('SECRET');
      expect(answer.body, path).not.to.contain('index-abc123');
    }
  });

  it('leaves other paths and methods to the rest of the server', async () => {
    expect((await get('/api/nothing')).body).to.equal('not the designer');
    expect((await get('/designerx')).body).to.equal('not the designer');
    // an app without a build passes on
    expect((await get('/runtime/')).body).to.equal('not the designer');
  });
});
