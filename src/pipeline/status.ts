/**
 * `status`: what is stored, what is published, and per source how many films are fresh, due and failing
 * (as the scheduler would see them now) and when the last run was.
 *
 * Which run state: `--state` (or `--replay`) names one; otherwise status reads the one written most recently
 * of `.stingerdb/live` and `.stingerdb/replay` — the state of the run the user just made, whichever kind —
 * and says which it read and how to read the other.
 *
 * Dates: the text shows every date as a UTC day, `YYYY-MM-DD` (the last run with its time, `HH:MM UTC`); a
 * date a source gives only to the month or year shows its unknown parts as `??` (`2026-05-??`). The JSON
 * carries the dates as stored (ISO 8601, possibly of reduced precision: `2026-05`).
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
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

/** A run state folder status may read, with when it was last written (its `state.sqlite` or WAL file). */
interface StateCandidate {
  dir: string;
  writtenAt: number | null;
}

/** The run state status reads, and why that one. */
export interface StateChoice {
  dir: string;
  /** given: `--state` or `--replay` named it; newest: the most recently written of the defaults; none: no run state yet. */
  chosen: 'given' | 'newest' | 'none';
  /** The other default folder: for `newest`, when it holds a run state too (read it with `--state`); for `none`, where else none was found. */
  other?: string;
}

function writtenAt(dir: string): number | null {
  const times = ['state.sqlite', 'state.sqlite-wal'].flatMap((name) => {
    try {
      return [statSync(path.join(dir, name)).mtimeMs];
    } catch {
      return [];
    }
  });
  return times.length ? Math.max(...times) : null;
}

/**
 * The run state to read among the default folders (live first, then replay): the one written most recently —
 * by the file's time, not the run's recorded end, which a replay `--as-of` pins to the past.
 */
export function chooseState(defaults: readonly string[]): StateChoice {
  const candidates: StateCandidate[] = defaults.map((dir) => ({ dir, writtenAt: writtenAt(dir) }));
  const present = candidates.filter((c) => c.writtenAt !== null);
  if (!present.length) return { dir: defaults[0]!, chosen: 'none', ...(defaults[1] !== undefined && { other: defaults[1] }) };
  const newest = present.reduce((best, c) => (c.writtenAt! > best.writtenAt! ? c : best));
  const other = present.find((c) => c !== newest);
  return { dir: newest.dir, chosen: 'newest', ...(other && { other: other.dir }) };
}

export interface StatusOptions {
  observationsDir: string;
  outDir: string;
  /** The run state: named by the user, or chosen among the defaults (`chooseState`). */
  state: StateChoice;
  watchlist: string;
  now: () => number;
}

/** Per source: films covered, fresh, due and failing (null for feeds, which are not scheduled per film), newest observation. */
export interface SourceStatus {
  source: string;
  films: number;
  fresh: number | null;
  due: number | null;
  failing: number;
  /** As stored: ISO 8601, possibly only to the month or year. */
  newestObservation: string | null;
}

/** What `status` reports; `status --json` prints it. */
export interface Status {
  observations: { dir: string; count: number; films: number; notices: string[] };
  dataset: { dir: string; state: 'published'; version: string; movies: number } | { dir: string; state: 'not published' } | { dir: string; state: 'unreadable'; file: string; reason: string };
  state: StateChoice & { lastRun: { startedAt: string; finishedAt: string; mode: string } | null };
  sources: SourceStatus[];
}

