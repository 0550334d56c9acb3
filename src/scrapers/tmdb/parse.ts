/**
 * Pure parsers for TMDB API v3 bodies: `(body, url)` in, typed values and observations out.
 *
 * Quirks they absorb (each seen in the recorded corpus):
 * - One endpoint, many generations: 2013-14 bodies carry `popularity` as a string and lack
 *   `original_language`/`video`; `release_date` may be "" (→ null), `runtime` 0 means unknown (→ null),
 *   `imdb_id` may be null, `vote_average` 0 with `vote_count` 0 means "no score" (→ null, never 0).
 * - `append_to_response` sections are present only when asked for — and in replay, only when recorded — so
 *   a section that is absent yields no observation (absent, not empty). Appended keywords sit at
 *   `keywords.keywords[]`, the standalone endpoint at `keywords[]`.
 * - `language=` localises `title`, `overview` and genre names but not `original_title`, ids, dates,
 *   runtime, votes or credit names: a localised body gives `localizedTitle` and drops the rest (absent).
 * - Stinger keywords are crowd tags: their absence is at most weak evidence that there is no scene, and an
 *   empty keyword list says nothing at all.
 * - `/movie/changes` may claim `total_results` 1 while listing 2687 ids; times are "YYYY-MM-DD HH:MM:SS UTC".
 */
import type { z } from 'zod';
import {
  IdentityMismatchError,
  NoMatchError,
  SourceApiError,
  UnexpectedContentError,
  quoted,
  type ApiErrorKind,
} from '../../errors.ts';
import { IMDB_ID, WIKIDATA_ID, type MovieIds } from '../../schema/ids.ts';
import { type CastMember } from '../../schema/movie.ts';
import { isMissingMarker, parseCount, parseDate, parseRuntime, parseYear, plainText, plainTitle } from '../../lib/text.ts';
import type { ParsedObservation } from '../../schema/observation.ts';
import {
  TmdbChangeList,
  TmdbCredits,
  TmdbExternalIds,
  TmdbFindResponse,
  TmdbKeywords,
  TmdbLegacyReleases,
  TmdbMovie,
  TmdbMovieChanges,
  TmdbMoviePage,
  TmdbReleaseDates,
  TmdbStatusError,
  TmdbUpcomingPage,
  TmdbValidationErrors,
  type TmdbMovieListItem,
} from './schema.ts';
import { jsonApi } from '../json.ts';
import { scoreOnScale } from '../scales.ts';
import { pickTitleMatch, type TitleQuery } from '../match.ts';

const SOURCE = 'tmdb';

type Parsed<K extends ParsedObservation['kind']> = Extract<ParsedObservation, { kind: K }>;
type DetailsParsed = Parsed<'details'>;
type ScoreParsed = Extract<ParsedObservation, { kind: 'score'; group: 'tmdb' }>;

// ---------------------------------------------------------------------------------------------------------
// Reading bodies

/** TMDB bodies (../json.ts): a TMDB error body that arrives with a 2xx status is thrown as the `SourceApiError` it is. */
const api = jsonApi(SOURCE, 'a TMDB', tmdbErrorFromJson);
const readJson = api.read;
const validate = api.validate;

// ---------------------------------------------------------------------------------------------------------
// Error bodies

/** TMDB `status_code` → what kind of failure it is (codes from TMDB's documented error list). */
const STATUS_CODE_KINDS: Readonly<Record<number, ApiErrorKind>> = {
  3: 'auth', // authentication failed: no permission
  7: 'auth', // invalid API key
  10: 'auth', // suspended API key
  6: 'not-found', // invalid id
  34: 'not-found', // resource not found
  25: 'rate-limited', // request count over the allowed limit
  20: 'invalid-request', // invalid date range
  22: 'invalid-request', // invalid page
  9: 'server', // service offline
  11: 'server', // internal error
  24: 'server', // backend timed out
  43: 'server', // could not connect to the backend
  46: 'server', // down for maintenance
};

function kindFromStatus(status: number): ApiErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server';
  return 'invalid-request';
}

function tmdbErrorFromJson(json: unknown, status: number, url: string): SourceApiError | null {
  const statusError = TmdbStatusError.safeParse(json);
  // A body with success:true is an acknowledgement (write endpoints), not an error.
  if (statusError.success && statusError.data.success !== true) {
    const { status_code: code, status_message: message } = statusError.data;
    return new SourceApiError(SOURCE, url, status, code, plainText(message) ?? message, STATUS_CODE_KINDS[code] ?? kindFromStatus(status));
  }
  const validation = TmdbValidationErrors.safeParse(json);
  if (validation.success) {
    const message = validation.data.errors.map((e) => plainText(e) ?? e).join('; ');
    return new SourceApiError(SOURCE, url, status, null, message, 'invalid-request');
  }
  return null;
}

