/**
 * MCU API source: the three recorded mirror files with every `expected` value asserted (a key without an
 * assertion fails), the position traps (The Incredible Hulk's pre-credits epilogue, teen Groot, No Way Home's
 * preview), the film claims (Endgame's 0, non-MCU and unreleased films), the request chain replayed from the
 * corpus, and typed errors on bodies that are not the feed.
 */
import { describe, expect, it } from 'vitest';
import { LayoutChangedError, UnexpectedContentError } from '../../src/errors.ts';
import { ReplayCorpus } from '../../src/http/replay.ts';
import type { ParsedObservation } from '../../src/schema/observation.ts';
import { MCUAPI_INDEX_URL, MCUAPI_MOVIES_URL, MCUAPI_SCENES_URL, indexRequest, mcuapi, moviesRequest } from '../../src/scrapers/mcuapi/index.ts';
import {
  CATALOGUE_SETTLING_DAYS,
  POSITION_OVERRIDES,
  creditSceneObservations,
  creditScenesOfFilm,
  filmObservations,
  parseMcuIndex,
  parseMcuMovies,
  parseMcuScenes,
  readScene,
  type McuSceneRecord,
} from '../../src/scrapers/mcuapi/parse.ts';
import type { SourceRequest } from '../../src/scrapers/source.ts';
import { CORPUS_DIR, corpusEntry, corpusText, expectedOf } from '../helpers/corpus.ts';
import { assertEvery, crawl, expectValid } from '../helpers/observations.ts';

const indexEntry = corpusEntry('feeds/mcuapi/index.json');
const moviesEntry = corpusEntry('feeds/mcuapi/movies.json');
const scenesEntry = corpusEntry('feeds/mcuapi/post-credit-scenes.json');
const indexBody = corpusText(indexEntry.file);
const moviesBody = corpusText(moviesEntry.file);
const scenesBody = corpusText(scenesEntry.file);

const catalogue = parseMcuMovies(moviesBody, moviesEntry.url);
const sceneFeed = parseMcuScenes(scenesBody, scenesEntry.url);
const feedDate = parseMcuIndex(indexBody, indexEntry.url).feedDate;
const claims = creditSceneObservations(catalogue.films, sceneFeed, feedDate, scenesEntry.url);

type Claim = Extract<ParsedObservation, { kind: 'creditScenes' }>;
function claimOf(imdb: string): Claim | undefined {
  return claims.observations.find((o): o is Claim => o.kind === 'creditScenes' && o.ids.imdb === imdb);
}
function scene(id: number): McuSceneRecord {
  const found = sceneFeed.scenes.find((s) => s.id === id);
  if (!found) throw new Error(`scene ${id} is not in the recorded feed`);
  return found;
}

describe('index.json (recorded 2026-08-17)', () => {
  it('gives the feed date, the content hash and the counts', () => {
    const index = parseMcuIndex(indexBody, indexEntry.url);
    assertEvery(expectedOf(indexEntry), {
      generatedAt: (v) => expect(index.generatedAt).toBe(v),
      contentHash: (v) => expect(index.contentHash).toBe(v),
      counts: (v) => expect(index.counts).toMatchObject(v as Record<string, number>),
    });
    expect(index.feedDate).toBe('2026-08-17');
  });
});

