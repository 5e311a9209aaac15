import { expect } from 'chai';
import path from 'node:path';
import { DEFAULT_AUTHENTICATION_SETTINGS } from '../identity/authentication/settings.js';
import { DEFAULT_PUBLIC_REPORT_SETTINGS, loadConfig, parseDatabaseUrl, redactUrl } from './index.js';

describe('config', () => {
  it('defaults to SQLite under ./data and port 3000', () => {
    const config = loadConfig({}, '/srv/yiwang');
    expect(config.database).to.deep.equal({ dialect: 'sqlite', location: '/srv/yiwang/data/yiwang.sqlite' });
    expect(config.port).to.equal(3000);
    expect(config.timeZone).to.equal('Asia/Shanghai');
    expect(config.authentication).to.deep.equal(DEFAULT_AUTHENTICATION_SETTINGS);
  });

  it('reads token lifetimes, lockout and password policy from YIWANG_ variables', () => {
    // when
    const { authentication } = loadConfig({
      YIWANG_ACCESS_TOKEN_MINUTES: '5',
      YIWANG_REFRESH_TOKEN_DAYS: '1',
      YIWANG_LOCKOUT_ATTEMPTS: '3',
      YIWANG_LOCKOUT_MINUTES: '30',
      YIWANG_PASSWORD_MIN_LENGTH: '12',
      YIWANG_PASSWORD_MIN_CLASSES: '4',
      YIWANG_PASSWORD_MAX_AGE_DAYS: '180',
    });
    // then
    expect(authentication).to.deep.equal({
      accessTokenTtlMs: 5 * 60_000,
      refreshTokenTtlMs: 86_400_000,
      maxFailedLogins: 3,
      lockoutMs: 30 * 60_000,
      passwordPolicy: { minLength: 12, minClasses: 4, maxAgeDays: 180 },
    });
  });

  it('lets passwords never expire with YIWANG_PASSWORD_MAX_AGE_DAYS=never, keeping the other defaults', () => {
    const { authentication } = loadConfig({ YIWANG_PASSWORD_MAX_AGE_DAYS: 'never' });
    expect(authentication.passwordPolicy).to.deep.equal({ ...DEFAULT_AUTHENTICATION_SETTINGS.passwordPolicy, maxAgeDays: null });
    expect(authentication.lockoutMs).to.equal(DEFAULT_AUTHENTICATION_SETTINGS.lockoutMs);
  });

  it('refuses a sign-in setting that is not a whole number in its range, naming the variable', () => {
    for (const [name, value, range] of [
      ['YIWANG_ACCESS_TOKEN_MINUTES', '0', 'from 1 to 1440'],
      ['YIWANG_ACCESS_TOKEN_MINUTES', '15m', 'from 1 to 1440'],
      ['YIWANG_REFRESH_TOKEN_DAYS', '366', 'from 1 to 365'],
      ['YIWANG_LOCKOUT_ATTEMPTS', '0', 'from 1 to 100'],
      ['YIWANG_LOCKOUT_MINUTES', '2.5', 'from 1 to 1440'],
      ['YIWANG_PASSWORD_MIN_LENGTH', '6', 'from 8 to 128'],
      ['YIWANG_PASSWORD_MIN_CLASSES', '5', 'from 1 to 4'],
      ['YIWANG_PASSWORD_MAX_AGE_DAYS', 'forever', "from 1 to 3650 or 'never'"],
      ['YIWANG_PASSWORD_MAX_AGE_DAYS', '-1', "from 1 to 3650 or 'never'"],
    ] as const) {
      expect(() => loadConfig({ [name]: value }), `${name}=${value}`).to.throw(`${name} '${value}' is not a whole number ${range}`);
    }
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

  it('keeps uploads in the database by default; on disk beside the SQLite file, under ./data/files with MariaDB, or in YIWANG_FILE_DIR', () => {
    expect(loadConfig({}, '/srv/yiwang').files).to.deep.equal({ storage: 'database', directory: '/srv/yiwang/data/files' });
    expect(loadConfig({ YIWANG_FILE_STORAGE: 'disk', DATABASE_URL: 'sqlite:/var/lib/yiwang/db.sqlite' }, '/srv').files).to.deep.equal({ storage: 'disk', directory: '/var/lib/yiwang/files' });
    expect(loadConfig({ YIWANG_FILE_STORAGE: 'disk', DATABASE_URL: 'mysql://root@db/yiwang' }, '/srv').files.directory).to.equal('/srv/data/files');
    expect(loadConfig({ YIWANG_FILE_STORAGE: 'disk', YIWANG_FILE_DIR: 'uploads' }, '/srv').files.directory).to.equal('/srv/uploads');
    expect(() => loadConfig({ YIWANG_FILE_STORAGE: 's3' })).to.throw(/YIWANG_FILE_STORAGE 's3' is neither 'database' nor 'disk'/);
  });

  it('believes X-Forwarded-For only when YIWANG_TRUST_PROXY says a proxy sets it', () => {
    expect(loadConfig({}).trustProxy).to.equal(false);
    expect(loadConfig({ YIWANG_TRUST_PROXY: 'true' }).trustProxy).to.equal(true);
    expect(() => loadConfig({ YIWANG_TRUST_PROXY: 'yes' })).to.throw(/YIWANG_TRUST_PROXY 'yes' is neither 'true' nor 'false'/);
  });

  it('reads the public portal\'s limits, and a captcha only when all five of its variables are set', () => {
    expect(loadConfig({}).publicReports).to.deep.equal(DEFAULT_PUBLIC_REPORT_SETTINGS);
    const captcha = {
      YIWANG_CAPTCHA_PROVIDER: 'turnstile', YIWANG_CAPTCHA_SITE_KEY: 'site', YIWANG_CAPTCHA_SCRIPT_URL: 'https://challenges.cloudflare.com/turnstile/v0/api.js',
      YIWANG_CAPTCHA_VERIFY_URL: 'https://challenges.cloudflare.com/turnstile/v0/siteverify', YIWANG_CAPTCHA_SECRET: 'secret',
    };
    const { publicReports } = loadConfig({
      YIWANG_PUBLIC_REPORTS_PER_HOUR: '10', YIWANG_PUBLIC_REPORTS_PER_PHONE_PER_DAY: '5', YIWANG_PUBLIC_LOOKUPS_PER_MINUTE: '30', YIWANG_PUBLIC_PHOTO_MAX_MB: '2',
      YIWANG_PUBLIC_REPORT_ATTEMPTS_PER_HOUR: '40', YIWANG_PUBLIC_IPV6_PREFIX: '56', ...captcha,
    });
    expect(publicReports).to.deep.include({ reportsPerHourPerAddress: 10, reportsPerDayPerPhone: 5, lookupsPerMinutePerAddress: 30, photoMaxBytes: 2 * 1024 * 1024, attemptsPerHourPerAddress: 40, ipv6Prefix: 56 });
    expect(publicReports.captcha).to.deep.equal({
      provider: 'turnstile', siteKey: 'site', scriptUrl: captcha.YIWANG_CAPTCHA_SCRIPT_URL, verifyUrl: captcha.YIWANG_CAPTCHA_VERIFY_URL, secret: 'secret', hostname: null, minScore: null,
    });
    expect(loadConfig({ ...captcha, YIWANG_CAPTCHA_HOSTNAME: 'report.example.gov.cn', YIWANG_CAPTCHA_MIN_SCORE: '0.5' }).publicReports.captcha).to.include({ hostname: 'report.example.gov.cn', minScore: 0.5 });
    expect(() => loadConfig({ ...captcha, YIWANG_CAPTCHA_MIN_SCORE: '2' })).to.throw(/YIWANG_CAPTCHA_MIN_SCORE '2'/);
    expect(() => loadConfig({ YIWANG_PUBLIC_IPV6_PREFIX: '8' })).to.throw(/YIWANG_PUBLIC_IPV6_PREFIX '8' is not a whole number/);
    expect(() => loadConfig({ ...captcha, YIWANG_CAPTCHA_SECRET: '' })).to.throw(/a captcha needs YIWANG_CAPTCHA_SECRET as well/);
    expect(() => loadConfig({ YIWANG_PUBLIC_REPORTS_PER_HOUR: '0' })).to.throw(/YIWANG_PUBLIC_REPORTS_PER_HOUR '0' is not a whole number/);
  });

  it('never shows a password when a URL is logged', () => {
    expect(redactUrl('mysql://app:s3cret@db:3306/yiwang')).to.equal('mysql://app:***@db:3306/yiwang');
    expect(parseDatabaseUrl.bind(null, 'oracle://app:s3cret@db/x')).to.throw(/app:\*\*\*@db/);
  });
});
