/**
 * The whole job: collect (sources → observations) → build (observations → records) → publish (records →
 * `dataset/`). Each step can run alone; `runPipeline` wires them with one set of options and returns a
 * report for the summary. The network is whatever dispatcher the options give: an undici `Agent` live, the
 * recorded corpus in replay.
 *
 * One run at a time: the folders a run writes are locked for its whole length (`lock.ts`). A run told to stop
 * (`RunOptions.signal`) stops starting requests and abandons those in flight; what arrived stays in the journal,
 * the run's checks are not committed (its films stay due) and nothing is published. The build and the swap of
 * the snapshot run without a pause, so a stop seen once they have begun takes effect after them: before
 * publishing, a pending stop is looked for once more.
 */
import { existsSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import path from 'node:path';
import { Agent, type Dispatcher } from 'undici';
import {
  PublishRefusedError,
  RunStoppedError,
  UsageError,
  shownFolder,
  StopRequest,
} from '../errors.ts';
import { HttpClient } from '../http/client.ts';
import { redactText, registerSecret } from '../http/redact.ts';
import { ReplayCorpus, type ReplayPolicy } from '../http/replay.ts';
import { buildFromSources, type BuildReport } from '../normalize/build.ts';
import { newestObservedAt, oldestObservedAt } from '../lib/dates.ts';
import { groupObservations } from '../normalize/identity.ts';
import { mergeDetails } from '../normalize/merge.ts';
import type { SourceId } from '../schema/sources.ts';
import type { Observation } from '../schema/observation.ts';
import { ObservationStore } from '../observations/store.ts';
import type { ManifestExtras, SourceCoverage } from '../publish/manifest.ts';
import { SnapshotWriter, type PublishResult } from '../publish/snapshot.ts';
import { inspectSnapshot, publishTarget } from '../publish/target.ts';
import { releaseDate } from '../publish/version.ts';
import { SOURCES, SOURCE_TERMS } from '../scrapers/index.ts';
import type { MovieContext, Source } from '../scrapers/source.ts';
import { collect, contextFromId, type CollectResult } from './collect.ts';
import { silentProgress, type Progress } from './progress.ts';
import { checkGates, formatGateReport } from './gates.ts';
import { RunLock } from './lock.ts';
import { RunState, checkStateFolder, type RunRecord } from './state.ts';
import { readWatchlist, watchlistContext, watchlistObservations, type WatchlistEntry } from './watchlist.ts';

export const PIPELINE_VERSION = '0.1.0';

export interface RunOptions {
  /** Steps to run. */
  steps: { collect: boolean; build: boolean };
  /** Recorded corpus to answer from (no network). */
  replay?: string;
  /** With `replay`: answer only from recordings captured no later than this moment. */
  asOf?: Date;
  /** Watchlist file; absent = none. */
  watchlist?: string;
  movies?: string[];
  only?: string[];
  enable?: string[];
  observationsDir: string;
  outDir: string;
  concurrency?: number;
  env?: Readonly<Record<string, string | undefined>>;
  /** Overrides the dispatcher (tests point the live client at a loopback server). */
  dispatcher?: Dispatcher;
  /** Sources to use instead of the registry (tests). */
  sources?: readonly Source[];
  progress?: Progress;
  log?: (line: string) => void;
  /** Release date of a new version (else `SOURCE_DATE_EPOCH`, else today). */
  date?: Date;
  /** Run state folder (scheduling, journal, validators); absent = every pair is due, nothing is kept. */
  stateDir?: string;
  /** Ask every source about every film, fresh or not. */
  force?: boolean;
  /** Publish even when a quality gate fails (schema failures are never published). */
  forcePublish?: boolean;
  /** The clock (observation dates of live answers, scheduling). */
  now?: () => number;
  /** Stops the run when aborted, with a `StopRequest` as its reason (the CLI's SIGTERM, SIGINT, SIGHUP). */
  signal?: AbortSignal;
  /** What started the run, written in its lock files (default: this process's arguments). */
  command?: string;
}

export interface RunReport {
  mode: 'live' | 'replay';
  /** The run's clock when it started (ISO): real time, `STINGERDB_NOW` or `--as-of`. */
  clock: string;
  collect?: CollectResult;
  /** Files of the observation folder that are no source's, not read (a damaged file stops the run instead). */
  ignoredFiles: readonly string[];
  observations: number;
  build?: { movies: number; report: BuildReport };
  publish?: PublishResult;
  /** Why nothing was published (quality gates, invalid records); the previous snapshot stays. */
  refused?: string[];
  /** Gates that failed but were overridden with --force-publish. */
  overridden?: string[];
  /** Observations recovered from the journal of an interrupted run. */
  resumed: number;
  durationMs: number;
}

export function userAgent(env: Readonly<Record<string, string | undefined>>): string {
  const contact = env.STINGERDB_CONTACT ? `; ${env.STINGERDB_CONTACT}` : '';
  return `stingerdb/${PIPELINE_VERSION} (+https://github.com/stingerdb/stingerdb${contact}) node/${process.versions.node}`;
}

/** Sources selected by `--only` and `--enable`, in registry order; unknown names are an error. */
export function selectSources(all: readonly Source[], only?: readonly string[], enable?: readonly string[]): Source[] {
  for (const name of [...(only ?? []), ...(enable ?? [])]) {
    if (!all.some((s) => s.id === name)) throw new UsageError(`unknown source "${name}" (sources: ${all.map((s) => s.id).join(', ')})`);
  }
  return all.filter((s) => !only?.length || only.includes(s.id));
}

export async function runPipeline(options: RunOptions): Promise<RunReport> {
  const started = Date.now();
  const env = options.env ?? process.env;
  const log = options.log ?? (() => undefined);
  const sources = selectSources(options.sources ?? SOURCES, options.only, options.enable);
  for (const source of sources) if (source.auth) registerSecret(env[source.auth.env]);

  const now = options.now ?? Date.now;
  const iso = () => new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  // Every input is checked before anything is fetched or written, the lock included: a run must not collect for
  // minutes, then find it cannot use its watchlist, its release date or the folder it publishes into.
  const store = ObservationStore.load(options.observationsDir);
  const watchlist = options.steps.collect && options.watchlist ? readWatchlist(options.watchlist) : [];
  const date = options.steps.build ? (options.date ?? releaseDate()) : undefined;
  if (options.steps.build) inspectSnapshot(options.outDir);
  if (options.stateDir) checkStateFolder(options.stateDir);
  const lock = RunLock.acquire(lockedFolders(options), options.command ?? process.argv.slice(1).join(' '), log);
  try {
    for (const file of store.removeStaleTemporaries()) log(`observations: removed ${file} (left by an interrupted save)`);
    // A damaged file stops the run here, before anything is collected or built from fewer observations.
    store.verify();
    // Under the lock: finishing another run's interrupted swap is this run's business only when none is going on.
    if (options.steps.build) publishTarget(options.outDir, { replaceBroken: options.forcePublish });
    for (const notice of store.ignoredFiles) log(`observations: ${notice}`);
    const report: RunReport = { mode: options.replay ? 'replay' : 'live', clock: iso(), ignoredFiles: store.ignoredFiles, observations: 0, resumed: 0, durationMs: 0 };
    const state = options.stateDir ? RunState.open(options.stateDir) : undefined;
    try {
      // An interrupted run left its answers in the journal: this run asks again and gets them from there.
      report.resumed = options.replay ? 0 : (state?.journalSize() ?? 0);
      if (report.resumed) log(`resuming an interrupted run: ${report.resumed} answers in its journal will not be fetched again`);
      const previousRun = state?.lastRun();
      if (options.steps.collect) await collectStep(options, { sources, store, watchlist, env, state, log, now, iso, report });
      report.observations = store.size;
      options.signal?.throwIfAborted();
      if (options.steps.build) await buildStep(options, { store, report, previousRun, state, date });
    } catch (error) {
      if (options.signal?.aborted) throw stopped(options, report, state);
      throw error;
    } finally {
      state?.close();
    }
    report.durationMs = Date.now() - started;
    return report;
  } finally {
    lock.release();
  }
}

/** The folders a run writes: the run state, the observations, and the dataset when it builds. */
function lockedFolders(options: RunOptions): string[] {
  return [
    ...(options.stateDir ? [options.stateDir] : []),
    options.observationsDir,
    ...(options.steps.build ? [options.outDir] : []),
  ];
}

/** The error a stopped run ends with: what stopped it, what was kept and that the same command resumes. */
function stopped(options: RunOptions, report: RunReport, state: RunState | undefined): RunStoppedError {
  const reason = options.signal?.reason;
  const request = reason instanceof StopRequest ? reason : new StopRequest('SIGTERM', 'on request');
  const kept: string[] = [];
  if (options.steps.build) {
    const folder = inspectSnapshot(options.outDir);
    kept.push(`${shownFolder(options.outDir)} ${folder.kind === 'snapshot' ? `still ${folder.manifest.version}` : folder.kind === 'new' ? 'not created' : 'as it was'}, nothing published`);
  }
  if (options.steps.collect) {
    if (report.collect) kept.push(`the collected observations are saved in ${shownFolder(options.observationsDir)}`);
    else if (options.replay) kept.push('a replay keeps no journal');
    else if (state) kept.push(`${state.journalSize()} answers kept in the run journal`);
    else kept.push('no run state (--state) to keep answers in');
  }
  return new RunStoppedError(request.signal, request.why, kept.join('; '));
}

/**
 * `work`'s result — unless `signal` aborts first: then its reason is thrown at once and `work` is abandoned
 * (it stops at its next check of the signal; whatever it throws then is of no interest).
 */
function unlessStopped<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => undefined);
      reject(signal.reason);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

