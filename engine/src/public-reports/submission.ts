import type { Command, CommandContext } from '../command/index.js';
import { BadUserRequestError, ConflictError, OptimisticLockingError } from '../errors/index.js';
import { StoreFilesCmd, type FileContents, type NewFile } from '../files/index.js';
import type { FormLanguage } from '../forms/index.js';
import { numberCaseByStartForm } from '../services/commands/form-submission.js';
import { startInstance } from '../services/commands/process-instance.js';
import { channelProcess } from './channel.js';
import { ReportingUnavailableError } from './errors.js';
import { lockReportBuckets, refuseReportOverLimits, type ClientLimits, type Submitter } from './rate-limits.js';
import type { CleanReport } from './report-form.js';
import { possibleDuplicates } from './duplicates.js';
import { PUBLIC_REPORT } from './tables.js';
import { say } from './text.js';
import { newTrackingCode } from './tracking-code.js';

/** What the citizen is given back. */
export interface SubmittedReport {
  readonly trackingCode: string;
  readonly submittedAt: Date;
}

export interface ReportSubmission {
  readonly tenantId: string;
  readonly processKey: string;
  readonly report: CleanReport;
  /** the photos, checked, their disk content placed already (database content is written by the command) */
  readonly photos: readonly NewFile[];
  readonly contents: FileContents;
  readonly submitter: Submitter;
  /** the submitting client's limits: the portal's per address, or an API client's own */
  readonly limits: ClientLimits;
  /** the channel it comes by: `public` (the /public portal) or the API client's code */
  readonly channel: string;
  readonly language: FormLanguage;
}

/**
 * A citizen's report, in one transaction: the limits' buckets locked and the stored reports
 * counted, the channel's process checked again, the photos stored as files of the tenant, the
 * latest version of the process started with the report as its variables (no start user, the
 * case in the channel's tenant), and the `public_report` row with its tracking code. Any failure
 * writes nothing; a process that cannot start is a neutral 503 for the citizen, its cause logged.
 */
export class SubmitReportCmd implements Command<SubmittedReport> {
  readonly name = 'SubmitPublicReport';

  constructor(private readonly submission: ReportSubmission) {}

  async execute(context: CommandContext): Promise<SubmittedReport> {
    const { tenantId, processKey, report, submitter, limits, channel, language } = this.submission;
    const { session } = context;
    await lockReportBuckets(context, submitter);
    await refuseReportOverLimits(session, submitter, limits, context.now(), language);
    const unavailable = (detail: string): ReportingUnavailableError => {
      // the detail names the process, never the reporter (their number is taken out of any message)
      const redacted = report.phone ? detail.replaceAll(report.phone, '***') : detail;
      context.environment.logger.warn({ tenantId, processKey, problem: redacted }, 'a public report cannot start its case');
      return new ReportingUnavailableError(reportingUnavailable(language));
    };
    const { definition, problem } = await channelProcess(session, context.environment.deployments, processKey, tenantId);
    if (!definition) throw unavailable(problem);
    const files = await new StoreFilesCmd(this.submission.photos, this.submission.contents).execute(context);
    const trackingCode = await unusedTrackingCode(context);
    const variables = {
      source: 'public',
      // which channel: statistics count by it (`public` or the client's code: command-coordination's cc-report-channel)
      channel,
      category: report.category,
      categoryLabel: report.categoryLabel,
      description: report.description,
      location: report.location,
      photos: files.map((file) => file.id),
      reporterPhone: report.phone,
      trackingCode,
      // same category within 50 m within a day: for the intake clerk to merge (empty when none or no coordinates)
      possibleDuplicates: await possibleDuplicates(session, { tenantId, category: report.category, ...report.location }, context.now()),
    };
    // numbered like a case started from its form: the start form's serial field (流水号) is the case number
    const numbered = await numberCaseByStartForm(context, definition, tenantId, variables);
    const start = { tenantId, businessKey: numbered?.businessKey ?? null, variables: numbered?.variables ?? variables };
    const runtime = await startInstance(context, definition, start).catch((error: unknown) => {
      // a listener's or gateway's expression that fails, no start event: the process's fault, not the citizen's
      if (error instanceof BadUserRequestError || (error instanceof ConflictError && !(error instanceof OptimisticLockingError))) throw unavailable(error.message);
      throw error;
    });
    session.insert(PUBLIC_REPORT, {
      id: context.newId(), rev: 1, tenantId, trackingCode, processInstanceId: runtime.root.id, category: report.category, categoryLabel: report.categoryLabel,
      description: report.description, latitude: report.location.latitude, longitude: report.location.longitude, clientAddress: submitter.address, reporterPhone: report.phone, submittedAt: context.now(),
      ratingScore: null, ratingComment: null, ratedAt: null, channel, mergedInto: null, mergedAt: null,
    });
    return { trackingCode, submittedAt: context.now() };
  }
}

export function reportingUnavailable(language: FormLanguage): string {
  return say(language, '暂时无法受理上报，请稍后再试', 'Reports cannot be taken at the moment; please try again later');
}

/**
 * A new tracking code no report has: 60 random bits rarely meet one in use, and when one does a
 * second code is drawn (two in a row in use is a fault worth a 409, not a loop).
 */
export async function unusedTrackingCode(context: CommandContext, newCode: () => string = newTrackingCode): Promise<string> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const code = newCode();
    if ((await context.session.count(PUBLIC_REPORT, 'tracking_code = $1', [code])) === 0) return code;
  }
  throw new ConflictError('两次生成的查询码都已被使用 (two tracking codes in a row were in use already); retry the report');
}
