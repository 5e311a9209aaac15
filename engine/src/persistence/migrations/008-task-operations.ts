import type { QueryInterface } from 'sequelize';
import { bigint, bool, createTables, id, int, longTextFor, ref, rev, text, time, type TableSpec } from './columns.js';

/**
 * The layer staff work in above BPMN user tasks: working calendars for deadlines, the case
 * timeline, copies (抄送), the message centre and its channels, approval requests (延期, 作废),
 * parked cases (挂账) and the keys that make a retried operation answer instead of acting twice.
 */
function tables(dialect: string): Record<string, TableSpec> {
  const longText = longTextFor(dialect);
  return {
    work_calendar: {
      columns: {
        id: id(),
        rev: rev(),
        /** null: the platform's default, used by tenants without their own */
        tenant_id: ref(),
        name: { ...text(), allowNull: false },
        /** IANA zone the working hours are in, e.g. Asia/Shanghai */
        time_zone: { ...text(64), allowNull: false },
        /** ISO weekdays that are working days unless a day row says otherwise: "1,2,3,4,5" */
        work_days: { ...text(32), allowNull: false },
        /** JSON array of [start, end] local times: [["08:30","12:00"],["14:30","17:30"]] */
        work_hours: { ...text(1000), allowNull: false },
        updated: time(false),
        updated_by: text(64),
      },
      unique: [['tenant_id']],
    },
    /** A date that breaks the weekly rule: a public holiday on a weekday, or a make-up working day (调休) on a weekend. */
    work_calendar_day: {
      columns: {
        id: id(),
        calendar_id: { ...ref(), allowNull: false },
        tenant_id: ref(),
        /** yyyy-MM-dd in the calendar's zone */
        day: { ...text(10), allowNull: false },
        /** holiday | workday */
        kind: { ...text(16), allowNull: false },
        name: text(),
      },
      unique: [['calendar_id', 'day']],
    },
    /** The case timeline: every action on an instance in order, as staff and the public status page see it. */
    case_action: {
      columns: {
        id: id(),
        tenant_id: ref(),
        process_instance_id: { ...ref(), allowNull: false },
        task_id: ref(),
        activity_id: text(),
        activity_name: text(),
        /** what was done: start, complete, reject, return, transfer, delegate, resolve, claim, unclaim, add-signer, ... */
        operation: { ...text(32), allowNull: false },
        /** null when the engine acted (a timeout action, a copy node) */
        user_id: text(64),
        /** JSON: whom the action was aimed at (users, the return target, the requested extension) */
        target: text(4000),
        comment: longText(),
        /** JSON array of stored_file ids */
        attachments: text(4000),
        time: time(false),
        /** orders the entries of one millisecond (context.nextSequence) */
        seq: bigint(),
        /** working time the task had run when this happened, parked time excluded */
        working_ms: bigint(),
        /** green | yellow | red, when the task has a time limit */
        light: text(8),
      },
      indexes: [['process_instance_id', 'seq'], ['operation', 'time'], ['tenant_id', 'time']],
    },
    /** 抄送: a copy of a case to one user, read or not. */
    task_copy: {
      columns: {
        id: id(),
        rev: rev(),
        tenant_id: ref(),
        process_instance_id: { ...ref(), allowNull: false },
        /** the task it was copied from; null for a copy node */
        task_id: ref(),
        activity_id: text(),
        activity_name: text(),
        user_id: { ...text(64), allowNull: false },
        /** null: a copy node of the process sent it */
        sender_id: text(64),
        comment: text(4000),
        create_time: time(false),
        read_time: time(),
      },
      indexes: [['user_id', 'create_time'], ['process_instance_id']],
      unique: [['process_instance_id', 'user_id', 'task_id', 'activity_id']],
    },
    /** The in-app message centre. */
    notification: {
      columns: {
        id: id(),
        rev: rev(),
        tenant_id: ref(),
        user_id: { ...text(64), allowNull: false },
        /** task-assigned, task-offered, copy, urge, returned, deadline-approaching, deadline-passed, request, request-decided, ... */
        kind: { ...text(32), allowNull: false },
        title: { ...text(), allowNull: false },
        body: text(4000),
        process_instance_id: ref(),
        task_id: ref(),
        create_time: time(false),
        read_time: time(),
      },
      indexes: [['user_id', 'read_time'], ['user_id', 'create_time']],
    },
    /** A channel beyond the message centre (SMS, WeChat template messages): an external-task topic a plugin's worker serves. */
    notification_channel: {
      columns: {
        id: id(),
        rev: rev(),
        tenant_id: ref(),
        code: { ...text(64), allowNull: false },
        name: { ...text(), allowNull: false },
        topic: { ...text(), allowNull: false },
        /** JSON array of notification kinds sent on it; null: every kind */
        kinds: text(1000),
        enabled: { ...bool(), defaultValue: true },
        updated: time(false),
        updated_by: text(64),
      },
      unique: [['tenant_id', 'code']],
    },
    /** 延期 and 作废 wait for an approver's decision. */
    case_request: {
      columns: {
        id: id(),
        rev: rev(),
        tenant_id: ref(),
        process_instance_id: { ...ref(), allowNull: false },
        task_id: ref(),
        /** extension | void */
        kind: { ...text(16), allowNull: false },
        requested_by: { ...text(64), allowNull: false },
        requested_at: time(false),
        reason: text(4000),
        /** working time asked for (extension) */
        extension_ms: bigint(),
        /** pending | approved | rejected | cancelled */
        state: { ...text(16), allowNull: false },
        decided_by: text(64),
        decided_at: time(),
        decision_comment: text(4000),
        /** `<instance>:<kind>` while pending, null once decided: one waiting request of a kind per case, also against a concurrent second */
        open_key: text(128),
      },
      indexes: [['process_instance_id'], ['tenant_id', 'state']],
      unique: [['open_key']],
    },
    /** 挂账: an instance whose clock stands still; the row exists while it is parked. */
    case_hold: {
      columns: {
        id: id(),
        rev: rev(),
        tenant_id: ref(),
        process_instance_id: { ...ref(), allowNull: false },
        parked_at: time(false),
        parked_by: text(64),
        reason: text(4000),
      },
      unique: [['process_instance_id']],
    },
    /** What a retried request (same Idempotency-Key, same caller) answers instead of acting again. */
    idempotency_key: {
      columns: {
        id: id(),
        tenant_id: ref(),
        user_id: { ...text(64), allowNull: false },
        /** as the client sent it */
        request_key: { ...text(128), allowNull: false },
        /** method and path: a key reused for another request is refused */
        request: { ...text(512), allowNull: false },
        status: int(false),
        response: longText(),
        created: time(false),
      },
      unique: [['user_id', 'request_key']],
      indexes: [['created']],
    },
  };
}