interface StepContext {
  sources: readonly Source[];
  store: ObservationStore;
  watchlist: readonly WatchlistEntry[];
  env: Readonly<Record<string, string | undefined>>;
  state?: RunState;
  log: (line: string) => void;
  now: () => number;
  iso: () => string;
  report: RunReport;
}

async function collectStep(options: RunOptions, { sources, store, watchlist, env, state, log, now, iso, report }: StepContext): Promise<void> {
  const runId = state?.startRun(iso(), report.mode);
  {
    const { client, close } = createClient(options, sources, env, now);
    try {
      const films = filmsToCover(options, watchlist, store.all());
      let discovered: Map<string, MovieContext> | undefined;
      report.collect = await unlessStopped(collect({
        sources,
        client,
        store,
        films,
        onlyFilms: options.movies,
        env,
        replay: Boolean(options.replay),
        enabled: options.enable,
        concurrency: options.concurrency,
        // Asked only after discovery has filed its observations: group them once then.
        contextFor: (id) => (discovered ??= contextsFromObservations(store.all())).get(id),
        progress: options.progress ?? silentProgress,
        log,
        state,
        force: options.force,
        now,
        signal: options.signal,
      }), options.signal);
    } finally {
      // A stopped run does not wait for the answers in flight.
      await close(options.signal?.aborted ?? false);
    }
  }
  // What the watchlist says of its films (a film no source answers still gets a record), once the run collected.
  if (report.collect) store.put(watchlistObservations(watchlist, iso().slice(0, 10)));
  store.save();
  // The files now hold everything the journal's answers gave: commit the run's checks, empty the journal.
  if (state && runId !== undefined && report.collect) {
    const sourcesRecord: RunRecord['sources'] = {};
    for (const s of report.collect.stats) {
      sourcesRecord[s.source] = { requests: s.requests, parsed: s.parsed, parseFailures: s.parseFailures, observations: s.observations, failures: s.failures };
    }
    state.commitRun(runId, iso(), report.collect.attempts, sourcesRecord, report.collect.listings);
  }
}

