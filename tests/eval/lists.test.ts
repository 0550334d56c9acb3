/**
 * The lists' measures (`src/eval/lists.ts`, `npm run measure:lists`): the counting on a small labelled set, and on
 * the real data the reason MediaStinger is measured and not used — where AfterCredits is silent, being on it
 * would move no answer — and the base rate by genre the README gives.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFitInputs } from '../../src/eval/fit-data.ts';
import { formatGenreRates, genreRates, measureList, measureLists, readGenres, readTmdbCrosswalk, sceneSets, formatListMeasures, type GenreRate, type ListMeasure } from '../../src/eval/lists.ts';
import { ANSWER_MODEL, THRESHOLDS } from '../../src/normalize/answer-model.ts';
import { POSITIONS, YEAR_BANDS } from '../../src/normalize/answers.ts';
import { parseMediaStingerFeed } from '../../src/scrapers/mediastinger.ts';
import { CORPUS_DIR, DATASETS_DIR, REPO_ROOT, corpusEntries } from '../helpers/corpus.ts';

describe('measureList', () => {
  const labels = new Map([
    ['tt0000001', { during: true, after: null }],
    ['tt0000002', { during: false, after: true }],
    ['tt0000003', { during: true, after: true }],
    ['tt0000004', { during: false, after: false }],
    ['tt0000005', { during: false, after: false }],
    ['tt0000006', { during: false, after: null }],
  ]);
  const years: Record<string, number> = { tt0000001: 1995, tt0000002: 2016, tt0000003: 2016 };
  const { withScene, withoutScene } = sceneSets(labels);

  it('a film with a scene in either slot has one; with none in both, none; half-judged, neither', () => {
    expect(withScene).toEqual(['tt0000001', 'tt0000002', 'tt0000003']);
    expect(withoutScene).toEqual(['tt0000004', 'tt0000005']);
  });

  it('counts, per year band and in all, the films it names, only among those it could name', () => {
    const m = measureList({ list: 'L', names: (i) => i !== 'tt0000002', couldName: (i) => i !== 'tt0000005' }, 'hand', withScene, withoutScene, (i) => years[i] ?? null);
    expect(m.recall['before 2000']).toEqual({ films: 1, named: 1 });
    expect(m.recall['2015-2019']).toEqual({ films: 2, named: 1 });
    expect(m.recall.all).toEqual({ films: 3, named: 2 });
    expect(m.noScene).toEqual({ films: 1, named: 1 });
    // (2.5 / 4) / (1.5 / 2) and (1.5 / 4) / (0.5 / 2)
    expect(m.lrNamed).toBeCloseTo(0.8333, 4);
    expect(m.lrNotNamed).toBeCloseTo(1.5, 4);
    expect(formatListMeasures([m])).toMatch(/^list +labels +before 2000 +2015-2019 +all +no scene +×named +×not named\nL +hand +1\/1 100% +1\/2 50% +2\/3 67% +1\/1 100% +0\.83 +1\.50\n$/);
  });
});

describe('the lists measured on the labelled films (replayed corpus, datasets)', () => {
  let measures: ListMeasure[];
  let genres: GenreRate[];
  const of = (list: string, labels: ListMeasure['labels']) => measures.find((m) => m.list === list && m.labels === labels)!;
  beforeAll(() => {
    const truth = path.join(REPO_ROOT, '../shared/truth/credit-truth-dev.csv');
    const inputs = readFitInputs({ truth, observations: path.join(REPO_ROOT, 'observations'), datasets: DATASETS_DIR });
    const crosswalk = readTmdbCrosswalk(DATASETS_DIR);
    const feed = corpusEntries((e) => e.source === 'mediastinger')[0]!;
    const { entries } = parseMediaStingerFeed(readFileSync(path.join(CORPUS_DIR, feed.file), 'utf8'), feed.url);
    const mediastinger = new Set(entries.flatMap((e) => (crosswalk.has(e.tmdb) ? [crosswalk.get(e.tmdb)!] : [])));
    measures = measureLists(inputs, mediastinger, new Set(crosswalk.values()));
    genres = genreRates(inputs, readGenres(DATASETS_DIR));
  });

  it('AfterCredits names more than 9 in 10 films with a scene in every band of known years', () => {
    const ac = of('AfterCredits', 'hand+keywords');
    for (const band of YEAR_BANDS.filter((b) => b !== 'year unknown')) expect(ac.recall[band].named / ac.recall[band].films, band).toBeGreaterThan(0.9);
  });

  it('MediaStinger, where AfterCredits is silent, moves no "no" of the model to "unknown"', () => {
    const ms = of('MediaStinger, AC unlisted', 'hand+keywords');
    expect(ms.recall.all.films).toBeGreaterThan(30);
    const highest = Math.max(...POSITIONS.flatMap((s) => YEAR_BANDS.map((b) => ANSWER_MODEL.unlisted[s][b].p)));
    const odds = (highest / (1 - highest)) * ms.lrNamed;
    expect(odds / (1 + odds)).toBeLessThanOrEqual(THRESHOLDS.no);
  });

  it('by genre: counts every well-known film under "all genres", and an animated film the list is silent on is tagged 4 times as often, a drama a tenth as often', () => {
    const [all, ...rest] = genres;
    expect(all).toMatchObject({ genre: 'all genres', films: 2630 });
    expect(Math.max(...rest.map((r) => r.films))).toBeLessThan(all!.films);
    const share = (r: GenreRate) => r.unlistedTagged / r.unlistedWithKeywords;
    const animation = genres.find((r) => r.genre === 'Animation')!;
    const drama = genres.find((r) => r.genre === 'Drama')!;
    expect(share(animation)).toBeGreaterThan(3 * share(all!));
    expect(share(drama)).toBeLessThan(share(all!) / 3);
    expect(formatGenreRates(genres)).toMatch(/^genre +films +listed by AfterCredits +not listed, tagged by TMDB\nall genres +2630 +616\/2630 23\.4% +21\/2008 1\.0%\n/);
  });
});

describe('npm run measure:lists', () => {
  const TSX = path.join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs');
  const script = (...args: string[]) => spawnSync(process.execPath, ['--import', TSX, path.join(REPO_ROOT, 'scripts/measure-lists.ts'), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });

  it('--help prints its usage; an unknown option is one line and exit 2; a missing feed is exit 1 naming it', () => {
    expect(script('--help').stdout).toMatch(/^measure:lists — /);
    const bogus = script('--bogus');
    expect(bogus.status).toBe(2);
    expect(bogus.stderr).toMatch(/^Unknown option '--bogus'/);
    const missing = script('--mediastinger', '/nonexistent/stingers.yml');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^measure-lists: .*\/nonexistent\/stingers\.yml/);
    expect(missing.stderr).not.toMatch(/^\s+at /m);
  });
});
