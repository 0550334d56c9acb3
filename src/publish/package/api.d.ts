/** The verdict alone: what `creditScenes(id)` returns. */
export interface CreditVerdict {
  /** true: at least one scene plays while the end credits run; false: positive evidence that none does; null: unknown. */
  during: CreditScenes['during'];
  /** true: a scene plays after all the credits have finished; false: positive evidence that none does; null: unknown. */
  after: CreditScenes['after'];
  /** How sure stingerdb is of the two verdicts together, 0 to 1. */
  confidence: CreditScenes['confidence'];
  /** What plays in the credits, with its kind (only "scene" and "bloopers" make a slot true). */
  scenes: CreditScenes['scenes'];
}

/** Options of `search`. */
export interface SearchOptions {
  /** Only films of this year. */
  year?: number;
  /** At most this many results (default 20). */
  limit?: number;
}

/** What `info()` returns. */
export interface DatasetInfo {
  /** Package version, `<schema major>.<YYYYMMDD>.<n>`. */
  version: string;
  /** Major version of the record schema (the package's major version). */
  schemaVersion: number;
  /** Films, verdicts (yes / no / unknown per slot) and score groups in this snapshot. */
  counts: {
    movies: number;
    withTitle: number;
    creditScenes: Record<'during' | 'after', { yes: number; no: number; unknown: number }>;
    scores: Record<string, number>;
  };
}

/** The record of a film by its stingerdb id (IMDb id, or "tmdb:<n>"); undefined when unknown. Reads and parses one record. */
export declare function getMovie(id: string): Movie | undefined;
/** The record of a film by its TMDB id; undefined when unknown. */
export declare function findByTmdbId(tmdbId: number): Movie | undefined;
/** Just the credit-scene verdict of a film; undefined when the film is unknown. */
export declare function creditScenes(id: string): CreditVerdict | undefined;
/** Films whose title or original title matches `text` (case-, accent- and punctuation-insensitive): exact titles first, then prefixes, words, substrings. */
export declare function search(text: string, options?: SearchOptions): Movie[];
/** Every record, sorted by id. Parses `movies.json` once; every call returns the same array (do not modify it). */
export declare function all(): Movie[];
/** Every film in compact form, sorted by id. Parses `movies.compact.json` once; every call returns the same array. */
export declare function compact(): CompactMovie[];
/** Version, schema version and counts of this snapshot. */
export declare function info(): DatasetInfo;
