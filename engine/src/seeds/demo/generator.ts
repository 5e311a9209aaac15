/**
 * The demo history generator: cases of `cc_case` driven through the engine's own commands, each
 * at its moment of the last N days — a discrete-event simulation on the engine's clock. Every
 * case's steps (上报, 受理, 核实, 立案, 派遣, 处置, 核查, 结案 and the side flows) are events in
 * one time-ordered queue; before an event the clock is set to its time and the jobs that came
 * due meanwhile run (deadline reminders, 督办 escalations), so rows, history, the timeline and
 * the audit log carry the simulated times. Nothing is inserted but by commands.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Actor } from '../../command/index.js';
import { DEFAULT_FILE_STORAGE, FileContents, newFile, StoreFilesCmd } from '../../files/index.js';
import { DEFAULT_PUBLIC_REPORT_SETTINGS } from '../../config/index.js';
import { addressLimits, RateReportCmd, SubmitReportCmd, type RatingScore } from '../../public-reports/index.js';
import { runNumberingCommand } from '../../services/commands/serial-numbers.js';
import type { ProcessEngine } from '../../services/index.js';
import { ClaimOperationCmd, DecideCaseRequestCmd, ParkCaseCmd, RequestCaseChangeCmd, ResumeCaseCmd, ReturnTaskCmd } from '../../tasks/index.js';
import type { SettableClock } from './clock.js';
import { Random } from './random.js';
import { readReference, type Category, type Department, type Grid, type Reference, type StaffMember, type StaffRole } from './reference.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** how often, in simulated time, due jobs are run as the clock moves */
const JOB_TICK = 15 * MINUTE;

export const DEFAULT_DISTRIBUTIONS_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../seeds/demo/distributions.json');

interface Delay {
  readonly median: number;
  readonly spread: number;
}

export interface Distributions {
  readonly sources: Record<string, number>;
  readonly urgency: Record<string, number>;
  readonly categoryWeights: Record<string, number> & { default: number };
  readonly publicCategoryByMajor: Record<string, string>;
  readonly shares: {
    readonly verifyBeforeAccept: number; readonly rework: number; readonly secondRework: number; readonly returnFromHandle: number; readonly extension: number;
    readonly extensionRejected: number; readonly void: number; readonly park: number; readonly overdueHandle: number;
  };
  readonly reportsByHour: readonly number[];
  readonly delayMinutes: {
    readonly accept: Delay; readonly verify: Delay; readonly register: Delay; readonly dispatch: Delay; readonly handleClaim: Delay;
    readonly handleShareOfLimit: readonly [number, number]; readonly overdueBeyondLimit: Delay; readonly check: Delay; readonly close: Delay;
    readonly decide: Delay; readonly parked: Delay; readonly reportBack: Delay;
    /** from closure to the citizen's rating; absent: a day, spread 3 */
    readonly rate?: Delay;
  };
  readonly extensionHours: readonly number[];
  /** citizens' ratings of their closed reports; absent: nobody rates */
  readonly rating?: {
    /** the fraction of citizens whose closed report gets a rating */
    readonly share: number;
    /** relative weights of 满意 / 基本满意 / 不满意 */
    readonly scores: Record<RatingScore, number>;
    /** the fraction of ratings with a comment */
    readonly commentShare: number;
  };
}

export function readDistributions(file = DEFAULT_DISTRIBUTIONS_FILE): Distributions {
  return JSON.parse(readFileSync(file, 'utf8')) as Distributions;
}

export interface DemoOptions {
  readonly cases: number;
  readonly days: number;
  readonly tenantId: string;
  readonly seed: number;
  /** the end of the window (default: now); the clock is left there */
  readonly end?: Date;
  readonly distributions?: Distributions;
  /** called every `progressEvery` cases finished or left open */
  readonly progress?: (report: Progress) => void;
  readonly progressEvery?: number;
}

export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly elapsedMs: number;
  readonly simulatedAt: Date;
}

