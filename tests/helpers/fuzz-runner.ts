/**
 * The parser fuzz run, in a child process of the test so that a parser that hangs can be killed and named.
 *
 *   node --import tsx tests/helpers/fuzz-runner.ts '{"seed":1,"iterations":40}'
 *
 * For every recorded response some source parses (`parserCases`), it parses the body as recorded (the
 * reference reading), then `iterations` variants of it (`fuzz.ts`), each from a seed derived from the run's
 * seed, the file and the iteration. Before each parse it prints `{"file","iteration"}` on a line, so the
 * parent's watchdog can name the variant that never returned; the last line is the result:
 * `{"done":true,"variants","outcomes","failures","slowest"}`.
 *
 * A variant passes when the parser either throws a typed error (`StingerError`) whose message names the
 * source and the URL, or returns observations that pass the schema, carry only plain text, name the URL
 * asked for, pollute no prototype, hold no NaN, and — unless a byte-level edit could have changed a number
 * into another — say nothing the reference reading does not: every score, count, year, runtime, date,
 * id and slot claim it still gives equals the reference's, and a `null` (the source says "missing") only
 * where the reference says null. Each parse must end within `maxMs`.
 */
import { StingerError } from '../../src/errors.ts';
import { Observation, type ParsedObservation } from '../../src/schema/observation.ts';
import { formatOf, INJECTED_FILMS, mutate, seededRandom, variantSeed } from './fuzz.ts';
import { outputOf, parserCases, servedText, type ParserCase } from './parsers.ts';
import { textProblems } from './plain-text.ts';

/** What the parent asks for. */
export interface FuzzConfig {
  seed: number;
  /** Variants per recorded response (a tenth of it for the slow ones, at least 5). */
  iterations: number;
  /** Only files whose path contains this. */
  only?: string;
  /** A single iteration to replay (with `only`). */
  iteration?: number;
  /** Longest parse, in ms. */
  maxMs: number;
}

/** One variant that broke a property. */
export interface FuzzFailure {
  file: string;
  iteration: number;
  steps: string[];
  problem: string;
}

/** The last line the runner prints. */
export interface FuzzResult {
  done: true;
  variants: number;
  /** Outcomes by kind: `observations`, or the error code thrown. */
  outcomes: Record<string, number>;
  failures: FuzzFailure[];
  /** Failures in all (only the first 200 are listed). */
  failureCount: number;
  slowest: { file: string; iteration: number; ms: number };
  /** Recorded responses fuzzed (after sampling the large families). */
  cases: number;
  /** Captures left out by sampling. */
  sampledOut: number;
}

type Outcome = { ok: true; observations: ParsedObservation[]; problems: unknown[] } | { ok: false; error: unknown };

function run(c: ParserCase, body: string): Outcome {
  try {
    const output = outputOf(c.parse(body, c.url));
    return { ok: true, observations: output.observations, problems: output.problems };
  } catch (error) {
    return { ok: false, error };
  }
}

const SCORE_FIELDS = ['voteAverage', 'voteCount', 'rating', 'votes', 'tomatometer', 'criticCount', 'audienceScore', 'audienceCount', 'metascore', 'userScore', 'userCount'];
/** Compared like scores, except that a null (not given) is allowed where the reference had a value. */
const DETAIL_FIELDS = ['year', 'runtimeMinutes', 'releaseDate', 'usTheatricalDate', 'during', 'after'];

function filmKey(o: ParsedObservation): string {
  const ids = o.ids;
  return ids.imdb ?? (ids.tmdb !== undefined ? `tmdb:${ids.tmdb}` : undefined) ?? ids.rottenTomatoes ?? ids.metacritic ?? ids.wikidata ?? '';
}

function kindKey(o: ParsedObservation): string {
  return `${o.kind}${o.kind === 'score' ? `:${o.group}` : ''}`;
}

function nonFinite(value: unknown): boolean {
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'number' && !Number.isFinite(v)) return true;
    if (v !== null && typeof v === 'object') stack.push(...Object.values(v));
  }
  return false;
}

