/**
 * The streaming build (`buildFromSources`) over a store's files gives what `buildMovies` gives over the same
 * observations in memory, in any order — including the films whose observations are filed under several ids.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildFromSources, buildMovies, type BuiltFilm } from '../../src/normalize/build.ts';
import { groupObservations } from '../../src/normalize/identity.ts';
import { stableStringify } from '../../src/lib/json.ts';
import { Observation } from '../../src/schema/observation.ts';
import { ObservationStore } from '../../src/observations/store.ts';

function obs(partial: Record<string, unknown>): Observation {
  return Observation.parse({ url: 'https://api.themoviedb.org/3/movie/1', observedAt: '2024-01-01', ids: {}, ...partial });
}

const observations = [
  // A film TMDB filed under tmdb:9 before its IMDb id was known; its external ids link it to tt0000002.
  obs({ source: 'tmdb', movie: 'tmdb:9', kind: 'details', ids: { tmdb: 9 }, title: 'Linked Later', year: 2001 }),
  obs({ source: 'tmdb', movie: 'tmdb:9', kind: 'ids', url: 'https://api.themoviedb.org/3/movie/9/external_ids', ids: { tmdb: 9, imdb: 'tt0000002' } }),
  obs({ source: 'omdb', movie: 'tt0000002', kind: 'score', group: 'imdb', url: 'https://www.omdbapi.com/?i=tt0000002', ids: { imdb: 'tt0000002' }, rating: 7.1, votes: 100 }),
  // Known only through a link: no observation is filed under tt0000005.
  obs({ source: 'tmdb', movie: 'tmdb:50', kind: 'ids', ids: { tmdb: 50, imdb: 'tt0000005' } }),
  obs({ source: 'tmdb', movie: 'tmdb:50', kind: 'details', ids: { tmdb: 50 }, title: 'Link Only' }),
  // Two TMDB ids of one film without an IMDb id: named by the smaller, tmdb:11, which sorts after tmdb:100.
  obs({ source: 'tmdb', movie: 'tmdb:100', kind: 'details', ids: { tmdb: 11 }, title: 'Two Keys' }),
  obs({ source: 'wikidata', movie: 'tmdb:11', kind: 'ids', url: 'https://www.wikidata.org/wiki/Q1', ids: { tmdb: 11, wikidata: 'Q1' } }),
  // Plain films around them.
  obs({ source: 'tmdb', movie: 'tt0000001', kind: 'details', ids: { imdb: 'tt0000001', tmdb: 1 }, title: 'First' }),
  obs({ source: 'tmdb', movie: 'tt0000006', kind: 'details', ids: { imdb: 'tt0000006', tmdb: 6 }, title: 'Sixth' }),
  obs({ source: 'aftercredits', movie: 'tt0000006', kind: 'creditScenes', url: 'https://example.org/feed', ids: { imdb: 'tt0000006' }, during: true, after: null, strength: 'strong', scenes: [] }),
  // A second IMDb id claiming tmdb:6: a conflict, reported and not followed.
  obs({ source: 'wikidata', movie: 'tt0000007', kind: 'ids', url: 'https://www.wikidata.org/wiki/Q7', ids: { imdb: 'tt0000007', tmdb: 6 } }),
];

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function fromFiles(list: readonly Observation[]): { films: BuiltFilm[]; report: ReturnType<typeof buildFromSources> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'stingerdb-stream-'));
  dirs.push(dir);
  const written = ObservationStore.load(dir);
  written.put(list);
  written.save();
  const films: BuiltFilm[] = [];
  const report = buildFromSources(ObservationStore.load(dir).sources(), (film) => films.push(film));
  return { films, report };
}

describe('buildFromSources', () => {
  it('gives one film per identity, in id order, with the observations of every key it was filed under', () => {
    const { films } = fromFiles(observations);
    expect(films.map((f) => f.id)).toEqual(['tmdb:11', 'tt0000001', 'tt0000002', 'tt0000005', 'tt0000006', 'tt0000007']);
    const linked = films.find((f) => f.id === 'tt0000002')!;
    // In store order: sources alphabetically, then as each file lists them.
    expect(linked.observations.map((o) => `${o.source}:${o.movie}:${o.kind}`)).toEqual(['omdb:tt0000002:score', 'tmdb:tmdb:9:details', 'tmdb:tmdb:9:ids']);
    expect(linked.movie).toMatchObject({ title: 'Linked Later', ids: { imdb: 'tt0000002', tmdb: 9 }, scores: { imdb: { rating: 7.1 } } });
    expect(films.find((f) => f.id === 'tt0000005')!.movie!.title).toBe('Link Only');
    expect(films.find((f) => f.id === 'tmdb:11')!.observations.map((o) => o.movie)).toEqual(['tmdb:100', 'tmdb:11']);
  });

  it('reports a link between two IMDb ids, with the observation that made it, and keeps the films apart', () => {
    const { films, report } = fromFiles(observations);
    expect(report.identityConflicts).toEqual([{ ids: ['tt0000006', 'tt0000007'], via: { source: 'wikidata', url: 'https://www.wikidata.org/wiki/Q7' } }]);
    expect(films.find((f) => f.id === 'tt0000007')!.movie!.ids).toEqual({ imdb: 'tt0000007', tmdb: 6 });
  });

  it('gives the records and report of buildMovies, whatever order the observations come in', () => {
    const { films, report } = fromFiles(observations);
    const streamed = films.map((f) => f.movie);
    const inMemory = buildMovies(observations);
    expect(stableStringify(streamed)).toBe(stableStringify(inMemory.movies));
    expect(report).toEqual(inMemory.report);
    expect(stableStringify(buildMovies([...observations].reverse()))).toBe(stableStringify(inMemory));
  });

  it('names groups as groupObservations does', () => {
    const { films } = fromFiles(observations);
    expect(films.map((f) => f.id)).toEqual(groupObservations(observations).groups.map((g) => g.id));
    expect(groupObservations(observations).groups.find((g) => g.id === 'tmdb:11')!.keys).toEqual(['tmdb:100', 'tmdb:11']);
  });
});
