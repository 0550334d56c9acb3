/**
 * Publish: serialize records into the dataset package (`dataset/`). It only writes — the records are built
 * and validated upstream, and checked again here before anything is written.
 *
 * Atomic: every file is written into a staging folder beside the target, then the folder replaces the old
 * one by rename (a crash leaves the old snapshot or the new one, never a mix; `recoverSnapshot` finishes an
 * interrupted swap). Deterministic: the same records give byte-identical files. Versioned: when the content
 * is the same as the previous snapshot's, nothing is written and the version stays; otherwise the version is
 * `<schema major>.<YYYYMMDD>.<n>` (n counts releases of the same day).
 *
 * The version depends on the content hash, so what carries the version comes after it: the content files are
 * written and hashed first (`movies.sqlite` without its `meta.version` row; `package.json` and
 * `datapackage.json` rendered with a placeholder version), then the version is stamped into the SQLite
 * `meta` table and the versioned files are written with the final digests.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValidationError, formatIssues } from '../errors.ts';
import { MOVIE_ID, Movie, SCHEMA_VERSION } from '../normalize/schema.ts';
import { compareStrings, stableStringify } from '../normalize/text.ts';
import { SOURCES } from '../scrapers/index.ts';
import { compactJson } from './compact.ts';
import { buildDataPackage, contributingSources, type SourceTermsRef } from './datapackage.ts';
import { fold } from './fold.ts';
import { dataDictionary, movieJsonSchema, recordDeclarations } from './schema-outputs.ts';
import { datasetReadme, readmeExamples } from './readme.ts';
import { changesMarkdown, diffSnapshots, prependChanges, readSummariesSync, summarize } from './changes.ts';
import { stampSqliteVersion, writeSqlite } from './sqlite.ts';
import { COVERED_FIELDS, buildManifest, type Manifest, type ManifestExtras } from './manifest.ts';

/** Title folding (now in `./fold.ts`), still exported from here. */
export { fold };

const PACKAGE_TEMPLATES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'package');
export const PACKAGE_NAME = 'stingerdb';
/** Files whose content carries the version: left out of the content hash (see `hashContent`). */
const VERSIONED_FILES = new Set(['manifest.json', 'package.json', 'datapackage.json', 'changes.json', 'CHANGES.md']);
/** The version the versioned files are rendered with for the content hash. */
const PLACEHOLDER_VERSION = '0.0.0';

export interface PublishOptions {
  /** The dataset folder (`dataset/`). */
  outDir: string;
  movies: readonly Movie[];
  /** Run facts for the manifest (coverage, conflicts). */
  extras: ManifestExtras;
  /** The release date (UTC); `SOURCE_DATE_EPOCH` pins it for reproducible builds. */
  date?: Date;
}

export interface PublishResult {
  changed: boolean;
  version: string;
  previousVersion: string | null;
  files: string[];
  outDir: string;
}

/** Refused: nothing was written, the previous snapshot stays. */
export class PublishRefusedError extends ValidationError {
  override readonly code = 'publish-refused';
}

