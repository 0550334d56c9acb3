/**
 * `movies.compact.json`: the answer alone, for apps that do not need details, evidence or sources — id,
 * title, year, the two credit verdicts with their confidence, the answer and probability per slot, and the
 * scores as bare numbers.
 *
 * Flat and complete: every key is present in every record, `null` when unknown or not rated (never `0`), so
 * the file is a table (its Table Schema is in `datapackage.json`). One record per line, like `movies.json`.
 */
import { z } from 'zod';
import { MovieId } from '../schema/ids.ts';
import type { Movie } from '../schema/movie.ts';
import { SCORE_CATALOGUE, scaleSchema, scoreValue, type ScoreEntry } from '../schema/scores.ts';

/** The compact file's score columns, typed from the score catalogue: one nullable number per score. */
type CompactScores = { [E in ScoreEntry as E['name']]: z.ZodNullable<z.ZodNumber> };
const compactScores = Object.fromEntries(SCORE_CATALOGUE.map((s) => [s.name, scaleSchema(s.scale).nullable().describe(s.describeCompact)])) as unknown as CompactScores;

/** A compact record (zod): the schema `movies.compact.json`, its declarations and its Table Schema come from. */
export const CompactMovie = z
  .object({
    id: MovieId,
    title: z.string().min(1).nullable().describe('English title; null while only an id is known.'),
    year: z.number().int().min(1870).max(2100).nullable().describe('Year of first release; null when unknown.'),
    during: z
      .boolean()
      .nullable()
      .describe('true: at least one scene plays while the end credits run; false: positive evidence that none does; null: unknown.'),
    after: z
      .boolean()
      .nullable()
      .describe('true: a scene plays after all the credits have finished; false: positive evidence that none does; null: unknown.'),
    confidence: z.number().min(0).max(1).describe('How sure stingerdb is of the two verdicts together, 0 to 1.'),
    duringAnswer: z.enum(['yes', 'no', 'unknown']).describe('Should you stay for the "during" slot: "yes", "no" or "unknown" (README "The answer").'),
    duringProbability: z.number().min(0).max(1).nullable().describe('P(a scene plays during the credits), calibrated; null when nothing is known.'),
    afterAnswer: z.enum(['yes', 'no', 'unknown']).describe('Should you stay for the "after" slot: "yes", "no" or "unknown".'),
    afterProbability: z.number().min(0).max(1).nullable().describe('P(a scene plays after the credits), calibrated; null when nothing is known.'),
    ...compactScores,
  })
  .strict()
  .meta({
    id: 'CompactMovie',
    description: 'One film in `movies.compact.json`: the verdict and the scores without details, evidence or sources. Every key is present; null means unknown or not rated.',
  });
/** One film in `movies.compact.json`. */
export type CompactMovie = z.infer<typeof CompactMovie>;

/** The compact form of a record; keys in schema order (the file is read by people too). */
export function toCompact(movie: Movie): CompactMovie {
  const compact: Record<string, unknown> = {
    id: movie.id,
    title: movie.title,
    year: movie.year ?? null,
    during: movie.creditScenes.during,
    after: movie.creditScenes.after,
    confidence: movie.creditScenes.confidence,
    duringAnswer: movie.creditScenes.slots.during.answer,
    duringProbability: movie.creditScenes.slots.during.probability,
    afterAnswer: movie.creditScenes.slots.after.answer,
    afterProbability: movie.creditScenes.slots.after.probability,
  };
  for (const score of SCORE_CATALOGUE) compact[score.name] = scoreValue(movie.scores, score);
  return compact as CompactMovie;
}

const { id, title, year, during, after, confidence, duringAnswer, duringProbability, afterAnswer, afterProbability, ...scoreColumns } = CompactMovie.shape;
const basis = z.enum(['reported', 'inferred', 'none']);

/**
 * What the dataset package (`stingerdb`) answers for a film (zod): the compact record, plus the TMDB id and, per
 * slot, what the answer rests on and why — flat, every key present, `null` when unknown or not rated. Full
 * records are the companion package `stingerdb-records`'s.
 */
export const MovieAnswer = z
  .object({
    id,
    tmdbId: z.number().int().positive().nullable().describe('TMDB id; null when no source gave one.'),
    title,
    year,
    during,
    after,
    confidence,
    duringAnswer,
    duringProbability,
    duringBasis: basis.describe('What the "during" answer rests on: "reported" (a source\'s claim), "inferred" (what sources did not say), "none".'),
    duringWhy: z.string().min(1).describe('One plain sentence saying why, for a reader.'),
    afterAnswer,
    afterProbability,
    afterBasis: basis.describe('What the "after" answer rests on: "reported", "inferred" or "none".'),
    afterWhy: z.string().min(1).describe('One plain sentence saying why, for a reader.'),
    ...scoreColumns,
  })
  .strict()
  .meta({
    id: 'MovieAnswer',
    description:
      'One film as the dataset package answers it: should you stay for the credits (answer, probability, basis and why per slot), the verdicts, title, year, ids and scores. Every key is present; null means unknown or not rated. The full record (`Movie`) is in the companion package stingerdb-records.',
  });
/** One film as `stingerdb` answers it. */
export type MovieAnswer = z.infer<typeof MovieAnswer>;

/** The columns of `movies.answers.json`, in order: each row is an array of these values. */
export const ANSWER_COLUMNS = Object.keys(MovieAnswer.shape) as (keyof MovieAnswer)[];
/** The columns stored as a position in the index's `whys` (the sentences repeat: each is kept once). */
export const WHY_COLUMNS: ReadonlySet<string> = new Set(['duringWhy', 'afterWhy']);

/** The answer of a record (`compact`: its compact form, when already made). */
export function toAnswer(movie: Movie, compact: CompactMovie = toCompact(movie)): MovieAnswer {
  const { during: d, after: a } = movie.creditScenes.slots;
  const { duringAnswer: _d, duringProbability: _dp, afterAnswer: _a, afterProbability: _ap, ...rest } = compact;
  const answer: Record<string, unknown> = {
    ...rest,
    tmdbId: movie.ids.tmdb ?? null,
    duringAnswer: d.answer,
    duringProbability: d.probability,
    duringBasis: d.basis,
    duringWhy: d.why,
    afterAnswer: a.answer,
    afterProbability: a.probability,
    afterBasis: a.basis,
    afterWhy: a.why,
  };
  return Object.fromEntries(ANSWER_COLUMNS.map((c) => [c, answer[c]])) as MovieAnswer;
}

/** A row of `movies.answers.json`: an answer's values in column order, each why as its position in `whys`. */
export function answerRow(answer: MovieAnswer, whys: Map<string, number>): unknown[] {
  return ANSWER_COLUMNS.map((column) => {
    const value = answer[column];
    if (!WHY_COLUMNS.has(column)) return value;
    let at = whys.get(value as string);
    if (at === undefined) whys.set(value as string, (at = whys.size));
    return at;
  });
}
