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
  HaltedError,
  RobotsDisallowedError,
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
import type { Attempt, AttemptOutcome, ListingUpdate, PendingAttempt, RunState } from './state.ts';
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
  /**
   * Wall time during which at least one of its requests was in flight (films run concurrently, so this is not
   * the sum of the requests' times: it never exceeds the run's).
   */
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
  /** Films considered (the watchlist's, the feeds', the store's): those not asked about were fresh everywhere. */
  considered: number;
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

/**
 * Runs a collection: plan (which sources run), discover, then every due film — and gives the result, whose
 * checks the caller commits with the observation files.
 */
export async function collect(options: CollectOptions): Promise<CollectResult> {
  const collection = new Collection(options);
  if (!options.onlyFilms?.length) await collection.discover();
  await collection.collectFilms();
  return collection.result();
}

/** One source's accounting during a collection. */
class SourceAccount {
  readonly stats: SourceStats;
  /** Films it filed observations of. */
  readonly films = new Set<string>();
  /** Why it was halted for the rest of the run, if it was. */
  halted: string | null = null;
  private inFlight = 0;
  private busySince = 0;

  constructor(source: SourceId) {
    this.stats = newStats(source);
  }

  /** Marks the start of a piece of its work (`durationMs` counts the time any is in flight). */
  begin(): void {
    if (this.inFlight++ === 0) this.busySince = Date.now();
  }

  end(): void {
    if (--this.inFlight === 0) this.stats.durationMs += Date.now() - this.busySince;
  }

  /** Keeps a problem line for the summary (the first few, keys removed). */
  problem(line: string): void {
    if (this.stats.problems.length < MAX_PROBLEMS) this.stats.problems.push(redactText(line));
  }

  /** Counts a failed request by its error class (a halted source's unmade requests are not failures). */
  fail(error: StingerError): void {
    if (error instanceof HaltedError) return;
    this.stats.failures++;
    this.stats.errors[error.code] = (this.stats.errors[error.code] ?? 0) + 1;
    if (PARSE_FAILURE_CODES.has(error.code)) this.stats.parseFailures++;
  }
}

/**
 * The steps of a collection, each a method: `planSources` (which sources run: opt-in, keys, limits),
 * `discover` and `collectFilms` (what is due, and asking it), `ask` (a request, its fallbacks and follow-ups),
 * `fetch` (through the journal, robots.txt and the key), `read` (the parser), `file` (validation and the store),
 * `classify` and `record` (accounting).
 */
class Collection {
  private readonly accounts = new Map<SourceId, SourceAccount>();
  private readonly active: Source[];
  private readonly robots = new Map<string, Promise<RobotsRules>>();
  /** Films change feeds mentioned, by source. */
  private readonly mentioned = new Map<SourceId, MovieIds[]>();
  /** Whole-catalogue answers of this run's discovery, by source (judged once the source's discovery is done). */
  private readonly listings = new Map<SourceId, { listing: FeedListing; at: string }>();
  /** Committed with the observation files at the end of the run, never before: a killed run's films stay due. */
  private readonly attempts: PendingAttempt[] = [];
  private readonly feeds: FeedHealth[] = [];
  private readonly listingUpdates: ListingUpdate[] = [];
  private readonly futureDated = { checks: 0, observations: 0 };
  private covered = 0;
  private considered = 0;
  private readonly log: (line: string) => void;
  private readonly now: () => number;

  constructor(private readonly options: CollectOptions) {
    this.log = options.log ?? (() => undefined);
    this.now = options.now ?? Date.now;
    this.active = this.planSources();
  }

  private account(source: SourceId): SourceAccount {
    return this.accounts.get(source)!;
  }

