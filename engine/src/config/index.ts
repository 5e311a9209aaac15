import path from 'node:path';
import { DEFAULT_AUTHENTICATION_SETTINGS, type AuthenticationSettings } from '../identity/authentication/settings.js';

export type DatabaseDialect = 'sqlite' | 'mariadb';

export interface DatabaseConfig {
  readonly dialect: DatabaseDialect;
  /** sqlite: absolute file path; mariadb: the connection URL */
  readonly location: string;
}

export interface PlatformConfig {
  readonly database: DatabaseConfig;
  readonly port: number;
  readonly logLevel: string;
  /** IANA zone in which timers' local dates and cron expressions are read */
  readonly timeZone: string;
  /** token lifetimes, lockout and password policy */
  readonly authentication: AuthenticationSettings;
  /** where uploaded files' content is kept */
  readonly files: FileStorageConfig;
  /**
   * Whether a reverse proxy in front sets `X-Forwarded-For`/`-Proto`: only then are they believed
   * (the audit log's address would otherwise be whatever a client claims). `YIWANG_TRUST_PROXY=true`.
   */
  readonly trustProxy: boolean;
  /** the public reporting portal's limits and its captcha (public-reports/) */
  readonly publicReports: PublicReportSettings;
}

/**
 * Limits of the public reporting portal, counted in the database so that every engine process
 * behind a load balancer counts the same reports and lookups.
 */
export interface PublicReportSettings {
  /** reports one client address may submit in an hour: `YIWANG_PUBLIC_REPORTS_PER_HOUR` */
  readonly reportsPerHourPerAddress: number;
  /** reports naming one phone number in a day: `YIWANG_PUBLIC_REPORTS_PER_PHONE_PER_DAY` */
  readonly reportsPerDayPerPhone: number;
  /** report attempts one client address may make in an hour, refused ones too: `YIWANG_PUBLIC_REPORT_ATTEMPTS_PER_HOUR` */
  readonly attemptsPerHourPerAddress: number;
  /** status lookups and ratings one client address may make in a minute: `YIWANG_PUBLIC_LOOKUPS_PER_MINUTE` */
  readonly lookupsPerMinutePerAddress: number;
  /** IPv6 clients are counted by this prefix of their address (one household or host has a /64): `YIWANG_PUBLIC_IPV6_PREFIX` */
  readonly ipv6Prefix: number;
  /** photos per report: `YIWANG_PUBLIC_PHOTOS_PER_REPORT` */
  readonly photoMaxCount: number;
  /** bytes per photo (a tenant's smaller upload limit wins): `YIWANG_PUBLIC_PHOTO_MAX_MB` */
  readonly photoMaxBytes: number;
  /** null: no captcha is asked for */
  readonly captcha: CaptchaSettings | null;
}

/** A captcha speaking the siteverify protocol (reCAPTCHA, hCaptcha, Turnstile). */
export interface CaptchaSettings {
  /** handed to the page: `YIWANG_CAPTCHA_PROVIDER`, e.g. turnstile */
  readonly provider: string;
  /** handed to the page: `YIWANG_CAPTCHA_SITE_KEY` */
  readonly siteKey: string;
  /** the provider's script the page loads: `YIWANG_CAPTCHA_SCRIPT_URL` */
  readonly scriptUrl: string;
  /** where tokens are verified: `YIWANG_CAPTCHA_VERIFY_URL` */
  readonly verifyUrl: string;
  /** sent to the provider only, never logged: `YIWANG_CAPTCHA_SECRET` */
  readonly secret: string;
  /** when set, the provider's answer must name this site: `YIWANG_CAPTCHA_HOSTNAME` (optional) */
  readonly hostname?: string | null;
  /** when set, a score-based provider's `score` must reach it: `YIWANG_CAPTCHA_MIN_SCORE` (optional, 0…1) */
  readonly minScore?: number | null;
}

export const DEFAULT_PUBLIC_REPORT_SETTINGS: PublicReportSettings = {
  reportsPerHourPerAddress: 5,
  reportsPerDayPerPhone: 3,
  attemptsPerHourPerAddress: 20,
  lookupsPerMinutePerAddress: 60,
  ipv6Prefix: 64,
  photoMaxCount: 6,
  photoMaxBytes: 10 * 1024 * 1024,
  captcha: null,
};

export interface FileStorageConfig {
  /**
   * Where new uploads go: `database` (the default) works for several engine processes on one
   * MariaDB database; `disk` needs a directory every process shares.
   */
  readonly storage: 'database' | 'disk';
  /** the directory of files on disk; files are read from where their row says, so it matters after switching to the database too */
  readonly directory: string;
}

