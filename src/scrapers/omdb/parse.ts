/**
 * Pure parsers for OMDb API bodies: `(body, url)` in, typed values and observations out.
 *
 * Quirks they absorb (each seen in the recorded corpus):
 * - every value is a string and "N/A" means missing (→ null); `imdbVotes` has thousands separators,
 *   `Runtime` is "143 min", `Released` "14 Jun 2013"; `Ratings[]` holds one to three entries and any of
 *   IMDb "7.1/10", Rotten Tomatoes "57%", Metacritic "55/100" may be absent;
 * - errors come with HTTP 200: `{"Response":"False","Error":"Movie not found!"}` (and the 2011
 *   `{"Response":"Parse Error"}`), so a 2xx body may still be an error;
 * - title lookups are fuzzy: `t=Captain Marvel` returned a 1962 short, `t=Yahşi Batı` the English title. The
 *   record's own `imdbID` goes into `ids`, and lookups by title check what came back;
 * - series, episodes and games share the endpoint (`Type`), and series drop DVD/BoxOffice/Production/Website;
 * - 2011 bodies from imdbapi.com use `Rating`, `Votes`, `ID`, Runtime "2 hrs 8 mins" and `tomato*` fields.
 * OMDb carries no Rotten Tomatoes audience score and no Metacritic user score: those keys are never set.
 */
import type { z } from 'zod';
import { NoMatchError, OutOfRangeError, SourceApiError, UnexpectedContentError, quoted, type ApiErrorKind } from '../../errors.ts';
import { IMDB_ID } from '../../schema/ids.ts';
import { isMissingMarker, parseCount, parseDate, parseRuntime, parseYear, plainText, plainTitle } from '../../lib/text.ts';
import { safeJsonParse } from '../../lib/json.ts';
import type { ParsedObservation } from '../../schema/observation.ts';
import { OmdbErrorBody, OmdbSearchPage, OmdbTitle, type OmdbRating } from './schema.ts';
import { jsonApi } from '../json.ts';
import { pickTitleMatch, sameTitle, type TitleQuery } from '../match.ts';

const SOURCE = 'omdb';

type Parsed<K extends ParsedObservation['kind']> = Extract<ParsedObservation, { kind: K }>;
type ScoreParsed<G extends string> = Extract<ParsedObservation, { kind: 'score'; group: G }>;

// ---------------------------------------------------------------------------------------------------------
// Reading bodies and error bodies

/** OMDb's `Error` texts → kinds (matched case-insensitively; anything else is an invalid request). */
const ERROR_KINDS: Readonly<Record<string, ApiErrorKind>> = {
  'movie not found!': 'not-found',
  // What `?i=` answers for an id OMDb has no record of (tt9999999 in the corpus).
  'error getting data.': 'not-found',
  'invalid api key!': 'auth',
  'no api key provided.': 'auth',
  'request limit reached!': 'rate-limited',
};

function errorFromJson(json: unknown, status: number, url: string): SourceApiError | null {
  const parsed = OmdbErrorBody.safeParse(json);
  if (!parsed.success) return null;
  const { Response: response, Error: error } = parsed.data;
  if (response === 'Parse Error') return new SourceApiError(SOURCE, url, status, null, 'Parse Error', 'invalid-request');
  const message = plainText(error, { maxLength: 500 }) ?? 'Response "False" without an error message';
  return new SourceApiError(SOURCE, url, status, null, message, ERROR_KINDS[message.toLowerCase()] ?? 'invalid-request');
}

/**
 * Reads an OMDb error body (`{"Response":"False","Error":…}`, any HTTP status, or the 2011
 * `{"Response":"Parse Error"}`) into a `SourceApiError`: "Movie not found!" and "Error getting data." are
 * not-found, key errors auth, "Request limit reached!" rate-limited, the rest invalid-request. Null for a
 * success body or a body that is not OMDb JSON.
 */
export function parseApiError(status: number, body: string, url: string): SourceApiError | null {
  return api.parseApiError(status, body, url);
}

