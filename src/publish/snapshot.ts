/**
 * Publish: serialize records into the dataset package (`dataset/`). It only writes — the records are built
 * and validated upstream, and checked again here before anything is written.
 *
 * Atomic: every file is written into a staging folder beside the target, then the folder replaces the old
 * one by rename (a crash leaves the old snapshot or the new one, never a mix; `recoverSnapshot` finishes an
 * interrupted swap). Deterministic: the same records give byte-identical files. Versioned: when the content
 * is the same as the previous snapshot's, nothing is written and the version stays; otherwise the version is
 * `<schema major>.<YYYYMMDD>.<n>` (n counts releases of the same day).
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValidationError, formatIssues } from '../errors.ts';
import { MOVIE_ID, Movie, SCHEMA_VERSION } from '../normalize/schema.ts';
import { compareStrings, stableStringify } from '../normalize/text.ts';
import { dataDictionary, movieJsonSchema, recordDeclarations } from './schema-outputs.ts';
import { datasetReadme } from './readme.ts';
import { writeSqlite } from './sqlite.ts';
import { buildManifest, type Manifest, type ManifestExtras } from './manifest.ts';

const PACKAGE_TEMPLATES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'package');
export const PACKAGE_NAME = 'stingerdb';
/** Files whose content carries the version: left out of the content hash. */
const VERSIONED_FILES = new Set(['manifest.json', 'package.json']);

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
    writeContent(staging, movies);
    const contentHash = hashContent(staging);
    if (previous?.contentHash === contentHash) {
      rmSync(staging, { recursive: true, force: true });
      return { changed: false, version: previous.version, previousVersion: previous.version, files: [], outDir };
    }
    const version = nextVersion(previous?.version ?? null, options.date ?? releaseDate());
    writeFileSync(path.join(staging, 'package.json'), packageJson(version));
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

/** Everything but the two versioned files. */
function writeContent(dir: string, movies: readonly Movie[]): void {
  const { json, index } = moviesJson(movies);
  writeFileSync(path.join(dir, 'movies.json'), json);
  writeFileSync(path.join(dir, 'movies.index.json'), `${JSON.stringify(index)}\n`);
  writeSqlite(path.join(dir, 'movies.sqlite'), movies, { schemaVersion: String(SCHEMA_VERSION), generator: 'stingerdb pipeline' });
  writeFileSync(path.join(dir, 'schema.json'), `${JSON.stringify(movieJsonSchema(), null, 2)}\n`);
  const api = readFileSync(path.join(PACKAGE_TEMPLATES, 'api.d.ts'), 'utf8');
  const declarations = `// Generated from the stingerdb schema — do not edit.\n\n${recordDeclarations()}\n${api}`;
  writeFileSync(path.join(dir, 'index.d.ts'), declarations);
  writeFileSync(path.join(dir, 'index.d.cts'), declarations);
  copyFileSync(path.join(PACKAGE_TEMPLATES, 'index.cjs'), path.join(dir, 'index.cjs'));
  copyFileSync(path.join(PACKAGE_TEMPLATES, 'index.js'), path.join(dir, 'index.js'));
  writeFileSync(path.join(dir, 'README.md'), datasetReadme(dataDictionary()));
}

/**
 * `movies.json`: a JSON array with one record per line (sorted keys), so a refresh is a per-film diff and
 * a reader can parse one record from its byte range. The index maps ids to byte ranges, TMDB ids to ids,
 * and holds folded titles for search.
 */
export function moviesJson(movies: readonly Movie[]): { json: Buffer; index: MoviesIndex } {
  const parts: Buffer[] = [Buffer.from('[\n')];
  let offset = 2;
  const index: MoviesIndex = { ids: {}, tmdb: {}, titles: [] };
  movies.forEach((movie, i) => {
    const line = Buffer.from(stableStringify(movie));
    index.ids[movie.id] = [offset, line.length];
    if (movie.ids.tmdb !== undefined) index.tmdb[String(movie.ids.tmdb)] = movie.id;
    if (movie.title || movie.originalTitle) {
      index.titles.push([movie.id, movie.title ? fold(movie.title) : null, movie.originalTitle ? fold(movie.originalTitle) : null, movie.year ?? null]);
    }
    const separator = Buffer.from(i < movies.length - 1 ? ',\n' : '\n');
    parts.push(line, separator);
    offset += line.length + separator.length;
  });
  parts.push(Buffer.from(']\n'));
  return { json: Buffer.concat(parts), index };
}

export interface MoviesIndex {
  /** id → [byte offset, byte length] of the record in movies.json. */
  ids: Record<string, [number, number]>;
  /** TMDB id → id. */
  tmdb: Record<string, string>;
  /** [id, folded title, folded original title, year]. */
  titles: [string, string | null, string | null, number | null][];
}

/** The folding the reader applies to a query (keep in step with src/publish/package/index.cjs). */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
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

/** A digest of every file whose content does not carry the version. */
function hashContent(dir: string): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort()) {
    if (VERSIONED_FILES.has(name)) continue;
    hash.update(`${name}\0${sha256(path.join(dir, name))}\n`);
  }
  hash.update(`package.json\0${createHash('sha256').update(packageJson('0.0.0')).digest('hex')}\n`);
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
      './movies.json': './movies.json',
      './movies.index.json': './movies.index.json',
      './movies.sqlite': './movies.sqlite',
      './schema.json': './schema.json',
      './manifest.json': './manifest.json',
      './package.json': './package.json',
    },
    files: ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts', 'movies.json', 'movies.index.json', 'movies.sqlite', 'schema.json', 'manifest.json', 'README.md'],
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
