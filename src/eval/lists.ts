/**
 * How much a list of films with credit scenes says by naming a film, or not: for each list (AfterCredits, TMDB's
 * stinger keywords, MediaStinger) its recall by release-year band — the share of the films known to have a scene
 * (in either slot) that it names — and the share of the hand-checked films known to have none that it names
 * anyway. Their ratio is what being named multiplies a film's odds of a scene by; (1 − recall) / (1 − that share)
 * is what silence does. `npm run measure:lists` (scripts/measure-lists.ts) prints them; README "Lists measured" gives the figures and
 * what the answers use.
 *
 * A list is measured only on the films it could name: TMDB's keywords on films with a keyword list, a list keyed
 * by TMDB id on films whose TMDB id is known. Known to have a scene: hand-checked (the truth file, the MCU API's
 * strong claims), or also TMDB-keyword labels — crowd tags copied in part from AfterCredits, so they flatter its
 * recall, and they are TMDB's own: never used to measure TMDB.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ValidationError } from '../errors.ts';
import { IMDB_ID } from '../schema/ids.ts';
import { YEAR_BANDS, yearBand, type YearBand } from '../normalize/answers.ts';
import { DERIVED_FILE, POPULATION_FILE, csvObjects } from './fit-data.ts';
import { handLabels, keywordTruth, yearOf, type FitInputs, type Label } from './fit.ts';

/** Of `films`, how many the list names. */
export interface NamedRate {
  films: number;
  named: number;
}

export interface ListMeasure {
  list: string;
  /** Which films count as known to have a scene: hand-checked only, or hand-checked and TMDB-keyword labels. */
  labels: 'hand' | 'hand+keywords';
  /** Among films with a scene: per year band, and over all of them. */
  recall: Record<YearBand | 'all', NamedRate>;
  /** Among hand-checked films with no scene in either slot. */
  noScene: NamedRate;
  /** Odds multipliers (+0.5 smoothing of each count): named, and not named. */
  lrNamed: number;
  lrNotNamed: number;
}

/** What a list is measured on. */
export interface ListSpec {
  list: string;
  /** Whether the list names the film. */
  names: (imdb: string) => boolean;
  /** Whether the list could name it (keyed by an id the film is known by, in its scope); default: every film. */
  couldName?: (imdb: string) => boolean;
}

/** Films with a scene in either slot, and films with none in both. */
export function sceneSets(labels: ReadonlyMap<string, Label>): { withScene: string[]; withoutScene: string[] } {
  const withScene: string[] = [];
  const withoutScene: string[] = [];
  for (const [imdb, l] of labels) {
    if (l.during === true || l.after === true) withScene.push(imdb);
    else if (l.during === false && l.after === false) withoutScene.push(imdb);
  }
  return { withScene, withoutScene };
}

/** Measures one list. `withScene`: films known to have a scene; `withoutScene`: hand-checked films known to have none. */
export function measureList(
  spec: ListSpec,
  labels: ListMeasure['labels'],
  withScene: Iterable<string>,
  withoutScene: Iterable<string>,
  yearOf: (imdb: string) => number | null,
): ListMeasure {
  const could = spec.couldName ?? (() => true);
  const recall = Object.fromEntries([...YEAR_BANDS, 'all'].map((b) => [b, { films: 0, named: 0 }])) as ListMeasure['recall'];
  for (const imdb of withScene) {
    if (!could(imdb)) continue;
    const named = spec.names(imdb) ? 1 : 0;
    for (const band of [yearBand(yearOf(imdb)), 'all'] as const) {
      recall[band].films++;
      recall[band].named += named;
    }
  }
  const noScene = { films: 0, named: 0 };
  for (const imdb of withoutScene) {
    if (!could(imdb)) continue;
    noScene.films++;
    if (spec.names(imdb)) noScene.named++;
  }
  const r = (recall.all.named + 0.5) / (recall.all.films + 1);
  const f = (noScene.named + 0.5) / (noScene.films + 1);
  return { list: spec.list, labels, recall, noScene, lrNamed: r / f, lrNotNamed: (1 - r) / (1 - f) };
}

