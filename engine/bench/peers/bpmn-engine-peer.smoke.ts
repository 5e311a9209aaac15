/**
 * Smoke test for the bpmn-engine peer: 20 instances against an in-memory store.
 * Run from /work/main/engine: npx tsx bench/peers/bpmn-engine-peer.smoke.ts
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { runBpmnEnginePeer, type StateStore } from './bpmn-engine-peer.js';

const N = 20;

/** Map-backed store; load fails loudly on a missing instance, as a DB-backed store would. */
function memoryStore(): StateStore & { readonly states: Map<string, string> } {
  const states = new Map<string, string>();
  return {
    states,
    async save(instanceId, state) {
      states.set(instanceId, state);
    },
    async load(instanceId) {
      const state = states.get(instanceId);
      if (state === undefined) throw new Error(`no saved state for ${instanceId}`);
      return state;
    },
  };
}

const xml = await readFile(new URL('./case-handling.bpmn', import.meta.url), 'utf8');
const store = memoryStore();
const result = await runBpmnEnginePeer({ xml, n: N, store });

assert.equal(result.instances, N);
assert.equal(result.waitStateTransitions, N * 5);
assert.equal(store.states.size, N);

const bytes = [...store.states.values()].reduce((sum, state) => sum + state.length, 0);
console.log(
  `bpmn-engine peer: ${result.instances} instances, ${result.waitStateTransitions} transitions in ` +
    `${result.seconds.toFixed(3)} s = ${(result.instances / result.seconds).toFixed(1)} instances/s, ` +
    `${(result.waitStateTransitions / result.seconds).toFixed(1)} transitions/s ` +
    `(final state ~${Math.round(bytes / N)} chars per instance)`,
);
