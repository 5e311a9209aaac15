import { INCIDENT, type IncidentEntity } from '../persistence/index.js';
import { Filter, orderAndPage, type Page, type Sorting } from './query.js';
import { ServiceBase } from './service-base.js';

export interface IncidentQuery extends Page, Sorting<'createTime'> {
  readonly processInstanceId?: string;
  readonly incidentType?: string;
  readonly activityId?: string;
}

/** Operations' view of the engine: incidents now; jobs with the job executor. */
export class ManagementService extends ServiceBase {
  listIncidents(query: IncidentQuery = {}): Promise<IncidentEntity[]> {
    const filter = new Filter()
      .equals('process_instance_id', query.processInstanceId)
      .equals('incident_type', query.incidentType)
      .equals('activity_id', query.activityId);
    return this.query((s) => s.select(INCIDENT, filter.where, filter.bindings, orderAndPage(query, { createTime: 'create_time' }, 'createTime', query)));
  }
}
