import type { Context } from 'koa';
import type { Actor } from '../command/index.js';
import type { FileStorageConfig, PublicReportSettings } from '../config/index.js';
import { BadUserRequestError } from '../errors/index.js';
import { FileContents, newFile, receiveMultipart, recogniseType, thumbnailOf, type NewFile, type ReceiveRefusals } from '../files/index.js';
import { FormValidationError, type FieldError, type FormLanguage } from '../forms/index.js';
import { readAs, type ApiKeys, type Principal } from '../identity/index.js';
import type { Logger } from '../logging/index.js';
import { DbSession } from '../persistence/index.js';
import { requireTenant } from '../identity/organisation/rules.js';
import type { ProcessEngine } from '../services/index.js';
import { SiteverifyCaptcha, type CaptchaVerifier } from './captcha.js';
import {
  channelCategories, channelProcess, channelView, leafCategories, openChannel, photoPolicy, SetPublicChannelCmd,
  type CategoryNode, type ChannelInput, type ChannelView, type PhotoPolicy,
} from './channel.js';
import { clientAddress, type ClientAddress } from './client-address.js';
import {
  clientLimits, clientOf, listClients, PORTAL_CHANNEL, RegisterChannelClientCmd, RevokeChannelClientCmd, viewOf, CLIENT_PERMISSION,
  type ChannelClientInput, type ChannelClientView,
} from './clients.js';
import { CaptchaFailedError, PhotoTooLargeError, ReportingUnavailableError } from './errors.js';
import { addressLimits, CountRequestCmd, refuseReportOverLimits, type ClientLimits } from './rate-limits.js';
import { RateReportCmd, satisfaction, type RatingInput, type Satisfaction, type SatisfactionRange } from './rating.js';
import { checkReport, labelOf, misplacedPart, photoRefusal, photoTooLarge, refused, reportParts } from './report-form.js';
import { reportStatus, type Rating, type ReportStatus } from './status.js';
import { runNumberingCommand } from '../services/commands/serial-numbers.js';
import { reportingUnavailable, SubmitReportCmd, type SubmittedReport } from './submission.js';
import type { PublicChannelEntity } from './tables.js';
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
const FIELD_LIMITS = { max: 20, maxLength: 16 * 1024 };

/**
 * Who reports: an address of the anonymous portal, or an API client of the channel (WeChat
 * official accounts, the citizen app) speaking for its citizens.
 */
interface Reporter {
  /** what the limits count: the address (an IPv6 network), or `client:<id>` */
  readonly key: string;
  readonly limits: ClientLimits;
  /** the channel code the report carries */
  readonly channel: string;
  /** an API client reports to its key's tenant only; null: the report names it (`tenant`) */
  readonly tenantId: string | null;
  /** the request's address for the captcha provider, when a captcha is asked for: of anonymous citizens only (a client vouches for its own) */
  readonly captchaAddress: string | null;
}

/** A channel client as registered: the answer shows its key, once. */
export interface RegisteredChannelClient extends ChannelClientView {
  /** `yw_...`: shown only now, as `Authorization: Bearer <key>` */
  readonly key: string;
}

