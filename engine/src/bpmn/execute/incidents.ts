import type { CommandContext } from '../../command/index.js';
import { INCIDENT, type IncidentEntity } from '../../persistence/index.js';

export type NewIncident = Omit<IncidentEntity, 'id' | 'rev' | 'createTime'>;

/** Something needs an operator: a failed job or external task with no retries left, an error nothing catches. */
export function raiseIncident(context: CommandContext, incident: NewIncident): IncidentEntity {
  return context.session.insert(INCIDENT, { id: context.newId(), rev: 1, createTime: context.now(), ...incident });
}
