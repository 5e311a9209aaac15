import { DateTime } from 'luxon';
import type { Command, CommandContext, CommandExecutor } from '../../command/index.js';
import { BadUserRequestError, ConflictError, OptimisticLockingError } from '../../errors/index.js';
import { SERIAL_SEQUENCE, type SerialSequenceEntity } from '../../persistence/index.js';
import { resolveTimeZone } from '../../timer/time-zone.js';
import { Filter } from '../query.js';

/**
 * `yw-serial` (流水号) rules: literal text with `{<date pattern>}` parts (letters y, M, d as in
 * `yyyyMMdd`, read in the engine's time zone), `{field:<key>}` parts (the submitted value of
 * another field of the same form, e.g. the case category) and exactly one `{seq:N}` (the day's
 * number, zero-padded to N digits; when the day's N-digit numbers are used up, a submission is
 * refused with a 409) or `{seq}` (not with field parts). Numbers count per tenant, rule with its field parts
 * filled in, and day, from 1: each category of `{field:category}{yyyyMMdd}{seq:4}` has its own
 * daily sequence.
 */
const PART = /\{([^{}]*)\}/g;
const DATE_PATTERN = /^[yMd]+$/;
const SEQUENCE = /^seq(?::([1-9]|1[0-2]))?$/;
const FIELD = /^field:(.*)$/;
/** the counter's `rule` column holds the rule with its field parts filled in: at most this long */
const MAX_RULE_LENGTH = 255;
/**
 * What a `{field:key}` part may insert: it becomes part of a case number (and of the counter's
 * key), so only short identifier-like codes — no braces that would read as parts, no spaces,
 * nothing a URL or a file name would have to escape.
 */
