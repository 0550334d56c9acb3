/**
 * eval:credits — the truth file reader and the arithmetic on a tiny truth file with known answers, the text
 * report, and the command line on temporary files.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NO_ANSWER } from '../helpers/records.ts';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.ts';
import { main } from '../../src/eval/cli.ts';
import { evaluateCredits, formatEvaluation, parseCsv, parseTruthCsv, type PublishedRecord } from '../../src/eval/credits.ts';

/**
 * Six films, answers known by hand:
 *   film 1: truth yes/no,   published true/false  → both right
 *   film 2: truth yes/yes,  published true/null   → during right, after unanswered
 *   film 3: truth no/yes,   published true/true   → during wrong, after right
 *   film 4: truth no/(—),   published false/true  → during right, after not judged
 *   film 5: truth yes/no,   not in the dataset    → both unanswered
 *   film 6: truth (—)/yes,  published null/false  → after wrong
 */
const TRUTH = ['imdb_id,during_credits,after_credits', 'tt0000001,yes,no', 'tt0000002,yes,yes', 'tt0000003,no,yes', 'tt0000004,no,', 'tt0000005,yes,no', 'tt0000006,,yes'].join('\n');

function record(imdb: string, during: boolean | null, after: boolean | null, options: { id?: string; title?: string } = {}): PublishedRecord {
  return {
    id: options.id ?? imdb,
    ids: { imdb },
    title: options.title ?? null,
    creditScenes: {
      during,
      after,
      confidence: 0.95,
      slots: NO_ANSWER,
      scenes: [],
      evidence: [{ source: 'aftercredits', ...(during !== null && { during }), ...(after !== null && { after }), detail: `tags of ${imdb}`, observedAt: '2026-08-22' }],
    },
  };
}

const PUBLISHED = [
  record('tt0000001', true, false),
  record('tt0000002', true, null),
  record('tt0000003', true, true, { title: 'Three' }),
  record('tt0000004', false, true, { id: 'tmdb:4' }), // filed under a TMDB id: found by ids.imdb
  record('tt0000006', null, false),
  record('tt0000099', true, true), // not in the truth: not scored
];

describe('evaluateCredits on a tiny truth file', () => {
  const evaluation = evaluateCredits(parseTruthCsv(TRUTH), PUBLISHED);

  it('counts the truth films and those the dataset has', () => {
    expect(evaluation.truthFilms).toBe(6);
    expect(evaluation.inDataset).toBe(5);
  });

  it('during: coverage 4/5, accuracy 3/4, precision 2/3, recall 2/3', () => {
    expect(evaluation.slots.during).toEqual({
      slot: 'during',
      judged: 5,
      absent: 1,
      answered: 4,
      correct: 3,
      coverage: 4 / 5,
      accuracy: 3 / 4,
      precision: 2 / 3,
      recall: 2 / 3,
      confusion: { yes: { true: 2, false: 0, null: 1 }, no: { true: 1, false: 1, null: 0 } },
    });
  });

  it('after: coverage 3/5, accuracy 2/3, precision 1/1, recall 1/3', () => {
    expect(evaluation.slots.after).toEqual({
      slot: 'after',
      judged: 5,
      absent: 1,
      answered: 3,
      correct: 2,
      coverage: 3 / 5,
      accuracy: 2 / 3,
      precision: 1,
      recall: 1 / 3,
      confusion: { yes: { true: 1, false: 1, null: 1 }, no: { true: 0, false: 1, null: 1 } },
    });
  });

  it('lists every wrong answer with its evidence, by slot then id', () => {
    expect(evaluation.wrong.map((w) => [w.slot, w.imdb, w.truth, w.published])).toEqual([
      ['during', 'tt0000003', false, true],
      ['after', 'tt0000006', true, false],
    ]);
    expect(evaluation.wrong[0]).toMatchObject({ title: 'Three', confidence: 0.95, evidence: [{ source: 'aftercredits', detail: 'tags of tt0000003' }] });
  });

  it('ratios without a denominator are null, not 0', () => {
    const empty = evaluateCredits(parseTruthCsv('imdb_id,during_credits,after_credits\ntt0000005,yes,\n'), PUBLISHED);
    expect(empty.slots.during).toMatchObject({ judged: 1, answered: 0, coverage: 0, accuracy: null, precision: null, recall: 0 });
    expect(empty.slots.after).toMatchObject({ judged: 0, coverage: null, accuracy: null, precision: null, recall: null });
  });

  it('prints the figures, the confusion tables and the evidence of each wrong answer', () => {
    const text = formatEvaluation(evaluation);
    expect(text).toContain('Truth: 6 films, 5 of them in the dataset.');
    expect(text).toContain('during: 5 films judged (1 not in the dataset)');
    expect(text).toContain('coverage 80.0% (4/5)   accuracy 75.0% (3/4)   precision(yes) 66.7%   recall(yes) 66.7%');
    expect(text).toMatch(/after: 5 films judged[^]*truth yes\s+1\s+1\s+1\n\s+truth no\s+0\s+1\s+1\n/);
    expect(text).toContain('  during tt0000003 Three: published true (confidence 0.95), truth no\n    aftercredits during=true after=true — tags of tt0000003');
    expect(text).toContain('Wrong answers: 2');
  });
});

