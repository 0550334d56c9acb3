/**
 * OMDb (the Open Movie Database API, www.omdbapi.com): IMDb rating and votes, the Metascore, the Tomatometer
 * (from `Ratings[]`), details and credits, keyed by IMDb id. Needs a key (`apikey=`); the free tier allows
 * 1,000 requests a day.
 *
 * Quirks: errors come as HTTP 200 bodies; a lookup by title answers with OMDb's closest match, which may be
 * another film (`t=Captain Marvel` gave a 1962 short), so by-title answers are checked before they count;
 * series, episodes and games share the endpoint. The corpus recorded most films by title only: in replay, a
 * recorded record also answers `?i=<its imdbID>` (an alias), since that request returns the same record.
 */
import { defineSource, type MovieContext, type SourceRequest, yearParam } from '../source.ts';
import { parseApiError, parseSearch, parseTitle, parseTitleLookup, recordImdbId, type TitleLookup } from './parse.ts';

const API = 'https://www.omdbapi.com/';

/** The record of one IMDb id: what a live run asks for. */
export function titleByIdRequest(imdbId: string): SourceRequest {
  return { label: 'title', url: `${API}?i=${encodeURIComponent(imdbId)}`, parse: parseTitle };
}

function titleQueryUrl(param: 't' | 's', title: string, year?: number): string {
  const url = new URL(API);
  url.searchParams.set(param, title);
  if (year !== undefined) url.searchParams.set('y', String(year));
  return url.toString();
}

/** The record OMDb finds for a title (and year), accepted only when it is the film (see `parseTitleLookup`). */
export function titleLookupRequest(query: TitleLookup): SourceRequest {
  return {
    label: 'title lookup',
    url: titleQueryUrl('t', query.title, query.year),
    parse: (body, url) => parseTitleLookup(body, url, query),
  };
}

/** A title search (`?s=&y=`) that picks the one movie with that title and year, then asks for its record. */
export function searchRequest(title: string, year?: number): SourceRequest {
  const query = year === undefined ? { title } : { title, year };
  return {
    label: 'search',
    url: titleQueryUrl('s', title, year),
    parse: (body, url) => parseSearch(body, url, query),
    next: (observations) => {
      const imdb = observations.find((o) => o.kind === 'ids')?.ids.imdb;
      return imdb === undefined ? [] : [titleByIdRequest(imdb)];
    },
  };
}

/**
 * The requests for one film: by IMDb id, falling back to a lookup by title (which must answer that same id)
 * when the title is known. A film without an IMDb id is looked up by title, then searched for.
 */
export function omdbRequests(movie: MovieContext): SourceRequest[] {
  const yearOf = movie.year === undefined ? {} : { year: movie.year };
  if (movie.ids.imdb !== undefined) {
    const request = titleByIdRequest(movie.ids.imdb);
    if (movie.title) request.fallback = [titleLookupRequest({ title: movie.title, ...yearOf, imdb: movie.ids.imdb })];
    return [request];
  }
  if (!movie.title) return [];
  return [{ ...titleLookupRequest({ title: movie.title, ...yearOf }), fallback: [searchRequest(movie.title, movie.year)] }];
}

/** The OMDb source. */
export const omdb = defineSource({
  id: 'omdb',
  name: 'OMDb API (the Open Movie Database)',
  homepage: 'https://www.omdbapi.com/',
  hosts: ['www.omdbapi.com'],
  // One request at a time. The free key's 1,000 requests a day is a daily quota no per-request pacing can
  // enforce: past it OMDb answers "Request limit reached!" (a rate-limited API error).
  limits: { concurrency: 1, minIntervalMs: 100 },
  auth: {
    env: 'OMDB_API_KEY',
    apply: (url, key) => {
      const withKey = new URL(url);
      withKey.searchParams.set('apikey', key);
      return { url: withKey };
    },
  },
  refresh: { score: 1, details: 30, default: 7 },
  terms: {
    licence:
      'OMDb API terms of use; API key required; data largely from IMDb; content licensed CC BY-NC 4.0 per omdbapi.com',
    attribution: 'Data from the OMDb API (www.omdbapi.com), CC BY-NC 4.0 per omdbapi.com.',
    termsUrl: 'https://www.omdbapi.com/legal.htm',
  },
  replay: {
    // OMDb's documented defaults (r=json, v=1, plot=short, page=1 for searches): recordings made with them
    // answer requests made without.
    defaultParams: { r: 'json', v: '1', plot: 'short', page: '1' },
    caseInsensitiveParams: ['t', 's'],
    variantParams: ['y'],
    // A recorded record (fetched by title) is also what `?i=<its imdbID>` returns.
    aliases: (body) => {
      const imdb = recordImdbId(body);
      return imdb === null ? [] : [`${API}?i=${imdb}`];
    },
  },
  kind: 'JSON API',
  gives: 'IMDb rating and votes, Metascore, Tomatometer, details and credits (by IMDb id)',
  requests: omdbRequests,
  apiError: parseApiError,
  requestOf: (recorded) => {
    const query = new URL(recorded.url).searchParams;
    const year = yearParam(query.get('y'));
    if (query.has('s')) return { request: searchRequest(query.get('s')!, year), discovery: false };
    if (query.has('t')) return { request: titleLookupRequest({ title: query.get('t')!, ...(year !== undefined && { year }) }), discovery: false };
    return { request: titleByIdRequest(query.get('i') ?? 'tt0000001'), discovery: false };
  },
});
