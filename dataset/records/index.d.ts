// Generated from the stingerdb schema — do not edit.

/** One feature film: its details, review scores and end-credit scene verdict. */
export interface Movie {
  /**
   * stingerdb film id: the IMDb id, or "tmdb:<n>" only while no IMDb id is known.
   * Pattern: `^(tt\d{7,10}|tmdb:[1-9]\d{0,9})$`
   */
  id: string;
  /** The film's ids at each source that has one; a key is absent when no source has linked it. */
  ids: MovieIds;
  /** English title; the original title when no English one is known; null while only an id is known (feed-only films). */
  title: string | null;
  /** Title in the original language. */
  originalTitle?: string;
  /**
   * Year of first release.
   * Range: 1870 to 2100, integer
   */
  year?: number;
  /**
   * Date of first (primary) release.
   * Pattern: `^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$`
   */
  releaseDate?: string;
  /**
   * Running time of the theatrical cut, in minutes.
   * Range: 1 to 1500, integer
   */
  runtimeMinutes?: number;
  /** US certification, e.g. "PG-13". */
  contentRating?: string;
  /** Genres, in the source's order. */
  genres: string[];
  /** Directors. */
  directors: string[];
  /** Top-billed cast, at most 10. */
  cast: CastMember[];
  /** Production companies. */
  companies: string[];
  /** Production countries, ISO 3166-1 alpha-2. */
  countries: string[];
  /** Spoken languages, ISO 639-1 (or 639-2 where no 639-1 exists). */
  languages: string[];
  /** Short plot summary (plain text). */
  synopsis?: string;
  /** The end-credit verdict: is there a scene during the credits, after them, or none — and how sure we are. The reference is the theatrical release. */
  creditScenes: CreditScenes;
  /** Review scores, one group per scoring site, each with the source it was read from and when. A group is absent when no source has it. */
  scores: Scores;
  /** Every response that contributed, sorted by source then URL. */
  sources: SourceRef[];
}

/** The film's ids at each source that has one; a key is absent when no source has linked it. */
export interface MovieIds {
  /**
   * IMDb title id, e.g. "tt0087747".
   * Pattern: `^tt\d{7,10}$`
   */
  imdb?: string;
  /**
   * TMDB movie id, e.g. 550.
   * Range: 1 to 9999999999, integer
   */
  tmdb?: number;
  /**
   * Wikidata item id, e.g. "Q190050".
   * Pattern: `^Q[1-9]\d{0,11}$`
   */
  wikidata?: string;
  /**
   * Rotten Tomatoes path without the host, e.g. "m/dune_2021".
   * Pattern: `^m\/[a-z0-9][a-z0-9_-]{0,199}$`
   */
  rottenTomatoes?: string;
  /**
   * Metacritic path without the host, e.g. "movie/the-matrix-4".
   * Pattern: `^movie\/[a-z0-9][a-z0-9-]{0,199}$`
   */
  metacritic?: string;
}

/** A top-billed cast member, in billing order. */
export interface CastMember {
  /** Performer's name. */
  name: string;
  /** Character played, as credited. */
  character?: string;
}

/** The end-credit verdict: is there a scene during the credits, after them, or none — and how sure we are. The reference is the theatrical release. */
export interface CreditScenes {
  /** true: at least one scene plays while the end credits run; false: a source gives positive evidence that none does; null: unknown. */
  during: boolean | null;
  /** true: a scene plays after all the credits have finished; false: positive evidence that none does; null: unknown. */
  after: boolean | null;
  /**
   * How sure stingerdb is of the two verdicts together, 0 to 1.
   * Range: 0 to 1
   */
  confidence: number;
  /** What plays in the credits, with its kind; non-scenes (audio, stills, cards) are listed too. */
  scenes: CreditScene[];
  /** What each source claimed, sorted by source. */
  evidence: CreditSceneEvidence[];
  /** The answer for each slot, for every film: what `during`/`after` report, plus what can be inferred from what sources did not say. */
  slots: {
    /** Should you stay for this slot: the answer, its probability, what it rests on and why (README "The answer"). */
    during: SlotAnswer;
    /** Should you stay for this slot: the answer, its probability, what it rests on and why (README "The answer"). */
    after: SlotAnswer;
  };
}

