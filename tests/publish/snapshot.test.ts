import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Movie } from '../../src/schema/movie.ts';
import { CompactMovie, MovieAnswer, toAnswer } from '../../src/publish/compact.ts';
import type { DataPackage } from '../../src/publish/datapackage.ts';
import { PublishRefusedError } from '../../src/errors.ts';
import { SnapshotWriter, publishSnapshot } from '../../src/publish/snapshot.ts';
import { recoverSnapshot } from '../../src/publish/target.ts';
import { nextVersion } from '../../src/publish/version.ts';
import { TABLES } from '../../src/publish/sqlite.ts';
import { SOURCES } from '../../src/scrapers/index.ts';
import { REPO_ROOT } from '../helpers/corpus.ts';
import { movieRecord, NO_ANSWER } from '../helpers/records.ts';
import { SOURCE_TERMS } from '../../src/scrapers/index.ts';

const movie = (id: string, title: string | null, extra: Partial<Movie> = {}): Movie => movieRecord(id, { title, ...extra });

const movies = [
  movie('tt0478970', 'Ant-Man', {
    ids: { imdb: 'tt0478970', tmdb: 102899 },
    year: 2015,
    creditScenes: { during: true, after: true, confidence: 0.9, slots: NO_ANSWER, scenes: [{ position: 'during', kind: 'scene' }], evidence: [{ source: 'aftercredits', during: true, after: true, observedAt: '2026-08-22' }] },
    scores: { tmdb: { voteAverage: 7.1, voteCount: 19000, source: 'tmdb', observedAt: '2024-02' } },
    sources: [{ source: 'tmdb', url: 'https://api.themoviedb.org/3/movie/102899', observedAt: '2024-02' }],
  }),
  movie('tt0211915', 'Amélie', { originalTitle: "Le Fabuleux Destin d'Amélie Poulain", year: 2001 }),
  movie('tmdb:1236474', 'Better Than Me'),
];
const extras = { sources: {}, creditConflicts: [] };
const day = new Date('2026-11-27T12:00:00Z');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'stingerdb-publish-'));
});

