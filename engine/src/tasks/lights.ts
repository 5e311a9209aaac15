import type { StatusLight, TaskEntity } from '../persistence/index.js';

/** Lights from the worst down, so a case shows the worst light of its open tasks. */
const SEVERITY: Readonly<Record<StatusLight, number>> = { green: 0, yellow: 1, red: 2 };

/**
 * A task's status light at `at`: red past its due time, yellow from its warn time (the warn
 * ratio of its limit, on the working calendar), green before; read at the moment its case was
 * parked while it is parked, as the clock stands still. Both instants are computed on the
 * working calendar when the task is created (tasks/deadlines.ts), so comparing instants is the
 * same as comparing working time, and the inbox can filter by light in SQL (`lightFilter`).
 * A task with a due date but no time limit is red once overdue and green before.
 */
export function taskLight(task: Pick<TaskEntity, 'dueDate' | 'warnDate' | 'parkedAt'>, at: Date): StatusLight | null {
  if (!task.dueDate) return null;
  const when = task.parkedAt ?? at;
  if (when > task.dueDate) return 'red';
  if (task.warnDate && when >= task.warnDate) return 'yellow';
  return 'green';
}

/** The worst of several lights; null when none of them has one. */
export function worstLight(lights: readonly (StatusLight | null)[]): StatusLight | null {
  return lights.reduce<StatusLight | null>((worst, light) => (light && (!worst || SEVERITY[light] > SEVERITY[worst]) ? light : worst), null);
}

/** The SQL condition (with `?` markers for `now`) that selects the tasks showing `light`, as `taskLight` decides it. */
export function lightCondition(light: StatusLight): { readonly clause: string; readonly nowMarks: number } {
  const at = 'COALESCE(parked_at, ?)';
  switch (light) {
    case 'red':
      return { clause: `due_date IS NOT NULL AND ${at} > due_date`, nowMarks: 1 };
    case 'yellow':
      return { clause: `due_date IS NOT NULL AND warn_date IS NOT NULL AND ${at} >= warn_date AND ${at} <= due_date`, nowMarks: 2 };
    case 'green':
      return { clause: `due_date IS NOT NULL AND ${at} <= due_date AND (warn_date IS NULL OR ${at} < warn_date)`, nowMarks: 2 };
  }
}
