/**
 * What the scraper tests share: picking observations out of what a parser returned, checking each as the
 * pipeline will once it has dated and filed it, asserting a corpus entry's `expected` values key by key,
 * running a film's requests against the replayed corpus, and building broken bodies from real ones.
 *
 * Every helper asserts as it goes (with vitest's `expect`), so a test reads as what it checks.
 */
import { expect } from 'vitest';
import { decodeText } from '../../src/http/client.ts';
import type { ReplayCorpus } from '../../src/http/replay.ts';
import type { SourceId } from '../../src/schema/sources.ts';
import { Observation, type ParsedObservation } from '../../src/schema/observation.ts';
import type { MovieContext, ParseOutput, SourceRequest } from '../../src/scrapers/source.ts';
import { corpusText } from './corpus.ts';

/** An observation kind (`details`, `score`…). */
export type Kind = ParsedObservation['kind'];
/** The observations of one kind. */
export type Of<K extends Kind> = Extract<ParsedObservation, { kind: K }>;
/** A score group (`tmdb`, `imdb`, `rottenTomatoes`, `metacritic`). */
export type ScoreGroup = Of<'score'>['group'];
/** The score observations of one group. */
export type ScoreOf<G extends ScoreGroup> = Extract<Of<'score'>, { group: G }>;

// ---------------------------------------------------------------------------------------------------------
// Picking observations

/** The observation of a kind, or undefined; fails when there are several (a response says a thing once). */
export function find<K extends Kind>(observations: readonly ParsedObservation[], kind: K): Of<K> | undefined {
  const found = observations.filter((o): o is Of<K> => o.kind === kind);
  expect(found.length, `at most one ${kind} observation`).toBeLessThanOrEqual(1);
  return found[0];
}

/** The one observation of a kind; fails when there is none or several. */
export function one<K extends Kind>(observations: readonly ParsedObservation[], kind: K): Of<K> {
  const found = find(observations, kind);
  expect(found, `a ${kind} observation`).toBeDefined();
  return found!;
}

/** The score observation of a group, or undefined (a response may carry several groups); fails when there are several. */
export function scoreOf<G extends ScoreGroup>(observations: readonly ParsedObservation[], group: G): ScoreOf<G> | undefined {
  const found = observations.filter((o): o is ScoreOf<G> => o.kind === 'score' && o.group === group);
  expect(found.length, `at most one ${group} score`).toBeLessThanOrEqual(1);
  return found[0];
}

/** The one score observation of a response that gives one, which must be of `group`. */
export function onlyScore<G extends ScoreGroup>(observations: readonly ParsedObservation[], group: G): ScoreOf<G> {
  const score = one(observations, 'score');
  expect(score.group, 'the score group').toBe(group);
  return score as ScoreOf<G>;
}

/** What a request's `parse` returned, as observations; fails on problem lines (the parts a parser skipped). */
export function observationsOf(output: ParsedObservation[] | ParseOutput): ParsedObservation[] {
  if (Array.isArray(output)) return output;
  expect(output.problems).toEqual([]);
  return output.observations;
}

// ---------------------------------------------------------------------------------------------------------
// Checking observations

/** Where observations come from, and under which film the pipeline files them. */
export interface Filing {
  /** The source every observation names. */
  source: SourceId;
  /** The response every observation names; left unchecked when absent (observations of several responses). */
  url?: string;
  /**
   * The film id to file an observation under when its own ids name neither an IMDb nor a TMDB id (a Rotten
   * Tomatoes slug, a Metacritic path). Without it, such an observation fails: it could not be filed.
   */
  movie?: string;
  /** Whether no observation at all passes (a response that names no film, such as a feed index). */
  allowEmpty?: boolean;
}

/**
 * Every observation passes the observation schema once the pipeline has dated and filed it: under its own
 * IMDb id, else its TMDB id (`tmdb:<n>`), else `filing.movie`. An empty list fails unless `allowEmpty`: a
 * check of nothing checks nothing.
 */
