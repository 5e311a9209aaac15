import { ForbiddenError } from '../errors/index.js';
import type { TaskCandidateEntity } from '../persistence/index.js';
import type { TaskWorkPolicy } from '../command/index.js';
import { hasPermission, type Principal } from './access.js';

/**
 * Who may work on a task, beyond seeing it (which the tenant scope decides): its assignee; while
 * it is unassigned, its candidates (users, or members of a candidate group); and anyone holding
 * `task:assign`, who may also hand tasks to others. Claiming for someone else is assigning.
 */
export function taskWorkPolicy(principal: Principal): TaskWorkPolicy {
  const me = principal.userId;
  const supervises = hasPermission(principal, 'task:assign');
  const groups = new Set(principal.candidateGroupIds);
  // a task that names nobody (no assignee, no candidates) is open to whoever may see it, as in Camunda
  const isCandidate = (candidates: readonly TaskCandidateEntity[]) =>
    candidates.length === 0 || candidates.some((candidate) => candidate.userId === me || (candidate.groupId !== null && groups.has(candidate.groupId)));
  return {
    check(action, task, candidates, targetUserId) {
      if (supervises) return;
      const refuse = (rule: string) => {
        throw new ForbiddenError(`${me} may not ${action} task '${task.id}': ${rule}`);
      };
      switch (action) {
        case 'assign':
          return refuse('assigning tasks needs the permission task:assign');
        case 'claim':
          if (targetUserId !== me) refuse('claiming for someone else needs the permission task:assign');
          if (task.assignee !== null && task.assignee !== me) refuse(`it is assigned to ${task.assignee}`);
          if (task.assignee === null && !isCandidate(candidates)) refuse('it is not offered to them');
          return;
        case 'unclaim':
          if (task.assignee !== me) refuse('only its assignee may give it back');
          return;
        case 'resolve':
          if (task.assignee !== me) refuse('only the delegate may resolve it');
          return;
        default:
          if (task.assignee === me) return;
          if (task.assignee === null && isCandidate(candidates)) return;
          refuse(task.assignee === null ? 'it is not offered to them' : `it is assigned to ${task.assignee}`);
      }
    },
  };
}