/** OMDb bodies (../json.ts): its error bodies come with HTTP 200 and are thrown as `SourceApiError`s. */
const api = jsonApi(SOURCE, 'an OMDb', errorFromJson);
const readJson = api.read;
const validate = api.validate;

// ---------------------------------------------------------------------------------------------------------
// Values

function imdbIdOrNull(value: unknown): string | null {
  return typeof value === 'string' && IMDB_ID.test(value.trim()) ? value.trim() : null;
}

/** A comma list ("Action, Adventure, Sci-Fi"; "Anthony Russo, Joe Russo") as plain texts; "N/A" → []. */
function commaList(value: string): string[] {
  if (isMissingMarker(value)) return [];
  const out: string[] = [];
  for (const part of value.split(',')) {
    const text = plainText(part, { maxLength: 300 });
    if (text && !isMissingMarker(text) && !out.includes(text)) out.push(text);
  }
  return out;
}

/** Ratings that mean "no rating", not a certificate. */
const UNRATED = new Set(['not rated', 'unrated']);

function contentRating(value: string): string | null {
  const text = plainText(value, { maxLength: 50 });
  return text === null || isMissingMarker(text) || UNRATED.has(text.toLowerCase()) ? null : text;
}

/** The `Ratings[]` entry of one site, if the record has one. */
function ratingOf(ratings: readonly OmdbRating[] | undefined, source: string): OmdbRating | undefined {
  return ratings?.find((r) => r.Source.trim().toLowerCase() === source.toLowerCase());
}

const SCORE_FORMS = {
  '/10': /^(\d+(?:\.\d+)?)\s*(?:\/\s*10)?$/,
  '/100': /^(\d+(?:\.\d+)?)\s*(?:\/\s*100)?$/,
  '%': /^(\d+(?:\.\d+)?)\s*%?$/,
} as const;

/** "7.1/10" → 7.1, "55/100" → 55, "57%" → 57; a plain number passes; "N/A" → null; any other form is not a score. */
function scoreValue(value: string, scale: keyof typeof SCORE_FORMS, field: string, url: string): number | null {
  if (isMissingMarker(value)) return null;
  const m = SCORE_FORMS[scale].exec(value.trim());
  if (!m) throw new UnexpectedContentError(SOURCE, url, `${field} ${quoted(value)} is not a score (${scale === '%' ? 'percent' : `out of ${scale.slice(1)}`})`);
  return Number(m[1]);
}

function tenPoint(value: string, field: string, url: string): number | null {
  const n = scoreValue(value, '/10', field, url);
  if (n !== null && n > 10) throw new OutOfRangeError(SOURCE, url, field, value);
  return n;
}

function percent(value: string, scale: '/100' | '%', field: string, url: string): number | null {
  const n = scoreValue(value, scale, field, url);
  if (n !== null && (n > 100 || !Number.isInteger(n))) throw new OutOfRangeError(SOURCE, url, field, value);
  return n;
}

// ---------------------------------------------------------------------------------------------------------
// Title records

/** What a title record says, read and typed. A key absent = the record does not carry it; null = "N/A". */
export interface OmdbTitleRecord {
  /** The record's own IMDb id (`imdbID`, 2011: `ID`). */
  imdbId: string;
  /** "movie", "series", "episode", "game" (lower case); null when the record has no `Type` (2011 bodies). */
  type: string | null;
  /** Whether the body is a 2011 imdbapi.com body (old field names). */
  legacy: boolean;
  title: string | null;
  year?: number | null;
  releaseDate?: string | null;
  runtimeMinutes?: number | null;
  /** "PG-13", "TV-PG"; null for "N/A", "Not Rated", "Unrated". */
  contentRating?: string | null;
  genres?: string[];
  directors?: string[];
  /** Top-billed cast names, in OMDb's order. */
  cast?: string[];
  /** Series only. */
  totalSeasons?: number | null;
  /** `Source` of each `Ratings[]` entry, in order ([] for 2011 bodies, which have no `Ratings`). */
  ratingSources: string[];
  /** IMDb rating and votes; votes absent when the record gives a rating but no count. */
  imdb?: { rating: number | null; votes?: number | null };
  /** Only when `Ratings[]` has a Rotten Tomatoes entry (or a 2011 body a `tomatoMeter`). */
  rottenTomatoes?: { tomatometer: number | null; criticCount?: number | null };
  /** From `Metascore`, else the `Ratings[]` "Metacritic" entry. */
  metacritic?: { metascore: number | null };
}

