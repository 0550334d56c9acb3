/**
 * `eval:credits` — scores a published dataset's credit-scene verdicts against a truth CSV and prints the
 * figures per slot and every wrong answer with its evidence (`credits.ts` does the arithmetic).
 *
 *   npx tsx src/eval/cli.ts --truth <csv> [--dataset <dir>] [--json]
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

const HELP = `eval:credits — score the published credit-scene verdicts against a truth file

Usage:
  npx tsx src/eval/cli.ts --truth <csv> [--dataset <dir>] [--json]

Options:
  --truth <csv>      truth file: imdb_id,during_credits,after_credits with yes/no (true/false, 1/0;
                     empty = slot not judged). Build one with scripts/build-credit-truth.ts.
  --dataset <dir>    the published dataset folder holding movies.json (default: dataset/)
  --json             print the evaluation as JSON
  -h, --help         this help
`;

/** Reads `<dir>/movies.json` into the records the evaluation needs. */
export function readPublishedRecords(datasetDir: string): PublishedRecord[] {
  const file = path.join(datasetDir, 'movies.json');
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
        truth: { type: 'string' },
        dataset: { type: 'string', default: 'dataset' },
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
  if (!values.truth) {
    err('--truth <csv> is required. Run with --help for the options.\n');
    return 2;
  }
  try {
    const truth = parseTruthCsv(readFileSync(values.truth, 'utf8'), values.truth);
    const evaluation = evaluateCredits(truth, readPublishedRecords(values.dataset!));
    out(values.json ? `${JSON.stringify(evaluation, null, 2)}\n` : formatEvaluation(evaluation));
    return 0;
  } catch (error) {
    err(`eval:credits: ${(error as Error).message}\n`);
    return 1;
  }
}

if (process.argv[1]?.endsWith('/src/eval/cli.ts')) process.exitCode = main(process.argv.slice(2));