export function publishSnapshot(options: PublishOptions): PublishResult {
  const outDir = path.resolve(options.outDir);
  recoverSnapshot(outDir);
  const movies = [...options.movies].sort((a, b) => compareStrings(a.id, b.id));
  checkRecords(movies);

  const previous = readManifest(outDir);
  const staging = `${outDir}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const sources = contributingSources(movies, SOURCES.map(sourceTerms));
    writeContent(staging, movies, sources);
    const contentHash = hashContent(staging, (digests) => versionedFiles(staging, PLACEHOLDER_VERSION, digests, sources));
    if (previous?.contentHash === contentHash) {
      rmSync(staging, { recursive: true, force: true });
      return { changed: false, version: previous.version, previousVersion: previous.version, files: [], outDir };
    }
    const version = nextVersion(previous?.version ?? null, options.date ?? releaseDate());
    stampSqliteVersion(path.join(staging, 'movies.sqlite'), version);
    writeChanges(staging, outDir, { version, previous, movies });
    for (const [name, content] of Object.entries(versionedFiles(staging, version, fileDigests(staging), sources))) writeFileSync(path.join(staging, name), content);
    const manifest = buildManifest({ version, movies, contentHash, files: fileDigests(staging), extras: options.extras });
    writeFileSync(path.join(staging, 'manifest.json'), `${stableStringify(manifest, 2)}\n`);
    swapIn(staging, outDir);
    return { changed: true, version, previousVersion: previous?.version ?? null, files: readdirSync(outDir).sort(), outDir };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Schema, unique and well-formed ids: anything else refuses the whole snapshot. */
export function checkRecords(movies: readonly Movie[]): void {
  const issues: string[] = [];
  const seen = new Set<string>();
  for (const movie of movies) {
    const parsed = Movie.safeParse(movie);
    if (!parsed.success) issues.push(...formatIssues(parsed.error.issues, 5).map((line) => line.replace(/^- /, `- ${String(movie.id)}.`)));
    if (!MOVIE_ID.test(String(movie.id))) issues.push(`- ${String(movie.id)}: id does not match ${MOVIE_ID}`);
    if (seen.has(movie.id)) issues.push(`- ${movie.id}: duplicate id`);
    seen.add(movie.id);
  }
  if (issues.length) throw new PublishRefusedError(`snapshot (${issues.length} problems; the previous snapshot stays)`, issues.slice(0, 50));
}

/** Everything but the versioned files; the README last, since it runs its examples on the rest. */
function writeContent(dir: string, movies: readonly Movie[], sources: readonly SourceTermsRef[]): void {
  const { json, index, titles } = moviesJson(movies);
  writeFileSync(path.join(dir, 'movies.json'), json);
  writeFileSync(path.join(dir, 'movies.index.json'), `${JSON.stringify(index)}\n`);
  writeFileSync(path.join(dir, 'movies.titles.json'), `${JSON.stringify(titles)}\n`);
  const compact = compactJson(movies);
  writeFileSync(path.join(dir, 'movies.compact.json'), compact);
  writeSqlite(path.join(dir, 'movies.sqlite'), movies, { schemaVersion: String(SCHEMA_VERSION), generator: 'stingerdb pipeline' });
  writeFileSync(path.join(dir, 'schema.json'), `${JSON.stringify(movieJsonSchema(), null, 2)}\n`);
  const template = (name: string) => readFileSync(path.join(PACKAGE_TEMPLATES, name), 'utf8');
  const declarations = `// Generated from the stingerdb schema — do not edit.\n\n${recordDeclarations()}\n${template('api.d.ts')}`;
  writeFileSync(path.join(dir, 'index.d.ts'), `${declarations}\n${template('default.d.ts')}`);
  writeFileSync(path.join(dir, 'index.d.cts'), declarations);
  for (const name of ['index.cjs', 'index.js', 'movies.json.d.ts', 'movies.compact.json.d.ts']) copyFileSync(path.join(PACKAGE_TEMPLATES, name), path.join(dir, name));
  const readme = datasetReadme({
    dictionary: dataDictionary(),
    sources,
    examples: readmeExamples(dir, movies),
    sizes: { full: json.length, compact: Buffer.byteLength(compact), sqlite: statSync(path.join(dir, 'movies.sqlite')).size },
    count: movies.length,
  });
  writeFileSync(path.join(dir, 'README.md'), readme);
}

/** `package.json` and `datapackage.json` for `version`, given the digests of the content files. */
function versionedFiles(dir: string, version: string, digests: Record<string, { bytes: number; sha256: string }>, sources: readonly SourceTermsRef[]): Record<string, string> {
  const descriptor = buildDataPackage({ version, sqliteFile: path.join(dir, 'movies.sqlite'), files: digests, sources });
  return { 'package.json': packageJson(version), 'datapackage.json': `${JSON.stringify(descriptor, null, 2)}\n` };
}

/**
 * `changes.json` (this version against the previous snapshot) and `CHANGES.md` (the release notes, this
 * version's section on top of the previous notes).
 */