export interface DemoSummary {
  readonly cases: number;
  readonly processInstanceIds: readonly string[];
  /** by the history's state (COMPLETED, ACTIVE, EXTERNALLY_TERMINATED …) */
  readonly byState: Record<string, number>;
  /** what the plans drew and the run did */
  readonly started: number;
  readonly closed: number;
  readonly voided: number;
  readonly parkedNow: number;
  readonly open: number;
  readonly reworked: number;
  readonly reworks: number;
  readonly returned: number;
  readonly extensionsRequested: number;
  readonly extensionsApproved: number;
  readonly parked: number;
  readonly verified: number;
  /** tasks of these cases that ended after their due date, or are open past it */
  readonly overdueTasks: number;
  readonly overdueCases: number;
  /** 督办 entries (`escalate`) in the timelines of these cases */
  readonly escalations: number;
  /** citizens' ratings of closed public reports given within the window, by score, and how many carry a comment */
  readonly ratings: Record<RatingScore, number>;
  readonly ratedWithComment: number;
  readonly bySource: Record<string, number>;
  readonly jobsRun: number;
  readonly failures: readonly string[];
  readonly elapsedMs: number;
}

/** What one case will go through, drawn up front from its own random stream. */
interface CasePlan {
  readonly index: number;
  readonly random: Random;
  readonly startAt: number;
  readonly source: string;
  readonly category: Category;
  readonly urgency: string;
  readonly grid: Grid;
  readonly department: Department;
  readonly reporter: StaffMember;
  readonly verify: boolean;
  readonly void: boolean;
  readonly reworks: number;
  readonly returnFromHandle: boolean;
  readonly extension: boolean;
  readonly extensionApproved: boolean;
  readonly park: boolean;
  readonly overdue: boolean;
  /** the citizen's rating once the case is closed (public reports only), null: they do not rate */
  readonly rating: PlannedRating | null;
}

interface PlannedRating {
  readonly score: RatingScore;
  readonly comment: string | null;
  /** its own stream, so drawing ratings leaves every other draw of the case as it was */
  readonly random: Random;
}

interface CaseRun {
  readonly plan: CasePlan;
  processInstanceId: string | null;
  verified: boolean;
  returned: boolean;
  reworksDone: number;
  extended: boolean;
  parked: boolean;
  handler: StaffMember | null;
  requestId: string | null;
  businessKey: string | null;
  /** the public report's tracking code (公众 cases through the public channel) */
  trackingCode: string | null;
  rated: RatingScore | null;
  state: 'open' | 'closed' | 'voided' | 'failed';
}

type Step = (run: CaseRun) => Promise<Next | null>;
interface Next {
  readonly at: number;
  readonly step: Step;
}

interface QueuedEvent {
  readonly at: number;
  readonly order: number;
  readonly run: CaseRun;
  readonly step: Step;
}

/** A binary min-heap of events by time, then by the order they were queued (ties are deterministic). */
class EventQueue {
  private readonly items: QueuedEvent[] = [];
  private counter = 0;

  get size(): number {
    return this.items.length;
  }

  push(at: number, run: CaseRun, step: Step): void {
    const items = this.items;
    items.push({ at, order: this.counter++, run, step });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  peek(): QueuedEvent | undefined {
    return this.items[0];
  }

  pop(): QueuedEvent | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && before(items[left]!, items[smallest]!)) smallest = left;
        if (right < items.length && before(items[right]!, items[smallest]!)) smallest = right;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest]!, items[i]!];
        i = smallest;
      }
    }
    return top;
  }
}

const before = (a: QueuedEvent, b: QueuedEvent) => a.at < b.at || (a.at === b.at && a.order < b.order);

const entries = (weights: Record<string, number>) => Object.entries(weights).filter(([key]) => !key.startsWith('$')) as [string, number][];

const DESCRIPTIONS: Record<string, readonly string[]> = {
  default: ['现场发现问题，影响市容市貌', '群众反映问题，请尽快处理', '巡查发现，需相关部门处置'],
  SJ06010: ['路边绿化带旁有暴露垃圾约 2 平方米', '人行道上堆放生活垃圾，未及时清运'],
  SJ09006: ['商贩占用人行道摆摊经营', '早市摊点占道经营，影响通行'],
  SJ09009: ['机动车占用人行道停放', '小区出入口机动车乱停放，堵塞通道'],
  SJ09010: ['非机动车乱停放，占用盲道'],
  BJ01002: ['污水井盖破损，存在安全隐患'],
  BJ01003: ['雨水井盖缺失，已设置临时围挡'],
};

/** what citizens write when they rate, by score */
const RATING_COMMENTS: Record<RatingScore, readonly string[]> = {
  satisfied: ['处理很及时，点赞', '问题已解决，谢谢', '工作人员很负责'],
  'basically-satisfied': ['处理了，但等了比较久', '基本解决，希望以后多巡查'],
  dissatisfied: ['问题没有彻底解决', '处理太慢了', '过几天又出现了'],
};

