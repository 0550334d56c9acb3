/**
 * Measures the lists of films with credit scenes against the labelled films (`src/eval/lists.ts`): AfterCredits
 * (every film the store says it ever listed), TMDB's stinger keywords (the published snapshots) and the
 * MediaStinger feed (recorded in the corpus; not a source of the pipeline) — overall, and MediaStinger among the
 * films AfterCredits never listed, where it could add what AfterCredits does not say.
 *
 *   npm run measure:lists [-- --truth <csv>] [--observations <dir>] [--datasets <dir>] [--mediastinger <file>] [--json]
 *
 * Exit codes: 0 measured; 1 a file could not be read or is not what it should be; 2 bad usage.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fitPathOptions, readFitInputs } from '../src/eval/fit-data.ts';
import { formatGenreRates, formatListMeasures, genreRates, measureLists, readGenres, readTmdbCrosswalk, type GenreRate, type ListMeasure } from '../src/eval/lists.ts';
import { parseMediaStingerFeed } from '../src/scrapers/mediastinger.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MEDIASTINGER_FILE = 'feeds/mediastinger/pmm-mediastingers_stingers_tmdbid-to-rating_2024-03-24_DERIVED.yml.txt';

const HELP = `measure:lists — how much each list of films with credit scenes says, naming a film or not

Usage:
  npm run measure:lists [-- options]

For AfterCredits, TMDB's stinger keywords and the MediaStinger feed: the recall by release-year band (the share
of films known to have a scene, in either slot, that the list names), the share of hand-checked films with no
scene that it names anyway, and what being named, or not, multiplies the odds of a scene by — counted on
hand-checked films, and on those plus TMDB's keyword labels. The answers use AfterCredits and TMDB's keywords;
MediaStinger is measured, not used (README "Lists measured"). Then, by genre among the well-known films: the
share AfterCredits lists, and among the others the share TMDB's keywords tag (a scene the list missed).

Options:
  --truth <csv>          hand-checked truth (default ../shared/truth/credit-truth-dev.csv)
  --observations <dir>   the observation store (default observations/)
  --datasets <dir>       the third-party datasets (default ../shared/datasets)
  --mediastinger <file>  the MediaStinger feed (default ../shared/corpus/${MEDIASTINGER_FILE})
  --json                 print the measures as JSON
  -h, --help             this help
`;

export function main(argv: string[]): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        ...fitPathOptions(REPO_ROOT),
        mediastinger: { type: 'string', default: path.join(REPO_ROOT, '../shared/corpus', MEDIASTINGER_FILE) },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nRun with --help for the options.\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  let measures: ListMeasure[];
  let genres: GenreRate[];
  let feedNote: string;
  try {
    const feedFile = values.mediastinger!;
    if (!existsSync(feedFile)) throw new Error(`${feedFile}: not found — give --mediastinger <file> (the recorded feed: ../shared/corpus/${MEDIASTINGER_FILE})`);
    const feed = parseMediaStingerFeed(readFileSync(feedFile, 'utf8'));
    const crosswalk = readTmdbCrosswalk(values.datasets!);
    const inputs = readFitInputs({ truth: values.truth!, observations: values.observations!, datasets: values.datasets! });
    const mediastinger = new Set(feed.entries.flatMap((e) => (crosswalk.has(e.tmdb) ? [crosswalk.get(e.tmdb)!] : [])));
    feedNote =
      `MediaStinger: ${feed.entries.length} entries, ${mediastinger.size} matched to an IMDb id through the datasets' crosswalks` +
      `${feed.problems.length ? `; ${feed.problems.length} malformed lines skipped (first: ${feed.problems[0]})` : ''}.\n`;

    measures = measureLists(inputs, mediastinger, new Set(crosswalk.values()));
    genres = genreRates(inputs, readGenres(values.datasets!));
  } catch (error) {
    process.stderr.write(`measure-lists: ${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write(
    values.json
      ? `${JSON.stringify({ lists: measures, genres }, null, 2)}\n`
      : `${feedNote}\n${formatListMeasures(measures)}\nBy genre, among the ${genres[0]!.films} well-known films (TMDB's most voted to 2023-08; genres of 30 films or more):\n${formatGenreRates(genres)}`,
  );
  return 0;
}

if (process.argv[1]?.endsWith('measure-lists.ts')) process.exitCode = main(process.argv.slice(2));
