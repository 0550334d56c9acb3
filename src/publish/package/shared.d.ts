/**
 * Options of `search`. The options, or any field, may be null or undefined: the default. A limit that is not a
 * positive whole number, or a year that is not a whole number, throws a TypeError.
 */
export interface SearchOptions {
  /** Only films of this year (a whole number such as 1999). */
  year?: number | null;
  /** At most this many results: a positive whole number (default 20). */
  limit?: number | null;
}

/** What `info()` returns. */
export interface DatasetInfo {
  /** Package version, `<major>.<YYYYMMDD>.<n>`. */
  version: string;
  /** Major version of the record schema (1; the package's major, in `version`, also counts changes of its files). */
  schemaVersion: number;
  /** Films, verdicts (yes / no / unknown per slot) and score groups in this snapshot. */
  counts: {
    movies: number;
    withTitle: number;
    creditScenes: Record<'during' | 'after', { yes: number; no: number; unknown: number }>;
    scores: Record<string, number>;
  };
}

/** A score this dataset carries, and how to read and show it (`scores()`, `stingerdb/scores.json`). */
export interface ScoreInfo {
  /** Its name in the compact file (`metascore`, `imdbRating`…). */
  name: string;
  /** Its group in a record's `scores` (`metacritic`, `rottenTomatoes`, `imdb`, `tmdb`). */
  group: 'metacritic' | 'rottenTomatoes' | 'imdb' | 'tmdb';
  /** Its key in that group (`metascore`, `rating`…): `movie.scores[group][field]`. */
  field: string;
  /** The key in that group of the votes or reviews behind it. */
  count: string;
  /** Its name for people ("Metascore", "TMDB user score"). */
  label: string;
  /** Whole numbers 0–100, or tenths 0–10. */
  scale: 'percent' | 'ten-point';
  /** How people usually see it written: `73/100`, `73%`, `7.3/10`, or a 0–10 average shown as a percentage. */
  display: 'out-of-100' | 'percent' | 'out-of-10' | 'ten-point-as-percent';
  /** What its count counts ("critic reviews", "votes"). */
  countWord: string;
  description: string;
}

