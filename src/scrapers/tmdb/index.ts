/**
 * TMDB (The Movie Database) API v3: film details, cast and crew, external ids (IMDb, Wikidata), release
 * dates, the TMDB user score, and the crowd keywords `duringcreditsstinger` / `aftercreditsstinger`.
 *
 * Quirks: one details request appends the sub-resources, and only the sections the answer lacks are then
 * fetched on their own (in replay, a recording with other appended sections or another language may answer,
 * so the parsers read what the body carries and which language its URL asked for). Films known only by IMDb
 * id go through `/find`, then a title search that must match title and year exactly (TMDB's `year=` matches
 * any release in that year). `/release_dates` falls back to the legacy `/releases`. The key is a v3 API key
 * (`api_key=`) or a v4 read access token (a JWT, sent as a Bearer header).
 */
import { IMDB_ID, type MovieIds } from '../../schema/ids.ts';
import type { ParsedObservation } from '../../schema/observation.ts';
import { creditScenesTtl, defineSource, yearParam, type MovieContext, type RecordedRequest, type SourceRequest } from '../source.ts';

export { creditScenesTtl, RECENT_RELEASE_DAYS } from '../source.ts';
import {
  MOVIE_SECTIONS,
  parseApiError,
  parseChangeList,
  parseCreditsResponse,
  parseExternalIdsResponse,
  parseFind,
  parseKeywordsResponse,
  parseLegacyReleasesResponse,
  parseMovieResponse,
  parseReleaseDatesResponse,
  parseSearch,
  parseUpcoming,
  type MovieSection,
} from './parse.ts';

const API = 'https://api.themoviedb.org/3';

/** What the details request appends (each also fetched on its own when an answer lacks it). */
export const DETAILS_APPEND = 'credits,external_ids,keywords,release_dates';

function idsOf(observations: readonly ParsedObservation[]): MovieIds | undefined {
  return observations.find((o) => o.kind === 'ids')?.ids;
}

/** The upcoming releases (discovery: films about to be released, whose credit scenes are refreshed daily). */
function upcomingRequest(): SourceRequest {
  return { label: 'upcoming', url: `${API}/movie/upcoming?page=1`, parse: parseUpcoming };
}

/** The request for one sub-resource of a film (`/movie/{id}/credits`…). */
export function sectionRequest(tmdbId: number, section: MovieSection): SourceRequest {
  const url = `${API}/movie/${tmdbId}/${section}`;
  switch (section) {
    case 'credits':
      return { label: 'credits', url, parse: (body, u) => parseCreditsResponse(body, u).observations };
    case 'keywords':
      return { label: 'keywords', url, parse: (body, u) => parseKeywordsResponse(body, u).observations };
    case 'external_ids':
      return { label: 'external ids', url, parse: (body, u) => parseExternalIdsResponse(body, u).observations };
    case 'release_dates':
      return {
        label: 'release dates',
        url,
        parse: (body, u) => parseReleaseDatesResponse(body, u).observations,
        fallback: [
          {
            label: 'releases (legacy)',
            url: `${API}/movie/${tmdbId}/releases`,
            parse: (body, u) => parseLegacyReleasesResponse(body, u).observations,
          },
        ],
      };
  }
}

/**
 * The details request of a film, with the sub-resources appended; its `next` asks for the sections the
 * answer did not carry. When TMDB does not answer it (a 404, or a replay without that recording), what can
 * still be had is tried in turn: `/find` by IMDb id gives the film's summary (titles, release date, score),
 * else `/external_ids` at least links its ids.
 */
export function detailsRequest(tmdbId: number, imdbId?: string): SourceRequest {
  return {
    label: 'details',
    fallback: [...(imdbId !== undefined ? [summaryByImdbRequest(imdbId)] : []), sectionRequest(tmdbId, 'external_ids')],
    url: `${API}/movie/${tmdbId}?append_to_response=${DETAILS_APPEND}`,
    parse: (body, url) => parseMovieResponse(body, url).observations,
    next: (observations, _movie, answer) => {
      const id = idsOf(observations)?.tmdb ?? tmdbId;
      return parseMovieResponse(answer.body, answer.url).missingSections.map((s) => sectionRequest(id, s));
    },
  };
}

