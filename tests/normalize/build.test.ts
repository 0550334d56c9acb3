import { describe, expect, it } from 'vitest';
import { buildMovies } from '../../src/normalize/build.ts';
import { groupObservations } from '../../src/normalize/identity.ts';
import { mergeDetails } from '../../src/normalize/merge.ts';
import { pickScores } from '../../src/normalize/scores.ts';
import { stableStringify } from '../../src/lib/json.ts';
import { Observation } from '../../src/schema/observation.ts';

/** Hand-built observations, validated like stored ones so a typo cannot make a test pass. */
function obs(partial: Record<string, unknown>): Observation {
  return Observation.parse({ url: 'https://api.themoviedb.org/3/movie/1', observedAt: '2024-01-01', ids: {}, ...partial });
}

describe('identity', () => {
  it('merges a film filed under its TMDB id with the same film filed under its IMDb id', () => {
    const { groups, conflicts } = groupObservations([
      obs({ source: 'tmdb', movie: 'tmdb:550', kind: 'ids', ids: { tmdb: 550, imdb: 'tt0137523' } }),
      obs({ source: 'aftercredits', movie: 'tt0137523', kind: 'creditScenes', ids: { imdb: 'tt0137523' }, during: null, after: true, strength: 'strong', scenes: [] }),
    ]);
    expect(conflicts).toEqual([]);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.id).toBe('tt0137523');
    expect(groups[0]!.keys).toEqual(['tmdb:550', 'tt0137523']);
  });

  it('never merges two IMDb ids: the link is reported as a conflict', () => {
    const { groups, conflicts } = groupObservations([
      obs({ source: 'tmdb', movie: 'tmdb:7', kind: 'ids', ids: { tmdb: 7, imdb: 'tt0000001' } }),
      obs({ source: 'wikidata', movie: 'tt0000002', kind: 'ids', ids: { tmdb: 7, imdb: 'tt0000002' } }),
    ]);
    expect(groups.map((g) => g.id).sort()).toEqual(['tt0000001', 'tt0000002']);
    expect(conflicts).toEqual([{ ids: ['tt0000001', 'tt0000002'], via: { source: 'wikidata', url: 'https://api.themoviedb.org/3/movie/1' } }]);
  });

  it('reports the films known only by a TMDB id, naming an IMDb-id film of the same title and year (Wonka, filed twice)', () => {
    const { movies, report } = buildMovies([
      obs({ source: 'tmdb', movie: 'tmdb:787699', kind: 'details', ids: { tmdb: 787699 }, title: 'Wonka', year: 2023 }),
      obs({ source: 'tmdb', movie: 'tmdb:940551', kind: 'details', ids: { tmdb: 940551 }, title: 'Migration', year: 2023 }),
      obs({ source: 'watchlist', url: 'https://github.com/stingerdb/stingerdb/blob/main/watchlist.json', movie: 'tt6166392', kind: 'details', ids: { imdb: 'tt6166392' }, title: 'Wonka', year: 2023 }),
    ]);
    expect(movies.map((m) => m.id)).toEqual(['tmdb:787699', 'tmdb:940551', 'tt6166392']);
    expect(report.unlinked).toEqual([
      { id: 'tmdb:787699', title: 'Wonka', year: 2023, sameTitleAs: 'tt6166392' },
      { id: 'tmdb:940551', title: 'Migration', year: 2023 },
    ]);
    expect(report.unlinkedCount).toBe(2);
    // Once an observation links them, they are one record.
    const linked = buildMovies([
      obs({ source: 'tmdb', movie: 'tmdb:787699', kind: 'details', ids: { tmdb: 787699, imdb: 'tt6166392' }, title: 'Wonka', year: 2023 }),
      obs({ source: 'watchlist', url: 'https://github.com/stingerdb/stingerdb/blob/main/watchlist.json', movie: 'tt6166392', kind: 'details', ids: { imdb: 'tt6166392' }, title: 'Wonka', year: 2023 }),
    ]);
    expect(linked.movies.map((m) => m.id)).toEqual(['tt6166392']);
    expect(linked.report.unlinked).toEqual([]);
  });

  it('keeps a film without an IMDb id under its TMDB id', () => {
    const { groups } = groupObservations([obs({ source: 'tmdb', movie: 'tmdb:1236474', kind: 'ids', ids: { tmdb: 1236474 } })]);
    expect(groups.map((g) => g.id)).toEqual(['tmdb:1236474']);
  });
});

