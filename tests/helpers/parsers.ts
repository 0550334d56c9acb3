/**
 * Which parser reads which recorded response: for every corpus entry a live or replayed run would receive,
 * the source and the `SourceRequest.parse` the pipeline would call on it (built with the sources' own request
 * builders and the URL the entry answers), and the source's `apiError` reader for API error bodies.
 *
 * The JSON-LD extracts (`jsonld/`) and the feeds no source reads (MediaStinger, IMDb datasets) are not
 * responses any run receives: they have no parser here.
 */
import type { StingerError } from '../../src/errors.ts';
import { decodeText } from '../../src/http/client.ts';
import { ReplayCorpus, type CorpusEntry } from '../../src/http/replay.ts';
import type { SourceId } from '../../src/schema/sources.ts';
import { aftercredits } from '../../src/scrapers/aftercredits.ts';
import { crazyCreditsRequest, titleRequest } from '../../src/scrapers/imdb/index.ts';
import { indexRequest, moviesRequest, scenesRequest } from '../../src/scrapers/mcuapi/index.ts';
import { parseMcuMovies } from '../../src/scrapers/mcuapi/parse.ts';
import { filmPageRequest as metacriticPage, searchRequest as metacriticSearch } from '../../src/scrapers/metacritic/index.ts';
import { omdb, searchRequest as omdbSearch, titleByIdRequest, titleLookupRequest } from '../../src/scrapers/omdb/index.ts';
import { filmPageRequest as rtPage, searchRequest as rtSearch } from '../../src/scrapers/rottentomatoes/index.ts';
import type { ParseOutput, SourceRequest } from '../../src/scrapers/source.ts';
import { changesRequest, detailsRequest, findRequest, searchRequest as tmdbSearch, sectionRequest, tmdb } from '../../src/scrapers/tmdb/index.ts';
import { parseMovieChanges, parseUpcoming } from '../../src/scrapers/tmdb/parse.ts';
import { entityRequest, wikidata } from '../../src/scrapers/wikidata/index.ts';
import type { ParsedObservation } from '../../src/schema/observation.ts';
import { CORPUS_DIR, corpusIndex, corpusText } from './corpus.ts';

/** A recorded response with the parser a run would give it. */
export interface ParserCase {
  entry: CorpusEntry;
  source: SourceId;
  /** The URL the parser is told the body answers (the entry's URL). */
  url: string;
  /** What the pipeline calls on a 2xx body. */
  parse: (body: string, url: string) => ParsedObservation[] | ParseOutput;
  /** The follow-ups of the request (a lookup's film page), where it has any. */
  next?: SourceRequest['next'];
  /** The source's reader of API error bodies (every status), when it has one. */
  apiError?: (status: number, body: string, url: string) => StingerError | null;
}

/** The film an entry is about, typed (the index keeps it loose). */
function filmOf(entry: CorpusEntry): { title?: string; year?: number; imdb?: string; tmdb?: number; rottenTomatoes?: string; metacritic?: string } {
  return (entry.movie ?? {}) as ReturnType<typeof filmOf>;
}

/** What a case needs of the request that a body answers. */
type Reader = Pick<SourceRequest, 'parse' | 'next'>;

function only(request: SourceRequest | null): Reader {
  if (!request) throw new Error('no request for this entry');
  return request;
}

function params(url: string): URLSearchParams {
  return new URL(url).searchParams;
}

function yearParam(value: string | null): number | undefined {
  return value && /^\d{4}$/.test(value) ? Number(value) : undefined;
}

function tmdbReader(entry: CorpusEntry): Reader {
  const id = Number(/\/3\/movie\/(\d+)/.exec(new URL(entry.url).pathname)?.[1] ?? filmOf(entry).tmdb ?? 1);
  switch (entry.kind) {
    case 'movie':
    case 'movie+append':
    case 'latest':
    case 'error':
      return detailsRequest(id);
    case 'credits':
    case 'keywords':
    case 'external_ids':
    case 'release_dates':
      return sectionRequest(id, entry.kind);
    case 'releases-legacy':
      return sectionRequest(id, 'release_dates').fallback![0]!;
    case 'changes':
      // No request files a film's own change history; its parser is still fed what TMDB sends.
      return { parse: (body, url) => (parseMovieChanges(body, url), []) };
    case 'changes-list':
      return only(changesRequest('2026-01-01T00:00:00Z', new Date('2026-01-05T00:00:00Z')));
    case 'upcoming':
      return { parse: parseUpcoming };
    case 'find':
      return findRequest(filmOf(entry).imdb ?? 'tt0000001', {});
    case 'search': {
      const q = params(entry.url);
      return tmdbSearch(q.get('query') ?? '', yearParam(q.get('year')));
    }
  }
  throw new Error(`no TMDB parser for kind ${entry.kind}`);
}