/** What is wrong with a variant's observations, compared with the reference reading when `compare`. */
function outputProblems(c: ParserCase, outcome: Extract<Outcome, { ok: true }>, reference: Outcome, compare: boolean): string[] {
  const problems: string[] = [];
  if (!Array.isArray(outcome.observations)) return ['observations is not an array'];
  if (!outcome.problems.every((p) => typeof p === 'string')) problems.push('a problem line is not a string');
  for (const line of outcome.problems) if (typeof line === 'string' && UNPRINTABLE.test(line)) problems.push(`a problem line carries a control or bidi character: ${JSON.stringify(line.slice(0, 200))}`);
  const byKey = new Map<string, ParsedObservation[]>();
  if (reference.ok) for (const o of reference.observations) byKey.set(`${kindKey(o)}|${filmKey(o)}`, [...(byKey.get(`${kindKey(o)}|${filmKey(o)}`) ?? []), o]);
  for (const o of outcome.observations) {
    const what = `${kindKey(o)} of ${filmKey(o) || 'no film'}`;
    if (Object.getPrototypeOf(o) !== Object.prototype) problems.push(`${what}: not a plain object`);
    if (o.source !== c.source) problems.push(`${what}: source ${String(o.source)}`);
    if (o.url !== c.url) problems.push(`${what}: url ${String(o.url).slice(0, 100)} is not the one asked for`);
    if (nonFinite(o)) problems.push(`${what}: a NaN or infinite number`);
    if (JSON.stringify(o).includes('polluted')) problems.push(`${what}: carries an injected __proto__/constructor member`);
    const valid = Observation.safeParse({ ...o, movie: 'tt0000001', observedAt: '2026-01-01' });
    if (!valid.success) problems.push(`${what}: fails the schema (${valid.error.issues.slice(0, 2).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
    for (const line of textProblems({ ...o, url: undefined })) problems.push(`${what}: ${line}`);
    if (!compare || !reference.ok || INJECTED_FILMS.has(filmKey(o))) continue;

    // The same film's reading of the same kind in the reference, or the only one of its kind (the variant may have lost the ids).
    const sameKind = reference.observations.filter((r) => kindKey(r) === kindKey(o));
    const match = byKey.get(`${kindKey(o)}|${filmKey(o)}`)?.[0] ?? (sameKind.length === 1 ? sameKind[0] : undefined);
    if (!match) {
      problems.push(`${what}: the recorded body gives no such observation`);
      continue;
    }
    const got = o as unknown as Record<string, unknown>;
    const want = match as unknown as Record<string, unknown>;
    for (const [key, id] of Object.entries(o.ids)) {
      if ((match.ids as Record<string, unknown>)[key] !== id) problems.push(`${what}: ids.${key} ${String(id)} (recorded: ${String((match.ids as Record<string, unknown>)[key])})`);
    }
    for (const field of [...SCORE_FIELDS, ...DETAIL_FIELDS]) {
      if (!(field in got)) continue;
      const value = got[field];
      if (value === null && (want[field] === null || DETAIL_FIELDS.includes(field))) continue;
      if (value !== want[field]) problems.push(`${what}: ${field} ${JSON.stringify(value)} (recorded: ${JSON.stringify(want[field])})`);
    }
  }
  return problems;
}

// What a log line must not carry as it is (a terminal escape, a bidi override): newlines and tabs are fine.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

function errorProblems(c: ParserCase, error: unknown): string[] {
  if (!(error instanceof StingerError)) {
    const e = error as Error;
    return [`uncaught ${e?.constructor?.name ?? typeof error}: ${String(e?.message ?? error).slice(0, 200)}`];
  }
  const problems: string[] = [];
  if (!error.message.includes(c.source)) problems.push(`${error.code} error does not name the source: ${error.message.slice(0, 200)}`);
  if (!error.message.includes(c.url)) problems.push(`${error.code} error does not name the URL: ${error.message.slice(0, 200)}`);
  if (UNPRINTABLE.test(error.message)) problems.push(`${error.code} error message carries a control or bidi character: ${JSON.stringify(error.message.slice(0, 200))}`);
  if (error.message.length > 4_000) problems.push(`${error.code} error message is ${error.message.length} characters long`);
  return problems;
}

/** An API source's error-body reader must never throw, whatever the body. */
function apiErrorProblems(c: ParserCase, body: string): string[] {
  if (!c.apiError) return [];
  const problems: string[] = [];
  for (const status of [200, 404, 500]) {
    try {
      const error = c.apiError(status, body, c.url);
      if (error !== null) problems.push(...errorProblems(c, error).map((p) => `apiError(${status}): ${p}`));
    } catch (error) {
      problems.push(`apiError(${status}) threw ${(error as Error)?.constructor?.name}: ${String((error as Error)?.message).slice(0, 200)}`);
    }
  }
  return problems;
}

/** The recorded bodies a case is fuzzed from: a large feed is cut into windows of whole lines (each its own reference). */
function basesOf(body: string): string[] {
  if (formatOf(body) !== 'yaml' || body.length < 64 * 1024) return [body];
  const lines = body.split('\n');
  const size = 150;
  return Array.from({ length: 8 }, (_, i) => lines.slice(Math.floor((i * lines.length) / 8), Math.floor((i * lines.length) / 8) + size).join('\n'));
}

/** A family larger than this (captures of one URL: the feed's nightly history) is fuzzed through a sample. */
export const FAMILY_SAMPLE = 4;

/**
 * The cases a run fuzzes: every recorded response, except that the captures of one URL beyond
 * `FAMILY_SAMPLE` (192 nights of the same feed are one parser on near-identical bodies) are sampled — the
 * newest capture, the smallest (a broken night) and a seeded choice of the rest, so another seed fuzzes other
 * nights. `only` fuzzes every file it names, unsampled.
 */
export function fuzzedCases(cases: readonly ParserCase[], seed: number, only?: string): { cases: ParserCase[]; sampledOut: number } {
  if (only) return { cases: cases.filter((c) => c.entry.file.includes(only)), sampledOut: 0 };
  const families = new Map<string, ParserCase[]>();
  for (const c of cases) {
    const key = `${c.source} ${c.url}`;
    families.set(key, [...(families.get(key) ?? []), c]);
  }
  const kept = new Set<ParserCase>();
  for (const family of families.values()) {
    if (family.length <= FAMILY_SAMPLE) {
      for (const c of family) kept.add(c);
      continue;
    }
    const byDate = [...family].sort((a, b) => (a.entry.capturedAt < b.entry.capturedAt ? -1 : a.entry.capturedAt > b.entry.capturedAt ? 1 : 0));
    kept.add(byDate.at(-1)!);
    const sizes = byDate.map((c) => ({ c, size: servedText(c.entry).length }));
    kept.add(sizes.reduce((a, b) => (b.size < a.size ? b : a)).c);
    const random = seededRandom(variantSeed(seed, byDate[0]!.url, -1));
    const rest = byDate.filter((c) => !kept.has(c));
    while (rest.length > 0 && [...kept].filter((c) => family.includes(c)).length < FAMILY_SAMPLE) {
      kept.add(rest.splice(Math.floor(random() * rest.length), 1)[0]!);
    }
  }
  const chosen = cases.filter((c) => kept.has(c));
  return { cases: chosen, sampledOut: cases.length - chosen.length };
}

function main(config: FuzzConfig): FuzzResult {
  const { cases, sampledOut } = fuzzedCases(parserCases(), config.seed, config.only);
  const result: FuzzResult = { done: true, variants: 0, outcomes: {}, failures: [], failureCount: 0, slowest: { file: '', iteration: -1, ms: 0 }, cases: cases.length, sampledOut };
  const fail = (failure: FuzzFailure) => {
    result.failureCount++;
    if (result.failures.length < 200) result.failures.push(failure);
  };
  for (const c of cases) {
    const bases = basesOf(servedText(c.entry)).map((body) => ({ body, reference: run(c, body), format: formatOf(body) }));
    const started = performance.now();
    run(c, bases[0]!.body);
    // Slow parsers (a 1 MB page, the whole feed) get fewer variants, so the run stays within its budget.
    const iterations = performance.now() - started > 20 ? Math.max(5, Math.ceil(config.iterations / 10)) : config.iterations;
    const first = config.iteration ?? 0;
    const last = config.iteration ?? iterations - 1;
    for (let iteration = first; iteration <= last; iteration++) {
      const base = bases[iteration % bases.length]!;
      const variant = mutate(base.body, base.format, seededRandom(variantSeed(config.seed, c.entry.file, iteration)));
      process.stdout.write(`${JSON.stringify({ file: c.entry.file, iteration })}\n`);
      const t0 = performance.now();
      const outcome = run(c, variant.body);
      const ms = performance.now() - t0;
      result.variants++;
      const kind = outcome.ok ? 'observations' : outcome.error instanceof StingerError ? outcome.error.code : 'uncaught';
      result.outcomes[kind] = (result.outcomes[kind] ?? 0) + 1;
      if (ms > result.slowest.ms) result.slowest = { file: c.entry.file, iteration, ms: Math.round(ms) };
      const problems = [
        ...(ms > config.maxMs ? [`the parse took ${Math.round(ms)} ms (limit ${config.maxMs})`] : []),
        ...(outcome.ok ? outputProblems(c, outcome, base.reference, variant.keepsValues) : errorProblems(c, outcome.error)),
        ...apiErrorProblems(c, variant.body),
        ...(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted') ? ['Object.prototype was polluted'] : []),
      ];
      for (const problem of problems) fail({ file: c.entry.file, iteration, steps: variant.steps, problem });
    }
  }
  return result;
}

const config = JSON.parse(process.argv[2] ?? '{}') as Partial<FuzzConfig>;
process.stdout.write(`${JSON.stringify(main({ seed: 1, iterations: 40, maxMs: 2000, ...config }))}\n`);