/**
 * Normalize and publish as one stream: films are built one at a time (from the store's files, or from memory
 * after a collect) and written into the staging snapshot as they come; the quality gates, which need the
 * coverage of the whole snapshot, decide at the end whether it is swapped in or thrown away.
 */
async function buildStep(
  options: RunOptions,
  { store, report, previousRun, state, date }: { store: ObservationStore; report: RunReport; previousRun?: RunRecord; state?: RunState; date?: Date },
): Promise<void> {
  const writer = SnapshotWriter.open({ outDir: options.outDir, terms: SOURCE_TERMS, date, replaceBroken: options.forcePublish, issued: [state?.highestVersion()] });
  const { movies, report: buildReport, extras } = buildInto(writer, store);
  report.build = { movies, report: buildReport };
  if (buildReport.invalid.length) {
    writer.abort();
    report.refused = buildReport.invalid.slice(0, 20).flatMap((r) => [`- ${r.id} fails the schema:`, ...r.issues.map((i) => `  ${i}`)]);
    return;
  }
  const gates = checkGates({
    collect: report.collect,
    previousRun,
    previousManifest: writer.previousManifest,
    coverage: writer.coverage,
    movies,
  });
  if (gates.length && !options.forcePublish) {
    writer.abort();
    report.refused = formatGateReport(gates);
    return;
  }
  if (gates.length) report.overridden = formatGateReport(gates);
  // The build ran without a pause: a signal that came meanwhile is seen now, before anything is published.
  await nextTurn();
  if (options.signal?.aborted) {
    writer.abort();
    options.signal.throwIfAborted();
  }
  try {
    report.publish = writer.finish(extras);
  } catch (error) {
    if (!(error instanceof PublishRefusedError)) throw error;
    report.refused = [...error.issues];
  }
  if (report.publish) state?.recordVersion(report.publish.version);
}

