/**
 * TMDB API v3 response shapes, as zod schemas (the type is named like its schema).
 *
 * They describe what the parsers rely on and nothing more: every object is `.loose()`, so fields TMDB adds
 * (`origin_country` in 2025, `media_type` in find results…) pass through. They accept every generation in
 * the corpus, 2013 to 2025: old bodies lack `original_language` and `video`, 2013-14 bodies carry
 * `popularity` as a JSON string, `imdb_id` and `overview` may be null, `release_date` may be "" or absent.
 * Values are checked and converted in `parse.ts`, not here, so a schema failure always means "not the shape
 * we know" rather than "a value we dislike".
 */
import { z } from 'zod';

/** A number that some generations send as a JSON string (`popularity` "0.899541407888388" in 2014). */
const NumberLike = z.union([z.number(), z.string()]);
/** A TMDB id: a positive integer. */
const TmdbNumericId = z.number().int().positive();

/** `genres[]` of a movie. */
export const TmdbGenre = z.object({ id: z.number().optional(), name: z.string().nullable().optional() }).loose();
export type TmdbGenre = z.infer<typeof TmdbGenre>;

/** `production_companies[]`: `{name, id}` up to 2015, with `logo_path` and `origin_country` since. */
export const TmdbCompany = z.object({ name: z.string().nullable().optional() }).loose();
export type TmdbCompany = z.infer<typeof TmdbCompany>;

/** `production_countries[]`. */
export const TmdbProductionCountry = z.object({ iso_3166_1: z.string() }).loose();
export type TmdbProductionCountry = z.infer<typeof TmdbProductionCountry>;

/** `spoken_languages[]`; `iso_639_1` "xx" means "no language". */
export const TmdbSpokenLanguage = z.object({ iso_639_1: z.string() }).loose();
export type TmdbSpokenLanguage = z.infer<typeof TmdbSpokenLanguage>;

/** One `credits.cast[]` entry; `order` is the billing position. */
export const TmdbCastCredit = z
  .object({
    name: z.string().nullable().optional(),
    character: z.string().nullable().optional(),
    order: z.number().nullable().optional(),
  })
  .loose();
export type TmdbCastCredit = z.infer<typeof TmdbCastCredit>;

/** One `credits.crew[]` entry. */
export const TmdbCrewCredit = z
  .object({
    name: z.string().nullable().optional(),
    job: z.string().nullable().optional(),
    department: z.string().nullable().optional(),
  })
  .loose();
export type TmdbCrewCredit = z.infer<typeof TmdbCrewCredit>;

/** `/movie/{id}/credits`, or the appended `credits` section (which has no `id`). */
export const TmdbCredits = z
  .object({
    id: TmdbNumericId.optional(),
    cast: z.array(TmdbCastCredit),
    crew: z.array(TmdbCrewCredit),
  })
  .loose();
export type TmdbCredits = z.infer<typeof TmdbCredits>;

/** One keyword. The stinger keywords are `duringcreditsstinger` (179431) and `aftercreditsstinger` (179430). */
export const TmdbKeyword = z.object({ id: z.number(), name: z.string() }).loose();
export type TmdbKeyword = z.infer<typeof TmdbKeyword>;

/** `/movie/{id}/keywords` (`{id, keywords[]}`), or the appended `keywords` section (`{keywords[]}`). */
export const TmdbKeywords = z
  .object({
    id: TmdbNumericId.optional(),
    keywords: z.array(TmdbKeyword),
  })
  .loose();
export type TmdbKeywords = z.infer<typeof TmdbKeywords>;

/**
 * `/movie/{id}/external_ids`, or the appended `external_ids` section (no `id` there). `imdb_id` is always
 * present (null when unknown): without it the body is not an external-ids response.
 */
