/**
 * Collect: runs the sources' requests through the HTTP client and files what their parsers return.
 *
 * Order: discovery first (feeds, lists and change feeds, once per run: they bring films and mark films
 * changed), then, for every film, each per-film source in registry order — so that ids one source finds
 * (TMDB's IMDb id, Wikidata's Rotten Tomatoes slug) are known to the sources after it. Films run concurrently;
 * each host's politeness is the client's business.
 *
 * Only due work is done (`due.ts`): a (source, film) pair whose observations are fresh is skipped. With a run
 * state, every network answer is journaled as it arrives and the run's checks are committed only with the
 * observation files, so a run killed at any moment asks the same questions again and the journal answers the
 * ones it already has: no completed fetch is repeated, nothing is lost. Live HTTP requests are conditional
 * when validators are known (a 304 costs no parse), and HTML sources obey robots.txt.
 *
 * One source never stops the run: every failure is a value counted in the summary. A source whose key is
 * refused or that asks to wait longer than the client will is halted for the rest of the run; one without
 * its key (live) is skipped with one line. Responses about another film than the one asked for (fuzzy title
 * lookups) are rejected, never filed. Nothing that fails validation is filed.
 */
import pLimit from 'p-limit';
import {
  HttpError,
  IdentityMismatchError,
  InternalError,
  MissingKeyError,
  NoMatchError,
  NotRecordedError,
  RateLimitedError,
  SourceApiError,
  StingerError,
  ValidationError,
  formatIssues,
  toStingerError,
} from '../errors.ts';
import type { HttpClient, HttpResponse } from '../http/client.ts';
import { redactText, redactUrl } from '../http/redact.ts';
import { ALLOW_ALL, DISALLOW_ALL, isAllowed, parseRobots, robotsUrl, type RobotsRules } from '../http/robots.ts';
import type { MovieIds } from '../schema/ids.ts';
import type { SourceId } from '../schema/sources.ts';
import { Observation, type ParsedObservation } from '../schema/observation.ts';
import type { ObservationStore } from '../observations/store.ts';
import type { FeedListing, MovieContext, ParseOutput, Source, SourceRequest } from '../scrapers/source.ts';
import { isDue, type DueDecision } from './due.ts';
import { assessListing, type FeedHealth } from './listings.ts';
import type { Progress } from './progress.ts';
import type { AttemptOutcome, ListingUpdate, PendingAttempt, RunState } from './state.ts';
import { filmIdOf } from '../schema/ids.ts';

export interface SourceStats {
  source: SourceId;
  /** Requests sent (fallbacks and follow-ups included, retries not). */
  requests: number;
  /** Answered from the recorded corpus. */
  replay: number;
  /** Answered by the network. */
  network: number;
  /** 304 Not Modified (conditional requests). */
  notModified: number;
  /** Not answered: not recorded in the corpus (replay), not found (404, an API "not found"), no match in a lookup. */
  misses: number;
  /** Requests that ended in an error other than a miss. */
  failures: number;
  /** Failures by error class ("layout-changed", "timeout", "api-auth"…). */
  errors: Record<string, number>;
  /** Responses read without error by the parser. */
  parsed: number;
  /** Responses the parser could not read (layout changed, unexpected content, invalid values). */
  parseFailures: number;
  /** Observations filed. */
  observations: number;
  /** Films with at least one observation filed in this run. */
  films: number;
  /** Films whose observations from this source changed. */
  filmsChanged: number;
  /** Films not asked about because what the source said is still fresh. */
  fresh: number;
  /** Requests answered from the journal of an interrupted run (not fetched again). */
  resumed: number;
  /** Skipped or halted: why (one line). */
  skipped?: string;
  /** First few problems, each naming the URL. */
  problems: string[];
  durationMs: number;
}

export interface CollectOptions {
  sources: readonly Source[];
  client: HttpClient;
  store: ObservationStore;
  /** Films to cover, beyond what discovery brings. */
  films: readonly MovieContext[];
  /** Only these films (no discovery). */
  onlyFilms?: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  /** Replay: sources that need a key run as if it were set (no key is sent); no robots.txt, no validators. */
  replay: boolean;
  /** Opt-in sources that are enabled. */
  enabled?: readonly string[];
  /** Films processed at once. */
  concurrency?: number;
  /** Run state: scheduling, journal, validators. Without it every pair is due and nothing is journaled. */
  state?: RunState;
  /** Ask every source about every film, fresh or not. */
  force?: boolean;
  /** Builds the context of films found by discovery, from what the store knows. */
  contextFor?: (id: string) => MovieContext | undefined;
  progress?: Progress;
  log?: (line: string) => void;
  now?: () => number;
  /** Once aborted, no request is started: the next one throws the signal's reason (the run was told to stop). */
  signal?: AbortSignal;
}