/**
 * Reads a TMDB error body (`{status_code, status_message, success?}` or `{"errors": [...]}`) into a
 * `SourceApiError` with `apiCode`/`apiMessage` and its kind (7 auth, 34 not-found, 25 rate-limited, 20/22
 * invalid-request; other codes by HTTP status). Null when the body is not a TMDB error body.
 */
export function parseApiError(status: number, body: string, url: string): SourceApiError | null {
  return api.parseApiError(status, body, url);
}

// ---------------------------------------------------------------------------------------------------------
// URLs, ids, values

/** The `language` a request URL asked for, or null. */
export function requestLanguage(url: string): string | null {
  try {
    const language = new URL(url).searchParams.get('language')?.trim();
    return language ? language : null;
  } catch {
    return null;
  }
}

/** Whether a body fetched with this URL is localised to a language other than English. */
export function isLocalized(url: string): boolean {
  const language = requestLanguage(url);
  return language !== null && !/^en(?:$|[-_])/i.test(language);
}

/** A language tag fit to store next to a localised title ("fr", "pt-BR"), or undefined. */
function storableLanguage(url: string): string | undefined {
  const language = requestLanguage(url);
  return language && /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,4})?$/.test(language) ? language : undefined;
}

const MOVIE_PATH = /\/3\/movie\/(\d+)(?:\/|$)/;

/** The TMDB id in a `/3/movie/{id}…` URL, or null (`/movie/latest`, `/find`, `/search`). */
export function tmdbIdFromUrl(url: string): number | null {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return null;
  }
  const m = MOVIE_PATH.exec(pathname);
  const id = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** The film's id: the body's, checked against the URL's; the URL's for bodies that carry none. */
function resolveTmdbId(bodyId: number | undefined, url: string): number {
  const urlId = tmdbIdFromUrl(url);
  if (bodyId !== undefined && urlId !== null && bodyId !== urlId) {
    throw new IdentityMismatchError(SOURCE, url, `tmdb:${urlId}`, `tmdb:${bodyId}`);
  }
  const id = bodyId ?? urlId;
  if (id === null) throw new UnexpectedContentError(SOURCE, url, 'neither the body nor the URL gives a TMDB movie id');
  return id;
}

/** A 0-10 score (../scales.ts). */
function tenPoint(value: unknown, field: string, url: string): number | null {
  return scoreOnScale(value, 'tenPoint', { source: SOURCE, url, field });
}

/** Votes: null for none (0 or a missing marker); a value that is not a count is rejected, not read as "none". */
function voteCountOf(value: unknown, url: string): number | null {
  if (isMissingMarker(value)) return null;
  const count = parseCount(value);
  if (count === null) throw new UnexpectedContentError(SOURCE, url, `vote_count ${quoted(value, 40)} is not a count`);
  return count === 0 ? null : count;
}

/**
 * TMDB's user score: `voteCount` null when nobody voted, and then `voteAverage` null too (TMDB sends 0).
 * `voteCount` is undefined when the body has no `vote_count` at all. Null (no claim) when the body carries
 * neither, or votes without their average: the score is then not known, not missing.
 */
function tmdbScore(voteAverage: unknown, voteCount: unknown, url: string): { voteAverage: number | null; voteCount?: number | null } | null {
  if (voteAverage === undefined) return voteCount !== undefined && voteCountOf(voteCount, url) === null ? { voteAverage: null, voteCount: null } : null;
  if (voteCount === undefined) {
    const average = tenPoint(voteAverage, 'vote_average', url);
    return { voteAverage: average === 0 ? null : average };
  }
  const count = voteCountOf(voteCount, url);
  return { voteAverage: count === null ? null : tenPoint(voteAverage, 'vote_average', url), voteCount: count };
}

function imdbIdOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && IMDB_ID.test(value.trim()) ? value.trim() : undefined;
}

function wikidataIdOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && WIKIDATA_ID.test(value.trim()) ? value.trim() : undefined;
}

function movieIds(tmdb: number, imdb?: unknown, wikidata?: unknown): MovieIds {
  const ids: MovieIds = { tmdb };
  const imdbId = imdbIdOrUndefined(imdb);
  if (imdbId) ids.imdb = imdbId;
  const wikidataId = wikidataIdOrUndefined(wikidata);
  if (wikidataId) ids.wikidata = wikidataId;
  return ids;
}

