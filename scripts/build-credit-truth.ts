/**
 * Builds a credit-scene truth file for `eval:credits` from the third-party lists in ../shared/datasets.
 * The file is for local evaluation only: never commit it (the lists' terms forbid republishing their rows).
 *
 *   npx tsx scripts/build-credit-truth.ts --out /tmp/credit-truth.csv [--datasets <dir>] [--mcuapi-judges]
 *
 * Which truth, and why. The published verdicts come mostly from AfterCredits (aftercredits.com tags), so
 * AfterCredits is left out of the truth: scoring its own claims against it would be circular. What remains,
 * as independent of it as the staged data allows:
 * - TMDB keywords (`duringcreditsstinger`, `aftercreditsstinger`) in three snapshots — The Movies Dataset
 *   (2017-07), TMDB 5000 (≈2017), TMDB v11 (≤2023-08) — read from `derived/credit_scenes_all_sources.csv`,
 *   which joins them to IMDb ids (MANIFEST §5.1). Per slot: "yes" when any snapshot carries the slot's
 *   keyword; "no" only when no snapshot carries it while one carries the other slot's keyword (the taggers
 *   described the film's credit scenes and left this slot out); otherwise not judged — a list that merely
 *   lacks a keyword is not evidence of absence (MANIFEST: "keyword absence ≠ no scene"). The replay corpus
 *   holds no TMDB stinger keyword, so in replay these labels share nothing with the pipeline's evidence; in a
 *   live run the pipeline reads TMDB keywords too, and the figures flatter it.
 * - MCU API scene records (`mcuapi/`), read exactly as the `mcuapi` source reads them (position overrides,
 *   descriptions), strong claims only. By default they only veto: a slot where they contradict TMDB is not
 *   judged. With `--mcuapi-judges` they also judge slots TMDB leaves open (Endgame, The Incredible Hulk, recent
 *   films) — circular for those films, since the pipeline reads the same feed.
 * A slot is judged when at least one witness speaks and none contradicts; a film with no judged slot is left
 * out. Known weakness: TMDB taggers use `duringcreditsstinger` for stills and dedications too, which the
 * contract does not count as scenes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseCsv } from '../src/eval/credits.ts';
import { IMDB_ID } from '../src/schema/ids.ts';
import { type ScenePosition } from '../src/schema/movie.ts';
import type { ParsedObservation } from '../src/schema/observation.ts';
import { MCUAPI_INDEX_URL, MCUAPI_MOVIES_URL, MCUAPI_SCENES_URL } from '../src/scrapers/mcuapi/index.ts';
import { creditSceneObservations, parseMcuIndex, parseMcuMovies, parseMcuScenes } from '../src/scrapers/mcuapi/parse.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The derived file's TMDB keyword sources (one row per film and snapshot). */
const TMDB_SNAPSHOTS = ['tmdb_keywords_moviesdataset_2017', 'tmdb_keywords_tmdb5000_2017', 'tmdb_keywords_v11_2023'];

type Verdict = boolean | null;
type SlotVerdicts = Record<ScenePosition, Verdict>;

/** One witness's view of a film: a value per slot, null = silent. */
type Witness = Map<string, SlotVerdicts>;

/** TMDB keyword snapshots → per film and slot: yes (any snapshot tags it), no (tagged absence), or silent. */
function tmdbWitness(derivedCsv: string): Witness {
  const rows = parseCsv(derivedCsv.replace(/^\uFEFF/, ''));
  const header = rows.shift()!.cells;
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`derived/credit_scenes_all_sources.csv: no column ${name}`);
    return i;
  };
  const [imdbAt, duringAt, afterAt, sourceAt] = [col('imdb_id'), col('during_credits'), col('after_credits'), col('source')];
  const tags = new Map<string, { during: boolean; after: boolean }>();
  for (const { cells } of rows) {
    const imdb = cells[imdbAt]?.trim() ?? '';
    // Blank flags = the snapshot has no keyword list for the film: it says nothing.
    if (!TMDB_SNAPSHOTS.includes(cells[sourceAt] ?? '') || !IMDB_ID.test(imdb) || cells[duringAt] === '') continue;
    const seen = tags.get(imdb) ?? { during: false, after: false };
    tags.set(imdb, { during: seen.during || cells[duringAt] === 'true', after: seen.after || cells[afterAt] === 'true' });
  }
  const witness: Witness = new Map();
  for (const [imdb, { during, after }] of tags) {
    if (!during && !after) continue;
    witness.set(imdb, { during: during ? true : false, after: after ? true : false });
  }
  return witness;
}