  private iso(): string {
    return new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** The sources that run: opt-in ones only when enabled (live), keyed ones only with their key (live). */
  private planSources(): Source[] {
    const { options } = this;
    const active: Source[] = [];
    for (const source of options.sources) {
      const account = new SourceAccount(source.id);
      this.accounts.set(source.id, account);
      // Opt-in concerns requests to the live site (IMDb's terms forbid scraping it); reading a recorded
      // corpus sends nothing, so in replay every source runs.
      if (source.optIn && !options.replay && !options.enabled?.includes(source.id)) {
        account.stats.skipped = `off unless enabled (--enable ${source.id})`;
        continue;
      }
      if (source.auth && !options.replay && !options.env[source.auth.env]) {
        account.stats.skipped = new MissingKeyError(source.id, source.auth.env).message;
        this.log(account.stats.skipped);
        continue;
      }
      options.client.configureHosts(source.hosts, options.replay ? { concurrency: 16, minIntervalMs: 0 } : source.limits);
      active.push(source);
    }
    return active;
  }

  /** Whether a pair is due (`due.ts`), counting checks and observations dated in the future. */
  private due(input: Parameters<typeof isDue>[0]): DueDecision {
    const decision = isDue(input);
    if (decision.ignoredFuture?.attempt) this.futureDated.checks++;
    this.futureDated.observations += decision.ignoredFuture?.observations ?? 0;
    return decision;
  }

  /** 1. Discovery: feeds, lists and change feeds, once per run, when due; their observations name their own films. */
  async discover(): Promise<void> {
    const { state, force } = this.options;
    for (const source of this.active) {
      if (!source.discover) continue;
      const attempt = state?.attempt(source.id, DISCOVER);
      const decision = this.due({ source, film: emptyContext, observations: [], attempt, now: new Date(this.now()), force });
      if (!decision.due) continue;
      const account = this.account(source.id);
      account.begin();
      try {
        const pair = new PairOutcome();
        const context = { now: new Date(this.now()), ...(attempt?.outcome === 'ok' && { lastCheckedAt: attempt.checkedAt }) };
        for (const request of source.discover(context)) await this.ask(source, request, null, pair);
        this.record(source, DISCOVER, pair);
        const answer = this.listings.get(source.id);
        if (answer) this.judgeListing(source, answer);
      } finally {
        account.end();
      }
    }
  }

  /** 2. Per film, each per-film source in order, when due; films run concurrently. */
  async collectFilms(): Promise<void> {
    const { options } = this;
    const perFilm = this.active.filter((s) => s.requests);
    const films = selectFilms(options, new Map([...this.accounts].map(([id, account]) => [id, account.films])));
    const plan: FilmPlan = {
      perFilm,
      changed: changedFilmIds(films, this.mentioned),
      attempts: new Map(perFilm.map((s) => [s.id, options.state?.attemptsOf(s.id) ?? new Map()])),
      observationsOf: indexObservations(options.store.all()),
      forced: options.force || Boolean(options.onlyFilms?.length),
    };
    this.considered = films.length;
    const limit = pLimit(options.concurrency ?? 8);
    let done = 0;
    // Per source, as a log line reads it: "tmdb 812 asked, 3 misses, 0 failures".
    const detail = () =>
      perFilm
        .map((s) => this.account(s.id).stats)
        .map((st) => `${st.source} ${st.requests} asked, ${st.misses} misses, ${st.failures} failures`)
        .join('; ');
    options.progress?.start('collect', films.length, detail);
    await Promise.all(
      films.map((film) =>
        limit(async () => {
          if (await this.collectFilm(film, plan)) this.covered++;
          options.progress?.update(++done, film.id);
        }),
      ),
    );
    options.progress?.done();
  }

  /** Asks every due source about one film; true when one was asked. */
  private async collectFilm(film: MovieContext, plan: FilmPlan): Promise<boolean> {
    let asked = false;
    for (const source of plan.perFilm) {
      const account = this.account(source.id);
      if (account.halted) continue;
      const decision = this.due({
        source,
        film,
        observations: plan.observationsOf.get(`${source.id}\u0000${film.id}`) ?? [],
        attempt: plan.attempts.get(source.id)!.get(film.id),
        now: new Date(this.now()),
        force: plan.forced,
        changed: plan.changed.get(source.id)?.has(film.id),
      });
      if (!decision.due) {
        account.stats.fresh++;
        continue;
      }
      asked = true;
      account.begin();
      try {
        const pair = new PairOutcome(Boolean(decision.ignoredFuture?.observations));
        for (const request of source.requests!(film)) await this.ask(source, request, film, pair);
        if (!account.halted || pair.answered || pair.failed) this.record(source, film.id, pair);
      } finally {
        account.end();
      }
    }
    return asked;
  }

  /** A request of a source, then its fallbacks until one is answered, then the follow-ups of the answer. */
  private async ask(source: Source, request: SourceRequest, film: MovieContext | null, pair: PairOutcome): Promise<void> {
    for (const candidate of [request, ...(request.fallback ?? [])]) {
      const outcome = await this.answer(source, candidate, pair);
      if (outcome.kind === 'answered') {
        pair.answered = true;
        const kept = this.file(source, outcome.parsed, outcome.response, film);
        if (outcome.due.length) this.mentioned.set(source.id, [...(this.mentioned.get(source.id) ?? []), ...outcome.due]);
        if (outcome.listing && !film) this.listings.set(source.id, { listing: outcome.listing, at: outcome.response.observedAt });
        const answer = { body: outcome.response.body, url: outcome.response.url };
        for (const next of candidate.next?.(kept, film ?? emptyContext, answer) ?? []) await this.ask(source, next, film, pair);
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
  }

  /** One request's outcome: fetched (or taken from the journal) and read. */
  private async answer(source: Source, request: SourceRequest, pair: PairOutcome): Promise<Outcome> {
    this.options.signal?.throwIfAborted();
    const account = this.account(source.id);
    if (account.halted) return { kind: 'failed', error: new HaltedError(source.id, account.halted) };
    if (source.robots && !this.options.replay && !isAllowed(await this.robotsFor(source, request.url), request.url)) {
      return this.classify(source, new RobotsDisallowedError(source.id, redactUrl(request.url)));
    }
    const fetched = await this.fetch(source, request, pair);
    if (fetched instanceof StingerError) return this.classify(source, fetched);
    if (fetched.response.status === 304) {
      account.stats.notModified++;
      return { kind: 'not-modified' };
    }
    return this.read(source, request, fetched);
  }

  /**
   * A request sent with the source's key — or its answer from the journal of an interrupted run, not fetched
   * again; a network answer is journaled as it arrives; a live request is conditional when validators are known.
   */
  private async fetch(source: Source, request: SourceRequest, pair: PairOutcome): Promise<{ response: HttpResponse; shown: string; journaled: boolean } | StingerError> {
    const { options } = this;
    const { stats } = this.account(source.id);
    stats.requests++;
    let url = new URL(request.url);
    let headers = request.headers ?? {};
    const key = source.auth ? options.env[source.auth.env] : undefined;
    if (source.auth && key && !options.replay) {
      const applied = source.auth.apply(url, key);
      url = applied.url;
      headers = { ...headers, ...applied.headers };
    }
    const shown = redactUrl(url);
    const journaled = !options.replay ? options.state?.journaledResponse(shown) : undefined;
    if (journaled) {
      stats.resumed++;
      return { response: { ...journaled, url: shown, bytes: 0, from: 'network' }, shown, journaled: true };
    }
    const conditional = !options.replay && !pair.unconditional ? options.state?.validators(shown) : undefined;
    let response: HttpResponse;
    try {
      response = await options.client.get(url.toString(), { source: source.id, allowedHosts: source.hosts, headers, ...(conditional && { conditional }) });
    } catch (error) {
      const typed = toStingerError(error);
      return typed instanceof HttpError && source.apiError ? (source.apiError(typed.status, typed.body, typed.url) ?? typed) : typed;
    }
    if (response.from === 'replay') stats.replay++;
    else {
      stats.network++;
      options.state?.journalResponse(shown, { status: response.status, headers: response.headers, body: response.body, observedAt: response.observedAt });
    }
    return { response, shown, journaled: false };
  }

  /** The parser's reading of an answer (an API error body is an error, a parser crash an internal error naming the page). */
  private read(source: Source, request: SourceRequest, { response, shown, journaled }: { response: HttpResponse; shown: string; journaled: boolean }): Outcome {
    const account = this.account(source.id);
    try {
      const apiError = source.apiError?.(response.status, response.body, response.url);
      if (apiError) return this.classify(source, apiError);
      const output = normalizeParseOutput(request.parse(response.body, response.url));
      for (const line of output.problems) account.problem(`${response.url}: ${line}`);
      account.stats.parsed++;
      if (response.from === 'network' && !journaled) {
        this.options.state?.saveValidators(shown, { etag: response.headers.etag, lastModified: response.headers['last-modified'] });
      }
      return { kind: 'answered', parsed: output.observations, response, due: output.due ?? [], ...(output.listing && { listing: output.listing }) };
    } catch (error) {
      // A parser bug is not the page's fault, but it must still say which source and page it was.
      const typed = error instanceof StingerError ? error : new InternalError(`${source.id}: ${response.url}: parser crashed — ${toStingerError(error).message}`, { cause: error });
      return this.classify(source, typed);
    }
  }

  /**
   * Files what a parser returned: each observation under the film asked about (or the film it names, for
   * discovery), validated, checked against the film's ids; returns those kept (for follow-ups).
   */
  private file(source: Source, parsed: readonly ParsedObservation[], response: HttpResponse, film: MovieContext | null): ParsedObservation[] {
    const account = this.account(source.id);
    const accepted: Observation[] = [];
    const kept: ParsedObservation[] = [];
    for (const observation of parsed) {
      const movie = film?.id ?? filmIdOf(observation.ids);
      if (!movie) {
        account.problem(`${response.url}: an observation names no film id (skipped)`);
        continue;
      }
      if (film) {
        const mismatch = identityMismatch(film.ids, observation.ids);
        if (mismatch) {
          const error = new IdentityMismatchError(source.id, response.url, mismatch.expected, mismatch.got);
          account.fail(error);
          account.problem(error.message);
          continue;
        }
      }
      const candidate = { ...observation, url: redactUrl(observation.url), movie, observedAt: response.observedAt };
      const valid = Observation.safeParse(candidate);
      if (!valid.success) {
        const error = new ValidationError(`${source.id} observation from ${response.url}`, formatIssues(valid.error.issues, 5));
        account.fail(error);
        account.problem(error.message.replace(/\n/g, ' '));
        continue;
      }
      accepted.push(valid.data);
      kept.push(observation);
      account.films.add(movie);
      if (film) learnIds(film, valid.data);
    }
    account.stats.observations += accepted.length;
    this.options.store.put(accepted);
    return kept;
  }

  /** Robots rules of a host, read once per run (live HTML sources only). */
  private robotsFor(source: Source, url: string): Promise<RobotsRules> {
    const { client } = this.options;
    const host = new URL(url).host;
    let rules = this.robots.get(host);
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
          this.account(source.id).problem(`robots.txt of ${host} unreachable (${toStingerError(error).message}): nothing fetched from it this run`);
          return DISALLOW_ALL;
        },
      );
      this.robots.set(host, rules);
    }
    return rules;
  }

