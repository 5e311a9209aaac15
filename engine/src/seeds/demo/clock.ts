import type { Clock } from '../../command/index.js';

/**
 * The engine's environment clock, set by the demo generator: every command reads its time from
 * `ProcessEngine.open({ clock })`, so a command run after `set(t)` happened at `t` — its rows,
 * history, timeline entries, due dates and the jobs that come due. Between two `set`s it stands still.
 */
export class SettableClock implements Clock {
  private at: number;

  constructor(start: Date = new Date()) {
    this.at = start.getTime();
  }

  now(): Date {
    return new Date(this.at);
  }

  set(at: Date | number): void {
    this.at = typeof at === 'number' ? at : at.getTime();
  }
}
