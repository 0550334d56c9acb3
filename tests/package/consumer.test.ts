/**
 * The dataset packages as a user gets them: a real snapshot (the pipeline replayed over the corpus), packed with
 * `npm pack` — `stingerdb` (each film's answer) and its companions `stingerdb-records` (full records) and
 * `stingerdb-sqlite` — installed offline into a fresh project, then imported through ESM and CommonJS,
 * type-checked with `tsc --strict`, each lookup run, the README's examples run as shown, and `movies.sqlite`
 * opened with the `sqlite3` command-line client.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Movie } from '../../src/schema/movie.ts';
import { toAnswer, toCompact } from '../../src/publish/compact.ts';
import { QUICK_START_FILE, showJson } from '../../src/publish/readme.ts';
import { dataDictionary } from '../../src/publish/schema-outputs.ts';
import { REPO_ROOT } from '../helpers/corpus.ts';
import { buildSnapshot, packAndInstall, removeSnapshot, runNode, type Consumer, type Snapshot } from '../helpers/snapshot.ts';

let snapshot: Snapshot;
let consumer: Consumer;
let installed: string;
/** A film with a title, a year, a TMDB id and a known verdict: the lookups' main probe. */
let film: Movie;

beforeAll(async () => {
  snapshot = await buildSnapshot();
  consumer = packAndInstall(snapshot, { companions: ['records', 'sqlite'] });
  installed = path.join(consumer.projectDir, 'node_modules', 'stingerdb');
  film = snapshot.movies.find((m) => m.title && m.year && m.ids.tmdb && m.creditScenes.after !== null && /\s/.test(m.title))!;
}, 60_000);

afterAll(() => removeSnapshot(snapshot));

const readInstalled = (name: string) => readFileSync(path.join(installed, name), 'utf8');
/** Where a file the manifest lists is installed: the snapshot's companion folders are packages of their own. */
const installedFile = (name: string) => {
  const [folder, rest] = name.split('/') as [string, string | undefined];
  if (rest === undefined) return path.join(installed, name);
  return path.join(consumer.projectDir, 'node_modules', `stingerdb-${folder}`, rest);
};

describe('npm pack and install', () => {
  it('ships every file the manifest lists, byte for byte, each in its package, and nothing else; no dependencies, no scripts', () => {
    const manifest = JSON.parse(readInstalled('manifest.json')) as { files: Record<string, { sha256: string; bytes: number }> };
    const listed = Object.keys(manifest.files);
    const inFolder = (folder: string) => listed.filter((name) => name.startsWith(`${folder}/`)).map((name) => name.slice(folder.length + 1));
    // The dataset package: every file but the companions' folders; each companion: its folder's files.
    expect(consumer.packedFiles).toEqual([...listed.filter((name) => !name.includes('/')), 'manifest.json'].sort());
    expect(consumer.companions.records!.packedFiles).toEqual([...inFolder('records'), 'manifest.json'].sort());
    expect(consumer.companions.sqlite!.packedFiles).toEqual(inFolder('sqlite').sort());
    expect(listed.filter((name) => !name.includes('/')), 'the full records are not in the default install').not.toContain('movies.json');
    expect(readFileSync(installedFile('records/manifest.json'), 'utf8')).toBe(readInstalled('manifest.json'));
    for (const [name, { sha256, bytes }] of Object.entries(manifest.files)) {
      const content = readFileSync(installedFile(name));
      expect(content.length, name).toBe(bytes);
      expect(createHash('sha256').update(content).digest('hex'), name).toBe(sha256);
    }
    const pkg = JSON.parse(readInstalled('package.json'));
    expect(pkg).toMatchObject({ name: 'stingerdb', version: snapshot.version, sideEffects: false, type: 'module' });
    for (const key of ['dependencies', 'peerDependencies', 'optionalDependencies', 'scripts']) expect(pkg[key], key).toBeUndefined();
    expect(Object.keys(pkg.exports)).toEqual(expect.arrayContaining(['.', './browser', './movies.answers.json', './datapackage.json', './manifest.json', './package.json']));
    expect(Object.keys(pkg.exports['.'].import)[0]).toBe('types');
    expect(Object.keys(pkg.exports['.'].require)[0]).toBe('types');
    for (const name of ['stingerdb-records', 'stingerdb-sqlite']) {
      const companion = JSON.parse(readFileSync(path.join(consumer.projectDir, 'node_modules', name, 'package.json'), 'utf8'));
      expect(companion).toMatchObject({ name, version: snapshot.version, sideEffects: false });
      for (const key of ['dependencies', 'peerDependencies', 'optionalDependencies', 'scripts']) expect(companion[key], `${name} ${key}`).toBeUndefined();
    }
  });
});