describe('movies.json (recorded 2026-08-17)', () => {
  type Sample = { id: number; title: string; imdb: string; releaseDate: string; postCreditScenes: number; isMcu: boolean };

  it('reads every record, with every expected value', () => {
    expect(catalogue.problems).toEqual([]);
    assertEvery(expectedOf(moviesEntry), {
      entries: (v) => expect(catalogue.films.length).toBe(v),
      mcuEntries: (v) => expect(catalogue.films.filter((f) => f.isMcu).length).toBe(v),
      samples: (v) => {
        for (const sample of v as Sample[]) {
          const film = catalogue.films.find((f) => f.id === sample.id);
          expect(film, `movie ${sample.id}`).toBeDefined();
          expect({ id: film!.id, title: film!.title, imdb: film!.imdb, releaseDate: film!.releaseDate, postCreditScenes: film!.postCreditScenes, isMcu: film!.isMcu }).toEqual(sample);
        }
      },
    });
  });

  it('gives details and directors of each film with an IMDb id, named by that id', () => {
    const observations = filmObservations(catalogue.films, moviesEntry.url);
    expectValid(observations, { source: 'mcuapi' });
    const named = catalogue.films.filter((f) => f.imdb !== null);
    expect(observations.filter((o) => o.kind === 'details')).toHaveLength(named.length);
    expect(named.length).toBe(72); // Ghost Rider, Black Panther 3 and the 2028 X-Men have no IMDb id yet
    const details = (imdb: string) => observations.find((o) => o.kind === 'details' && o.ids.imdb === imdb);
    expect(details('tt0371746')).toMatchObject({ title: 'Iron Man', releaseDate: '2008-05-02', year: 2008, runtimeMinutes: 126, url: moviesEntry.url });
    // Announced films: a release date without a runtime (duration 0 = not known), or no date at all.
    expect(details('tt21357150')).toMatchObject({ title: 'Avengers: Doomsday', releaseDate: '2026-12-18', year: 2026, runtimeMinutes: null });
    expect(details('tt10671440')).toMatchObject({ title: 'Blade', releaseDate: null, year: null, runtimeMinutes: null });
    const directors = (imdb: string) => observations.find((o) => o.kind === 'credits' && o.ids.imdb === imdb);
    expect(directors('tt4154796')).toMatchObject({ directors: ['Anthony Russo', 'Joe Russo'], cast: [] });
    expect(directors('tt10671440')).toBeUndefined(); // directed_by ""
  });
});

describe('post-credit-scenes.json (recorded 2026-08-17)', () => {
  type Sample = { id: number; movieId: number; movie: string; isStinger: boolean; position: string; teasesMovieId: number | null };

  it('reads every record, with every expected value', () => {
    expect(sceneFeed.problems).toEqual([]);
    assertEvery(expectedOf(scenesEntry), {
      entries: (v) => expect(sceneFeed.scenes.length).toBe(v),
      isStingerTrue: (v) => expect(sceneFeed.scenes.filter((s) => s.isStinger === true).length).toBe(v),
      tvShowScenes: (v) => expect(sceneFeed.scenes.filter((s) => s.movieId === null && s.tvShowId !== null).length).toBe(v),
      samples: (v) => {
        for (const sample of v as Sample[]) {
          const record = scene(sample.id);
          const film = catalogue.films.find((f) => f.id === record.movieId);
          expect({
            id: record.id,
            movieId: record.movieId,
            movie: film?.title,
            isStinger: record.isStinger,
            position: readScene(record).slot,
            teasesMovieId: record.teasesMovieId,
          }).toEqual(sample);
        }
      },
    });
  });

  it('joins every film scene to a film of movies.json', () => {
    expect(claims.problems).toEqual([]);
    expectValid(claims.observations, { source: 'mcuapi' });
  });
});