const DEFAULT_DATABASE_URL = 'sqlite:./data/yiwang.sqlite';
/** the platform serves Chinese cities: `0 0 9 * * ?` means nine o'clock Beijing time, whatever the server's zone */
const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Reads the platform's configuration from the environment. Relative SQLite paths resolve against
 * `cwd`, so `DATABASE_URL=sqlite:./x.sqlite npm start` means the folder the user started from.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): PlatformConfig {
  const database = parseDatabaseUrl(env.DATABASE_URL ?? DEFAULT_DATABASE_URL, cwd);
  return {
    database,
    port: parsePort(env.PORT),
    logLevel: env.LOG_LEVEL ?? 'info',
    timeZone: parseTimeZone(env.TIME_ZONE),
    authentication: parseAuthenticationSettings(env),
    files: parseFileStorage(env, database, cwd),
    trustProxy: parseSwitch(env.YIWANG_TRUST_PROXY, 'YIWANG_TRUST_PROXY'),
    publicReports: parsePublicReportSettings(env),
  };
}

function parseSwitch(value: string | undefined, name: string): boolean {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new Error(`${name} '${value}' is neither 'true' nor 'false'`);
}

export function parseDatabaseUrl(url: string, cwd = process.cwd()): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!file) throw new Error(`DATABASE_URL '${url}' names no SQLite file: use sqlite:./data/yiwang.sqlite`);
    return { dialect: 'sqlite', location: path.resolve(cwd, file) };
  }
  if (url.startsWith('mysql://') || url.startsWith('mariadb://')) {
    return { dialect: 'mariadb', location: url.replace(/^mariadb:/, 'mysql:') };
  }
  throw new Error(`DATABASE_URL '${redactUrl(url)}' is not supported: use sqlite:<file> or mysql://user:pass@host:port/db`);
}

/**
 * `YIWANG_FILE_STORAGE=database|disk`; files on disk go under `YIWANG_FILE_DIR` (relative to
 * `cwd`), by default `files/` beside the SQLite file, or `./data/files` with MariaDB.
 */
