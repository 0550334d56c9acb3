/**
 * Dataset versions: `<package major>.<YYYYMMDD>.<n>` (n counts the releases of a day). A version is never
 * issued twice and never goes backwards: the next one is above the highest version known anywhere — the
 * previous snapshot's manifest, its release notes (`CHANGES.md`, `changes.json`) and the run state — so a
 * damaged or restored snapshot, or a clock that went back, cannot make the pipeline reuse a number.
 */
import { PublishRefusedError, UsageError, quoted } from '../errors.ts';

/**
 * The major of the package's contract: the record schema and the package's files and lookups. A data refresh
 * never changes it; a change that breaks a reader does. 2: `movies.sqlite` moved to the companion package
 * `stingerdb-sqlite` (the record schema, `schemaVersion`, is still 1).
 */
export const PACKAGE_MAJOR = 2;

/** A version string as the pipeline writes it. */
export const VERSION = /^(\d+)\.(\d{8})\.(\d+)$/;

/** The version's parts as numbers, or null when it is not a version. */
function parts(version: string): [major: number, day: number, n: number] | null {
  const m = VERSION.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/** The highest of `versions` (strings that are not versions, null and undefined are ignored), or null. */
export function highestVersion(versions: Iterable<string | null | undefined>): string | null {
  let best: string | null = null;
  let bestParts: [number, number, number] | null = null;
  for (const version of versions) {
    const p = version == null ? null : parts(version);
    if (p && isAbove(p, bestParts)) {
      best = version!;
      bestParts = p;
    }
  }
  return best;
}

function isAbove(a: readonly number[], b: readonly number[] | null): boolean {
  if (!b) return true;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return false;
}

/**
 * The version of a new release on `date` (UTC), above every version in `issued`: the next of that day, or
 * the day's first — or, when something was issued on a later day (a clock that went back, a pinned
 * release date), the next of that later day. Refuses (`PublishRefusedError`) when a newer major
 * was issued: this pipeline's versions would go backwards.
 */
export function nextVersion(issued: Iterable<string | null | undefined>, date: Date): string {
  const day = date.toISOString().slice(0, 10).replace(/-/g, '');
  const highest = highestVersion(issued);
  const p = highest ? parts(highest)! : null;
  if (!p || p[0] < PACKAGE_MAJOR) return `${PACKAGE_MAJOR}.${day}.0`;
  if (p[0] > PACKAGE_MAJOR) {
    throw new PublishRefusedError('version', [`- ${highest} was issued by a newer pipeline (major ${p[0]}); this pipeline writes ${PACKAGE_MAJOR}.x, so its version would go backwards`]);
  }
  if (p[1] >= Number(day)) return `${PACKAGE_MAJOR}.${p[1]}.${p[2] + 1}`;
  return `${PACKAGE_MAJOR}.${day}.0`;
}

/** The last second whose date has a four-digit year (9999-12-31T23:59:59Z): versions carry `YYYYMMDD`. */
const LAST_EPOCH = 253_402_300_799;

/**
 * The release date of a new version: `SOURCE_DATE_EPOCH` (whole seconds since 1970, for reproducible
 * builds) when set, else now. A value that is not such a number, or is beyond the year 9999, is a
 * `UsageError` — never a silent "now" nor an invalid date.
 */
export function releaseDate(env: Readonly<Record<string, string | undefined>> = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return new Date();
  const seconds = /^\d{1,12}$/.test(epoch) ? Number(epoch) : Number.NaN;
  if (!(seconds <= LAST_EPOCH)) {
    throw new UsageError(`SOURCE_DATE_EPOCH=${quoted(epoch)}: expected whole seconds since 1970-01-01 UTC, at most ${LAST_EPOCH} (the end of the year 9999), e.g. 1795737600 for 2026-11-27`);
  }
  return new Date(seconds * 1000);
}