describe('where a scene plays: is_stinger is a hint, not a position', () => {
  it('The Incredible Hulk: the counted Tony Stark scene is the epilogue before the credits (override)', () => {
    expect(scene(2).isStinger).toBe(false);
    expect(readScene(scene(2))).toMatchObject({ slot: 'before', basis: 'override', kind: 'scene' });
    const hulk = claimOf('tt0800080')!;
    expect([hulk.during, hulk.after, hulk.strength]).toEqual([false, false, 'strong']);
    expect(hulk.scenes).toEqual([]);
    expect(hulk.detail).toContain('before the credits');
  });

  it('Guardians of the Galaxy Vol. 2: teen Groot is mid-credits although is_stinger is false (override)', () => {
    expect(scene(24).isStinger).toBe(false);
    expect(readScene(scene(24))).toMatchObject({ slot: 'during', basis: 'override' });
    const gotg2 = claimOf('tt3896198')!;
    expect([gotg2.during, gotg2.after]).toEqual([true, true]);
    expect(gotg2.scenes.filter((s) => s.position === 'during')).toHaveLength(4);
    expect(gotg2.scenes.filter((s) => s.position === 'after').map((s) => s.description)).toEqual([scene(26).description]);
    expect(scene(26).description).toContain('Stan Lee');
  });

  it('Spider-Man: No Way Home: the post-credits slot is a preview of another film — no after-credits scene', () => {
    expect(readScene(scene(77))).toMatchObject({ slot: 'after', kind: 'trailer', basis: 'description' });
    const nwh = claimOf('tt10872600')!;
    expect([nwh.during, nwh.after]).toEqual([true, false]);
    // The preview is listed as what it is: a trailer after the credits, not a scene.
    expect(nwh.scenes.map((s) => [s.position, s.kind])).toEqual([
      ['during', 'scene'],
      ['after', 'trailer'],
    ]);
  });

  it('an override is keyed by scene and film: a renumbered record is reported, not misread', () => {
    const renumbered = JSON.parse(scenesBody) as { id: number; movie_id: number | null }[];
    renumbered.find((r) => r.id === 24)!.movie_id = 16;
    const feed = parseMcuScenes(JSON.stringify(renumbered), MCUAPI_SCENES_URL);
    expect(feed.problems).toEqual(['scene 24: its position override is for movie 15, but the record now belongs to movie 16 (override not applied)']);
    expect(readScene(feed.scenes.find((s) => s.id === 24)!)).toMatchObject({ slot: 'after', basis: 'is_stinger' });
    expect(Object.keys(POSITION_OVERRIDES).sort()).toEqual(['2', '24']);
  });

  it('a description that names its slot outranks is_stinger; one that names two does not decide', () => {
    const groot = scene(14); // Baby Groot dancing, is_stinger true
    expect(readScene({ ...groot, description: 'After the end credits, Groot dances.' })).toMatchObject({ slot: 'after', basis: 'description' });
    expect(readScene({ ...groot, isStinger: false, description: 'A mid-credits scene: Groot dances.' })).toMatchObject({ slot: 'during', basis: 'description' });
    expect(readScene({ ...groot, description: 'A pre-credits scene, later echoed in the post-credits scene.' })).toMatchObject({ slot: 'during', basis: 'is_stinger' });
    expect(readScene({ ...groot, isStinger: null })).toMatchObject({ slot: null, basis: 'none' });
  });

  it('a "will return" card in a description is listed as text (Civil War)', () => {
    expect(readScene(scene(19)).textCards).toEqual(['Spider-Man Will Return']);
    expect(claimOf('tt3498820')!.scenes).toContainEqual({ position: 'after', kind: 'text', description: 'Spider-Man Will Return' });
  });
});

