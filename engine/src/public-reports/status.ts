import type { FormLanguage } from '../forms/index.js';
import { NotFoundError } from '../errors/index.js';
import { CASE_ACTION, HI_PROCESS_INSTANCE, type CaseActionEntity, type DbSession, type HistoricProcessInstanceEntity } from '../persistence/index.js';
import { channelCategories, leafCategories, type CategoryNode } from './channel.js';
import { PUBLIC_CHANNEL, PUBLIC_REPORT, type PublicReportEntity, type RatingScore } from './tables.js';
import { say } from './text.js';
import { normaliseTrackingCode } from './tracking-code.js';

export type ReportState = 'open' | 'closed' | 'voided' | 'merged';

export interface Rating {
  readonly score: RatingScore;
  readonly comment: string | null;
  readonly ratedAt: Date;
}

/** A report as its citizen follows it: what they said, where the case is, no staff names, notes or files. */
export interface ReportStatus {
  readonly trackingCode: string;
  readonly category: string;
  readonly categoryLabel: string | null;
  readonly description: string;
  readonly submittedAt: Date;
  readonly state: ReportState;
  readonly stages: { readonly name: string; readonly time: Date }[];
  readonly rating: Rating | null;
  readonly canRate: boolean;
  /** a merged duplicate (state `merged`): the report it was merged into, which the citizen follows from then on */
  readonly mergedInto: { readonly trackingCode: string; readonly state: ReportState } | null;
}

/** Timeline operations that complete a step of the case. */
const COMPLETIONS = new Set(['complete', 'approve', 'timeout-complete']);

/**
 * The report with this tracking code — of `tenantId` when given (an API client's tenant). Every
 * unknown code — malformed ones, another tenant's — is looked up the same way and answered with
 * the same 404, which names no code.
 */
export async function findReport(session: DbSession, trackingCode: string, language: FormLanguage, tenantId: string | null = null): Promise<PublicReportEntity> {
  const code = normaliseTrackingCode(trackingCode);
  // MariaDB compares ignoring case: the comparison below makes every dialect exact
  const [report] = (await session.select(PUBLIC_REPORT, 'tracking_code = $1', [code]))
    .filter((found) => found.trackingCode === code && (tenantId === null || found.tenantId === tenantId));
  if (!report) throw new NotFoundError(say(language, '未找到该查询码对应的上报', 'No report has this tracking code'));
  return report;
}

export async function reportStatus(session: DbSession, trackingCode: string, language: FormLanguage, tenantId: string | null = null): Promise<ReportStatus> {
  const report = await findReport(session, trackingCode, language, tenantId);
  const [instances, actions] = await session.selectMany<[HistoricProcessInstanceEntity, CaseActionEntity]>([
    { table: HI_PROCESS_INSTANCE, where: 'id = $1', bind: [report.processInstanceId] },
    { table: CASE_ACTION, where: 'process_instance_id = $1', bind: [report.processInstanceId], suffix: 'ORDER BY seq' },
  ]);
  const original = report.mergedInto === null ? null : await session.findById(PUBLIC_REPORT, report.mergedInto);
  const mergedInto = original && { trackingCode: original.trackingCode, state: stateOf((await session.findById(HI_PROCESS_INSTANCE, original.processInstanceId)) ?? undefined) };
  const state = mergedInto ? 'merged' : stateOf(instances[0]);
  const rating = ratingOf(report);
  return {
    trackingCode: report.trackingCode,
    category: report.category,
    categoryLabel: language === 'en' ? await englishCategoryLabel(session, report) : report.categoryLabel,
    description: report.description,
    submittedAt: report.submittedAt,
    state,
    stages: [
      { name: language === 'en' ? 'Submitted' : '已提交', time: report.submittedAt },
      // a step without a name is no business of the citizen's by its id
      ...actions.filter((action) => COMPLETIONS.has(action.operation)).map((action) => ({ name: action.activityName || (language === 'en' ? 'In progress' : '处理中'), time: action.time })),
    ],
    rating,
    canRate: state === 'closed' && rating === null,
    mergedInto,
  };
}

/** The category's English label from the channel's dictionary as it applies now, else the label stored with the report. */
async function englishCategoryLabel(session: DbSession, report: PublicReportEntity): Promise<string | null> {
  const [channel] = await session.select(PUBLIC_CHANNEL, 'tenant_id = $1', [report.tenantId]);
  const categories = channel ? leafCategories(await channelCategories(session, channel)) : new Map<string, CategoryNode>();
  return categories.get(report.category)?.labelEn ?? report.categoryLabel;
}

/**
 * open: the case runs; closed: it ended at an end event; voided: it was ended any other way
 * (terminated, rejected, 作废) or its history is gone (deleted). (`merged` is the report's, not the case's: see reportStatus.)
 */
export function stateOf(instance: HistoricProcessInstanceEntity | undefined): ReportState {
  if (!instance) return 'voided';
  if (instance.state === 'ACTIVE') return 'open';
  return instance.state === 'COMPLETED' ? 'closed' : 'voided';
}

export function ratingOf(report: PublicReportEntity): Rating | null {
  if (report.ratingScore === null || report.ratedAt === null) return null;
  return { score: report.ratingScore, comment: report.ratingComment, ratedAt: report.ratedAt };
}