describe('publishSnapshot', () => {
  let out: string;
  beforeAll(() => {
    out = path.join(dir, 'dataset');
  });

  it('writes the package with a manifest that lists the sha256 of every file', () => {
    const result = publishSnapshot({ terms: SOURCE_TERMS, outDir: out, movies, extras, date: day });
    expect(result).toMatchObject({ changed: true, version: '2.20261127.0', previousVersion: null });
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.counts.movies).toBe(3);
    expect(Object.keys(manifest.files).sort()).toEqual(
      [
        'CHANGES.md', 'LICENSE', 'README.md', 'browser.d.ts', 'browser.js', 'changes.json', 'datapackage.json', 'index.cjs', 'index.d.cts', 'index.d.ts', 'index.js',
        'movies.answers.json', 'movies.index.json', 'movies.tmdb.json', 'movies.titles.json', 'package.json', 'scores.json',
        ...['LICENSE', 'README.md', 'browser.d.ts', 'browser.js', 'index.cjs', 'index.d.cts', 'index.d.ts', 'index.js', 'movies.compact.json', 'movies.compact.json.d.cts', 'movies.index.json', 'movies.json', 'movies.json.d.cts', 'movies.titles.json', 'package.json', 'schema.json', 'scores.json'].map((name) => `records/${name}`),
        'sqlite/LICENSE', 'sqlite/README.md', 'sqlite/movies.sqlite', 'sqlite/package.json',
      ].sort(),
    );
    for (const [name, { sha256, bytes }] of Object.entries(manifest.files) as [string, { sha256: string; bytes: number }][]) {
      const content = readFileSync(path.join(out, name));
      expect(createHash('sha256').update(content).digest('hex'), name).toBe(sha256);
      expect(content.length).toBe(bytes);
    }
    const pkg = JSON.parse(readFileSync(path.join(out, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: 'stingerdb', version: '2.20261127.0', sideEffects: false, license: 'SEE LICENSE IN LICENSE' });
    // The licence: the code's MIT text, and the data's terms per source the snapshot carries (here TMDB, AfterCredits).
    const licence = readFileSync(path.join(out, 'LICENSE'), 'utf8');
    expect(licence).toContain('MIT License');
    expect(licence).toContain('- The Movie Database (TMDB) (`tmdb`): TMDB API Terms of Use');
    expect(licence).toContain('(`aftercredits`): MIT (the feed)');
    expect(licence).not.toContain('(`omdb`)');
    expect(licence).toContain('As a whole the package is for non-commercial use: its records carry values of The Movie Database (TMDB)');
    expect(pkg.dependencies).toBeUndefined();
    expect(Object.keys(pkg.exports['.'].import)[0]).toBe('types');
    // The dataset package carries every file of the snapshot but the companions' folders; each companion, its own.
    const listed = Object.keys(manifest.files);
    const inFolder = (folder: string) => listed.filter((name) => name.startsWith(`${folder}/`)).map((name) => name.slice(folder.length + 1));
    expect([...pkg.files, 'package.json'].sort()).toEqual([...listed.filter((name) => !name.includes('/')), 'manifest.json'].sort());
    expect(JSON.stringify(pkg)).not.toMatch(/movies\.sqlite|movies\.json|movies\.compact/);
    const records = JSON.parse(readFileSync(path.join(out, 'records', 'package.json'), 'utf8'));
    expect(records).toMatchObject({ name: 'stingerdb-records', version: '2.20261127.0', license: 'SEE LICENSE IN LICENSE', main: './index.cjs' });
    expect([...records.files, 'package.json'].sort()).toEqual([...inFolder('records'), 'manifest.json'].sort());
    expect(readFileSync(path.join(out, 'records', 'manifest.json'), 'utf8')).toBe(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    const sqlite = JSON.parse(readFileSync(path.join(out, 'sqlite', 'package.json'), 'utf8'));
    expect(sqlite).toMatchObject({ name: 'stingerdb-sqlite', version: '2.20261127.0', license: 'SEE LICENSE IN LICENSE', exports: { './movies.sqlite': './movies.sqlite' } });
    expect([...sqlite.files, 'package.json'].sort()).toEqual(inFolder('sqlite').sort());
    for (const folder of ['records', 'sqlite']) {
      expect(readFileSync(path.join(out, folder, 'LICENSE'), 'utf8')).toBe(licence);
      expect(readFileSync(path.join(out, folder, 'README.md'), 'utf8')).toContain(`npm install stingerdb-${folder}`);
    }
  });

  it('writes the compact file: one flat record per line, every key present, null when unknown or not rated', () => {
    const text = readFileSync(path.join(out, 'records', 'movies.compact.json'), 'utf8');
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(movies.length + 2);
    const compact = JSON.parse(text) as CompactMovie[];
    expect(compact.map((c) => c.id)).toEqual(['tmdb:1236474', 'tt0211915', 'tt0478970']);
    expect(compact[2]).toEqual({
      id: 'tt0478970', title: 'Ant-Man', year: 2015, during: true, after: true, confidence: 0.9,
      duringAnswer: 'unknown', duringProbability: null, afterAnswer: 'unknown', afterProbability: null,
      metascore: null, metacriticUserScore: null, tomatometer: null, audienceScore: null, imdbRating: null, tmdbVoteAverage: 7.1,
    });
    for (const record of compact) expect(CompactMovie.safeParse(record).success, record.id).toBe(true);
    expect(compact[0]).toMatchObject({ title: 'Better Than Me', year: null, during: null, after: null });
  });

  it('stamps the version into the SQLite meta table, and the stamp does not count as a change of content', () => {
    const meta = () => {
      const db = new Database(path.join(out, 'sqlite', 'movies.sqlite'), { readonly: true });
      try {
        return Object.fromEntries((db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
      } finally {
        db.close();
      }
    };
    expect(meta()).toEqual({ version: '2.20261127.0', schemaVersion: '1', generator: 'stingerdb pipeline' });
    // Published again the next day with the same records: same content, so no new version and the file stays.
    const before = readFileSync(path.join(out, 'sqlite', 'movies.sqlite'));
    expect(publishSnapshot({ terms: SOURCE_TERMS, outDir: out, movies, extras, date: new Date('2026-11-28T00:00:00Z') }).changed).toBe(false);
    expect(readFileSync(path.join(out, 'sqlite', 'movies.sqlite')).equals(before)).toBe(true);
  });

  it('describes the package in datapackage.json: every resource with its digest, Table Schemas, sources with their terms', () => {
    const descriptor = JSON.parse(readFileSync(path.join(out, 'datapackage.json'), 'utf8')) as DataPackage;
    expect(descriptor).toMatchObject({ $schema: 'https://datapackage.org/profiles/2.0/datapackage.json', name: 'stingerdb', version: '2.20261127.0' });
    const names = descriptor.resources.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const resource of descriptor.resources) {
      expect(resource.name).toMatch(/^[-a-z0-9._/]+$/);
      const content = readFileSync(path.join(out, resource.path));
      expect(resource.bytes, resource.name).toBe(content.length);
      expect(resource.hash, resource.name).toBe(`sha256:${createHash('sha256').update(content).digest('hex')}`);
      for (const fk of resource.schema?.foreignKeys ?? []) expect(names, `${resource.name} → ${fk.reference.resource}`).toContain(fk.reference.resource);
    }
    expect(names).toEqual(expect.arrayContaining(['movies', 'movies-compact', 'movies-sqlite-movies', 'movies-sqlite-scores']));
    const compact = descriptor.resources.find((r) => r.name === 'movies-compact')!;
    expect(compact.schema!.fields.map((f) => f.name)).toEqual(Object.keys(CompactMovie.shape));
    expect(compact.schema!.fields.find((f) => f.name === 'tomatometer')).toMatchObject({ type: 'integer', constraints: { minimum: 0, maximum: 100 } });
    const sqliteTables = descriptor.resources.filter((r) => r.format === 'sqlite').map((r) => r.dialect!.table);
    expect(sqliteTables.sort()).toEqual(Object.keys(TABLES).filter((t) => !TABLES[t]!.virtual).sort());
    const scores = descriptor.resources.find((r) => r.name === 'movies-sqlite-scores')!;
    expect(scores.schema).toMatchObject({ primaryKey: ['movie_id', 'site', 'metric'], foreignKeys: [{ fields: ['movie_id'], reference: { resource: 'movies-sqlite-movies', fields: ['id'] } }] });
    // Only the sources whose data the records carry, each with its terms.
    expect(descriptor.sources.map((s) => s.title)).toEqual(SOURCES.filter((s) => s.id === 'tmdb' || s.id === 'aftercredits').map((s) => s.name));
    for (const source of descriptor.sources) expect(source.licenses[0]!.path).toMatch(/^https:\/\//);
    expect(descriptor.licenses).toHaveLength(descriptor.sources.length);
    // Per field, of the answers and the compact records: the sources its values come from here, with their terms.
    for (const name of ['movies-answers', 'movies-compact']) {
      const fields = descriptor.resources.find((r) => r.name === name)!.schema!.fields as { name: string; description?: string; sources?: string[]; licenses?: { title: string }[] }[];
      const field = (f: string) => fields.find((x) => x.name === f)!;
      for (const f of fields) expect(f.licenses?.map((l) => l.title), `${name}.${f.name}`).toEqual(f.sources?.map((id) => `${SOURCE_TERMS.find((t) => t.id === id)!.name} — ${SOURCE_TERMS.find((t) => t.id === id)!.licence}`));
      expect(field('tmdbVoteAverage').sources).toEqual(['tmdb']);
      expect(field('metascore').sources, 'no film here has a Metascore: it comes from nobody').toEqual([]);
      expect(field('after').sources).toEqual(['aftercredits']);
      expect(field('afterAnswer').description).toMatch(/Computed by stingerdb from the credit-scene claims/);
      expect(field('title').sources, 'from the responses the records were built from').toEqual(['tmdb']);
    }
  });

  it('documents every field of every record type in index.d.ts with its schema description', () => {
    const declarations = readFileSync(path.join(out, 'index.d.ts'), 'utf8');
    const schema = JSON.parse(readFileSync(path.join(out, 'records', 'schema.json'), 'utf8')) as { $defs: Record<string, { properties?: Record<string, { description?: string }> }> };
    const defs: Record<string, { properties?: Record<string, { description?: string }> }> = {
      ...schema.$defs,
      CompactMovie: { properties: Object.fromEntries(Object.keys(CompactMovie.shape).map((k) => [k, {}])) },
    };
    for (const [name, def] of Object.entries(defs).filter(([, d]) => d.properties)) {
      const block = new RegExp(`export interface ${name} \\{\\n([\\s\\S]*?)\\n\\}`).exec(declarations)?.[1];
      expect(block, name).toBeDefined();
      for (const [field, prop] of Object.entries(def.properties ?? {})) {
        const doc = new RegExp(`/\\*\\*([^/]|/(?!\\n))*\\*/\\n  ${field}\\??: `).exec(block!);
        expect(doc, `${name}.${field} has no TSDoc`).not.toBeNull();
        if (prop.description) expect(doc![0], `${name}.${field}`).toContain(prop.description.split('\n')[0]!.slice(0, 40));
      }
    }
    expect(declarations).toContain('export default stingerdb;');
    expect(readFileSync(path.join(out, 'index.d.cts'), 'utf8')).not.toContain('export default');
  });

  it('writes movies.answers.json: one row of values per film in the order of the index\'s columns, each why once in whys', () => {
    const text = readFileSync(path.join(out, 'movies.answers.json'));
    const rows = JSON.parse(text.toString('utf8')) as unknown[][];
    const index = JSON.parse(readFileSync(path.join(out, 'movies.index.json'), 'utf8'));
    expect(index.columns).toEqual(Object.keys(MovieAnswer.shape));
    // Ids and whys are the lines of one string each.
    expect(typeof index.ids).toBe('string');
    index.ids = index.ids.split('\n');
    index.whys = index.whys.split('\n');
    expect(index.ids).toEqual(['tmdb:1236474', 'tt0211915', 'tt0478970']);
    expect(rows.map((r) => r[0])).toEqual(['tmdb:1236474', 'tt0211915', 'tt0478970']);
    expect(text.toString('utf8').trim().split('\n')).toHaveLength(movies.length + 2);
    const row = index.ids.indexOf('tt0478970');
    const line = JSON.parse(text.subarray(index.offsets[row], index.offsets[row] + index.lengths[row]).toString('utf8')) as unknown[];
    expect(index.whyColumns).toEqual(['duringWhy', 'afterWhy']);
    const answer = Object.fromEntries(index.columns.map((c: string, i: number) => [c, index.whyColumns.includes(c) ? index.whys[line[i] as number] : line[i]]));
    const antMan = movies.find((m) => m.id === 'tt0478970')!;
    expect(answer).toEqual(toAnswer(antMan));
    expect(answer).toMatchObject({ id: 'tt0478970', tmdbId: 102899, title: 'Ant-Man', during: true, after: true, duringWhy: antMan.creditScenes.slots.during.why });
    expect(MovieAnswer.safeParse(answer).success).toBe(true);
    // The sentences repeat from film to film: each is kept once.
    expect(new Set(index.whys).size).toBe(index.whys.length);
  });

  it('writes movies.json sorted by id, one record per line, byte ranges in the index', () => {
    const text = readFileSync(path.join(out, 'records', 'movies.json'));
    const parsed = JSON.parse(text.toString('utf8')) as Movie[];
    expect(parsed.map((m) => m.id)).toEqual(['tmdb:1236474', 'tt0211915', 'tt0478970']);
    const index = JSON.parse(readFileSync(path.join(out, 'records', 'movies.index.json'), 'utf8'));
    expect(index.ids).toEqual(['tmdb:1236474', 'tt0211915', 'tt0478970']);
    const row = index.ids.indexOf('tt0478970');
    const [start, length] = [index.offsets[row], index.lengths[row]];
    expect(JSON.parse(text.subarray(start, start + length).toString('utf8')).title).toBe('Ant-Man');
    expect(index.tmdbIds).toEqual([102899, 1236474]);
    expect(index.ids[index.tmdbRows[0]]).toBe('tt0478970');
    const titles = JSON.parse(readFileSync(path.join(out, 'movies.titles.json'), 'utf8'));
    // Folded for search; an original title equal to the title is not repeated.
    expect(titles).toEqual({
      rows: [0, 1, 2],
      titles: ['better than me', 'amelie', 'ant man'],
      originalTitles: [null, 'le fabuleux destin d amelie poulain', null],
      years: [null, 2001, 2015],
    });
  });

  it('publishes nothing when nothing changed: same version, files untouched', () => {
    const before = statSync(path.join(out, 'records', 'movies.json')).mtimeMs;
    const result = publishSnapshot({ terms: SOURCE_TERMS, outDir: out, movies: [...movies].reverse(), extras, date: new Date('2026-11-28T00:00:00Z') });
    expect(result).toMatchObject({ changed: false, version: '2.20261127.0' });
    expect(statSync(path.join(out, 'records', 'movies.json')).mtimeMs).toBe(before);
  });

  it('a change on the same day is the next release of that day', () => {
    const changed = [...movies.slice(1), { ...movies[0]!, year: 2016 }];
    expect(publishSnapshot({ terms: SOURCE_TERMS, outDir: out, movies: changed, extras, date: day }).version).toBe('2.20261127.1');
  });

  it('writes what changed: films added and removed, verdicts that flipped, scores that moved, coverage', () => {
    const antMan = movies.find((m) => m.id === 'tt0478970')!;
    const next = [
      { ...antMan, year: 2016, creditScenes: { ...antMan.creditScenes, after: null }, scores: { tmdb: { ...antMan.scores.tmdb!, voteAverage: 6.0 } } },
      movie('tt0133093', 'The Matrix', { year: 1999 }),
    ];
    const result = publishSnapshot({ terms: SOURCE_TERMS, outDir: out, movies: next, extras, date: day });
    expect(result.version).toBe('2.20261127.2');
    const changes = JSON.parse(readFileSync(path.join(out, 'changes.json'), 'utf8'));
    expect(changes).toMatchObject({
      version: '2.20261127.2',
      previousVersion: '2.20261127.1',
      counts: { before: 3, after: 2 },
      added: [{ id: 'tt0133093', title: 'The Matrix' }],
      removed: [
        { id: 'tmdb:1236474', title: 'Better Than Me' },
        { id: 'tt0211915', title: 'Amélie' },
      ],
      verdictFlips: [{ id: 'tt0478970', slot: 'after', from: true, to: null }],
      scoreMoves: [{ id: 'tt0478970', score: 'tmdbVoteAverage', from: 7.1, to: 6 }],
    });
    expect(changes.coverage.title).toEqual({ before: 3, after: 2 });
    expect(changes.coverage.year).toBeUndefined(); // 2 films with a year before and after: not a change
    const notes = readFileSync(path.join(out, 'CHANGES.md'), 'utf8');
    // Newest first, earlier releases kept below.
    expect(notes.indexOf('## 2.20261127.2')).toBeLessThan(notes.indexOf('## 2.20261127.1'));
    expect(notes).toMatch(/Ant-Man \(`tt0478970`\) after: yes → unknown/);
    expect(notes).toMatch(/### Removed \(2\)/);
  });

  it('refuses a snapshot with a duplicate or malformed id, and leaves the previous one untouched', () => {
    const before = readFileSync(path.join(out, 'manifest.json'), 'utf8');
    expect(() => publishSnapshot({ terms: SOURCE_TERMS, outDir: out, movies: [...movies, movies[0]!], extras, date: day })).toThrow(PublishRefusedError);
    const malformed = { ...movies[1]!, id: 'tt12' } as Movie;
    expect(() => publishSnapshot({ terms: SOURCE_TERMS, outDir: out, movies: [malformed], extras, date: day })).toThrow(/id/);
    const schemaBreak = { ...movies[1]!, title: '' } as Movie;
    expect(() => publishSnapshot({ terms: SOURCE_TERMS, outDir: out, movies: [schemaBreak], extras, date: day })).toThrow(/title/);
    expect(readFileSync(path.join(out, 'manifest.json'), 'utf8')).toBe(before);
    expect(existsSync(`${out}.previous`)).toBe(false);
  });

  it('refuses records streamed out of order or twice, and leaves nothing behind', () => {
    const before = readFileSync(path.join(out, 'manifest.json'), 'utf8');
    const sorted = [...movies].sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const stream of [[sorted[1]!, sorted[0]!], [sorted[0]!, sorted[0]!]]) {
      const writer = SnapshotWriter.open({ terms: SOURCE_TERMS, outDir: out, date: day });
      for (const m of stream) writer.add(m);
      expect(() => writer.finish(extras)).toThrow(/out of order|duplicate id/);
    }
    const aborted = SnapshotWriter.open({ terms: SOURCE_TERMS, outDir: out, date: day });
    aborted.add(sorted[0]!);
    aborted.abort();
    expect(readFileSync(path.join(out, 'manifest.json'), 'utf8')).toBe(before);
    expect(readdirSync(dir).filter((name) => name.startsWith('dataset.'))).toEqual([]);
  });

  it('aborts while the SQLite thread is busy without failing to remove its folder or writing after it', async () => {
    // Thousands of films leave batches queued on the SQLite thread when abort is called; the thread's
    // running statement used to go on writing into the staging folder while it was being removed (ENOTEMPTY).
    const many = Array.from({ length: 6000 }, (_, i) => movieRecord(`tt${String(1_000_000 + i).padStart(7, '0')}`, { title: `Film ${i}`, synopsis: 'x'.repeat(400) }));
    const target = path.join(dir, 'busy');
    for (let round = 0; round < 3; round++) {
      const writer = SnapshotWriter.open({ terms: SOURCE_TERMS, outDir: target, date: day });
      for (const m of many) writer.add(m);
      expect(() => writer.abort()).not.toThrow();
      expect(readdirSync(dir).filter((name) => name.startsWith('busy.'))).toEqual([]);
    }
    // Aborted at once, before the thread has opened the file.
    for (let round = 0; round < 40; round++) {
      const writer = SnapshotWriter.open({ terms: SOURCE_TERMS, outDir: target, date: day });
      writer.add(many[0]!);
      expect(() => writer.abort()).not.toThrow();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(readdirSync(dir).filter((name) => name.startsWith('busy'))).toEqual([]);
  });

  it('gives byte-identical files when the same records are published into a fresh folder', () => {
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');
    publishSnapshot({ terms: SOURCE_TERMS, outDir: a, movies, extras, date: day });
    publishSnapshot({ terms: SOURCE_TERMS, outDir: b, movies, extras, date: day });
    for (const name of ['movies.answers.json', 'movies.index.json', 'records/movies.json', 'records/movies.compact.json', 'sqlite/movies.sqlite', 'manifest.json', 'datapackage.json', 'records/schema.json', 'index.d.ts', 'README.md']) {
      expect(readFileSync(path.join(a, name)).equals(readFileSync(path.join(b, name))), name).toBe(true);
    }
  });

  it('finishes a swap interrupted between its two renames', () => {
    const target = path.join(dir, 'crashed');
    publishSnapshot({ terms: SOURCE_TERMS, outDir: target, movies, extras, date: day });
    renameSync(target, `${target}.previous`); // the crash: old moved aside, new not yet in place
    recoverSnapshot(target);
    expect(existsSync(path.join(target, 'manifest.json'))).toBe(true);
    expect(existsSync(`${target}.previous`)).toBe(false);
  });
});

describe('movies.sqlite', () => {
  it('holds the records in tables, with indexes on every id and accent-insensitive FTS5 titles', () => {
    const out = path.join(dir, 'sqlite');
    publishSnapshot({ terms: SOURCE_TERMS, outDir: out, movies, extras, date: day });
    const db = new Database(path.join(out, 'sqlite', 'movies.sqlite'), { readonly: true });
    try {
      expect(db.prepare('SELECT title FROM movies WHERE tmdb_id = ?').get(102899)).toEqual({ title: 'Ant-Man' });
      expect(db.prepare("SELECT value FROM meta WHERE key = 'schemaVersion'").get()).toEqual({ value: '1' });
      const hits = db.prepare('SELECT m.id FROM movie_titles JOIN movies m ON m.rowid = movie_titles.rowid WHERE movie_titles MATCH ?').all('amelie');
      expect(hits).toEqual([{ id: 'tt0211915' }]);
      const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'movies'").all().map((r) => (r as { name: string }).name);
      expect(indexes).toEqual(expect.arrayContaining(['movies_imdb_id', 'movies_tmdb_id', 'movies_wikidata_id', 'movies_rotten_tomatoes_id', 'movies_metacritic_id']));
      expect(db.prepare("SELECT value, count, source FROM scores WHERE movie_id = 'tt0478970' AND metric = 'voteAverage'").get()).toEqual({ value: 7.1, count: 19000, source: 'tmdb' });
      expect(db.prepare("SELECT during_credits, after_credits FROM movies WHERE id = 'tt0211915'").get()).toEqual({ during_credits: null, after_credits: null });
    } finally {
      db.close();
    }
  });

  it('has exactly the tables and columns TABLES documents, with the documented types', () => {
    const db = new Database(path.join(dir, 'sqlite', 'sqlite', 'movies.sqlite'), { readonly: true });
    const storage: Record<string, string> = { string: 'TEXT', date: 'TEXT', integer: 'INTEGER', number: 'REAL' };
    try {
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'movie_titles_%'").all() as { name: string }[]).map((r) => r.name);
      expect(tables.sort()).toEqual(Object.keys(TABLES).sort());
      for (const [table, doc] of Object.entries(TABLES)) {
        const columns = db.prepare('SELECT name, type FROM pragma_table_info(?) ORDER BY cid').all(table) as { name: string; type: string }[];
        expect(columns.map((c) => c.name), table).toEqual(Object.keys(doc.columns));
        if (doc.virtual) continue;
        for (const c of columns) expect(c.type, `${table}.${c.name}`).toBe(storage[doc.columns[c.name]!.type]);
      }
    } finally {
      db.close();
    }
  });
});

describe('the package imports through ESM and CJS, typed', () => {
  let out: string;
  beforeAll(() => {
    out = path.join(dir, 'node_modules', 'stingerdb');
    publishSnapshot({ terms: SOURCE_TERMS, outDir: out, movies, extras, date: day });
  });

  it('require() and import give the same lookups', () => {
    const script = (code: string, type: 'cjs' | 'mjs') => {
      const file = path.join(dir, `probe.${type}`);
      writeFileSync(file, code);
      return execFileSync(process.execPath, [file], { cwd: dir, encoding: 'utf8' }).trim();
    };
    const cjs = script(
      "const s = require('stingerdb'); console.log(JSON.stringify([s.getMovie('tt0478970').title, s.findByTmdbId(102899).id, s.search('amelie').map((m) => m.id), s.creditScenes('tt0478970').during, s.getMovie('tt9999999'), s.info().version]));",
      'cjs',
    );
    const esm = script(
      "import { getMovie, findByTmdbId, search, creditScenes, info } from 'stingerdb'; console.log(JSON.stringify([getMovie('tt0478970').title, findByTmdbId(102899).id, search('amelie').map((m) => m.id), creditScenes('tt0478970').during, getMovie('tt9999999'), info().version]));",
      'mjs',
    );
    // An unknown id gives undefined, which JSON prints as null.
    expect(JSON.parse(cjs)).toEqual(['Ant-Man', 'tt0478970', ['tt0211915'], true, null, '2.20261127.0']);
    expect(esm).toBe(cjs);
  });

  it('getMovie returns a typed record (tsc --strict on a consumer file)', () => {
    writeFileSync(
      path.join(dir, 'consumer.ts'),
      [
        "import { getMovie, type MovieAnswer } from 'stingerdb';",
        "const answer: MovieAnswer | undefined = getMovie('tt0478970');",
        'const after: boolean | null | undefined = answer?.after;',
        "const stay: 'yes' | 'no' | 'unknown' | undefined = answer?.afterAnswer;",
        'const tomatometer: number | null | undefined = answer?.tomatometer;',
        '// @ts-expect-error the title may be null: it must be checked',
        'const title: string = answer!.title;',
        'export { after, stay, tomatometer, title };',
      ].join('\n'),
    );
    const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const run = () =>
      execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', path.join(REPO_ROOT, 'node_modules', '@types'), 'consumer.ts'], {
        cwd: dir,
        encoding: 'utf8',
      });
    expect(run).not.toThrow();
  });
});

describe('nextVersion', () => {
  it('counts releases of a day and never goes backwards', () => {
    expect(nextVersion([], day)).toBe('2.20261127.0');
    expect(nextVersion(['2.20261127.0'], day)).toBe('2.20261127.1');
    expect(nextVersion(['2.20261126.4'], day)).toBe('2.20261127.0');
    expect(nextVersion(['2.20261128.0'], day)).toBe('2.20261128.1');
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