/** One thing that plays during or after the end credits. */
export interface CreditScene {
  /** "during": plays while the end credits run; "after": plays once all credits have finished. */
  position: ScenePosition;
  /** scene: a story scene, gag, sequel setup or musical number; bloopers: outtakes or bloopers; audio: sound only; stills: still images; dedication: dedication or in-memoriam card; text: a text card such as "X will return"; trailer: a preview of another film. Only scene and bloopers make a slot true. */
  kind: SceneKind;
  /** What happens (a spoiler), when a source describes it. */
  description?: string;
}

/** "during": plays while the end credits run; "after": plays once all credits have finished. */
export type ScenePosition = "during" | "after";

/** scene: a story scene, gag, sequel setup or musical number; bloopers: outtakes or bloopers; audio: sound only; stills: still images; dedication: dedication or in-memoriam card; text: a text card such as "X will return"; trailer: a preview of another film. Only scene and bloopers make a slot true. */
export type SceneKind = "scene" | "bloopers" | "audio" | "stills" | "dedication" | "text" | "trailer";

/** One source's claim about the credit slots of a film. */
export interface CreditSceneEvidence {
  /** A source stingerdb reads (see the README for its terms). */
  source: "tmdb" | "wikidata" | "omdb" | "rottentomatoes" | "metacritic" | "imdb" | "aftercredits" | "mcuapi" | "watchlist";
  /** What this source claims about the "during" slot; null or absent = no claim. */
  during?: boolean | null;
  /** What this source claims about the "after" slot; null or absent = no claim. */
  after?: boolean | null;
  /** The source's own words or tags behind the claim. */
  detail?: string;
  /** How the source tagged each slot, for a source that tags slots (AfterCredits). */
  reading?: {
    /** scene: the slot is tagged alone, with a scene; scene-of-both: tagged by one tag for both slots; non-scene: tagged, but a sound, stills or a card may be all that plays; not-mentioned: the source tagged the other slot only; unplaced: the source lists the film without saying where anything plays. */
    during: SlotReading;
    /** scene: the slot is tagged alone, with a scene; scene-of-both: tagged by one tag for both slots; non-scene: tagged, but a sound, stills or a card may be all that plays; not-mentioned: the source tagged the other slot only; unplaced: the source lists the film without saying where anything plays. */
    after: SlotReading;
  };
  /**
   * ISO 8601 date or UTC date-time of the observation; may be reduced precision (YYYY or YYYY-MM) for old recordings.
   * Pattern: `^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?)?)?$`
   */
  observedAt: string;
  /**
   * The source, a feed that lists its whole catalogue, has stopped listing this film: absent from every healthy listing since this date (several in a row; README: "no longer listed"). Its claim still counts (a film does not lose its scenes), but the source no longer stands by it.
   * Pattern: `^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?)?)?$`
   */
  noLongerListedSince?: string;
}

/** scene: the slot is tagged alone, with a scene; scene-of-both: tagged by one tag for both slots; non-scene: tagged, but a sound, stills or a card may be all that plays; not-mentioned: the source tagged the other slot only; unplaced: the source lists the film without saying where anything plays. */
export type SlotReading = "scene" | "scene-of-both" | "non-scene" | "not-mentioned" | "unplaced";

/** Should you stay for this slot: the answer, its probability, what it rests on and why (README "The answer"). */
export interface SlotAnswer {
  /** "yes": stay, a scene plays in this slot; "no": nothing worth staying for; "unknown": not sure enough either way (see probability). */
  answer: "yes" | "no" | "unknown";
  /**
   * P(a scene plays in this slot), calibrated on hand-checked films (among slots given 0.9, nine in ten have one); null when nothing is known.
   * Range: 0 to 1
   */
  probability: number | null;
  /** reported: a source's claim about this slot decides it; inferred: what sources did not say (a list that would have named it, a report silent on it); none: nothing is known. */
  basis: "reported" | "inferred" | "none";
  /** One plain sentence saying why, for a reader. */
  why: string;
}