/**
 * The lists measured: AfterCredits (the films the store says it ever listed), TMDB's keywords (films with a
 * keyword list), MediaStinger (`mediastinger`: the IMDb ids of its films; it can only name films whose TMDB id is
 * known, `withTmdbId`) — over all films, and among the films AfterCredits never listed.
 */
export function measureLists(inputs: FitInputs, mediastinger: ReadonlySet<string>, withTmdbId: ReadonlySet<string>): ListMeasure[] {
  const hand = handLabels(inputs);
  const handSets = sceneSets(hand);
  const bothSets = sceneSets(new Map([...keywordTruth(inputs.keywords, inputs.mcu), ...hand]));
  const year = (imdb: string) => yearOf(inputs, imdb);
  const listed = (imdb: string) => inputs.listings.has(imdb);
  const tagged = (imdb: string) => {
    const k = inputs.keywords.get(imdb);
    return Boolean(k && (k.during || k.after));
  };
  const specs: { spec: ListSpec; keywordLabels: boolean }[] = [
    { spec: { list: 'AfterCredits', names: listed }, keywordLabels: true },
    // TMDB's own labels would measure it against itself.
    { spec: { list: 'TMDB keywords', names: tagged, couldName: (i) => inputs.keywords.has(i) }, keywordLabels: false },
    { spec: { list: 'MediaStinger', names: (i) => mediastinger.has(i), couldName: (i) => withTmdbId.has(i) }, keywordLabels: true },
    { spec: { list: 'MediaStinger, AC unlisted', names: (i) => mediastinger.has(i), couldName: (i) => withTmdbId.has(i) && !listed(i) }, keywordLabels: true },
  ];
  return specs.flatMap(({ spec, keywordLabels }) => [
    measureList(spec, 'hand', handSets.withScene, handSets.withoutScene, year),
    ...(keywordLabels ? [measureList(spec, 'hand+keywords', bothSets.withScene, handSets.withoutScene, year)] : []),
  ]);
}

/** Among the well-known films of one genre: how many, how many the list names, and of the others how many TMDB tags. */
export interface GenreRate {
  genre: string;
  films: number;
  listed: number;
  /** Not listed by AfterCredits, with a TMDB keyword list. */
  unlistedWithKeywords: number;
  /** Of those, tagged with a stinger keyword: a scene the list missed (a floor: TMDB's tags miss some too). */
  unlistedTagged: number;
}

/**
 * The base rate by genre over the well-known population (`genres`: the genres of its films): the share
 * AfterCredits lists, and among the films it does not, the share TMDB's keywords tag — what a genre says of a
 * film the list is silent on. First row: every genre.
 */
export function genreRates(inputs: FitInputs, genres: ReadonlyMap<string, readonly string[]>): GenreRate[] {
  const rows = new Map<string, GenreRate>();
  const row = (genre: string) => rows.get(genre) ?? rows.set(genre, { genre, films: 0, listed: 0, unlistedWithKeywords: 0, unlistedTagged: 0 }).get(genre)!;
  row('all genres');
  for (const imdb of inputs.population) {
    const k = inputs.keywords.get(imdb);
    const listed = inputs.listings.has(imdb);
    for (const genre of ['all genres', ...(genres.get(imdb) ?? [])]) {
      const r = row(genre);
      r.films++;
      if (listed) r.listed++;
      else if (k) {
        r.unlistedWithKeywords++;
        if (k.during || k.after) r.unlistedTagged++;
      }
    }
  }
  const [all, ...rest] = [...rows.values()];
  return [all!, ...rest.sort((a, b) => b.films - a.films || a.genre.localeCompare(b.genre))];
}