/** After a lookup (find, search): the details of the film it linked. */
function detailsOfFound(observations: readonly ParsedObservation[]): SourceRequest[] {
  const tmdbId = idsOf(observations)?.tmdb;
  return tmdbId === undefined ? [] : [detailsRequest(tmdbId)];
}

/** `/find` by IMDb id as a fallback of details: its summary only, no further details request. */
function summaryByImdbRequest(imdbId: string): SourceRequest {
  return { label: 'find (summary)', url: `${API}/find/${encodeURIComponent(imdbId)}?external_source=imdb_id`, parse: parseFind };
}

/** A title search for a film TMDB could not find by IMDb id; picks one exact title (and year) match. */
export function searchRequest(title: string, year?: number): SourceRequest {
  const url = new URL(`${API}/search/movie`);
  url.searchParams.set('query', title);
  if (year !== undefined) url.searchParams.set('year', String(year));
  return {
    label: 'search',
    url: url.toString(),
    parse: (body, u) => parseSearch(body, u, year === undefined ? { title } : { title, year }),
    next: detailsOfFound,
  };
}

/** `/find/{imdb}`, then the found film's details; falls back to a title search when the title is known. */
export function findRequest(imdbId: string, movie: Pick<MovieContext, 'title' | 'year'>): SourceRequest {
  const request: SourceRequest = {
    label: 'find',
    url: `${API}/find/${encodeURIComponent(imdbId)}?external_source=imdb_id`,
    parse: parseFind,
    next: detailsOfFound,
  };
  if (movie.title) request.fallback = [searchRequest(movie.title, movie.year)];
  return request;
}

const DAY_MS = 86_400_000;

function tmdbIdOfBody(body: string): number | null {
  try {
    const id = (JSON.parse(body) as { id?: unknown }).id;
    return typeof id === 'number' && Number.isInteger(id) && id > 0 ? id : null;
  } catch {
    return null;
  }
}

/** TMDB's change feed covers at most this many days per request. */
export const CHANGES_WINDOW_DAYS = 14;
/** Pages of the change feed read per run (100 ids each). */
export const CHANGES_MAX_PAGES = 100;

/**
 * The change feed since the last discovery: films TMDB changed are due whatever their age. Without a last
 * check, or when it is older than the feed's 14-day window, there is nothing to ask: the refresh policy's
 * TTLs cover those films.
 */
export function changesRequest(lastCheckedAt: string | undefined, now: Date, page = 1): SourceRequest | null {
  if (!lastCheckedAt) return null;
  const since = new Date(lastCheckedAt);
  if (Number.isNaN(since.getTime()) || now.getTime() - since.getTime() > CHANGES_WINDOW_DAYS * DAY_MS) return null;
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const url = `${API}/movie/changes?start_date=${day(since)}&end_date=${day(now)}&page=${page}`;
  return {
    label: 'changes',
    url,
    parse: (body, u) => {
      const list = parseChangeList(body, u);
      return { observations: [], problems: [], due: list.movies.map((m) => ({ tmdb: m.id })) };
    },
    next: (_observations, _movie, answer) => {
      const list = parseChangeList(answer.body, answer.url);
      return list.morePages && page < CHANGES_MAX_PAGES ? [changesRequest(lastCheckedAt, now, page + 1)!] : [];
    },
  };
}

