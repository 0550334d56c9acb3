/**
 * Scores: one group per scoring site (Metacritic, Rotten Tomatoes, IMDb, TMDB), each taken whole from one
 * observation so that its `source` and `observedAt` say exactly where its numbers come from.
 *
 * Which observation: a direct one (the site's own page or API) beats a relayed one (OMDb's copy of the
 * Tomatometer, Wikidata's review scores); among direct ones the most recent wins. Relayed ones are ranked by
 * `SCORE_PRECEDENCE` first, then recency: when Wikidata was fetched says nothing of when its score was
 * measured (often years before), so a fresh fetch of it must not beat OMDb's current copy. Other
 * observations that disagree with the winner by more than `DISAGREEMENT` are reported, not merged.
 * Zero votes is a missing score; a field the winning source does not carry at all is missing (null).
 */
import type { SourceId } from '../schema/sources.ts';
import type { Scores } from '../schema/movie.ts';
import type { Observation, ScoreGroup, ScoreObservation } from '../schema/observation.ts';
import { compareObservedAt } from '../lib/dates.ts';

/** The site whose own observation of a group is direct. */
export const DIRECT_SOURCE: Readonly<Record<ScoreGroup, SourceId>> = {
  tmdb: 'tmdb',
  imdb: 'imdb',
  rottenTomatoes: 'rottentomatoes',
  metacritic: 'metacritic',
};

/** Order of relayed sources (and the tie-break between direct ones of the same date). */
export const SCORE_PRECEDENCE: readonly SourceId[] = ['rottentomatoes', 'metacritic', 'imdb', 'tmdb', 'omdb', 'wikidata'];

/** Differences worth reporting between two sources' copies of one score (points on the score's own scale). */
export const DISAGREEMENT: Readonly<Record<ScoreGroup, number>> = { tmdb: 0.5, imdb: 0.3, rottenTomatoes: 3, metacritic: 3 };

export interface ScoreDisagreement {
  group: ScoreGroup;
  winner: { source: SourceId; value: number | null; observedAt: string };
  other: { source: SourceId; value: number | null; observedAt: string };
}

const PRIMARY: Readonly<Record<ScoreGroup, string>> = { tmdb: 'voteAverage', imdb: 'rating', rottenTomatoes: 'tomatometer', metacritic: 'metascore' };

export function primaryValue(o: ScoreObservation): number | null {
  return ((o as Record<string, unknown>)[PRIMARY[o.group]] as number | null | undefined) ?? null;
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
    const rank = (o: ScoreObservation) => (o.source === DIRECT_SOURCE[group] ? 0 : 1);
    const prec = (o: ScoreObservation) => {
      const i = SCORE_PRECEDENCE.indexOf(o.source);
      return i === -1 ? SCORE_PRECEDENCE.length : i;
    };
    const ordered = [...list].sort(
      (a, b) =>
        rank(a) - rank(b) ||
        (rank(a) === 1 ? prec(a) - prec(b) : 0) ||
        compareObservedAt(b.observedAt, a.observedAt) ||
        prec(a) - prec(b),
    );
    const winner = ordered[0]!;
    (scores as Record<string, unknown>)[group] = toGroup(winner);
    const winnerValue = primaryValue(winner);
    for (const other of ordered.slice(1)) {
      const value = primaryValue(other);
      if (value === null && winnerValue === null) continue;
      if (value !== null && winnerValue !== null && Math.abs(value - winnerValue) <= DISAGREEMENT[group]) continue;
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

function toGroup(o: ScoreObservation): NonNullable<Scores[keyof Scores]> {
  const base = { source: o.source, observedAt: o.observedAt };
  // Counts are optional keys: present only when the source gives a real (non-zero) count.
  const withCount = (key: string, value: number | null | undefined) => (value ? { [key]: value } : {});
  switch (o.group) {
    case 'tmdb': {
      // voteCount null = the source says nobody voted: the average is not a score.
      return { voteAverage: o.voteCount === null ? null : o.voteAverage, ...withCount('voteCount', o.voteCount), ...base };
    }
    case 'imdb':
      return { rating: o.votes === null ? null : o.rating, ...withCount('votes', o.votes), ...base };
    case 'rottenTomatoes':
      return {
        tomatometer: o.tomatometer ?? null,
        ...withCount('criticCount', o.criticCount),
        audienceScore: o.audienceScore ?? null,
        ...withCount('audienceCount', o.audienceCount),
        ...base,
      };
    case 'metacritic':
      return {
        metascore: o.metascore ?? null,
        ...withCount('criticCount', o.criticCount),
        userScore: o.userScore ?? null,
        ...withCount('userCount', o.userCount),
        ...base,
      };
  }
}
