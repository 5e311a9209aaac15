import type { Command, CommandContext } from '../command/index.js';
import { ConflictError } from '../errors/index.js';
import type { FormLanguage } from '../forms/index.js';
import { HI_PROCESS_INSTANCE, type DbSession } from '../persistence/index.js';
import { Filter } from '../services/query.js';
import { recordAction } from '../tasks/index.js';
import { findReport, ratingOf, stateOf, type Rating } from './status.js';
import { PUBLIC_REPORT, RATING_SCORES, type RatingScore } from './tables.js';
import { cleanText, say } from './text.js';

export const RATING_COMMENT_MAX_LENGTH = 500;

export interface RatingInput {
  readonly score: RatingScore;
  readonly comment?: string;
}

/**
 * The citizen rates a closed case, once: the rating is written on the report (revision-checked, so
 * of two ratings at the same moment one wins and the other is a 409) with a `rate` entry on the
 * case's timeline that names no user, in one transaction.
 */
export class RateReportCmd implements Command<Rating> {
  readonly name = 'RatePublicReport';

  constructor(
    private readonly trackingCode: string,
    private readonly input: RatingInput,
    private readonly language: FormLanguage,
    /** an API client's tenant: a report of another answers 404 */
    private readonly tenantId: string | null = null,
  ) {}

  async execute(context: CommandContext): Promise<Rating> {
    const { language } = this;
    // the route's schema holds the comment to RATING_COMMENT_MAX_LENGTH; cleaning only shortens it
    const comment = cleanText(this.input.comment ?? '') || null;
    const report = await findReport(context.session, this.trackingCode, language, this.tenantId);
    if (report.ratedAt !== null) throw new ConflictError(say(language, '该上报已评价过', 'This report has been rated already'));
    const instance = await context.session.findById(HI_PROCESS_INSTANCE, report.processInstanceId);
    if (stateOf(instance ?? undefined) !== 'closed') throw new ConflictError(say(language, '办结后才能评价', 'A report can be rated once its case is closed'));
    Object.assign(report, { ratingScore: this.input.score, ratingComment: comment, ratedAt: context.now() });
    await recordAction(context, {
      processInstanceId: report.processInstanceId, tenantId: report.tenantId, operation: 'rate', target: { score: this.input.score }, input: { comment },
    });
    return ratingOf(report) as Rating;
  }
}

export interface SatisfactionRange {
  readonly from?: Date;
  readonly to?: Date;
}

/** Ratings of a period, for the evaluation subsystem: rate = (satisfied + basically satisfied) / total, null without ratings. */
export interface Satisfaction {
  readonly total: number;
  readonly satisfied: number;
  readonly basicallySatisfied: number;
  readonly dissatisfied: number;
  readonly satisfactionRate: number | null;
}

/** The ratings given in [from, to) of the reports the session sees (its caller's tenants). */
export async function satisfaction(session: DbSession, { from, to }: SatisfactionRange): Promise<Satisfaction> {
  const filter = new Filter().in('rating_score', [...RATING_SCORES]).compare('rated_at', '>=', from).compare('rated_at', '<', to);
  const counts = await session.countBy(PUBLIC_REPORT, 'rating_score', filter.where, filter.bindings);
  const [satisfied, basicallySatisfied, dissatisfied] = RATING_SCORES.map((score) => counts.get(score) ?? 0) as [number, number, number];
  const total = satisfied + basicallySatisfied + dissatisfied;
  return { total, satisfied, basicallySatisfied, dissatisfied, satisfactionRate: total === 0 ? null : (satisfied + basicallySatisfied) / total };
}