/** Review scores, one group per scoring site, each with the source it was read from and when. A group is absent when no source has it. */
export interface Scores {
  /** Metacritic scores. */
  metacritic?: MetacriticScores;
  /** Rotten Tomatoes scores. */
  rottenTomatoes?: RottenTomatoesScores;
  /** IMDb rating. */
  imdb?: ImdbScores;
  /** TMDB user score. */
  tmdb?: TmdbScores;
}

/** Metacritic scores. */
export interface MetacriticScores {
  /**
   * Metascore, 0-100; null when Metacritic has too few critic reviews.
   * Range: 0 to 100, integer
   */
  metascore: number | null;
  /**
   * Critic reviews behind the metascore.
   * At least 1, integer
   */
  criticCount?: number;
  /**
   * Metacritic user score, 0-10; null when missing ("tbd").
   * Range: 0 to 10
   */
  userScore: number | null;
  /**
   * User ratings behind the user score.
   * At least 1, integer
   */
  userCount?: number;
  /** The source this group was read from. */
  source: "tmdb" | "wikidata" | "omdb" | "rottentomatoes" | "metacritic" | "imdb" | "aftercredits" | "mcuapi" | "watchlist";
  /**
   * ISO 8601 date or UTC date-time of the observation; may be reduced precision (YYYY or YYYY-MM) for old recordings.
   * Pattern: `^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?)?)?$`
   */
  observedAt: string;
}

/** Rotten Tomatoes scores. */
export interface RottenTomatoesScores {
  /**
   * Tomatometer: percentage of positive critic reviews, 0-100; null when none.
   * Range: 0 to 100, integer
   */
  tomatometer: number | null;
  /**
   * Critic reviews counted.
   * At least 1, integer
   */
  criticCount?: number;
  /**
   * Audience score ("Popcornmeter" since 2025), 0-100; null when none.
   * Range: 0 to 100, integer
   */
  audienceScore: number | null;
  /**
   * Exact number of audience ratings; absent when the page only shows a band such as "250,000+".
   * At least 1, integer
   */
  audienceCount?: number;
  /** The source this group was read from. */
  source: "tmdb" | "wikidata" | "omdb" | "rottentomatoes" | "metacritic" | "imdb" | "aftercredits" | "mcuapi" | "watchlist";
  /**
   * ISO 8601 date or UTC date-time of the observation; may be reduced precision (YYYY or YYYY-MM) for old recordings.
   * Pattern: `^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?)?)?$`
   */
  observedAt: string;
}

/** IMDb rating. */
export interface ImdbScores {
  /**
   * IMDb user rating, 0-10; null when unrated.
   * Range: 0 to 10
   */
  rating: number | null;
  /**
   * Number of IMDb votes.
   * At least 1, integer
   */
  votes?: number;
  /** The source this group was read from. */
  source: "tmdb" | "wikidata" | "omdb" | "rottentomatoes" | "metacritic" | "imdb" | "aftercredits" | "mcuapi" | "watchlist";
  /**
   * ISO 8601 date or UTC date-time of the observation; may be reduced precision (YYYY or YYYY-MM) for old recordings.
   * Pattern: `^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?)?)?$`
   */
  observedAt: string;
}

/** TMDB user score. */
export interface TmdbScores {
  /**
   * TMDB user score, 0-10; null when nobody has voted.
   * Range: 0 to 10
   */
  voteAverage: number | null;
  /**
   * Number of TMDB votes.
   * At least 1, integer
   */
  voteCount?: number;
  /** The source this group was read from. */
  source: "tmdb" | "wikidata" | "omdb" | "rottentomatoes" | "metacritic" | "imdb" | "aftercredits" | "mcuapi" | "watchlist";
  /**
   * ISO 8601 date or UTC date-time of the observation; may be reduced precision (YYYY or YYYY-MM) for old recordings.
   * Pattern: `^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?)?)?$`
   */
  observedAt: string;
}

