/**
 * Inbox latency at scale (a script, not a test): `GET /api/tasks` (each tab's first page, with a
 * filter, with a search), `/api/tasks/count`, `/api/tasks/inbox-counts` and 抄送我 `/api/copies`,
 * for a typical user of each role, timed to the full response over one local keep-alive HTTP
 * connection; p50/p95/p99 per case. The peer, measured in the same run on the same data: the
 * Camunda-style listing `/engine-rest/task?assignee=` (first page of 20) for 待办 and the other tabs,
 * `?candidateUser=&candidateGroups=` (the user's groups: the 待认领 rows) for 待认领, and its `/count`
 * for the counts.
 *
 * Data (bench/inbox-seed.ts): 48 users in 3 tenants, 5 process definitions in 4 categories,
 * BENCH_INBOX_OPEN running cases with one open task each (default 100,000) and BENCH_INBOX_ENDED
 * completed ones (default 50,000) — about 1.3 million history rows (hi_process_instance, hi_task,
 * hi_activity_instance, case_action). The database is kept and reused while its size matches.
 *
 *   npm run bench:inbox -w @yiwang/engine                       MariaDB, then SQLite
 *   npm run bench:inbox -w @yiwang/engine -- --reseed            rebuild the data
 *   npm run bench:inbox -w @yiwang/engine -- --explain           also EXPLAIN each inbox query (MariaDB)
 *   BENCH_DATABASES=mariadb BENCH_INBOX_REQUESTS=300 BENCH_INBOX_OPEN=100000 BENCH_INBOX_ENDED=50000
 */
import { rmSync } from 'node:fs';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { Sequelize } from 'sequelize';
import type { DatabaseConfig, DatabaseDialect } from '../src/config/index.js';
import type { Principal } from '../src/identity/index.js';
import { queryScope } from '../src/identity/index.js';
import { DbSession, type Row, type SqlRunner, type SqlValue } from '../src/persistence/index.js';
import { ProcessEngine } from '../src/services/index.js';
import { countInbox, listInbox, type InboxQuery } from '../src/tasks/index.js';
import { TENANT_TREE } from '../src/testing/organisation.js';
import { startPlatformServer, type PlatformClients } from '../src/testing/rest.js';
import { BENCH_ROLES, SEED_MARK, seedInbox, seedMark, userId, type BenchRole, type SeedSize } from './inbox-seed.js';

const SIZE: SeedSize = { open: Number(process.env.BENCH_INBOX_OPEN ?? 100_000), ended: Number(process.env.BENCH_INBOX_ENDED ?? 50_000) };
const REQUESTS = Number(process.env.BENCH_INBOX_REQUESTS ?? 300);
const WARM_UP = Math.min(30, REQUESTS);
const DATABASES = (process.env.BENCH_DATABASES ?? 'mariadb,sqlite').split(',').map((d) => d.trim()) as DatabaseDialect[];
const MARIADB_URL = process.env.BENCH_INBOX_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/yiwang_bench_inbox';
const SQLITE_DIR = path.join(tmpdir(), 'yiwang-bench-inbox');
const RESEED = process.argv.includes('--reseed');
const EXPLAIN = process.argv.includes('--explain');
const TARGET_P95_MS = 50;

interface Case {
  readonly label: string;
  readonly path: string;
  /** the inbox query behind it, for --explain */
  readonly query?: InboxQuery & { count?: boolean };
  /** `/engine-rest`: the peer */
  readonly peer?: boolean;
}

interface Result {
  readonly user: string;
  readonly role: BenchRole;
  readonly label: string;
  readonly rows: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly peer: boolean;
}

