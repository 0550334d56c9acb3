/**
 * `eval:credits` — scores the answers (`creditScenes.slots`, cross-validated: `answers.ts`) and a published
 * dataset's reported verdicts (`credits.ts`) against a truth CSV, and prints the figures per slot, every
 * wrong answer with its `why` or its evidence, and every slot left unknown with its probability and `why`.
 *
 *   npm run eval:credits [-- --truth <csv>] [--dataset <dir>] [--observations <dir>] [--datasets <dir>] [--json]
 *
 * Exit codes: 0 evaluated; 1 a file could not be read or is not what it should be; 2 bad usage.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ValidationError, formatIssues } from '../errors.ts';
import { safeJsonParse } from '../lib/json.ts';
import { PublishedRecord, evaluateCredits, formatEvaluation, parseTruthCsv } from './credits.ts';
import { evaluateAnswers, formatAnswerEvaluation, observationsByImdb } from './answers.ts';
import { DERIVED_FILE, readFitInputs } from './fit-data.ts';
import { ObservationStore } from '../observations/store.ts';
import { THRESHOLDS } from '../normalize/answer-model.ts';

/** The hand-checked truth of the corpus (read in place). */
const DEV_TRUTH = '../shared/truth/credit-truth-dev.csv';

const HELP = `eval:credits — score the answers and the reported verdicts against a truth file

Usage:
  npm run eval:credits [-- options]

The answers (creditScenes.slots) are cross-validated: each truth film is answered by a model fitted without
it, from its observations (as a film on the watchlist). The reported verdicts (creditScenes.during/after) are
read from the published dataset.

Options:
  --truth <csv>          truth file: imdb_id,during_credits,after_credits with yes/no (true/false, 1/0;
                         empty = slot not judged), optional title and year columns
                         (default ../shared/truth/credit-truth-dev.csv; scripts/build-credit-truth.ts builds others)
  --dataset <dir>        the published dataset folder, its full records in records/movies.json (default: dataset/)
  --observations <dir>   the observation store the answers are given from (default: observations/)
  --datasets <dir>       the third-party datasets the model is fitted on (default: ../shared/datasets)
  --fit-truth <csv>      the hand-checked truth the model is fitted on (default: ../shared/truth/credit-truth-dev.csv)
  --keywords             answer as a live run would: a live run has TMDB's keyword list of every film, a
                         replay only the corpus's few; give each truth film with none in the store the keyword
                         snapshots' of --datasets (derived/credit_scenes_all_sources.csv, 2017–2023; in memory)
  --json                 print the evaluation as JSON
  -h, --help             this help
`;

/** Reads `<dir>/records/movies.json` (the records companion's folder) into the records the evaluation needs. */
export function readPublishedRecords(datasetDir: string): PublishedRecord[] {
  const file = path.join(datasetDir, 'records', 'movies.json');
  const records = z.array(PublishedRecord).safeParse(safeJsonParse(readFileSync(file, 'utf8')));
  if (!records.success) throw new ValidationError(file, formatIssues(records.error.issues, 10));
  return records.data;
}

/** Runs the command; returns the exit code. */
export function main(argv: string[], out: (text: string) => void = (t) => process.stdout.write(t), err: (text: string) => void = (t) => process.stderr.write(t)): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        truth: { type: 'string', default: DEV_TRUTH },
        dataset: { type: 'string', default: 'dataset' },
        observations: { type: 'string', default: 'observations' },
        datasets: { type: 'string', default: '../shared/datasets' },
        'fit-truth': { type: 'string', default: DEV_TRUTH },
        keywords: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    err(`${(error as Error).message}\nRun with --help for the options.\n`);
    return 2;
  }
  if (values.help) {
    out(HELP);
    return 0;
  }
  try {
    const truthFile = values.truth!;
    const truth = parseTruthCsv(readFileSync(truthFile, 'utf8'), truthFile);
    const store = ObservationStore.load(values.observations!);
    const inputs = readFitInputs({ truth: values['fit-truth']!, observations: values.observations!, datasets: values.datasets! }, store);
    const standIn = values.keywords ? { file: path.join(values.datasets!, DERIVED_FILE), keywords: inputs.keywords } : undefined;
    const answers = evaluateAnswers(truth, inputs, observationsByImdb(store.all()), THRESHOLDS, standIn);
    const verdicts = evaluateCredits(truth, readPublishedRecords(values.dataset!));
    out(values.json ? `${JSON.stringify({ answers, verdicts }, null, 2)}\n` : `${formatAnswerEvaluation(answers)}\nReported verdicts (creditScenes.during/after) of ${values.dataset}:\n${formatEvaluation(verdicts)}`);
    return 0;
  } catch (error) {
    err(`eval:credits: ${(error as Error).message}\n`);
    return 1;
  }
}

if (process.argv[1]?.endsWith('/src/eval/cli.ts')) process.exitCode = main(process.argv.slice(2));