/** What building a snapshot found: its films, the build report, and the run facts its manifest carries. */
export interface SnapshotBuild {
  movies: number;
  report: BuildReport;
  extras: ManifestExtras;
}

/**
 * Builds every film of the store into `writer`, one at a time, counting what the manifest needs (the
 * publish step and the drift check build alike). Once a record has failed the schema nothing will be
 * published: the rest is only built for the report. The writer is aborted when the build throws.
 */
export function buildInto(writer: SnapshotWriter, store: ObservationStore): SnapshotBuild {
  const sources = new SourceCoverageCounter();
  let movies = 0;
  let failed = false;
  let report: BuildReport;
  try {
    report = buildFromSources(store.sources(), (film) => {
      sources.add(film.observations);
      if (!film.movie) {
        failed = true;
        return;
      }
      movies++;
      if (!failed) writer.add(film.movie);
    });
  } catch (error) {
    writer.abort();
    throw error;
  }
  const creditConflicts = report.creditConflicts.map(({ id, title, slots }) => ({ id, title, slots }));
  return { movies, report, extras: { sources: sources.coverage(), creditConflicts } };
}

/** Per source: films it has observations of (by canonical id), its observations, and their date range. */
class SourceCoverageCounter {
  private readonly bySource = new Map<SourceId, { films: number; observations: number; newest?: string; oldest?: string }>();

  add(observations: readonly Observation[]): void {
    const seen = new Set<SourceId>();
    for (const o of observations) {
      let counts = this.bySource.get(o.source);
      if (!counts) this.bySource.set(o.source, (counts = { films: 0, observations: 0 }));
      if (!seen.has(o.source)) {
        seen.add(o.source);
        counts.films++;
      }
      counts.observations++;
      counts.newest = newestObservedAt(counts.newest === undefined ? [o.observedAt] : [counts.newest, o.observedAt]);
      counts.oldest = oldestObservedAt(counts.oldest === undefined ? [o.observedAt] : [counts.oldest, o.observedAt]);
    }
  }

