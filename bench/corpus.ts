/**
 * The recorded pages the benchmarks read (parse throughput, crawl): every corpus response a per-film request
 * of a source answers, with the request that asks for it — built with the source's own request builders, so
 * that `parse` is exactly what the pipeline calls (`Source.requestOf`) — and the values `index.json` says a
 * correct parser extracts.
 *
 * Discovery feeds (AfterCredits, MCU API, TMDB's lists) are read once per run, not per film, and error bodies
 * are not pages: neither is here. Bodies are read in place from `../shared/corpus` (or `STINGERDB_CORPUS`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeText } from '../src/http/client.ts';
import { loadCorpusIndex, type CorpusEntry } from '../src/http/replay.ts';
import { FETCHED_SOURCE_IDS, type FetchedSourceId, type SourceId } from '../src/schema/sources.ts';
import type { ParsedObservation } from '../src/schema/observation.ts';
import { sourceOf } from '../src/scrapers/index.ts';
import type { ParseOutput, RecordedResponse, SourceRequest } from '../src/scrapers/source.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CORPUS_DIR = path.resolve(process.env.STINGERDB_CORPUS ?? path.join(REPO_ROOT, '../shared/corpus'));

/** Sources whose pages are HTML (the ones the cheerio baselines and the 5× target are about). */
export const HTML_SOURCES: readonly SourceId[] = ['rottentomatoes', 'metacritic', 'imdb'];

/** What a crawl needs of a page: its source and the request that asks for it (no body). */
export interface PageRequest {
  entry: CorpusEntry;
  source: SourceId;
  request: SourceRequest;
}

/** The requests of the corpus files `files`, in that order (only the index is read, not the bodies). */
export function pageRequests(files: readonly string[]): PageRequest[] {
  const byFile = new Map(loadCorpusIndex(CORPUS_DIR).map((entry) => [entry.file, entry]));
  return files.map((file) => {
    const entry = byFile.get(file);
    const found = entry && requestFor(entry);
    if (!found) throw new Error(`not a page a request asks for: ${file}`);
    return { entry: entry!, ...found };
  });
}

/** A recorded page and the request it answers. */
export interface CorpusPage {
  entry: CorpusEntry;
  source: SourceId;
  /** The URL the request asks for (the entry's). */
  url: string;
  /** The request as the source builds it (its `parse` is what the pipeline calls on the body). */
  request: SourceRequest;
  /** The body as the HTTP client decodes it. */
  text: string;
  /** The recorded bytes. */
  bytes: Buffer;
  contentType: string;
}

/** The per-film request whose answer `entry` is, or null when none asks for it (discovery feeds, other files). */
export function requestFor(entry: CorpusEntry): { source: SourceId; request: SourceRequest } | null {
  if (!(FETCHED_SOURCE_IDS as readonly string[]).includes(entry.source) || entry.kind === 'jsonld-extract') return null;
  const source = sourceOf(entry.source as FetchedSourceId);
  const found = source.requestOf?.({ url: entry.url, kind: entry.kind, movie: entry.movie as RecordedResponse['movie'] }, () => null);
  return found && !found.discovery ? { source: source.id, request: found.request } : null;
}

/** Observations of a parse result, whatever its form. */
export function observationsOf(output: ParsedObservation[] | ParseOutput): ParsedObservation[] {
  return Array.isArray(output) ? output : output.observations;
}

/**
 * Every page a per-film request answers (status 200), whose parser reads it without error and finds
 * something — a page the current parsers cannot read is left out and named in `skipped`.
 */
export function corpusPages(): { pages: CorpusPage[]; skipped: string[] } {
  const pages: CorpusPage[] = [];
  const skipped: string[] = [];
  for (const entry of loadCorpusIndex(CORPUS_DIR)) {
    if (entry.status !== 200) continue;
    const found = requestFor(entry);
    if (!found) continue;
    const bytes = readFileSync(path.join(CORPUS_DIR, entry.file));
    const contentType = entry.contentType ?? 'application/octet-stream';
    const text = decodeText(bytes, contentType);
    try {
      if (observationsOf(found.request.parse(text, entry.url)).length === 0) throw new Error('no observation');
    } catch (error) {
      skipped.push(`${entry.file}: ${(error as Error).message.split('\n')[0]}`);
      continue;
    }
    pages.push({ entry, source: found.source, url: entry.url, request: found.request, text, bytes, contentType });
  }
  return { pages, skipped };
}

/** `expected` keys of the corpus index and where a parser's observations carry them. */
const EXPECTED_FIELDS: Readonly<Record<string, { kind: string; group?: string; field: string }>> = {
  title: { kind: 'details', field: 'title' },
  year: { kind: 'details', field: 'year' },
  runtimeMinutes: { kind: 'details', field: 'runtimeMinutes' },
  tomatometer: { kind: 'score', group: 'rottenTomatoes', field: 'tomatometer' },
  tomatometerCount: { kind: 'score', group: 'rottenTomatoes', field: 'criticCount' },
  audienceScore: { kind: 'score', group: 'rottenTomatoes', field: 'audienceScore' },
  audienceCount: { kind: 'score', group: 'rottenTomatoes', field: 'audienceCount' },
  metascore: { kind: 'score', group: 'metacritic', field: 'metascore' },
  metascoreCount: { kind: 'score', group: 'metacritic', field: 'criticCount' },
  imdbRating: { kind: 'score', group: 'imdb', field: 'rating' },
  imdbVotes: { kind: 'score', group: 'imdb', field: 'votes' },
  tmdbVoteAverage: { kind: 'score', group: 'tmdb', field: 'voteAverage' },
  tmdbVoteCount: { kind: 'score', group: 'tmdb', field: 'voteCount' },
};

/** How a parser's output compares with the values `index.json` expects of a page. */
export interface ExpectedCheck {
  /** Expected values found in the output with the same value. */
  matched: number;
  /** Expected values found with another value (`key: expected → got`). */
  mismatched: string[];
}

/**
 * Compares the values of `observations` with the page's `expected` ones, for the keys that map onto an
 * observation field (a key whose field no observation of the page carries is not counted either way).
 */
export function checkExpected(page: CorpusPage, observations: readonly ParsedObservation[]): ExpectedCheck {
  const expected = (page.entry.expected ?? {}) as Record<string, unknown>;
  const check: ExpectedCheck = { matched: 0, mismatched: [] };
  for (const [key, where] of Object.entries(EXPECTED_FIELDS)) {
    if (!(key in expected) || expected[key] === null) continue;
    // The index gives raw counts; the observation convention is that no votes is a missing count (null).
    const want = expected[key] === 0 && key.endsWith('Count') ? null : expected[key];
    const carriers = observations.filter((o) => o.kind === where.kind && (where.group === undefined || (o as { group?: string }).group === where.group) && where.field in o);
    if (carriers.length === 0) continue;
    const values = carriers.map((o) => (o as unknown as Record<string, unknown>)[where.field]);
    if (values.some((v) => v === want)) check.matched++;
    else check.mismatched.push(`${key}: ${JSON.stringify(want)} → ${JSON.stringify(values[0])}`);
  }
  return check;
}

/**
 * The pages of the crawl: those whose parser also reads them at the URL their request asks for (what a
 * crawl's response carries), in corpus order.
 */
export function crawlPages(): CorpusPage[] {
  return corpusPages().pages.filter((page) => {
    try {
      return observationsOf(page.request.parse(page.text, page.request.url)).length > 0;
    } catch {
      return false;
    }
  });
}
