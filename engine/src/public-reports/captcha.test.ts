import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { SiteverifyCaptcha } from './captcha.js';

describe('public-reports - the siteverify captcha', () => {
  let provider: Server;
  let verifyUrl: string;
  let answer: (form: URLSearchParams) => { status: number; body: string };
  const logged: string[] = [];
  const logger = pino({ level: 'debug' }, new Writable({ write: (chunk: Buffer, _encoding, done) => (logged.push(chunk.toString()), done()) }));

  before(async () => {
    provider = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const { status, body: text } = answer(new URLSearchParams(body));
        response.writeHead(status, { 'Content-Type': 'application/json' }).end(text);
      });
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    verifyUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/siteverify`;
  });

  after(async () => {
    await new Promise((resolve) => provider.close(resolve));
  });

  it('posts secret, response and remoteip as a form and believes only success: true', async () => {
    // given
    const forms: URLSearchParams[] = [];
    answer = (form) => (forms.push(form), { status: 200, body: JSON.stringify({ success: form.get('response') === 'good' ? true : 'yes' }) });
    const captcha = new SiteverifyCaptcha({ verifyUrl, secret: 's3cret' }, logger);
    // when
    const results = [await captcha.verify('good', '203.0.113.7'), await captcha.verify('bad', null)];
    // then
    expect(results).to.deep.equal([true, false]);
    expect(forms.map((form) => Object.fromEntries(form))).to.deep.equal([{ secret: 's3cret', response: 'good', remoteip: '203.0.113.7' }, { secret: 's3cret', response: 'bad' }]);
  });

  it('counts a provider that fails or cannot be reached as a failed verification, and never logs the secret', async () => {
    // given
    answer = () => ({ status: 500, body: 'down' });
    // when
    const failing = await new SiteverifyCaptcha({ verifyUrl, secret: 's3cret' }, logger).verify('good', null);
    const unreachable = await new SiteverifyCaptcha({ verifyUrl: 'http://127.0.0.1:1/siteverify', secret: 's3cret' }, logger).verify('good', null);
    // then
    expect([failing, unreachable]).to.deep.equal([false, false]);
    expect(logged.join('')).to.contain('captcha provider').and.not.contain('s3cret');
  });

  it('follows no redirect, and checks the hostname and the score when they are configured', async () => {
    // given
    let body: Record<string, unknown> = {};
    answer = () => ({ status: 200, body: JSON.stringify(body) });
    const strict = new SiteverifyCaptcha({ verifyUrl, secret: 's3cret', hostname: 'report.example.gov.cn', minScore: 0.5 }, logger);
    const redirected = createServer((_request, response) => response.writeHead(307, { Location: verifyUrl }).end());
    await new Promise<void>((resolve) => redirected.listen(0, '127.0.0.1', resolve));
    // when
    const results: boolean[] = [];
    for (const answered of [
      { success: true, hostname: 'report.example.gov.cn', score: 0.9 },
      { success: true, hostname: 'evil.example', score: 0.9 },
      { success: true, hostname: 'report.example.gov.cn', score: 0.3 },
      { success: true, hostname: 'report.example.gov.cn' },
    ]) {
      body = answered;
      results.push(await strict.verify('good', null));
    }
    const viaRedirect = await new SiteverifyCaptcha({ verifyUrl: `http://127.0.0.1:${(redirected.address() as AddressInfo).port}/siteverify`, secret: 's3cret' }, logger).verify('good', null);
    await new Promise((resolve) => redirected.close(resolve));
    // then
    expect(results).to.deep.equal([true, false, false, false]);
    expect(viaRedirect).to.equal(false);
  });
});