  coverage(): Partial<Record<SourceId, SourceCoverage>> {
    const sources: Partial<Record<SourceId, SourceCoverage>> = {};
    for (const [source, c] of [...this.bySource].sort(([a], [b]) => (a < b ? -1 : 1))) {
      sources[source] = {
        films: c.films,
        observations: c.observations,
        ...(c.newest && { newestObservedAt: c.newest }),
        ...(c.oldest && { oldestObservedAt: c.oldest }),
      };
    }
    return sources;
  }
}

function createClient(options: RunOptions, sources: readonly Source[], env: Readonly<Record<string, string | undefined>>, now: () => number) {
  if (options.replay) {
    const corpusDir = path.resolve(options.replay);
    if (!existsSync(path.join(corpusDir, 'index.json'))) {
      throw new UsageError(`--replay ${options.replay}: no index.json there (a recorded corpus is a folder with index.json and the files it lists)`);
    }
    const policies = new Map<string, ReplayPolicy>();
    for (const source of sources) if (source.replay) for (const host of source.hosts) policies.set(host, source.replay);
    const dispatcher = options.dispatcher ?? ReplayCorpus.load(corpusDir, policies, { ...(options.asOf && { asOf: options.asOf }) }).dispatcher();
    const client = new HttpClient({ dispatcher, mode: 'replay', userAgent: userAgent(env), retry: { attempts: 1 }, clock: now });
    return { client, close: async (_abandon: boolean) => dispatcher.close() };
  }
  const dispatcher = options.dispatcher ?? new Agent({ connect: { timeout: 15_000 }, maxHeaderSize: 64 * 1024, keepAliveTimeout: 10_000 });
  const client = new HttpClient({ dispatcher, mode: 'live', userAgent: userAgent(env), clock: now });
  // Abandoning destroys the connections, requests in flight included; a dispatcher given by the caller is theirs.
  const close = async (abandon: boolean) => (options.dispatcher ? undefined : abandon ? dispatcher.destroy() : dispatcher.close());
  return { client, close };
}

/** The watchlist's films, with what earlier observations know about them. */
function filmsToCover(options: RunOptions, watchlist: readonly WatchlistEntry[], observations: readonly Observation[]): MovieContext[] {
  const known = contextsFromObservations(observations);
  const films = new Map<string, MovieContext>();
  for (const entry of watchlist) {
    const fromWatchlist = watchlistContext(entry);
    const fromStore = known.get(entry.imdb);
    films.set(entry.imdb, {
      ...fromStore,
      ...fromWatchlist,
      ids: { ...fromStore?.ids, ...fromWatchlist.ids },
    });
  }
  // Films known only from earlier runs (feeds) are refreshed too.
  for (const [id, context] of known) if (id === context.id && !films.has(id)) films.set(id, context);
  for (const id of options.movies ?? []) if (!films.has(id)) films.set(id, known.get(id) ?? contextFromId(id)!);
  return [...films.values()];
}

/** Film id (any key it was filed under) → what the observations say about it. */
export function contextsFromObservations(observations: readonly Observation[]): Map<string, MovieContext> {
  const contexts = new Map<string, MovieContext>();
  for (const group of groupObservations(observations).groups) {
    const details = mergeDetails(group.id, group.observations);
    const context: MovieContext = {
      id: group.id,
      ids: details.ids,
      ...(details.title && { title: details.title }),
      ...(details.year && { year: details.year }),
      ...(details.releaseDate && { releaseDate: details.releaseDate }),
    };
    for (const key of [group.id, ...group.keys]) contexts.set(key, context);
  }
  return contexts;
}

/** An error message safe to print (keys removed). */
export function safeMessage(error: unknown): string {
  return redactText(error instanceof Error ? error.message : String(error));
}
