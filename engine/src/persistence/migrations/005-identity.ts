import type { QueryInterface } from 'sequelize';
import { bool, createTables, id, int, longTextFor, ref, rev, text, time, type TableSpec } from './columns.js';

/**
 * Identity and access: tenants (one per administrative level, id = GB/T 2260 region code), each
 * tenant's organisation (departments, posts, users, roles, groups), the permission catalogue,
 * login sessions and the append-only audit log. Tasks learn whether their assignment fell back,
 * and instances remember the initiator's department, which data scopes filter on.
 */
function tables(dialect: string): Record<string, TableSpec> {
  const longText = longTextFor(dialect);
  return {
    tenant: {
      columns: {
        id: id(),
        rev: rev(),
        name: { ...text(), allowNull: false },
        level: { ...text(16), allowNull: false },
        region_code: { ...text(12), allowNull: false },
        parent_id: ref(),
        /** `/100000/450000/450200/`: the ids from the root down to this tenant, for descendant queries */
        path: { ...text(255), allowNull: false },
        enabled: { ...bool(), defaultValue: true },
        created: time(false),
      },
      indexes: [['parent_id'], ['path']],
    },
    department: {
      columns: {
        id: id(),
        rev: rev(),
        tenant_id: { ...ref(), allowNull: false },
        parent_id: ref(),
        code: { ...text(64), allowNull: false },
        name: { ...text(), allowNull: false },
        leader_user_id: ref(),
        /** the department ids from the tenant's top department down to this one, `/a/b/c/` */
        path: { ...text(700), allowNull: false },
        sort_order: int(false),
        created: time(false),
      },
      indexes: [['tenant_id', 'parent_id'], ['path']],
      unique: [['tenant_id', 'code']],
    },
    post: {
      columns: { id: id(), rev: rev(), tenant_id: { ...ref(), allowNull: false }, code: { ...text(64), allowNull: false }, name: { ...text(), allowNull: false }, created: time(false) },
      unique: [['tenant_id', 'code']],
    },
    app_user: {
      columns: {
        id: id(),
        rev: rev(),
        tenant_id: { ...ref(), allowNull: false },
        display_name: { ...text(), allowNull: false },
        first_name: text(),
        last_name: text(),
        email: text(),
        phone: text(32),
        password_hash: text(),
        password_changed: time(),
        must_change_password: bool(),
        failed_logins: { ...int(false), defaultValue: 0 },
        locked_until: time(),
        enabled: { ...bool(), defaultValue: true },
        created: time(false),
      },
      indexes: [['tenant_id']],
    },
    user_department: {
      columns: { id: id(), user_id: { ...ref(), allowNull: false }, department_id: { ...ref(), allowNull: false }, tenant_id: { ...ref(), allowNull: false }, primary_: bool() },
      indexes: [['department_id']],
      unique: [['user_id', 'department_id']],
    },
    user_post: {
      columns: { id: id(), user_id: { ...ref(), allowNull: false }, post_id: { ...ref(), allowNull: false }, tenant_id: { ...ref(), allowNull: false } },
      indexes: [['post_id']],
      unique: [['user_id', 'post_id']],
    },
    role: {
      columns: {
        id: id(),
        rev: rev(),
        tenant_id: { ...ref(), allowNull: false },
        code: { ...text(64), allowNull: false },
        name: { ...text(), allowNull: false },
        /** all | department-and-below | department | self | chosen-departments */
        data_scope: { ...text(32), allowNull: false },
        /** whether holders see the rows of the tenant's descendants (上下级), not only their own tenant's */
        sees_descendants: bool(),
        created: time(false),
      },
      unique: [['tenant_id', 'code']],
    },
    role_permission: {
      columns: { id: id(), role_id: { ...ref(), allowNull: false }, permission: { ...text(128), allowNull: false } },
      unique: [['role_id', 'permission']],
    },
    role_department: {
      columns: { id: id(), role_id: { ...ref(), allowNull: false }, department_id: { ...ref(), allowNull: false } },
      unique: [['role_id', 'department_id']],
    },
    user_role: {
      columns: { id: id(), user_id: { ...ref(), allowNull: false }, role_id: { ...ref(), allowNull: false }, tenant_id: { ...ref(), allowNull: false } },
      indexes: [['role_id']],
      unique: [['user_id', 'role_id']],
    },
    user_group: {
      columns: { id: id(), rev: rev(), tenant_id: { ...ref(), allowNull: false }, code: { ...text(64), allowNull: false }, name: { ...text(), allowNull: false }, created: time(false) },
      unique: [['tenant_id', 'code']],
    },
    group_member: {
      columns: { id: id(), group_id: { ...ref(), allowNull: false }, user_id: { ...ref(), allowNull: false } },
      indexes: [['user_id']],
      unique: [['group_id', 'user_id']],
    },
    permission: {
      columns: {
        id: { ...id(), type: text(128).type },
        /** menu | action */
        kind: { ...text(16), allowNull: false },
        name_zh: { ...text(), allowNull: false },
        name_en: { ...text(), allowNull: false },
        /** `core`, or the plugin that contributed it */
        source: { ...text(64), allowNull: false },
      },
    },
    auth_session: {
      columns: {
        id: id(),
        user_id: { ...ref(), allowNull: false },
        access_hash: { ...text(64), allowNull: false },
        access_expires: time(false),
        refresh_hash: { ...text(64), allowNull: false },
        refresh_expires: time(false),
        created: time(false),
        address: text(64),
        revoked: time(),
      },
      indexes: [['user_id']],
      unique: [['access_hash'], ['refresh_hash']],
    },
    audit_log: {
      columns: {
        id: id(),
        time: time(false),
        user_id: ref(),
        tenant_id: ref(),
        action: { ...text(128), allowNull: false },
        object_type: text(64),
        object_id: text(),
        address: text(64),
        detail: longText(),
      },
      indexes: [['time'], ['user_id', 'time'], ['object_type', 'object_id'], ['tenant_id', 'time']],
    },
  };
}