function uniqueTexts(values: Iterable<unknown>): string[] {
  const out: string[] = [];
  for (const value of values) {
    const text = plainText(value, { maxLength: 300 });
    if (text && !out.includes(text)) out.push(text);
  }
  return out;
}

/** A non-empty trimmed string, or null (TMDB writes "" for "none"). */
function nonEmpty(value: string | null | undefined): string | null {
  const text = value?.trim();
  return text ? text : null;
}

// ---------------------------------------------------------------------------------------------------------
// Movie details (+ appended sections)

/** The sub-resources a details request appends, each also a standalone endpoint. */
export const MOVIE_SECTIONS = ['credits', 'keywords', 'external_ids', 'release_dates'] as const;
/** One appended section of a details response. */
export type MovieSection = (typeof MOVIE_SECTIONS)[number];

/** The sections a details body carries (the legacy `releases` section answers for `release_dates`). */
export function carriedSections(movie: TmdbMovie): MovieSection[] {
  return MOVIE_SECTIONS.filter((section) =>
    section === 'release_dates' ? movie.release_dates !== undefined || movie.releases !== undefined : movie[section] !== undefined,
  );
}

/** A details response read: the validated body, what it carries, and its observations. */
export interface MovieResponse {
  /** The validated body (counts of cast, crew, alternative titles… are read from here). */
  movie: TmdbMovie;
  /** Appended sections the body carries. */
  sections: MovieSection[];
  /** Appended sections it does not carry (to fetch from their own endpoints). */
  missingSections: MovieSection[];
  /** Whether `title`, overview and genres are in a language other than English. */
  localized: boolean;
  /** `details`, `score`, `ids`, and `credits`/`creditScenes`/`releases` for the sections carried. */
  observations: ParsedObservation[];
}

/**
 * Reads `/movie/{id}` (or `/movie/latest`) with any appended sections: `details`, `score` (group tmdb) and
 * `ids` always; `credits`, `creditScenes` (non-empty keyword list), `releases` only when the body carries
 * them. A body localised to another language gives `localizedTitle` and no `title`, `genres`, `synopsis`.
 */
