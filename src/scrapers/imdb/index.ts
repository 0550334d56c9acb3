/**
 * IMDb (HTML pages). IMDb's Conditions of Use forbid screen scraping, so the source is opt-in: live runs
 * leave it off unless enabled with `--enable imdb` (replay reads the recorded pages).
 *
 * Per film with an IMDb id: the title page `https://www.imdb.com/title/<tt>/` (rating, votes, the Metascore
 * it shows, original title, year, runtime; falls back to the Reference View `…/reference`), then the
 * crazy-credits page `…/crazycredits`, whose items are the credit-scene evidence (the one item a 2023+ title
 * page shows is read but not filed, so it never replaces the full list). Pages follow the visitor's country
 * whatever the request says; `Accept-Language: en-US` is sent all the same, and the parsers keep localised
 * values apart.
 */
import { IMDB_ID } from '../../schema/ids.ts';
import { creditScenesTtl, defineSource, type MovieContext, type SourceRequest } from '../source.ts';
import { parseCrazyCredits, parseTitle } from './parse.ts';

const SITE = 'https://www.imdb.com';

/** Headers of every IMDb request: English, so that what is not geo-localised comes in English. */
export const IMDB_HEADERS: Readonly<Record<string, string>> = { 'Accept-Language': 'en-US' };

/** The title page of a film, with the Reference View as its fallback. */
export function titleRequest(imdbId: string): SourceRequest {
  return {
    label: 'title page',
    url: `${SITE}/title/${imdbId}/`,
    headers: { ...IMDB_HEADERS },
    parse: parseTitle,
    fallback: [{ label: 'reference view', url: `${SITE}/title/${imdbId}/reference`, headers: { ...IMDB_HEADERS }, parse: parseTitle }],
  };
}

/** The crazy-credits page of a film. */
export function crazyCreditsRequest(imdbId: string): SourceRequest {
  return { label: 'crazy credits', url: `${SITE}/title/${imdbId}/crazycredits`, headers: { ...IMDB_HEADERS }, parse: parseCrazyCredits };
}

/** The IMDb source. */
export const imdb = defineSource({
  id: 'imdb',
  name: 'IMDb',
  homepage: `${SITE}/`,
  hosts: ['www.imdb.com'],
  limits: { concurrency: 1, minIntervalMs: 3000 },
  optIn: true,
  robots: true,
  refresh: { score: 1, creditScenes: creditScenesTtl, default: 7 },
  terms: {
    licence: 'IMDb Conditions of Use: no data licence; screen scraping prohibited without written consent (opt-in source)',
    termsUrl: 'https://www.imdb.com/conditions',
  },
  kind: 'HTML pages',
  gives: 'IMDb rating and votes, the Metascore IMDb shows, original title, year, runtime, crazy credits as credit-scene evidence',
  requestOf: (recorded) => {
    const id = recorded.movie?.imdb ?? 'tt0000001';
    return { request: recorded.kind === 'crazycredits' ? crazyCreditsRequest(id) : titleRequest(id), discovery: false };
  },
  requests: (movie: MovieContext): SourceRequest[] => {
    const imdbId = movie.ids.imdb;
    if (imdbId === undefined || !IMDB_ID.test(imdbId)) return [];
    return [titleRequest(imdbId), crazyCreditsRequest(imdbId)];
  },
});
