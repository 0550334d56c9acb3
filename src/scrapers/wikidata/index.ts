/**
 * Wikidata (www.wikidata.org API, data CC0): the id crosswalk that links a film's IMDb, TMDB, Rotten
 * Tomatoes and Metacritic ids, its title, first publication year and runtime, and the review scores editors
 * and bots record (P444: Tomatometer, Popcornmeter, Metascore, IMDb rating).
 *
 * Wikimedia asks API clients for a descriptive User-Agent (the shared client sends one) and for serial
 * requests: one at a time here. A film known by its Wikidata id (TMDB links many) is fetched directly; one
 * known only by IMDb id is looked up first (`haswbstatement:P345=`), which the recorded corpus does not hold:
 * in replay that lookup is a miss. Review scores are snapshots: a P444 value may be years old, whatever the
 * date it was fetched.
 */
import { IMDB_ID, WIKIDATA_ID } from '../../schema/ids.ts';
import { defineSource, type MovieContext, type SourceRequest } from '../source.ts';
import { parseApiError, parseEntityResponse, parseImdbLookup } from './parse.ts';

const API = 'https://www.wikidata.org/w/api.php';

/** What an entity request asks for: only the parts read, English only (a film's full item can be large). */
export const ENTITY_PARAMS = { props: 'labels|claims|sitelinks', languages: 'en', sitefilter: 'enwiki' } as const;

/** One item by id (`wbgetentities`); when the IMDb id is known, a lookup by it answers if the item is missing. */
export function entityRequest(qid: string, imdbId?: string): SourceRequest {
  const url = new URL(API);
  url.searchParams.set('action', 'wbgetentities');
  url.searchParams.set('ids', qid);
  url.searchParams.set('format', 'json');
  for (const [name, value] of Object.entries(ENTITY_PARAMS)) url.searchParams.set(name, value);
  return {
    label: 'entity',
    url: url.toString(),
    parse: (body, u) => {
      const { observations, problems } = parseEntityResponse(body, u);
      return { observations, problems };
    },
    ...(imdbId !== undefined && { fallback: [imdbLookupRequest(imdbId)] }),
  };
}

/** The item that has this IMDb id (P345), then that item. */
export function imdbLookupRequest(imdbId: string): SourceRequest {
  const url = new URL(API);
  url.searchParams.set('action', 'query');
  url.searchParams.set('list', 'search');
  url.searchParams.set('srsearch', `haswbstatement:P345=${imdbId}`);
  url.searchParams.set('format', 'json');
  return {
    label: 'IMDb id lookup',
    url: url.toString(),
    parse: parseImdbLookup,
    next: (observations) => {
      const qid = observations.find((o) => o.kind === 'ids')?.ids.wikidata;
      return qid === undefined ? [] : [entityRequest(qid)];
    },
  };
}

/** The requests for one film: its item by Wikidata id, else the lookup by IMDb id; nothing without either. */
export function wikidataRequests(movie: MovieContext): SourceRequest[] {
  const qid = movie.ids.wikidata;
  // The IMDb id goes into a search query: only one of the right shape does.
  const imdb = movie.ids.imdb !== undefined && IMDB_ID.test(movie.ids.imdb) ? movie.ids.imdb : undefined;
  if (qid !== undefined && WIKIDATA_ID.test(qid)) return [entityRequest(qid, imdb)];
  if (imdb !== undefined) return [imdbLookupRequest(imdb)];
  return [];
}

/** The Wikidata source. */
export const wikidata = defineSource({
  id: 'wikidata',
  name: 'Wikidata',
  homepage: 'https://www.wikidata.org/',
  hosts: ['www.wikidata.org'],
  // Serial, and spaced: Wikimedia's API etiquette asks for requests one after another.
  limits: { concurrency: 1, minIntervalMs: 200 },
  refresh: { ids: 30, score: 7, default: 30 },
  terms: {
    licence: 'CC0 1.0 (Wikidata structured data)',
    termsUrl: 'https://www.wikidata.org/wiki/Wikidata:Licensing',
  },
  replay: {
    // They narrow what the answer carries, not which item it is: a recording of the whole item answers.
    variantParams: Object.keys(ENTITY_PARAMS),
  },
  kind: 'JSON API',
  gives: 'id crosswalk (IMDb, TMDB, Rotten Tomatoes, Metacritic), title, year, runtime, review scores (P444)',
  requests: wikidataRequests,
  requestOf: (recorded) => ({ request: entityRequest(new URL(recorded.url).searchParams.get('ids') ?? 'Q1'), discovery: false }),
  apiError: parseApiError,
});