function writeChanges(staging: string, outDir: string, input: { version: string; previous: Manifest | null; movies: readonly Movie[] }): void {
  const previousSummaries = input.previous ? readSummariesSync(path.join(outDir, 'movies.json')) : null;
  const coverageAfter: Record<string, number> = {};
  for (const [field, present] of Object.entries(COVERED_FIELDS)) coverageAfter[field] = input.movies.filter(present).length;
  const changes = diffSnapshots({
    version: input.version,
    previousVersion: input.previous?.version ?? null,
    previous: previousSummaries,
    next: new Map(input.movies.map((m) => [m.id, summarize(m)])),
    coverageBefore: input.previous?.coverage?.fields ?? {},
    coverageAfter,
  });
  writeFileSync(path.join(staging, 'changes.json'), `${stableStringify(changes, 2)}\n`);
  const notesFile = path.join(outDir, 'CHANGES.md');
  const previousNotes = existsSync(notesFile) ? readFileSync(notesFile, 'utf8') : null;
  writeFileSync(path.join(staging, 'CHANGES.md'), prependChanges(previousNotes, changesMarkdown(changes)));
}

function sourceTerms(source: (typeof SOURCES)[number]): SourceTermsRef {
  return { id: source.id, name: source.name, homepage: source.homepage, ...source.terms };
}

/**
 * `movies.json`: a JSON array with one record per line (sorted keys), so a refresh is a per-film diff and
 * a reader can parse one record from its byte range. The index gives each record's byte range and the TMDB
 * ids; the titles file holds folded titles for search. Both are flat arrays (row n = the n-th record): they
 * parse several times faster than objects keyed by id, and the reader loads the titles only to search.
 */
export function moviesJson(movies: readonly Movie[]): { json: Buffer; index: MoviesIndex; titles: MoviesTitles } {
  const parts: Buffer[] = [Buffer.from('[\n')];
  let offset = 2;
  const index: MoviesIndex = { ids: [], offsets: [], lengths: [], tmdbIds: [], tmdbRows: [] };
  const titles: MoviesTitles = { rows: [], titles: [], originalTitles: [], years: [] };
  const tmdb: [number, number][] = [];
  movies.forEach((movie, row) => {
    const line = Buffer.from(stableStringify(movie));
    index.ids.push(movie.id);
    index.offsets.push(offset);
    index.lengths.push(line.length);
    if (movie.ids.tmdb !== undefined) tmdb.push([movie.ids.tmdb, row]);
    if (movie.title || movie.originalTitle) {
      const title = movie.title ? fold(movie.title) : null;
      const original = movie.originalTitle ? fold(movie.originalTitle) : null;
      titles.rows.push(row);
      titles.titles.push(title);
      titles.originalTitles.push(original === title ? null : original);
      titles.years.push(movie.year ?? null);
    }
    const separator = Buffer.from(row < movies.length - 1 ? ',\n' : '\n');
    parts.push(line, separator);
    offset += line.length + separator.length;
  });
  parts.push(Buffer.from(']\n'));
  tmdb.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  index.tmdbIds = tmdb.map(([id]) => id);
  index.tmdbRows = tmdb.map(([, row]) => row);
  return { json: Buffer.concat(parts), index, titles };
}

/** `movies.index.json`: where each record is in `movies.json`, and the TMDB ids (parallel arrays, by row). */
export interface MoviesIndex {
  /** Film ids in file order (sorted by id, so a reader can binary-search them). */
  ids: string[];
  /** Byte offset of each row's record in movies.json. */
  offsets: number[];
  /** Byte length of each row's record. */
  lengths: number[];
  /** TMDB ids, ascending. */
  tmdbIds: number[];
  /** The row of each TMDB id. */
  tmdbRows: number[];
}