export interface CollectResult {
  stats: SourceStats[];
  /** Films covered by per-film requests (due ones). */
  films: number;
  /** Observations that changed the store. */
  changed: number;
  /** The checks made, to be committed with the observation files (`RunState.commitRun`). */
  attempts: PendingAttempt[];
  /** Checks and observations dated after the run's clock: treated as never made (see `due.ts`). */
  futureDated: { checks: number; observations: number };
  /** How each whole-catalogue feed's answer looked (degraded, films no longer listed). */
  feeds: FeedHealth[];
  /** What the feeds' answers teach the run state, committed with the run (`RunState.commitRun`). */
  listings: ListingUpdate[];
}

const MAX_PROBLEMS = 20;
/** Error classes that mean the parser could not read a response (a layout change shows up here). */
export const PARSE_FAILURE_CODES: ReadonlySet<string> = new Set(['layout-changed', 'unexpected-content', 'validation', 'out-of-range', 'internal']);
const DISCOVER = '*discover*';

type Outcome =
  | { kind: 'answered'; parsed: ParsedObservation[]; response: HttpResponse; due: MovieIds[]; listing?: FeedListing }
  | { kind: 'not-modified' }
  | { kind: 'unanswered'; error: StingerError }
  | { kind: 'failed'; error: StingerError };

/** How a (source, film) pair went over all its requests. */
class PairOutcome {
  answered = false;
  failed: StingerError | null = null;
  /** What is stored is dated in the future (a clock set ahead): ask without validators, a 304 would keep it. */
  constructor(readonly unconditional = false) {}
  get value(): AttemptOutcome {
    return this.answered ? 'ok' : this.failed ? 'failed' : 'unanswered';
  }
}

