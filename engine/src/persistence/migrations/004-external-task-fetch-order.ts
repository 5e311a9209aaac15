import type { QueryInterface } from 'sequelize';

const NAME = 'ix_external_task_topic_name_priority_create_time';

/**
 * Fetch-and-lock reads a topic's candidates in priority order, oldest first, a few dozen at a
 * time. Without an index in that order the database reads and sorts every task of the topic on
 * every fetch (on MariaDB a full scan): the cost of a fetch grew with the backlog. With it, a
 * fetch reads the locked tasks at the head of the topic and then its candidates.
 */
export async function up({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  await queryInterface.addIndex('external_task', { name: NAME, fields: ['topic_name', { name: 'priority', order: 'DESC' }, 'create_time'] });
}

export async function down({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  await queryInterface.removeIndex('external_task', NAME);
}
