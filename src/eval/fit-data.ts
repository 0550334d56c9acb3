/**
 * Reads what the answer model is fitted on (`fit.ts`), in place — never copied into the repository:
 * - the truth file (`--truth`, default `../shared/truth/credit-truth-dev.csv`);
 * - the observation store (`observations/`): AfterCredits' newest reading of every film it ever listed (the
 *   store keeps the last listing of a film the feed dropped), the MCU API's strong claims, years;
 * - `../shared/datasets/`: `derived/credit_scenes_all_sources.csv` (TMDB keyword snapshots joined to IMDb
 *   ids) and `tmdb_movie_dataset_v11_head/` (the 2,630 most-voted TMDB films to 2023-08, whose last row is cut
 *   short and dropped) — the well-known population and years.
 * A file that is missing or not what it should be is an error naming it and what to give instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ValidationError } from '../errors.ts';
import { IMDB_ID } from '../schema/ids.ts';
import type { ScenePosition, SlotReadings } from '../schema/movie.ts';
import { ObservationStore } from '../observations/store.ts';
import type { Observation } from '../schema/observation.ts';
import { parseCsv, parseTruthCsv } from './credits.ts';
import type { FitInputs, Label } from './fit.ts';

/** The derived file's TMDB keyword snapshots (one row per film and snapshot). */
export const TMDB_SNAPSHOTS = ['tmdb_keywords_moviesdataset_2017', 'tmdb_keywords_tmdb5000_2017', 'tmdb_keywords_v11_2023'];
export const DERIVED_FILE = 'derived/credit_scenes_all_sources.csv';
export const POPULATION_FILE = 'tmdb_movie_dataset_v11_head/TMDB_movie_dataset_v11.truncated.csv';

/** Where the fit's inputs are. */
export interface FitPaths {
  truth: string;
  observations: string;
  datasets: string;
}

/** The command-line options naming the fit's inputs, their defaults beside the repository at `root`. */
export function fitPathOptions(root: string) {
  const option = (file: string) => ({ type: 'string' as const, default: path.join(root, file) });
  return { truth: option('../shared/truth/credit-truth-dev.csv'), observations: option('observations'), datasets: option('../shared/datasets') };
}

function read(file: string, what: string): string {
  if (!existsSync(file)) throw new ValidationError(file, [`- (file): not found — ${what}`]);
  return readFileSync(file, 'utf8');
}

/** Rows of a CSV file as objects by header name. */
export function csvObjects(text: string): Record<string, string>[] {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = rows.shift()?.cells.map((c) => c.trim()) ?? [];
  return rows.map(({ cells }) => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])));
}

/** TMDB keyword snapshots: per film with a keyword list in any snapshot, whether any snapshot tags each slot. */
export function readKeywords(derivedCsv: string): Map<string, Record<ScenePosition, boolean>> {
  const keywords = new Map<string, Record<ScenePosition, boolean>>();
  for (const row of csvObjects(derivedCsv)) {
    const imdb = (row.imdb_id ?? '').trim();
    // Blank flags = the snapshot has no keyword list for the film: it says nothing.
    if (!TMDB_SNAPSHOTS.includes(row.source ?? '') || !IMDB_ID.test(imdb) || row.during_credits === '') continue;
    const seen = keywords.get(imdb) ?? { during: false, after: false };
    keywords.set(imdb, { during: seen.during || row.during_credits === 'true', after: seen.after || row.after_credits === 'true' });
  }
  return keywords;
}

/** The IMDb id of the film an observation is about: the one it carries, else the id it is filed under. */
export function imdbOf(o: Observation): string | undefined {
  return o.ids.imdb ?? (IMDB_ID.test(o.movie) ? o.movie : undefined);
}

/** Everything `fitModel` reads, from the files (`store`: the observation store, when the caller has it loaded). */
export function readFitInputs(paths: FitPaths, store: ObservationStore = ObservationStore.load(paths.observations)): FitInputs {
  const truthRows = parseTruthCsv(read(paths.truth, 'give --truth <csv> (the hand-checked truth, e.g. ../shared/truth/credit-truth-dev.csv)'), paths.truth);
  const truth = new Map(truthRows.map((r) => [r.imdb, { during: r.during, after: r.after, year: r.year ?? null }]));

  const listings = new Map<string, SlotReadings>();
  const mcu = new Map<string, Label>();
  const years = new Map<string, number>();
  for (const o of store.all()) {
    const imdb = imdbOf(o);
    if (!imdb) continue;
    if (o.kind === 'creditScenes' && o.source === 'aftercredits') listings.set(imdb, o.reading ?? { during: 'unplaced', after: 'unplaced' });
    if (o.kind === 'creditScenes' && o.source === 'mcuapi' && o.strength === 'strong') mcu.set(imdb, { during: o.during, after: o.after });
    if (o.kind === 'details' && typeof o.year === 'number' && !years.has(imdb)) years.set(imdb, o.year);
  }
  if (listings.size === 0) {
    throw new ValidationError(paths.observations, ['- (folder): no AfterCredits observation — give --observations <dir> holding aftercredits.jsonl (the committed observations/)']);
  }

  const derived = read(path.join(paths.datasets, DERIVED_FILE), 'give --datasets <dir> (../shared/datasets)');
  const keywords = readKeywords(derived);
  for (const row of csvObjects(derived)) {
    const imdb = (row.imdb_id ?? '').trim();
    const year = Number(row.year);
    if (IMDB_ID.test(imdb) && Number.isInteger(year) && year > 1870 && !years.has(imdb)) years.set(imdb, year);
  }
  const rows = csvObjects(read(path.join(paths.datasets, POPULATION_FILE), 'give --datasets <dir> (../shared/datasets)'));
  const population = new Set<string>();
  for (const row of rows.slice(0, -1)) {
    const imdb = (row.imdb_id ?? '').trim();
    if (!IMDB_ID.test(imdb) || population.has(imdb)) continue;
    population.add(imdb);
    const year = Number((row.release_date ?? '').slice(0, 4));
    if (Number.isInteger(year) && year > 1870) years.set(imdb, year);
  }
  return { truth, listings, mcu, keywords, years, population: [...population] };
}
