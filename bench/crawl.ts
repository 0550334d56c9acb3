/**
 * Crawl throughput: fetch + parse (+ file observations) for N pages served round robin by the loopback page
 * server (`crawl-server.ts`, a process of its own), at concurrency 16, politeness limits off. Three
 * contenders, each in a process of its own against the same server:
 *
 * - `stingerdb`: the pipeline's own path — `collect()` with the real sources' requests, the HTTP client
 *   (undici `Agent`, redirect and host checks, body limits, decoding), the sources' parsers, observation
 *   validation and `ObservationStore.put`. Sources keep their URLs and hosts: a dispatcher sends every origin
 *   to the loopback server (as the tests' mirror does). One film per page; limits 16, no interval, no robots.txt.
 * - `undici`: bare undici `request` + `cheerio/slim` (HTML; `JSON.parse` for JSON), no validation, nothing kept.
 * - `crawlee`: Crawlee's `CheerioCrawler` (`bench/crawlee/`, installed there on first use).
 *
 * `tsx bench/crawl.ts --contender stingerdb|undici --origin http://127.0.0.1:<port> --page-files <json> --pages 2000
 * [--concurrency 16]` prints one JSON `CrawlRun`. The page files (corpus files, in crawl order: `crawlPageFiles()`)
 * come from the parent, so that a contender reads no recorded body: its memory is the crawl's alone.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { load } from 'cheerio/slim';
import { Agent, request, type Dispatcher } from 'undici';
import { HttpClient } from '../src/http/client.ts';
import { ObservationStore } from '../src/observations/store.ts';
import { collect } from '../src/pipeline/collect.ts';
import { SOURCES } from '../src/scrapers/index.ts';
import type { MovieContext, Source } from '../src/scrapers/source.ts';
import { isMain, peakRssMb } from './child.ts';
import { crawlPages, pageRequests, type PageRequest } from './corpus.ts';
import { routeOf } from './crawl-server.ts';

/** What one contender did. */
export interface CrawlRun {
  contender: string;
  pages: number;
  /** Pages fetched and read without error. */
  ok: number;
  /** Observations filed (stingerdb only). */
  observations?: number;
  ms: number;
  pagesPerSecond: number;
  peakRssMb: number;
}

/** The corpus files of the crawl's pages, in order (page j of a crawl is file j mod n). */
export function crawlPageFiles(): string[] {
  return crawlPages().map((page) => page.entry.file);
}

/** The crawl's jobs: job j asks for the (j mod n)-th page. */
function crawlJobs(files: readonly string[], count: number): PageRequest[] {
  const pages = pageRequests(files);
  return Array.from({ length: count }, (_, j) => pages[j % pages.length]!);
}

/** Every origin the sources ask sent to the loopback server instead (their URLs and hosts unchanged). */
function loopbackDispatcher(origin: string): Dispatcher {
  return new Agent({ keepAliveTimeout: 30_000 }).compose((dispatch) => (options, handler) => dispatch({ ...options, origin }, handler));
}

async function crawlWithPipeline(jobs: readonly PageRequest[], origin: string, concurrency: number): Promise<Omit<CrawlRun, 'peakRssMb' | 'contender'>> {
  const films: MovieContext[] = jobs.map((_, j) => ({ id: `tt${20_000_000 + j}`, ids: {} }));
  const pageOf = new Map(films.map((film, j) => [film.id, jobs[j]!]));
  // The registry's sources, politeness off, each asking for its pages only (one request, no fallback or follow-up).
  const sources: Source[] = SOURCES.filter((s) => s.requests).map((source) => ({
    ...source,
    limits: { concurrency, minIntervalMs: 0 },
    robots: false,
    optIn: false,
    auth: undefined,
    discover: undefined,
    requests: (film: MovieContext) => {
      const page = pageOf.get(film.id);
      if (page?.source !== source.id) return [];
      const { label, url, headers, parse } = page.request;
      return [{ label, url, parse, ...(headers && { headers }) }];
    },
  }));
  const dir = mkdtempSync(path.join(tmpdir(), 'stingerdb-crawl-'));
  const dispatcher = loopbackDispatcher(origin);
  try {
    const store = ObservationStore.load(dir);
    const client = new HttpClient({ dispatcher, mode: 'live', userAgent: 'stingerdb-bench' });
    const started = performance.now();
    const result = await collect({ sources, client, store, films, env: {}, replay: false, concurrency });
    const ms = performance.now() - started;
    const parsed = result.stats.reduce((n, s) => n + s.parsed, 0);
    return { pages: jobs.length, ok: parsed, observations: store.size, ms, pagesPerSecond: (jobs.length / ms) * 1000 };
  } finally {
    await dispatcher.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function crawlWithUndici(jobs: readonly PageRequest[], origin: string, concurrency: number): Promise<Omit<CrawlRun, 'peakRssMb' | 'contender'>> {
  const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
  let next = 0;
  let ok = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const page = jobs[next++]!;
      const response = await request(`${origin}${routeOf(page.request.url)}`, { dispatcher });
      const text = await response.body.text();
      if (response.statusCode !== 200) continue;
      if (/html/.test(response.headers['content-type'] as string)) {
        if (load(text)('title').text() !== undefined) ok++;
      } else if (JSON.parse(text) !== undefined) ok++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - started;
  await dispatcher.close();
  return { pages: jobs.length, ok, ms, pagesPerSecond: (jobs.length / ms) * 1000 };
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      contender: { type: 'string' },
      origin: { type: 'string' },
      'page-files': { type: 'string' },
      pages: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '16' },
    },
  });
  if (!values['page-files']) throw new Error('--page-files <json> is required');
  const jobs = crawlJobs(JSON.parse(readFileSync(values['page-files'], 'utf8')) as string[], Number(values.pages));
  const concurrency = Number(values.concurrency);
  const crawl = values.contender === 'stingerdb' ? crawlWithPipeline : values.contender === 'undici' ? crawlWithUndici : null;
  if (!crawl || !values.origin) throw new Error('usage: tsx bench/crawl.ts --contender stingerdb|undici --origin <url> [--pages n] [--concurrency n]');
  const run = await crawl(jobs, values.origin, concurrency);
  process.stdout.write(`${JSON.stringify({ contender: values.contender!, ...run, peakRssMb: peakRssMb() } satisfies CrawlRun)}\n`);
}