function cases(user: string, groups: readonly string[]): Case[] {
  const offered = `candidateUser=${user}&candidateGroups=${groups.map(encodeURIComponent).join(',')}`;
  const tabs = ['todo', 'claimable', 'done', 'started'] as const;
  return [
    ...tabs.map((view) => ({ label: `${view}, first page`, path: `/api/tasks?view=${view}&maxResults=20`, query: { view, maxResults: 20 } })),
    { label: 'todo, category', path: '/api/tasks?view=todo&category=command&maxResults=20', query: { view: 'todo', category: 'command', maxResults: 20 } },
    { label: 'todo, light red', path: '/api/tasks?view=todo&light=red&maxResults=20', query: { view: 'todo', light: 'red', maxResults: 20 } },
    { label: 'claimable, process', path: '/api/tasks?view=claimable&processDefinitionKey=hotline&maxResults=20', query: { view: 'claimable', processDefinitionKey: 'hotline', maxResults: 20 } },
    { label: 'claimable, due before', path: `/api/tasks?view=claimable&dueBefore=${encodeURIComponent(new Date().toISOString())}&maxResults=20`, query: { view: 'claimable', dueBefore: new Date(), maxResults: 20 } },
    { label: 'todo, search', path: '/api/tasks?view=todo&search=2026&maxResults=20', query: { view: 'todo', search: '2026', maxResults: 20 } },
    { label: 'claimable, search (name)', path: `/api/tasks?view=claimable&search=${encodeURIComponent('派遣')}&maxResults=20`, query: { view: 'claimable', search: '派遣', maxResults: 20 } },
    { label: 'claimable, search (case no.)', path: '/api/tasks?view=claimable&search=00123&maxResults=20', query: { view: 'claimable', search: '00123', maxResults: 20 } },
    { label: 'claimable, search (no match)', path: '/api/tasks?view=claimable&search=ZZZ&maxResults=20', query: { view: 'claimable', search: 'ZZZ', maxResults: 20 } },
    { label: 'done, search', path: '/api/tasks?view=done&search=SJ&maxResults=20', query: { view: 'done', search: 'SJ', maxResults: 20 } },
    { label: 'started, search', path: '/api/tasks?view=started&search=RX&maxResults=20', query: { view: 'started', search: 'RX', maxResults: 20 } },
    { label: 'todo, page 5', path: '/api/tasks?view=todo&firstResult=80&maxResults=20', query: { view: 'todo', firstResult: 80, maxResults: 20 } },
    { label: 'count todo', path: '/api/tasks/count?view=todo', query: { view: 'todo', count: true } },
    { label: 'count claimable', path: '/api/tasks/count?view=claimable', query: { view: 'claimable', count: true } },
    { label: 'inbox-counts (4 tabs)', path: '/api/tasks/inbox-counts' },
    { label: '抄送我 /api/copies', path: '/api/copies?maxResults=20' },
    { label: 'peer: engine-rest assignee', path: `/engine-rest/task?assignee=${user}&firstResult=0&maxResults=20`, peer: true },
    { label: 'peer: engine-rest candidate', path: `/engine-rest/task?${offered}&firstResult=0&maxResults=20`, peer: true },
    { label: 'peer: engine-rest candidate count', path: `/engine-rest/task/count?${offered}`, peer: true },
  ];
}

/** Timed GETs on one keep-alive connection. */
class Timer {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(private readonly origin: URL) {}

  get(pathname: string, authorization: string): Promise<{ ms: number; status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const started = process.hrtime.bigint();
      const request = http.get({ host: this.origin.hostname, port: this.origin.port, path: pathname, agent: this.agent, headers: { authorization } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      });
      request.on('error', reject);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;

function rowsOf(body: string): number {
  const parsed = JSON.parse(body) as unknown;
  if (Array.isArray(parsed)) return parsed.length;
  if (typeof parsed === 'object' && parsed !== null && 'count' in parsed) return Number((parsed as { count: number }).count);
  return Object.values(parsed as Record<string, number>).reduce((sum, n) => sum + Number(n), 0);
}

async function measure(timer: Timer, authorization: string, user: string, role: BenchRole, benchCase: Case): Promise<Result> {
  let rows = 0;
  for (let i = 0; i < WARM_UP; i++) {
    const { status, body } = await timer.get(benchCase.path, authorization);
    if (status !== 200) throw new Error(`${benchCase.path} as ${user} answered ${status}: ${body}`);
    rows = rowsOf(body);
  }
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) times.push((await timer.get(benchCase.path, authorization)).ms);
  times.sort((a, b) => a - b);
  return { user, role, label: benchCase.label, rows, p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), peer: benchCase.peer ?? false };
}

