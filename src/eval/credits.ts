/**
 * Evaluation of the published credit-scene verdicts against a truth file — pure: text and records in,
 * figures out (the command line is `cli.ts`).
 *
 * Truth file: CSV with the columns `imdb_id,during_credits,after_credits` (any order, a BOM and CRLF
 * tolerated), and optionally `title` and `year` (read) and any others (the truth set's own notes and evidence,
 * ignored); values yes/no, also true/false and 1/0 (any case). An empty cell means the truth does not judge
 * that slot (a list that only knows positives for one slot), so the film counts for the other slot only. A
 * missing or repeated column, or another value, is an error naming its line.
 *
 * Per slot: coverage = films answered (true or false) / films the truth judges; accuracy on the answered;
 * precision and recall of "yes"; the confusion table truth yes/no × published true/false/null. A truth film
 * the dataset lacks counts as unanswered (null); dataset films the truth lacks are not scored. Every wrong
 * answer is listed with the evidence behind it.
 */
import { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { IMDB_ID } from '../schema/ids.ts';
import { CreditScenes, type CreditSceneEvidence, type ScenePosition } from '../schema/movie.ts';

/** The columns a truth file must have. */
export const TRUTH_COLUMNS = ['imdb_id', 'during_credits', 'after_credits'] as const;
/** Columns read when present. */
export const OPTIONAL_TRUTH_COLUMNS = ['title', 'year'] as const;

/** One film of the truth file; a slot's null = not judged. */
export interface TruthRow {
  imdb: string;
  during: boolean | null;
  after: boolean | null;
  /** 1-based line in the file. */
  line: number;
  /** The film's title and release year, when the file gives them. */
  title?: string;
  year?: number;
}

const TRUE_VALUES = new Set(['yes', 'true', '1']);
const FALSE_VALUES = new Set(['no', 'false', '0']);

/** Splits CSV text into rows of cells (RFC 4180 quoting: `"a,b"`, `""` for a quote inside quotes). */
export function parseCsv(text: string): { cells: string[]; line: number }[] {
  const rows: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = () => {
    cells.push(cell);
    if (cells.length > 1 || cells[0]!.trim() !== '') rows.push({ cells, line: rowLine });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"' && cell.trim() === '') {
      cell = '';
      quoted = true;
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else cell += c;
  }
  if (cell !== '' || cells.length > 0) endRow();
  return rows;
}

/** Reads a truth file. Throws a `ValidationError` listing every bad line (header, id, value, duplicate). */
export function parseTruthCsv(text: string, name = 'truth file'): TruthRow[] {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = rows.shift();
  if (!header) throw new ValidationError(name, ['- (file): empty — expected the header imdb_id,during_credits,after_credits']);
  const columns = header.cells.map((c) => c.trim().toLowerCase());
  const missing = TRUTH_COLUMNS.filter((c) => !columns.includes(c));
  const repeated = columns.filter((c, i) => c !== '' && columns.indexOf(c) !== i);
  if (missing.length || repeated.length) {
    throw new ValidationError(name, [
      `- line ${header.line}: the header must name ${TRUTH_COLUMNS.join(',')} (any order, other columns allowed)` +
        `${missing.length ? `; missing: ${missing.join(', ')}` : ''}${repeated.length ? `; repeated: ${repeated.join(', ')}` : ''}`,
    ]);
  }
  const at = (column: (typeof TRUTH_COLUMNS)[number] | (typeof OPTIONAL_TRUTH_COLUMNS)[number]) => columns.indexOf(column);
  const issues: string[] = [];
  const truth: TruthRow[] = [];
  const seen = new Map<string, number>();
  for (const { cells, line } of rows) {
    if (cells.length !== columns.length) {
      issues.push(`- line ${line}: ${cells.length} cells, expected ${columns.length}`);
      continue;
    }
    const imdb = cells[at('imdb_id')]!.trim();
    if (!IMDB_ID.test(imdb)) issues.push(`- line ${line}: "${imdb.slice(0, 40)}" is not an IMDb id`);
    else if (seen.has(imdb)) issues.push(`- line ${line}: ${imdb} already on line ${seen.get(imdb)}`);
    const value = (column: (typeof TRUTH_COLUMNS)[number]): boolean | null | undefined => {
      const raw = cells[at(column)]!.trim().toLowerCase();
      if (raw === '') return null;
      if (TRUE_VALUES.has(raw)) return true;
      if (FALSE_VALUES.has(raw)) return false;
      issues.push(`- line ${line}: ${column} "${raw.slice(0, 20)}" is not yes/no (true/false, 1/0, or empty for "not judged")`);
      return undefined;
    };
    const during = value('during_credits');
    const after = value('after_credits');
    const title = at('title') >= 0 ? cells[at('title')]!.trim() : '';
    const yearCell = at('year') >= 0 ? cells[at('year')]!.trim() : '';
    const year = yearCell === '' ? undefined : Number(yearCell);
    if (year !== undefined && !(Number.isInteger(year) && year >= 1870 && year <= 2100)) issues.push(`- line ${line}: year "${yearCell.slice(0, 20)}" is not a year`);
    if (!IMDB_ID.test(imdb) || seen.has(imdb) || during === undefined || after === undefined) continue;
    seen.set(imdb, line);
    truth.push({ imdb, during, after, line, ...(title && { title }), ...(year !== undefined && Number.isInteger(year) && { year }) });
  }
  if (issues.length) throw new ValidationError(name, issues.length > 20 ? [...issues.slice(0, 20), `- … and ${issues.length - 20} more`] : issues);
  return truth;
}

/** What the evaluation reads of a published record (`movies.json`). */
export const PublishedRecord = z
  .object({
    id: z.string(),
    ids: z.object({ imdb: z.string().optional() }).loose(),
    title: z.string().nullable(),
    creditScenes: CreditScenes,
  })
  .loose();
export type PublishedRecord = z.infer<typeof PublishedRecord>;

/** A published answer: true, false, or null (unknown, or the film is not in the dataset). */
export type Answer = boolean | null;

/** Published true/false/null counts for one truth value. */
export interface AnswerCounts {
  true: number;
  false: number;
  null: number;
}

/** Scores of one slot. Ratios are null when their denominator is 0. */
export interface SlotScore {
  slot: ScenePosition;
  /** Truth films that judge this slot. */
  judged: number;
  /** Of those, films the dataset does not have at all (counted as unanswered). */
  absent: number;
  /** Published true or false. */
  answered: number;
  correct: number;
  /** answered / judged. */
  coverage: number | null;
  /** correct / answered. */
  accuracy: number | null;
  /** Published true that the truth says yes / published true. */
  precision: number | null;
  /** Published true that the truth says yes / truth yes. */
  recall: number | null;
  /** Truth yes/no × published true/false/null. */
  confusion: { yes: AnswerCounts; no: AnswerCounts };
}

/** A published answer the truth contradicts, with what the sources said. */
export interface WrongAnswer {
  imdb: string;
  title: string | null;
  slot: ScenePosition;
  truth: boolean;
  published: boolean;
  confidence: number;
  evidence: CreditSceneEvidence[];
}

/** The whole evaluation. */
export interface CreditEvaluation {
  /** Films in the truth file. */
  truthFilms: number;
  /** Of those, films the dataset has. */
  inDataset: number;
  slots: Record<ScenePosition, SlotScore>;
  /** Sorted by slot, then IMDb id. */
  wrong: WrongAnswer[];
}

/** Published records by IMDb id (the record id, or `ids.imdb` for a record filed under a TMDB id). */
export function recordsByImdb(records: readonly PublishedRecord[]): Map<string, PublishedRecord> {
  const byImdb = new Map<string, PublishedRecord>();
  for (const record of records) {
    const imdb = IMDB_ID.test(record.id) ? record.id : record.ids.imdb;
    if (imdb) byImdb.set(imdb, record);
  }
  return byImdb;
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** Scores the published records against the truth. */
export function evaluateCredits(truth: readonly TruthRow[], records: readonly PublishedRecord[]): CreditEvaluation {
  const published = recordsByImdb(records);
  const wrong: WrongAnswer[] = [];
  const score = (slot: ScenePosition): SlotScore => {
    const confusion = { yes: { true: 0, false: 0, null: 0 }, no: { true: 0, false: 0, null: 0 } };
    let judged = 0;
    let absent = 0;
    for (const row of truth) {
      const expected = row[slot];
      if (expected === null) continue;
      judged++;
      const record = published.get(row.imdb);
      if (!record) absent++;
      const answer: Answer = record ? record.creditScenes[slot] : null;
      confusion[expected ? 'yes' : 'no'][String(answer) as keyof AnswerCounts]++;
      if (record && answer !== null && answer !== expected) {
        wrong.push({
          imdb: row.imdb,
          title: record.title,
          slot,
          truth: expected,
          published: answer,
          confidence: record.creditScenes.confidence,
          evidence: record.creditScenes.evidence,
        });
      }
    }
    const truePositives = confusion.yes.true;
    const answered = confusion.yes.true + confusion.yes.false + confusion.no.true + confusion.no.false;
    const correct = truePositives + confusion.no.false;
    return {
      slot,
      judged,
      absent,
      answered,
      correct,
      coverage: ratio(answered, judged),
      accuracy: ratio(correct, answered),
      precision: ratio(truePositives, confusion.yes.true + confusion.no.true),
      recall: ratio(truePositives, confusion.yes.true + confusion.yes.false + confusion.yes.null),
      confusion,
    };
  };
  const slots = { during: score('during'), after: score('after') };
  return {
    truthFilms: truth.length,
    inDataset: truth.filter((row) => published.has(row.imdb)).length,
    slots,
    wrong: wrong.sort((a, b) => (a.slot === b.slot ? 0 : a.slot === 'during' ? -1 : 1) || (a.imdb < b.imdb ? -1 : a.imdb > b.imdb ? 1 : 0)),
  };
}

function percent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

/** The evaluation as a plain-text report. */
export function formatEvaluation(evaluation: CreditEvaluation): string {
  const lines = [`Truth: ${evaluation.truthFilms} films, ${evaluation.inDataset} of them in the dataset.`, ''];
  for (const s of Object.values(evaluation.slots)) {
    const { yes, no } = s.confusion;
    lines.push(
      `${s.slot}: ${s.judged} films judged (${s.absent} not in the dataset)`,
      `  coverage ${percent(s.coverage)} (${s.answered}/${s.judged})   accuracy ${percent(s.accuracy)} (${s.correct}/${s.answered})   ` +
        `precision(yes) ${percent(s.precision)}   recall(yes) ${percent(s.recall)}`,
      '                 published: true   false    null',
      `  truth yes      ${String(yes.true).padStart(15)} ${String(yes.false).padStart(7)} ${String(yes.null).padStart(7)}`,
      `  truth no       ${String(no.true).padStart(15)} ${String(no.false).padStart(7)} ${String(no.null).padStart(7)}`,
      '',
    );
  }
  lines.push(`Wrong answers: ${evaluation.wrong.length}`);
  for (const w of evaluation.wrong) {
    lines.push(`  ${w.slot} ${w.imdb}${w.title ? ` ${w.title}` : ''}: published ${w.published} (confidence ${w.confidence}), truth ${yesNo(w.truth)}`);
    for (const e of w.evidence) {
      const claims = [e.during !== undefined && e.during !== null && `during=${e.during}`, e.after !== undefined && e.after !== null && `after=${e.after}`].filter(Boolean).join(' ');
      lines.push(`    ${e.source}${claims ? ` ${claims}` : ' (no slot claim)'}${e.detail ? ` — ${e.detail}` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