/** the default delay from closure to a rating when distributions.json names none (minutes) */
const DEFAULT_RATE_DELAY: Delay = { median: 1440, spread: 3 };

/** salt of the ratings' random stream (any constant other than 0) */
const RATING_STREAM = 0x5a7e;

const STREET_NAMES = ['文惠路', '五一路', '解放北路', '龙城路', '桂中大道', '航银路', '柳石路', '屏山大道', '跃进路', '潭中西路', '三中路', '东环大道'];

/**
 * Generates `cases` cases over the last `days` days in the tenant through the engine's commands;
 * the engine must run on `clock`. The Liuzhou seeds and the command-coordination plugin must be
 * in the tenant (`prepareTenant`).
 */
export async function generateDemoHistory(engine: ProcessEngine, clock: SettableClock, options: DemoOptions): Promise<DemoSummary> {
  const started = Date.now();
  const distributions = options.distributions ?? readDistributions();
  const end = (options.end ?? new Date()).getTime();
  const windowStart = end - options.days * DAY;
  clock.set(windowStart);
  const reference = await readReference(engine, clock, options.tenantId);
  checkReference(reference);
  const [definition] = await engine.repositoryService.listProcessDefinitions({ key: 'cc_case', latestVersion: true, tenantIdIn: [options.tenantId] });
  if (!definition) throw new Error(`tenant ${options.tenantId} has no process cc_case: install the command-coordination plugin`);
  const photos = await storePhotos(engine, clock, reference);
  const tag = createHash('sha256').update(`${options.seed}:${started}`).digest('hex').slice(0, 4).toUpperCase();

  const plans = Array.from({ length: options.cases }, (_, index) => drawPlan(index, options, reference, distributions, windowStart, end));
  const queue = new EventQueue();
  const runs: CaseRun[] = plans.map((plan) => ({
    plan, processInstanceId: null, verified: false, returned: false, reworksDone: 0, extended: false, parked: false, handler: null, requestId: null, businessKey: null,
    trackingCode: null, rated: null, state: 'open',
  }));
  for (const run of runs) queue.push(run.plan.startAt, run, startCase);

  const counters = { returned: 0, extensionsRequested: 0, extensionsApproved: 0, parked: 0, verified: 0, reworks: 0 };
  const failures: string[] = [];
  let jobsRun = 0;
  let nextJobTick = windowStart + JOB_TICK;
  let finished = 0;
  const every = options.progressEvery ?? Math.max(1, Math.round(options.cases / 20));
  const ended = (run: CaseRun) => {
    finished += 1;
    if (options.progress && (finished % every === 0 || finished === options.cases)) {
      options.progress({ done: finished, total: options.cases, elapsedMs: Date.now() - started, simulatedAt: clock.now() });
    }
    void run;
  };

  const runJobsUntil = async (at: number) => {
    while (nextJobTick <= at) {
      clock.set(nextJobTick);
      jobsRun += await engine.jobExecutor.runDueJobs();
      nextJobTick += JOB_TICK;
    }
  };

  const delay = (run: CaseRun, of: Delay, random = run.plan.random) => Math.max(MINUTE, random.lognormal(of.median, of.spread) * MINUTE);
  const after = (run: CaseRun, of: Delay, step: Step, random = run.plan.random): Next => ({ at: clock.now().getTime() + delay(run, of, random), step });
  const d = distributions.delayMinutes;

  async function openTask(run: CaseRun, activityId: string) {
    const tasks = await engine.taskService.listTasks({ processInstanceId: run.processInstanceId! });
    const task = tasks.find((t) => t.taskDefinitionKey === activityId);
    if (!task) throw new Error(`case ${run.plan.index}: no open task '${activityId}' (open: ${tasks.map((t) => t.taskDefinitionKey).join(', ') || 'none'})`);
    return task;
  }

  const act = <T>(who: StaffMember, command: Parameters<ProcessEngine['commandExecutor']['execute']>[0]) =>
    engine.commandExecutor.execute(command, { actor: who.actor as Actor }) as Promise<T>;

  /** 认领 when unassigned, then 通过 with the step's form data changed by `changes` */
  async function approve(run: CaseRun, activityId: string, as: StaffMember, changes: Record<string, unknown>, comment?: string): Promise<void> {
    const task = await openTask(run, activityId);
    let who = as;
    if (!task.assignee) await act(as, new ClaimOperationCmd(task.id, 'claim'));
    else if (task.assignee !== as.userId) who = memberOf(reference, task.assignee) ?? as;
    const form = await who.services.formService.getTaskForm(task.id);
    const data = { ...(form.data as Record<string, unknown>), ...changes };
    await who.services.formService.submitTaskForm(task.id, { data, language: 'zh-CN' }, { operation: 'approve', input: comment ? { comment } : {} });
  }

  const staffOf = (run: CaseRun, role: StaffRole) => run.plan.random.pick(reference.staff[role]);

  // ---- the steps -------------------------------------------------------------------------------

  async function startCase(run: CaseRun): Promise<Next | null> {
    const { plan } = run;
    const address = `${plan.grid.label}${plan.random.pick(STREET_NAMES)}${plan.random.int(1, 300)}号`;
    const location = { longitude: round(109.41 + plan.random.between(-0.08, 0.08)), latitude: round(24.33 + plan.random.between(-0.08, 0.08)), address };
    const description = plan.random.pick(DESCRIPTIONS[plan.category.code] ?? DESCRIPTIONS.default!);
    const region = { district: plan.grid.district, street: plan.grid.street, community: plan.grid.community, grid: plan.grid.grid };
    if (plan.source === 'upper') {
      const key = `GX-DB-${localDate(clock.now())}-${tag}${String(plan.index).padStart(5, '0')}`;
      const [result] = await engine.runtimeService.correlateMessage({
        messageName: 'cc_upper_assignment', businessKey: key, tenantId: options.tenantId,
        processVariables: { upperTaskId: key, category: plan.category.code, categoryLabel: plan.category.label, urgency: plan.urgency, description: `自治区督办：${description}`, location, address, region },
      });
      run.businessKey = key;
      run.processInstanceId = result?.processInstanceId ?? (await engine.runtimeService.listProcessInstances({ businessKey: key }))[0]?.id ?? null;
    } else if (plan.source === 'public' && reference.publicChannel) {
      const category = distributions.publicCategoryByMajor[plan.category.major] ?? 'ps-other';
      const code = reference.publicChannel.categories.has(category) ? category : [...reference.publicChannel.categories][0]!;
      // as the portal submits it: a day's first case number creates the day's counter, then the command runs again
      const submitted = await runNumberingCommand(new SubmitReportCmd({
        tenantId: options.tenantId, processKey: 'cc_case',
        report: { category: code, categoryLabel: reference.publicChannel.labels.get(code) ?? code, description, location, phone: null, captchaToken: null },
        photos: [], contents: photoContents, limits: addressLimits(PUBLIC_SETTINGS), channel: 'public', language: 'zh-CN',
        submitter: { address: `10.${plan.random.int(0, 256)}.${plan.random.int(0, 256)}.${plan.random.int(1, 255)}`, phone: null },
      }), (command) => engine.commandExecutor.execute(command), engine.commandExecutor);
      const [report] = await engine.database.read((sql) => sql.select('SELECT process_instance_id FROM public_report WHERE tracking_code = $1', [submitted.trackingCode]));
      run.processInstanceId = report ? String(report.process_instance_id) : null;
      run.trackingCode = submitted.trackingCode;
    } else {
      const started = await plan.reporter.services.formService.submitStartForm(definition!.id, {
        businessKey: null,
        submission: { data: { source: plan.source, category: plan.category.code, urgency: plan.urgency, region, description, address, location, photos: plan.source === 'supervisor' ? [photos.before] : [] }, language: 'zh-CN' },
      });
      run.processInstanceId = started.id;
    }
    if (!run.processInstanceId) throw new Error(`case ${plan.index}: started, but its instance was not found`);
    return after(run, d.accept, accept);
  }

  async function accept(run: CaseRun): Promise<Next | null> {
    const { plan } = run;
    const receptionist = staffOf(run, 'receptionist');
    if (plan.void) {
      const task = await openTask(run, 'accept');
      if (!task.assignee) await act(receptionist, new ClaimOperationCmd(task.id, 'claim'));
      const request = await act<{ id: string }>(receptionist, new RequestCaseChangeCmd(task.id, 'void', { comment: plan.random.pick(['重复上报', '不属于城市管理范围', '现场核实不存在']) }));
      run.requestId = request.id;
      return after(run, d.decide, decideVoid);
    }
    const region = { district: plan.grid.district, street: plan.grid.street, community: plan.grid.community, grid: plan.grid.grid };
    const base = { category: plan.category.code, urgency: plan.urgency, region };
    if (plan.verify && !run.verified) {
      await approve(run, 'accept', receptionist, { ...base, acceptAction: 'verify', acceptNote: '请监督员现场核实' });
      return after(run, d.verify, verify);
    }
    await approve(run, 'accept', receptionist, { ...base, acceptAction: 'register', acceptNote: '属城市管理范围，予以受理' });
    return after(run, d.register, register);
  }

  async function verify(run: CaseRun): Promise<Next | null> {
    await approve(run, 'verify_report', staffOf(run, 'supervisor'), { verifyResult: 'confirmed', verifyNote: '现场核实属实', verifyPhotos: [photos.before] });
    run.verified = true;
    counters.verified += 1;
    return after(run, d.accept, accept);
  }

  async function decideVoid(run: CaseRun): Promise<Next | null> {
    await act(staffOf(run, 'shift-leader'), new DecideCaseRequestCmd(run.requestId!, true, { comment: '同意作废' }));
    run.state = 'voided';
    return null;
  }

  async function register(run: CaseRun): Promise<Next | null> {
    await approve(run, 'register', staffOf(run, 'shift-leader'), {}, '符合立案条件');
    return after(run, d.dispatch, dispatch);
  }

  async function dispatch(run: CaseRun): Promise<Next | null> {
    const department = run.returned && run.handler ? fallbackDepartment(reference, run.plan.department) : run.plan.department;
    run.handler = run.plan.random.pick(department.handlers);
    await approve(run, 'dispatch', staffOf(run, 'dispatcher'), { department: department.id, dispatchNote: `派遣至${department.name}，请按时处置` });
    return after(run, d.handleClaim, claimHandle);
  }

  async function claimHandle(run: CaseRun): Promise<Next | null> {
    const task = await openTask(run, 'handle');
    const handler = task.assignee ? (memberOf(reference, task.assignee) ?? run.handler!) : run.handler!;
    run.handler = handler;
    if (!task.assignee) await act(handler, new ClaimOperationCmd(task.id, 'claim'));
    const now = clock.now().getTime();
    if (run.plan.returnFromHandle && !run.returned) return { at: now + delay(run, d.dispatch), step: returnToDispatch };
    if (run.plan.park && !run.parked) return { at: now + delay(run, d.dispatch), step: park };
    if (run.plan.extension && !run.extended) return { at: now + delay(run, d.dispatch), step: requestExtension };
    return { at: await finishAt(run), step: handle };
  }

  /** within the task's limit at a share of it; an overdue case past its due date */
  async function finishAt(run: CaseRun): Promise<number> {
    const task = await openTask(run, 'handle');
    const now = clock.now().getTime();
    const due = task.dueDate ? task.dueDate.getTime() : now + DAY;
    const created = Math.min(task.createTime.getTime(), now);
    if (run.plan.overdue && run.reworksDone === 0) return Math.max(now, due) + delay(run, d.overdueBeyondLimit);
    const [low, high] = d.handleShareOfLimit;
    return Math.max(now + MINUTE, created + (due - created) * run.plan.random.between(low, high));
  }

  async function returnToDispatch(run: CaseRun): Promise<Next | null> {
    const task = await openTask(run, 'handle');
    await act(run.handler!, new ReturnTaskCmd(task.id, 'dispatch', { comment: '非本部门职责，请重新派遣' }));
    run.returned = true;
    counters.returned += 1;
    return after(run, d.dispatch, dispatch);
  }

  async function park(run: CaseRun): Promise<Next | null> {
    const task = await openTask(run, 'handle');
    await act(run.handler!, new ParkCaseCmd(task.id, { comment: run.plan.random.pick(['需协调产权单位，暂时挂账', '涉及历史遗留问题，待上级协调']) }));
    run.parked = true;
    counters.parked += 1;
    return after(run, d.parked, resume);
  }

  async function resume(run: CaseRun): Promise<Next | null> {
    await act(run.handler!, new ResumeCaseCmd(run.processInstanceId!, false, { comment: '条件具备，恢复办理' }));
    return { at: await finishAt(run), step: handle };
  }

  async function requestExtension(run: CaseRun): Promise<Next | null> {
    const task = await openTask(run, 'handle');
    const hours = run.plan.random.pick(distributions.extensionHours);
    const request = await act<{ id: string }>(run.handler!, new RequestCaseChangeCmd(task.id, 'extension', { comment: '需采购配件，申请延期', extensionMs: hours * HOUR }));
    run.requestId = request.id;
    run.extended = true;
    counters.extensionsRequested += 1;
    return after(run, d.decide, decideExtension);
  }

  async function decideExtension(run: CaseRun): Promise<Next | null> {
    const approved = run.plan.extensionApproved;
    await act(staffOf(run, 'shift-leader'), new DecideCaseRequestCmd(run.requestId!, approved, { comment: approved ? '同意延期' : '不同意延期，请按时办结' }));
    if (approved) counters.extensionsApproved += 1;
    return { at: await finishAt(run), step: handle };
  }

  async function handle(run: CaseRun): Promise<Next | null> {
    const note = run.reworksDone > 0 ? '已按核查意见返工整改' : '已处置完毕，现场恢复正常';
    await approve(run, 'handle', run.handler!, { handlingNote: note, afterPhotos: [photos.after] });
    return after(run, d.check, check);
  }

  async function check(run: CaseRun): Promise<Next | null> {
    const fail = run.reworksDone < run.plan.reworks;
    await approve(run, 'check', staffOf(run, 'supervisor'), fail
      ? { checkResult: 'fail', checkNote: '现场仍未整改到位，请返工', checkPhotos: [photos.before] }
      : { checkResult: 'pass', checkNote: '核查通过', checkPhotos: [photos.after] });
    if (fail) {
      run.reworksDone += 1;
      counters.reworks += 1;
      return after(run, d.handleClaim, claimHandle);
    }
    return after(run, d.close, close);
  }

  async function close(run: CaseRun): Promise<Next | null> {
    await approve(run, 'close', staffOf(run, 'shift-leader'), { closeNote: '按期办结' });
    if (run.plan.source === 'upper') return after(run, d.reportBack, reportBack);
    run.state = 'closed';
    const rating = run.plan.rating;
    // only a report the citizen can follow by tracking code can be rated; past the window's end it stays unrated
    if (rating && run.trackingCode) return after(run, d.rate ?? DEFAULT_RATE_DELAY, rate, rating.random);
    return null;
  }

  async function rate(run: CaseRun): Promise<Next | null> {
    const { score, comment } = run.plan.rating!;
    // the citizen's rating as the portal sends it: the public-reports command, by tracking code, no user
    await engine.commandExecutor.execute(new RateReportCmd(run.trackingCode!, { score, ...(comment ? { comment } : {}) }, 'zh-CN'));
    run.rated = score;
    return null;
  }

  async function reportBack(run: CaseRun): Promise<Next | null> {
    // what the plugin's cc-report-back worker does, through the external-task service at the simulated time
    const locked = await engine.externalTaskService.fetchAndLock({
      workerId: 'seed-demo', maxTasks: 1, topics: [{ topicName: 'cc-report-back', lockDuration: 5 * MINUTE, businessKey: run.businessKey! }],
    });
    for (const task of locked) await engine.externalTaskService.complete(task.id, 'seed-demo', { reportedBackAt: clock.now().toISOString() });
    run.state = 'closed';
    return null;
  }

  // ---- the loop --------------------------------------------------------------------------------

  for (let event = queue.pop(); event; event = queue.pop()) {
    if (event.at > end) {
      // this case stays where it is: open at its step (or parked) when the window closes
      ended(event.run);
      continue;
    }
    await runJobsUntil(event.at);
    clock.set(event.at);
    try {
      const next = await event.step(event.run);
      if (next) queue.push(Math.max(next.at, event.at), event.run, next.step);
      else ended(event.run);
    } catch (error) {
      event.run.state = 'failed';
      failures.push(`case ${event.run.plan.index} (${event.step.name}): ${error instanceof Error ? error.message : String(error)}`);
      ended(event.run);
    }
  }
  await runJobsUntil(end);
  clock.set(end);
  jobsRun += await engine.jobExecutor.runDueJobs();

  return summarise(engine, runs, counters, failures, jobsRun, end, Date.now() - started);
}