/** The probes both module systems run; `$` is the module's namespace. Prints one JSON line. */
const PROBES = (id: string, tmdb: number, query: string, year: number, full: boolean) => `[
  $.getMovie(${JSON.stringify(id)}),
  $.getMovie('tt0000000') === undefined,
  $.getMovie('constructor') === undefined && $.getMovie('__proto__') === undefined && $.getMovie(42) === undefined && $.getMovie('tt') === undefined,
  $.findByTmdbId(${tmdb})?.id,
  $.findByTmdbId(-1) === undefined && $.findByTmdbId('constructor') === undefined,
  $.creditScenes(${JSON.stringify(id)}),
  $.creditScenes('tt0000000') === undefined,
  $.search(${JSON.stringify(query)}, { year: ${year} }).map((m) => m.id),
  $.search(${JSON.stringify(query)}, { year: ${year + 1} }).some((m) => m.id === ${JSON.stringify(id)}),
  $.search('').length,
  $.search(${JSON.stringify(query)}, { limit: 1 }).length,
  ${full ? '$.compact().length' : 'typeof $.compact'},
  ${full ? `$.compact().find((f) => f.id === ${JSON.stringify(id)})` : 'null'},
  $.all().length,
  $.info().version,
  $.all().every((m) => $.getMovie(m.id)?.id === m.id),
  ${full ? '$.all().every((m) => m.ids.tmdb === undefined || $.findByTmdbId(m.ids.tmdb)?.ids.tmdb === m.ids.tmdb)' : '$.all().every((m) => m.tmdbId === null || $.findByTmdbId(m.tmdbId)?.tmdbId === m.tmdbId)'},
]`;