function parseFileStorage(env: NodeJS.ProcessEnv, database: DatabaseConfig, cwd: string): FileStorageConfig {
  const storage = env.YIWANG_FILE_STORAGE || 'database';
  if (storage !== 'database' && storage !== 'disk') throw new Error(`YIWANG_FILE_STORAGE '${storage}' is neither 'database' nor 'disk'`);
  const directory = env.YIWANG_FILE_DIR
    ? path.resolve(cwd, env.YIWANG_FILE_DIR)
    : database.dialect === 'sqlite'
      ? path.join(path.dirname(database.location), 'files')
      : path.resolve(cwd, 'data', 'files');
  return { storage, directory };
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT '${value}' is not a TCP port number`);
  return port;
}

function parseTimeZone(value: string | undefined): string {
  if (value === undefined || value === '') return DEFAULT_TIME_ZONE;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
  } catch {
    throw new Error(`TIME_ZONE '${value}' is not an IANA time zone such as Asia/Shanghai`);
  }
  return value;
}

/**
 * Sign-in settings: each variable left unset keeps the default 等级保护 accepts. The ranges keep
 * a typo from disabling a protection (a lockout after 0 attempts, a password of 1 character).
 */
function parseAuthenticationSettings(env: NodeJS.ProcessEnv): AuthenticationSettings {
  const defaults = DEFAULT_AUTHENTICATION_SETTINGS;
  const policy = defaults.passwordPolicy;
  return {
    accessTokenTtlMs: wholeNumber(env, 'YIWANG_ACCESS_TOKEN_MINUTES', { min: 1, max: 1440, unit: MINUTE_MS }, defaults.accessTokenTtlMs),
    refreshTokenTtlMs: wholeNumber(env, 'YIWANG_REFRESH_TOKEN_DAYS', { min: 1, max: 365, unit: DAY_MS }, defaults.refreshTokenTtlMs),
    maxFailedLogins: wholeNumber(env, 'YIWANG_LOCKOUT_ATTEMPTS', { min: 1, max: 100 }, defaults.maxFailedLogins),
    lockoutMs: wholeNumber(env, 'YIWANG_LOCKOUT_MINUTES', { min: 1, max: 1440, unit: MINUTE_MS }, defaults.lockoutMs),
    passwordPolicy: {
      minLength: wholeNumber(env, 'YIWANG_PASSWORD_MIN_LENGTH', { min: 8, max: 128 }, policy.minLength),
      minClasses: wholeNumber(env, 'YIWANG_PASSWORD_MIN_CLASSES', { min: 1, max: 4 }, policy.minClasses),
      maxAgeDays:
        env.YIWANG_PASSWORD_MAX_AGE_DAYS === 'never' ? null : wholeNumber(env, 'YIWANG_PASSWORD_MAX_AGE_DAYS', { min: 1, max: 3650, otherwise: 'never' }, policy.maxAgeDays),
    },
  };
}

/** The portal's limits, each variable left unset keeping its default; a captcha needs all five of its variables or none (its hostname and minimum score are optional). */
function parsePublicReportSettings(env: NodeJS.ProcessEnv): PublicReportSettings {
  const defaults = DEFAULT_PUBLIC_REPORT_SETTINGS;
  return {
    reportsPerHourPerAddress: wholeNumber(env, 'YIWANG_PUBLIC_REPORTS_PER_HOUR', { min: 1, max: 100_000 }, defaults.reportsPerHourPerAddress),
    reportsPerDayPerPhone: wholeNumber(env, 'YIWANG_PUBLIC_REPORTS_PER_PHONE_PER_DAY', { min: 1, max: 100_000 }, defaults.reportsPerDayPerPhone),
    attemptsPerHourPerAddress: wholeNumber(env, 'YIWANG_PUBLIC_REPORT_ATTEMPTS_PER_HOUR', { min: 1, max: 100_000 }, defaults.attemptsPerHourPerAddress),
    lookupsPerMinutePerAddress: wholeNumber(env, 'YIWANG_PUBLIC_LOOKUPS_PER_MINUTE', { min: 1, max: 100_000 }, defaults.lookupsPerMinutePerAddress),
    ipv6Prefix: wholeNumber(env, 'YIWANG_PUBLIC_IPV6_PREFIX', { min: 16, max: 128 }, defaults.ipv6Prefix),
    photoMaxCount: wholeNumber(env, 'YIWANG_PUBLIC_PHOTOS_PER_REPORT', { min: 0, max: 10 }, defaults.photoMaxCount),
    photoMaxBytes: wholeNumber(env, 'YIWANG_PUBLIC_PHOTO_MAX_MB', { min: 1, max: 50, unit: 1024 * 1024 }, defaults.photoMaxBytes),
    captcha: parseCaptcha(env),
  };
}

const CAPTCHA_VARIABLES = {
  provider: 'YIWANG_CAPTCHA_PROVIDER',
  siteKey: 'YIWANG_CAPTCHA_SITE_KEY',
  scriptUrl: 'YIWANG_CAPTCHA_SCRIPT_URL',
  verifyUrl: 'YIWANG_CAPTCHA_VERIFY_URL',
  secret: 'YIWANG_CAPTCHA_SECRET',
} as const satisfies Record<Exclude<keyof CaptchaSettings, 'hostname' | 'minScore'>, string>;

function parseCaptcha(env: NodeJS.ProcessEnv): CaptchaSettings | null {
  const entries = Object.entries(CAPTCHA_VARIABLES).map(([key, name]) => [key, env[name] ?? ''] as const);
  const missing = entries.filter(([, value]) => value === '').map(([key]) => CAPTCHA_VARIABLES[key as keyof typeof CAPTCHA_VARIABLES]);
  if (missing.length === entries.length) return null;
  if (missing.length > 0) throw new Error(`a captcha needs ${missing.join(', ')} as well (set all of ${Object.values(CAPTCHA_VARIABLES).join(', ')}, or none)`);
  const captcha = Object.fromEntries(entries) as unknown as CaptchaSettings;
  for (const key of ['scriptUrl', 'verifyUrl'] as const) {
    if (!/^https?:\/\//.test(captcha[key])) throw new Error(`${CAPTCHA_VARIABLES[key]} '${captcha[key]}' is not an http(s) URL`);
  }
  const minScore = env.YIWANG_CAPTCHA_MIN_SCORE ? Number(env.YIWANG_CAPTCHA_MIN_SCORE) : null;
  if (minScore !== null && !(minScore >= 0 && minScore <= 1)) throw new Error(`YIWANG_CAPTCHA_MIN_SCORE '${env.YIWANG_CAPTCHA_MIN_SCORE}' is not a number from 0 to 1`);
  return { ...captcha, hostname: env.YIWANG_CAPTCHA_HOSTNAME || null, minScore };
}

interface Range {
  readonly min: number;
  readonly max: number;
  /** what one counts, in the setting's own unit (milliseconds) */
  readonly unit?: number;
  /** the word the variable may hold instead of a number */
  readonly otherwise?: string;
}

/** The variable as a whole number in its range, times its unit; `fallback` when it is unset or empty. */
function wholeNumber<F extends number | null>(env: NodeJS.ProcessEnv, name: string, range: Range, fallback: F): number | F {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const number = /^[0-9]+$/.test(value) ? Number(value) : NaN;
  if (!(number >= range.min && number <= range.max)) {
    throw new Error(`${name} '${value}' is not a whole number from ${range.min} to ${range.max}${range.otherwise ? ` or '${range.otherwise}'` : ''}`);
  }
  return number * (range.unit ?? 1);
}

/** Hides the password of a connection URL so it can be logged. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