/** The TMDB source. */
export const tmdb = defineSource({
  id: 'tmdb',
  name: 'The Movie Database (TMDB)',
  homepage: 'https://www.themoviedb.org/',
  hosts: ['api.themoviedb.org'],
  // TMDB allows ~40-50 requests/s per IP; 8 in flight and 25 ms apart stays under it.
  limits: { concurrency: 8, minIntervalMs: 25 },
  auth: {
    env: 'TMDB_API_KEY',
    apply: (url, key) => {
      // A v4 read access token is a JWT; v3 accepts it as a Bearer token on every endpoint.
      if (key.startsWith('eyJ')) return { url, headers: { Authorization: `Bearer ${key}` } };
      const withKey = new URL(url);
      withKey.searchParams.set('api_key', key);
      return { url: withKey };
    },
  },
  refresh: {
    score: 1,
    details: 7,
    credits: 30,
    ids: 30,
    releases: 30,
    creditScenes: creditScenesTtl,
    default: 7,
  },
  terms: {
    licence: 'TMDB API Terms of Use: non-commercial use, attribution required, cached data kept no longer than 6 months',
    attribution: 'This product uses the TMDB API but is not endorsed or certified by TMDB.',
    termsUrl: 'https://www.themoviedb.org/api-terms-of-use',
  },
  replay: {
    defaultParams: { page: '1' },
    caseInsensitiveParams: ['query'],
    variantParams: ['append_to_response', 'language'],
    // A recorded `/movie/latest` body is the details of one film: it also answers `/movie/<its id>`.
    aliases: (body, entry) => {
      const url = new URL(entry.url);
      if (url.pathname !== '/3/movie/latest') return [];
      const id = tmdbIdOfBody(body);
      if (id === null) return [];
      url.pathname = `/3/movie/${id}`;
      return [url.toString()];
    },
  },
  kind: 'JSON API',
  gives: 'details, cast and crew, IMDb/Wikidata ids, US release and certification, TMDB user score, credit-scene keywords, upcoming films, change feed',
  requests: (movie: MovieContext): SourceRequest[] => {
    // Ids go into URL paths: only ones of the right shape do.
    const { tmdb: tmdbId, imdb: imdbId } = movie.ids;
    const imdb = imdbId !== undefined && IMDB_ID.test(imdbId) ? imdbId : undefined;
    if (tmdbId !== undefined && Number.isSafeInteger(tmdbId) && tmdbId > 0) return [detailsRequest(tmdbId, imdb)];
    if (imdb !== undefined) return [findRequest(imdb, movie)];
    return [];
  },
  discover: (context): SourceRequest[] => {
    const requests: SourceRequest[] = [upcomingRequest()];
    const changes = changesRequest(context.lastCheckedAt, context.now);
    if (changes) requests.push(changes);
    return requests;
  },
  apiError: parseApiError,
  requestOf: (recorded): RecordedRequest | null => {
    const id = Number(/\/3\/movie\/(\d+)/.exec(new URL(recorded.url).pathname)?.[1] ?? recorded.movie?.tmdb ?? 1);
    const film = (request: SourceRequest): RecordedRequest => ({ request, discovery: false });
    const query = new URL(recorded.url).searchParams;
    switch (recorded.kind) {
      case 'movie':
      case 'movie+append':
      case 'latest':
      case 'error':
        return film(detailsRequest(id));
      case 'credits':
      case 'keywords':
      case 'external_ids':
      case 'release_dates':
        return film(sectionRequest(id, recorded.kind));
      case 'releases-legacy':
        return film(sectionRequest(id, 'release_dates').fallback![0]!);
      case 'find':
        return film(findRequest(recorded.movie?.imdb ?? 'tt0000001', {}));
      case 'search':
        return film(searchRequest(query.get('query') ?? '', yearParam(query.get('year'))));
      case 'upcoming':
        return { request: upcomingRequest(), discovery: true };
      case 'changes-list':
        // The change feed of any window: its parser reads what the recording holds.
        return { request: changesRequest('2026-01-01T00:00:00Z', new Date('2026-01-05T00:00:00Z'))!, discovery: true };
    }
    // A film's own change history (`/movie/{id}/changes`) is never requested.
    return null;
  },
});