/** A response that contributed to this record. */
export interface SourceRef {
  /** A source stingerdb reads (see the README for its terms). */
  source: "tmdb" | "wikidata" | "omdb" | "rottentomatoes" | "metacritic" | "imdb" | "aftercredits" | "mcuapi" | "watchlist";
  /** The response the data came from (API keys removed). */
  url: string;
  /**
   * ISO 8601 date or UTC date-time of the observation; may be reduced precision (YYYY or YYYY-MM) for old recordings.
   * Pattern: `^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?)?)?$`
   */
  observedAt: string;
}

/** One film in `movies.compact.json`: the verdict and the scores without details, evidence or sources. Every key is present; null means unknown or not rated. */
export interface CompactMovie {
  /**
   * stingerdb film id: the IMDb id, or "tmdb:<n>" only while no IMDb id is known.
   * Pattern: `^(tt\d{7,10}|tmdb:[1-9]\d{0,9})$`
   */
  id: string;
  /** English title; null while only an id is known. */
  title: string | null;
  /**
   * Year of first release; null when unknown.
   * Range: 1870 to 2100, integer
   */
  year: number | null;
  /** true: at least one scene plays while the end credits run; false: positive evidence that none does; null: unknown. */
  during: boolean | null;
  /** true: a scene plays after all the credits have finished; false: positive evidence that none does; null: unknown. */
  after: boolean | null;
  /**
   * How sure stingerdb is of the two verdicts together, 0 to 1.
   * Range: 0 to 1
   */
  confidence: number;
  /** Should you stay for the "during" slot: "yes", "no" or "unknown" (README "The answer"). */
  duringAnswer: "yes" | "no" | "unknown";
  /**
   * P(a scene plays during the credits), calibrated; null when nothing is known.
   * Range: 0 to 1
   */
  duringProbability: number | null;
  /** Should you stay for the "after" slot: "yes", "no" or "unknown". */
  afterAnswer: "yes" | "no" | "unknown";
  /**
   * P(a scene plays after the credits), calibrated; null when nothing is known.
   * Range: 0 to 1
   */
  afterProbability: number | null;
  /**
   * Metacritic metascore, 0-100; null when not rated.
   * Range: 0 to 100, integer
   */
  metascore: number | null;
  /**
   * Metacritic user score, 0-10; null when not rated.
   * Range: 0 to 10
   */
  metacriticUserScore: number | null;
  /**
   * Rotten Tomatoes Tomatometer, 0-100; null when not rated.
   * Range: 0 to 100, integer
   */
  tomatometer: number | null;
  /**
   * Rotten Tomatoes audience score (Popcornmeter), 0-100; null when not rated.
   * Range: 0 to 100, integer
   */
  audienceScore: number | null;
  /**
   * IMDb user rating, 0-10; null when not rated.
   * Range: 0 to 10
   */
  imdbRating: number | null;
  /**
   * TMDB user score, 0-10; null when not rated.
   * Range: 0 to 10
   */
  tmdbVoteAverage: number | null;
}