/** `movies.titles.json`: folded titles for search (parallel arrays, one entry per film with a title). */
export interface MoviesTitles {
  rows: number[];
  titles: (string | null)[];
  /** Folded original title; null when none or the same as the title. */
  originalTitles: (string | null)[];
  years: (number | null)[];
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function fileDigests(dir: string): Record<string, { bytes: number; sha256: string }> {
  const digests: Record<string, { bytes: number; sha256: string }> = {};
  for (const name of readdirSync(dir).sort()) {
    if (name === 'manifest.json') continue;
    const file = path.join(dir, name);
    digests[name] = { bytes: statSync(file).size, sha256: sha256(file) };
  }
  return digests;
}

/**
 * A digest of every file whose content does not carry the version, plus the versioned files rendered with a
 * placeholder version (so a change to how they are written is a change of content too).
 */
function hashContent(dir: string, renderVersioned: (digests: Record<string, { bytes: number; sha256: string }>) => Record<string, string>): string {
  const hash = createHash('sha256');
  const digests = fileDigests(dir);
  for (const [name, { sha256: digest }] of Object.entries(digests)) {
    if (VERSIONED_FILES.has(name)) continue;
    hash.update(`${name}\0${digest}\n`);
  }
  for (const [name, content] of Object.entries(renderVersioned(digests)).sort(([a], [b]) => compareStrings(a, b))) {
    hash.update(`${name}\0${createHash('sha256').update(content).digest('hex')}\n`);
  }
  return hash.digest('hex');
}

export function readManifest(dir: string): Manifest | null {
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch {
    return null;
  }
}

function releaseDate(): Date {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  return new Date();
}

/** `1.YYYYMMDD.n`: n is one more than the previous release of the same day, else 0. */
export function nextVersion(previous: string | null, date: Date): string {
  const day = date.toISOString().slice(0, 10).replace(/-/g, '');
  const m = previous ? /^(\d+)\.(\d{8})\.(\d+)$/.exec(previous) : null;
  if (m && Number(m[1]) === SCHEMA_VERSION && m[2] === day) return `${SCHEMA_VERSION}.${day}.${Number(m[3]) + 1}`;
  if (m && Number(m[1]) === SCHEMA_VERSION && m[2]! > day) {
    // The clock went back (or the previous release was pinned ahead): never go backwards.
    return `${SCHEMA_VERSION}.${m[2]}.${Number(m[3]) + 1}`;
  }
  return `${SCHEMA_VERSION}.${day}.0`;
}

export function packageJson(version: string): string {
  const pkg = {
    name: PACKAGE_NAME,
    version,
    description: 'Does this film have a scene during or after the end credits? Open dataset of end-credit scenes and review scores, as typed JSON and SQLite.',
    keywords: ['movies', 'films', 'end credits', 'post-credits scene', 'stinger', 'dataset', 'sqlite', 'tmdb', 'imdb'],
    license: 'SEE LICENSE IN README.md',
    homepage: 'https://github.com/stingerdb/stingerdb#readme',
    repository: { type: 'git', url: 'git+https://github.com/stingerdb/stingerdb.git', directory: 'dataset' },
    type: 'module',
    main: './index.cjs',
    module: './index.js',
    types: './index.d.ts',
    exports: {
      '.': {
        import: { types: './index.d.ts', default: './index.js' },
        require: { types: './index.d.cts', default: './index.cjs' },
      },
      './movies.json': { types: './movies.json.d.ts', default: './movies.json' },
      './movies.compact.json': { types: './movies.compact.json.d.ts', default: './movies.compact.json' },
      './movies.index.json': './movies.index.json',
      './movies.titles.json': './movies.titles.json',
      './movies.sqlite': './movies.sqlite',
      './schema.json': './schema.json',
      './datapackage.json': './datapackage.json',
      './manifest.json': './manifest.json',
      './changes.json': './changes.json',
      './package.json': './package.json',
    },
    files: [
      'index.js', 'index.cjs', 'index.d.ts', 'index.d.cts', 'movies.json', 'movies.json.d.ts', 'movies.compact.json', 'movies.compact.json.d.ts',
      'movies.index.json', 'movies.titles.json', 'movies.sqlite', 'schema.json', 'datapackage.json', 'manifest.json', 'changes.json',
      'CHANGES.md', 'README.md',
    ],
    sideEffects: false,
    engines: { node: '>=18' },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** Replaces `outDir` by `staging`: the old folder is moved aside first and removed last. */
function swapIn(staging: string, outDir: string): void {
  const previous = `${outDir}.previous`;
  rmSync(previous, { recursive: true, force: true });
  if (existsSync(outDir)) renameSync(outDir, previous);
  renameSync(staging, outDir);
  rmSync(previous, { recursive: true, force: true });
}

/** Finishes a swap that a crash interrupted: the target missing but its previous copy present → restore it. */
export function recoverSnapshot(outDir: string): void {
  const previous = `${outDir}.previous`;
  if (!existsSync(outDir) && existsSync(previous)) renameSync(previous, outDir);
  else if (existsSync(previous)) rmSync(previous, { recursive: true, force: true });
  const parent = path.dirname(outDir);
  if (!existsSync(parent)) return;
  const base = `${path.basename(outDir)}.staging-`;
  for (const name of readdirSync(parent)) {
    if (name.startsWith(base)) rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}
