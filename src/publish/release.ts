/**
 * Versioning a snapshot: what its version depends on, and what carries it.
 *
 * The version depends on the content, so what carries the version comes after it: the content files are
 * written and hashed first (`movies.sqlite` without its `meta.version` row; `package.json` and
 * `datapackage.json` rendered with a placeholder version) into one content hash (`contentHashOf`). When it is
 * the previous snapshot's, nothing is published and the version stays; otherwise `release` gives the new
 * version — above every one issued before (`./version.ts`) — stamps it into the SQLite `meta` table, writes the
 * release notes (`changes.json`, `CHANGES.md`: the diff against the previous snapshot), then the versioned files
 * and, last, the manifest with every other file's digest.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { syncFile } from '../lib/files.ts';
import { stableStringify } from '../lib/json.ts';
import { compareStrings } from '../lib/text.ts';
import type { SourceTermsRef } from '../schema/sources.ts';
import { changesMarkdown, prependChanges, snapshotRecords, writeChangesJson } from './changes.ts';
import { buildDataPackage, type FieldSources } from './datapackage.ts';
import { digestFile, type Digest } from './hashed-file.ts';
import { MANIFEST_FILES, PACKAGE_NAME, RECORDS_PACKAGE, SQLITE_FILE, SQLITE_PACKAGE, buildManifest, type Manifest, type ManifestCounts, type ManifestExtras } from './manifest.ts';
import { stampSqliteVersion } from './sqlite.ts';
import { nextVersion, releaseDate } from './version.ts';

/** The companion packages' `package.json` (they carry the version too). */
const SQLITE_PACKAGE_JSON = `${SQLITE_PACKAGE.dir}/package.json`;
const RECORDS_PACKAGE_JSON = `${RECORDS_PACKAGE.dir}/package.json`;
/** Files whose content carries the version: left out of the content hash (see `hashContent`). */
const VERSIONED_FILES = new Set([...MANIFEST_FILES, 'package.json', RECORDS_PACKAGE_JSON, SQLITE_PACKAGE_JSON, 'datapackage.json', 'changes.json', 'CHANGES.md']);
/** The version the versioned files are rendered with for the content hash. */
const PLACEHOLDER_VERSION = '0.0.0';
/**
 * The Node releases the dataset package supports: its README's JSON imports use import attributes
 * (`with { type: 'json' }`), which Node has from 18.20 on the 18 line and from 20.10 (19 never had them).
 */
export const DATASET_NODE_ENGINES = '^18.20.0 || >=20.10.0';

/** The content hash of a staged snapshot, once every file whose content does not carry the version is written. */
export function contentHashOf(staging: string, digests: ReadonlyMap<string, Digest>, sources: readonly SourceTermsRef[], fieldSources: FieldSources): string {
  return hashContent(digests, (files) => versionedFiles(staging, PLACEHOLDER_VERSION, files, sources, fieldSources));
}

/** A staged snapshot whose content is complete, and what its release needs. */
export interface StagedSnapshot {
  staging: string;
  scratch: string;
  outDir: string;
  /** The manifest of the snapshot it replaces (null: none, or a broken one). */
  previous: Manifest | null;
  /** Every version known to have been issued into `outDir`. */
  issued: readonly string[];
  /** The release date (else `SOURCE_DATE_EPOCH`, else today). */
  date?: Date;
  counts: ManifestCounts;
  digests: Map<string, Digest>;
  sources: readonly SourceTermsRef[];
  /** Where each field of the answers comes from (`datapackage.json` says it per field). */
  fieldSources: FieldSources;
  contentHash: string;
  extras: ManifestExtras;
  /** Writes a file of the snapshot and notes its digest. */
  put: (name: string, content: string | Buffer) => void;
}

/** Releases a staged snapshot (see above) and gives its version; the caller swaps it in. */
export function release(snapshot: StagedSnapshot): string {
  const { staging, outDir, previous, digests } = snapshot;
  const version = nextVersion(snapshot.issued, snapshot.date ?? releaseDate());
  stampVersion(staging, digests, version);
  const changes = writeChangesJson({
    file: path.join(staging, 'changes.json'),
    scratchDir: snapshot.scratch,
    version,
    previousVersion: previous?.version ?? null,
    previous: previous ? snapshotRecords(outDir) : null,
    next: snapshotRecords(staging)!,
    coverageBefore: previous?.coverage?.fields ?? {},
    coverageAfter: snapshot.counts.fields,
  });
  digests.set('changes.json', digestFile(path.join(staging, 'changes.json')));
  const notesFile = path.join(outDir, 'CHANGES.md');
  snapshot.put('CHANGES.md', prependChanges(existsSync(notesFile) ? readFileSync(notesFile, 'utf8') : null, changesMarkdown(changes)));
  putVersioned(snapshot, version);
  rmSync(snapshot.scratch, { recursive: true, force: true });
  return version;
}