const PUBLIC_SETTINGS = { ...DEFAULT_PUBLIC_REPORT_SETTINGS, reportsPerHourPerAddress: 1_000_000, reportsPerDayPerPhone: 1_000_000, attemptsPerHourPerAddress: 1_000_000 };
const photoContents = new FileContents(DEFAULT_FILE_STORAGE);

/** a small PNG (8×8): the demo's before and after photos */
const PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEklEQVR4nGP4z8CAFWEXHbQSACj/P8Fu7N9hAAAAAElFTkSuQmCC', 'base64');

/** Two photos of the tenant, stored once per run by a supervisor through the file command (database storage). */
async function storePhotos(engine: ProcessEngine, clock: SettableClock, reference: Reference) {
  const supervisor = reference.staff.supervisor[0]!;
  const staged = { size: PHOTO.length, sha256: createHash('sha256').update(PHOTO).digest('hex'), head: PHOTO, source: PHOTO };
  const uploads = ['现场照片.png', '处置后照片.png'].map((name) => ({ file: newFile(name, 'image/png', staged, reference.tenantId, supervisor.userId, photoContents.storage, clock.now()), staged }));
  const files = await engine.commandExecutor.execute(new StoreFilesCmd(uploads, photoContents), { actor: supervisor.actor });
  return { before: { id: files[0]!.id, name: files[0]!.name }, after: { id: files[1]!.id, name: files[1]!.name } };
}