export async function collect(options: CollectOptions): Promise<CollectResult> {
  const { client, store, env, state } = options;
  const log = options.log ?? (() => undefined);
  const now = options.now ?? Date.now;
  const iso = () => new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const stats = new Map<SourceId, SourceStats>();
  const filmsBySource = new Map<SourceId, Set<string>>();
  const halted = new Map<SourceId, string>();
  const changedBySource = new Map<SourceId, Set<string>>();
  const robots = new Map<string, Promise<RobotsRules>>();

  const active: Source[] = [];
  for (const source of options.sources) {
    const s = newStats(source.id);
    stats.set(source.id, s);
    filmsBySource.set(source.id, new Set());
    changedBySource.set(source.id, new Set());
    // Opt-in concerns requests to the live site (IMDb's terms forbid scraping it); reading a recorded
    // corpus sends nothing, so in replay every source runs.
    if (source.optIn && !options.replay && !options.enabled?.includes(source.id)) {
      s.skipped = `off unless enabled (--enable ${source.id})`;
      continue;
    }
    if (source.auth && !options.replay && !env[source.auth.env]) {
      s.skipped = new MissingKeyError(source.id, source.auth.env).message;
      log(s.skipped);
      continue;
    }
    client.configureHosts(source.hosts, options.replay ? { concurrency: 16, minIntervalMs: 0 } : source.limits);
    active.push(source);
  }

  const problem = (source: SourceId, line: string) => {
    const s = stats.get(source)!;
    if (s.problems.length < MAX_PROBLEMS) s.problems.push(redactText(line));
  };

  const file = (source: Source, parsed: readonly ParsedObservation[], response: HttpResponse, film: MovieContext | null): ParsedObservation[] => {
    const s = stats.get(source.id)!;
    const accepted: Observation[] = [];
    const kept: ParsedObservation[] = [];
    for (const observation of parsed) {
      const movie = film?.id ?? filmIdOf(observation.ids);
      if (!movie) {
        problem(source.id, `${response.url}: an observation names no film id (skipped)`);
        continue;
      }
      if (film) {
        const mismatch = identityMismatch(film.ids, observation.ids);
        if (mismatch) {
          const error = new IdentityMismatchError(source.id, response.url, mismatch.expected, mismatch.got);
          count(s, error);
          problem(source.id, error.message);
          continue;
        }
      }
      const candidate = { ...observation, url: redactUrl(observation.url), movie, observedAt: response.observedAt };
      const valid = Observation.safeParse(candidate);
      if (!valid.success) {
        const error = new ValidationError(`${source.id} observation from ${response.url}`, formatIssues(valid.error.issues, 5));
        count(s, error);
        problem(source.id, error.message.replace(/\n/g, ' '));
        continue;
      }
      accepted.push(valid.data);
      kept.push(observation);
      filmsBySource.get(source.id)!.add(movie);
      if (film) learnIds(film, valid.data);
    }
    s.observations += accepted.length;
    for (const o of store.put(accepted)) changedBySource.get(source.id)!.add(o.movie);
    return kept;
  };

  /** Robots rules of a host, read once per run (live HTML sources only). */
  const robotsFor = (source: Source, url: string): Promise<RobotsRules> => {
    const host = new URL(url).host;
    let rules = robots.get(host);
    if (!rules) {
      rules = client.get(robotsUrl(url), { source: source.id, allowedHosts: source.hosts, headers: { accept: 'text/plain' } }).then(
        (response) => {
          const parsed = parseRobots(response.body);
          if (parsed.crawlDelaySeconds) client.limiter.slowDown(new URL(url).hostname, parsed.crawlDelaySeconds * 1000);
          return parsed;
        },
        (error: unknown) => {
          // No robots.txt (4xx) allows everything; an unreachable one disallows everything for this run (RFC 9309).
          if (error instanceof HttpError && error.status >= 400 && error.status < 500) return ALLOW_ALL;
          problem(source.id, `robots.txt of ${host} unreachable (${toStingerError(error).message}): nothing fetched from it this run`);
          return DISALLOW_ALL;
        },
      );
      robots.set(host, rules);
    }
    return rules;
  };

  const fetchAndParse = async (source: Source, request: SourceRequest, pair: PairOutcome): Promise<Outcome> => {
    options.signal?.throwIfAborted();
    const s = stats.get(source.id)!;
    const reason = halted.get(source.id);
    if (reason) return { kind: 'failed', error: new HaltedError(source.id, reason) };
    if (source.robots && !options.replay && !isAllowed(await robotsFor(source, request.url), request.url)) {
      return classify(source, new RobotsDisallowedError(source.id, redactUrl(request.url)));
    }
    s.requests++;
    let url = new URL(request.url);
    let headers = request.headers ?? {};
    const key = source.auth ? env[source.auth.env] : undefined;
    if (source.auth && key && !options.replay) {
      const applied = source.auth.apply(url, key);
      url = applied.url;
      headers = { ...headers, ...applied.headers };
    }
    const shown = redactUrl(url);
    const journaled = !options.replay ? state?.journaledResponse(shown) : undefined;
    let response: HttpResponse;
    if (journaled) {
      // An interrupted run already has this answer: it is not fetched again.
      response = { ...journaled, url: shown, bytes: 0, from: 'network' };
      s.resumed++;
    } else {
      const conditional = !options.replay && !pair.unconditional ? state?.validators(shown) : undefined;
      try {
        response = await client.get(url.toString(), { source: source.id, allowedHosts: source.hosts, headers, ...(conditional && { conditional }) });
      } catch (error) {
        let typed = toStingerError(error);
        if (typed instanceof HttpError && source.apiError) typed = source.apiError(typed.status, typed.body, typed.url) ?? typed;
        return classify(source, typed);
      }
      if (response.from === 'replay') s.replay++;
      else {
        s.network++;
        state?.journalResponse(shown, { status: response.status, headers: response.headers, body: response.body, observedAt: response.observedAt });
      }
    }
    if (response.status === 304) {
      s.notModified++;
      return { kind: 'not-modified' };
    }
    try {
      const apiError = source.apiError?.(response.status, response.body, response.url);
      if (apiError) return classify(source, apiError);
      const output = normalizeParseOutput(request.parse(response.body, response.url));
      for (const line of output.problems) problem(source.id, `${response.url}: ${line}`);
      s.parsed++;
      if (response.from === 'network' && !journaled) {
        state?.saveValidators(shown, { etag: response.headers.etag, lastModified: response.headers['last-modified'] });
      }
      return { kind: 'answered', parsed: output.observations, response, due: output.due ?? [], ...(output.listing && { listing: output.listing }) };
    } catch (error) {
      // A parser bug is not the page's fault, but it must still say which source and page it was.
      const typed = error instanceof StingerError ? error : new InternalError(`${source.id}: ${response.url}: parser crashed — ${toStingerError(error).message}`, { cause: error });
      return classify(source, typed);
    }
  };

  /**
   * Unanswered (not recorded, not found, no match) = try a fallback, counted as a miss; failed = stop this
   * request, counted as a failure; a refused key and long rate limits halt the source.
   */
  const classify = (source: Source, error: StingerError): Outcome => {
    const s = stats.get(source.id)!;
    const unanswered =
      error instanceof NotRecordedError ||
      (error instanceof HttpError && error.status === 404) ||
      (error instanceof SourceApiError && error.kind === 'not-found') ||
      error instanceof NoMatchError;
    if (unanswered) {
      s.misses++;
      if (!(error instanceof NotRecordedError)) problem(source.id, error.message.replace(/\n/g, ' '));
      return { kind: 'unanswered', error };
    }
    count(s, error);
    problem(source.id, error.message.replace(/\n/g, ' '));
    if (error instanceof SourceApiError && error.kind === 'auth') halt(source, `the API refused the key (${error.apiMessage})`);
    if (error instanceof RateLimitedError) halt(source, `rate limited${error.retryAfterMs != null ? `, asked to wait ${Math.round(error.retryAfterMs / 1000)} s` : ''}`);
    // A quota reported in the body (OMDb's "Request limit reached!" comes with HTTP 200) halts it just the same.
    if (error instanceof SourceApiError && error.kind === 'rate-limited') halt(source, `rate limited (${error.apiMessage})`);
    return { kind: 'failed', error };
  };

  const halt = (source: Source, reason: string) => {
    if (halted.has(source.id)) return;
    halted.set(source.id, reason);
    stats.get(source.id)!.skipped = `halted: ${reason}`;
    log(`${source.id}: halted for the rest of this run — ${reason}`);
  };

  const changedFilms = new Map<SourceId, MovieIds[]>();
  /** Whole-catalogue answers of this run's discovery, by source (judged once the source's discovery is done). */
  const listings = new Map<SourceId, { listing: FeedListing; at: string }>();

  const run = async (source: Source, request: SourceRequest, film: MovieContext | null, pair: PairOutcome): Promise<void> => {
    for (const candidate of [request, ...(request.fallback ?? [])]) {
      const outcome = await fetchAndParse(source, candidate, pair);
      if (outcome.kind === 'answered') {
        pair.answered = true;
        const kept = file(source, outcome.parsed, outcome.response, film);
        if (outcome.due.length) changedFilms.set(source.id, [...(changedFilms.get(source.id) ?? []), ...outcome.due]);
        if (outcome.listing && !film) listings.set(source.id, { listing: outcome.listing, at: outcome.response.observedAt });
        const answer = { body: outcome.response.body, url: outcome.response.url };
        for (const next of candidate.next?.(kept, film ?? emptyContext, answer) ?? []) await run(source, next, film, pair);
        return;
      }
      if (outcome.kind === 'not-modified') {
        // Same as last time: the stored observations stand (follow-ups need a body, so they wait for a change).
        pair.answered = true;
        return;
      }
      if (outcome.kind === 'failed') {
        if (!(outcome.error instanceof HaltedError)) pair.failed = outcome.error;
        return;
      }
    }
  };

  // Committed with the observation files at the end of the run, never before: a killed run's films stay due.
  const attemptsMade: PendingAttempt[] = [];
  const record = (source: Source, film: string, pair: PairOutcome) => {
    attemptsMade.push({ source: source.id, film, outcome: pair.value, checkedAt: iso(), error: pair.failed ? redactText(pair.failed.message).slice(0, 500) : null });
  };

  const feeds: FeedHealth[] = [];
  const listingUpdates: ListingUpdate[] = [];
  /** A whole-catalogue answer judged (degraded? films no longer listed?); the films it stopped listing are marked. */
  const judgeListing = (source: Source, answer: { listing: FeedListing; at: string }) => {
    const { health, update, marked } = assessListing({
      source: source.id,
      ...answer,
      rows: state?.listingsOf(source.id) ?? new Map(),
      lastHealthy: state?.lastHealthyListing(source.id),
      stored: store.bySource(source.id),
    });
    feeds.push(health);
    listingUpdates.push(update);
    for (const o of store.put(marked)) changedBySource.get(source.id)!.add(o.movie);
  };

  const futureDated = { checks: 0, observations: 0 };
  const noteFuture = (decision: DueDecision) => {
    if (decision.ignoredFuture?.attempt) futureDated.checks++;
    futureDated.observations += decision.ignoredFuture?.observations ?? 0;
  };

  // 1. Discovery: feeds, lists and change feeds; their observations name their own films.
  if (!options.onlyFilms?.length) {
    for (const source of active) {
      if (!source.discover) continue;
      const attempt = state?.attempt(source.id, DISCOVER);
      const decision = isDue({ source, film: emptyContext, observations: [], attempt, now: new Date(now()), force: options.force });
      noteFuture(decision);
      if (!decision.due) continue;
      const started = Date.now();
      const pair = new PairOutcome();
      const context = { now: new Date(now()), ...(attempt?.outcome === 'ok' && { lastCheckedAt: attempt.checkedAt }) };
      for (const request of source.discover(context)) await run(source, request, null, pair);
      record(source, DISCOVER, pair);
      const answer = listings.get(source.id);
      if (answer) judgeListing(source, answer);
      stats.get(source.id)!.durationMs += Date.now() - started;
    }
  }

  // 2. Per film, each source in registry order, when due.
  const perFilm = active.filter((s) => s.requests);
  const films = selectFilms(options, filmsBySource);
  const changed = changedFilmIds(films, changedFilms);
  const attempts = new Map(perFilm.map((s) => [s.id, state?.attemptsOf(s.id) ?? new Map()]));
  const observationsOf = indexObservations(store.all());
  const limit = pLimit(options.concurrency ?? 8);
  let done = 0;
  let covered = 0;
  const forced = options.force || Boolean(options.onlyFilms?.length);
  options.progress?.start('collect', films.length);
  await Promise.all(
    films.map((film) =>
      limit(async () => {
        let asked = false;
        for (const source of perFilm) {
          if (halted.has(source.id)) continue;
          const decision = isDue({
            source,
            film,
            observations: observationsOf.get(`${source.id}\u0000${film.id}`) ?? [],
            attempt: attempts.get(source.id)!.get(film.id),
            now: new Date(now()),
            force: forced,
            changed: changed.get(source.id)?.has(film.id),
          });
          noteFuture(decision);
          if (!decision.due) {
            stats.get(source.id)!.fresh++;
            continue;
          }
          asked = true;
          const started = Date.now();
          const pair = new PairOutcome(Boolean(decision.ignoredFuture?.observations));
          for (const request of source.requests!(film)) await run(source, request, film, pair);
          if (!halted.has(source.id) || pair.answered || pair.failed) record(source, film.id, pair);
          stats.get(source.id)!.durationMs += Date.now() - started;
        }
        if (asked) covered++;
        done++;
        options.progress?.update(done, film.id);
      }),
    ),
  );
  options.progress?.done();

  for (const [source, s] of stats) {
    s.films = filmsBySource.get(source)!.size;
    s.filmsChanged = changedBySource.get(source)!.size;
  }
  return { stats: [...stats.values()], films: covered, changed: store.changedCount(), attempts: attemptsMade, futureDated, feeds, listings: listingUpdates };

  function selectFilms(opts: CollectOptions, discovered: Map<SourceId, Set<string>>): MovieContext[] {
    const byId = new Map<string, MovieContext>();
    for (const film of opts.films) byId.set(film.id, { ...film, ids: { ...film.ids } });
    for (const ids of discovered.values()) {
      for (const id of ids) {
        if (byId.has(id)) continue;
        const context = opts.contextFor?.(id) ?? contextFromId(id);
        if (context) byId.set(context.id, context);
      }
    }
    let list = [...byId.values()];
    if (opts.onlyFilms?.length) {
      const wanted = new Set(opts.onlyFilms);
      list = list.filter((f) => wanted.has(f.id));
      for (const id of wanted) if (!list.some((f) => f.id === id)) list.push(opts.contextFor?.(id) ?? contextFromId(id)!);
    }
    return list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

const emptyContext: MovieContext = { id: '', ids: {} };

/** A request not made because its source was halted earlier in the run. */
class HaltedError extends StingerError {
  readonly code = 'halted';
  readonly retryable = false;
  constructor(readonly source: string, reason: string) {
    super(`${source}: not requested, source halted (${reason})`);
  }
}

/** robots.txt of the host disallows this URL for us. */
export class RobotsDisallowedError extends StingerError {
  readonly code = 'robots-disallowed';
  readonly retryable = false;
  constructor(readonly source: string, readonly url: string) {
    super(`${source}: ${url} is disallowed by the host's robots.txt: not fetched`);
  }
}

function newStats(source: SourceId): SourceStats {
  return {
    source,
    requests: 0,
    replay: 0,
    network: 0,
    notModified: 0,
    misses: 0,
    failures: 0,
    errors: {},
    parsed: 0,
    parseFailures: 0,
    observations: 0,
    films: 0,
    filmsChanged: 0,
    fresh: 0,
    resumed: 0,
    problems: [],
    durationMs: 0,
  };
}

function count(s: SourceStats, error: StingerError): void {
  if (error instanceof HaltedError) return;
  s.failures++;
  s.errors[error.code] = (s.errors[error.code] ?? 0) + 1;
  if (PARSE_FAILURE_CODES.has(error.code)) s.parseFailures++;
}

function normalizeParseOutput(output: ParsedObservation[] | ParseOutput): ParseOutput {
  return Array.isArray(output) ? { observations: output, problems: [] } : output;
}

/** `${source}\0${film}` → that source's observations of that film. */
function indexObservations(observations: readonly Observation[]): Map<string, Observation[]> {
  const index = new Map<string, Observation[]>();
  for (const o of observations) {
    const key = `${o.source}\u0000${o.movie}`;
    const list = index.get(key);
    if (list) list.push(o);
    else index.set(key, [o]);
  }
  return index;
}

/** Change-feed mentions (by any id) → the film ids they mean, per source. */
function changedFilmIds(films: readonly MovieContext[], mentions: Map<SourceId, MovieIds[]>): Map<SourceId, Set<string>> {
  const out = new Map<SourceId, Set<string>>();
  for (const [source, ids] of mentions) {
    const tmdb = new Set(ids.map((i) => i.tmdb).filter((v) => v !== undefined));
    const imdb = new Set(ids.map((i) => i.imdb).filter((v) => v !== undefined));
    out.set(source, new Set(films.filter((f) => (f.ids.tmdb !== undefined && tmdb.has(f.ids.tmdb)) || (f.ids.imdb !== undefined && imdb.has(f.ids.imdb))).map((f) => f.id)));
  }
  return out;
}

export function contextFromId(id: string): MovieContext | undefined {
  if (/^tt\d+$/.test(id)) return { id, ids: { imdb: id } };
  const tmdb = /^tmdb:(\d+)$/.exec(id);
  if (tmdb) return { id, ids: { tmdb: Number(tmdb[1]) } };
  return undefined;
}

/** The first id on which a response disagrees with the film asked for (IMDb and TMDB ids are authoritative). */
function identityMismatch(known: MovieIds, claimed: MovieIds): { expected: string; got: string } | null {
  if (known.imdb && claimed.imdb && known.imdb !== claimed.imdb) return { expected: known.imdb, got: claimed.imdb };
  if (known.tmdb && claimed.tmdb && known.tmdb !== claimed.tmdb) return { expected: `tmdb:${known.tmdb}`, got: `tmdb:${claimed.tmdb}` };
  return null;
}

/** Ids a response gives (an IMDb id from TMDB, a slug from Wikidata) are known to the sources that follow. */
function learnIds(film: MovieContext, observation: Observation): void {
  for (const [key, value] of Object.entries(observation.ids) as [keyof MovieIds, never][]) {
    if (value !== undefined && film.ids[key] === undefined) film.ids[key] = value;
  }
  if (observation.kind === 'details') {
    if (!film.title && observation.title) film.title = observation.title;
    if (!film.year && observation.year) film.year = observation.year;
    if (!film.releaseDate && observation.releaseDate) film.releaseDate = observation.releaseDate;
  }
}
