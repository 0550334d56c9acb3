/**
 * The score catalogue is the one list of scores: a snapshot of a film that has every score of the catalogue
 * carries each of them in every output — the record, its JSON Schema, the compact file and its Table Schema,
 * the SQLite `scores` rows, the manifest's coverage, the release notes' score moves, the package's
 * `scores.json` — and the example site, which reads that file, shows each. An output that forgets an entry (or a new entry no output knows) fails here.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Movie } from '../../src/schema/movie.ts';
import { SCORE_CATALOGUE, SCORE_GROUPS, SCORE_GROUP_NAMES } from '../../src/schema/scores.ts';
import type { Changes } from '../../src/publish/changes.ts';
import { publishSnapshot } from '../../src/publish/snapshot.ts';
import { SOURCE_TERMS } from '../../src/scrapers/index.ts';
import { REPO_ROOT } from '../helpers/corpus.ts';
import { movieRecord } from '../helpers/records.ts';

/** The example site's rows of scores (plain JavaScript, typed here). */
type ScoreRows = (scores: Movie['scores'], catalogue: unknown[]) => { name: string; value: string | null; count: string | null }[];

/** A value on each score's scale, and a count behind it (different per score, so a mix-up shows). */
const valueOf = (i: number, scale: string) => (scale === 'percent' ? 40 + i : 5 + i / 10);
const scoresWith = (shift: (score: (typeof SCORE_CATALOGUE)[number]) => number = () => 0) =>
  Object.fromEntries(
    SCORE_GROUP_NAMES.map((group) => [
      group,
      {
        ...Object.fromEntries(SCORE_CATALOGUE.flatMap((s, i) => (s.group === group ? [[s.field, valueOf(i, s.scale) + shift(s)], [s.count, 100 + i]] : []))),
        source: SCORE_GROUPS[group].direct,
        observedAt: '2026-11-01',
      },
    ]),
  );

const film = (scores: object) => movieRecord('tt0478970', { title: 'Ant-Man', scores: scores as Movie['scores'] });

let root: string;
let out: string;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'stingerdb-catalogue-'));
  out = path.join(root, 'dataset');
  publishSnapshot({ outDir: out, movies: [film(scoresWith())], terms: SOURCE_TERMS, extras: { sources: {}, creditConflicts: [] }, date: new Date('2026-11-27T00:00:00Z') });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const read = (name: string) => readFileSync(path.join(out, name), 'utf8');

describe('every score of the catalogue reaches every output', () => {
  it('the record and its JSON Schema', () => {
    const [record] = JSON.parse(read('records/movies.json')) as Movie[];
    const schema = JSON.parse(read('records/schema.json')) as { $defs: Record<string, { properties: Record<string, unknown> }> };
    SCORE_CATALOGUE.forEach((s, i) => {
      expect((record!.scores[s.group] as Record<string, unknown>)[s.field], s.name).toBe(valueOf(i, s.scale));
      expect((record!.scores[s.group] as Record<string, unknown>)[s.count], s.name).toBe(100 + i);
      expect(Object.keys(schema.$defs[SCORE_GROUPS[s.group].schemaId]!.properties), s.name).toEqual(expect.arrayContaining([s.field, s.count]));
    });
  });

  it('the compact file and its Table Schema in datapackage.json', () => {
    const [compact] = JSON.parse(read('records/movies.compact.json')) as Record<string, unknown>[];
    const datapackage = JSON.parse(read('datapackage.json')) as { resources: { name: string; schema?: { fields: { name: string }[] } }[] };
    const table = datapackage.resources.find((r) => r.schema?.fields.some((f) => f.name === 'confidence'))!;
    SCORE_CATALOGUE.forEach((s, i) => {
      expect(compact![s.name], s.name).toBe(valueOf(i, s.scale));
      expect(table.schema!.fields.map((f) => f.name), s.name).toContain(s.name);
    });
  });

  it('the SQLite scores rows, with their counts', () => {
    const db = new Database(path.join(out, 'sqlite', 'movies.sqlite'), { readonly: true });
    try {
      const rows = db.prepare('SELECT site, metric, value, count FROM scores WHERE movie_id = ?').all('tt0478970') as { site: string; metric: string; value: number; count: number }[];
      SCORE_CATALOGUE.forEach((s, i) => expect(rows, s.name).toContainEqual({ site: s.group, metric: s.field, value: valueOf(i, s.scale), count: 100 + i }));
      expect(rows).toHaveLength(SCORE_CATALOGUE.length);
    } finally {
      db.close();
    }
  });

  it('the manifest’s coverage, one field per score', () => {
    const manifest = JSON.parse(read('manifest.json')) as { coverage: { fields: Record<string, number> }; counts: { scores: Record<string, number> } };
    for (const s of SCORE_CATALOGUE) expect(manifest.coverage.fields[`scores.${s.group}.${s.field}`], s.name).toBe(1);
    for (const group of SCORE_GROUP_NAMES) expect(manifest.counts.scores[group], group).toBe(1);
  });

  it('the release notes: a move past its threshold is a score move, one below it is not', () => {
    // Every score moves by one more than its threshold: each is listed.
    const moved = scoresWith((score) => score.changeThreshold + 1);
    publishSnapshot({ outDir: out, movies: [film(moved)], terms: SOURCE_TERMS, extras: { sources: {}, creditConflicts: [] }, date: new Date('2026-11-28T00:00:00Z') });
    const changes = JSON.parse(read('changes.json')) as Changes;
    expect(changes.scoreMoves.map((m) => m.score).sort()).toEqual(SCORE_CATALOGUE.map((s) => s.name).sort());
  });

  it('the package’s scores.json (what its scores() gives), every entry with how to read and show it', () => {
    const published = JSON.parse(read('scores.json')) as { name: string; group: string; field: string; count: string; label: string; display: string }[];
    expect(published.map((s) => s.name)).toEqual(SCORE_CATALOGUE.map((s) => s.name));
    SCORE_CATALOGUE.forEach((s, i) => expect(published[i], s.name).toMatchObject({ group: s.group, field: s.field, count: s.count, label: s.label, display: s.display }));
  });

  it('the example site, from the package’s scores: one row per score with its label, value and count', async () => {
    const { scoreRows } = (await import(pathToFileURL(path.join(REPO_ROOT, 'examples/site/render.mjs')).href)) as { scoreRows: ScoreRows };
    const rows = scoreRows(film(scoresWith()).scores, JSON.parse(read('scores.json')) as unknown[]);
    expect(rows.map((r) => r.name)).toEqual(SCORE_CATALOGUE.map((s) => s.label));
    SCORE_CATALOGUE.forEach((s, i) => {
      expect(rows[i]!.value, s.name).toContain(String(s.display === 'ten-point-as-percent' ? Math.round(valueOf(i, s.scale) * 10) : s.scale === 'ten-point' ? valueOf(i, s.scale).toFixed(1) : valueOf(i, s.scale)));
      expect(rows[i]!.count, s.name).toBe(`${100 + i} ${s.countWord}`);
    });
  });
});