function checkReference(reference: Reference): void {
  const missing = (['supervisor', 'receptionist', 'shift-leader', 'dispatcher', 'handler'] as const).filter((role) => reference.staff[role].length === 0);
  if (missing.length > 0) throw new Error(`tenant ${reference.tenantId} has no demo user holding the role(s) ${missing.join(', ')}: load the Liuzhou seeds (npm start once) or pick a tenant with demo users (450200, 450222)`);
  if (reference.categories.length === 0) throw new Error(`tenant ${reference.tenantId} has no cc-case-category dictionary: install the command-coordination plugin`);
  if (reference.grids.length === 0) throw new Error(`tenant ${reference.tenantId} has no grids in the region dictionary: load the Liuzhou seeds`);
  if (![...reference.departments.values()].some((department) => department.handlers.length > 0)) throw new Error(`tenant ${reference.tenantId} has no department with a handler`);
}

function memberOf(reference: Reference, userId: string): StaffMember | undefined {
  for (const members of Object.values(reference.staff)) {
    const found = members.find((member) => member.userId === userId);
    if (found) return found;
  }
  return undefined;
}

/** The lead department (城管局) or the first with handlers: where a case without a staffed responsible department goes. */
function fallbackDepartment(reference: Reference, not?: Department): Department {
  const staffed = [...reference.departments.values()].filter((department) => department.handlers.length > 0);
  return staffed.find((department) => department.code === 'cgj' && department !== not) ?? staffed.find((department) => department !== not) ?? staffed[0]!;
}