/** The genre table as `npm run measure:lists` prints it (genres of at least `minFilms` films). */
export function formatGenreRates(rates: readonly GenreRate[], minFilms = 30): string {
  const pct = (k: number, n: number) => (n === 0 ? '—' : `${k}/${n} ${((100 * k) / n).toFixed(1)}%`);
  const head = ['genre', 'films', 'listed by AfterCredits', 'not listed, tagged by TMDB'];
  const rows = rates.filter((r) => r.films >= minFilms).map((r) => [r.genre, String(r.films), pct(r.listed, r.films), pct(r.unlistedTagged, r.unlistedWithKeywords)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return `${[line(head), ...rows.map(line)].join('\n')}\n`;
}

/** The genres of the well-known films (TMDB's, from the population file), by IMDb id. */
export function readGenres(datasets: string): Map<string, string[]> {
  const full = path.join(datasets, POPULATION_FILE);
  if (!existsSync(full)) throw new ValidationError(full, ['- (file): not found — give --datasets <dir> (../shared/datasets)']);
  const genres = new Map<string, string[]>();
  for (const row of csvObjects(readFileSync(full, 'utf8')).slice(0, -1)) {
    const imdb = (row.imdb_id ?? '').trim();
    if (IMDB_ID.test(imdb) && !genres.has(imdb)) genres.set(imdb, (row.genres ?? '').split(',').map((g) => g.trim()).filter(Boolean));
  }
  return genres;
}

const rate = (x: NamedRate) => (x.films === 0 ? '—' : `${x.named}/${x.films} ${Math.round((100 * x.named) / x.films)}%`);

/** The measures as the table `scripts/measure-lists.ts` prints. */
export function formatListMeasures(measures: readonly ListMeasure[]): string {
  const bands = YEAR_BANDS.filter((b) => measures.some((m) => m.recall[b].films > 0));
  const head = ['list', 'labels', ...bands, 'all', 'no scene', '×named', '×not named'];
  const rows = measures.map((m) => [m.list, m.labels, ...bands.map((b) => rate(m.recall[b])), rate(m.recall.all), rate(m.noScene), m.lrNamed.toFixed(2), m.lrNotNamed.toFixed(2)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return `${[line(head), ...rows.map(line)].join('\n')}\n`;
}

/** MovieLens' links (TMDB and IMDb ids of 62,000 films), the widest crosswalk of the datasets. */
export const MOVIELENS_LINKS = 'movielens_ml_25m/links.csv';

/**
 * TMDB id → IMDb id, from the datasets' crosswalks (TMDB's keyword snapshots, its most-voted films, MovieLens'
 * links), the first that names a TMDB id winning. A missing file is an error naming it.
 */
export function readTmdbCrosswalk(datasets: string): Map<number, string> {
  const crosswalk = new Map<number, string>();
  const add = (tmdb: string | undefined, imdb: string | undefined) => {
    const id = Number(tmdb);
    const tt = (imdb ?? '').trim();
    if (Number.isInteger(id) && id > 0 && IMDB_ID.test(tt) && !crosswalk.has(id)) crosswalk.set(id, tt);
  };
  const read = (file: string) => {
    const full = path.join(datasets, file);
    if (!existsSync(full)) throw new ValidationError(full, ['- (file): not found — give --datasets <dir> (../shared/datasets)']);
    return csvObjects(readFileSync(full, 'utf8'));
  };
  for (const row of read(DERIVED_FILE)) add(row.tmdb_id, row.imdb_id);
  // Its last row is cut short mid-record (`fit-data.ts`): dropped.
  for (const row of read(POPULATION_FILE).slice(0, -1)) add(row.id, row.imdb_id);
  // MovieLens writes IMDb ids as their digits: "0114709".
  for (const row of read(MOVIELENS_LINKS)) add(row.tmdbId, row.imdbId && `tt${row.imdbId.trim()}`);
  return crosswalk;
}