/** MCU API records → the strong claims the `mcuapi` source makes. */
function mcuapiWitness(dir: string): Witness {
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
  const { feedDate } = parseMcuIndex(read('index.json'), MCUAPI_INDEX_URL);
  const catalogue = parseMcuMovies(read('movies.json'), MCUAPI_MOVIES_URL);
  const feed = parseMcuScenes(read('post-credit-scenes.json'), MCUAPI_SCENES_URL);
  const { observations } = creditSceneObservations(catalogue.films, feed, feedDate, MCUAPI_SCENES_URL);
  const witness: Witness = new Map();
  for (const o of observations as Extract<ParsedObservation, { kind: 'creditScenes' }>[]) {
    if (o.strength === 'strong' && o.ids.imdb) witness.set(o.ids.imdb, { during: o.during, after: o.after });
  }
  return witness;
}

/** Per slot: the common value when a judging witness speaks and no witness contradicts; else null. */
function combine(imdb: string, judges: readonly Witness[], vetoes: readonly Witness[]): SlotVerdicts {
  const slot = (position: ScenePosition): Verdict => {
    const judged = judges.map((w) => w.get(imdb)?.[position] ?? null).filter((v): v is boolean => v !== null);
    const all = [...judged, ...vetoes.map((w) => w.get(imdb)?.[position] ?? null).filter((v): v is boolean => v !== null)];
    if (judged.length === 0 || new Set(all).size > 1) return null;
    return judged[0]!;
  };
  return { during: slot('during'), after: slot('after') };
}

const USAGE = `usage: npx tsx scripts/build-credit-truth.ts --out <csv> [--datasets <dir>] [--mcuapi-judges]

  --out <csv>        the truth file to write (imdb_id,during_credits,after_credits); for local evaluation only
  --datasets <dir>   the third-party lists (default: $STINGERDB_DATASETS, or ../shared/datasets)
  --mcuapi-judges    let the MCU API judge the slots TMDB leaves open (by default it only vetoes)
  -h, --help         this help
`;

function main(argv: string[]): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        datasets: { type: 'string', default: process.env.STINGERDB_DATASETS ?? path.join(REPO_ROOT, '../shared/datasets') },
        'mcuapi-judges': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    const option = /'(-[^' ]+)/.exec((error as Error).message)?.[1];
    const code = (error as { code?: string }).code;
    const what = code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? `unknown option ${option}` : code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ? `${option}: ${/argument missing/.test((error as Error).message) ? 'needs a value' : 'takes no value'}` : (error as Error).message;
    process.stderr.write(`${what} (--help for the usage)\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!values.out) {
    process.stderr.write(USAGE);
    return 2;
  }
  const datasets = values.datasets!;
  const tmdb = tmdbWitness(readFileSync(path.join(datasets, 'derived/credit_scenes_all_sources.csv'), 'utf8'));
  const mcu = mcuapiWitness(path.join(datasets, 'mcuapi'));
  const judges = values['mcuapi-judges'] ? [tmdb, mcu] : [tmdb];
  const vetoes = values['mcuapi-judges'] ? [] : [mcu];
  const cell = (v: Verdict) => (v === null ? '' : v ? 'yes' : 'no');
  const lines = ['imdb_id,during_credits,after_credits'];
  const counts = { films: 0, during: { yes: 0, no: 0 }, after: { yes: 0, no: 0 }, vetoed: 0 };
  for (const imdb of [...new Set([...tmdb.keys(), ...mcu.keys()])].sort()) {
    const verdict = combine(imdb, judges, vetoes);
    const unvetoed = combine(imdb, judges, []);
    if (verdict.during !== unvetoed.during || verdict.after !== unvetoed.after) counts.vetoed++;
    if (verdict.during === null && verdict.after === null) continue;
    counts.films++;
    for (const slot of ['during', 'after'] as const) if (verdict[slot] !== null) counts[slot][verdict[slot] ? 'yes' : 'no']++;
    lines.push(`${imdb},${cell(verdict.during)},${cell(verdict.after)}`);
  }
  writeFileSync(values.out, `${lines.join('\n')}\n`);
  process.stderr.write(
    `${values.out}: ${counts.films} films — during yes ${counts.during.yes} / no ${counts.during.no}, after yes ${counts.after.yes} / no ${counts.after.no}` +
      `${vetoes.length ? `; ${counts.vetoed} films with a slot vetoed by the MCU API` : '; MCU API judging'}\n`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
