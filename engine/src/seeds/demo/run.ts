/** `npm run seed:demo -- --cases N --days D [--tenant ID] [--seed S] [--end ISO]`: see cli.ts and seeds/README.md § Demo history. */
import { loadConfig, redactUrl } from '../../config/index.js';
import { ProcessEngine } from '../../services/index.js';
import { formatSummary, parseDemoArguments } from './cli.js';
import { SettableClock } from './clock.js';
import { generateDemoHistory } from './generator.js';
import { prepareTenant } from './prepare.js';

async function main(): Promise<void> {
  const args = parseDemoArguments(process.argv.slice(2));
  const config = loadConfig();
  const where = config.database.dialect === 'sqlite' ? config.database.location : redactUrl(config.database.location);
  const clock = new SettableClock();
  const engine = await ProcessEngine.open({ database: config.database, clock, timeZone: config.timeZone });
  try {
    console.log(`seed:demo — ${args.cases} cases over ${args.days} days in tenant ${args.tenantId}, seed ${args.seed}, database ${where}`);
    const prepared = await prepareTenant(engine, args.tenantId, (message) => console.log(message));
    if (prepared.installed) console.log(`installed the command-coordination plugin into tenant ${args.tenantId}`);
    const existing = (await engine.historyService.listProcessInstances({ processDefinitionKey: 'cc_case', tenantIdIn: [args.tenantId] } as never)).length;
    if (existing > 0) console.log(`the tenant has ${existing} cc_case cases already: this run adds ${args.cases} more`);
    const summary = await generateDemoHistory(engine, clock, {
      cases: args.cases, days: args.days, tenantId: args.tenantId, seed: args.seed, end: args.end,
      progress: ({ done, total, elapsedMs, simulatedAt }) =>
        console.log(`  ${String(done).padStart(String(total).length)}/${total} cases (${Math.round((100 * done) / total)}%), ${(done / (elapsedMs / 1000)).toFixed(1)} cases/s, simulated time ${simulatedAt.toISOString()}`),
    });
    console.log(formatSummary(summary));
    if (summary.failures.length > 0) process.exitCode = 1;
  } finally {
    await engine.close();
  }
}

main().catch((error: unknown) => {
  console.error('seed:demo failed:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
