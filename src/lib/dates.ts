/**
 * Observation dates may be of reduced precision ("2025", "2018-12", "2024-02-13T23:30:14Z") because some
 * recordings are dated only to the month or year. Their ISO forms order correctly as strings, and a less
 * precise date sorts before a more precise one in the same period.
 */

export function compareObservedAt(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The newest of a list of observation dates. */
export function newestObservedAt(dates: Iterable<string>): string | undefined {
  let newest: string | undefined;
  for (const d of dates) if (newest === undefined || compareObservedAt(d, newest) > 0) newest = d;
  return newest;
}

/** The oldest of a list of observation dates. */
export function oldestObservedAt(dates: Iterable<string>): string | undefined {
  let oldest: string | undefined;
  for (const d of dates) if (oldest === undefined || compareObservedAt(d, oldest) < 0) oldest = d;
  return oldest;
}

/** A reduced-precision date as the first instant it can mean ("2018-12" → 2018-12-01T00:00:00Z). */
export function observedAtToDate(value: string): Date {
  const [y, m = '01', d = '01'] = value.slice(0, 10).split('-');
  const time = value.length > 10 ? value.slice(10) : 'T00:00:00Z';
  return new Date(`${y}-${m}-${d}${time}`);
}