export function expectValid(observations: readonly ParsedObservation[], filing: Filing): void {
  if (!filing.allowEmpty) expect(observations.length, 'observations to check').toBeGreaterThan(0);
  for (const o of observations) {
    expect(o.source).toBe(filing.source);
    if (filing.url !== undefined) expect(o.url).toBe(filing.url);
    const movie = o.ids.imdb ?? (o.ids.tmdb === undefined ? filing.movie : `tmdb:${o.ids.tmdb}`);
    const result = Observation.safeParse({ ...o, observedAt: '2024-02-01', movie });
    expect(result.success, `${o.kind} ${JSON.stringify(o.ids)}: ${JSON.stringify(result.error?.issues)}`).toBe(true);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Expected values of the corpus index

/** One assertion per key of a corpus entry's `expected`, each given that key's value. */
export type Asserters = Record<string, (expected: unknown) => void>;

/** Runs one assertion per key of `expected`; a key that nothing asserts fails. */
export function assertEvery(expected: Record<string, unknown>, asserters: Asserters): void {
  expect(Object.keys(expected).filter((k) => !(k in asserters)), 'expected keys without an assertion').toEqual([]);
  for (const [key, value] of Object.entries(expected)) asserters[key]!(value);
}

/** Where `sameValue` reads a value: an object, or a function giving it when the asserter runs. */
export type Holder<K extends string> = Partial<Record<K, unknown>> | (() => Partial<Record<K, unknown>>) | undefined;

/**
 * The asserter of a value read in several places — a parser's typed result and the observations made of
 * it: each holder's `key` is the expected value. An undefined holder (no observation made of an extract, a
 * record that is not a film) is not checked; a function holder is called only when the asserter runs (an
 * observation that must exist only when `expected` names one of its values).
 */
export function sameValue<K extends string>(key: K, ...holders: Holder<K>[]): (expected: unknown) => void {
  return (expected) => {
    for (const holder of holders) {
      const read = typeof holder === 'function' ? holder() : holder;
      if (read !== undefined) expect(read[key], key).toBe(expected);
    }
  };
}

/** `expected.ids` → the ids an observation carries: a null id is one the response does not give (absent). */
export function presentIds(expected: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(expected as Record<string, unknown>).filter(([, v]) => v !== null));
}

// ---------------------------------------------------------------------------------------------------------
// Replaying a film's requests

/** What a replayed crawl read. */
export interface Crawl {
  /** The corpus files that answered, in order. */
  files: string[];
  /** The URLs of the requests (or fallbacks) they answered. */
  urls: string[];
  /** Every observation parsed, each answer's checked with `expectValid`. */
  observations: ParsedObservation[];
  /** The URLs of the requests that neither they nor a fallback of theirs found a recording for. */
  unanswered: string[];
}

/**
 * Runs requests as the pipeline would: the first recorded of a request and its fallbacks answers, its body
 * decoded as the HTTP client decodes it, then its `next` requests join the queue. Each answer's observations
 * must pass `expectValid` with `filing` (and the answer's URL).
 */
export function crawl(corpus: ReplayCorpus, requests: readonly SourceRequest[], movie: MovieContext, filing: Omit<Filing, 'url'>): Crawl {
  const done: Crawl = { files: [], urls: [], observations: [], unanswered: [] };
  const queue = [...requests];
  while (queue.length > 0) {
    const request = queue.shift()!;
    const answered = [request, ...(request.fallback ?? [])].map((r) => ({ r, match: corpus.match(r.url) })).find((a) => a.match !== null);
    if (!answered) {
      done.unanswered.push(request.url);
      continue;
    }
    const { entry } = answered.match!;
    const body = decodeText(corpus.body(entry), entry.contentType);
    done.files.push(entry.file);
    done.urls.push(answered.r.url);
    const got = observationsOf(answered.r.parse(body, entry.url));
    expectValid(got, { ...filing, url: entry.url });
    done.observations.push(...got);
    queue.push(...(answered.r.next?.(got, movie, { body, url: entry.url }) ?? []));
  }
  return done;
}

// ---------------------------------------------------------------------------------------------------------
// Bodies built from real ones, and the errors they raise

/** A real body with one part replaced; fails when nothing changed (an edit that misses tests nothing). */
export function edited(body: string, from: string | RegExp, to: string): string {
  const changed = body.replace(from, to);
  expect(changed, `edit ${String(from).slice(0, 60)} changed nothing`).not.toBe(body);
  return changed;
}

/** A corpus file's body with one part replaced, as `edited`. */
export function editedFile(file: string, from: string | RegExp, to: string): string {
  return edited(corpusText(file), from, to);
}

/** A corpus JSON body, edited as JSON (to build the cases the corpus does not hold). */
export function editedJson(file: string, edit: (json: Record<string, unknown>) => void): string {
  const json = JSON.parse(corpusText(file)) as Record<string, unknown>;
  edit(json);
  return JSON.stringify(json);
}

/** The error `fn` throws; fails when it throws none. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, nothing was thrown');
}