/** Where a report goes, checked when its body starts to arrive. */
interface ReportTarget {
  readonly channel: PublicChannelEntity;
  readonly categories: ReadonlyMap<string, CategoryNode>;
  readonly policy: PhotoPolicy;
}

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
    /** prepares API keys (the identity module's own command), for registering channel clients */
    private readonly apiKeys: ApiKeys,
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
   * A citizen's report from a multipart/form-data request whose text fields come before its
   * photos. Before the body is read the attempt is counted (refused ones count too) and the
   * address's stored reports; as the fields arrive the channel is checked (the `tenant` field) and
   * the captcha verified (the `captchaToken` field), either failing ending the body; photos are
   * staged only then, each held to the size limit as it arrives. Then every field and photo (by
   * its content) is checked, and one command stores the photos, the case and the report. Any
   * refusal writes nothing but the attempt.
   */
  submit(ctx: Context, language: FormLanguage): Promise<SubmittedReport> {
    return this.receive(ctx, this.anonymous(ctx.ip, language), language);
  }

  /** A report an API client sends for a citizen: the same body, to the key's tenant, counted against the client's limits, without captcha. */
  async submitAsClient(ctx: Context, principal: Principal, language: FormLanguage): Promise<SubmittedReport> {
    return this.receive(ctx, await this.clientReporter(principal), language);
  }

  private async receive(ctx: Context, reporter: Reporter, language: FormLanguage): Promise<SubmittedReport> {
    const { settings } = this;
    const { limits } = reporter;
    await this.engine.commandExecutor.execute(new CountRequestCmd('report-attempt', reporter.key, limits, language));
    await this.readPublic((session) => refuseReportOverLimits(session, { address: reporter.key, phone: null }, limits, this.engine.environment.clock.now(), language));
    // the address a captcha is verified for, when the portal asks one of this reporter
    const captchaAddress = this.captcha ? reporter.captchaAddress : null;
    let target: Promise<ReportTarget> | null = null;
    const targetOf = (tenant: string | undefined) => (target ??= this.reportTarget(reporterTenant(reporter, tenant, language), language));
    let captcha: Promise<void> | null = null;
    let photosBegan = false;
    const body = await receiveMultipart(ctx.req, {
      limits: { maxSize: settings.photoMaxBytes, maxFiles: settings.photoMaxCount },
      fields: FIELD_LIMITS,
      newStage: () => this.contents.stage(),
      onField: async (name, value) => {
        if (name !== 'tenant' && name !== 'captchaToken') return;
        if (photosBegan) throw fieldsFirst(name, language);
        if (name === 'tenant') await targetOf(cleanText(value, true) || undefined);
        const token = cleanText(value, true);
        if (name === 'captchaToken' && captchaAddress !== null && token && !captcha) await (captcha = this.verifyCaptcha(token, captchaAddress, language));
      },
      beforeFile: async (field) => {
        photosBegan = true;
        if (field !== 'photos') throw new FormValidationError([misplacedPart(field, true, language)], misplacedPart(field, true, language).message);
        const { policy } = await targetOf(undefined);
        if (captchaAddress !== null && !captcha) throw fieldsFirst('captchaToken', language);
        return policy.maxBytes;
      },
      refusals: multipartRefusals(language, settings),
    });
    const placed: string[] = [];
    try {
      const { channel, categories, policy } = await targetOf(undefined);
      const { fields, errors: partErrors } = reportParts(body.fields, language);
      const { report, errors } = checkReport(fields, categories, captchaAddress !== null, language);
      const photoErrors: FieldError[] = [];
      const uploads: NewFile[] = [];
      for (const [index, { name, staged }] of body.files.entries()) {
        const contentType = staged.size === 0 ? null : await recogniseType(staged);
        const refusal = photoRefusal(index, name, staged.size, contentType, policy, language);
        if (refusal) photoErrors.push(refusal);
        else uploads.push({ file: newFile(name, contentType as string, staged, channel.tenantId, null, this.contents.storage, this.engine.environment.clock.now()), staged });
      }
      const refusals = [...partErrors, ...errors, ...photoErrors];
      if (refusals.length > 0) {
        const names = refusals.map((refusal) => refusal.field).join(', ');
        throw new FormValidationError(refusals, say(language, `上报有 ${refusals.length} 处错误：${names}`, `The report has ${refusals.length} invalid fields: ${names}`));
      }
      for (const { file, staged } of uploads) {
        file.thumbnail = await thumbnailOf(file, staged, this.logger);
        file.path = await this.contents.place(staged, file);
        if (file.path) placed.push(file.path);
      }
      const submission = {
        tenantId: channel.tenantId, processKey: channel.processKey, report, photos: uploads, contents: this.contents,
        submitter: { address: reporter.key, phone: report.phone }, limits, channel: reporter.channel, language,
      };
      // the case may be numbered by its start form's serial field: a busy counter runs the command again
      const executor = this.engine.commandExecutor;
      return await runNumberingCommand(new SubmitReportCmd(submission), (command) => executor.execute(command), executor);
    } catch (error) {
      await Promise.all(placed.map((relative) => this.contents.remove(relative)));
      throw error;
    } finally {
      await Promise.all(body.files.map((file) => file.discard()));
    }
  }

  /** The report's status; the lookup counts towards the client address's limit first. */
  status(ip: string, trackingCode: string, language: FormLanguage): Promise<ReportStatus> {
    return this.lookUp(this.anonymous(ip, language), trackingCode, language);
  }

  /** A report's status for an API client: any report of the key's tenant (whichever channel it came by), none of another's. */
  async statusAsClient(principal: Principal, trackingCode: string, language: FormLanguage): Promise<ReportStatus> {
    return this.lookUp(await this.clientReporter(principal), trackingCode, language);
  }

  /** Rates a closed report once; counted as a lookup, so ratings cannot probe tracking codes faster than lookups can. */
  rate(ip: string, trackingCode: string, input: RatingInput, language: FormLanguage): Promise<Rating> {
    return this.rateAs(this.anonymous(ip, language), trackingCode, input, language);
  }

  /** A citizen's rating through an API client: of a report of the key's tenant. */
  async rateAsClient(principal: Principal, trackingCode: string, input: RatingInput, language: FormLanguage): Promise<Rating> {
    return this.rateAs(await this.clientReporter(principal), trackingCode, input, language);
  }

  /** The portal as an API client builds its own page from: its key's tenant, no captcha. */
  async clientPortal(principal: Principal, language: FormLanguage): Promise<Portal> {
    await this.clientReporter(principal);
    return { ...(await this.portal(principal.tenantId, language)), captcha: null };
  }

  private async lookUp(reporter: Reporter, trackingCode: string, language: FormLanguage): Promise<ReportStatus> {
    await this.engine.commandExecutor.execute(new CountRequestCmd('lookup', reporter.key, reporter.limits, language));
    return this.readPublic((session) => reportStatus(session, trackingCode, language, reporter.tenantId));
  }

  private async rateAs(reporter: Reporter, trackingCode: string, input: RatingInput, language: FormLanguage): Promise<Rating> {
    await this.engine.commandExecutor.execute(new CountRequestCmd('lookup', reporter.key, reporter.limits, language));
    return this.engine.commandExecutor.execute(new RateReportCmd(trackingCode, input, language, reporter.tenantId));
  }

  /** The channel clients (revoked ones too, never their keys) of a tenant the caller sees (404 for another), by default their own. */
  clients(principal: Principal, tenantId?: string): Promise<ChannelClientView[]> {
    return readAs(this.engine.database, principal, async (session) => listClients(session, tenantId === undefined ? principal.tenantId : (await requireTenant(session, tenantId)).id));
  }

  /**
   * Registers a channel client with a new API key carrying only `public-report:submit`, acting for
   * `userId` (default: the caller) in the client's tenant: one transaction; the key is in the answer only.
   */
  async registerClient(principal: Principal, actor: Actor, input: ChannelClientInput): Promise<RegisteredChannelClient> {
    const { command, key } = await this.apiKeys.prepare(
      { name: `公众渠道：${input.name}`, userId: input.userId ?? principal.userId, tenantId: input.tenantId, permissions: [CLIENT_PERMISSION], expiresInDays: input.expiresInDays },
      principal,
    );
    const client = await this.engine.commandExecutor.execute(new RegisterChannelClientCmd(input, command), { actor });
    return { ...viewOf(client, input.userId ?? principal.userId), key };
  }

  /** Revokes a client of a tenant the caller sees (by default their own): its key stops working at once. */
  async revokeClient(actor: Actor, code: string, tenantId?: string): Promise<void> {
    await this.engine.commandExecutor.execute(new RevokeChannelClientCmd(code, tenantId), { actor });
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

  /** The client as the limits count it; an address that is none (a forged X-Forwarded-For) is a 400. */
  private client(ip: string, language: FormLanguage): ClientAddress {
    const client = clientAddress(ip, this.settings.ipv6Prefix);
    if (!client) throw new BadUserRequestError(say(language, '无法识别客户端的网络地址', "The client's network address is no IP address"));
    return client;
  }

  private anonymous(ip: string, language: FormLanguage): Reporter {
    const client = this.client(ip, language);
    return { key: client.key, limits: addressLimits(this.settings), channel: PORTAL_CHANNEL, tenantId: null, captchaAddress: client.address };
  }

  /** The API client the principal's key belongs to (403 for any other caller), counted by its own limits. */
  private async clientReporter(principal: Principal): Promise<Reporter> {
    // clientOf reads the client of the key in the key's own tenant: no scope needed
    const client = await this.readPublic((session) => clientOf(session, principal));
    return {
      key: `client:${client.id}`, limits: clientLimits(client, this.settings.reportsPerDayPerPhone), channel: client.code, tenantId: client.tenantId, captchaAddress: null,
    };
  }

  /**
   * The open channel a report names (or the only one), checked again now: its process is
   * deployed, not suspended and has a none start event — else a neutral 503, the cause logged —
   * with its categories and photo limits.
   */
  private reportTarget(tenant: string | undefined, language: FormLanguage): Promise<ReportTarget> {
    return this.readPublic(async (session) => {
      const { channel } = await openChannel(session, tenant, language);
      const { problem } = await channelProcess(session, this.engine.environment.deployments, channel.processKey, channel.tenantId);
      if (problem) {
        this.logger.warn({ tenantId: channel.tenantId, processKey: channel.processKey, problem }, 'the public channel cannot take reports');
        throw new ReportingUnavailableError(reportingUnavailable(language));
      }
      return { channel, categories: leafCategories(await channelCategories(session, channel)), policy: await photoPolicy(session, channel.tenantId, this.settings) };
    });
  }

  /** Asks the provider once per report; a refused token ends the body. */
  private async verifyCaptcha(token: string, address: string, language: FormLanguage): Promise<void> {
    if (!(await this.captcha?.verify(token, address))) throw new CaptchaFailedError(say(language, '人机验证未通过，请重试', 'The captcha was not solved; try again'));
  }
}

