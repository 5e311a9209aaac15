import type { Actor } from '../command/index.js';
import { DbSession, EXECUTION, HI_TASK, type HistoricTaskEntity } from '../persistence/index.js';
import type { ProcessEngine } from '../services/index.js';

/** Where the tokens of an instance stand (`execution` rows other than the instance's own), as `activity` or `activity:JOINING`, sorted. */
export async function tokensOf(engine: ProcessEngine, processInstanceId: string): Promise<string[]> {
  const rows = await engine.database.read((sql) => new DbSession(sql).select(EXECUTION, 'process_instance_id = $1 AND parent_id IS NOT NULL', [processInstanceId]));
  return rows.map((e) => (e.state === 'JOINING' ? `${e.activityId}:JOINING` : (e.activityId as string))).sort();
}

/** The instance's task history, oldest first. */
export async function taskHistoryOf(engine: ProcessEngine, processInstanceId: string): Promise<HistoricTaskEntity[]> {
  const rows = await engine.database.read((sql) => new DbSession(sql).select(HI_TASK, 'process_instance_id = $1', [processInstanceId]));
  return rows.sort((a, b) => a.startTime.getTime() - b.startTime.getTime() || a.id.localeCompare(b.id));
}

/** A plain user acting through a command, without an organisation: completes only their own or unassigned tasks. */
export function plainActor(userId: string): Actor {
  return { userId, tenantId: null, departmentId: null, address: null, scope: null };
}
