/** The BPMN element a timer definition comes from. */
export type TimerType = 'timeDate' | 'timeDuration' | 'timeCycle';

export interface TimerOptions {
  /**
   * IANA zone that local date-times, calendar arithmetic (P1D, P1M) and cron fields are read in.
   * Default: the zone of this process, as `Intl` resolves it.
   */
  timeZone?: string;
}

/** When a parsed timer is due; pure: the caller passes in every instant it needs. */
export interface TimerSchedule {
  readonly type: TimerType;
  /** true for cycles */
  readonly repeating: boolean;
  /**
   * The first due date of a timer created at `createdAt`. A date in the past is returned as it is
   * (the timer is due at once). Throws a `RangeError` for a cron that has no occurrence after
   * `createdAt` (e.g. its year field lies entirely in the past).
   */
  firstDue(createdAt: Date): Date;
  /**
   * For cycles: the next due date after a firing that was due at `previousDue`, given the current
   * time `now` and how many times it has fired so far (`firedCount`, including this firing).
   * Occurrences that fell in the past while the platform was down are skipped (the next due is
   * strictly after `now`), so a cycle never piles up missed firings. null when the repetitions are
   * used up or for non-repeating timers.
   */
  nextDue(previousDue: Date, now: Date, firedCount: number): Date | null;
}