/**
 * The files a staged snapshot would be released with as `version`, its release notes taken as given
 * (`history`: they depend on earlier snapshots, not on the records) — for the drift check, which compares
 * every file of a committed snapshot with what its observations give.
 */
export function releasedAs(snapshot: StagedSnapshot, version: string, history: Readonly<Record<string, Digest>>): Map<string, Digest> {
  stampVersion(snapshot.staging, snapshot.digests, version);
  for (const [name, digest] of Object.entries(history)) snapshot.digests.set(name, digest);
  putVersioned(snapshot, version);
  return snapshot.digests;
}

/** Stamps `version` into the SQLite meta table (after the content hash: the stamp is not content). */
function stampVersion(staging: string, digests: Map<string, Digest>, version: string): void {
  const sqliteFile = path.join(staging, SQLITE_FILE);
  stampSqliteVersion(sqliteFile, version);
  // SQLite writes it without syncing (the staging folder is thrown away after a crash): flushed before the swap.
  syncFile(sqliteFile);
  digests.set(SQLITE_FILE, digestFile(sqliteFile));
}

/** `package.json`, `datapackage.json` and, last, `manifest.json`, once every other file's digest is known. */
function putVersioned(snapshot: StagedSnapshot, version: string): void {
  const { digests } = snapshot;
  for (const [name, content] of Object.entries(versionedFiles(snapshot.staging, version, sortedDigests(digests), snapshot.sources, snapshot.fieldSources))) snapshot.put(name, content);
  const manifest = buildManifest({ version, counts: snapshot.counts, contentHash: snapshot.contentHash, files: sortedDigests(digests), extras: snapshot.extras });
  for (const name of MANIFEST_FILES) snapshot.put(name, `${stableStringify(manifest, 2)}\n`);
}

function sortedDigests(digests: ReadonlyMap<string, Digest>): Record<string, Digest> {
  return Object.fromEntries([...digests].filter(([name]) => !MANIFEST_FILES.includes(name)).sort(([a], [b]) => compareStrings(a, b)));
}

/** Both packages' `package.json` and `datapackage.json` for `version`, given the digests of the content files. */
function versionedFiles(dir: string, version: string, digests: Record<string, Digest>, sources: readonly SourceTermsRef[], fieldSources: FieldSources): Record<string, string> {
  const descriptor = buildDataPackage({ version, sqliteFile: path.join(dir, SQLITE_FILE), files: digests, sources, fieldSources });
  return {
    'package.json': packageJson(version),
    [RECORDS_PACKAGE_JSON]: recordsPackageJson(version),
    [SQLITE_PACKAGE_JSON]: sqlitePackageJson(version),
    'datapackage.json': `${JSON.stringify(descriptor, null, 2)}\n`,
  };
}


/**
 * A digest of every file whose content does not carry the version, plus the versioned files rendered with a
 * placeholder version (so a change to how they are written is a change of content too).
 */
function hashContent(digests: ReadonlyMap<string, Digest>, renderVersioned: (digests: Record<string, Digest>) => Record<string, string>): string {
  const hash = createHash('sha256');
  const files = sortedDigests(digests);
  for (const [name, { sha256: digest }] of Object.entries(files)) {
    if (VERSIONED_FILES.has(name)) continue;
    hash.update(`${name}\0${digest}\n`);
  }
  for (const [name, content] of Object.entries(renderVersioned(files)).sort(([a], [b]) => compareStrings(a, b))) {
    hash.update(`${name}\0${createHash('sha256').update(content).digest('hex')}\n`);
  }
  return hash.digest('hex');
}

const KEYWORDS = ['movies', 'films', 'end credits', 'post-credits scene', 'stinger', 'dataset', 'tmdb', 'imdb'];
const REPOSITORY = 'git+https://github.com/stingerdb/stingerdb.git';