/** Columns the task operations keep on tasks and their history. */
const ADDED_COLUMNS: { table: string; column: string; spec: ReturnType<typeof ref> }[] = [
  /** on an instance's root execution: the case is parked (挂账); loaded with the instance, so new tasks need no query to know */
  { table: 'execution', column: 'parked', spec: bool() },
  /** 加签: the task an added signer's task belongs to; such a task moves no token */
  { table: 'task', column: 'parent_task_id', spec: ref() },
  /** on an added signer's task: before | after; on the task that waits for its signers: waiting-before | waiting-after */
  { table: 'task', column: 'sign_state', spec: text(16) },
  /** the task whose completion created this one: what 撤回 takes back */
  { table: 'task', column: 'previous_task_id', spec: ref() },
  /** 退回 with direct resubmission: completing this task goes straight back to the task that returned it */
  { table: 'task', column: 'return_to', spec: text(1000) },
  /** working milliseconds allowed, from the task's time limit */
  { table: 'task', column: 'time_limit_ms', spec: bigint() },
  /** when the light turns yellow ("approaching"): with due_date, what the inbox filters lights by */
  { table: 'task', column: 'warn_date', spec: time() },
  /** when its case was parked; the clock stands still from then */
  { table: 'task', column: 'parked_at', spec: time() },
  /** working milliseconds its case spent parked before: the clock leaves them out */
  { table: 'task', column: 'parked_ms', spec: { ...bigint(), allowNull: false, defaultValue: 0 } },
  /** when the assignee first opened it: after that it cannot be withdrawn */
  { table: 'task', column: 'opened_at', spec: time() },
  { table: 'task', column: 'urge_count', spec: { ...int(false), defaultValue: 0 } },
  /** a notification channel's delivery: the message it carries; such a task belongs to no execution */
  { table: 'external_task', column: 'notification_id', spec: ref() },
  { table: 'hi_task', column: 'parent_task_id', spec: ref() },
  /** an added signer's task: before | after */
  { table: 'hi_task', column: 'sign_state', spec: text(16) },
  { table: 'hi_task', column: 'time_limit_ms', spec: bigint() },
  /** the task whose completion created this one: 撤回 checks that nothing it started has moved on */
  { table: 'hi_task', column: 'previous_task_id', spec: ref() },
];

export async function up({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  await createTables(queryInterface, tables(queryInterface.sequelize.getDialect()));
  for (const { table, column, spec } of ADDED_COLUMNS) await queryInterface.addColumn(table, column, spec);
  await queryInterface.addIndex('task', ['parent_task_id'], { name: 'ix_task_parent_task_id' });
  await queryInterface.addIndex('task', ['previous_task_id'], { name: 'ix_task_previous_task_id' });
  await queryInterface.addIndex('hi_task', ['previous_task_id'], { name: 'ix_hi_task_previous_task_id' });
}

export async function down({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  for (const table of Object.keys(tables(queryInterface.sequelize.getDialect())).reverse()) await queryInterface.dropTable(table);
  for (const { table, column } of ADDED_COLUMNS) await queryInterface.removeColumn(table, column);
}
