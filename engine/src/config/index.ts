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
}

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
