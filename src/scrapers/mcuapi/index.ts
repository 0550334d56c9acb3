/**
 * MCU API — Augusto Marcelo's open Marvel film database (MIT), read from its static mirror on jsDelivr:
 * film records (title, release date, runtime, directors, IMDb id, a count of credit scenes) and one record
 * per credit scene with the maintainer's description and an `is_stinger` flag.
 *
 * Quirks: the scenes file names films by the API's own id, so it is only meaningful next to `movies.json`;
 * `is_stinger` is a hint about position, not a position (see `parse.ts`); only MCU films have scene records.
 *
 * Requests, once per run — a chain, because parsers see one body each:
 *   index.json ──next──► movies.json ──next──► post-credit-scenes.json
 * The index's `next` creates the movies request with the feed's date in its closure; the movies request's
 * `next` re-reads its own answer (pure) and creates the scenes request with the catalogue of films in its
 * closure, so the scenes parser is a pure function of both bodies (plus the index's date). Films are named
 * by IMDb id only. Without the index (not answered), the feed's date falls back to the newest record
 * timestamp of the two files — a lower bound, so a film released in between is left unclaimed, never
 * mis-claimed.
 */
import { defineSource, type SourceRequest } from '../source.ts';
import { creditSceneObservations, filmObservations, parseMcuIndex, parseMcuMovies, parseMcuScenes, type McuCatalogue } from './parse.ts';

const MIRROR = 'https://cdn.jsdelivr.net/gh/AugustoMarcelo/mcuapi@master/data';
export const MCUAPI_INDEX_URL = `${MIRROR}/index.json`;
export const MCUAPI_MOVIES_URL = `${MIRROR}/movies.json`;
export const MCUAPI_SCENES_URL = `${MIRROR}/post-credit-scenes.json`;

/** The scenes request, read against the films of `movies.json` and the feed's date (null: not known). */
export function scenesRequest(catalogue: McuCatalogue, feedDate: string | null): SourceRequest {
  return {
    label: 'post-credit scenes',
    url: MCUAPI_SCENES_URL,
    parse: (body, url) => {
      const feed = parseMcuScenes(body, url);
      const date = feedDate ?? [catalogue.newestRecordDate, feed.newestRecordDate].filter((d): d is string => d !== null).sort().at(-1);
      if (!date) return { observations: [], problems: [...feed.problems, 'no feed date (no index.json, no record timestamps): no credit-scene claim made'] };
      const { observations, problems } = creditSceneObservations(catalogue.films, feed, date, url);
      return { observations, problems: [...feed.problems, ...problems] };
    },
  };
}

/**
 * The films request: details and directors of each film, then the scenes request. The file lists every film
 * of the API, so it says what it listed — against the count the index declares, when the index answered.
 */
export function moviesRequest(feedDate: string | null, declaredFilms?: number): SourceRequest {
  return {
    label: 'movies',
    url: MCUAPI_MOVIES_URL,
    parse: (body, url) => {
      const { films, problems } = parseMcuMovies(body, url);
      const listing = { entries: films.length, films: films.flatMap((f) => (f.imdb ? [f.imdb] : [])), ...(declaredFilms !== undefined && { declared: declaredFilms }) };
      return { observations: filmObservations(films, url), problems, listing };
    },
    next: (_observations, _movie, answer) => [scenesRequest(parseMcuMovies(answer.body, answer.url), feedDate)],
  };
}

/** The mirror's manifest: gives the feed's date, then the films request. */
export function indexRequest(): SourceRequest {
  return {
    label: 'index',
    url: MCUAPI_INDEX_URL,
    // The manifest names no film: reading it only checks it is the manifest.
    parse: (body, url) => (parseMcuIndex(body, url), []),
    next: (_observations, _movie, answer) => {
      const index = parseMcuIndex(answer.body, answer.url);
      return [moviesRequest(index.feedDate, index.counts.movies)];
    },
    fallback: [moviesRequest(null)],
  };
}

/** The MCU API source. */
export const mcuapi = defineSource({
  id: 'mcuapi',
  name: 'MCU API (static mirror)',
  homepage: 'https://github.com/AugustoMarcelo/mcuapi',
  hosts: ['cdn.jsdelivr.net'],
  limits: { concurrency: 1, minIntervalMs: 1000 },
  refresh: { default: 7 },
  terms: {
    licence: 'MIT (declared in the project\'s package.json; the repository has no LICENSE file)',
    attribution: 'MCU API by Augusto Marcelo (github.com/AugustoMarcelo/mcuapi)',
    termsUrl: 'https://github.com/AugustoMarcelo/mcuapi/blob/master/package.json',
  },
  kind: 'JSON feed',
  gives: 'Marvel films: title, release date, runtime, directors; described mid- and post-credits scenes of MCU films',
  discover: () => [indexRequest()],
  requestOf: (recorded, answerOf) => {
    if (recorded.url === MCUAPI_INDEX_URL) return { request: indexRequest(), discovery: true };
    const index = answerOf(MCUAPI_INDEX_URL);
    const feed = index === null ? null : parseMcuIndex(index, MCUAPI_INDEX_URL);
    if (recorded.url === MCUAPI_MOVIES_URL) return { request: moviesRequest(feed?.feedDate ?? null, feed?.counts.movies), discovery: true };
    // The scenes are read against the films of movies.json, as the chain of requests does.
    const movies = answerOf(MCUAPI_MOVIES_URL);
    if (recorded.url === MCUAPI_SCENES_URL && movies !== null) return { request: scenesRequest(parseMcuMovies(movies, MCUAPI_MOVIES_URL), feed?.feedDate ?? null), discovery: true };
    return null;
  },
});
