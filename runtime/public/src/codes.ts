/** The tracking codes this browser submitted, newest first, for one tap on the status page (localStorage). */
const KEY = 'yiwang.public.reports';
const KEEP = 20;

export interface RememberedReport {
  readonly code: string;
  readonly submittedAt: string;
  /** the category's label as shown when it was submitted */
  readonly label: string;
}

export function rememberedReports(): RememberedReport[] {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(list) ? list.filter((entry): entry is RememberedReport => typeof entry?.code === 'string') : [];
  } catch {
    return [];
  }
}

export function rememberReport(report: RememberedReport): void {
  const list = [report, ...rememberedReports().filter((entry) => entry.code !== report.code)].slice(0, KEEP);
  try {
    localStorage.setItem(KEY, JSON.stringify(list));
  } catch {
    // storage refused: the code is still on the screen
  }
}