/** The entry points of a package with the Node and browser readers (the dataset package and the records companion). */
function readerExports(): Record<string, unknown> {
  return {
    '.': {
      browser: { types: './browser.d.ts', default: './browser.js' },
      worker: { types: './browser.d.ts', default: './browser.js' },
      import: { types: './index.d.ts', default: './index.js' },
      require: { types: './index.d.cts', default: './index.cjs' },
    },
    './browser': { types: './browser.d.ts', default: './browser.js' },
  };
}
const READER_FILES = ['LICENSE', 'README.md', 'index.js', 'index.cjs', 'index.d.ts', 'index.d.cts', 'browser.js', 'browser.d.ts'];

/** The fields both reader packages share: how they load. */
function readerPackage(): Record<string, unknown> {
  return {
    license: 'SEE LICENSE IN LICENSE',
    homepage: 'https://github.com/stingerdb/stingerdb#readme',
    type: 'module',
    main: './index.cjs',
    module: './index.js',
    // For resolvers that read no "exports" (TypeScript's node10): the declarations of main, the CommonJS entry.
    types: './index.d.cts',
  };
}

/** The dataset package's `package.json`: each film's answer. Its `files` leave out the companions' folders. */
export function packageJson(version: string): string {
  const pkg = {
    name: PACKAGE_NAME,
    version,
    description: 'Should you stay for the credits? The answer for every film — yes, no or unknown, its probability and why — with the verdicts sources reported and review scores. Full records: stingerdb-records; SQLite: stingerdb-sqlite.',
    keywords: KEYWORDS,
    ...readerPackage(),
    repository: { type: 'git', url: REPOSITORY, directory: 'dataset' },
    exports: {
      ...readerExports(),
      './movies.answers.json': './movies.answers.json',
      './movies.index.json': './movies.index.json',
      './movies.tmdb.json': './movies.tmdb.json',
      './movies.titles.json': './movies.titles.json',
      './scores.json': './scores.json',
      './datapackage.json': './datapackage.json',
      './manifest.json': './manifest.json',
      './changes.json': './changes.json',
      './package.json': './package.json',
    },
    files: [...READER_FILES, 'movies.answers.json', 'movies.index.json', 'movies.tmdb.json', 'movies.titles.json', 'scores.json', 'datapackage.json', 'manifest.json', 'changes.json', 'CHANGES.md'],
    sideEffects: false,
    engines: { node: DATASET_NODE_ENGINES },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** The records companion's `package.json`: the full records, the compact file, their JSON Schema and reader. */
export function recordsPackageJson(version: string): string {
  const pkg = {
    name: RECORDS_PACKAGE.name,
    version,
    description: `The full records of the stingerdb dataset (details, scores with their sources, credit scenes with their evidence, the answer per slot) and their lookups; released with ${PACKAGE_NAME}, same version.`,
    keywords: KEYWORDS,
    ...readerPackage(),
    repository: { type: 'git', url: REPOSITORY, directory: `dataset/${RECORDS_PACKAGE.dir}` },
    exports: {
      ...readerExports(),
      './movies.json': { types: './movies.json.d.cts', default: './movies.json' },
      './movies.compact.json': { types: './movies.compact.json.d.cts', default: './movies.compact.json' },
      './movies.index.json': './movies.index.json',
      './movies.titles.json': './movies.titles.json',
      './schema.json': './schema.json',
      './scores.json': './scores.json',
      './manifest.json': './manifest.json',
      './package.json': './package.json',
    },
    files: [...READER_FILES, 'manifest.json', 'movies.json', 'movies.json.d.cts', 'movies.compact.json', 'movies.compact.json.d.cts', 'movies.index.json', 'movies.titles.json', 'schema.json', 'scores.json'],
    sideEffects: false,
    engines: { node: DATASET_NODE_ENGINES },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** The companion package's `package.json`: `movies.sqlite` alone, no code (`require.resolve` gives its path). */
export function sqlitePackageJson(version: string): string {
  const pkg = {
    name: SQLITE_PACKAGE.name,
    version,
    description: `The stingerdb dataset (end-credit scenes and review scores) as one SQLite database; released with ${PACKAGE_NAME}, same version.`,
    keywords: [...KEYWORDS, 'sqlite'],
    license: 'SEE LICENSE IN LICENSE',
    homepage: 'https://github.com/stingerdb/stingerdb#readme',
    repository: { type: 'git', url: REPOSITORY, directory: `dataset/${SQLITE_PACKAGE.dir}` },
    // No code in it; said so that Node and linters need not guess.
    type: 'commonjs',
    exports: { './movies.sqlite': './movies.sqlite', './package.json': './package.json' },
    files: ['LICENSE', 'README.md', 'movies.sqlite'],
    sideEffects: false,
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}
