/**
 * `npm run seed:demo` on both databases: 30 cases over 10 days with a fixed seed and a fixed end
 * — the Liuzhou seeds and the command-coordination plugin installed first, every case driven by
 * commands (timeline entries and audit rows for each), history spread over the window, outcomes
 * as the seed draws them; a second run with the same seed adds 30 more with the same counts;
 * citizens rate closed public reports through the rating command after closure.
 */
import { expect } from 'chai';
import type { SqlValue } from '../../persistence/index.js';
import { ProcessEngine } from '../../services/index.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { SettableClock } from './clock.js';
import { generateDemoHistory, readDistributions, type DemoSummary } from './generator.js';
import { prepareTenant } from './prepare.js';
import { formatSummary, parseDemoArguments } from './cli.js';

const DAY = 86_400_000;
const END = new Date('2026-10-30T18:00:00+08:00');
const OPTIONS = { cases: 30, days: 10, tenantId: '450200', seed: 20261030, end: END } as const;
const ENV = { YIWANG_DEMO_PASSWORD: 'Demo-Passw0rd-1' };

/** what a run's outcome is, without its ids and timings */
const outcome = (summary: DemoSummary) => {
  const { processInstanceIds, elapsedMs, jobsRun, ...counts } = summary;
  void processInstanceIds; void elapsedMs; void jobsRun;
  return counts;
};

describe('seed:demo - options', () => {
  it('reads --cases, --days, --tenant, --seed and --end, and refuses what it does not know', () => {
    expect(parseDemoArguments(['--cases', '10000', '--days=90', '--tenant', '450222', '--seed', '7'])).to.deep.include({ cases: 10000, days: 90, tenantId: '450222', seed: 7, end: undefined });
    expect(() => parseDemoArguments(['--cases', '0'])).to.throw('--cases must be a whole number');
    expect(() => parseDemoArguments(['--case', '5'])).to.throw('unknown option --case');
    expect(() => parseDemoArguments(['--end', 'tomorrow'])).to.throw('--end must be a date');
  });
});

