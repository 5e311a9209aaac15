import type { ActivityInstanceTree, HistoricActivity, Incident } from '../api.js';

/** What the instance diagram marks: tokens where they stand, the path already taken, incidents. */
export interface InstanceMarkers {
  /** activity id → number of tokens standing there now */
  readonly active: ReadonlyMap<string, number>;
  /** activities that finished without being cancelled */
  readonly completed: ReadonlySet<string>;
  /** every activity the instance entered, finished or not */
  readonly visited: ReadonlySet<string>;
  /** activity id → number of open incidents there */
  readonly incidents: ReadonlyMap<string, number>;
}

const MULTI_INSTANCE_BODY = '#multiInstanceBody';

/** The diagram element of an activity id: a multi-instance body is drawn as its activity. */
export function elementIdOf(activityId: string): string {
  return activityId.endsWith(MULTI_INSTANCE_BODY) ? activityId.slice(0, -MULTI_INSTANCE_BODY.length) : activityId;
}

function add(counts: Map<string, number>, id: string): void {
  counts.set(id, (counts.get(id) ?? 0) + 1);
}

/**
 * Markers from the engine's answers: the activity-instance tree (the root is the process itself;
 * scopes such as sub-processes and multi-instance bodies hold the tokens as children), the
 * history of activities, and the open incidents.
 */
export function instanceMarkers(tree: ActivityInstanceTree | null, history: readonly HistoricActivity[], incidents: readonly Incident[]): InstanceMarkers {
  const active = new Map<string, number>();
  const visit = (node: ActivityInstanceTree, root: boolean) => {
    if (!root && node.childActivityInstances.length === 0 && node.childTransitionInstances.length === 0) add(active, elementIdOf(node.activityId));
    for (const child of node.childActivityInstances) visit(child, false);
    for (const transition of node.childTransitionInstances) add(active, elementIdOf(transition.activityId));
  };
  if (tree) visit(tree, true);

  const completed = new Set<string>();
  const visited = new Set<string>();
  for (const activity of history) {
    const id = elementIdOf(activity.activityId);
    visited.add(id);
    if (activity.endTime !== null && !activity.canceled) completed.add(id);
  }
  for (const id of active.keys()) visited.add(id);

  const incidentCounts = new Map<string, number>();
  for (const incident of incidents) if (incident.activityId) add(incidentCounts, elementIdOf(incident.activityId));
  return { active, completed, visited, incidents: incidentCounts };
}

/** A sequence flow was taken when its source finished and its target was entered. */
export function flowTaken(markers: InstanceMarkers, sourceId: string, targetId: string): boolean {
  return markers.completed.has(sourceId) && markers.visited.has(targetId);
}
