import type { Context } from 'koa';
import { Readable } from 'node:stream';
import { readMultipart, type MultipartMessages } from '../api/multipart.js';
import { timeOrderedId } from '../command/ids.js';
import type { Actor } from '../command/index.js';
import type { FileStorageConfig, PublicReportSettings } from '../config/index.js';
import { cleanFileName, FileContents, makeThumbnail, recogniseType, type NewFile, type StagedContent } from '../files/index.js';
import { FormValidationError, type FieldError, type FormLanguage } from '../forms/index.js';
import { readAs, type Principal } from '../identity/index.js';
import type { Logger } from '../logging/index.js';
import { DbSession } from '../persistence/index.js';
import type { ProcessEngine } from '../services/index.js';
import { SiteverifyCaptcha, type CaptchaVerifier } from './captcha.js';
import { channelCategories, channelView, leafCategories, openChannel, photoPolicy, SetPublicChannelCmd, type CategoryNode, type ChannelInput, type ChannelView, type PhotoPolicy } from './channel.js';
import { CaptchaFailedError } from './errors.js';
import { CountLookupCmd, refuseReportOverLimits } from './rate-limits.js';
import { RateReportCmd, satisfaction, type RatingInput, type Satisfaction, type SatisfactionRange } from './rating.js';
import { checkReport, photoRefusal, reportParts } from './report-form.js';
import { reportStatus, type Rating, type ReportStatus } from './status.js';
import { SubmitReportCmd, type SubmittedReport } from './submission.js';
import { cleanText, say } from './text.js';

/** What the portal's page is built from. */
export interface Portal {
  readonly tenantId: string;
  readonly tenantName: string;
  readonly categories: CategoryNode[];
  readonly photos: PhotoPolicy;
  readonly captcha: { readonly provider: string; readonly siteKey: string; readonly scriptUrl: string } | null;
}

/** Text fields of a report are short; the limit keeps a body of junk fields from being held. */
const FIELD_LIMITS = { fields: 20, fieldSize: 16 * 1024 };

/**
 * The public reporting portal: anonymous citizens report, follow and rate; staff configure their
 * tenant's channel and read the ratings. Anonymous work runs without an actor (no user, no audit
 * row) and reads only what the tracking code or the channel names.
 */
export class PublicReportService {
  private readonly contents: FileContents;
  private readonly captcha: CaptchaVerifier | null;

  constructor(
    private readonly engine: ProcessEngine,
    private readonly settings: PublicReportSettings,
    storage: FileStorageConfig,
    private readonly logger: Logger,
    captchaVerifier?: CaptchaVerifier,
  ) {
    this.contents = new FileContents(storage);
    this.captcha = settings.captcha ? (captchaVerifier ?? new SiteverifyCaptcha(settings.captcha, logger)) : null;
  }

  /** The portal of the tenant (or of the only open one): its categories, photo limits and captcha. */
  portal(tenantId: string | undefined, language: FormLanguage): Promise<Portal> {
    return this.readPublic(async (session) => {
      const { channel, tenantName } = await openChannel(session, tenantId, language);
      const captcha = this.settings.captcha;
      return {
        tenantId: channel.tenantId,
        tenantName,
        categories: await channelCategories(session, channel),
        photos: await photoPolicy(session, channel.tenantId, this.settings),
        captcha: captcha ? { provider: captcha.provider, siteKey: captcha.siteKey, scriptUrl: captcha.scriptUrl } : null,
      };
    });
  }