function omdbReader(entry: CorpusEntry): Reader {
  const q = params(entry.url);
  const year = yearParam(q.get('y'));
  if (q.has('s')) return omdbSearch(q.get('s')!, year);
  if (q.has('t')) return titleLookupRequest({ title: q.get('t')!, ...(year !== undefined && { year }) });
  return titleByIdRequest(q.get('i') ?? 'tt0000001');
}

let mcuCatalogue: ReturnType<typeof parseMcuMovies> | undefined;

function mcuapiReader(entry: CorpusEntry): Reader {
  if (entry.file.endsWith('/index.json')) return indexRequest();
  if (entry.file.endsWith('/movies.json')) return moviesRequest(null);
  // The scenes are read against the (unmutated) films of movies.json, as the pipeline's chain does.
  const movies = corpusIndex().find((e) => e.file === 'feeds/mcuapi/movies.json')!;
  mcuCatalogue ??= parseMcuMovies(corpusText(movies.file), movies.url);
  return scenesRequest(mcuCatalogue, '2026-01-01');
}

function readerOf(entry: CorpusEntry): { source: SourceId; reader: Reader; apiError?: ParserCase['apiError'] } | null {
  if (entry.kind === 'jsonld-extract') return null;
  switch (entry.source) {
    case 'tmdb':
      return { source: 'tmdb', reader: tmdbReader(entry), apiError: tmdb.apiError };
    case 'omdb':
      return { source: 'omdb', reader: omdbReader(entry), apiError: omdb.apiError };
    case 'wikidata':
      return { source: 'wikidata', reader: entityRequest(params(entry.url).get('ids') ?? 'Q1'), apiError: wikidata.apiError };
    case 'rottentomatoes': {
      if (entry.kind === 'search-page') return { source: 'rottentomatoes', reader: rtSearch({ title: filmOf(entry).title!, year: filmOf(entry).year! }) };
      return { source: 'rottentomatoes', reader: rtPage(filmOf(entry).rottenTomatoes ?? 'm/unknown') };
    }
    case 'metacritic': {
      if (entry.kind === 'search-page') return { source: 'metacritic', reader: metacriticSearch(filmOf(entry).title!, filmOf(entry).year) };
      return { source: 'metacritic', reader: metacriticPage(filmOf(entry).metacritic ?? 'movie/unknown') };
    }
    case 'imdb': {
      const id = filmOf(entry).imdb ?? 'tt0000001';
      return { source: 'imdb', reader: entry.kind === 'crazycredits' ? crazyCreditsRequest(id) : titleRequest(id) };
    }
    case 'aftercredits':
      return { source: 'aftercredits', reader: aftercredits.discover()[0]! };
    case 'mcuapi':
      return { source: 'mcuapi', reader: mcuapiReader(entry) };
  }
  return null;
}

/** Every recorded response some source parses, with its parser. */
export function parserCases(): ParserCase[] {
  const cases: ParserCase[] = [];
  for (const entry of corpusIndex()) {
    const found = readerOf(entry);
    if (!found) continue;
    const { source, reader, apiError } = found;
    cases.push({ entry, source, url: entry.url, parse: reader.parse, ...(reader.next && { next: reader.next }), ...(apiError && { apiError }) });
  }
  return cases;
}

let replay: ReplayCorpus | undefined;

/** A recorded body as a run receives it (the replay's documented wrapping applied), decoded as the client does. */
export function servedText(entry: CorpusEntry): string {
  replay ??= ReplayCorpus.load(CORPUS_DIR, new Map());
  return decodeText(replay.body(entry), entry.contentType);
}

/** The parse output as a list of observations and problem lines. */
export function outputOf(output: ParsedObservation[] | ParseOutput): ParseOutput {
  return Array.isArray(output) ? { observations: output, problems: [] } : output;
}
