import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stableStringify } from '../../src/lib/json.ts';
import { changesMarkdown, snapshotRecords, writeChangesJson, type Changes, type FilmSummary, type RecordStream } from '../../src/publish/changes.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'stingerdb-changes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const none = { metascore: null, metacriticUserScore: null, tomatometer: null, audienceScore: null, imdbRating: null, tmdbVoteAverage: null };
const film = (title: string | null, extra: Partial<FilmSummary> = {}): FilmSummary => ({ title, during: null, after: null, answers: { during: null, after: null }, scores: { ...none }, ...extra });
/** Records whose text is their summary's, unless a test gives another (a change the summary does not show). */
const stream = (entries: [string, FilmSummary, string?][]): RecordStream => () =>
  entries.map(([id, summary, text]) => [id, { text: text ?? JSON.stringify(summary), summary: () => summary }]);

function diff(previous: RecordStream | null, next: RecordStream): { json: string; preview: ReturnType<typeof writeChangesJson> } {
  const file = path.join(dir, 'changes.json');
  const preview = writeChangesJson({
    file,
    scratchDir: dir,
    version: '2.20261128.0',
    previousVersion: previous ? '2.20261127.0' : null,
    previous,
    next,
    coverageBefore: { title: 3, year: 1 },
    coverageAfter: { title: 3, year: 2 },
  });
  return { json: readFileSync(file, 'utf8'), preview };
}

const before: [string, FilmSummary][] = [
  ['tt0000001', film('Kept', { during: true, answers: { during: 'yes', after: 'unknown' }, scores: { ...none, tomatometer: 80, imdbRating: 7.0 } })],
  ['tt0000002', film('Gone')],
  ['tt0000004', film('Also gone')],
];
const after: [string, FilmSummary][] = [
  ['tt0000001', film('Kept', { during: false, after: true, answers: { during: 'no', after: 'yes' }, scores: { ...none, tomatometer: 90, imdbRating: 7.1 } })],
  ['tt0000003', film(null)],
];
const expected: Changes = {
  version: '2.20261128.0',
  previousVersion: '2.20261127.0',
  counts: { before: 3, after: 2 },
  added: [{ id: 'tt0000003', title: null }],
  removed: [
    { id: 'tt0000002', title: 'Gone' },
    { id: 'tt0000004', title: 'Also gone' },
  ],
  verdictFlips: [
    { id: 'tt0000001', title: 'Kept', slot: 'during', from: true, to: false },
    { id: 'tt0000001', title: 'Kept', slot: 'after', from: null, to: true },
  ],
  answerFlips: [
    { id: 'tt0000001', title: 'Kept', slot: 'during', from: 'yes', to: 'no' },
    { id: 'tt0000001', title: 'Kept', slot: 'after', from: 'unknown', to: 'yes' },
  ],
  scoreMoves: [{ id: 'tt0000001', title: 'Kept', score: 'tomatometer', from: 80, to: 90 }],
  updated: [],
  coverage: { year: { before: 1, after: 2 } },
};

describe('writeChangesJson', () => {
  it('writes what stableStringify(changes, 2) would, from two sorted streams', () => {
    const { json, preview } = diff(stream(before), stream(after));
    expect(json).toBe(`${stableStringify(expected, 2)}\n`);
    expect(preview.lists.removed).toEqual({ head: expected.removed, total: 2 });
    expect(changesMarkdown(preview)).toMatch(/Kept \(`tt0000001`\) during: yes → no/);
  });

  it('diffs a previous snapshot out of id order through a map, to the same result', () => {
    expect(diff(stream([...before].reverse()), stream(after)).json).toBe(`${stableStringify(expected, 2)}\n`);
  });

  it('lists every film as added when there is no previous snapshot, and empty lists as []', () => {
    const { json } = diff(null, stream(after));
    const parsed = JSON.parse(json) as Changes;
    expect(parsed).toMatchObject({ counts: { before: 0, after: 2 }, added: [{ id: 'tt0000001' }, { id: 'tt0000003' }], removed: [], verdictFlips: [] });
    expect(json).toContain('"removed": [],');
  });

  it('gives no diff rather than a wrong one when the previous snapshot cannot be read', () => {
    const previous = path.join(dir, 'broken');
    rmSync(previous, { recursive: true, force: true });
    mkdirSync(previous);
    writeFileSync(path.join(previous, 'movies.json'), '[\n{"id":"tt0000001","title":"Kept"\n]\n');
    const { json } = diff(snapshotRecords(previous), stream(after));
    expect(JSON.parse(json)).toMatchObject({ counts: { before: 0, after: 2 }, removed: [] });
  });
});

describe('every record that changed is accounted for', () => {
  it('lists a film whose record changed in no listed way (its evidence, details or sources) as updated', () => {
    const same = film('Same verdict', { during: true });
    const { json, preview } = diff(
      stream([['tt0000001', same, '{"detail":"AfterCredits tags: Bonus Scene, During Credits, Stingers"}'], ['tt0000002', film('Untouched')]]),
      stream([['tt0000001', same, '{"detail":"AfterCredits tags: Bonus Scene, During Credits"}'], ['tt0000002', film('Untouched')]]),
    );
    expect(JSON.parse(json)).toMatchObject({ updated: [{ id: 'tt0000001', title: 'Same verdict' }], verdictFlips: [], scoreMoves: [], added: [], removed: [] });
    expect(changesMarkdown(preview)).toContain('### Other changes (evidence, details, sources) (1)');
  });

  it('does not list a film as updated when a flip or a score move already says how it changed', () => {
    const { json } = diff(stream(before), stream(after));
    expect((JSON.parse(json) as Changes).updated).toEqual([]);
  });
});

describe('CHANGES.md', () => {
  it('writes a title as text, never as a Markdown link or image', () => {
    const hostile: [string, FilmSummary][] = [['tt0000009', film('[click](javascript:alert(1)) ![x](https://tracker.example/p.gif)', { during: true })]];
    const { preview } = diff(stream([['tt0000009', film('Old', { during: false })]]), stream(hostile));
    const notes = changesMarkdown(preview);
    expect(notes).not.toMatch(/\]\(/);
    expect(notes).toContain('\\[click\\]\\(javascript:alert\\(1\\)\\)');
  });
});