  /**
   * Unanswered (not recorded, not found, no match) = try a fallback, counted as a miss; failed = stop this
   * request, counted as a failure; a refused key and long rate limits halt the source.
   */
  private classify(source: Source, error: StingerError): Outcome {
    const account = this.account(source.id);
    const unanswered =
      error instanceof NotRecordedError ||
      (error instanceof HttpError && error.status === 404) ||
      (error instanceof SourceApiError && error.kind === 'not-found') ||
      error instanceof NoMatchError;
    if (unanswered) {
      account.stats.misses++;
      if (!(error instanceof NotRecordedError)) account.problem(error.message.replace(/\n/g, ' '));
      return { kind: 'unanswered', error };
    }
    account.fail(error);
    account.problem(error.message.replace(/\n/g, ' '));
    if (error instanceof SourceApiError && error.kind === 'auth') this.halt(source, `the API refused the key (${error.apiMessage})`);
    if (error instanceof RateLimitedError) this.halt(source, `rate limited${error.retryAfterMs != null ? `, asked to wait ${Math.round(error.retryAfterMs / 1000)} s` : ''}`);
    // A quota reported in the body (OMDb's "Request limit reached!" comes with HTTP 200) halts it just the same.
    if (error instanceof SourceApiError && error.kind === 'rate-limited') this.halt(source, `rate limited (${error.apiMessage})`);
    return { kind: 'failed', error };
  }