const ADDED_COLUMNS: { table: string; column: string; spec: ReturnType<typeof ref> }[] = [
  { table: 'api_token', column: 'tenant_id', spec: ref() },
  { table: 'api_token', column: 'permissions', spec: text(4000) },
  { table: 'task', column: 'assignment_fallback', spec: bool() },
  { table: 'hi_process_instance', column: 'start_department_id', spec: ref() },
];

/** The audit log is append-only for the application as well: the database refuses changes to its rows. */
function appendOnlyTriggers(dialect: string): string[] {
  if (dialect === 'sqlite') {
    return ['UPDATE', 'DELETE'].map(
      (event) => `CREATE TRIGGER audit_log_no_${event.toLowerCase()} BEFORE ${event} ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
    );
  }
  return ['UPDATE', 'DELETE'].map(
    (event) => `CREATE TRIGGER audit_log_no_${event.toLowerCase()} BEFORE ${event} ON audit_log FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only'`,
  );
}

export async function up({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  const dialect = queryInterface.sequelize.getDialect();
  await createTables(queryInterface, tables(dialect));
  for (const { table, column, spec } of ADDED_COLUMNS) await queryInterface.addColumn(table, column, spec);
  await queryInterface.addIndex('api_token', ['tenant_id'], { name: 'ix_api_token_tenant_id' });
  await queryInterface.addIndex('hi_process_instance', ['start_department_id'], { name: 'ix_hi_process_instance_start_department_id' });
  for (const statement of appendOnlyTriggers(dialect)) await queryInterface.sequelize.query(statement);
}

export async function down({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  for (const table of Object.keys(tables(queryInterface.sequelize.getDialect())).reverse()) await queryInterface.dropTable(table);
  for (const { table, column } of ADDED_COLUMNS) await queryInterface.removeColumn(table, column);
}
