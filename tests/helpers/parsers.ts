/**
 * Which parser reads which recorded response: for every corpus entry a live or replayed run would receive,
 * the source and the `SourceRequest.parse` the pipeline would call on it — each source says which of its
 * requests a recording answers (`Source.requestOf`) — and the source's `apiError` reader for API error bodies.
 *
 * The JSON-LD extracts (`jsonld/`) and the feeds no source reads (MediaStinger, IMDb datasets) are not
 * responses any run receives: they have no parser here.
 */
import type { StingerError } from '../../src/errors.ts';
import { decodeText } from '../../src/http/client.ts';
import { ReplayCorpus, type CorpusEntry } from '../../src/http/replay.ts';
import type { ParsedObservation } from '../../src/schema/observation.ts';
import { FETCHED_SOURCE_IDS, type FetchedSourceId, type SourceId } from '../../src/schema/sources.ts';
import { sourceOf } from '../../src/scrapers/index.ts';
import type { ParseOutput, RecordedResponse, SourceRequest } from '../../src/scrapers/source.ts';
import { parseMovieChanges } from '../../src/scrapers/tmdb/parse.ts';
import { CORPUS_DIR, corpusIndex } from './corpus.ts';

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

/** What a case needs of the request that a body answers. */
type Reader = Pick<SourceRequest, 'parse' | 'next'>;

let replay: ReplayCorpus | undefined;

/** A recorded body by the URL it answers (the newest capture, as a replay serves it), for chained requests. */
function answerOf(url: string): string | null {
  replay ??= ReplayCorpus.load(CORPUS_DIR, new Map());
  const found = replay.match(url);
  return found ? decodeText(replay.body(found.entry), found.entry.contentType) : null;
}

function readerOf(entry: CorpusEntry): { source: SourceId; reader: Reader; apiError?: ParserCase['apiError'] } | null {
  if (entry.kind === 'jsonld-extract' || !(FETCHED_SOURCE_IDS as readonly string[]).includes(entry.source)) return null;
  const source = sourceOf(entry.source as FetchedSourceId);
  const recorded = { url: entry.url, kind: entry.kind, movie: entry.movie as RecordedResponse['movie'] };
  // No request asks for a film's own change history; its parser is still fed what TMDB sends.
  const reader: Reader | undefined =
    source.id === 'tmdb' && entry.kind === 'changes' ? { parse: (body, url) => (parseMovieChanges(body, url), []) } : source.requestOf?.(recorded, answerOf)?.request;
  if (!reader) throw new Error(`${entry.file}: no request of ${source.id} answers it (add the case to its requestOf)`);
  return { source: source.id, reader, ...(source.apiError && { apiError: source.apiError }) };
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

/** A recorded body as a run receives it (the replay's documented wrapping applied), decoded as the client does. */
export function servedText(entry: CorpusEntry): string {
  replay ??= ReplayCorpus.load(CORPUS_DIR, new Map());
  return decodeText(replay.body(entry), entry.contentType);
}

/** The parse output as a list of observations and problem lines. */
export function outputOf(output: ParsedObservation[] | ParseOutput): ParseOutput {
  return Array.isArray(output) ? { observations: output, problems: [] } : output;
}