  private halt(source: Source, reason: string): void {
    const account = this.account(source.id);
    if (account.halted) return;
    account.halted = reason;
    account.stats.skipped = `halted: ${reason}`;
    this.log(`${source.id}: halted for the rest of this run — ${reason}`);
  }

  /** Notes a (source, film) check, to be committed with the run. */
  private record(source: Source, film: string, pair: PairOutcome): void {
    this.attempts.push({ source: source.id, film, outcome: pair.value, checkedAt: this.iso(), error: pair.failed ? redactText(pair.failed.message).slice(0, 500) : null });
  }

  /** A whole-catalogue answer judged (degraded? films no longer listed?); the films it stopped listing are marked. */
  private judgeListing(source: Source, answer: { listing: FeedListing; at: string }): void {
    const { state, store } = this.options;
    const { health, update, marked } = assessListing({
      source: source.id,
      ...answer,
      rows: state?.listingsOf(source.id) ?? new Map(),
      lastHealthy: state?.lastHealthyListing(source.id),
      stored: store.bySource(source.id),
    });
    this.feeds.push(health);
    this.listingUpdates.push(update);
    store.put(marked);
  }

  result(): CollectResult {
    // Net of the whole run, like `changed` below: a film whose observation changed and changed back does not count.
    const changed = this.options.store.changedFilms();
    for (const account of this.accounts.values()) {
      account.stats.films = account.films.size;
      account.stats.filmsChanged = changed.get(account.stats.source)?.size ?? 0;
    }
    return {
      stats: [...this.accounts.values()].map((a) => a.stats),
      films: this.covered,
      considered: this.considered,
      changed: this.options.store.changedCount(),
      attempts: this.attempts,
      futureDated: this.futureDated,
      feeds: this.feeds,
      listings: this.listingUpdates,
    };
  }
}

/** What the per-film step needs, read once for all films. */
interface FilmPlan {
  perFilm: readonly Source[];
  /** Films change feeds mentioned, by source. */
  changed: Map<SourceId, Set<string>>;
  attempts: Map<SourceId, Map<string, Attempt>>;
  observationsOf: Map<string, Observation[]>;
  forced: boolean;
}

/** The films to ask about: the given ones, those discovery filed, or only `onlyFilms`; sorted by id. */
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

const emptyContext: MovieContext = { id: '', ids: {} };

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
