import { expect } from 'chai';
import { offeredTaskIds, type Principal } from '../../identity/access.js';
import { describeOnDatabases } from '../../testing/databases.js';
import type { SqlValue } from '../sql.js';

/**
 * On SQLite, migration 022 indexes some columns only where they hold a value. A query that
 * asked such a column for IS NULL, or stopped naming it, would silently scan the table instead:
 * these are the lookups that rely on those indexes, planned by SQLite itself.
 */
describeOnDatabases(
  'persistence - indexes of columns that are mostly empty',
  (fixture) => {
    async function plan(sql: string, bind: readonly SqlValue[]): Promise<string> {
      const rows = await fixture().engine.database.read((runner) => runner.select(`EXPLAIN QUERY PLAN ${sql}`, bind));
      return rows.map((row) => String(row.detail)).join('\n');
    }

    /** `?` placeholders (the access rules' restrictions) as the runner's `$n`. */
    function numbered(clause: string): string {
      let n = 0;
      return clause.replace(/\?/g, () => `$${(n += 1)}`);
    }

    it('finds the tasks offered to a caller through the candidate indexes of users and of groups', async () => {
      // only the fields offeredTaskIds reads: who the caller is, their tenants and their groups
      const caller = { userId: 'ann', visibleTenantIds: ['city'], candidateGroupIds: ['role:dispatcher', 'dept:cgj'] } as Partial<Principal> as Principal;
      const offered = offeredTaskIds(caller);
      const detail = await plan(`SELECT id FROM task WHERE id IN (${numbered(offered.clause)})`, offered.values as SqlValue[]);
      expect(detail).to.contain('ix_task_candidate_tenant_id_user_id_task_id');
      expect(detail).to.contain('ix_task_candidate_tenant_id_group_id_task_id');
    });

    it('finds signer tasks, the tasks a completion created, called instances and delegated history by their indexes', async () => {
      const lookups: [string, string][] = [
        ['SELECT id FROM task WHERE parent_task_id = $1', 'ix_task_parent_task_id'],
        ['SELECT id FROM task WHERE previous_task_id = $1', 'ix_task_previous_task_id'],
        ['SELECT id FROM hi_task WHERE previous_task_id = $1', 'ix_hi_task_previous_task_id'],
        ['SELECT id FROM hi_task WHERE assignee = $1 OR owner = $1', 'ix_hi_task_owner'],
        ['SELECT id FROM execution WHERE super_execution_id = $1', 'ix_execution_super_execution_id'],
        ['SELECT id FROM hi_process_instance WHERE super_process_instance_id = $1', 'ix_hi_process_instance_super_process_instance_id'],
      ];
      for (const [sql, index] of lookups) expect(await plan(sql, ['x']), sql).to.contain(index);
    });
  },
  ['sqlite'],
);