/** One film as the dataset package answers it: should you stay for the credits (answer, probability, basis and why per slot), the verdicts, title, year, ids and scores. Every key is present; null means unknown or not rated. The full record (`Movie`) is in the companion package stingerdb-records. */
export interface MovieAnswer {
  /**
   * stingerdb film id: the IMDb id, or "tmdb:<n>" only while no IMDb id is known.
   * Pattern: `^(tt\d{7,10}|tmdb:[1-9]\d{0,9})$`
   */
  id: string;
  /**
   * TMDB id; null when no source gave one.
   * At least 1, integer
   */
  tmdbId: number | null;
  /** English title; null while only an id is known. */
  title: string | null;
  /**
   * Year of first release; null when unknown.
   * Range: 1870 to 2100, integer
   */
  year: number | null;
  /** true: at least one scene plays while the end credits run; false: positive evidence that none does; null: unknown. */
  during: boolean | null;
  /** true: a scene plays after all the credits have finished; false: positive evidence that none does; null: unknown. */
  after: boolean | null;
  /**
   * How sure stingerdb is of the two verdicts together, 0 to 1.
   * Range: 0 to 1
   */
  confidence: number;
  /** Should you stay for the "during" slot: "yes", "no" or "unknown" (README "The answer"). */
  duringAnswer: "yes" | "no" | "unknown";
  /**
   * P(a scene plays during the credits), calibrated; null when nothing is known.
   * Range: 0 to 1
   */
  duringProbability: number | null;
  /** What the "during" answer rests on: "reported" (a source's claim), "inferred" (what sources did not say), "none". */
  duringBasis: "reported" | "inferred" | "none";
  /** One plain sentence saying why, for a reader. */
  duringWhy: string;
  /** Should you stay for the "after" slot: "yes", "no" or "unknown". */
  afterAnswer: "yes" | "no" | "unknown";
  /**
   * P(a scene plays after the credits), calibrated; null when nothing is known.
   * Range: 0 to 1
   */
  afterProbability: number | null;
  /** What the "after" answer rests on: "reported", "inferred" or "none". */
  afterBasis: "reported" | "inferred" | "none";
  /** One plain sentence saying why, for a reader. */
  afterWhy: string;
  /**
   * Metacritic metascore, 0-100; null when not rated.
   * Range: 0 to 100, integer
   */
  metascore: number | null;
  /**
   * Metacritic user score, 0-10; null when not rated.
   * Range: 0 to 10
   */
  metacriticUserScore: number | null;
  /**
   * Rotten Tomatoes Tomatometer, 0-100; null when not rated.
   * Range: 0 to 100, integer
   */
  tomatometer: number | null;
  /**
   * Rotten Tomatoes audience score (Popcornmeter), 0-100; null when not rated.
   * Range: 0 to 100, integer
   */
  audienceScore: number | null;
  /**
   * IMDb user rating, 0-10; null when not rated.
   * Range: 0 to 10
   */
  imdbRating: number | null;
  /**
   * TMDB user score, 0-10; null when not rated.
   * Range: 0 to 10
   */
  tmdbVoteAverage: number | null;
}

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
  /** The answer per slot, for every film: "yes" / "no" / "unknown", its probability, its basis and why. */
  slots: CreditScenes['slots'];
}

/** The record of a film by its stingerdb id (IMDb id, or "tmdb:<n>"); undefined when unknown. Reads and parses one record. */
export declare function getMovie(id: string): Movie | undefined;
/**
 * The record of a film by its TMDB id; undefined when unknown. At run time a string of decimal digits ("603", as
 * read from a URL) is taken too; anything else that only converts to a number ("0x25B", "6.03e2", " 603", 0,
 * -1, 1.5) matches no film.
 */
export declare function findByTmdbId(tmdbId: number): Movie | undefined;
/** Just the credit-scene verdict of a film; undefined when the film is unknown. */
export declare function creditScenes(id: string): CreditVerdict | undefined;
/**
 * Films whose title or original title matches `text` (case-, accent- and punctuation-insensitive): exact titles
 * first, then prefixes, words, substrings. Fresh records: yours to change. Throws a TypeError for a limit that is
 * not a positive whole number (see `SearchOptions`).
 */
export declare function search(text: string, options?: SearchOptions | null): Movie[];
/**
 * Every record, sorted by id. Parses `movies.json` once; every call returns the same array, frozen deeply: changing
 * it or a record in it throws a TypeError in strict mode (ES modules) and does nothing otherwise. Copy what you
 * want to change (`structuredClone(all())`, or `getMovie(id)`, which gives a fresh record).
 */
export declare function all(): readonly Movie[];
/** Every film in compact form, sorted by id. Parses `movies.compact.json` once; every call returns the same array, frozen deeply like `all()`'s. */
export declare function compact(): readonly CompactMovie[];
/** Version, schema version and counts of this snapshot. */
export declare function info(): DatasetInfo;
/** The scores this dataset carries, in order, with how to read and show each. */
export declare function scores(): ScoreInfo[];
/** A title folded the way `search` folds it (case, accents and punctuation do not count): for keys of your own. */
export declare function fold(text: string): string;

/** The same lookups as the named exports, as one object (the ESM default export). */
declare const stingerdb: {
  getMovie: typeof getMovie;
  findByTmdbId: typeof findByTmdbId;
  creditScenes: typeof creditScenes;
  search: typeof search;
  all: typeof all;
  compact: typeof compact;
  info: typeof info;
  scores: typeof scores;
  fold: typeof fold;
};
export default stingerdb;
