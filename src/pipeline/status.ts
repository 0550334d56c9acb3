/**
 * `status`: what is stored, what is published, and per source how many films are fresh, due and failing
 * (as the scheduler would see them now) and when the last run was.
 */
import { existsSync } from 'node:fs';
import { newestObservedAt } from '../lib/dates.ts';
import type { Observation } from '../schema/observation.ts';
import { ObservationStore } from '../observations/store.ts';
import { inspectSnapshot, type SnapshotFolder } from '../publish/target.ts';
import { SOURCES } from '../scrapers/index.ts';
import type { MovieContext } from '../scrapers/source.ts';
import { isDue } from './due.ts';
import { contextsFromObservations } from './run.ts';
import { RunState } from './state.ts';
import { readWatchlist, watchlistContext } from './watchlist.ts';

export function printStatus(options: { observationsDir: string; outDir: string; stateDir: string; watchlist: string; now: () => number }): string {
  const store = ObservationStore.load(options.observationsDir);
  const observations = store.all();
  const contexts = contextsFromObservations(observations);
  const films = new Map<string, MovieContext>();
  for (const context of contexts.values()) films.set(context.id, context);
  if (existsSync(options.watchlist)) {
    for (const entry of readWatchlist(options.watchlist)) if (!films.has(entry.imdb)) films.set(entry.imdb, watchlistContext(entry));
  }
  const snapshot = inspectSnapshot(options.outDir);
  const state = existsSync(`${options.stateDir}/state.sqlite`) ? RunState.open(options.stateDir) : undefined;
  try {
    const lastRun = state?.lastRun();
    const lines = [
      `observations: ${observations.length} in ${options.observationsDir} (${films.size} films incl. watchlist)`,
      `dataset: ${publishedAs(snapshot)} in ${options.outDir}`,
      `last run: ${lastRun ? `${lastRun.finishedAt} (${lastRun.mode})` : 'none recorded'} — state in ${options.stateDir}`,
      '',
    ];
    const byPair = new Map<string, Observation[]>();
    for (const o of observations) {
      const id = contexts.get(o.movie)?.id ?? o.movie;
      const key = `${o.source}\u0000${id}`;
      if (!byPair.has(key)) byPair.set(key, []);
      byPair.get(key)!.push(o);
    }
    const now = new Date(options.now());
    const rows = [['source', 'films', 'fresh', 'due', 'failing', 'newest observation']];
    for (const source of SOURCES) {
      const attempts = state?.attemptsOf(source.id) ?? new Map();
      let fresh = 0;
      let due = 0;
      let failing = 0;
      let covered = 0;
      const dates: string[] = [];
      for (const film of films.values()) {
        const mine = byPair.get(`${source.id}\u0000${film.id}`) ?? [];
        if (mine.length) covered++;
        dates.push(...mine.map((o) => o.observedAt));
        if (!source.requests) continue;
        const attempt = attempts.get(film.id);
        if (attempt?.outcome === 'failed') failing++;
        if (isDue({ source, film, observations: mine, attempt, now }).due) due++;
        else fresh++;
      }
      rows.push([source.id, String(covered), source.requests ? String(fresh) : '-', source.requests ? String(due) : '-', String(failing), newestObservedAt(dates) ?? '-']);
    }
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const row of rows) lines.push(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
    for (const notice of store.ignoredFiles) lines.push(`observations: ${notice}`);
    return `${lines.join('\n')}\n`;
  } finally {
    state?.close();
  }
}

function publishedAs(snapshot: SnapshotFolder): string {
  if (snapshot.kind === 'snapshot') return `${snapshot.manifest.version}, ${snapshot.manifest.counts.movies} films`;
  return snapshot.kind === 'broken' ? `unreadable (${snapshot.file}: ${snapshot.reason})` : 'not published yet';
}