/**
 * IMDb rating and votes: zero votes is no score; a rating without a count keeps no count key; a count
 * without a rating field says nothing about the rating (undefined), unless it says nobody voted.
 */
function imdbScore(rating: string | undefined, votes: string | undefined, url: string): OmdbTitleRecord['imdb'] {
  if (rating === undefined) return votes !== undefined && parseCount(votes) === 0 ? { rating: null, votes: null } : undefined;
  const value = tenPoint(rating, 'imdbRating', url);
  if (votes === undefined || isMissingMarker(votes)) return value === null && votes !== undefined ? { rating: null, votes: null } : { rating: value };
  const count = parseCount(votes);
  if (count === null) throw new UnexpectedContentError(SOURCE, url, `imdbVotes ${quoted(votes)} is not a count`);
  return count === 0 ? { rating: null, votes: null } : { rating: value, votes: count };
}

/**
 * Reads a title record (`?i=`, `?t=`) of any `Type`, 2011 bodies included. A body without a valid IMDb id
 * is not a record we can file: `UnexpectedContentError`.
 */
export function readTitle(body: string, url: string): OmdbTitleRecord {
  const record = validate(OmdbTitle, readJson(body, url), url, 'title record');
  const imdbId = imdbIdOrNull(record.imdbID ?? record.ID);
  if (imdbId === null) throw new UnexpectedContentError(SOURCE, url, `title record without a valid IMDb id (${quoted(record.imdbID ?? record.ID ?? null)})`);
  const legacy = record.imdbID === undefined && record.ID !== undefined;
  const out: OmdbTitleRecord = {
    imdbId,
    type: record.Type === undefined ? null : record.Type.trim().toLowerCase(),
    legacy,
    title: plainTitle(record.Title),
    ratingSources: (record.Ratings ?? []).map((r) => r.Source),
  };
  if (record.Year !== undefined) out.year = parseYear(record.Year);
  if (record.Released !== undefined) out.releaseDate = parseDate(record.Released);
  if (record.Runtime !== undefined) out.runtimeMinutes = parseRuntime(record.Runtime);
  if (record.Rated !== undefined) out.contentRating = contentRating(record.Rated);
  if (record.Genre !== undefined) out.genres = commaList(record.Genre);
  if (record.Director !== undefined) out.directors = commaList(record.Director);
  if (record.Actors !== undefined) out.cast = commaList(record.Actors);
  if (record.totalSeasons !== undefined) out.totalSeasons = parseCount(record.totalSeasons);

  const imdbRating = record.imdbRating ?? record.Rating ?? ratingOf(record.Ratings, 'Internet Movie Database')?.Value;
  const imdbVotes = record.imdbVotes ?? record.Votes;
  const imdb = imdbScore(imdbRating, imdbVotes, url);
  if (imdb) out.imdb = imdb;

  const tomatometer = ratingOf(record.Ratings, 'Rotten Tomatoes');
  if (tomatometer) out.rottenTomatoes = { tomatometer: percent(tomatometer.Value, '%', 'Ratings "Rotten Tomatoes"', url) };
  else if (record.tomatoMeter !== undefined) {
    const value = percent(record.tomatoMeter, '%', 'tomatoMeter', url);
    const reviews = record.tomatoReviews === undefined || isMissingMarker(record.tomatoReviews) ? undefined : parseCount(record.tomatoReviews);
    if (reviews === undefined) out.rottenTomatoes = { tomatometer: value };
    else if (reviews === null) throw new UnexpectedContentError(SOURCE, url, `tomatoReviews ${quoted(record.tomatoReviews)} is not a count`);
    else out.rottenTomatoes = reviews === 0 ? { tomatometer: null, criticCount: null } : { tomatometer: value, criticCount: reviews };
  }

  const metacritic = ratingOf(record.Ratings, 'Metacritic');
  if (record.Metascore !== undefined && !isMissingMarker(record.Metascore)) {
    out.metacritic = { metascore: percent(record.Metascore, '/100', 'Metascore', url) };
  } else if (metacritic) {
    out.metacritic = { metascore: percent(metacritic.Value, '/100', 'Ratings "Metacritic"', url) };
  } else if (record.Metascore !== undefined) {
    out.metacritic = { metascore: null };
  }
  return out;
}