export function readStatus(options: StatusOptions): Status {
  const store = ObservationStore.load(options.observationsDir);
  const observations = store.all();
  const contexts = contextsFromObservations(observations);
  const films = new Map<string, MovieContext>();
  for (const context of contexts.values()) films.set(context.id, context);
  if (existsSync(options.watchlist)) {
    for (const entry of readWatchlist(options.watchlist)) if (!films.has(entry.imdb)) films.set(entry.imdb, watchlistContext(entry));
  }
  const snapshot = inspectSnapshot(options.outDir);
  const stateDir = options.state.dir;
  const state = existsSync(path.join(stateDir, 'state.sqlite')) ? RunState.open(stateDir) : undefined;
  try {
    const lastRun = state?.lastRun();
    const byPair = new Map<string, Observation[]>();
    for (const o of observations) {
      const id = contexts.get(o.movie)?.id ?? o.movie;
      const key = `${o.source}\u0000${id}`;
      if (!byPair.has(key)) byPair.set(key, []);
      byPair.get(key)!.push(o);
    }
    const now = new Date(options.now());
    const sources: SourceStatus[] = [];
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
      sources.push({
        source: source.id,
        films: covered,
        fresh: source.requests ? fresh : null,
        due: source.requests ? due : null,
        failing,
        newestObservation: newestObservedAt(dates) ?? null,
      });
    }
    return {
      observations: { dir: options.observationsDir, count: observations.length, films: films.size, notices: [...store.ignoredFiles] },
      dataset: datasetStatus(options.outDir, snapshot),
      state: { ...options.state, lastRun: lastRun?.finishedAt ? { startedAt: lastRun.startedAt, finishedAt: lastRun.finishedAt, mode: lastRun.mode } : null },
      sources,
    };
  } finally {
    state?.close();
  }
}

function datasetStatus(dir: string, snapshot: SnapshotFolder): Status['dataset'] {
  if (snapshot.kind === 'snapshot') return { dir, state: 'published', version: snapshot.manifest.version, movies: snapshot.manifest.counts.movies };
  return snapshot.kind === 'broken' ? { dir, state: 'unreadable', file: snapshot.file, reason: snapshot.reason } : { dir, state: 'not published' };
}

/** A stored date as a UTC day, `YYYY-MM-DD`, its unknown parts `??` ("2026-05" → "2026-05-??"). */
export function statusDay(value: string): string {
  if (/^\d{4}$/.test(value)) return `${value}-??-??`;
  if (/^\d{4}-\d{2}$/.test(value)) return `${value}-??`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? value : at.toISOString().slice(0, 10);
}

/** A stored date-time as its UTC day and time to the minute: "2026-12-02 13:40 UTC". */
export function statusMoment(value: string): string {
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? value : `${at.toISOString().slice(0, 10)} ${at.toISOString().slice(11, 16)} UTC`;
}

/** `status` as text. `shown` gives a folder as the user would type it (relative to the working folder). */
export function formatStatus(status: Status, shown: (dir: string) => string = (dir) => dir): string {
  const { state } = status;
  const lastRun = state.lastRun ? `${statusMoment(state.lastRun.finishedAt)} (${state.lastRun.mode})` : 'none recorded';
  const where =
    state.chosen === 'none'
      ? `no run state yet in ${shown(state.dir)}${state.other ? ` or ${shown(state.other)}` : ''}`
      : state.chosen === 'newest'
        ? `state in ${shown(state.dir)}, the most recently written${state.other ? ` (the other: --state ${shown(state.other)})` : ''}`
        : `state in ${shown(state.dir)}`;
  const lines = [
    `observations: ${status.observations.count} in ${status.observations.dir} (${status.observations.films} films incl. watchlist)`,
    `dataset: ${publishedAs(status.dataset)} in ${status.dataset.dir}`,
    `last run: ${lastRun} — ${where}`,
    '',
  ];
  const rows = [['source', 'films', 'fresh', 'due', 'failing', 'newest observation']];
  for (const s of status.sources) {
    rows.push([s.source, String(s.films), s.fresh === null ? '-' : String(s.fresh), s.due === null ? '-' : String(s.due), String(s.failing), s.newestObservation ? statusDay(s.newestObservation) : '-']);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) lines.push(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  if (status.sources.some((s) => s.newestObservation && /\?/.test(statusDay(s.newestObservation)))) lines.push('(dates are UTC days; ?? where the source gives only the month or year)');
  for (const notice of status.observations.notices) lines.push(`observations: ${notice}`);
  return `${lines.join('\n')}\n`;
}

function publishedAs(dataset: Status['dataset']): string {
  if (dataset.state === 'published') return `${dataset.version}, ${dataset.movies} films`;
  return dataset.state === 'unreadable' ? `unreadable (${dataset.file}: ${dataset.reason})` : 'not published yet';
}