  /**
   * A citizen's report from a multipart/form-data request: the client address's limit is checked
   * before the body is read; then every field and photo (by its content), the captcha, and in one
   * command the limits again, the photos, the case and the report. Any refusal writes nothing.
   */
  async submit(ctx: Context, language: FormLanguage): Promise<SubmittedReport> {
    const { settings } = this;
    const address = ctx.ip;
    await this.readPublic((session) => refuseReportOverLimits(session, { address, phone: null }, settings, this.engine.environment.clock.now(), language));
    const parts = await readMultipart(ctx, {
      limits: { ...FIELD_LIMITS, files: settings.photoMaxCount, fileSize: settings.photoMaxBytes + 1 },
      messages: multipartMessages(language, settings),
    });
    const { fields, photos, errors: partErrors } = reportParts(parts, language);
    const { channel, categories, policy } = await this.readPublic(async (session) => {
      const open = await openChannel(session, cleanText(fields.tenant ?? '', true) || undefined, language);
      return { ...open, categories: leafCategories(await channelCategories(session, open.channel)), policy: await photoPolicy(session, open.channel.tenantId, settings) };
    });
    const { report, errors } = checkReport(fields, categories, this.captcha !== null, language);
    const stages: ReturnType<FileContents['stage']>[] = [];
    const placed: string[] = [];
    try {
      const photoErrors: FieldError[] = [];
      const uploads: NewFile[] = [];
      for (const [index, part] of photos.entries()) {
        const stage = this.contents.stage();
        stages.push(stage);
        const staged = await stage.receive(Readable.from([part.content]));
        const name = cleanFileName(part.filename);
        const contentType = staged.size === 0 ? null : await recogniseType(staged);
        const refusal = photoRefusal(index, name, staged.size, contentType, policy, language);
        if (refusal) photoErrors.push(refusal);
        else uploads.push({ file: this.newPhoto(name, contentType as string, staged, channel.tenantId), staged });
      }
      const refusals = [...partErrors, ...errors, ...photoErrors];
      if (refusals.length > 0) {
        const names = refusals.map((refusal) => refusal.field).join(', ');
        throw new FormValidationError(refusals, say(language, `上报有 ${refusals.length} 处错误：${names}`, `The report has ${refusals.length} invalid fields: ${names}`));
      }
      if (this.captcha && !(await this.captcha.verify(report.captchaToken ?? '', address))) {
        throw new CaptchaFailedError(say(language, '人机验证未通过，请重试', 'The captcha was not solved; try again'));
      }
      for (const { file, staged } of uploads) {
        file.thumbnail = await this.thumbnail(staged);
        file.path = await this.contents.place(staged, file);
        if (file.path) placed.push(file.path);
      }
      const submission = { tenantId: channel.tenantId, processKey: channel.processKey, report, photos: uploads, contents: this.contents, submitter: { address, phone: report.phone }, settings, language };
      return await this.engine.commandExecutor.execute(new SubmitReportCmd(submission));
    } catch (error) {
      await Promise.all(placed.map((relative) => this.contents.remove(relative)));
      throw error;
    } finally {
      await Promise.all(stages.map((stage) => stage.discard()));
    }
  }

  /** The report's status; the lookup counts towards the client address's limit first. */
  async status(address: string, trackingCode: string, language: FormLanguage): Promise<ReportStatus> {
    await this.engine.commandExecutor.execute(new CountLookupCmd(address, this.settings, language));
    return this.readPublic((session) => reportStatus(session, trackingCode, language));
  }

  /** Rates a closed report once; counted as a lookup, so ratings cannot probe tracking codes faster than lookups can. */
  async rate(address: string, trackingCode: string, input: RatingInput, language: FormLanguage): Promise<Rating> {
    await this.engine.commandExecutor.execute(new CountLookupCmd(address, this.settings, language));
    return this.engine.commandExecutor.execute(new RateReportCmd(trackingCode, input, language));
  }

  channel(principal: Principal): Promise<ChannelView> {
    return readAs(this.engine.database, principal, (session) => channelView(session, principal.tenantId));
  }

  async setChannel(principal: Principal, actor: Actor, input: ChannelInput): Promise<ChannelView> {
    await this.engine.commandExecutor.execute(new SetPublicChannelCmd(input), { actor });
    return this.channel(principal);
  }

  satisfaction(principal: Principal, range: SatisfactionRange): Promise<Satisfaction> {
    return readAs(this.engine.database, principal, (session) => satisfaction(session, range));
  }

  /** Reads for anonymous callers: unscoped, so each read names its tenant, channel or tracking code itself. */
  private readPublic<T>(work: (session: DbSession) => Promise<T>): Promise<T> {
    return this.engine.database.read((sql) => work(new DbSession(sql)));
  }

  private newPhoto(name: string, contentType: string, staged: StagedContent, tenantId: string): NewFile['file'] {
    return {
      id: timeOrderedId(), tenantId, name, contentType, size: staged.size, sha256: staged.sha256, storage: this.contents.storage, path: null, thumbnail: null,
      created: this.engine.environment.clock.now(), createdBy: null,
    };
  }

  private async thumbnail(staged: StagedContent): Promise<Buffer | null> {
    try {
      return await makeThumbnail(staged.source);
    } catch (error) {
      this.logger.debug({ err: error }, 'no thumbnail: the photo cannot be decoded');
      return null;
    }
  }
}

function multipartMessages(language: FormLanguage, settings: PublicReportSettings): MultipartMessages {
  const { photoMaxBytes, photoMaxCount } = settings;
  return {
    notMultipart: (contentType) => say(language, '请以 multipart/form-data 提交上报', `Send the report as multipart/form-data, not ${contentType}`),
    fileTooLarge: (name) => say(language, `照片 ${name} 超过大小上限 ${photoMaxBytes} 字节`, `photo '${name}' is larger than ${photoMaxBytes} bytes`),
    tooManyFiles: say(language, `最多上传 ${photoMaxCount} 张照片`, `At most ${photoMaxCount} photos go with a report`),
    tooManyFields: say(language, '上报的字段过多', 'The report has too many fields'),
    fieldTooLong: (name) => say(language, `字段 ${name} 过长`, `The field '${name}' is too long`),
    unreadable: (reason) => say(language, `无法读取上报内容：${reason}`, `The report cannot be read: ${reason}`),
  };
}
