import { expect } from 'chai';
import path from 'node:path';
import { loadConfig, parseDatabaseUrl, redactUrl } from './index.js';

describe('config', () => {
  it('defaults to SQLite under ./data and port 3000', () => {
    const config = loadConfig({}, '/srv/yiwang');
    expect(config.database).to.deep.equal({ dialect: 'sqlite', location: '/srv/yiwang/data/yiwang.sqlite' });
    expect(config.port).to.equal(3000);
    expect(config.timeZone).to.equal('Asia/Shanghai');
  });

  it('reads timers in the TIME_ZONE given and refuses a zone that does not exist', () => {
    expect(loadConfig({ TIME_ZONE: 'Asia/Urumqi' }).timeZone).to.equal('Asia/Urumqi');
    expect(() => loadConfig({ TIME_ZONE: 'Mars/Olympus' })).to.throw(/TIME_ZONE 'Mars\/Olympus'/);
  });

  it('resolves relative SQLite paths against the working directory and keeps absolute ones', () => {
    expect(parseDatabaseUrl('sqlite:db/x.sqlite', '/srv').location).to.equal(path.join('/srv', 'db/x.sqlite'));
    expect(parseDatabaseUrl('sqlite:/var/lib/yiwang.sqlite', '/srv').location).to.equal('/var/lib/yiwang.sqlite');
  });

  it('accepts mysql:// and mariadb:// URLs for MariaDB', () => {
    expect(parseDatabaseUrl('mysql://root@127.0.0.1:3306/yiwang')).to.deep.equal({ dialect: 'mariadb', location: 'mysql://root@127.0.0.1:3306/yiwang' });
    expect(parseDatabaseUrl('mariadb://u:p@db/yiwang').location).to.equal('mysql://u:p@db/yiwang');
  });

  it('refuses other URLs and bad ports with a message naming the value', () => {
    expect(() => parseDatabaseUrl('postgres://x@y/z')).to.throw(/not supported/);
    expect(() => parseDatabaseUrl('sqlite:')).to.throw(/names no SQLite file/);
    expect(() => loadConfig({ PORT: 'eighty' })).to.throw(/PORT 'eighty'/);
  });

  it('never shows a password when a URL is logged', () => {
    expect(redactUrl('mysql://app:s3cret@db:3306/yiwang')).to.equal('mysql://app:***@db:3306/yiwang');
    expect(parseDatabaseUrl.bind(null, 'oracle://app:s3cret@db/x')).to.throw(/app:\*\*\*@db/);
  });
});
