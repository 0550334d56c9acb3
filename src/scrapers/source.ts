/**
 * The source contract. Every upstream is one unit (`src/scrapers/<id>.ts` or `<id>/index.ts`) that exports
 * `defineSource({...})`: its hosts, politeness limits, what it needs (an API key, an opt-in), its refresh
 * policy, its terms, the requests it makes for a film (`requests`) or once per run (`discover`), and pure
 * parsers. Sources never touch the network: the pipeline executes their requests through the one HTTP
 * client, applies credentials (`auth`), follows `fallback` and `next`, and files what `parse` returns.
 */
import type { StingerError } from '../errors.ts';
import type { HostLimits } from '../http/limiter.ts';
import type { ReplayPolicy } from '../http/replay.ts';
import type { MovieIds } from '../schema/ids.ts';
import type { SourceId, SourceTerms } from '../schema/sources.ts';
import type { ObservationKind, ParsedObservation } from '../schema/observation.ts';

/** What the pipeline knows about a film when it plans requests for it. */
export interface MovieContext {
  /** stingerdb id: the IMDb id, or `tmdb:<n>`. */
  id: string;
  ids: MovieIds;
  /** Best known English title and year (for title lookups), from the watchlist or earlier observations. */
  title?: string;
  year?: number;
  releaseDate?: string;
}

/** What a parser returns when part of a response could not be read (a malformed feed line) but the rest counts. */
export interface ParseOutput {
  observations: ParsedObservation[];
  /** One line each: what was skipped and where ("line 12: not a YAML mapping"). */
  problems: string[];
  /** Films a change feed says have changed: due for this source whatever their age. */
  due?: MovieIds[];
  /** A feed that lists its whole catalogue each time says what it listed (see `FeedListing`). */
  listing?: FeedListing;
}

/**
 * What a whole-catalogue feed (the AfterCredits feed, the MCU API's films) listed in one answer, so that the
 * pipeline can tell a broken night (a scrape that shrank the feed to a few films) from films really dropped.
 */
export interface FeedListing {
  /** Entries the answer holds (malformed lines not counted). */
  entries: number;
  /** The film ids it names (IMDb ids), whether or not an entry gave an observation. */
  films: readonly string[];
  /** How many entries the feed itself says it holds, when it says so. */
  declared?: number;
}

/** What a source's discovery requests may depend on. */
export interface DiscoverContext {
  now: Date;
  /** When this source's discovery last ran successfully (ISO date-time), if ever. */
  lastCheckedAt?: string;
}

/** One request a source wants made. */
export interface SourceRequest {
  /** What it asks for, in logs and summaries ("details", "keywords", "find", "feed"). */
  label: string;
  /** The URL without credentials (the pipeline adds them through `Source.auth`). */
  url: string;
  headers?: Record<string, string>;
  /**
   * Turns a 2xx body into observations. Pure: no I/O, no clock. Throws a typed error (layout changed,
   * unexpected content, API error, no match) when the body does not hold what it should.
   */
  parse: (body: string, url: string) => ParsedObservation[] | ParseOutput;
  /**
   * Requests to make once this one has answered, given what it yielded (and the answer itself): a found
   * id's details, the sub-resources an appended response did not carry. Pure, like `parse`.
   */
  next?: (observations: ParsedObservation[], movie: MovieContext, answer: { body: string; url: string }) => SourceRequest[];
  /**
   * Requests that answer the same question, tried in order when this one is not answered: not recorded
   * (replay), HTTP 404, an API "not found", or no match in a lookup.
   */
  fallback?: SourceRequest[];
}

/** A response recorded from a source (a replay corpus entry): what it is and what it answers. */
export interface RecordedResponse {
  /** The URL it answers. */
  url: string;
  /** What kind of response it is — the corpus index's `kind`: `movie`, `credits`, `search`, `title-page`, `feed`… */
  kind: string;
  /** The film it is about, as far as the recording says. */
  movie?: { imdb?: string; tmdb?: number; rottenTomatoes?: string; metacritic?: string; title?: string; year?: number } | null;
}

/** The request a recorded response answers, and whether it is a discovery request (once per run) or a film's. */
export interface RecordedRequest {
  request: SourceRequest;
  discovery: boolean;
}

/** How long an observation of each kind stays fresh, in days (a function may depend on the film). */
export type Ttl = number | ((movie: MovieContext, now: Date) => number);
export type RefreshPolicy = Partial<Record<ObservationKind, Ttl>> & { default: Ttl };

/** How credentials are applied to a request. The key never reaches parsers, stored URLs or logs. */
export interface SourceAuth {
  /** Environment variable holding the credential. */
  env: string;
  /** Adds the credential to a request: returns the URL and headers to send. */
  apply: (url: URL, key: string) => { url: URL; headers?: Record<string, string> };
}

export interface Source {
  id: SourceId;
  /** Human name, e.g. "The Movie Database (TMDB)". */
  name: string;
  homepage: string;
  /** Hosts requests may go to (and be redirected to). */
  hosts: readonly string[];
  limits: HostLimits;
  auth?: SourceAuth;
  /** Off in live runs unless enabled with `--enable <id>` (IMDb: its terms forbid scraping); replay reads it. */
  optIn?: boolean;
  /** HTML sources read robots.txt before their first request to a host. */
  robots?: boolean;
  refresh: RefreshPolicy;
  terms: SourceTerms;
  replay?: ReplayPolicy;
  /** What it is, for the README's source table: a JSON API, HTML pages, a feed. */
  kind: 'JSON API' | 'HTML pages' | 'YAML feed' | 'JSON feed';
  /** What this source gives, one line for the README's source table. */
  gives: string;
  /** Requests for one film (a source without it only discovers). */
  requests?: (movie: MovieContext) => SourceRequest[];
  /** Requests made once per run: feeds, discovery lists, change feeds. Their observations name their films. */
  discover?: (context: DiscoverContext) => SourceRequest[];
  /** Reads an error response (HTTP ≥ 400, or 200 with an error body) into a typed error, or null if it is not one. */
  apiError?: (status: number, body: string, url: string) => StingerError | null;
  /**
   * Which of this source's requests a recorded response answers (null: none does), built with its own request
   * builders, so that the tests, the fuzzer and the benchmarks run on a recording exactly the parser a run
   * would. A request that only exists after others answered (the MCU API's scenes, read against its films) is
   * built from those answers: `answerOf(url)` gives a recorded body, or null.
   */
  requestOf?: (recorded: RecordedResponse, answerOf: (url: string) => string | null) => RecordedRequest | null;
}

/** Declares a source (identity function that checks the shape at compile time). */
export function defineSource<S extends Source>(source: S): S {
  return source;
}

/** A recorded URL's year parameter (`year=`, `y=`) as a year, when it is one. */
export function yearParam(value: string | null): number | undefined {
  return value && /^\d{4}$/.test(value) ? Number(value) : undefined;
}

/** Films released this many days ago or less have their credit scenes refreshed daily. */
export const RECENT_RELEASE_DAYS = 90;
const DAY_MS = 86_400_000;

/**
 * TTL of credit-scene evidence, shared by the sources that give it: 1 day while a film is in its first 90
 * days of release (when reports and tags arrive), 30 days after, and 30 when the release date is unknown.
 * Evaluated at planning time, so an upcoming film switches to daily on its release day.
 */
export function creditScenesTtl(movie: MovieContext, now: Date): number {
  const released = movie.releaseDate ? Date.parse(`${movie.releaseDate}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(released)) return 30;
  const age = (now.getTime() - released) / DAY_MS;
  return age >= 0 && age <= RECENT_RELEASE_DAYS ? 1 : 30;
}
