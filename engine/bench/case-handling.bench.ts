/**
 * The engine benchmark (a script, not a test): the case-handling process
 * start → 立案 → exclusive gateway → 派遣 → 处置 (external task) → 核查 → end, run N times on each
 * database, and in the same run two peers on the same database:
 *   (a) the bpmn-engine npm package, saving getState() after each wait state and recover()+resume()
 *       before each step, its state stored in a row of the same database, one transaction per save;
 *   (b) the raw transaction rate of the database: one INSERT and one UPDATE per transaction, each
 *       its own commit, through the same driver and settings (MariaDB: same pool and concurrency).
 *       On SQLite the engine lets concurrent commands share a commit (group commit); the raw rate
 *       through that same path is printed too, so the comparison can be read both ways.
 *
 *   npm run bench -w @yiwang/engine            BENCH_N=2000 BENCH_DATABASES=sqlite,mariadb
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { DatabaseDialect } from '../src/config/index.js';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase, SQLITE_PRAGMAS, sqliteRunner, type Database } from '../src/persistence/index.js';
import type { SqlRunner } from '../src/persistence/index.js';
import { ProcessEngine } from '../src/services/index.js';
import { freshDatabase } from '../src/testing/databases.js';
import { runBpmnEnginePeer, type StateStore } from './peers/bpmn-engine-peer.js';

const N = Number(process.env.BENCH_N ?? 2000);
const PEER_N = Number(process.env.BENCH_PEER_N ?? N);
const RAW_TRANSACTIONS = Number(process.env.BENCH_RAW_N ?? 5 * N);
const DIALECTS = (process.env.BENCH_DATABASES ?? 'sqlite,mariadb').split(',') as DatabaseDialect[];
/** cases in flight at once; SQLite serialises commands anyway, MariaDB runs them on a pool */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const TRANSITIONS_PER_INSTANCE = 5;
const XML = readFileSync(new URL('./peers/case-handling.bpmn', import.meta.url), 'utf8');

interface Measurement {
  readonly label: string;
  readonly operations: number;
  readonly seconds: number;
  readonly peakRssMb: number;
}

/** Runs `work` while sampling resident memory, so each phase reports its own peak. */
async function measure(label: string, operations: number, work: () => Promise<void>): Promise<Measurement> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  const started = performance.now();
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  return { label, operations, seconds, peakRssMb: Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20) };
}

/** `count` jobs, at most `concurrency` at a time. */
async function inParallel(count: number, concurrency: number, job: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < count; index = next++) await job(index);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}

async function runEngine(engine: ProcessEngine): Promise<void> {
  await engine.repositoryService.deploy({ name: 'bench', resources: [{ name: 'case-handling.bpmn', content: XML }] });
  const { runtimeService, taskService, externalTaskService } = engine;
  const completeTask = async (processInstanceId: string, taskDefinitionKey: string, variables = {}) => {
    const [task] = await taskService.listTasks({ processInstanceId, taskDefinitionKey });
    if (!task) throw new Error(`case ${processInstanceId} has no task '${taskDefinitionKey}'`);
    await taskService.complete(task.id, variables);
  };
  await inParallel(N, CONCURRENCY, async (index) => {
    const instance = await runtimeService.startProcessInstanceByKey('case_handling', { businessKey: `CASE-${index}` });
    await completeTask(instance.id, 'register', { valid: true });
    await completeTask(instance.id, 'dispatch', { department: 'cgj' });
    const worker = `worker-${index % CONCURRENCY}`;
    const topic = { topicName: 'case-handle', lockDuration: 60_000, businessKey: `CASE-${index}` };
    const [locked] = await externalTaskService.fetchAndLock({ workerId: worker, maxTasks: 1, topics: [topic] });
    if (!locked) throw new Error(`case ${instance.id} has no external task to fetch`);
    await externalTaskService.complete(locked.id, worker, { handled: true });
    await completeTask(instance.id, 'verify');
  });
  const completed = await engine.historyService.listProcessInstances({ state: 'COMPLETED', maxResults: N + 1 });
  if (completed.length !== N) throw new Error(`expected ${N} completed cases, found ${completed.length}`);
}

function databaseStateStore(database: Database): StateStore {
  return {
    async save(id, state) {
      await database.transaction(async (sql) => {
        const updated = await sql.execute('UPDATE bench_state SET state = $1 WHERE id = $2', [state, id]);
        if (updated === 0) await sql.execute('INSERT INTO bench_state (id, state) VALUES ($1, $2)', [id, state]);
      });
    },
    async load(id) {
      const [row] = await database.read((sql) => sql.select('SELECT state FROM bench_state WHERE id = $1', [id]));
      if (!row) throw new Error(`no saved state for ${id}`);
      return String(row.state);
    },
  };
}

