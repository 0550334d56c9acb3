/**
 * Scores: one group per scoring site (Metacritic, Rotten Tomatoes, IMDb, TMDB), each taken whole from one
 * observation so that its `source` and `observedAt` say exactly where its numbers come from.
 *
 * Which observation: a direct one (the site's own page or API) beats a relayed one (OMDb's copy of the
 * Tomatometer, Wikidata's review scores); among direct ones the most recent wins. Relayed ones are ranked in the
 * order the score catalogue gives a group's relays, then by recency: when Wikidata was fetched says nothing of
 * when its score was measured (often years before), so a fresh fetch of it must not beat OMDb's current copy. Other
 * observations whose primary score is further from the winner's than the catalogue's `disagreement` are
 * reported, not merged. Which scores a group has, and which source is direct for it, is the score
 * catalogue's (`src/schema/scores.ts`). Zero votes is a missing score; a field the winning source does not
 * carry at all is missing (null).
 */
import type { Scores } from '../schema/movie.ts';
import { SOURCE_IDS, type SourceId } from '../schema/sources.ts';
import type { Observation, ScoreObservation } from '../schema/observation.ts';
import { SCORE_GROUPS, primaryScore, scoresOf, type ScoreGroup } from '../schema/scores.ts';
import { byPrecedence } from './merge.ts';

/** Whose copy of a group wins: the site's own, then its relays (preferred first), then any other in the sources' order. */
function scorePrecedence(group: ScoreGroup): SourceId[] {
  const { direct, relays } = SCORE_GROUPS[group];
  const first: SourceId[] = [direct, ...relays];
  return [...first, ...SOURCE_IDS.filter((s) => !first.includes(s))];
}

export interface ScoreDisagreement {
  group: ScoreGroup;
  winner: { source: SourceId; value: number | null; observedAt: string };
  other: { source: SourceId; value: number | null; observedAt: string };
}

/** An observation's value of its group's primary score (the one disagreements are measured on). */
export function primaryValue(o: ScoreObservation): number | null {
  return ((o as Record<string, unknown>)[primaryScore(o.group).field] as number | null | undefined) ?? null;
}

export function pickScores(observations: readonly Observation[]): { scores: Scores; disagreements: ScoreDisagreement[] } {
  const scores: Scores = {};
  const disagreements: ScoreDisagreement[] = [];
  const byGroup = new Map<ScoreGroup, ScoreObservation[]>();
  for (const o of observations) {
    if (o.kind !== 'score') continue;
    const list = byGroup.get(o.group) ?? [];
    list.push(o);
    byGroup.set(o.group, list);
  }
  for (const [group, list] of byGroup) {
    const ordered = byPrecedence(list, scorePrecedence(group));
    const winner = ordered[0]!;
    (scores as Record<string, unknown>)[group] = toGroup(winner);
    const winnerValue = primaryValue(winner);
    for (const other of ordered.slice(1)) {
      const value = primaryValue(other);
      if (value === null && winnerValue === null) continue;
      if (value !== null && winnerValue !== null && Math.abs(value - winnerValue) <= primaryScore(group).disagreement!) continue;
      if (value === null || winnerValue === null) {
        // One source has a score the other lacks: worth showing only when the winner lacks it.
        if (winnerValue !== null) continue;
      }
      disagreements.push({
        group,
        winner: { source: winner.source, value: winnerValue, observedAt: winner.observedAt },
        other: { source: other.source, value, observedAt: other.observedAt },
      });
    }
  }
  return { scores, disagreements };
}

/**
 * A group from its winning observation: each score of the catalogue's group with its count. A count of null
 * (the source says nobody voted or reviewed) makes the score missing; counts are optional keys, present only
 * when the source gives a real (non-zero) one.
 */
function toGroup(o: ScoreObservation): NonNullable<Scores[keyof Scores]> {
  const values = o as unknown as Record<string, number | null | undefined>;
  const group: Record<string, unknown> = {};
  for (const score of scoresOf(o.group)) {
    const count = values[score.count];
    group[score.field] = count === null ? null : (values[score.field] ?? null);
    if (count) group[score.count] = count;
  }
  return { ...group, source: o.source, observedAt: o.observedAt } as NonNullable<Scores[keyof Scores]>;
}