describe('the truth file', () => {
  it('tolerates a BOM, CRLF, any column order, true/false/1/0 in any case, quotes and blank lines', () => {
    const text = '\uFEFFafter_credits,imdb_id,during_credits\r\n"TRUE",tt0000001,0\r\n\r\nno,"tt0000002",Yes\r\n1,tt0000003,\r\n';
    expect(parseTruthCsv(text)).toEqual([
      { imdb: 'tt0000001', during: false, after: true, line: 2 },
      { imdb: 'tt0000002', during: true, after: false, line: 4 },
      { imdb: 'tt0000003', during: null, after: true, line: 5 },
    ]);
  });

  it('reads title and year when given, allows other columns, and names a missing or repeated one', () => {
    expect(parseTruthCsv('imdb_id,title,year,during_credits,after_credits,evidence\ntt0000001,Ant-Man,2015,yes,no,https://example.org\n')).toEqual([
      { imdb: 'tt0000001', during: true, after: false, line: 2, title: 'Ant-Man', year: 2015 },
    ]);
    expect(() => parseTruthCsv('imdb_id,during_credits\ntt0000001,yes\n')).toThrow(/missing: after_credits/);
    expect(() => parseTruthCsv('imdb_id,imdb_id,during_credits,after_credits\n')).toThrow(/repeated: imdb_id/);
    expect(() => parseTruthCsv('')).toThrow(/empty/);
  });

  it('names every bad line: values, ids, duplicates, cell counts', () => {
    const text = ['imdb_id,during_credits,after_credits', 'tt0000001,maybe,no', 'Ant-Man,yes,no', 'tt0000002,yes,no', 'tt0000002,no,no', 'tt0000003,yes'].join('\n');
    try {
      parseTruthCsv(text, 'truth.csv');
      expect.unreachable('a bad truth file must throw');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([
        '- line 2: during_credits "maybe" is not yes/no (true/false, 1/0, or empty for "not judged")',
        '- line 3: "Ant-Man" is not an IMDb id',
        '- line 5: tt0000002 already on line 4',
        '- line 6: 2 cells, expected 3',
      ]);
      expect((error as Error).message).toMatch(/^truth\.csv failed validation/);
    }
  });

  it('CSV cells: quoted commas, doubled quotes and a quoted line break keep the next row\'s line number right', () => {
    expect(parseCsv('a,"b,c","say ""hi"""\n"x\ny",z\nlast')).toEqual([
      { cells: ['a', 'b,c', 'say "hi"'], line: 1 },
      { cells: ['x\ny', 'z'], line: 2 },
      { cells: ['last'], line: 4 },
    ]);
  });
});

describe('the command line', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'stingerdb-eval-'));
  const truthFile = path.join(dir, 'truth.csv');
  const datasetDir = path.join(dir, 'dataset');
  writeFileSync(truthFile, TRUTH);
  mkdirSync(path.join(datasetDir, 'records'), { recursive: true });
  const run = (...args: string[]) => {
    let out = '';
    let err = '';
    const code = main(args, (t) => (out += t), (t) => (err += t));
    return { code, out, err };
  };

  it('scores a dataset folder and prints the report, or JSON', () => {
    writeFileSync(path.join(datasetDir, 'records', 'movies.json'), JSON.stringify(PUBLISHED));
    const text = run('--truth', truthFile, '--dataset', datasetDir);
    expect(text.code).toBe(0);
    expect(text.out).toContain('accuracy 75.0% (3/4)');
    const json = run('--truth', truthFile, '--dataset', datasetDir, '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ verdicts: { truthFilms: 6, slots: { after: { recall: 1 / 3 } } }, answers: { films: 6, unknownToSources: 6 } });
    // Films no source knows are answered from the truth's title and year only (none given here): each slot is judged.
    expect(text.out).toContain('6 truth films, each answered by a model fitted without it');
  });

  it('bad usage is exit code 2; an unreadable or invalid file is 1 with the reason', () => {
    expect(run('--no-such-option').code).toBe(2);
    expect(run('--truth').code).toBe(2);
    expect(run('--help').out).toContain('--truth <csv>');
    const missing = run('--truth', path.join(dir, 'nope.csv'), '--dataset', datasetDir);
    expect([missing.code, missing.err]).toEqual([1, expect.stringContaining('ENOENT')]);
    writeFileSync(path.join(dir, 'bad.csv'), 'imdb_id,during_credits\n');
    expect(run('--truth', path.join(dir, 'bad.csv'), '--dataset', datasetDir).err).toContain('missing: after_credits');
    writeFileSync(path.join(datasetDir, 'records', 'movies.json'), '[{"id": "tt0000001"}]');
    const invalid = run('--truth', truthFile, '--dataset', datasetDir);
    expect([invalid.code, invalid.err]).toEqual([1, expect.stringContaining('movies.json failed validation')]);
  });
});