function drawPlan(index: number, options: DemoOptions, reference: Reference, distributions: Distributions, windowStart: number, end: number): CasePlan {
  const random = Random.forCase(options.seed, index);
  // a day of the window, then an hour by the reports' daily pattern
  const day = Math.floor(random.next() * options.days);
  const hour = random.weighted(distributions.reportsByHour.map((weight, h) => [h, weight] as const));
  const dayStart = windowStart + day * DAY;
  const startAt = Math.min(end - MINUTE, dayStart + hour * HOUR + random.next() * HOUR);
  const source = random.weighted(entries(distributions.sources));
  const category = random.weighted(reference.categories.map((c) => [c, distributions.categoryWeights[c.code] ?? distributions.categoryWeights.default] as const));
  const urgency = random.weighted(entries(distributions.urgency));
  const grid = random.pick(reference.grids);
  const routed = category.routedTo ? reference.departments.get(category.routedTo) : undefined;
  const department = routed && routed.handlers.length > 0 ? routed : fallbackDepartment(reference);
  const shares = distributions.shares;
  const voided = random.chance(shares.void);
  const reworked = random.chance(shares.rework);
  const reporterRole: StaffRole = source === 'supervisor' || source === 'video' ? 'supervisor' : 'receptionist';
  return {
    index, random, startAt, source, category, urgency, grid, department,
    reporter: random.pick(reference.staff[reporterRole]),
    verify: random.chance(shares.verifyBeforeAccept),
    void: voided,
    reworks: reworked ? (random.chance(shares.secondRework) ? 2 : 1) : 0,
    returnFromHandle: random.chance(shares.returnFromHandle),
    extension: random.chance(shares.extension),
    extensionApproved: !random.chance(shares.extensionRejected),
    park: random.chance(shares.park),
    overdue: random.chance(shares.overdueHandle),
    rating: source === 'public' ? drawRating(options.seed, index, distributions) : null,
  };
}