/** The `Type`s that are feature films (2011 bodies have none, and imdbapi.com served films only). */
function isFeatureFilm(record: OmdbTitleRecord): boolean {
  return record.type === null || record.type === 'movie';
}

/** A title record as observations: `details`, `credits`, `ids` and one `score` per group it carries. */
function titleObservations(record: OmdbTitleRecord, url: string): ParsedObservation[] {
  const base = { source: SOURCE, url, ids: { imdb: record.imdbId } } as const;
  const details: Parsed<'details'> = { ...base, kind: 'details', title: record.title };
  if (record.year !== undefined) details.year = record.year;
  if (record.releaseDate !== undefined) details.releaseDate = record.releaseDate;
  if (record.runtimeMinutes !== undefined) details.runtimeMinutes = record.runtimeMinutes;
  if (record.contentRating !== undefined) details.contentRating = record.contentRating;
  if (record.genres !== undefined) details.genres = record.genres;
  const observations: ParsedObservation[] = [details];
  if (record.directors !== undefined || record.cast !== undefined) {
    observations.push({ ...base, kind: 'credits', directors: record.directors ?? [], cast: (record.cast ?? []).map((name) => ({ name })) });
  }
  observations.push({ ...base, kind: 'ids' });
  if (record.imdb) observations.push({ ...base, kind: 'score', group: 'imdb', ...record.imdb } satisfies ScoreParsed<'imdb'>);
  if (record.rottenTomatoes) {
    observations.push({ ...base, kind: 'score', group: 'rottenTomatoes', ...record.rottenTomatoes } satisfies ScoreParsed<'rottenTomatoes'>);
  }
  if (record.metacritic) observations.push({ ...base, kind: 'score', group: 'metacritic', ...record.metacritic } satisfies ScoreParsed<'metacritic'>);
  return observations;
}

/**
 * A title record (`?i=<imdb>`) as observations: `details` (title, year, releaseDate, runtimeMinutes,
 * contentRating, genres), `credits` (director and cast names), `ids` ({imdb} from the record itself) and
 * `score` groups imdb, rottenTomatoes and metacritic for those it carries. A series, episode or game is not
 * a feature film: `UnexpectedContentError`.
 */
export function parseTitle(body: string, url: string): ParsedObservation[] {
  const record = readTitle(body, url);
  if (!isFeatureFilm(record)) throw new UnexpectedContentError(SOURCE, url, `not a feature film: ${record.type}`);
  return titleObservations(record, url);
}

/** What a lookup by title expects back: the film's title and year, and its IMDb id when known (the answer must be that record). */
export interface TitleLookup extends TitleQuery {
  imdb?: string;
}

/**
 * A title record fetched by title (`?t=&y=`) as observations, once it is shown to be the film asked for:
 * the record with the film's IMDb id when that is known, else a record whose title equals the film's
 * (normalized) and whose year is the film's. Anything else is a `NoMatchError` (OMDb answers `t=` with its
 * closest match, which may be another film), so the next fallback is tried.
 */