export const TmdbExternalIds = z
  .object({
    id: TmdbNumericId.optional(),
    imdb_id: z.string().nullable(),
    wikidata_id: z.string().nullable().optional(),
    facebook_id: z.string().nullable().optional(),
    instagram_id: z.string().nullable().optional(),
    twitter_id: z.string().nullable().optional(),
  })
  .loose();
export type TmdbExternalIds = z.infer<typeof TmdbExternalIds>;

/**
 * One dated release of a country in `release_dates`: `type` 1 premiere, 2 limited theatrical, 3 theatrical,
 * 4 digital, 5 physical, 6 TV; `release_date` an ISO timestamp; `certification` often "".
 */
export const TmdbReleaseDate = z
  .object({
    type: z.number().int(),
    release_date: z.string(),
    certification: z.string().nullable().optional(),
    note: z.string().nullable().optional(),
    iso_639_1: z.string().nullable().optional(),
  })
  .loose();
export type TmdbReleaseDate = z.infer<typeof TmdbReleaseDate>;

/** `/movie/{id}/release_dates`, or the appended `release_dates` section: one entry per country. */
export const TmdbReleaseDates = z
  .object({
    id: TmdbNumericId.optional(),
    results: z.array(z.object({ iso_3166_1: z.string(), release_dates: z.array(TmdbReleaseDate) }).loose()),
  })
  .loose();
export type TmdbReleaseDates = z.infer<typeof TmdbReleaseDates>;

/**
 * One entry of the legacy `/movie/{id}/releases` (or the appended `releases` of 2013-14): a country may
 * appear several times; `primary` is absent in 2014 bodies; dates have no time.
 */
export const TmdbLegacyRelease = z
  .object({
    iso_3166_1: z.string(),
    release_date: z.string(),
    certification: z.string().nullable().optional(),
    primary: z.boolean().nullable().optional(),
  })
  .loose();
export type TmdbLegacyRelease = z.infer<typeof TmdbLegacyRelease>;

/** The legacy `/movie/{id}/releases` response (superseded by `release_dates`). */
export const TmdbLegacyReleases = z
  .object({
    id: TmdbNumericId.optional(),
    countries: z.array(TmdbLegacyRelease),
  })
  .loose();
export type TmdbLegacyReleases = z.infer<typeof TmdbLegacyReleases>;

/** The appended `alternative_titles` section. */
export const TmdbAlternativeTitles = z
  .object({
    titles: z.array(z.object({ title: z.string(), iso_3166_1: z.string().optional() }).loose()),
  })
  .loose();
export type TmdbAlternativeTitles = z.infer<typeof TmdbAlternativeTitles>;

/**
 * `/movie/{id}` (also `/movie/latest`), with any `append_to_response` sections. `title` and `overview` are
 * in the language the request asked for; `original_title` is not.
 */
export const TmdbMovie = z
  .object({
    id: TmdbNumericId,
    title: z.string(),
    original_title: z.string().nullable().optional(),
    original_language: z.string().nullable().optional(),
    imdb_id: z.string().nullable().optional(),
    release_date: z.string().nullable().optional(),
    runtime: z.number().nullable().optional(),
    status: z.string().nullable().optional(),
    overview: z.string().nullable().optional(),
    genres: z.array(TmdbGenre).nullable().optional(),
    production_companies: z.array(TmdbCompany).nullable().optional(),
    production_countries: z.array(TmdbProductionCountry).nullable().optional(),
    spoken_languages: z.array(TmdbSpokenLanguage).nullable().optional(),
    vote_average: NumberLike.nullable().optional(),
    vote_count: NumberLike.nullable().optional(),
    popularity: NumberLike.nullable().optional(),
    credits: TmdbCredits.optional(),
    keywords: TmdbKeywords.optional(),
    external_ids: TmdbExternalIds.optional(),
    release_dates: TmdbReleaseDates.optional(),
    releases: TmdbLegacyReleases.optional(),
    alternative_titles: TmdbAlternativeTitles.optional(),
  })
  .loose();