describe('film claims', () => {
  it('Ant-Man: a described scene in each slot, from the is_stinger hint', () => {
    const antMan = claimOf('tt0478970')!;
    expect(antMan).toMatchObject({ source: 'mcuapi', during: true, after: true, strength: 'strong', url: scenesEntry.url, ids: { imdb: 'tt0478970' } });
    expect(antMan.scenes).toEqual([
      { position: 'after', kind: 'scene', description: scene(16).description },
      { position: 'during', kind: 'scene', description: scene(17).description },
    ]);
  });

  it('Iron Man: a complete listing with one scene after the credits says nothing plays during them', () => {
    expect(claimOf('tt0371746')).toMatchObject({ during: false, after: true, strength: 'strong' });
  });

  it('Avengers: Endgame: a released MCU film with 0 scenes and no record is a strong "none" (its sound is not a scene)', () => {
    const endgame = claimOf('tt4154796')!;
    expect([endgame.during, endgame.after, endgame.strength]).toEqual([false, false, 'strong']);
    expect(endgame.scenes).toEqual([]);
    expect(endgame.detail).toBe('MCU API: post_credit_scenes 0');
  });

  it('a film released within the settling period: its empty slot is only weak evidence', () => {
    const brandNewDay = catalogue.films.find((f) => f.imdb === 'tt22084616')!;
    expect(brandNewDay.releaseDate).toBe('2026-07-31');
    expect(CATALOGUE_SETTLING_DAYS).toBeGreaterThan(17);
    expect(claimOf('tt22084616')).toMatchObject({ during: false, after: true, strength: 'weak' });
  });

  it('non-MCU films (counts without records) and unreleased films make no claim', () => {
    expect(catalogue.films.find((f) => f.imdb === 'tt1431045')).toMatchObject({ isMcu: false, postCreditScenes: 1 }); // Deadpool (2016)
    expect(claimOf('tt1431045')).toBeUndefined();
    expect(claimOf('tt0145487')).toBeUndefined(); // Spider-Man (2002)
    expect(claimOf('tt21357150')).toBeUndefined(); // Avengers: Doomsday, 2026-12-18
    expect(claimOf('tt10671440')).toBeUndefined(); // Blade, no release date
    const claimed = claims.observations.map((o) => o.ids.imdb);
    expect(claimed).toHaveLength(38);
    expect(new Set(claimed).size).toBe(38);
  });

  it('the feed date decides what is released: on its release day Doomsday is still unclaimed', () => {
    const doomsday = catalogue.films.find((f) => f.imdb === 'tt21357150')!;
    expect(creditScenesOfFilm(doomsday, [], '2026-12-18', MCUAPI_SCENES_URL)).toBeNull();
    expect(creditScenesOfFilm(doomsday, [], '2027-01-15', MCUAPI_SCENES_URL)).toMatchObject({ during: false, after: false, strength: 'weak' });
    expect(creditScenesOfFilm(doomsday, [], '2027-06-01', MCUAPI_SCENES_URL)).toMatchObject({ during: false, after: false, strength: 'strong' });
  });

  it('an incomplete listing claims only the slots its records place', () => {
    const antMan = catalogue.films.find((f) => f.imdb === 'tt0478970')!;
    const onlyOne = creditScenesOfFilm(antMan, [scene(17)], feedDate, MCUAPI_SCENES_URL)!;
    expect([onlyOne.during, onlyOne.after]).toEqual([true, null]);
    const unplaced = creditScenesOfFilm({ ...antMan, postCreditScenes: 1 }, [{ ...scene(17), isStinger: null }], feedDate, MCUAPI_SCENES_URL);
    expect(unplaced).toBeNull();
  });
});

