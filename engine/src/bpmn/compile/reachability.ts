import { multiInstanceBodyId, type ScopeModel } from '../model/index.js';

/**
 * For each inclusive gateway of a scope: the activities from which a token can still reach it
 * without passing through it. The join waits only while some token of the scope stands on one of them.
 */
export function computeReachability(scope: ScopeModel): Map<string, Set<string>> {
  const byId = new Map(scope.activities.map((a) => [a.id, a]));
  const result = new Map<string, Set<string>>();
  for (const gateway of scope.activities) {
    if (gateway.kind !== 'inclusiveGateway') continue;
    const reachable = new Set<string>();
    const pending = gateway.incoming.map((flow) => flow.sourceId);
    while (pending.length > 0) {
      const source = pending.pop() as string;
      // flows name a multi-instance activity, but its body holds the flows and is where its token stands
      const id = byId.has(multiInstanceBodyId(source)) ? multiInstanceBodyId(source) : source;
      if (id === gateway.id || reachable.has(id)) continue;
      reachable.add(id);
      for (const flow of byId.get(id)?.incoming ?? []) pending.push(flow.sourceId);
    }
    result.set(gateway.id, reachable);
  }
  return result;
}