/** Whether the citizen will rate the case once it is closed, and how; from a stream of its own. */
function drawRating(seed: number, index: number, distributions: Distributions): PlannedRating | null {
  const rating = distributions.rating;
  if (!rating) return null;
  const random = Random.forCase(seed ^ RATING_STREAM, index);
  if (!random.chance(rating.share)) return null;
  const score = random.weighted(entries(rating.scores) as [RatingScore, number][]);
  const comment = random.chance(rating.commentShare) ? random.pick(RATING_COMMENTS[score]) : null;
  return { score, comment, random };
}

async function summarise(
  engine: ProcessEngine, runs: readonly CaseRun[], counters: { returned: number; extensionsRequested: number; extensionsApproved: number; parked: number; verified: number; reworks: number },
  failures: readonly string[], jobsRun: number, end: number, elapsedMs: number,
): Promise<DemoSummary> {
  const ids = runs.map((run) => run.processInstanceId).filter((id): id is string => id !== null);
  const byState: Record<string, number> = {};
  let overdueTasks = 0;
  const overdueCases = new Set<string>();
  let escalations = 0;
  let parkedNow = 0;
  await engine.database.read(async (sql) => {
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const marks = chunk.map((_, n) => `$${n + 1}`).join(', ');
      for (const row of await sql.select(`SELECT state, COUNT(*) AS n FROM hi_process_instance WHERE id IN (${marks}) GROUP BY state`, chunk)) {
        byState[String(row.state)] = (byState[String(row.state)] ?? 0) + Number(row.n);
      }
      const endAt = new Date(end);
      for (const row of await sql.select(`SELECT process_instance_id, due_date, end_time FROM hi_task WHERE process_instance_id IN (${marks}) AND due_date IS NOT NULL`, chunk)) {
        const due = new Date(row.due_date as string | Date).getTime();
        const finished = row.end_time === null ? endAt.getTime() : new Date(row.end_time as string | Date).getTime();
        if (finished > due) {
          overdueTasks += 1;
          overdueCases.add(String(row.process_instance_id));
        }
      }
      const [escalated] = await sql.select(`SELECT COUNT(*) AS n FROM case_action WHERE operation = 'escalate' AND process_instance_id IN (${marks})`, chunk);
      escalations += Number(escalated?.n ?? 0);
      const [held] = await sql.select(`SELECT COUNT(*) AS n FROM case_hold WHERE process_instance_id IN (${marks})`, chunk);
      parkedNow += Number(held?.n ?? 0);
    }
  });
  const bySource: Record<string, number> = {};
  for (const run of runs) bySource[run.plan.source] = (bySource[run.plan.source] ?? 0) + 1;
  const ratings: Record<RatingScore, number> = { satisfied: 0, 'basically-satisfied': 0, dissatisfied: 0 };
  for (const run of runs) if (run.rated) ratings[run.rated] += 1;
  return {
    cases: runs.length,
    processInstanceIds: ids,
    byState,
    started: ids.length,
    closed: runs.filter((run) => run.state === 'closed').length,
    voided: runs.filter((run) => run.state === 'voided').length,
    parkedNow,
    open: runs.filter((run) => run.state === 'open' && run.processInstanceId !== null).length,
    reworked: runs.filter((run) => run.reworksDone > 0).length,
    reworks: counters.reworks,
    returned: counters.returned,
    extensionsRequested: counters.extensionsRequested,
    extensionsApproved: counters.extensionsApproved,
    parked: counters.parked,
    verified: counters.verified,
    overdueTasks,
    overdueCases: overdueCases.size,
    escalations,
    ratings,
    ratedWithComment: runs.filter((run) => run.rated && run.plan.rating?.comment).length,
    bySource,
    jobsRun,
    failures,
    elapsedMs,
  };
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;

/** yyyyMMdd in Asia/Shanghai */
function localDate(at: Date): string {
  return new Date(at.getTime() + 8 * HOUR).toISOString().slice(0, 10).replaceAll('-', '');
}
