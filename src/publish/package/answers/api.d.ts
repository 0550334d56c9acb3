/** The credit verdict and the answer per slot of a film: what `creditScenes(id)` returns. */
export interface CreditAnswer {
  /** true: at least one scene plays while the end credits run; false: positive evidence that none does; null: unknown. */
  during: boolean | null;
  /** true: a scene plays after all the credits have finished; false: positive evidence that none does; null: unknown. */
  after: boolean | null;
  /** How sure stingerdb is of the two verdicts together, 0 to 1. */
  confidence: number;
  /** The answer per slot, for every film: "yes" / "no" / "unknown", its probability, its basis and why. */
  slots: { during: SlotAnswer; after: SlotAnswer };
}

/** The answer of a film by its stingerdb id (IMDb id, or "tmdb:<n>"); undefined when unknown. Reads and parses one line. */
export declare function getMovie(id: string): MovieAnswer | undefined;
/**
 * The answer of a film by its TMDB id; undefined when unknown. At run time a string of decimal digits ("603", as
 * read from a URL) is taken too; anything else that only converts to a number ("0x25B", "6.03e2", " 603", 0,
 * -1, 1.5) matches no film.
 */
export declare function findByTmdbId(tmdbId: number): MovieAnswer | undefined;
/** Just the credit-scene verdict and the answer per slot; undefined when the film is unknown. */
export declare function creditScenes(id: string): CreditAnswer | undefined;
/**
 * Films whose title or original title matches `text` (case-, accent- and punctuation-insensitive): exact titles
 * first, then prefixes, words, substrings. Fresh answers: yours to change. Throws a TypeError for a limit that is
 * not a positive whole number (see `SearchOptions`).
 */
export declare function search(text: string, options?: SearchOptions | null): MovieAnswer[];
/**
 * Every film's answer, sorted by id. Parses `movies.answers.json` once; every call returns the same array, frozen
 * deeply: changing it throws a TypeError in strict mode (ES modules) and does nothing otherwise. Copy what you
 * want to change (`structuredClone(all())`, or `getMovie(id)`, which gives a fresh answer).
 */
export declare function all(): readonly MovieAnswer[];
/** Version, schema version and counts of this snapshot. */
export declare function info(): DatasetInfo;
/** The scores this dataset carries, in order, with how to read and show each. */
export declare function scores(): ScoreInfo[];
/** A title folded the way `search` folds it (case, accents and punctuation do not count): for keys of your own. */
export declare function fold(text: string): string;
