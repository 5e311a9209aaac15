/**
 * The options and the summary of `npm run seed:demo` (the script is `run.ts`):
 * `npm run seed:demo -- --cases 10000 --days 90 [--tenant 450200] [--seed 42] [--end 2026-06-30T18:00:00+08:00]`
 *
 * Generates demo history in the database `DATABASE_URL` names (as `npm start` reads it) through
 * the engine's commands, on an engine whose clock the generator moves. Run it while no server is
 * running on a SQLite file (one engine process per SQLite database); on MariaDB a running server
 * is fine, though its job executor may then fire the generated cases' timers at real time.
 */
import type { DemoSummary } from './generator.js';

export interface DemoArguments {
  readonly cases: number;
  readonly days: number;
  readonly tenantId: string;
  readonly seed: number;
  readonly end: Date | undefined;
}

export function parseDemoArguments(argv: readonly string[]): DemoArguments {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const name = argv[i]!;
    if (!name.startsWith('--')) throw new Error(`unexpected argument '${name}'`);
    const [key, inline] = name.slice(2).split('=', 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${key} needs a value`);
    values.set(key, value);
  }
  for (const key of values.keys()) if (!['cases', 'days', 'tenant', 'seed', 'end'].includes(key)) throw new Error(`unknown option --${key} (options: --cases, --days, --tenant, --seed, --end)`);
  const whole = (key: string, fallback: number, min: number) => {
    const text = values.get(key);
    if (text === undefined) return fallback;
    if (!/^\d+$/.test(text) || Number(text) < min) throw new Error(`--${key} must be a whole number ≥ ${min}, got '${text}'`);
    return Number(text);
  };
  const end = values.get('end');
  if (end !== undefined && Number.isNaN(Date.parse(end))) throw new Error(`--end must be a date and time (ISO 8601), got '${end}'`);
  return {
    cases: whole('cases', 1000, 1),
    days: whole('days', 90, 1),
    tenantId: values.get('tenant') ?? '450200',
    seed: whole('seed', Math.floor(Math.random() * 2 ** 31), 0),
    end: end === undefined ? undefined : new Date(end),
  };
}

export function formatSummary(summary: DemoSummary): string {
  const states = Object.entries(summary.byState).sort().map(([state, n]) => `${state} ${n}`).join(', ');
  const sources = Object.entries(summary.bySource).sort((a, b) => b[1] - a[1]).map(([source, n]) => `${source} ${n}`).join(', ');
  const seconds = summary.elapsedMs / 1000;
  return [
    `生成完毕 (done): ${summary.started} cases in ${seconds.toFixed(1)} s (${(summary.started / seconds).toFixed(1)} cases/s)`,
    `  by state:    ${states}`,
    `  outcome:     closed ${summary.closed}, voided ${summary.voided}, open ${summary.open} (parked now ${summary.parkedNow})`,
    `  rework:      ${summary.reworked} cases reworked (${summary.reworks} check failures), ${summary.returned} returned to dispatch, ${summary.verified} verified before acceptance`,
    `  extensions:  ${summary.extensionsRequested} requested, ${summary.extensionsApproved} approved; parked ${summary.parked} times`,
    `  overdue:     ${summary.overdueCases} cases with ${summary.overdueTasks} tasks past their due date; ${summary.escalations} 督办 escalations; ${summary.jobsRun} jobs run`,
    `  ratings:     ${summary.ratings.satisfied} 满意, ${summary.ratings['basically-satisfied']} 基本满意, ${summary.ratings.dissatisfied} 不满意 (${summary.ratedWithComment} with a comment) by citizens of closed public reports`,
    `  sources:     ${sources}`,
    ...(summary.failures.length > 0 ? [`  FAILED:      ${summary.failures.length} cases stopped early, e.g. ${summary.failures.slice(0, 3).join(' | ')}`] : []),
  ].join('\n');
}