async function openSeeded(dialect: DatabaseDialect): Promise<ProcessEngine> {
  const config: DatabaseConfig = dialect === 'sqlite' ? { dialect, location: path.join(SQLITE_DIR, 'engine.sqlite') } : { dialect, location: MARIADB_URL };
  const drop = async () => {
    if (dialect === 'sqlite') {
      rmSync(SQLITE_DIR, { recursive: true, force: true });
      return;
    }
    const url = new URL(MARIADB_URL);
    const name = url.pathname.slice(1);
    url.pathname = '/';
    const admin = new Sequelize(url.toString(), { dialect: 'mysql', logging: false });
    // the name comes from configuration, not from a request
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.close();
  };
  if (RESEED) await drop();
  if (dialect === 'sqlite') (await import('node:fs')).mkdirSync(SQLITE_DIR, { recursive: true });
  let engine = await ProcessEngine.open({ database: config });
  const [mark] = await engine.database.read((sql) => sql.select('SELECT value FROM engine_property WHERE name = $1', [SEED_MARK]));
  if (mark?.value === seedMark(SIZE)) return engine;
  if (mark || (await engine.database.read((sql) => sql.select('SELECT COUNT(*) AS n FROM task')))[0]?.n !== 0) {
    // another size, or a seed that did not finish: start again
    await engine.close();
    await drop();
    if (dialect === 'sqlite') (await import('node:fs')).mkdirSync(SQLITE_DIR, { recursive: true });
    engine = await ProcessEngine.open({ database: config });
  }
  const started = Date.now();
  let last = 0;
  await seedInbox(engine, SIZE, (done) => {
    if (done - last >= 10_000) {
      last = done;
      process.stdout.write(`\r  seeding ${dialect}: ${done} of ${SIZE.open + SIZE.ended} cases, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  });
  if (dialect === 'mariadb') await engine.database.read((sql) => sql.select('ANALYZE TABLE task, task_candidate, hi_task, hi_process_instance, hi_activity_instance, case_action, task_copy, execution'));
  else await engine.database.read((sql) => sql.select('ANALYZE'));
  console.log(`\n  seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return engine;
}

async function tableSizes(engine: ProcessEngine): Promise<string> {
  const tables = ['task', 'task_candidate', 'execution', 'hi_process_instance', 'hi_task', 'hi_activity_instance', 'case_action', 'task_copy'];
  const counts = await engine.database.read(async (sql) => Promise.all(tables.map(async (table) => [table, Number((await sql.select(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.n)] as const)));
  const history = counts.filter(([table]) => table.startsWith('hi_') || table === 'case_action').reduce((sum, [, n]) => sum + n, 0);
  return `${counts.map(([table, n]) => `${table} ${n.toLocaleString('en')}`).join(', ')}; history rows ${history.toLocaleString('en')}`;
}

/** The statements an inbox query sends, recorded without running them, then EXPLAINed on the database. */
async function explain(engine: ProcessEngine, principal: Principal, query: InboxQuery & { count?: boolean }): Promise<string[]> {
  const recorded: { sql: string; bind: readonly SqlValue[] }[] = [];
  const recorder = {
    select: async (sql: string, bind: readonly SqlValue[] = []): Promise<Row[]> => {
      recorded.push({ sql, bind });
      return sql.startsWith('SELECT COUNT') ? [{ n: 0 }] : [];
    },
  } as unknown as SqlRunner;
  const session = new DbSession(recorder, queryScope(principal));
  if (query.count) await countInbox(session, principal, query, new Date());
  else await listInbox(session, principal, query, new Date());
  const lines: string[] = [];
  for (const { sql, bind } of recorded) {
    const plan = await engine.database.read((runner) => runner.select(`EXPLAIN ${sql}`, [...bind]));
    lines.push(`    ${sql.replace(/\s+/g, ' ').replace(/^SELECT (?!COUNT).*? FROM /, 'SELECT … FROM ').slice(0, 1500)}`);
    for (const row of plan) lines.push(`      ${row.select_type} ${row.table} type=${row.type} key=${row.key} rows=${row.rows} ${row.Extra ?? ''}`);
  }
  return lines;
}

async function run(dialect: DatabaseDialect): Promise<Result[]> {
  console.log(`\n## ${dialect}`);
  const engine = await openSeeded(dialect);
  let clients: PlatformClients | null = null;
  try {
    console.log(`  ${await tableSizes(engine)}`);
    clients = await startPlatformServer(engine);
    const origin = new URL(clients.api.baseUrl);
    const timer = new Timer(origin);
    const results: Result[] = [];
    for (const { code: role } of BENCH_ROLES) {
      const user = userId(TENANT_TREE.countyA, role, 1);
      const authorization = await clients.api.signIn(user);
      const principal = (await clients.api.principals.load(user)) as Principal;
      for (const benchCase of cases(user, principal.candidateGroupIds)) {
        if (EXPLAIN && dialect === 'mariadb' && benchCase.query) {
          console.log(`  EXPLAIN ${user} ${benchCase.label}`);
          console.log((await explain(engine, principal, benchCase.query)).join('\n'));
        }
        const result = await measure(timer, authorization, user, role, benchCase);
        results.push(result);
        process.stdout.write(`\r  ${user} ${benchCase.label}: p95 ${result.p95.toFixed(1)} ms                    `);
      }
    }
    timer.close();
    process.stdout.write('\n');
    return results;
  } finally {
    await clients?.close();
    await engine.close();
  }
}

function report(dialect: DatabaseDialect, results: readonly Result[]): void {
  const scope = (role: BenchRole) => BENCH_ROLES.find((r) => r.code === role)?.dataScope;
  console.log(`\n### ${dialect}: ${REQUESTS} requests per case after ${WARM_UP} warm-up, one keep-alive connection, ms to the full response; load average ${loadavg()[0].toFixed(1)}\n`);
  console.log('| user (data scope) | case | rows | p50 | p95 | p99 | p95 ÷ peer p95 |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const result of results) {
    const peers = results.filter((r) => r.user === result.user && r.peer);
    const peer = result.label.startsWith('claimable') ? peers[1] : result.label.startsWith('count') || result.label.startsWith('inbox-counts') ? peers[2] : peers[0];
    const ratio = result.peer || !peer ? '' : `${(result.p95 / peer.p95).toFixed(2)}×`;
    console.log(`| ${result.role} (${scope(result.role)}) | ${result.label} | ${result.rows} | ${result.p50.toFixed(1)} | ${result.p95.toFixed(1)} | ${result.p99.toFixed(1)} | ${ratio} |`);
  }
  const inbox = results.filter((r) => !r.peer);
  const worst = inbox.reduce((a, b) => (b.p95 > a.p95 ? b : a));
  console.log(`\nworst inbox p95: ${worst.p95.toFixed(1)} ms (${worst.role}, ${worst.label}); target p95 < ${TARGET_P95_MS} ms: ${worst.p95 < TARGET_P95_MS ? 'met' : 'NOT met'}`);
}

async function main(): Promise<void> {
  console.log(`inbox benchmark: ${SIZE.open.toLocaleString('en')} open tasks, ${SIZE.ended.toLocaleString('en')} completed cases, Node ${process.version}`);
  for (const dialect of DATABASES) report(dialect, await run(dialect));
}

await main();