describeOnDatabases('seed:demo - demo history through the engine\'s commands', (fixture) => {
  const clock = new SettableClock();
  let engine: ProcessEngine;
  let first: DemoSummary;

  before(async function () {
    this.timeout(300_000);
    // an engine of its own on the suite's database, on the clock the generator moves
    engine = await ProcessEngine.open({ database: fixture().databaseConfig, clock });
    const prepared = await prepareTenant(engine, OPTIONS.tenantId, () => undefined, undefined, ENV);
    expect(prepared.seededUsers).to.be.greaterThan(0);
    first = await generateDemoHistory(engine, clock, OPTIONS);
  });

  after(async () => {
    await engine?.close();
  });

  const rows = (query: string, bind: SqlValue[] = []) => engine.database.read((sql) => sql.select(query, bind));
  const marks = (ids: readonly string[]) => ids.map((_, i) => `$${i + 1}`).join(', ');

  it('starts 30 cases without a failure, their outcomes as the seed draws them', () => {
    expect(first.failures).to.deep.equal([]);
    expect(first.started).to.equal(30);
    expect(first.closed + first.voided + first.open).to.equal(30);
    expect(first.byState.COMPLETED ?? 0).to.equal(first.closed);
    expect(first.byState.EXTERNALLY_TERMINATED ?? 0).to.equal(first.voided);
    expect(first.byState.ACTIVE ?? 0).to.equal(first.open);
    // the fixed seed's draws, the same on both databases (处置's limit is the category's for the tier since
    // eea9898: mostly hours, so more cases close within the window than under the tier's working days)
    expect({ closed: first.closed, voided: first.voided, open: first.open, reworked: first.reworked, verified: first.verified, extensions: first.extensionsApproved })
      .to.deep.equal({ closed: 27, voided: 1, open: 2, reworked: 1, verified: 4, extensions: 1 });
    expect(first.bySource).to.deep.equal({ supervisor: 22, public: 3, '12345': 2, video: 2, upper: 1 });
    expect(formatSummary(first)).to.contain('30 cases in').and.contain('closed 27, voided 1, open 2');
    // of the 3 public reports' citizens, one rates (distributions.json: 60 % rate, 70/20/10)
    expect({ ...first.ratings, withComment: first.ratedWithComment }).to.deep.equal({ satisfied: 0, 'basically-satisfied': 0, dissatisfied: 1, withComment: 0 });
    expect(formatSummary(first)).to.contain('0 满意, 0 基本满意, 1 不满意 (0 with a comment)');
  });

  it('spreads the cases over the window: start times from the first days to the last, by the engine\'s clock', async () => {
    const ids = first.processInstanceIds;
    const starts = (await rows(`SELECT start_time FROM hi_process_instance WHERE id IN (${marks(ids)})`, [...ids])).map((row) => new Date(row.start_time as string).getTime());
    expect(Math.min(...starts)).to.be.at.least(END.getTime() - 10 * DAY);
    expect(Math.max(...starts)).to.be.at.most(END.getTime());
    expect(Math.max(...starts) - Math.min(...starts)).to.be.greaterThan(6 * DAY);
    expect(clock.now().getTime()).to.equal(END.getTime());
  });

  it('drives every case through commands: each has its timeline (start … close) and audit rows by the demo staff', async () => {
    const ids = first.processInstanceIds;
    const actions = await rows(`SELECT process_instance_id, operation, user_id FROM case_action WHERE process_instance_id IN (${marks(ids)})`, [...ids]);
    const perCase = new Map<string, string[]>();
    for (const row of actions) perCase.set(String(row.process_instance_id), [...(perCase.get(String(row.process_instance_id)) ?? []), String(row.operation)]);
    expect(perCase.size).to.equal(30);
    const claims = actions.filter((row) => row.operation === 'claim');
    expect(claims.length).to.be.greaterThan(30);
    expect(new Set(claims.map((row) => String(row.user_id)).filter((user) => user.startsWith('lz.'))).size).to.be.at.least(4);
    expect(actions.filter((row) => row.operation === 'void').length).to.equal(first.voided);
    // the staff's commands are audited (case.<operation>, form submissions) under their own user ids
    const audited = await rows("SELECT COUNT(*) AS n FROM audit_log WHERE user_id LIKE 'lz.%' AND action LIKE 'case.%'");
    expect(Number(audited[0]!.n)).to.be.at.least(claims.length);
  });

  it('runs the deadline jobs as the clock moves: overdue cases past their limits', () => {
    expect(first.overdueCases).to.be.at.least(1);
    expect(first.jobsRun).to.be.at.least(1);
  });

  it('adds 30 more cases when run again with the same seed, with the same outcome counts', async function () {
    this.timeout(300_000);
    const again = await generateDemoHistory(engine, clock, OPTIONS);
    expect(outcome(again)).to.deep.equal(outcome(first));
    const [all] = await rows('SELECT COUNT(*) AS n FROM hi_process_instance WHERE process_definition_key = $1', ['cc_case']);
    expect(Number(all!.n)).to.equal(60);
  });

  /** the ratings on the reports of these cases: as the summary counts them, each after its case closed, on its timeline without a user */
  async function checkRatings(summary: DemoSummary): Promise<void> {
    const ids = summary.processInstanceIds;
    const rated = await rows(
      `SELECT r.rating_score, r.rating_comment, r.rated_at, h.end_time FROM public_report r JOIN hi_process_instance h ON h.id = r.process_instance_id
       WHERE r.process_instance_id IN (${marks(ids)}) AND r.rated_at IS NOT NULL`, [...ids],
    );
    const byScore = { satisfied: 0, 'basically-satisfied': 0, dissatisfied: 0 } as Record<string, number>;
    for (const row of rated) {
      byScore[String(row.rating_score)]! += 1;
      expect(new Date(row.rated_at as string).getTime()).to.be.greaterThan(new Date(row.end_time as string).getTime()).and.at.most(END.getTime());
    }
    expect(byScore).to.deep.equal(summary.ratings);
    expect(rated.filter((row) => row.rating_comment !== null).length).to.equal(summary.ratedWithComment);
    const entries = await rows(`SELECT user_id FROM case_action WHERE operation = 'rate' AND process_instance_id IN (${marks(ids)})`, [...ids]);
    expect(entries.map((row) => row.user_id)).to.deep.equal(rated.map(() => null));
  }

  it('writes the ratings it counts: on the public reports, after closure, on the timelines', async () => {
    await checkRatings(first);
  });

  it('rates as distributions.json says: every citizen of a closed report when the share is 1, by the scores\' weights', async function () {
    this.timeout(300_000);
    // given: only public reports, every citizen rating, half with a comment
    const defaults = readDistributions();
    const distributions = {
      ...defaults, sources: { public: 1 }, rating: { share: 1, scores: { satisfied: 70, 'basically-satisfied': 20, dissatisfied: 10 }, commentShare: 0.5 },
    };
    // when
    const run = await generateDemoHistory(engine, clock, { ...OPTIONS, cases: 20, distributions });
    // then: the fixed seed's draws; closed reports whose rating would come after the window's end stay unrated
    expect(run.failures).to.deep.equal([]);
    expect(run.bySource).to.deep.equal({ public: 20 });
    expect({ closed: run.closed, ...run.ratings, withComment: run.ratedWithComment }).to.deep.equal({ closed: 17, satisfied: 9, 'basically-satisfied': 3, dissatisfied: 0, withComment: 8 });
    await checkRatings(run);
  });
});