describe('the lookups, through ESM and CommonJS', () => {
  /** The film's title as a user might type it: shouted, with accents and punctuation that are not in it. */
  const sloppy = (title: string) => `${title.toUpperCase().replace(/E/, 'É').replace(/A/, 'À')}!`;

  const lookups = (pkg: string, full: boolean) => {
    const probes = PROBES(film.id, film.ids.tmdb!, sloppy(film.title!), film.year!, full);
    const esm = runNode(consumer.projectDir, 'probe.mjs', `import * as $ from '${pkg}';\nconsole.log(JSON.stringify(${probes}));\n`);
    const cjs = runNode(consumer.projectDir, 'probe.cjs', `const $ = require('${pkg}');\nconsole.log(JSON.stringify(${probes}));\n`);
    expect(cjs).toBe(esm);
    return JSON.parse(esm) as unknown[];
  };

  it('stingerdb answers: one film by id or TMDB id, the verdicts and answers alone, accent- and case-insensitive search, info', () => {
    const [answer, unknown, prototypeKeys, byTmdb, unknownTmdb, verdict, unknownVerdict, found, otherYear, empty, limited, compact, , allCount, version, everyId, everyTmdbId] = lookups('stingerdb', false);
    expect(answer).toEqual(toAnswer(film));
    expect([unknown, prototypeKeys, unknownTmdb, unknownVerdict]).toEqual([true, true, true, true]);
    expect(byTmdb).toBe(film.id);
    const { during, after, confidence, slots } = film.creditScenes;
    expect(verdict).toStrictEqual({ during, after, confidence, slots });
    expect(found).toContain(film.id);
    expect((found as string[])[0]).toBe(film.id);
    expect(otherYear).toBe(false);
    expect([empty, limited]).toEqual([0, 1]);
    expect(compact, 'compact() is the records companion\'s').toBe('undefined');
    expect(allCount).toBe(snapshot.movies.length);
    expect(version).toBe(snapshot.version);
    expect([everyId, everyTmdbId], 'every film is found by its id and by its TMDB id').toEqual([true, true]);
  });

  it('stingerdb-records answers from the full records: one record by id or TMDB id, the verdict alone, search, compact, info', () => {
    const [record, unknown, prototypeKeys, byTmdb, unknownTmdb, verdict, unknownVerdict, found, otherYear, empty, limited, compactCount, compactFilm, allCount, version, everyId, everyTmdbId] =
      lookups('stingerdb-records', true);
    expect(record).toEqual(film);
    expect([unknown, prototypeKeys, unknownTmdb, unknownVerdict]).toEqual([true, true, true, true]);
    expect(byTmdb).toBe(film.id);
    const { during, after, confidence, scenes, slots } = film.creditScenes;
    expect(verdict).toStrictEqual({ during, after, confidence, scenes, slots });
    expect((found as string[])[0]).toBe(film.id);
    expect(otherYear).toBe(false);
    expect([empty, limited]).toEqual([0, 1]);
    expect(compactCount).toBe(snapshot.movies.length);
    expect(compactFilm).toEqual(toCompact(film));
    expect(allCount).toBe(snapshot.movies.length);
    expect(version).toBe(snapshot.version);
    expect([everyId, everyTmdbId], 'every film is found by its id and by its TMDB id').toEqual([true, true]);
  });

  it('exports the default object, the JSON files (with import attributes), the schema and package.json', () => {
    const esm = runNode(
      consumer.projectDir,
      'json.mjs',
      `import stingerdb, { getMovie } from 'stingerdb';
import records, { getMovie as getRecord } from 'stingerdb-records';
import answers from 'stingerdb/movies.answers.json' with { type: 'json' };
import movies from 'stingerdb-records/movies.json' with { type: 'json' };
import films from 'stingerdb-records/movies.compact.json' with { type: 'json' };
import schema from 'stingerdb-records/schema.json' with { type: 'json' };
import datapackage from 'stingerdb/datapackage.json' with { type: 'json' };
import pkg from 'stingerdb/package.json' with { type: 'json' };
console.log(JSON.stringify([stingerdb.getMovie === getMovie, records.getMovie === getRecord, answers.length, answers[0][0], movies.length, movies[0].id, films.length, schema.title, datapackage.name, pkg.version]));
`,
    );
    const first = snapshot.movies[0]!.id;
    expect(JSON.parse(esm)).toEqual([true, true, snapshot.movies.length, first, snapshot.movies.length, first, snapshot.movies.length, 'stingerdb movie record', 'stingerdb', snapshot.version]);
    const cjs = runNode(
      consumer.projectDir,
      'json.cjs',
      `const moved = (file) => { try { require.resolve(file); return null; } catch (error) { return error.code; } };
console.log(JSON.stringify([require('stingerdb-records/movies.json').length, require('stingerdb/package.json').version, require('stingerdb-records/package.json').version, require.resolve('stingerdb-sqlite/movies.sqlite').endsWith('movies.sqlite'), require('stingerdb-sqlite/package.json').version, ['stingerdb/movies.sqlite', 'stingerdb/movies.json', 'stingerdb/movies.compact.json'].map(moved)]));\n`,
    );
    // The full records and SQLite are the companions' (same version); the dataset package no longer exports them.
    expect(JSON.parse(cjs)).toEqual([snapshot.movies.length, snapshot.version, snapshot.version, true, snapshot.version, Array(3).fill('ERR_PACKAGE_PATH_NOT_EXPORTED')]);
  });

  it.each([
    ['stingerdb', 'movies.answers.json'],
    ['stingerdb-records', 'movies.json'],
  ])('%s reads nothing at import time, then only the index and one line per lookup (%s is never read whole)', (pkg, file) => {
    const out = runNode(
      consumer.projectDir,
      'lazy.cjs',
      `const fs = require('node:fs');
const path = require('node:path');
const reads = [];
for (const name of ['readFileSync', 'openSync']) {
  const original = fs[name];
  // Data files only: the module loader reads the package's code with readFileSync too.
  fs[name] = (file, ...rest) => { if (String(file).endsWith('.json')) reads.push(name + ' ' + path.basename(String(file))); return original(file, ...rest); };
}
const $ = require('${pkg}');
const atImport = reads.length;
$.getMovie(${JSON.stringify(film.id)});
const first = reads.splice(0);
$.getMovie(${JSON.stringify(film.id)});
console.log(JSON.stringify({ atImport, first, second: reads }));
`,
    );
    expect(JSON.parse(out)).toEqual({ atImport: 0, first: ['readFileSync movies.index.json', `openSync ${file}`], second: [`openSync ${file}`] });
  });
});

