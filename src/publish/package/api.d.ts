/** The verdict alone, for apps that only need the answer. */
export interface CreditVerdict {
  during: CreditScenes['during'];
  after: CreditScenes['after'];
  confidence: CreditScenes['confidence'];
  scenes: CreditScenes['scenes'];
}

export interface SearchOptions {
  /** Only films of this year. */
  year?: number;
  /** At most this many results (default 20). */
  limit?: number;
}

export interface DatasetInfo {
  /** Package version, `<schema major>.<YYYYMMDD>.<n>`. */
  version: string;
  schemaVersion: number;
  counts: Record<string, unknown>;
}

/** The record of a film by its stingerdb id (IMDb id, or "tmdb:<n>"); undefined when unknown. Reads one record. */
export declare function getMovie(id: string): Movie | undefined;
/** The record of a film by its TMDB id; undefined when unknown. */
export declare function findByTmdbId(tmdbId: number): Movie | undefined;
/** Just the credit-scene verdict of a film; undefined when the film is unknown. */
export declare function creditScenes(id: string): CreditVerdict | undefined;
/** Films whose title or original title matches `text` (case- and accent-insensitive), best matches first. */
export declare function search(text: string, options?: SearchOptions): Movie[];
/** Every record, sorted by id (parses the whole dataset once). */
export declare function all(): Movie[];
/** Version, schema version and counts of this snapshot. */
export declare function info(): DatasetInfo;
