import path from 'node:path';

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
}

const DEFAULT_DATABASE_URL = 'sqlite:./data/yiwang.sqlite';
/** the platform serves Chinese cities: `0 0 9 * * ?` means nine o'clock Beijing time, whatever the server's zone */
const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/**
 * Reads the platform's configuration from the environment. Relative SQLite paths resolve against
 * `cwd`, so `DATABASE_URL=sqlite:./x.sqlite npm start` means the folder the user started from.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): PlatformConfig {
  return {
    database: parseDatabaseUrl(env.DATABASE_URL ?? DEFAULT_DATABASE_URL, cwd),
    port: parsePort(env.PORT),
    logLevel: env.LOG_LEVEL ?? 'info',
    timeZone: parseTimeZone(env.TIME_ZONE),
  };
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

/** Hides the password of a connection URL so it can be logged. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