describe('the request chain: index → movies → scenes', () => {
  const corpus = ReplayCorpus.load(CORPUS_DIR, new Map());
  /** The discovery requests run as the pipeline runs them, for no film; the index names none, so it gives no observation. */
  const crawlFeed = (requests: SourceRequest[]) => crawl(corpus, requests, { id: '', ids: {} }, { source: 'mcuapi', allowEmpty: true });

  it('discovers the index, then the films, then the scenes read against the films', () => {
    const { urls, observations } = crawlFeed(mcuapi.discover());
    expect(urls).toEqual([MCUAPI_INDEX_URL, MCUAPI_MOVIES_URL, MCUAPI_SCENES_URL]);
    expectValid(observations, { source: 'mcuapi' });
    const count = (kind: string) => observations.filter((o) => o.kind === kind).length;
    expect([count('details'), count('credits'), count('creditScenes')]).toEqual([72, 71, 38]); // Blade (2025 reboot) has no director yet
  });

  it('without the index, the newest record date stands in for the feed date (a lower bound)', () => {
    const request = indexRequest();
    expect(request.fallback!.map((r) => r.url)).toEqual([MCUAPI_MOVIES_URL]);
    const { observations } = crawlFeed([moviesRequest(null)]);
    const brandNewDay = observations.find((o) => o.kind === 'creditScenes' && o.ids.imdb === 'tt22084616');
    expect(brandNewDay).toMatchObject({ after: true, strength: 'weak' }); // 2026-07-31 < 2026-08-15 (newest movie record)
    expect(observations.filter((o) => o.kind === 'creditScenes')).toHaveLength(38);
  });

  it('declares its host, politeness, refresh and terms', () => {
    expect(mcuapi).toMatchObject({ id: 'mcuapi', hosts: ['cdn.jsdelivr.net'], refresh: { default: 7 } });
    expect(mcuapi.terms.attribution).toBe('MCU API by Augusto Marcelo (github.com/AugustoMarcelo/mcuapi)');
    expect(mcuapi.terms.licence).toMatch(/^MIT/);
    for (const url of [MCUAPI_INDEX_URL, MCUAPI_MOVIES_URL, MCUAPI_SCENES_URL]) expect(mcuapi.hosts).toContain(new URL(url).hostname);
  });
});

describe('bodies that are not the feed', () => {
  it('an empty body, an HTML page or a non-array is unexpected content', () => {
    expect(() => parseMcuMovies('', MCUAPI_MOVIES_URL)).toThrow(UnexpectedContentError);
    expect(() => parseMcuMovies('<!DOCTYPE html><html><body>Bandwidth exceeded</body></html>', MCUAPI_MOVIES_URL)).toThrow(UnexpectedContentError);
    expect(() => parseMcuScenes(indexBody, MCUAPI_SCENES_URL)).toThrow(/expected an array of scene records/);
    expect(() => parseMcuMovies('[{"id": 1, "title": "Iron', MCUAPI_MOVIES_URL)).toThrow(/not JSON/);
  });

  it('an array with no record of the known shape is a layout change', () => {
    expect(() => parseMcuScenes('[{"uuid": "a", "text": "x"}]', MCUAPI_SCENES_URL)).toThrow(LayoutChangedError);
  });

  it('a malformed record is a problem line; the rest of the feed counts', () => {
    const records = JSON.parse(moviesBody) as unknown[];
    const feed = parseMcuMovies(JSON.stringify([{ id: 'one', title: 'Broken' }, ...records.slice(0, 2), { ...(records[2] as object), imdb_id: 'nm0000375' }]), MCUAPI_MOVIES_URL);
    expect(feed.films).toHaveLength(3);
    expect(feed.problems).toHaveLength(2);
    expect(feed.problems[0]).toMatch(/^record 0: not a movie record/);
    expect(feed.problems[1]).toBe('movie 3: imdb_id "nm0000375" is not an IMDb id (film not named)');
    expect(filmObservations(feed.films, MCUAPI_MOVIES_URL).filter((o) => o.kind === 'details')).toHaveLength(2);
  });

  it('a scene naming a film movies.json lacks is reported and skipped', () => {
    const orphan: McuSceneRecord = { ...scene(1), id: 999, movieId: 500 };
    const { observations, problems } = creditSceneObservations(catalogue.films, { ...sceneFeed, scenes: [...sceneFeed.scenes, orphan] }, feedDate, MCUAPI_SCENES_URL);
    expect(problems).toEqual(['scene 999: movie 500 is not in movies.json (skipped)']);
    expect(observations).toHaveLength(38);
  });

  it('an index without a date is not the manifest', () => {
    expect(() => parseMcuIndex('{"generated_at": "soon"}', MCUAPI_INDEX_URL)).toThrow(/is not a date/);
    expect(() => parseMcuIndex('{"files": []}', MCUAPI_INDEX_URL)).toThrow(UnexpectedContentError);
  });
});
