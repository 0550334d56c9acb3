/**
 * Quality gates: a snapshot is refused — nothing written, the previous snapshot stays — when the run looks
 * degraded, with a report that says why:
 * - a source that ran and returned nothing (every request failed, nothing filed);
 * - a source whose parse-failure rate jumped (the sign of a layout change);
 * - coverage of any field, or the number of films, falling by more than `COVERAGE_DROP` from the previous
 *   snapshot.
 * `--force-publish` publishes anyway once a person has read the report. Records that fail the schema,
 * duplicate or malformed ids are refused by publish itself, always (consumers would break).
 */
import type { Manifest } from '../publish/manifest.ts';
import type { CollectResult } from './collect.ts';
import type { RunRecord } from './state.ts';

/** Largest tolerated relative fall of a field's coverage (or of the film count) between snapshots. */
export const COVERAGE_DROP = 0.1;
/** Fields covered by fewer films than this in the previous snapshot are too small to judge. */
export const COVERAGE_MIN = 20;
/** A parse-failure rate this high, and at least double (+5 points) the previous run's, is a layout change. */
export const PARSE_FAILURE_RATE = 0.2;
/** Responses needed before a rate means anything. */
export const PARSE_FAILURE_MIN_RESPONSES = 5;

export interface GateFailure {
  gate: 'source-returned-nothing' | 'parse-failures' | 'coverage-drop';
  message: string;
}

export function checkGates(input: {
  collect?: CollectResult;
  previousRun?: RunRecord;
  previousManifest: Manifest | null;
  /** Coverage of the candidate snapshot: field → films. */
  coverage: Record<string, number>;
  movies: number;
}): GateFailure[] {
  const failures: GateFailure[] = [];
  for (const s of input.collect?.stats ?? []) {
    if (s.skipped && !s.skipped.startsWith('halted')) continue;
    if (s.requests > 0 && s.observations === 0 && s.parsed === 0 && s.notModified === 0 && s.failures > 0) {
      const errors = Object.entries(s.errors).map(([code, n]) => `${code} ${n}`).join(', ');
      failures.push({ gate: 'source-returned-nothing', message: `${s.source} returned nothing: ${s.requests} requests, ${s.failures} failed (${errors})` });
      continue;
    }
    const responses = s.parsed + s.parseFailures;
    if (responses < PARSE_FAILURE_MIN_RESPONSES) continue;
    const rate = s.parseFailures / responses;
    const before = input.previousRun?.sources[s.source];
    const previousRate = before && before.parsed + before.parseFailures > 0 ? before.parseFailures / (before.parsed + before.parseFailures) : 0;
    if (rate >= PARSE_FAILURE_RATE && rate >= previousRate * 2 + 0.05) {
      failures.push({
        gate: 'parse-failures',
        message: `${s.source}: ${s.parseFailures} of ${responses} responses could not be read (${pct(rate)}, previous run ${pct(previousRate)}) — a layout change? ${s.problems[0] ?? ''}`.trim(),
      });
    }
  }
  const previous = input.previousManifest;
  if (previous) {
    const fall = (before: number, after: number) => (before > 0 ? (before - after) / before : 0);
    if (previous.counts.movies >= COVERAGE_MIN && fall(previous.counts.movies, input.movies) > COVERAGE_DROP) {
      failures.push({ gate: 'coverage-drop', message: `films: ${previous.counts.movies} → ${input.movies} (−${pct(fall(previous.counts.movies, input.movies))})` });
    }
    for (const [field, before] of Object.entries(previous.coverage?.fields ?? {})) {
      const after = input.coverage[field] ?? 0;
      if (before >= COVERAGE_MIN && fall(before, after) > COVERAGE_DROP) {
        failures.push({ gate: 'coverage-drop', message: `${field}: ${before} → ${after} films (−${pct(fall(before, after))})` });
      }
    }
  }
  return failures;
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

export function formatGateReport(failures: readonly GateFailure[]): string[] {
  return failures.map((f) => `- ${f.gate}: ${f.message}`);
}