const MAX_FIELD_VALUE_LENGTH = 32;
export const SERIAL_FIELD_VALUE = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_FIELD_VALUE_LENGTH}}$`);
/**
 * Field types whose value is one text (a dictionary field only without `multiple`), so a code
 * SERIAL_FIELD_VALUE can accept: a number, checkbox, region, user or file field would deploy and
 * then refuse every submission.
 */
export const SERIAL_REFERABLE_TYPES: ReadonlySet<string> = new Set(['textfield', 'select', 'radio', 'yw-dictionary']);

/** The field keys a rule's `{field:key}` parts name, in order, each once. */
export function serialFieldKeys(rule: string): string[] {
  return [...new Set([...rule.matchAll(PART)].flatMap((match) => FIELD.exec(match[1] as string)?.slice(1, 2) ?? []))];
}

/**
 * Why the rule cannot number anything, in Chinese and English, or null when it is fine.
 * `fields`: the keys its `{field:key}` parts may name (the form's fields outside dynamic lists that
 * are no serial numbers themselves).
 */
export function serialRuleProblem(rule: string, fields: ReadonlySet<string>): readonly [string, string] | null {
  if (rule.trim() === '') return ['缺少流水号规则（如 AJ{yyyyMMdd}{seq:4}）', 'a yw-serial field needs a rule such as AJ{yyyyMMdd}{seq:4}'];
  if (rule.length > MAX_RULE_LENGTH) return [`流水号规则最多 ${MAX_RULE_LENGTH} 个字符`, `the serial rule must be at most ${MAX_RULE_LENGTH} characters`];
  const parts = [...rule.matchAll(PART)].map((match) => match[1] as string);
  const unknown = parts.filter((part) => !DATE_PATTERN.test(part) && !SEQUENCE.test(part) && !FIELD.test(part)).map((part) => `{${part}}`).join(', ');
  if (unknown) return [`流水号规则 '${rule}' 含有无法识别的部分 ${unknown}`, `the serial rule '${rule}' has unknown parts ${unknown}: use date patterns such as {yyyyMMdd}, {field:<key>} and one {seq:N}`];
  if (parts.filter((part) => SEQUENCE.test(part)).length !== 1) return [`流水号规则 '${rule}' 必须恰好含有一个 {seq} 或 {seq:N}`, `the serial rule '${rule}' needs exactly one {seq} or {seq:N} part`];
  const fieldKeys = serialFieldKeys(rule);
  const strangers = fieldKeys.filter((key) => !fields.has(key)).map((key) => `{field:${key}}`).join(', ');
  if (strangers) {
    return [
      `流水号规则 '${rule}' 的 ${strangers} 不是本表单中可引用的字段（须为本表单动态列表之外的文本、下拉、单选或字典字段）`,
      `the serial rule '${rule}' names ${strangers}: not a text, select, radio or dictionary field of this form outside dynamic lists`,
    ];
  }
  // field values differ in length, so only a fixed-width sequence keeps two categories' numbers apart
  // (with {seq}, A1 + 1 and A + 11 would both read A11)
  if (fieldKeys.length > 0 && sequenceWidth(rule) === null) {
    return [`含 {field:…} 的流水号规则 '${rule}' 须用定宽序号 {seq:N}`, `the serial rule '${rule}' has {field:…} parts and so needs a fixed-width {seq:N}`];
  }
  // and only before it: with A{seq:4}12 and A0{seq:4}2, counters 1 and 11 would both read A000112
  if (parts.slice(parts.findIndex((part) => SEQUENCE.test(part))).some((part) => FIELD.test(part))) {
    return [`流水号规则 '${rule}' 的 {field:…} 须在 {seq:N} 之前`, `the serial rule '${rule}' must have its {field:…} parts before {seq:N}`];
  }
  // the longest the rule can get once its field parts are filled in, as the counter stores it
  const longest = parts.reduce((length, part) => (FIELD.test(part) ? length - part.length - 2 + MAX_FIELD_VALUE_LENGTH : length), rule.length);
  if (longest > MAX_RULE_LENGTH) {
    return [
      `流水号规则最多 ${MAX_RULE_LENGTH} 个字符（每个 {field:…} 按 ${MAX_FIELD_VALUE_LENGTH} 个字符计）`,
      `the serial rule must be at most ${MAX_RULE_LENGTH} characters, each {field:…} counted as ${MAX_FIELD_VALUE_LENGTH}`,
    ];
  }
  return null;
}

/**
 * The rule a counter counts for: `rule` with each `{field:key}` part replaced by `values[key]`
 * (checked against SERIAL_FIELD_VALUE by the caller, so a value never reads as a part).
 */
export function withFieldValues(rule: string, values: Readonly<Record<string, string>>): string {
  return rule.replace(PART, (whole, part: string) => {
    const key = FIELD.exec(part)?.[1];
    return key === undefined ? whole : (values[key] ?? whole);
  });
}

/** The serial number `sequence` of the day `now` falls on; `rule` has its field parts filled in (withFieldValues). */
export function formatSerial(rule: string, now: DateTime, sequence: number): string {
  return rule.replace(PART, (whole, part: string) => {
    const padding = SEQUENCE.exec(part);
    if (padding) return String(sequence).padStart(Number(padding[1] ?? 0), '0');
    return DATE_PATTERN.test(part) ? now.toFormat(part) : whole;
  });
}

/** What a serial number counts within: numbering starts at 1 per tenant, rule and day. */
export interface SerialCounter {
  readonly tenantId: string | null;
  /** with its field parts filled in */
  readonly rule: string;
  /** yyyyMMdd in the engine's time zone */
  readonly day: string;
}

/**
 * The command could not take a number: the day's counter does not exist yet, or a concurrent
 * submission took the same number first (its revision check won). The service creates the
 * counter if need be and runs the whole command again.
 */
export class SerialCounterBusyError extends OptimisticLockingError {
  constructor(
    readonly counter: SerialCounter,
    readonly missing: boolean,
  ) {
    super(`The serial number counter '${counter.rule}' of ${counter.day} is busy; retry the submission`);
  }
}

/**
 * The next serial number of `rule` (its field parts filled in: withFieldValues), taken in the running command: the counter row is claimed
 * with a revision check at once, so of two concurrent submissions one waits for the other's
 * commit and then loses its claim instead of handing out the same number.
 */
export async function nextSerialNumber(context: CommandContext, tenantId: string | null, rule: string): Promise<string> {
  const now = DateTime.fromJSDate(context.now(), { zone: resolveTimeZone(context.environment.timeZone) });
  const counter: SerialCounter = { tenantId, rule, day: now.toFormat('yyyyMMdd') };
  const row = await findCounter(context, counter);
  if (!row) throw new SerialCounterBusyError(counter, true);
  const next = row.value + 1;
  const width = sequenceWidth(rule);
  // {seq:N} promises N digits: past them a number would grow one, and after a {field:…} part of
  // another length it could repeat that value's number (A1 + 0001 and A + 10001)
  if (width !== null && String(next).length > width) {
    throw new ConflictError(`流水号 '${rule}' ${counter.day} 的 ${width} 位序号已用完 (the ${width}-digit sequence of serial rule '${rule}' is used up for ${counter.day})`);
  }
  if (!(await context.session.claim(SERIAL_SEQUENCE, row, { value: next }))) throw new SerialCounterBusyError(counter, false);
  return formatSerial(rule, now, next);
}

/** N of the rule's `{seq:N}`, or null for `{seq}`. */
function sequenceWidth(rule: string): number | null {
  for (const match of rule.matchAll(PART)) {
    const width = SEQUENCE.exec(match[1] as string)?.[1];
    if (width !== undefined) return Number(width);
  }
  return null;
}

async function findCounter(context: CommandContext, counter: SerialCounter): Promise<SerialSequenceEntity | null> {
  const filter = new Filter().equals('tenant_id', counter.tenantId).equals('rule', counter.rule).equals('day', counter.day);
  const [row] = await context.session.select(SERIAL_SEQUENCE, filter.where, filter.bindings);
  return row ?? null;
}

/** Creates the day's counter at 0 (no number handed out yet); one a concurrent command created first is just as good. */
export class CreateSerialCounterCmd implements Command<void> {
  readonly name = 'CreateSerialCounter';

  constructor(private readonly counter: SerialCounter) {}

  async execute(context: CommandContext): Promise<void> {
    if (await findCounter(context, this.counter)) return;
    context.session.insert(SERIAL_SEQUENCE, { id: context.newId(), rev: 1, ...this.counter, value: 0 });
  }
}

/** Refuses a rule before it is stored in a form version; `source` and `key` name the form and the field, `fields` what `{field:key}` may name. */
export function checkSerialRule(rule: string, source: string, key: string, fields: ReadonlySet<string>): void {
  const problem = serialRuleProblem(rule, fields);
  if (problem) throw new BadUserRequestError(`表单 ${source} 字段 '${key}'：${problem[0]} (form ${source}, field '${key}': ${problem[1]})`);
}

/**
 * A serial-number counter is created, or a concurrent submission takes the same number, at most
 * this many times in a row before a submission gives up (409): every round one submission wins.
 */
const MAX_NUMBERING_ATTEMPTS = 30;

/**
 * Runs a command that takes serial numbers (`nextSerialNumber`) until it gets its numbers: a busy
 * counter runs it again, a missing one (the day's first number) is created first — as engine
 * bookkeeping, unaudited, by `executor` — and then it runs again. `run` runs the command as the
 * caller's (their actor, their audit).
 */
export async function runNumberingCommand<T>(command: Command<T>, run: (command: Command<T>) => Promise<T>, executor: CommandExecutor): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run(command);
    } catch (error) {
      if (!(error instanceof SerialCounterBusyError) || attempt >= MAX_NUMBERING_ATTEMPTS) throw error;
      if (error.missing) await createCounter(executor, error.counter);
    }
  }
}

/** a counter a concurrent submission created first is just as good */
async function createCounter(executor: CommandExecutor, counter: SerialCounter): Promise<void> {
  try {
    await executor.execute(new CreateSerialCounterCmd(counter));
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
  }
}
