/**
 * Scheduling: is a (source, film) pair due? Derived from the age of what the source last said about the film
 * and the source's refresh policy (a TTL in days per observation kind), from the run state's record of the
 * last attempt, and from change feeds.
 *
 * - never asked → due;
 * - the last attempt failed → retried after a backoff that doubles with each consecutive failure (1 h, 2 h,
 *   4 h… up to the source's default TTL), so a broken source is not hammered night after night;
 * - asked, nothing to say (not found, not recorded) → asked again after the default TTL;
 * - answered → due when the oldest kind it gave is older than that kind's TTL, counted from the last check
 *   (a check that found the same values refreshes nothing in the dataset but counts here);
 * - `--force`, `--movie` and a change feed's mention make it due regardless.
 *
 * A TTL counts as elapsed a little early (`TTL_TOLERANCE`): a nightly job that starts a few minutes earlier than
 * yesterday's still refreshes what is due daily. A check or an observation dated in the future of the run's
 * clock (beyond `FUTURE_SKEW_MS`: a run made with a clock set ahead, `STINGERDB_NOW=2099-…`) is treated as never
 * made, so one wrong clock cannot make everything look fresh for ever; the decision says so (`ignoredFuture`)
 * and the run report counts them.
 */
import type { Observation, ObservationKind } from '../schema/observation.ts';
import type { MovieContext, RefreshPolicy, Source } from '../scrapers/source.ts';
import { observedAtToDate } from '../lib/dates.ts';
import type { Attempt } from './state.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export type DueReason = 'forced' | 'changed' | 'new' | 'stale' | 'retry' | 'fresh' | 'backoff' | 'nothing-to-ask';

export interface DueDecision {
  due: boolean;
  reason: DueReason;
  /** Dated after the run's clock, and so treated as never made: the last check, and how many observations. */
  ignoredFuture?: { attempt: boolean; observations: number };
}

/** Clocks of two machines may disagree by this much: a date less far in the future is not "in the future". */
export const FUTURE_SKEW_MS = 5 * 60_000;
/** A TTL counts as elapsed this much early (a quarter of it, at most 6 hours): nightly runs drift by minutes. */
export function ttlTolerance(ttlMs: number): number {
  return Math.min(ttlMs / 4, 6 * HOUR_MS);
}

/** TTL in days of an observation kind under a policy. */
export function ttlDays(policy: RefreshPolicy, kind: ObservationKind | 'default', film: MovieContext, now: Date): number {
  const ttl = (kind === 'default' ? undefined : policy[kind]) ?? policy.default;
  return typeof ttl === 'function' ? ttl(film, now) : ttl;
}

export function isDue(input: {
  source: Pick<Source, 'refresh'>;
  film: MovieContext;
  /** What this source has said about this film. */
  observations: readonly Observation[];
  attempt?: Attempt;
  now: Date;
  force?: boolean;
  changed?: boolean;
}): DueDecision {
  const { source, film, now } = input;
  const future = (iso: string) => observedAtToDate(iso).getTime() > now.getTime() + FUTURE_SKEW_MS;
  const attempt = input.attempt && future(input.attempt.checkedAt) ? undefined : input.attempt;
  const observations = input.observations.filter((o) => !future(o.observedAt));
  const ignored = { attempt: attempt !== input.attempt, observations: input.observations.length - observations.length };
  const decision = decide({ source, film, observations, attempt, now, force: input.force, changed: input.changed });
  return ignored.attempt || ignored.observations ? { ...decision, ignoredFuture: ignored } : decision;
}

function decide(input: Parameters<typeof isDue>[0]): DueDecision {
  const { source, film, observations, attempt, now } = input;
  if (input.force) return { due: true, reason: 'forced' };
  if (input.changed) return { due: true, reason: 'changed' };
  const defaultTtlMs = ttlDays(source.refresh, 'default', film, now) * DAY_MS;
  const since = (iso: string) => now.getTime() - observedAtToDate(iso).getTime();
  const elapsed = (iso: string, ttlMs: number) => since(iso) >= ttlMs - ttlTolerance(ttlMs);
  if (attempt?.outcome === 'failed') {
    const backoffMs = Math.min(HOUR_MS * 2 ** Math.max(0, attempt.failures - 1), Math.max(HOUR_MS, defaultTtlMs));
    return since(attempt.checkedAt) >= backoffMs ? { due: true, reason: 'retry' } : { due: false, reason: 'backoff' };
  }
  if (observations.length === 0) {
    if (!attempt) return { due: true, reason: 'new' };
    return elapsed(attempt.checkedAt, defaultTtlMs) ? { due: true, reason: 'retry' } : { due: false, reason: 'nothing-to-ask' };
  }
  for (const kind of new Set(observations.map((o) => o.kind))) {
    const ttlMs = ttlDays(source.refresh, kind, film, now) * DAY_MS;
    // The last check counts (it found the same, or had nothing more to say); without a run state (a fresh
    // clone) the observation dates do.
    const lastChecked = attempt ? attempt.checkedAt : newest(observations.filter((o) => o.kind === kind).map((o) => o.observedAt));
    if (elapsed(lastChecked, ttlMs)) return { due: true, reason: 'stale' };
  }
  return { due: false, reason: 'fresh' };
}

function newest(dates: readonly string[]): string {
  return dates.reduce((a, b) => (observedAtToDate(b) > observedAtToDate(a) ? b : a));
}