export function parseTitleLookup(body: string, url: string, query: TitleLookup): ParsedObservation[] {
  const record = readTitle(body, url);
  if (query.imdb !== undefined) {
    if (record.imdbId !== query.imdb) throw new NoMatchError(SOURCE, url, `the title lookup answered ${record.imdbId}, not ${query.imdb}`);
  } else {
    if (record.title === null || !sameTitle(record.title, query.title)) {
      throw new NoMatchError(SOURCE, url, `the title lookup answered "${record.title}", not "${query.title}"`);
    }
    if (query.year !== undefined && record.year !== query.year) {
      throw new NoMatchError(SOURCE, url, `the title lookup answered a film of ${record.year ?? 'no year'}, not ${query.year}`);
    }
  }
  if (!isFeatureFilm(record)) throw new UnexpectedContentError(SOURCE, url, `not a feature film: ${record.type}`);
  return titleObservations(record, url);
}

// ---------------------------------------------------------------------------------------------------------
// Search (?s=)

/** One search result. */
export interface OmdbSearchResult {
  title: string | null;
  /** First year ("2007" of "2007–2019"). */
  year: number | null;
  /** Only for a year range: its last year, null when open ("2015–"). */
  endYear?: number | null;
  /** IMDb id. */
  id: string;
  /** "movie", "series", "episode", "game" (lower case). */
  type: string;
}

/** One page of `?s=` results. */
export interface OmdbSearchResults {
  /** Results in all pages (OMDb sends a string). */
  totalResults: number;
  /** This page's results (at most 10), in OMDb's order; results without a valid IMDb id are left out. */
  results: OmdbSearchResult[];
}

// A year range: EN DASH as OMDb writes it, a hyphen tolerated.
const YEAR_RANGE = /^\s*(\d{4})\s*[–-]\s*(\d{4})?\s*$/;

/** Reads a `?s=` page. "Movie not found!" (no result) is a `SourceApiError` of kind not-found. */
export function parseSearchResults(body: string, url: string): OmdbSearchResults {
  const page = validate(OmdbSearchPage, readJson(body, url), url, 'search page');
  const totalResults = parseCount(page.totalResults);
  if (totalResults === null) throw new UnexpectedContentError(SOURCE, url, `totalResults ${quoted(page.totalResults)} is not a count`);
  const results: OmdbSearchResult[] = [];
  for (const item of page.Search) {
    const id = imdbIdOrNull(item.imdbID);
    if (id === null) continue;
    const result: OmdbSearchResult = { title: plainTitle(item.Title), year: parseYear(item.Year), id, type: item.Type.trim().toLowerCase() };
    const range = YEAR_RANGE.exec(item.Year);
    if (range) result.endYear = range[2] === undefined ? null : parseYear(range[2]);
    results.push(result);
  }
  return { totalResults, results };
}

/**
 * The one movie of a search page whose title equals the film's (normalized) and whose year is the film's.
 * Series, episodes and games are left out. None or several → `NoMatchError`; without a year, a single
 * title match counts only when the page holds every result.
 */
export function pickSearchMovie(page: OmdbSearchResults, query: TitleQuery, url: string): OmdbSearchResult {
  const movies = page.results.filter((r) => r.type === 'movie');
  return pickTitleMatch(movies, query, { source: SOURCE, url, noun: 'movie', titlesOf: (r) => [r.title], yearOf: (r) => r.year, complete: page.totalResults <= page.results.length });
}

/** A `?s=` page as an `ids` observation ({imdb}) for the one movie that matches (see `pickSearchMovie`). */
export function parseSearch(body: string, url: string, query: TitleQuery): ParsedObservation[] {
  const match = pickSearchMovie(parseSearchResults(body, url), query, url);
  return [{ source: SOURCE, url, ids: { imdb: match.id }, kind: 'ids' }];
}

/** The IMDb id of a success title record (for replay aliases), or null for anything else. */
export function recordImdbId(body: string): string | null {
  try {
    const record = OmdbTitle.safeParse(safeJsonParse(body.replace(/^\uFEFF/, '')));
    return record.success ? imdbIdOrNull(record.data.imdbID) : null;
  } catch {
    return null;
  }
}
