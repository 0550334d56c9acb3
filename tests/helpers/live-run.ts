/**
 * A live run of the whole pipeline against one loopback server that stands for every source's site: the
 * sources keep their real URLs, hosts and parsers (`mirrorDispatcher` routes each origin to the loopback),
 * only their politeness pauses are dropped (a loopback needs none, and a test must not wait 3 s per page).
 * The loopback answers by path; the sources' paths do not collide (`/3/…` TMDB, `/` OMDb, `/w/api.php`
 * Wikidata, `/m/…` Rotten Tomatoes, `/movie/…` Metacritic, `/title/…` IMDb, the feeds' own paths).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Dispatcher } from 'undici';
import { runPipeline, type RunOptions, type RunReport } from '../../src/pipeline/run.ts';
import { SOURCES } from '../../src/scrapers/index.ts';
import type { Source } from '../../src/scrapers/source.ts';
import { startLoopback, type Loopback } from './loopback.ts';
import { mirrorDispatcher } from './mirror.ts';

/** The registry's sources, unchanged but for their per-host pauses. */
export function quickSources(): Source[] {
  return SOURCES.map((source) => ({ ...source, limits: { concurrency: 4, minIntervalMs: 0 } }));
}

/** Every source origin (`https://api.themoviedb.org`…) → the loopback's origin. */
export function routesTo(server: Loopback): Record<string, string> {
  return Object.fromEntries(SOURCES.flatMap((s) => s.hosts).map((host) => [`https://${host}`, server.origin]));
}

/** Temporary folders of one run (observations, dataset, state) and its watchlist. */
export interface RunDirs {
  root: string;
  watchlist: string;
  observationsDir: string;
  outDir: string;
  stateDir: string;
}

export function runDirs(name: string, watchlist: readonly object[]): RunDirs {
  const root = mkdtempSync(path.join(tmpdir(), `stingerdb-${name}-`));
  const file = path.join(root, 'watchlist.json');
  writeFileSync(file, JSON.stringify(watchlist));
  return { root, watchlist: file, observationsDir: path.join(root, 'observations'), outDir: path.join(root, 'dataset'), stateDir: path.join(root, 'state') };
}

/** A loopback that stands for every source, and a way to run the pipeline live against it. */
export interface LiveSites {
  server: Loopback;
  /** Runs the pipeline live: every source origin answered by the loopback. Logs are collected in `logs`. */
  run(dirs: RunDirs, options?: Partial<RunOptions>): Promise<RunReport>;
  logs: string[];
  close(): Promise<void>;
}

export async function startLiveSites(): Promise<LiveSites> {
  const server = await startLoopback();
  const logs: string[] = [];
  const dispatchers: Dispatcher[] = [];
  return {
    server,
    logs,
    run: (dirs, options = {}) => {
      const dispatcher = mirrorDispatcher(routesTo(server));
      dispatchers.push(dispatcher);
      return runPipeline({
        steps: { collect: true, build: true },
        sources: quickSources(),
        enable: ['imdb'],
        watchlist: dirs.watchlist,
        observationsDir: dirs.observationsDir,
        outDir: dirs.outDir,
        stateDir: dirs.stateDir,
        dispatcher,
        log: (line) => logs.push(line),
        ...options,
      }).finally(() => dispatcher.close());
    },
    close: async () => {
      await Promise.all(dispatchers.map((d) => d.destroy().catch(() => undefined)));
      await server.close();
    },
  };
}