describe('merge', () => {
  it('takes each field from the first source in precedence order, the newest observation within a source', () => {
    const merged = mergeDetails('tt0000001', [
      obs({ source: 'omdb', movie: 'tt0000001', kind: 'details', title: 'OMDb Title', runtimeMinutes: 100, year: 2001 }),
      obs({ source: 'tmdb', movie: 'tt0000001', kind: 'details', title: 'Old TMDB Title', observedAt: '2020-01-01' }),
      obs({ source: 'tmdb', movie: 'tt0000001', kind: 'details', title: 'TMDB Title', observedAt: '2024-06-01', runtimeMinutes: null }),
    ]);
    expect(merged.title).toBe('TMDB Title');
    expect(merged.runtimeMinutes).toBe(100); // TMDB says unknown (null): the next source fills it
    expect(merged.year).toBe(2001);
  });

  it('falls back to the original title when only a localised response is known', () => {
    const merged = mergeDetails('tt0095016', [
      obs({ source: 'tmdb', movie: 'tt0095016', kind: 'details', localizedTitle: 'Stirb Langsam', language: 'de', originalTitle: 'Die Hard' }),
    ]);
    expect(merged.title).toBe('Die Hard');
  });

  it('reports ids on which sources disagree and keeps the higher-precedence one', () => {
    const merged = mergeDetails('tt0000001', [
      obs({ source: 'wikidata', movie: 'tt0000001', kind: 'ids', ids: { imdb: 'tt0000001', rottenTomatoes: 'm/old_slug' } }),
      obs({ source: 'rottentomatoes', movie: 'tt0000001', kind: 'ids', ids: { rottenTomatoes: 'm/new_slug' } }),
    ]);
    expect(merged.ids.rottenTomatoes).toBe('m/new_slug');
    expect(merged.idConflicts).toEqual(['rottenTomatoes: m/new_slug (rottentomatoes) vs m/old_slug (wikidata)']);
  });
});

describe('scores', () => {
  const rtPage = obs({ source: 'rottentomatoes', movie: 'tt0000011', kind: 'score', group: 'rottenTomatoes', tomatometer: 59, criticCount: 426, audienceScore: 74, observedAt: '2021-05-09' });
  const omdbCopy = obs({ source: 'omdb', movie: 'tt0000011', kind: 'score', group: 'rottenTomatoes', tomatometer: 57, observedAt: '2026-02-13' });

  it('a direct observation beats a relayed one, and the disagreement is reported', () => {
    const { scores, disagreements } = pickScores([omdbCopy, rtPage]);
    expect(scores.rottenTomatoes).toEqual({ tomatometer: 59, criticCount: 426, audienceScore: 74, source: 'rottentomatoes', observedAt: '2021-05-09' });
    expect(disagreements).toHaveLength(0); // 57 vs 59 is within the tolerance of 3 points
    const far = obs({ ...omdbCopy, tomatometer: 40 } as Record<string, unknown>);
    expect(pickScores([far, rtPage]).disagreements).toMatchObject([{ group: 'rottenTomatoes', winner: { source: 'rottentomatoes', value: 59 }, other: { source: 'omdb', value: 40 } }]);
  });

  it('a relayed score stands in when no direct one exists; what it does not carry is null, never 0', () => {
    const { scores } = pickScores([omdbCopy]);
    expect(scores.rottenTomatoes).toEqual({ tomatometer: 57, audienceScore: null, source: 'omdb', observedAt: '2026-02-13' });
  });

  it('zero votes is a missing score', () => {
    const { scores } = pickScores([obs({ source: 'tmdb', movie: 'tt0000011', kind: 'score', group: 'tmdb', voteAverage: 0, voteCount: null })]);
    expect(scores.tmdb).toEqual({ voteAverage: null, source: 'tmdb', observedAt: '2024-01-01' });
  });

  it('a rating without a vote count keeps the rating (the count is simply not given)', () => {
    const { scores } = pickScores([obs({ source: 'imdb', movie: 'tt0000011', kind: 'score', group: 'imdb', rating: 7.8 })]);
    expect(scores.imdb).toEqual({ rating: 7.8, source: 'imdb', observedAt: '2024-01-01' });
  });
});

describe('buildMovies', () => {
  const observations = [
    obs({ source: 'tmdb', movie: 'tt0137523', kind: 'details', ids: { tmdb: 550, imdb: 'tt0137523' }, title: '<b>Fight</b> Club', genres: ['Drama'], year: 1999 }),
    obs({ source: 'tmdb', movie: 'tt0137523', kind: 'score', group: 'tmdb', ids: { tmdb: 550 }, voteAverage: 8.4, voteCount: 100 }),
    obs({ source: 'aftercredits', movie: 'tt0478970', kind: 'creditScenes', ids: { imdb: 'tt0478970' }, url: 'https://raw.githubusercontent.com/x', during: true, after: true, strength: 'strong', scenes: [] }),
  ];

  it('gives one valid record per film, sorted by id, missing as null or absent', () => {
    const { movies, report } = buildMovies(observations);
    expect(report.invalid).toEqual([]);
    expect(movies.map((m) => m.id)).toEqual(['tt0137523', 'tt0478970']);
    const antMan = movies[1]!;
    expect(antMan.title).toBeNull();
    expect(antMan.scores).toEqual({});
    expect(antMan.creditScenes.during).toBe(true);
    expect(movies[0]!.creditScenes).toMatchObject({ during: null, after: null, confidence: 0, scenes: [], evidence: [] });
    expect(movies[0]!.creditScenes.slots.during).toMatchObject({ answer: 'unknown', probability: null, basis: 'none' });
  });

  it('is deterministic: the same observations in any order give the same bytes', () => {
    const a = stableStringify(buildMovies(observations).movies);
    const b = stableStringify(buildMovies([...observations].reverse()).movies);
    expect(a).toBe(b);
  });

  it('returns a record that fails the schema apart, with its issues', () => {
    const bad = { ...observations[0]!, genres: [''] } as unknown as Observation; // bypasses the observation schema on purpose
    const { movies, report } = buildMovies([bad]);
    expect(movies).toEqual([]);
    expect(report.invalid).toMatchObject([{ id: 'tt0137523' }]);
    expect(report.invalid[0]!.issues.join('\n')).toMatch(/genres/);
  });
});