export type TmdbMovie = z.infer<typeof TmdbMovie>;

/** A film in a result list (search, find, upcoming). `release_date` may be "" or absent. */
export const TmdbMovieListItem = z
  .object({
    id: TmdbNumericId,
    title: z.string().nullable().optional(),
    original_title: z.string().nullable().optional(),
    release_date: z.string().nullable().optional(),
    vote_average: NumberLike.nullable().optional(),
    vote_count: NumberLike.nullable().optional(),
  })
  .loose();
export type TmdbMovieListItem = z.infer<typeof TmdbMovieListItem>;

/** A paged list of films: `/search/movie`. A search without hits has `total_pages` 1, not 0. */
export const TmdbMoviePage = z
  .object({
    page: z.number().int().positive(),
    results: z.array(TmdbMovieListItem),
    total_pages: z.number().int().nonnegative(),
    total_results: z.number().int().nonnegative(),
  })
  .loose();
export type TmdbMoviePage = z.infer<typeof TmdbMoviePage>;

/** `/movie/upcoming`: a page plus the release window (results may fall outside it). */
export const TmdbUpcomingPage = TmdbMoviePage.extend({
  dates: z.object({ minimum: z.string(), maximum: z.string() }).loose().optional(),
});
export type TmdbUpcomingPage = z.infer<typeof TmdbUpcomingPage>;

/** `/find/{external_id}`: one array per media type (2013 bodies have only movie, person and tv). */
export const TmdbFindResponse = z
  .object({
    movie_results: z.array(TmdbMovieListItem),
    person_results: z.array(z.unknown()).optional(),
    tv_results: z.array(z.unknown()).optional(),
    tv_episode_results: z.array(z.unknown()).optional(),
    tv_season_results: z.array(z.unknown()).optional(),
  })
  .loose();
export type TmdbFindResponse = z.infer<typeof TmdbFindResponse>;

/** `/movie/changes`: ids of films changed in a window. `adult` may be null. */
export const TmdbChangeList = z
  .object({
    results: z.array(z.object({ id: TmdbNumericId, adult: z.boolean().nullable().optional() }).loose()),
    page: z.number().int().positive(),
    total_pages: z.number().int().nonnegative(),
    total_results: z.number().int().nonnegative(),
  })
  .loose();
export type TmdbChangeList = z.infer<typeof TmdbChangeList>;

/** One change item; `time` is "YYYY-MM-DD HH:MM:SS UTC"; an "updated" item carries `original_value`. */
export const TmdbChangeItem = z
  .object({
    id: z.string().optional(),
    action: z.string(),
    time: z.string(),
    iso_639_1: z.string().nullable().optional(),
    iso_3166_1: z.string().nullable().optional(),
    value: z.unknown().optional(),
    original_value: z.unknown().optional(),
  })
  .loose();
export type TmdbChangeItem = z.infer<typeof TmdbChangeItem>;

/** `/movie/{id}/changes`: changed keys ("images", "overview"…), each with its items. */
export const TmdbMovieChanges = z
  .object({
    changes: z.array(z.object({ key: z.string(), items: z.array(TmdbChangeItem) }).loose()),
  })
  .loose();
export type TmdbMovieChanges = z.infer<typeof TmdbMovieChanges>;

/** The usual error body: `{status_code, status_message, success?}` (`success` absent before ~2017). */
export const TmdbStatusError = z
  .object({
    status_code: z.number().int(),
    status_message: z.string(),
    success: z.boolean().optional(),
  })
  .loose();
export type TmdbStatusError = z.infer<typeof TmdbStatusError>;

/** The validation error body (HTTP 422): `{"errors": ["query must be provided"]}`, no code. */
export const TmdbValidationErrors = z.object({ errors: z.array(z.string()).min(1) }).loose();
export type TmdbValidationErrors = z.infer<typeof TmdbValidationErrors>;
