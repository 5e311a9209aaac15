/**
 * Form validation throughput (a script, not a test), in one process on one core: the 40-field
 * form `src/forms/fixtures/case-report.json` (required fields, patterns, email and phone, enums,
 * numbers with decimals and increments, dates and times, region, location, files, a FEEL
 * `conditional.hide` at the top and one in every row) with a dynamic list of BENCH_FORMS_ROWS rows.
 *
 * For valid and for invalid submissions: the compiled (cached) form's `validate` — our pass
 * (unknown keys, empty values, required, hide conditions, permissions) + ajv + field messages —
 * and, in the same run on the same data, a plain ajv validator compiled from the derived schema
 * (no FEEL, no messages): the difference is the cost of our layer.
 *
 *   npm run bench:forms -w @yiwang/engine        BENCH_FORMS_N=50000 BENCH_FORMS_ROWS=20
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { formAjv } from '../src/forms/ajv.js';
import { invalidCaseReport, validCaseReport } from '../src/forms/fixtures/case-report-data.js';
import { compileForm, parseForm, type CompiledForm } from '../src/forms/index.js';

const N = Number(process.env.BENCH_FORMS_N ?? 50_000);
const ROWS = Number(process.env.BENCH_FORMS_ROWS ?? 20);
const WARM_UP = Math.min(N, 5_000);

const FORM_FILE = fileURLToPath(new URL('../src/forms/fixtures/case-report.json', import.meta.url));
const form = parseForm(readFileSync(FORM_FILE), 'case-report.json');

interface Rate {
  readonly label: string;
  /** by the clock */
  readonly perSecond: number;
  /** by the process's CPU time: what one core gives when other processes share the machine */
  readonly perCpuSecond: number;
  readonly errors: number;
}

/** Submissions per second of `validate` over `submissions`, used round robin. */
function rate(label: string, submissions: readonly Record<string, unknown>[], validate: (data: Record<string, unknown>) => number): Rate {
  for (let index = 0; index < WARM_UP; index++) validate(submissions[index % submissions.length]);
  let errors = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let index = 0; index < N; index++) errors += validate(submissions[index % submissions.length]);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { user, system } = process.cpuUsage(cpu);
  return { label, perSecond: N / seconds, perCpuSecond: N / ((user + system) / 1e6), errors: errors / N };
}

/** Distinct submissions (the list's amounts differ), so nothing is validated twice in a row with the same object. */
function submissions(make: (rows: number) => Record<string, unknown>): Record<string, unknown>[] {
  return Array.from({ length: 16 }, (_, variant) => {
    const data = make(ROWS);
    for (const row of data.items as Record<string, unknown>[]) row.amount = Number(row.amount) + variant;
    return data;
  });
}

function main(): void {
  const compiled: CompiledForm = compileForm(form);
  // the peer: ajv alone on the derived schema, as a service validating a plain JSON Schema would
  const plain = formAjv.compile(compiled.jsonSchema);
  const valid = submissions(validCaseReport);
  const invalid = submissions(invalidCaseReport);
  if (compiled.validate(valid[0]).length !== 0) throw new Error(`the valid submission fails: ${JSON.stringify(compiled.validate(valid[0]))}`);

  const results = [
    rate('yiwang validate, valid', valid, (data) => compiled.validate(data).length),
    rate('plain ajv, valid', valid, (data) => (plain(data) ? 0 : (plain.errors?.length ?? 0))),
    rate('yiwang validate, invalid (messages zh-CN)', invalid, (data) => compiled.validate(data).length),
    rate('plain ajv, invalid', invalid, (data) => (plain(data) ? 0 : (plain.errors?.length ?? 0))),
  ];
  console.log(`form validation: ${compiled.fields.length - 1} value fields, a dynamic list of ${ROWS} rows, N=${N} per line, Node ${process.version}`);
  console.log('| validator | submissions/s | per CPU second | µs CPU each | errors per submission |');
  console.log('|---|---:|---:|---:|---:|');
  for (const { label, perSecond, perCpuSecond, errors } of results) {
    console.log(`| ${label} | ${Math.round(perSecond)} | ${Math.round(perCpuSecond)} | ${(1e6 / perCpuSecond).toFixed(1)} | ${errors.toFixed(1)} |`);
  }
  const [ours, peer, oursInvalid, peerInvalid] = results;
  const cost = (mine: Rate, plain: Rate) => (1e6 / mine.perCpuSecond - 1e6 / plain.perCpuSecond).toFixed(1);
  console.log(`our layer's cost (CPU): valid ${cost(ours, peer)} µs, invalid ${cost(oursInvalid, peerInvalid)} µs per submission`);
  const met = ours.perCpuSecond >= 20_000 && oursInvalid.perCpuSecond >= 20_000;
  console.log(`target 20,000/s on one core (CPU time): ${met ? 'met' : 'NOT met'}; load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`);
}

main();
