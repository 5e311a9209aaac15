import { InstanceRuntime } from '../bpmn/execute/index.js';
import type { Command, CommandContext } from '../command/index.js';
import type { PublicReportSettings } from '../config/index.js';
import { ConflictError } from '../errors/index.js';
import { StoreFilesCmd, type FileContents, type NewFile } from '../files/index.js';
import type { FormLanguage } from '../forms/index.js';
import type { ProcessDefinitionEntity } from '../persistence/index.js';
import { recordAction } from '../tasks/index.js';
import { latestDefinition } from './channel.js';
import { refuseReportOverLimits, type Submitter } from './rate-limits.js';
import type { CleanReport } from './report-form.js';
import { PUBLIC_REPORT } from './tables.js';
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
  readonly settings: PublicReportSettings;
  readonly language: FormLanguage;
}

/**
 * A citizen's report, in one transaction: the rate limits counted on the stored reports, the
 * photos stored as files of the tenant, the latest version of the channel's process started with
 * the report as its variables (no start user: the timeline's start entry names nobody), and the
 * `public_report` row with its tracking code. Any failure writes nothing.
 */
export class SubmitReportCmd implements Command<SubmittedReport> {
  readonly name = 'SubmitPublicReport';

  constructor(private readonly submission: ReportSubmission) {}

  async execute(context: CommandContext): Promise<SubmittedReport> {
    const { tenantId, processKey, report, submitter, settings, language } = this.submission;
    const { session } = context;
    await refuseReportOverLimits(session, submitter, settings, context.now(), language);
    const definition = await latestDefinition(session, processKey, tenantId);
    if (!definition) throw new ConflictError(`公众上报渠道的流程 ${processKey} 已不存在 (the channel's process '${processKey}' is no longer deployed)`);
    const files = await new StoreFilesCmd(this.submission.photos, this.submission.contents).execute(context);
    const trackingCode = newTrackingCode();
    const processInstanceId = await startCase(context, definition, tenantId, {
      source: 'public',
      category: report.category,
      categoryLabel: report.categoryLabel,
      description: report.description,
      location: report.location,
      photos: files.map((file) => file.id),
      reporterPhone: report.phone,
      trackingCode,
    });
    session.insert(PUBLIC_REPORT, {
      id: context.newId(), rev: 1, tenantId, trackingCode, processInstanceId, category: report.category, categoryLabel: report.categoryLabel,
      description: report.description, clientAddress: submitter.address, reporterPhone: report.phone, submittedAt: context.now(),
      ratingScore: null, ratingComment: null, ratedAt: null,
    });
    return { trackingCode, submittedAt: context.now() };
  }
}

/**
 * Starts the definition as StartProcessInstanceCmd does, for nobody: no start user, and the case
 * belongs to the channel's tenant even when the definition is shared (an instance of a shared
 * definition takes its starter's tenant, and a citizen has none).
 */
async function startCase(context: CommandContext, definition: ProcessDefinitionEntity, tenantId: string, variables: Record<string, unknown>): Promise<string> {
  if (definition.suspended) throw new ConflictError(`公众上报渠道的流程已挂起 (process definition '${definition.id}' is suspended and cannot start instances)`);
  const process = await context.environment.deployments.get(context.session, definition.id);
  const runtime = InstanceRuntime.create(context, process, null);
  runtime.root.tenantId = tenantId;
  const start = process.model.root.startActivity;
  await recordAction(context, { processInstanceId: runtime.root.id, tenantId, operation: 'start', activityId: start?.id, activityName: start?.name });
  await runtime.start(variables);
  return runtime.root.id;
}
