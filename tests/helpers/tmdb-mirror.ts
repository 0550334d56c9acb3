/**
 * A loopback that stands for TMDB with real recordings (six films), for the refresh, resume and signal tests:
 * bodies can be changed between runs, ETags are honoured (304), and answers can be slowed down or held back.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runPipeline, type RunOptions, type RunReport } from '../../src/pipeline/run.ts';
import { corpusText } from './corpus.ts';
import { startLoopback, type Loopback } from './loopback.ts';
import { mirrorDispatcher } from './mirror.ts';

/** TMDB resources served by the mirror, from real recordings. Sub-resources not listed answer 404. */
export const TMDB_FILES: Record<string, string> = {
  '/3/movie/550': 'tmdb/fight-club-550__movie-details__jdrouet-2024.json',
  '/3/movie/550/credits': 'tmdb/fight-club-550__credits__jdrouet-2024.json',
  '/3/movie/550/keywords': 'tmdb/fight-club-550__keywords__jdrouet-2024.json',
  '/3/movie/550/external_ids': 'tmdb/fight-club-550__external_ids__jdrouet-2024.json',
  '/3/movie/550/release_dates': 'tmdb/fight-club-550__release_dates__jdrouet-2024.json',
  '/3/movie/603': 'tmdb/the-matrix-603__movie-details+alternative_titles__flexget-2017.json',
  '/3/movie/604': 'tmdb/the-matrix-reloaded-604__movie-details+alternative_titles__flexget-2017.json',
  '/3/movie/8681': 'tmdb/taken-8681__movie-details+alternative_titles__flexget-2017.json',
  '/3/movie/13515': 'tmdb/mirrors-13515__movie-details+alternative_titles__flexget-2017.json',
  '/3/movie/22855': 'tmdb/superman-batman-public-enemies-22855__movie-details__ahmetabdi-2018.json',
};
export const WATCHLIST = [
  { imdb: 'tt0137523', tmdb: 550 },
  { imdb: 'tt0133093', tmdb: 603 },
  { imdb: 'tt0234215', tmdb: 604 },
  { imdb: 'tt0936501', tmdb: 8681 },
  { imdb: 'tt0790686', tmdb: 13515 },
  { imdb: 'tt1398941', tmdb: 22855 },
];
export const KEY = 'fake-tmdb-key-0123456789';
export const T0 = Date.parse('2026-11-27T03:17:00Z');
export const HOUR = 3_600_000;

export interface Mirror {
  server: Loopback;
  /** Current body per path (tests change them between runs). */
  bodies: Map<string, string>;
  /** Requests per path+query, and how many carried a validator that matched. */
  requests: string[];
  notModified: number;
  delayMs: number;
  /** Requests beyond this many (counted in `requests`) are held until `release()`. */
  holdAfter: number;
  /** Answers the held requests, and every later one at once. */
  release(): void;
}

export async function startMirror(): Promise<Mirror> {
  const server = await startLoopback();
  let open: () => void = () => undefined;
  let held = new Promise<void>((resolve) => (open = resolve));
  const mirror: Mirror = {
    server,
    bodies: new Map(),
    requests: [],
    notModified: 0,
    delayMs: 0,
    holdAfter: Infinity,
    release: () => {
      mirror.holdAfter = Infinity;
      open();
      held = new Promise<void>((resolve) => (open = resolve));
    },
  };
  for (const [route, file] of Object.entries(TMDB_FILES)) {
    mirror.bodies.set(route, corpusText(file));
    server.on(route, async (req, res) => {
      mirror.requests.push(req.url!);
      if (mirror.requests.length > mirror.holdAfter) await held;
      if (mirror.delayMs) await new Promise((r) => setTimeout(r, mirror.delayMs));
      const body = mirror.bodies.get(route)!;
      const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
      if (req.headers['if-none-match'] === etag) {
        mirror.notModified++;
        res.writeHead(304, { etag }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json;charset=utf-8', etag }).end(body);
    });
  }
  return mirror;
}

/** Temporary folders of one run and the watchlist of the mirror's films. */
export function dirs(name: string) {
  const root = mkdtempSync(path.join(tmpdir(), `stingerdb-${name}-`));
  const watchlist = path.join(root, 'watchlist.json');
  writeFileSync(watchlist, JSON.stringify(WATCHLIST));
  return {
    root,
    watchlist,
    observationsDir: path.join(root, 'observations'),
    outDir: path.join(root, 'dataset'),
    stateDir: path.join(root, 'state'),
  };
}

/** A TMDB-only run in the test process, live against the mirror, with its clock (and release date) at `at`. */
export function runAgainstMirror(mirror: Mirror, d: ReturnType<typeof dirs>, at: number, extra: Partial<RunOptions> = {}): Promise<RunReport> {
  const dispatcher = mirrorDispatcher({ 'https://api.themoviedb.org': mirror.server.origin });
  return runPipeline({
    steps: { collect: true, build: true },
    only: ['tmdb'],
    watchlist: d.watchlist,
    observationsDir: d.observationsDir,
    outDir: d.outDir,
    stateDir: d.stateDir,
    env: { TMDB_API_KEY: KEY },
    dispatcher,
    now: () => at,
    date: new Date(at),
    ...extra,
  }).finally(() => dispatcher.close());
}
