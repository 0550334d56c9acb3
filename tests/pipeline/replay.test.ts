/**
 * The whole pipeline, offline: the recorded corpus replayed through the real sources, normalize and publish.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MockAgent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMDB_ID, MOVIE_ID } from '../../src/schema/ids.ts';
import { Movie } from '../../src/schema/movie.ts';
import { runPipeline, type RunReport } from '../../src/pipeline/run.ts';
import { formatSummary } from '../../src/pipeline/summary.ts';
import { CORPUS_DIR, REPO_ROOT } from '../helpers/corpus.ts';

let dir: string;
let report: RunReport;
let movies: Movie[];
const logs: string[] = [];

function options(extra: Partial<Parameters<typeof runPipeline>[0]> = {}): Parameters<typeof runPipeline>[0] {
  return {
    steps: { collect: true, build: true },
    replay: CORPUS_DIR,
    watchlist: path.join(REPO_ROOT, 'watchlist.json'),
    observationsDir: path.join(dir, 'observations'),
    outDir: path.join(dir, 'dataset'),
    log: (line) => logs.push(line),
    date: new Date('2026-11-27T00:00:00Z'),
    ...extra,
  };
}

function readMovies(outDir: string): Movie[] {
  return JSON.parse(readFileSync(path.join(outDir, 'records', 'movies.json'), 'utf8')) as Movie[];
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'stingerdb-replay-'));
  report = await runPipeline(options());
  movies = readMovies(path.join(dir, 'dataset'));
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the pipeline replayed over ../shared/corpus', () => {
  it('publishes a dataset in which every record passes the schema, with unique well-formed ids', () => {
    expect(report.publish?.changed).toBe(true);
    expect(movies.length).toBeGreaterThan(1000);
    const ids = new Set<string>();
    for (const m of movies) {
      expect(Movie.safeParse(m).success, m.id).toBe(true);
      expect(MOVIE_ID.test(m.id), m.id).toBe(true);
      if (m.ids.imdb) expect(IMDB_ID.test(m.ids.imdb)).toBe(true);
      expect(ids.has(m.id), `duplicate ${m.id}`).toBe(false);
      ids.add(m.id);
    }
    expect([...ids]).toEqual([...ids].sort());
  });

  it('answers from the corpus only: misses are counted, nothing reached the network', () => {
    const stats = Object.fromEntries(report.collect!.stats.map((s) => [s.source, s]));
    for (const s of report.collect!.stats) expect(s.network, s.source).toBe(0);
    expect(stats.tmdb!.replay).toBeGreaterThan(10);
    expect(stats.tmdb!.misses).toBeGreaterThan(0);
    expect(stats.aftercredits!.replay).toBe(1);
    // Every entry of the feed, the three it lists without tags included (they make no claim).
    expect(stats.aftercredits!.films).toBe(1978);
    const summary = formatSummary(report);
    expect(summary).toMatch(/tmdb\s+\d+\s+\d+\s+0/);
    expect(summary).toMatch(/publish: .* is now 2\.20261127\.0/);
  });

  it('the summary\'s figures mean what their labels say: busy time within the run, changes counted alike, misses explained', () => {
    const summary = formatSummary(report);
    for (const s of report.collect!.stats) expect(s.durationMs, `${s.source} busy`).toBeLessThanOrEqual(report.durationMs);
    expect(summary).toMatch(/^\s+source\s+requests .* changed\s+busy$/m);
    const changedFilms = report.collect!.stats.reduce((n, s) => n + s.filmsChanged, 0);
    expect(report.collect!.changed > 0).toBe(changedFilms > 0);
    expect(summary).toContain(`collect (replay): ${report.collect!.films} films asked about, ${report.collect!.changed} observations changed (${changedFilms} film–source pairs)`);
    expect(summary).toMatch(/misses in replay: \d+ requests the corpus holds no recording of/);
  });

  it('a film known from both sources carries both: The Matrix (TMDB details and score, AfterCredits evidence)', () => {
    const matrix = movies.find((m) => m.id === 'tt0133093')!;
    expect(matrix.title).toBe('The Matrix');
    expect(matrix.year).toBe(1999);
    expect(matrix.ids.tmdb).toBe(603);
    expect(matrix.scores.tmdb).toMatchObject({ voteAverage: 7.9, voteCount: 9552, source: 'tmdb', observedAt: '2017-11-29T15:08:28Z' });
    expect(matrix.creditScenes.evidence.map((e) => e.source)).toContain('aftercredits');
    // "After Credits, Informative": an informative post, no scene named — no claim (the answer says why).
    expect(matrix.creditScenes.after).toBeNull();
    expect(matrix.creditScenes.evidence.find((e) => e.source === 'aftercredits')).toMatchObject({ reading: { during: 'not-mentioned', after: 'non-scene' } });
    expect(matrix.sources.map((s) => s.source)).toEqual(expect.arrayContaining(['tmdb', 'aftercredits']));
  });

  it('uses the recorded sub-resources of a film whose details were recorded plain (Fight Club)', () => {
    const fightClub = movies.find((m) => m.id === 'tt0137523')!;
    expect(fightClub).toMatchObject({ title: 'Fight Club', releaseDate: '1999-10-15', runtimeMinutes: 139, contentRating: 'R' });
    expect(fightClub.directors).toEqual(['David Fincher']);
    expect(fightClub.cast[0]).toEqual({ name: 'Edward Norton', character: 'Narrator' });
    expect(fightClub.ids.wikidata).toBe('Q190050');
    // A keyword list without stinger keywords is weak evidence: it never decides "no" on its own.
    expect(fightClub.creditScenes.evidence).toMatchObject([{ source: 'tmdb', during: false, after: false }]);
    expect([fightClub.creditScenes.during, fightClub.creditScenes.after]).toEqual([null, null]);
  });

  it('dates observations with the capture date, not the clock', () => {
    const fightClub = movies.find((m) => m.id === 'tt0137523')!;
    expect(fightClub.scores.tmdb!.observedAt).toBe('2024-02');
    for (const m of movies) for (const s of m.sources) expect(s.observedAt.startsWith('2026-11-27')).toBe(false);
  });

  it('keeps missing as null: a pre-release film with no votes has no TMDB score', () => {
    const endgame = movies.find((m) => m.id === 'tt4154796')!;
    expect(endgame.scores.tmdb).toMatchObject({ voteAverage: null });
    expect(endgame.scores.tmdb!.voteCount).toBeUndefined();
    // The recording is French: its title is not taken as the English title.
    expect(endgame.title).toBe('Avengers: Endgame');
  });

  it('stores observations as sorted text, one file per source', () => {
    const files = readdirSync(path.join(dir, 'observations')).sort();
    expect(files).toEqual(expect.arrayContaining(['aftercredits.jsonl', 'tmdb.jsonl']));
    const lines = readFileSync(path.join(dir, 'observations', 'tmdb.jsonl'), 'utf8').trim().split('\n');
    const films = lines.map((l) => (JSON.parse(l) as { movie: string }).movie);
    expect(films).toEqual([...films].sort());
  });

  it('a second run over the same corpus changes nothing and publishes no new version', async () => {
    const before = readFileSync(path.join(dir, 'dataset', 'records', 'movies.json'));
    const again = await runPipeline(options({ date: new Date('2026-11-28T00:00:00Z') }));
    expect(again.collect!.changed).toBe(0);
    expect(again.publish).toMatchObject({ changed: false, version: '2.20261127.0' });
    expect(readFileSync(path.join(dir, 'dataset', 'records', 'movies.json')).equals(before)).toBe(true);
  }, 120_000);

  it('rebuilding from the stored observations alone gives byte-identical movies.json and manifest.json', async () => {
    const rebuilt = path.join(dir, 'rebuilt');
    await runPipeline(options({ steps: { collect: false, build: true }, outDir: rebuilt }));
    for (const name of ['records/movies.json', 'movies.answers.json', 'manifest.json', 'sqlite/movies.sqlite']) {
      expect(readFileSync(path.join(rebuilt, name)).equals(readFileSync(path.join(dir, 'dataset', name))), name).toBe(true);
    }
  });
});

describe('a live run without keys', () => {
  it('skips the source that needs a key with one clear line and goes on', async () => {
    const offline = new MockAgent();
    offline.disableNetConnect();
    const live = mkdtempSync(path.join(tmpdir(), 'stingerdb-live-'));
    const lines: string[] = [];
    try {
      const result = await runPipeline({
        steps: { collect: true, build: false },
        watchlist: path.join(REPO_ROOT, 'watchlist.json'),
        movies: ['tt0137523'],
        observationsDir: path.join(live, 'observations'),
        outDir: path.join(live, 'dataset'),
        env: {},
        dispatcher: offline,
        log: (line) => lines.push(line),
      });
      const tmdb = result.collect!.stats.find((s) => s.source === 'tmdb')!;
      expect(tmdb.requests).toBe(0);
      expect(tmdb.skipped).toMatch(/TMDB_API_KEY is not set/);
      expect(lines.filter((l) => l.includes('TMDB_API_KEY'))).toHaveLength(1);
    } finally {
      rmSync(live, { recursive: true, force: true });
      await offline.close();
    }
  });
});
