import { DataTypes, type QueryInterface } from 'sequelize';
import { bigint, blob, bool, createTables, double, id, int, longTextFor, ref, rev, text, time, type Columns, type TableSpec } from './columns.js';

/**
 * The engine core's tables. Runtime tables hold only what is live (a finished instance leaves no
 * runtime row), history tables keep everything and are written in the same transaction.
 * No foreign keys between runtime tables: the unit of work writes each row once per command
 * in any order, and ids are never reused, so indexes serve every lookup instead.
 */
/** Tables for a dialect: MariaDB needs LONGTEXT for texts over 64 KB, SQLite's TEXT has no sizes. */
function engineTables(dialect: string): Record<string, TableSpec> {
  const longText = longTextFor(dialect);

  const typedValue = (): Columns => ({
    type: text(32),
    text_value: longText(),
    long_value: bigint(),
    double_value: double(),
    bytes_value: blob(),
    value_info: longText(),
  });

  return {
    engine_property: {
      columns: { name: { type: DataTypes.STRING(64), primaryKey: true }, value: text(), rev: rev() },
    },
    deployment: {
      columns: { id: id(), name: text(), source: text(), tenant_id: ref(), deploy_time: time(false) },
      indexes: [['name'], ['tenant_id']],
    },
    resource: {
      columns: { id: id(), deployment_id: ref(), name: text(), content: blob(), tenant_id: ref() },
      indexes: [['deployment_id'], ['name']],
    },
    process_definition: {
      columns: {
        id: id(),
        key_: text(),
        version: int(false),
        version_tag: text(),
        name: text(),
        category: text(),
        description: longText(),
        deployment_id: ref(),
        resource_name: text(),
        tenant_id: ref(),
        suspended: bool(),
        startable: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        history_ttl: int(),
      },
      indexes: [['deployment_id'], ['tenant_id']],
      unique: [['key_', 'version', 'tenant_id']],
    },
    execution: {
      columns: {
        id: id(),
        rev: rev(),
        process_instance_id: ref(),
        parent_id: ref(),
        process_definition_id: ref(),
        activity_id: text(),
        activity_instance_id: ref(),
        incoming_flow_id: text(),
        business_key: text(),
        is_scope: bool(),
        state: { type: DataTypes.STRING(16), allowNull: false },
        tenant_id: ref(),
        start_time: time(false),
      },
      indexes: [['process_instance_id'], ['business_key'], ['process_definition_id'], ['tenant_id']],
    },
    task: {
      columns: {
        id: id(),
        rev: rev(),
        name: text(),
        description: longText(),
        assignee: text(),
        owner: text(),
        delegation_state: text(16),
        priority: int(false),
        due_date: time(),
        follow_up_date: time(),
        create_time: time(false),
        last_updated: time(),
        execution_id: ref(),
        process_instance_id: ref(),
        process_definition_id: ref(),
        task_definition_key: text(),
        activity_instance_id: ref(),
        form_key: text(),
        form_ref: longText(),
        tenant_id: ref(),
        suspended: bool(),
      },
      indexes: [['assignee', 'create_time'], ['process_instance_id'], ['execution_id'], ['due_date'], ['tenant_id']],
    },
    task_candidate: {
      columns: { id: id(), task_id: ref(), process_instance_id: ref(), user_id: text(), group_id: text() },
      indexes: [['task_id'], ['user_id'], ['group_id']],
    },
    external_task: {
      columns: {
        id: id(),
        rev: rev(),
        topic_name: text(),
        worker_id: text(),
        lock_expiration_time: time(),
        retries: int(),
        error_message: longText(),
        error_details: longText(),
        priority: bigint(),
        execution_id: ref(),
        process_instance_id: ref(),
        process_definition_id: ref(),
        process_definition_key: text(),
        activity_id: text(),
        activity_instance_id: ref(),
        business_key: text(),
        tenant_id: ref(),
        create_time: time(false),
        suspended: bool(),
      },
      indexes: [['topic_name', 'lock_expiration_time'], ['process_instance_id'], ['execution_id']],
    },
    variable: {
      columns: {
        id: id(),
        rev: rev(),
        name: text(),
        ...typedValue(),
        execution_id: ref(),
        process_instance_id: ref(),
        task_id: ref(),
        tenant_id: ref(),
      },
      indexes: [['process_instance_id'], ['execution_id'], ['task_id']],
    },
    incident: {
      columns: {
        id: id(),
        rev: rev(),
        incident_type: text(64),
        message: longText(),
        activity_id: text(),
        execution_id: ref(),
        process_instance_id: ref(),
        process_definition_id: ref(),
        configuration: ref(),
        create_time: time(false),
        tenant_id: ref(),
      },
      indexes: [['process_instance_id'], ['configuration']],
    },
    hi_process_instance: {
      columns: {
        id: id(),
        process_definition_id: ref(),
        process_definition_key: text(),
        business_key: text(),
        start_time: time(false),
        end_time: time(),
        duration_ms: bigint(),
        start_user_id: text(),
        start_activity_id: text(),
        end_activity_id: text(),
        state: text(32),
        delete_reason: longText(),
        tenant_id: ref(),
      },
      indexes: [['business_key'], ['process_definition_key', 'start_time'], ['state'], ['start_time'], ['tenant_id']],
    },
    hi_activity_instance: {
      columns: {
        id: id(),
        parent_activity_instance_id: ref(),
        activity_id: text(),
        activity_name: text(),
        activity_type: text(64),
        process_instance_id: ref(),
        process_definition_id: ref(),
        execution_id: ref(),
        task_id: ref(),
        assignee: text(),
        start_time: time(false),
        end_time: time(),
        duration_ms: bigint(),
        canceled: bool(),
        sequence_counter: bigint(),
        tenant_id: ref(),
      },
      indexes: [['process_instance_id', 'sequence_counter'], ['activity_id'], ['start_time']],
    },
    hi_task: {
      columns: {
        id: id(),
        name: text(),
        description: longText(),
        assignee: text(),
        owner: text(),
        priority: int(),
        due_date: time(),
        follow_up_date: time(),
        start_time: time(false),
        end_time: time(),
        duration_ms: bigint(),
        delete_reason: text(),
        task_definition_key: text(),
        execution_id: ref(),
        process_instance_id: ref(),
        process_definition_id: ref(),
        activity_instance_id: ref(),
        tenant_id: ref(),
      },
      indexes: [['process_instance_id'], ['assignee', 'end_time'], ['end_time']],
    },
    hi_variable: {
      columns: {
        id: id(),
        name: text(),
        ...typedValue(),
        state: text(16),
        process_instance_id: ref(),
        execution_id: ref(),
        task_id: ref(),
        create_time: time(false),
        tenant_id: ref(),
      },
      indexes: [['process_instance_id'], ['name']],
    },
    hi_variable_update: {
      columns: {
        id: id(),
        variable_id: ref(),
        name: text(),
        ...typedValue(),
        revision: int(false),
        process_instance_id: ref(),
        execution_id: ref(),
        task_id: ref(),
        activity_instance_id: ref(),
        time: time(false),
        tenant_id: ref(),
      },
      indexes: [['process_instance_id', 'time'], ['variable_id']],
    },
    hi_operation_log: {
      columns: {
        id: id(),
        operation_id: ref(),
        operation_type: text(64),
        entity_type: text(64),
        user_id: text(),
        timestamp: time(false),
        deployment_id: ref(),
        process_definition_id: ref(),
        process_definition_key: text(),
        process_instance_id: ref(),
        task_id: ref(),
        external_task_id: ref(),
        property: text(),
        org_value: longText(),
        new_value: longText(),
        tenant_id: ref(),
      },
      indexes: [['timestamp'], ['user_id', 'timestamp'], ['process_instance_id']],
    },
  };
}

export async function up({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  await createTables(queryInterface, engineTables(queryInterface.sequelize.getDialect()));
  await queryInterface.bulkInsert('engine_property', [{ name: 'deployment.lock', value: '0', rev: 1 }]);
}

export async function down({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  for (const table of Object.keys(engineTables(queryInterface.sequelize.getDialect())).reverse()) await queryInterface.dropTable(table);
}