export function parseMovieResponse(body: string, url: string): MovieResponse {
  const movie = validate(TmdbMovie, readJson(body, url), url, 'movie details');
  const tmdbId = resolveTmdbId(movie.id, url);
  const ids = movieIds(
    tmdbId,
    imdbIdOrUndefined(movie.imdb_id) ?? imdbIdOrUndefined(movie.external_ids?.imdb_id),
    movie.external_ids?.wikidata_id,
  );
  const base = { source: SOURCE, url, ids } as const;
  const localized = isLocalized(url);

  const details: DetailsParsed = { ...base, kind: 'details' };
  const title = plainTitle(movie.title);
  if (localized) {
    const language = storableLanguage(url);
    if (title && language) {
      details.localizedTitle = title;
      details.language = language;
    }
  } else {
    details.title = title;
  }
  if (movie.original_title !== undefined) details.originalTitle = plainTitle(movie.original_title);
  if (movie.release_date !== undefined) {
    details.releaseDate = parseDate(movie.release_date);
    details.year = parseYear(movie.release_date);
  }
  if (movie.runtime !== undefined) details.runtimeMinutes = parseRuntime(movie.runtime);
  if (!localized && movie.genres != null) details.genres = uniqueTexts(movie.genres.map((g) => g.name));
  if (movie.production_companies != null) details.companies = uniqueTexts(movie.production_companies.map((c) => c.name));
  if (movie.production_countries != null) {
    details.countries = [
      ...new Set(movie.production_countries.map((c) => c.iso_3166_1.trim().toUpperCase()).filter((c) => /^[A-Z]{2}$/.test(c))),
    ];
  }
  if (movie.spoken_languages != null) {
    // "xx" is TMDB's "no language" (silent films, music-only shorts).
    details.languages = [
      ...new Set(
        movie.spoken_languages.map((l) => l.iso_639_1.trim().toLowerCase()).filter((l) => l !== 'xx' && /^[a-z]{2,3}$/.test(l)),
      ),
    ];
  }
  if (!localized && movie.overview !== undefined) details.synopsis = plainText(movie.overview);
  const status = plainText(movie.status, { maxLength: 100 });
  if (status) details.status = status;

  const observations: ParsedObservation[] = [details];
  const votes = tmdbScore(movie.vote_average, movie.vote_count, url);
  if (votes) observations.push({ ...base, kind: 'score', group: 'tmdb', ...votes } satisfies ScoreParsed);
  observations.push({ ...base, kind: 'ids' });
  if (movie.credits) observations.push(creditsObservation(movie.credits, base));
  if (movie.keywords) {
    const scenes = creditScenesObservation(movie.keywords.keywords, base);
    if (scenes) observations.push(scenes);
  }
  if (movie.release_dates) observations.push(releasesObservation(summarizeReleaseDates(movie.release_dates), base));
  else if (movie.releases) observations.push(releasesObservation(summarizeLegacyReleases(movie.releases), base));

  const sections = carriedSections(movie);
  return {
    movie,
    sections,
    missingSections: MOVIE_SECTIONS.filter((s) => !sections.includes(s)),
    localized,
    observations,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Credits

type ObservationBase = { source: 'tmdb'; url: string; ids: MovieIds };

/** How many top-billed cast members an observation keeps. */
export const TOP_CAST = 10;

function creditsObservation(credits: TmdbCredits, base: ObservationBase): Parsed<'credits'> {
  const directors = uniqueTexts(credits.crew.filter((c) => c.job?.trim() === 'Director').map((c) => c.name));
  // Billing order is `order`, not array order; entries without one go last, in array order.
  const billed = credits.cast
    .map((member, index) => ({ member, index, order: typeof member.order === 'number' ? member.order : Number.POSITIVE_INFINITY }))
    .sort((a, b) => a.order - b.order || a.index - b.index);
  const cast: CastMember[] = [];
  for (const { member } of billed) {
    if (cast.length >= TOP_CAST) break;
    const name = plainText(member.name, { maxLength: 300 });
    if (!name) continue;
    const character = plainText(member.character, { maxLength: 300 });
    cast.push(character ? { name, character } : { name });
  }
  return { ...base, kind: 'credits', directors, cast };
}

/** A credits response read: the validated body and its `credits` observation. */
export interface CreditsResponse {
  /** The validated body (full cast and crew). */
  response: TmdbCredits;
  /** One `credits` observation. */
  observations: ParsedObservation[];
}

/** Reads `/movie/{id}/credits`: directors (crew with job "Director") and the top 10 cast by billing order. */
export function parseCreditsResponse(body: string, url: string): CreditsResponse {
  const response = validate(TmdbCredits, readJson(body, url), url, 'credits');
  const ids = movieIds(resolveTmdbId(response.id, url));
  return { response, observations: [creditsObservation(response, { source: SOURCE, url, ids })] };
}

// ---------------------------------------------------------------------------------------------------------
// Keywords → credit scenes

/** TMDB's stinger keywords: the only credit-scene signal TMDB has (crowd-sourced tags). */
export const STINGER_KEYWORDS = {
  during: { id: 179431, name: 'duringcreditsstinger' },
  after: { id: 179430, name: 'aftercreditsstinger' },
} as const;

function hasKeyword(keywords: readonly { id: number; name: string }[], wanted: { id: number; name: string }): boolean {
  return keywords.some((k) => k.id === wanted.id || k.name.trim().toLowerCase() === wanted.name);
}

/** The stinger keywords in a keyword list, "during" first. */
export function stingerKeywordsOf(keywords: readonly { id: number; name: string }[]): string[] {
  return [STINGER_KEYWORDS.during, STINGER_KEYWORDS.after].filter((k) => hasKeyword(keywords, k)).map((k) => k.name);
}

/**
 * A keyword list as a credit-scene claim: a stinger keyword makes its slot true; a slot without one is
 * false, but only weakly (a crowd list that lacks a tag). An empty list claims nothing: null.
 */
function creditScenesObservation(keywords: readonly { id: number; name: string }[], base: ObservationBase): Parsed<'creditScenes'> | null {
  if (keywords.length === 0) return null;
  const during = hasKeyword(keywords, STINGER_KEYWORDS.during);
  const after = hasKeyword(keywords, STINGER_KEYWORDS.after);
  const stingers = stingerKeywordsOf(keywords);
  return {
    ...base,
    kind: 'creditScenes',
    during,
    after,
    strength: 'weak',
    scenes: [],
    detail: stingers.length > 0 ? `TMDB keywords: ${stingers.join(', ')}` : `TMDB keywords (${keywords.length}) without stinger keywords`,
  };
}

/** A keywords response read. */
export interface KeywordsResponse {
  /** The validated body. */
  response: TmdbKeywords;
  /** Keyword names, plain text, in TMDB's order. */
  keywords: string[];
  /** `duringcreditsstinger` / `aftercreditsstinger` when present. */
  stingerKeywords: string[];
  /** One `creditScenes` observation, or none for an empty keyword list. */
  observations: ParsedObservation[];
}

/** Reads `/movie/{id}/keywords` (`{id, keywords[]}`) into a `creditScenes` observation. */
export function parseKeywordsResponse(body: string, url: string): KeywordsResponse {
  const response = validate(TmdbKeywords, readJson(body, url), url, 'keywords');
  const ids = movieIds(resolveTmdbId(response.id, url));
  const scenes = creditScenesObservation(response.keywords, { source: SOURCE, url, ids });
  return {
    response,
    keywords: response.keywords.map((k) => plainText(k.name, { maxLength: 300 })).filter((k): k is string => k !== null),
    stingerKeywords: stingerKeywordsOf(response.keywords),
    observations: scenes ? [scenes] : [],
  };
}

// ---------------------------------------------------------------------------------------------------------
// External ids

/** An external-ids response read. */
export interface ExternalIdsResponse {
  /** The validated body. */
  response: TmdbExternalIds;
  /** TMDB, IMDb and Wikidata ids (each only when it matches its pattern). */
  ids: MovieIds;
  /** Social handles, null when TMDB has none (not stored in the dataset). */
  social: { facebook: string | null; instagram: string | null; twitter: string | null };
  /** One `ids` observation. */
  observations: ParsedObservation[];
}

/** Reads `/movie/{id}/external_ids` into an `ids` observation (IMDb and Wikidata ids). */
export function parseExternalIdsResponse(body: string, url: string): ExternalIdsResponse {
  const response = validate(TmdbExternalIds, readJson(body, url), url, 'external ids');
  const ids = movieIds(resolveTmdbId(response.id, url), response.imdb_id, response.wikidata_id);
  return {
    response,
    ids,
    social: { facebook: nonEmpty(response.facebook_id), instagram: nonEmpty(response.instagram_id), twitter: nonEmpty(response.twitter_id) },
    observations: [{ source: SOURCE, url, ids, kind: 'ids' }],
  };
}

// ---------------------------------------------------------------------------------------------------------
// Release dates (current and legacy)

/** The US theatrical release: its date and certification. */
export interface UsTheatricalRelease {
  /** ISO date. */
  date: string | null;
  /** MPA rating ("R", "PG-13"); null when TMDB has none. */
  certification: string | null;
}

/** One US entry of `release_dates`. */
export interface UsReleaseDate {
  /** 1 premiere, 2 limited theatrical, 3 theatrical, 4 digital, 5 physical, 6 TV. */
  type: number;
  /** ISO date (the day of TMDB's midnight-UTC timestamp). */
  date: string | null;
  /** Null for "". */
  certification: string | null;
  /** Festival, venue or medium ("CMJ Film Festival"); null for "". */
  note: string | null;
}

/** One US entry of the legacy `releases`. */
export interface UsLegacyRelease {
  /** ISO date. */
  date: string | null;
  /** Null for "". */
  certification: string | null;
  /** Absent in 2014 bodies: null. */
  primary: boolean | null;
}

interface ReleasesSummary {
  countries: number;
  usTheatrical: UsTheatricalRelease | null;
}

function earliest<T extends { date: string | null }>(entries: readonly T[]): T | undefined {
  return entries.filter((e) => e.date !== null).sort((a, b) => (a.date! < b.date! ? -1 : a.date! > b.date! ? 1 : 0))[0];
}

function summarizeReleaseDates(section: TmdbReleaseDates): ReleasesSummary & { usEntries: UsReleaseDate[] } {
  const usEntries: UsReleaseDate[] = section.results
    .filter((r) => r.iso_3166_1.trim().toUpperCase() === 'US')
    .flatMap((r) => r.release_dates)
    .map((d) => ({
      type: d.type,
      date: parseDate(d.release_date),
      certification: plainText(d.certification, { maxLength: 50 }),
      note: plainText(d.note, { maxLength: 300 }),
    }));
  // Type 3 is the wide theatrical release; premieres (1) and limited runs (2) are not "the" release.
  const theatrical = earliest(usEntries.filter((e) => e.type === 3));
  return {
    countries: new Set(section.results.map((r) => r.iso_3166_1.trim().toUpperCase())).size,
    usEntries,
    usTheatrical: theatrical ? { date: theatrical.date, certification: theatrical.certification } : null,
  };
}

function summarizeLegacyReleases(section: TmdbLegacyReleases): ReleasesSummary & { usEntries: UsLegacyRelease[] } {
  const usEntries: UsLegacyRelease[] = section.countries
    .filter((c) => c.iso_3166_1.trim().toUpperCase() === 'US')
    .map((c) => ({
      date: parseDate(c.release_date),
      certification: plainText(c.certification, { maxLength: 50 }),
      primary: typeof c.primary === 'boolean' ? c.primary : null,
    }));
  // The legacy endpoint has no release types; festival premieres there carry no certification.
  const theatrical = earliest(usEntries.filter((e) => e.certification !== null));
  return {
    countries: new Set(section.countries.map((c) => c.iso_3166_1.trim().toUpperCase())).size,
    usEntries,
    usTheatrical: theatrical ? { date: theatrical.date, certification: theatrical.certification } : null,
  };
}

function releasesObservation(summary: ReleasesSummary, base: ObservationBase): Parsed<'releases'> {
  return {
    ...base,
    kind: 'releases',
    countries: summary.countries,
    usTheatricalDate: summary.usTheatrical?.date ?? null,
    usCertification: summary.usTheatrical?.certification ?? null,
  };
}

/** A release-dates response read. */
export interface ReleaseDatesResponse {
  /** The validated body. */
  response: TmdbReleaseDates;
  /** Distinct countries with at least one release. */
  countries: number;
  /** Every US entry, in TMDB's order. */
  usEntries: UsReleaseDate[];
  /** The earliest US type-3 (theatrical) release, or null. */
  usTheatrical: UsTheatricalRelease | null;
  /** One `releases` observation. */
  observations: ParsedObservation[];
}

/** Reads `/movie/{id}/release_dates`: country count, US theatrical (type 3) date and certification. */
export function parseReleaseDatesResponse(body: string, url: string): ReleaseDatesResponse {
  const response = validate(TmdbReleaseDates, readJson(body, url), url, 'release dates');
  const ids = movieIds(resolveTmdbId(response.id, url));
  const summary = summarizeReleaseDates(response);
  return { response, ...summary, observations: [releasesObservation(summary, { source: SOURCE, url, ids })] };
}

/** A legacy releases response read. */
export interface LegacyReleasesResponse {
  /** The validated body (`countries[]` holds one entry per release, not per country). */
  response: TmdbLegacyReleases;
  /** Distinct countries (a country may have several entries). */
  countries: number;
  /** Every US entry, in TMDB's order. */
  usEntries: UsLegacyRelease[];
  /** The earliest US entry with a certification (the legacy shape has no release types), or null. */
  usTheatrical: UsTheatricalRelease | null;
  /** One `releases` observation. */
  observations: ParsedObservation[];
}

/** Reads the legacy `/movie/{id}/releases` (fallback when `release_dates` is not answered). */
export function parseLegacyReleasesResponse(body: string, url: string): LegacyReleasesResponse {
  const response = validate(TmdbLegacyReleases, readJson(body, url), url, 'releases');
  const ids = movieIds(resolveTmdbId(response.id, url));
  const summary = summarizeLegacyReleases(response);
  return { response, ...summary, observations: [releasesObservation(summary, { source: SOURCE, url, ids })] };
}

// ---------------------------------------------------------------------------------------------------------
// Result lists: search, find, upcoming

/** A film in a TMDB result list. */
export interface MovieListEntry {
  /** TMDB id. */
  id: number;
  /** Title in the request's language (TMDB falls back to the original title). */
  title: string | null;
  /** Title in the original language. */
  originalTitle: string | null;
  /** Primary release date (ISO); null for "" or absent. */
  releaseDate: string | null;
  /** Year of the primary release date (not of whatever release matched a `year=` filter). */
  year: number | null;
  /** TMDB user score 0-10; null when nobody voted. */
  score: number | null;
  /** Votes; null when none. */
  voteCount: number | null;
}

function listEntry(item: TmdbMovieListItem, url: string): MovieListEntry {
  const { voteAverage = null, voteCount } = tmdbScore(item.vote_average, item.vote_count, url) ?? {};
  return {
    id: item.id,
    title: plainTitle(item.title),
    originalTitle: plainTitle(item.original_title),
    releaseDate: parseDate(item.release_date),
    year: parseYear(item.release_date),
    score: voteAverage,
    voteCount: voteCount ?? null,
  };
}

/** One page of a TMDB film list. */
export interface MovieList {
  /** This page, from 1. */
  page: number;
  /** Pages in all (1 for a search without hits). */
  totalPages: number;
  /** Results in all pages. */
  totalResults: number;
  /** This page's films, in TMDB's order. */
  results: MovieListEntry[];
}

/** Reads `/search/movie`. */
export function parseSearchResults(body: string, url: string): MovieList {
  const response = validate(TmdbMoviePage, readJson(body, url), url, 'search');
  return {
    page: response.page,
    totalPages: response.total_pages,
    totalResults: response.total_results,
    results: response.results.map((r) => listEntry(r, url)),
  };
}

/** One page of `/movie/upcoming`. */
export interface UpcomingList extends MovieList {
  /** The window TMDB says the list covers; results may fall outside it. */
  dates: { minimum: string | null; maximum: string | null } | null;
}

/** Reads `/movie/upcoming`. */
export function parseUpcomingResults(body: string, url: string): UpcomingList {
  const response = validate(TmdbUpcomingPage, readJson(body, url), url, 'upcoming');
  return {
    page: response.page,
    totalPages: response.total_pages,
    totalResults: response.total_results,
    results: response.results.map((r) => listEntry(r, url)),
    dates: response.dates ? { minimum: parseDate(response.dates.minimum), maximum: parseDate(response.dates.maximum) } : null,
  };
}

/**
 * `/movie/upcoming` as observations, one set per film (ids `{tmdb}`): `ids`, `details` (title,
 * originalTitle, releaseDate, year) and `score`. The pipeline files each set under its film.
 */
export function parseUpcoming(body: string, url: string): ParsedObservation[] {
  const response = validate(TmdbUpcomingPage, readJson(body, url), url, 'upcoming');
  return response.results.flatMap((item) => listItemObservations(item, url, { tmdb: listEntry(item, url).id }));
}

/**
 * What a result-list item (upcoming, find) says about its film: ids, the summary details lists carry
 * (titles, primary release date) and the TMDB score. A full details answer later replaces them.
 */
function listItemObservations(item: Parameters<typeof listEntry>[0] & { vote_count?: unknown }, url: string, ids: MovieIds): ParsedObservation[] {
  const entry = listEntry(item, url);
  const localized = isLocalized(url);
  const language = storableLanguage(url);
  const base = { source: SOURCE, url, ids } as const;
  const details: DetailsParsed = { ...base, kind: 'details', originalTitle: entry.originalTitle, releaseDate: entry.releaseDate, year: entry.year };
  if (!localized) details.title = entry.title;
  else if (entry.title && language) {
    details.localizedTitle = entry.title;
    details.language = language;
  }
  if (tmdbScore(item.vote_average, item.vote_count, url) === null) return [{ ...base, kind: 'ids' }, details];
  const score: ScoreParsed = { ...base, kind: 'score', group: 'tmdb', voteAverage: entry.score };
  if (item.vote_count !== undefined) score.voteCount = entry.voteCount;
  return [{ ...base, kind: 'ids' }, details, score];
}

/** A `/find` response read. */
export interface FindResults {
  /** `movie_results`. */
  results: MovieListEntry[];
  /** The media arrays the body has, sorted (2013 bodies: movie, person, tv only). */
  mediaArrays: string[];
}

/** Reads `/find/{external_id}`. */
export function parseFindResults(body: string, url: string): FindResults {
  const response = validate(TmdbFindResponse, readJson(body, url), url, 'find');
  return {
    results: response.movie_results.map((r) => listEntry(r, url)),
    mediaArrays: Object.keys(response)
      .filter((k) => k.endsWith('_results') && Array.isArray(response[k]))
      .sort(),
  };
}

/** The IMDb id a `/find/{id}?external_source=imdb_id` URL looks up, or undefined. */
function imdbIdFromFindUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    const m = /\/3\/find\/([^/]+)$/.exec(u.pathname);
    return m && u.searchParams.get('external_source') === 'imdb_id' ? imdbIdOrUndefined(decodeURIComponent(m[1]!)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `/find/{imdb}` as an `ids` observation linking the IMDb id to the one film found. No film, or several
 * (an id TMDB attached to more than one film) → `NoMatchError`.
 */
export function parseFind(body: string, url: string): ParsedObservation[] {
  const response = validate(TmdbFindResponse, readJson(body, url), url, 'find');
  const items = response.movie_results;
  if (items.length === 0) throw new NoMatchError(SOURCE, url, 'no film has this external id on TMDB');
  if (items.length > 1) throw new NoMatchError(SOURCE, url, `${items.length} films have this external id: ambiguous`);
  const ids: MovieIds = { tmdb: listEntry(items[0]!, url).id };
  const imdb = imdbIdFromFindUrl(url);
  if (imdb) ids.imdb = imdb;
  return listItemObservations(items[0]!, url, ids);
}

/**
 * The one result whose title (or original title) equals the film's once normalized and whose primary
 * release year is the film's. None or several → `NoMatchError`. TMDB's `year=` filter matches any release
 * in that year, so the year is checked again here. Without a known year, a title that matches once is
 * accepted only when the page holds every result.
 */
export function pickSearchMatch(list: MovieList, query: TitleQuery, url: string): MovieListEntry {
  return pickTitleMatch(list.results, query, {
    source: SOURCE,
    url,
    noun: 'result',
    titlesOf: (r) => [r.title, r.originalTitle],
    yearOf: (r) => r.year,
    complete: list.totalResults <= list.results.length,
  });
}

/** `/search/movie` as an `ids` observation for the one film that matches `query` (see `pickSearchMatch`). */
export function parseSearch(body: string, url: string, query: TitleQuery): ParsedObservation[] {
  const match = pickSearchMatch(parseSearchResults(body, url), query, url);
  return [{ source: SOURCE, url, ids: { tmdb: match.id }, kind: 'ids' }];
}

// ---------------------------------------------------------------------------------------------------------
// Change feeds (for the refresh scheduler)

/** One page of `/movie/changes`. */
export interface ChangeList {
  /** This page, from 1. */
  page: number;
  /** Pages in all: the one number to page on. */
  totalPages: number;
  /** As TMDB says; it can be wrong (1 while listing 2687 ids): never page on it. */
  totalResults: number;
  /** The changed films, with `adult` null where TMDB gives none. */
  movies: { id: number; adult: boolean | null }[];
  /** Whether a next page exists (`page < total_pages`). */
  morePages: boolean;
}

/** Reads `/movie/changes` (films changed in a window of at most 14 days). */
export function parseChangeList(body: string, url: string): ChangeList {
  const response = validate(TmdbChangeList, readJson(body, url), url, 'change list');
  return {
    page: response.page,
    totalPages: response.total_pages,
    totalResults: response.total_results,
    movies: response.results.map((r) => ({ id: r.id, adult: typeof r.adult === 'boolean' ? r.adult : null })),
    morePages: response.page < response.total_pages,
  };
}

/**
 * A change time as ISO 8601 UTC: "2022-10-10 17:09:48 UTC" → "2022-10-10T17:09:48Z" (an ISO time passes
 * through, normalised). Null when it is neither.
 */
export function parseChangeTime(value: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.\d+)?\s*(?:UTC|Z|\+00:?00)$/.exec(value.trim());
  if (!m) return null;
  const iso = `${m[1]}T${m[2]}Z`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 19) !== iso.slice(0, 19) ? null : iso;
}

/** One change of a film. */
export interface MovieChange {
  /** What changed ("images", "overview", "release_dates"…). */
  key: string;
  /** "added", "updated", "deleted", "created". */
  action: string;
  /** ISO 8601 UTC. */
  time: string;
  /** Whether the item carries the previous value. */
  hasOriginalValue: boolean;
  /** ISO 639-1 language of a per-language change (titles, overviews, images), or null. */
  language: string | null;
  /** ISO 3166-1 country of a per-country change (release dates), or null. */
  country: string | null;
}

/** A `/movie/{id}/changes` response read. */
export interface MovieChanges {
  /** TMDB id (from the URL). */
  tmdbId: number | null;
  /** Changed keys, in TMDB's order. */
  keys: string[];
  /** Every item of every key, with its key. */
  items: MovieChange[];
}

/** Reads `/movie/{id}/changes`. A time in neither known form → `UnexpectedContentError`. */
export function parseMovieChanges(body: string, url: string): MovieChanges {
  const response = validate(TmdbMovieChanges, readJson(body, url), url, 'movie changes');
  const items = response.changes.flatMap((change) =>
    change.items.map((item): MovieChange => {
      const time = parseChangeTime(item.time);
      if (time === null) throw new UnexpectedContentError(SOURCE, url, `change time ${quoted(item.time)} is not "YYYY-MM-DD HH:MM:SS UTC"`);
      return {
        key: change.key,
        action: item.action,
        time,
        hasOriginalValue: item.original_value !== undefined,
        language: nonEmpty(item.iso_639_1),
        country: nonEmpty(item.iso_3166_1),
      };
    }),
  );
  return { tmdbId: tmdbIdFromUrl(url), keys: response.changes.map((c) => c.key), items };
}