/** The tenant a report goes to: an API client's own (a report naming another is refused), else the one it names. */
function reporterTenant(reporter: Reporter, named: string | undefined, language: FormLanguage): string | undefined {
  if (reporter.tenantId === null) return named;
  if (named !== undefined && named !== reporter.tenantId) {
    throw new BadUserRequestError(say(language, '该接入方只能向本租户上报', `This client reports to tenant ${reporter.tenantId} only, not to '${named}'`));
  }
  return reporter.tenantId;
}

/** A field the server must act on before any photo arrives (the portal sends every field first). */
function fieldsFirst(field: 'tenant' | 'captchaToken', language: FormLanguage): FormValidationError {
  const label = labelOf(field, language);
  const error: FieldError = {
    field, label, rule: field === 'captchaToken' ? 'required' : 'order',
    message: say(language, `「${label}」须在照片之前提交`, `${label} must be sent before the photos`),
  };
  return new FormValidationError([error], error.message);
}

function multipartRefusals(language: FormLanguage, settings: PublicReportSettings): Partial<ReceiveRefusals> {
  const { photoMaxCount } = settings;
  const bad = (zh: string, en: string) => new BadUserRequestError(say(language, zh, en));
  return {
    notMultipart: (reason) => bad('请以 multipart/form-data 提交上报', `Send the report as multipart/form-data (${reason})`),
    tooLarge: (name, maxBytes, index) => new PhotoTooLargeError(photoTooLarge(index, name, maxBytes, language)),
    tooManyFiles: () => {
      const error = refused('maxItems', 'photos', language, { limit: photoMaxCount });
      return new FormValidationError([error], error.message);
    },
    tooManyFields: () => bad('上报的字段过多', 'The report has too many fields'),
    fieldTooLong: (name) => bad(`字段 ${name} 过长`, `The field '${name}' is too long`),
    unreadable: (reason) => bad(`无法读取上报内容：${reason}`, `The report cannot be read: ${reason}`),
    incomplete: () => bad('上报未完成，连接已断开', 'The connection closed before the report was complete'),
  };
}
