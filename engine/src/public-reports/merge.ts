import type { Command, CommandContext } from '../command/index.js';
import { BadUserRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors/index.js';
import { HI_PROCESS_INSTANCE, placeholders, TASK, VARIABLE, type DbSession, type HistoricProcessInstanceEntity, type TaskEntity } from '../persistence/index.js';
import { DeleteProcessInstanceCmd } from '../services/commands/process-instance.js';
import { openTaskFor, recordAction, tasksOffering } from '../tasks/index.js';
import { fromStoredValue } from '../variables/index.js';
import { DUPLICATE_DISTANCE_METRES, DUPLICATE_WINDOW_MS, reportsNear } from './duplicates.js';
import { stateOf, type ReportState } from './status.js';
import { PUBLIC_REPORT, type PublicReportEntity } from './tables.js';

/** How a merged duplicate's case ends (`hi_process_instance.delete_reason`): counted apart from 终止 and 作废. */
export const MERGED_END_REASON = 'merged';

/** A report the case may repeat, as the intake clerk weighs it at 受理. */
export interface DuplicateCandidate {
  readonly processInstanceId: string;
  readonly trackingCode: string;
  /** the case number (business key) */
  readonly caseNumber: string | null;
  readonly category: string;
  readonly categoryLabel: string | null;
  readonly distanceMetres: number;
  readonly submittedAt: Date;
  readonly state: ReportState;
  /** the open steps of its case by name (empty once it ended) */
  readonly steps: string[];
}

/** What the clerk sees of a case's possible duplicates: the report it is, where it was merged (if so), and the earlier reports it may repeat. */
export interface DuplicatesView {
  /** null: no public report started the case (nothing to merge, no candidates) */
  readonly trackingCode: string | null;
  readonly mergedInto: { readonly processInstanceId: string; readonly trackingCode: string } | null;
  readonly candidates: DuplicateCandidate[];
}

export interface MergeInput {
  /** the original's case */
  readonly into: string;
  readonly comment?: string | null;
}

/** The outcome of a merge, the same when it is repeated. */
export interface MergeOutcome {
  readonly duplicate: { readonly processInstanceId: string; readonly trackingCode: string };
  readonly original: { readonly processInstanceId: string; readonly trackingCode: string; readonly caseNumber: string | null; readonly state: ReportState };
  readonly mergedAt: Date;
}

/**
 * The reports the case's report may repeat: of its tenant and category, submitted in the 24 hours
 * before it, within 50 m, not merged themselves — nearest first, read through the caller's scoped
 * session. The case must be one the caller's data scope shows (404 otherwise, as GET
 * /api/instances/{id} answers: `public_report` rows are filtered by tenant only, so the case is
 * checked first); a candidate whose case it hides is not offered, and the original of a merged
 * report is named only when its case is shown. A case no public report started has none (an
 * answer, not a 404: the task page asks for every case).
 */
export async function duplicateCandidates(session: DbSession, processInstanceId: string): Promise<DuplicatesView> {
  if ((await session.count(HI_PROCESS_INSTANCE, 'id = $1', [processInstanceId])) === 0) throw new NotFoundError(`Process instance '${processInstanceId}' does not exist`);
  const [report] = await session.select(PUBLIC_REPORT, 'process_instance_id = $1', [processInstanceId]);
  if (!report) return { trackingCode: null, mergedInto: null, candidates: [] };
  const original = report.mergedInto === null ? null : await session.findById(PUBLIC_REPORT, report.mergedInto);
  const originalShown = original !== null && original !== undefined && (await session.count(HI_PROCESS_INSTANCE, 'id = $1', [original.processInstanceId])) > 0;
  const view = { trackingCode: report.trackingCode, mergedInto: originalShown ? { processInstanceId: original.processInstanceId, trackingCode: original.trackingCode } : null };
  const nearby = await candidateReports(session, report);
  if (nearby.length === 0) return { ...view, candidates: [] };
  const ids = nearby.map(({ other }) => other.processInstanceId);
  const [instances, tasks] = await session.selectMany<[HistoricProcessInstanceEntity, TaskEntity]>([
    { table: HI_PROCESS_INSTANCE, where: `id IN (${placeholders(ids.length)})`, bind: ids },
    { table: TASK, where: `process_instance_id IN (${placeholders(ids.length)})`, bind: ids, suffix: 'ORDER BY create_time' },
  ]);
  const candidates = nearby.flatMap(({ other, distanceMetres }) => {
    const instance = instances.find((row) => row.id === other.processInstanceId);
    // a case the caller's data scope hides is not offered
    if (!instance) return [];
    return [{
      processInstanceId: other.processInstanceId, trackingCode: other.trackingCode, caseNumber: instance.businessKey, category: other.category, categoryLabel: other.categoryLabel,
      distanceMetres, submittedAt: other.submittedAt, state: stateOf(instance),
      steps: tasks.filter((task) => task.processInstanceId === other.processInstanceId).map((task) => task.name ?? task.taskDefinitionKey ?? ''),
    }];
  });
  return { ...view, candidates };
}

/**
 * 合并: the intake clerk merges a report into the earlier report it repeats, in one transaction —
 * the duplicate's report row points at the original's, the original's timeline gets a `merge-in`
 * entry carrying the duplicate's tracking code, case number, description and time with its photos
 * as the entry's files, the duplicate's timeline a `merge` entry naming the original, and the
 * duplicate's case ends with the reason `merged` (its open tasks with it); reports merged into the
 * duplicate before now point at the original too. Both must be public reports of one tenant with
 * open cases, the original not merged itself and one of the duplicate's candidates (400 otherwise),
 * and an open task of the duplicate must offer 合并 to the caller (403 otherwise; 409 while parked). Merging it
 * again into the same original answers the same outcome and writes nothing; into another, 409.
 */
export class MergeReportCmd implements Command<MergeOutcome> {
  readonly name = 'MergePublicReport';

  constructor(
    private readonly processInstanceId: string,
    private readonly input: MergeInput,
  ) {}

  async execute(context: CommandContext): Promise<MergeOutcome> {
    const { session } = context;
    const { into } = this.input;
    if (into === this.processInstanceId) throw new BadUserRequestError('不能把上报合并到它自己 (a report cannot be merged into itself)');
    const duplicate = await reportOfCase(session, this.processInstanceId);
    const original = await reportOfCase(session, into);
    const [duplicateCase, originalCase] = await Promise.all([caseOf(session, duplicate), caseOf(session, original)]);
    const outcome = (mergedAt: Date): MergeOutcome => ({
      duplicate: { processInstanceId: duplicate.processInstanceId, trackingCode: duplicate.trackingCode },
      original: { processInstanceId: original.processInstanceId, trackingCode: original.trackingCode, caseNumber: originalCase.businessKey, state: stateOf(originalCase) },
      mergedAt,
    });
    if (duplicate.mergedInto !== null) {
      if (duplicate.mergedInto === original.id && duplicate.mergedAt) return outcome(duplicate.mergedAt);
      throw new ConflictError(`上报 ${duplicate.trackingCode} 已合并到其他案件 (report ${duplicate.trackingCode} has been merged into another report already)`);
    }
    if (duplicate.tenantId !== original.tenantId) {
      throw new BadUserRequestError(`不能合并其他租户的上报 (case '${into}' belongs to tenant ${original.tenantId}, the report to ${duplicate.tenantId})`);
    }
    if (original.mergedInto !== null) {
      throw new ConflictError(`案件 ${originalCase.businessKey ?? into} 本身已被合并，请合并到它所合并的案件 (the original was merged into another report itself: merge into that one)`);
    }
    for (const [label, instance] of [['重复上报', duplicateCase], ['原案件', originalCase]] as const) {
      if (instance.endTime) throw new ConflictError(`${label} ${instance.businessKey ?? instance.id} 已结束，不能合并 (case '${instance.id}' has ended: ${instance.state})`);
    }
    await requireMergeTask(context, duplicate.processInstanceId);
    if (!(await candidateReports(session, duplicate)).some(({ other }) => other.id === original.id)) {
      throw new BadUserRequestError(
        `案件 ${originalCase.businessKey ?? into} 不是该上报可能重复的上报 (case '${into}' is no candidate of this report: same category, within ${DUPLICATE_DISTANCE_METRES} m, in the 24 h before it)`,
      );
    }
    const now = context.now();
    duplicate.mergedInto = original.id;
    duplicate.mergedAt = now;
    // reports merged into this one before follow it to the original: their citizens see the case
    // that goes on, not this one's end (no chains); their merge entries stay on this case's timeline
    for (const earlier of await reportsMergedInto(session, duplicate)) earlier.mergedInto = original.id;
    // the original's row is written too (its revision checked): of two merges at once that each
    // read the other's report as unmerged (A into B, B into A) one fails instead of both ending
    original.rev += 1;
    const comment = this.input.comment ?? null;
    await recordAction(context, {
      processInstanceId: original.processInstanceId, tenantId: original.tenantId, operation: 'merge-in',
      target: {
        processInstanceId: duplicate.processInstanceId, trackingCode: duplicate.trackingCode, caseNumber: duplicateCase.businessKey,
        description: duplicate.description, submittedAt: duplicate.submittedAt.toISOString(), channel: duplicate.channel,
      },
      input: { comment, attachments: await photoIds(session, duplicate.processInstanceId) },
    });
    await recordAction(context, {
      processInstanceId: duplicate.processInstanceId, tenantId: duplicate.tenantId, operation: 'merge',
      target: { processInstanceId: original.processInstanceId, trackingCode: original.trackingCode, caseNumber: originalCase.businessKey },
      input: { comment },
    });
    await new DeleteProcessInstanceCmd(duplicate.processInstanceId, MERGED_END_REASON).execute(context);
    return outcome(now);
  }
}

/** The reports a report may repeat, as the flag at submission (looking back from its time); itself and merged reports are no originals. */
async function candidateReports(session: DbSession, report: PublicReportEntity): Promise<{ other: PublicReportEntity; distanceMetres: number }[]> {
  return (await reportsNear(session, report, new Date(report.submittedAt.getTime() - DUPLICATE_WINDOW_MS), report.submittedAt))
    .filter(({ other }) => other.id !== report.id && other.mergedInto === null);
}

/**
 * The reports merged into this one. A report is merged only into one of its candidates, so each
 * was submitted within 50 m of it and in the 24 h after it: the location index's neighbourhood
 * read finds them (there is no index on `merged_into`).
 */
async function reportsMergedInto(session: DbSession, report: PublicReportEntity): Promise<PublicReportEntity[]> {
  const time = report.submittedAt.getTime();
  return (await reportsNear(session, report, new Date(time - DUPLICATE_WINDOW_MS), new Date(time + DUPLICATE_WINDOW_MS)))
    .map(({ other }) => other)
    .filter((other) => other.mergedInto === report.id);
}

/**
 * Merging ends the duplicate's case, so it is an operation of its step: an open task of the case
 * must offer 合并 (`yiwang:operations` … `merge`: command-coordination's 受理) and the caller may
 * do it there as any operation (tasks/operation.ts `openTaskFor`: the case not parked, the task not
 * waiting for signers, the caller its assignee, a candidate while it is unassigned, or a holder of
 * task:assign). No task offering it: 403; seeing both cases and holding public-report:merge is not enough.
 */
async function requireMergeTask(context: CommandContext, processInstanceId: string): Promise<void> {
  let refusal: unknown = null;
  for (const task of await tasksOffering(context, processInstanceId, 'merge')) {
    try {
      await openTaskFor(context, task.id, 'merge', 'complete');
      return;
    } catch (error) {
      refusal ??= error;
    }
  }
  throw refusal ?? new ForbiddenError(`案件当前步骤不提供合并 (no open task of case '${processInstanceId}' offers 合并: merge, in its yiwang:operations)`);
}

/** The public report that started the case; a case the session does not see, or no report started: 404. */
async function reportOfCase(session: DbSession, processInstanceId: string): Promise<PublicReportEntity> {
  const [report] = await session.select(PUBLIC_REPORT, 'process_instance_id = $1', [processInstanceId]);
  if (!report) throw new NotFoundError(`案件 '${processInstanceId}' 不是公众上报 (no public report started case '${processInstanceId}')`);
  return report;
}

async function caseOf(session: DbSession, report: PublicReportEntity): Promise<HistoricProcessInstanceEntity> {
  const instance = await session.findById(HI_PROCESS_INSTANCE, report.processInstanceId);
  if (!instance) throw new NotFoundError(`Process instance '${report.processInstanceId}' does not exist`);
  return instance;
}

/**
 * The ids of the photos on the duplicate's case (its `photos` variable: file ids as the report
 * stored them, or `[{ id }]` once a form step reshaped them), for the original's timeline.
 */
async function photoIds(session: DbSession, processInstanceId: string): Promise<string[]> {
  const rows = await session.select(VARIABLE, 'process_instance_id = $1 AND name = $2 AND execution_id = $3 AND task_id IS NULL', [processInstanceId, 'photos', processInstanceId]);
  const value = rows[0] ? fromStoredValue(rows[0]).value : null;
  if (!Array.isArray(value)) return [];
  return value.flatMap((photo: unknown) => {
    if (typeof photo === 'string') return [photo];
    const id = (photo as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? [id] : [];
  });
}