async function insertAndUpdate(sql: SqlRunner): Promise<void> {
  const id = randomUUID();
  await sql.execute('INSERT INTO bench_raw (id, rev, payload) VALUES ($1, $2, $3)', [id, 1, 'case']);
  await sql.execute('UPDATE bench_raw SET rev = rev + 1 WHERE id = $1', [id]);
}

/** Through the engine's Database: MariaDB's pool, or SQLite's group commit. */
async function runRawTransactions(database: Database): Promise<void> {
  await inParallel(RAW_TRANSACTIONS, CONCURRENCY, () => database.transaction(insertAndUpdate));
}

/** SQLite's own rate: one connection, the engine's driver and pragmas, every transaction its own commit. */
async function runRawSqliteTransactions(file: string): Promise<void> {
  const connection = new BetterSqlite3(file);
  const sql = sqliteRunner(connection);
  for (const pragma of SQLITE_PRAGMAS) await sql.select(`PRAGMA ${pragma}`);
  for (let i = 0; i < RAW_TRANSACTIONS; i += 1) {
    await sql.execute('BEGIN IMMEDIATE');
    await insertAndUpdate(sql);
    await sql.execute('COMMIT');
  }
  connection.close();
}

async function benchmark(dialect: DatabaseDialect): Promise<void> {
  const target = await freshDatabase(dialect);
  try {
    const engine = await ProcessEngine.open({ database: target.config });
    const ours = await measure('yiwang engine', N, () => runEngine(engine));
    await engine.close();

    const database = await openDatabase(target.config);
    const longText = dialect === 'mariadb' ? 'LONGTEXT' : 'TEXT';
    await database.transaction(async (sql) => {
      await sql.execute(`CREATE TABLE bench_state (id VARCHAR(64) PRIMARY KEY, state ${longText})`);
      await sql.execute('CREATE TABLE bench_raw (id VARCHAR(64) PRIMARY KEY, rev INT, payload VARCHAR(255))');
    });
    const peerResult = { seconds: 0 };
    const peer = await measure('bpmn-engine (state in DB)', PEER_N, async () => {
      Object.assign(peerResult, await runBpmnEnginePeer({ xml: XML, n: PEER_N, store: databaseStateStore(database) }));
    });
    const pooled = await measure(
      dialect === 'sqlite' ? 'raw transactions, sharing commits (group commit)' : 'raw transactions (INSERT + UPDATE)',
      RAW_TRANSACTIONS,
      () => runRawTransactions(database),
    );
    await database.close();
    const raw = dialect === 'sqlite'
      ? await measure('raw transactions, each its own commit', RAW_TRANSACTIONS, () => runRawSqliteTransactions(target.config.location))
      : pooled;
    report(dialect, ours, peer, raw, dialect === 'sqlite' ? pooled : null);
  } finally {
    await target.drop();
  }
}

function report(dialect: DatabaseDialect, ours: Measurement, peer: Measurement, raw: Measurement, grouped: Measurement | null): void {
  const rate = (m: Measurement) => m.operations / m.seconds;
  const oursTransitions = rate(ours) * TRANSITIONS_PER_INSTANCE;
  const peerTransitions = rate(peer) * TRANSITIONS_PER_INSTANCE;
  const rows = [
    [ours.label, rate(ours).toFixed(1), oursTransitions.toFixed(0), '', ours.peakRssMb],
    [peer.label, rate(peer).toFixed(1), peerTransitions.toFixed(0), '', peer.peakRssMb],
    [raw.label, '', '', rate(raw).toFixed(0), raw.peakRssMb],
    ...(grouped ? [[grouped.label, '', '', rate(grouped).toFixed(0), grouped.peakRssMb]] : []),
  ];
  console.log(`\n## ${dialect} — N=${N} cases (${CONCURRENCY} in flight), bpmn-engine N=${PEER_N}, raw ${RAW_TRANSACTIONS} transactions\n`);
  console.log('| run | instances/s | wait-state transitions/s | transactions/s | peak RSS MB |');
  console.log('|---|---:|---:|---:|---:|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log(`\nratio to bpmn-engine (instances/s): ${(rate(ours) / rate(peer)).toFixed(1)}×  (target ≥ 10×)`);
  console.log(`engine transitions/s ÷ raw transactions/s: ${((oursTransitions / rate(raw)) * 100).toFixed(0)}%  (target ≥ 50%)`);
  if (grouped) console.log(`engine transitions/s ÷ raw transactions/s sharing commits: ${((oursTransitions / rate(grouped)) * 100).toFixed(0)}%`);
}

for (const dialect of DIALECTS) await benchmark(dialect);
