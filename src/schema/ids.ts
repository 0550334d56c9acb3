/**
 * Film ids: the pattern of each source's id, the zod types that check them, a film's ids at every source
 * (`MovieIds`), dates of observation — and stingerdb's own film id (`tt…`, or `tmdb:<n>` while no IMDb id is
 * known), with its compact numeric form for the identity index.
 */
import { z } from 'zod';
import type { SourceId } from './sources.ts';

/** IMDb title id, e.g. `tt0087747`. */
export const IMDB_ID = /^tt\d{7,10}$/;
/** Wikidata item id, e.g. `Q2262932`. */
export const WIKIDATA_ID = /^Q[1-9]\d{0,11}$/;
/** Rotten Tomatoes film path, e.g. `m/dune_2021` or `m/the-living-matrix`. */
export const ROTTEN_TOMATOES_ID = /^m\/[a-z0-9][a-z0-9_-]{0,199}$/;
/** Metacritic film path, e.g. `movie/the-matrix-4`. */
export const METACRITIC_ID = /^movie\/[a-z0-9][a-z0-9-]{0,199}$/;
/** A stingerdb film id: the IMDb id, or `tmdb:<n>` while no IMDb id is known. */
export const MOVIE_ID = /^(tt\d{7,10}|tmdb:[1-9]\d{0,9})$/;
/** An ISO 8601 calendar date, full (`2021-10-22`). */
export const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
/**
 * When something was observed: an ISO 8601 date or date-time, possibly of reduced precision (`2018-12`,
 * `2025`) because some recorded responses are only dated to the month or the year.
 */
export const OBSERVED_AT = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?)?)?$/;

export const ImdbId = z.string().regex(IMDB_ID).describe('IMDb title id, e.g. "tt0087747".');
export const TmdbId = z.number().int().positive().max(9_999_999_999).describe('TMDB movie id, e.g. 550.');
export const WikidataId = z.string().regex(WIKIDATA_ID).describe('Wikidata item id, e.g. "Q190050".');
export const RottenTomatoesId = z
  .string()
  .regex(ROTTEN_TOMATOES_ID)
  .describe('Rotten Tomatoes path without the host, e.g. "m/dune_2021".');
export const MetacriticId = z
  .string()
  .regex(METACRITIC_ID)
  .describe('Metacritic path without the host, e.g. "movie/the-matrix-4".');
export const MovieId = z
  .string()
  .regex(MOVIE_ID)
  .describe('stingerdb film id: the IMDb id, or "tmdb:<n>" only while no IMDb id is known.');
export const IsoDate = z.string().regex(ISO_DATE).describe('ISO 8601 calendar date (YYYY-MM-DD).');
export const ObservedAt = z
  .string()
  .regex(OBSERVED_AT)
  .describe('ISO 8601 date or UTC date-time of the observation; may be reduced precision (YYYY or YYYY-MM) for old recordings.');

export const MovieIds = z
  .object({
    imdb: ImdbId.optional(),
    tmdb: TmdbId.optional(),
    wikidata: WikidataId.optional(),
    rottenTomatoes: RottenTomatoesId.optional(),
    metacritic: MetacriticId.optional(),
  })
  .strict()
  .meta({ id: 'MovieIds', description: 'The film\'s ids at each source that has one; a key is absent when no source has linked it.' });
export type MovieIds = z.infer<typeof MovieIds>;

/** The site whose own id each key is: its own pages and answers are the authority on it. */
export const ID_OWNER: Readonly<Record<keyof MovieIds, SourceId>> = {
  imdb: 'imdb',
  tmdb: 'tmdb',
  wikidata: 'wikidata',
  rottenTomatoes: 'rottentomatoes',
  metacritic: 'metacritic',
};

/** The film id an observation names by itself: its IMDb id, else `tmdb:<n>`. */
export function filmIdOf(ids: MovieIds): string | null {
  if (ids.imdb) return ids.imdb;
  if (ids.tmdb) return `tmdb:${ids.tmdb}`;
  return null;
}

// Ids as numbers: an IMDb id is its digits × 16 + its digit count (7–10), `tmdb:<n>` is n × 16 + 1. Both stay
// below 2^53 (ids have at most 10 digits), and the low four bits tell the kinds apart.
const TMDB_TAG = 1;

/** A film id (`tt…` or `tmdb:<n>`) as a number (see above). */
export function filmIdCode(key: string): number {
  if (key.startsWith('tt')) return Number(key.slice(2)) * 16 + (key.length - 2);
  if (key.startsWith('tmdb:')) return Number(key.slice(5)) * 16 + TMDB_TAG;
  throw new Error(`identity: not a film id: ${key}`);
}

/** The film id of a `filmIdCode`. */
export function filmIdOfCode(code: number): string {
  const tag = code % 16;
  const value = Math.floor(code / 16);
  return tag === TMDB_TAG ? `tmdb:${value}` : `tt${String(value).padStart(tag, '0')}`;
}

/** Whether a `filmIdCode` is an IMDb id's. */
export function isImdbCode(code: number): boolean {
  return code % 16 !== TMDB_TAG;
}