describe('TypeScript', () => {
  // No @types/node: the package's declarations must stand on their own, as in a browser project.
  const tsc = (files: string[], ...options: string[]) =>
    spawnSync(
      process.execPath,
      [path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '--strict', '--noUncheckedIndexedAccess', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', ...options, ...files],
      { cwd: consumer.projectDir, encoding: 'utf8' },
    );

  it('type-checks ESM and CommonJS consumers with tsc --strict: typed records, nullable verdicts and scores, typed JSON imports', () => {
    writeFileSync(
      path.join(consumer.projectDir, 'consumer.ts'),
      `import stingerdb, { getMovie as getAnswer, creditScenes as answers, search as searchAnswers, all as allAnswers, type MovieAnswer, type CreditAnswer } from 'stingerdb';
import records, { getMovie, findByTmdbId, creditScenes, search, compact, info, type Movie, type CompactMovie, type CreditVerdict } from 'stingerdb-records';
import movies from 'stingerdb-records/movies.json' with { type: 'json' };
import films from 'stingerdb-records/movies.compact.json' with { type: 'json' };

const answer: MovieAnswer | undefined = getAnswer('tt0133093');
const stay: 'yes' | 'no' | 'unknown' | undefined = answer?.afterAnswer;
const why: string | undefined = answers('tt0133093')?.slots.after.why;
const slots: CreditAnswer['slots'] | undefined = searchAnswers('matrix')[0] && answers(searchAnswers('matrix')[0]!.id)?.slots;
const every: readonly MovieAnswer[] = allAnswers();
const sameAnswer: typeof getAnswer = stingerdb.getMovie;
// @ts-expect-error an answer carries no scenes: they are the full record's
const scenes = answers('tt0133093')?.scenes;
// @ts-expect-error a probability may be null (nothing known)
const probability: number = answer!.afterProbability;

const movie: Movie | undefined = getMovie('tt0133093');
const after: boolean | null | undefined = movie?.creditScenes.after;
const tomatometer: number | null | undefined = movie?.scores.rottenTomatoes?.tomatometer;
const verdict: CreditVerdict | undefined = creditScenes('tt0133093');
const kinds: string[] = verdict?.scenes.map((s) => s.kind) ?? [];
const byTmdb: string | undefined = findByTmdbId(603)?.id;
const found: Movie[] = search('matrix', { year: 1999, limit: 5 });
const first: CompactMovie | undefined = compact()[0];
const version: string = info().version;
const fromJson: Movie | undefined = movies[0];
const fromCompactJson: number | null | undefined = films[0]?.tmdbVoteAverage;
const same: typeof getMovie = records.getMovie;
// @ts-expect-error the title may be null (films known only by id): it must be checked
const title: string = movie!.title;
// @ts-expect-error a score may be missing: null, never 0
const metascore: number = first!.metascore;
// @ts-expect-error the verdict is undefined for an unknown film
const during: boolean | null = creditScenes('tt0000000').during;
// @ts-expect-error a TMDB id is a number
findByTmdbId('603');
export { stay, why, slots, every, sameAnswer, scenes, probability, after, tomatometer, kinds, byTmdb, found, version, fromJson, fromCompactJson, same, title, metascore, during };
`,
    );
    writeFileSync(
      path.join(consumer.projectDir, 'consumer.cts'),
      `import stingerdb = require('stingerdb');
import records = require('stingerdb-records');
const answer: stingerdb.MovieAnswer | undefined = stingerdb.getMovie('tt0133093');
const movie: records.Movie | undefined = records.getMovie('tt0133093');
const during: boolean | null | undefined = stingerdb.creditScenes('tt0133093')?.during;
// @ts-expect-error CommonJS has no default export
const missing = stingerdb.default;
export = { answer, movie, during, missing };
`,
    );
    const result = tsc(['consumer.ts', 'consumer.cts']);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('rejects a consumer that ignores the types (the check can fail)', () => {
    writeFileSync(path.join(consumer.projectDir, 'wrong.ts'), `import { getMovie } from 'stingerdb';\nconst title: string = getMovie('tt0133093').title;\nexport { title };\n`);
    const result = tsc(['wrong.ts'], '--skipLibCheck');
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(/TS18048|TS2322/);
  });
});

describe('the README', () => {
  const readme = () => readInstalled('README.md');
  const fenced = (text: string, language: string) => [...text.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);

  it('shows a first-five-minutes script whose output is what the installed package prints', () => {
    const script = fenced(readme(), 'js').find((block) => block.includes('creditScenes(film.id)'));
    const shown = fenced(readme(), 'console').find((block) => block.startsWith(`$ node ${QUICK_START_FILE}\n`));
    expect(script).toBeDefined();
    expect(shown).toBeDefined();
    const output = runNode(consumer.projectDir, QUICK_START_FILE, script!);
    expect(`$ node ${QUICK_START_FILE}\n${output}`).toBe(shown);
    expect(output).toMatch(/^during the credits: (yes|no|unknown) \((0|1|0\.\d+|null)\): .+\nafter the credits: (yes|no|unknown) /m);
  });

  it('shows each lookup with the result the installed package gives', () => {
    const block = fenced(readme(), 'js').find((b) => b.startsWith('import { getMovie, findByTmdbId'))!;
    const examples = block
      .split('\n\n')
      .slice(1)
      .map((example) => {
        const [code, ...result] = example.trim().split('\n');
        return { code: code!.replace(/;$/, ''), shown: result.map((line) => line.replace(/^\/\/ (→ | {2})/, '')).join('\n') };
      });
    expect(examples.length).toBeGreaterThanOrEqual(5);
    const out = runNode(
      consumer.projectDir,
      'lookups.mjs',
      `import { getMovie, findByTmdbId, creditScenes, search } from 'stingerdb';\nconsole.log(JSON.stringify([${examples.map((e) => `(() => { const v = ${e.code}; return v === undefined ? '<undefined>' : v; })()`).join(', ')}]));\n`,
    );
    const results = JSON.parse(out) as unknown[];
    examples.forEach((example, i) => expect(showJson(results[i] === '<undefined>' ? undefined : results[i]), example.code).toBe(example.shown));
  });

  it('carries the data dictionary generated from the current schema, every field documented', () => {
    const dictionary = dataDictionary();
    expect(readme()).toContain(dictionary);
    const schema = JSON.parse(readFileSync(installedFile('records/schema.json'), 'utf8')) as { $defs: Record<string, { properties?: Record<string, unknown> }> };
    for (const [name, def] of Object.entries(schema.$defs)) {
      for (const field of Object.keys(def.properties ?? {})) expect(dictionary, `${name}.${field}`).toMatch(new RegExp(`### ${name}\\n[\\s\\S]*?\\| \`${field}\``));
    }
  });

  it.skipIf(!existsSync(path.join(REPO_ROOT, 'dataset', 'README.md')))('the committed dataset/README.md is not stale against the schema', () => {
    expect(readFileSync(path.join(REPO_ROOT, 'dataset', 'README.md'), 'utf8'), 'dataset/README.md is stale: rebuild the dataset').toContain(dataDictionary());
  });
});

const hasSqlite3 = spawnSync('sqlite3', ['-version'], { encoding: 'utf8' }).status === 0;
if (!hasSqlite3) console.warn('[stingerdb] the sqlite3 command-line client is absent: the movies.sqlite checks are skipped (apt-get install sqlite3).');

describe.skipIf(!hasSqlite3)('stingerdb-sqlite: movies.sqlite, opened with the sqlite3 command-line client', () => {
  const sqlite3 = (query: string) => execFileSync('sqlite3', ['-readonly', path.join(consumer.projectDir, 'node_modules', 'stingerdb-sqlite', 'movies.sqlite'), query], { encoding: 'utf8' }).replace(/\n$/, '');

  it('is intact and carries the package version and schema version in meta', () => {
    expect(sqlite3('PRAGMA integrity_check')).toBe('ok');
    expect(sqlite3("SELECT key || '=' || value FROM meta ORDER BY key")).toBe(`generator=stingerdb pipeline\nschemaVersion=1\nversion=${snapshot.version}`);
    expect(Number(sqlite3('SELECT count(*) FROM movies'))).toBe(snapshot.movies.length);
  });

  it('looks films up by every id through an index, and finds titles with FTS5 regardless of accents', () => {
    for (const column of ['id', 'imdb_id', 'tmdb_id', 'wikidata_id', 'rotten_tomatoes_id', 'metacritic_id']) {
      expect(sqlite3(`EXPLAIN QUERY PLAN SELECT title FROM movies WHERE ${column} = 1`), column).toMatch(/USING (COVERING )?INDEX/);
    }
    const word = film.title!.split(/\s+/).sort((a, b) => b.length - a.length)[0]!;
    const accented = word.replace(/[aeiou]/i, (c) => `${c}\u0301`);
    expect(sqlite3(`SELECT m.id FROM movie_titles JOIN movies m ON m.rowid = movie_titles.rowid WHERE movie_titles MATCH '"${accented.replace(/'/g, "''")}"'`).split('\n')).toContain(film.id);
  });

  it('prints what the README shows for each query', () => {
    const examples = [...readInstalled('README.md').matchAll(/```console\n\$ sqlite3 node_modules\/stingerdb-sqlite\/movies\.sqlite "(.*)"\n([\s\S]*?)```/g)];
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const [, query, shown] of examples) expect(sqlite3(query!), query).toBe(shown!.replace(/\n$/, ''));
    // The companion's own README: its one query runs on its file.
    const companion = readFileSync(path.join(consumer.projectDir, 'node_modules', 'stingerdb-sqlite', 'README.md'), 'utf8');
    const [, query] = /sqlite3 node_modules\/stingerdb-sqlite\/movies\.sqlite "(.*)"/.exec(companion)!;
    expect(sqlite3(query!).split('\n')).toHaveLength(3);
  });
});
