/**
 * Publish: serialize records into the dataset package (`dataset/`). It only writes — the records are built
 * and validated upstream (once: by the build, or by `checkRecords` for records handed over all at once).
 *
 * Streaming: `SnapshotWriter` takes the records one at a time, in id order, and no file is ever held whole in
 * memory (files are hashed as they are written or read back in chunks), so a million films publish in a
 * bounded footprint.
 *
 * Safe target: the folder is replaced whole, so only a snapshot folder (or a new or empty one) is ever
 * replaced — `publishTarget`, which every publisher goes through, refuses anything else, and refuses a snapshot
 * whose manifest cannot be read unless forced (see `./target.ts` for the rule).
 *
 * Atomic: every file is written into a staging folder beside the target — whole (through `src/lib/files.ts`)
 * and flushed to the disk — then the folder replaces the old one by rename and the parent folder is flushed
 * (a crash leaves the old snapshot or the new one, never a mix; `recoverSnapshot` finishes an interrupted
 * swap). A full disk or a read-only folder stops the snapshot with a `FileSystemError` that says the
 * previous snapshot stays. Deterministic: the same records give byte-identical files. Versioned: when the content
 * is the same as the previous snapshot's, nothing is written and the version stays; otherwise the version is
 * `<schema major>.<YYYYMMDD>.<n>`, above every version issued before (`./version.ts`).
 *
 * The version depends on the content hash, so what carries the version comes after it: the content files are
 * written and hashed first (`movies.sqlite` without its `meta.version` row; `package.json` and
 * `datapackage.json` rendered with a placeholder version), then the version is stamped into the SQLite
 * `meta` table and the versioned files are written with the final digests.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileSystemError, PublishRefusedError, SnapshotUnreadableError, formatIssues, shownPath } from '../errors.ts';
import { FileOutput, onFile, syncFile, syncFolder, writeFileDurable } from '../lib/files.ts';
import { MOVIE_ID } from '../schema/ids.ts';
import { Movie, SCHEMA_VERSION } from '../schema/movie.ts';
import { compareStrings } from '../lib/text.ts';
import { stableStringify } from '../lib/json.ts';
import { toCompact } from './compact.ts';
import type { SourceTermsRef } from '../schema/sources.ts';
import { buildDataPackage, contributingSources } from './datapackage.ts';
import { fold } from '../lib/fold.ts';
import { dataDictionary, movieJsonSchema, recordDeclarations } from './schema-outputs.ts';
import { ExampleCandidates, datasetReadme, readmeExamples } from './readme.ts';
import { changesMarkdown, prependChanges, snapshotRecords, writeChangesJson } from './changes.ts';
import { SqliteWriter, stampSqliteVersion } from './sqlite.ts';
import { ManifestCounts, PACKAGE_NAME, buildManifest, type Manifest, type ManifestExtras } from './manifest.ts';
import { historyVersions, inspectSnapshot } from './target.ts';
import { nextVersion, releaseDate } from './version.ts';

const PACKAGE_TEMPLATES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'package');
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
  /** Every source with its terms, in registry order (`SOURCE_TERMS`). */
  terms: readonly SourceTermsRef[];
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

/** Publishes records given all at once (sorted and checked here); the streaming build uses `SnapshotWriter`. */
export function publishSnapshot(options: PublishOptions): PublishResult {
  const movies = [...options.movies].sort((a, b) => compareStrings(a.id, b.id));
  checkRecords(movies);
  const writer = SnapshotWriter.open({ outDir: options.outDir, terms: options.terms, date: options.date });
  try {
    for (const movie of movies) writer.add(movie);
  } catch (error) {
    writer.abort();
    throw error;
  }
  return writer.finish(options.extras);
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
  if (issues.length) throw refusal(issues);
}

function refusal(issues: readonly string[]): PublishRefusedError {
  return new PublishRefusedError(`snapshot (${issues.length} problems; the previous snapshot stays)`, issues.slice(0, 50));
}

/** A file's size and sha256, as the manifest lists them. */
export type Digest = { bytes: number; sha256: string };

/** A file written in pieces, hashed as it is written (never read back whole). */
class HashedFile {
  private readonly out: FileOutput;
  private readonly hash: Hash = createHash('sha256');
  private pending: string[] = [];
  private pendingSize = 0;
  /** Bytes written so far (what is pending included). */
  bytes = 0;

  /** `scratch`: a work file, thrown away after the snapshot, so not flushed to the disk on close. */
  constructor(readonly file: string, private readonly options: { scratch?: boolean } = {}) {
    this.out = new FileOutput(file);
  }

  write(text: string): void {
    this.pending.push(text);
    this.pendingSize += text.length;
    this.bytes += Buffer.byteLength(text);
    if (this.pendingSize > 1 << 20) this.flush();
  }

  /** Appends a file's content. */
  append(file: string): void {
    this.flush();
    const fd = openSync(file, 'r');
    const chunk = Buffer.allocUnsafe(1 << 20);
    try {
      for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) {
        this.hash.update(chunk.subarray(0, read));
        this.out.write(chunk.subarray(0, read));
        this.bytes += read;
      }
    } finally {
      closeSync(fd);
    }
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const buffer = Buffer.from(this.pending.join(''));
    this.hash.update(buffer);
    this.out.write(buffer);
    this.pending = [];
    this.pendingSize = 0;
  }

  close(): Digest {
    this.flush();
    if (!this.options.scratch) this.out.sync();
    this.out.close();
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  /** Closes without a digest (the file is being thrown away). */
  discard(): void {
    this.out.close();
  }
}

/** A JSON array written one element at a time (`[a,b,c]`, as JSON.stringify writes it). */
class JsonColumn {
  private readonly out: HashedFile;
  private count = 0;
  constructor(file: string) {
    this.out = new HashedFile(file, { scratch: true });
  }
  push(json: string): void {
    this.out.write(this.count++ === 0 ? json : `,${json}`);
  }
  close(): string {
    this.out.close();
    return this.out.file;
  }
  discard(): void {
    this.out.discard();
  }
}

/** A growable array of numbers. */
class Numbers {
  values = new Float64Array(1 << 12);
  length = 0;
  push(value: number): void {
    if (this.length === this.values.length) {
      const bigger = new Float64Array(this.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = value;
  }
}

/**
 * A snapshot written one record at a time, so that a million records are never all in memory: `open`,
 * `add` every record in id order, then `finish` (or `abort`).
 *
 * `movies.json` (a JSON array, one record per line) and `movies.compact.json` are written and hashed as
 * records come. `movies.index.json` (`{ids, offsets, lengths, tmdbIds, tmdbRows}`: each row's id and byte
 * range in `movies.json`, then the TMDB ids ascending with their rows) and `movies.titles.json` (`{rows,
 * titles, originalTitles, years}`: folded titles for search) are parallel arrays — they parse several times
 * faster than objects keyed by id — built column by column in scratch files (the TMDB ids stay in memory, to
 * be sorted). SQLite rows go to the SQLite thread; manifest counts, contributing sources and README example
 * candidates are counted on the way.
 *
 * `finish` refuses (nothing written, the previous snapshot stays) when ids were malformed, repeated or out of
 * order — records are validated by whoever builds them (`buildFromSources`, `checkRecords`), once.
 */
export class SnapshotWriter {
  private readonly issues: string[] = [];
  private readonly counts = new ManifestCounts();
  private readonly usedSources = new Set<string>();
  private readonly candidates = new ExampleCandidates();
  private readonly moviesFile: HashedFile;
  private readonly compactFile: HashedFile;
  private readonly columns: Record<'ids' | 'offsets' | 'lengths' | 'titleRows' | 'titles' | 'originalTitles' | 'years', JsonColumn>;
  private readonly tmdbIds = new Numbers();
  private readonly tmdbRows = new Numbers();
  private readonly sqlite: SqliteWriter;
  private lastId: string | null = null;
  private rows = 0;
  private compactRows = 0;

  private constructor(
    private readonly outDir: string,
    private readonly staging: string,
    private readonly scratch: string,
    private readonly previous: Manifest | null,
    /** Every version known to have been issued into `outDir` (the new one goes above them all). */
    private readonly issued: readonly string[],
    private readonly date: Date | undefined,
    /** Every source with its terms, in registry order (the README and `datapackage.json` name those the records use). */
    private readonly terms: readonly SourceTermsRef[],
  ) {
    this.moviesFile = new HashedFile(path.join(staging, 'movies.json'));
    this.moviesFile.write('[\n');
    this.compactFile = new HashedFile(path.join(staging, 'movies.compact.json'));
    this.compactFile.write('[\n');
    const column = (name: string) => new JsonColumn(path.join(scratch, name));
    this.columns = {
      ids: column('ids'),
      offsets: column('offsets'),
      lengths: column('lengths'),
      titleRows: column('titleRows'),
      titles: column('titles'),
      originalTitles: column('originalTitles'),
      years: column('years'),
    };
    this.sqlite = new SqliteWriter(path.join(staging, 'movies.sqlite'), { schemaVersion: String(SCHEMA_VERSION), generator: 'stingerdb pipeline' });
  }

  /**
   * Starts a snapshot of `outDir` in a staging folder beside it, once `publishTarget` has accepted the folder
   * (`replaceBroken`: a snapshot whose manifest cannot be read may be replaced — `--force-publish`).
   * `issued`: versions known elsewhere to have been issued (the run state's).
   */
  static open(options: { outDir: string; terms: readonly SourceTermsRef[]; date?: Date; replaceBroken?: boolean; issued?: readonly (string | undefined)[] }): SnapshotWriter {
    const outDir = path.resolve(options.outDir);
    const target = publishTarget(outDir, { replaceBroken: options.replaceBroken });
    const issued = [...target.issued, ...(options.issued ?? []).filter((v): v is string => v !== undefined)];
    const staging = `${outDir}.staging-${process.pid}`;
    const scratch = `${staging}-scratch`;
    try {
      for (const dir of [staging, scratch]) {
        rmSync(dir, { recursive: true, force: true });
        onFile(dir, 'creating the folder', () => mkdirSync(dir, { recursive: true }));
      }
    } catch (error) {
      throw toldWithSnapshot(error, outDir);
    }
    return new SnapshotWriter(outDir, staging, scratch, target.previous, issued, options.date, options.terms);
  }

  /** The manifest of the snapshot this one would replace (null: none, or a broken one being replaced). */
  get previousManifest(): Manifest | null {
    return this.previous;
  }

  /** Films covering each field of the manifest's coverage table, so far. */
  get coverage(): Record<string, number> {
    return { ...this.counts.fields };
  }

  /** Adds the next record (ids strictly increasing). */
  add(movie: Movie): void {
    try {
      this.write(movie);
    } catch (error) {
      throw toldWithSnapshot(error, this.outDir);
    }
  }

  private write(movie: Movie): void {
    if (!MOVIE_ID.test(String(movie.id))) this.issues.push(`- ${String(movie.id)}: id does not match ${MOVIE_ID}`);
    if (this.lastId !== null && compareStrings(movie.id, this.lastId) <= 0) {
      this.issues.push(movie.id === this.lastId ? `- ${movie.id}: duplicate id` : `- ${movie.id}: out of order (after ${this.lastId})`);
      return;
    }
    this.lastId = movie.id;
    const row = this.rows++;
    const line = stableStringify(movie);
    if (row > 0) this.moviesFile.write(',\n');
    const offset = this.moviesFile.bytes;
    this.moviesFile.write(line);
    this.columns.ids.push(JSON.stringify(movie.id));
    this.columns.offsets.push(String(offset));
    this.columns.lengths.push(String(this.moviesFile.bytes - offset));
    if (movie.ids.tmdb !== undefined) {
      this.tmdbIds.push(movie.ids.tmdb);
      this.tmdbRows.push(row);
    }
    if (movie.title || movie.originalTitle) {
      const title = movie.title ? fold(movie.title) : null;
      const original = movie.originalTitle ? fold(movie.originalTitle) : null;
      this.columns.titleRows.push(String(row));
      this.columns.titles.push(JSON.stringify(title));
      this.columns.originalTitles.push(JSON.stringify(original === title ? null : original));
      this.columns.years.push(JSON.stringify(movie.year ?? null));
    }
    this.compactFile.write(`${this.compactRows++ === 0 ? '' : ',\n'}${JSON.stringify(toCompact(movie))}`);
    this.sqlite.add(movie);
    this.counts.add(movie);
    for (const s of movie.sources) this.usedSources.add(s.source);
    for (const e of movie.creditScenes.evidence) this.usedSources.add(e.source);
    for (const group of Object.values(movie.scores)) if (group) this.usedSources.add(group.source);
    this.candidates.consider(movie);
  }

  /** Throws the snapshot away: nothing is written, the previous snapshot stays. */
  abort(): void {
    this.moviesFile.discard();
    this.compactFile.discard();
    for (const column of Object.values(this.columns)) column.discard();
    this.sqlite.abort();
    this.removeWorkFolders();
  }

  private removeWorkFolders(): void {
    rmSync(this.staging, { recursive: true, force: true });
    rmSync(this.scratch, { recursive: true, force: true });
  }

  /**
   * Completes the snapshot and swaps it in — or, when its content is that of the previous snapshot, throws
   * it away and keeps the version. Refuses (`PublishRefusedError`) when ids were malformed, repeated or out of order.
   */
  finish(extras: ManifestExtras): PublishResult {
    if (this.issues.length) {
      this.abort();
      throw refusal(this.issues);
    }
    try {
      return this.complete(extras);
    } catch (error) {
      this.removeWorkFolders();
      throw toldWithSnapshot(error, this.outDir);
    }
  }

  /**
   * The drift check's rebuild: completes the snapshot as it would be published as `version` — with the
   * release notes (`history`: the digests of `changes.json` and `CHANGES.md`, which depend on earlier
   * snapshots, not on the records) taken as given — and returns the digest of every file, `manifest.json`
   * included. Then throws it away: nothing is published.
   */
  expected(version: string, history: Readonly<Record<string, Digest>>, extras: ManifestExtras): Map<string, Digest> {
    if (this.issues.length) {
      this.abort();
      throw refusal(this.issues);
    }
    try {
      const { digests, sources, contentHash } = this.completeContent();
      this.stampVersion(digests, version);
      for (const [name, digest] of Object.entries(history)) digests.set(name, digest);
      this.putVersioned(digests, { version, contentHash, sources, extras });
      return digests;
    } finally {
      this.removeWorkFolders();
    }
  }

  private complete(extras: ManifestExtras): PublishResult {
    const { staging, outDir, previous } = this;
    const { digests, sources, contentHash } = this.completeContent();
    if (previous?.contentHash === contentHash) {
      this.removeWorkFolders();
      return { changed: false, version: previous.version, previousVersion: previous.version, files: [], outDir };
    }
    const version = nextVersion(this.issued, this.date ?? releaseDate());
    this.stampVersion(digests, version);
    const changes = writeChangesJson({
      file: path.join(staging, 'changes.json'),
      scratchDir: this.scratch,
      version,
      previousVersion: previous?.version ?? null,
      previous: previous ? snapshotRecords(outDir) : null,
      next: snapshotRecords(staging)!,
      coverageBefore: previous?.coverage?.fields ?? {},
      coverageAfter: this.counts.fields,
    });
    digests.set('changes.json', digestFile(path.join(staging, 'changes.json')));
    const notesFile = path.join(outDir, 'CHANGES.md');
    this.put(digests, 'CHANGES.md', prependChanges(existsSync(notesFile) ? readFileSync(notesFile, 'utf8') : null, changesMarkdown(changes)));
    this.putVersioned(digests, { version, contentHash, sources, extras });
    rmSync(this.scratch, { recursive: true, force: true });
    swapIn(staging, outDir);
    return { changed: true, version, previousVersion: previous?.version ?? null, files: readdirSync(outDir).sort(), outDir };
  }

  /** Writes a file of the snapshot in one piece, flushed to the disk, and notes its digest. */
  private put(digests: Map<string, Digest>, name: string, content: string | Buffer): void {
    const buffer = typeof content === 'string' ? Buffer.from(content) : content;
    writeFileDurable(path.join(this.staging, name), buffer);
    digests.set(name, { bytes: buffer.length, sha256: createHash('sha256').update(buffer).digest('hex') });
  }

  /** Stamps `version` into the SQLite meta table (after the content hash: the stamp is not content). */
  private stampVersion(digests: Map<string, Digest>, version: string): void {
    const sqliteFile = path.join(this.staging, 'movies.sqlite');
    stampSqliteVersion(sqliteFile, version);
    // SQLite writes it without syncing (the staging folder is thrown away after a crash): flushed before the swap.
    syncFile(sqliteFile);
    digests.set('movies.sqlite', digestFile(sqliteFile));
  }

  /** `package.json`, `datapackage.json` and, last, `manifest.json`, once every other file's digest is known. */
  private putVersioned(digests: Map<string, Digest>, input: { version: string; contentHash: string; sources: readonly SourceTermsRef[]; extras: ManifestExtras }): void {
    for (const [name, content] of Object.entries(versionedFiles(this.staging, input.version, sortedDigests(digests), input.sources))) this.put(digests, name, content);
    const manifest = buildManifest({ version: input.version, counts: this.counts, contentHash: input.contentHash, files: sortedDigests(digests), extras: input.extras });
    this.put(digests, 'manifest.json', `${stableStringify(manifest, 2)}\n`);
  }

  /** Completes every file whose content does not carry the version, and hashes that content. */
  private completeContent(): { digests: Map<string, Digest>; sources: SourceTermsRef[]; contentHash: string } {
    const { staging } = this;
    const digests = new Map<string, Digest>();
    const put = (name: string, content: string | Buffer) => this.put(digests, name, content);
    // The SQLite thread completes its file (indexes, full-text index, VACUUM) while the JSON files are closed here.
    this.sqlite.startFinish();
    this.moviesFile.write(this.rows > 0 ? '\n]\n' : ']\n');
    digests.set('movies.json', this.moviesFile.close());
    this.compactFile.write(this.compactRows > 0 ? '\n]\n' : ']\n');
    digests.set('movies.compact.json', this.compactFile.close());
    const column = Object.fromEntries(Object.entries(this.columns).map(([name, c]) => [name, c.close()])) as Record<keyof SnapshotWriter['columns'], string>;
    digests.set('movies.index.json', this.writeIndex(column));
    digests.set('movies.titles.json', assemble(path.join(staging, 'movies.titles.json'), [
      ['rows', column.titleRows],
      ['titles', column.titles],
      ['originalTitles', column.originalTitles],
      ['years', column.years],
    ]));
    this.sqlite.finish();
    const sqliteFile = path.join(staging, 'movies.sqlite');
    digests.set('movies.sqlite', digestFile(sqliteFile));
    put('schema.json', `${JSON.stringify(movieJsonSchema(), null, 2)}\n`);
    const template = (name: string) => readFileSync(path.join(PACKAGE_TEMPLATES, name));
    const declarations = `// Generated from the stingerdb schema — do not edit.\n\n${recordDeclarations()}\n${template('api.d.ts').toString('utf8')}`;
    put('index.d.ts', `${declarations}\n${template('default.d.ts').toString('utf8')}`);
    put('index.d.cts', declarations);
    for (const name of ['index.cjs', 'index.js', 'movies.json.d.ts', 'movies.compact.json.d.ts']) put(name, template(name));
    const sources = contributingSources(this.usedSources, this.terms);
    // The README last, since it runs its examples on the rest.
    put(
      'README.md',
      datasetReadme({
        dictionary: dataDictionary(),
        sources,
        examples: readmeExamples(staging, this.candidates),
        sizes: { full: digests.get('movies.json')!.bytes, compact: digests.get('movies.compact.json')!.bytes, sqlite: statSync(sqliteFile).size },
        count: this.rows,
      }),
    );

    const contentHash = hashContent(digests, (files) => versionedFiles(staging, PLACEHOLDER_VERSION, files, sources));
    return { digests, sources, contentHash };
  }

  /** `movies.index.json` from its columns, the TMDB ids sorted (by id, then row). */
  private writeIndex(column: Record<'ids' | 'offsets' | 'lengths', string>): Digest {
    const order = Int32Array.from({ length: this.tmdbIds.length }, (_, i) => i);
    const ids = this.tmdbIds.values;
    const rows = this.tmdbRows.values;
    order.sort((a, b) => ids[a]! - ids[b]! || rows[a]! - rows[b]!);
    const tmdbIds = path.join(this.scratch, 'tmdbIds');
    const tmdbRows = path.join(this.scratch, 'tmdbRows');
    const idColumn = new JsonColumn(tmdbIds);
    const rowColumn = new JsonColumn(tmdbRows);
    for (const i of order) {
      idColumn.push(String(ids[i]));
      rowColumn.push(String(rows[i]));
    }
    idColumn.close();
    rowColumn.close();
    return assemble(path.join(this.staging, 'movies.index.json'), [
      ['ids', column.ids],
      ['offsets', column.offsets],
      ['lengths', column.lengths],
      ['tmdbIds', tmdbIds],
      ['tmdbRows', tmdbRows],
    ]);
  }
}

/** `{"name":[…],…}` + newline — JSON.stringify of an object of arrays — from one scratch file per array. */
function assemble(file: string, arrays: readonly [name: string, column: string][]): Digest {
  const out = new HashedFile(file);
  arrays.forEach(([name, column], i) => {
    out.write(`${i === 0 ? '{' : ','}${JSON.stringify(name)}:[`);
    out.append(column);
    out.write(']');
  });
  out.write('}\n');
  return out.close();
}

/** The size and sha256 of a file, read a few megabytes at a time. */
export function digestFile(file: string): Digest {
  const hash = createHash('sha256');
  const fd = openSync(file, 'r');
  const chunk = Buffer.allocUnsafe(1 << 22);
  let bytes = 0;
  try {
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) {
      hash.update(chunk.subarray(0, read));
      bytes += read;
    }
  } finally {
    closeSync(fd);
  }
  return { bytes, sha256: hash.digest('hex') };
}

function sortedDigests(digests: ReadonlyMap<string, Digest>): Record<string, Digest> {
  return Object.fromEntries([...digests].filter(([name]) => name !== 'manifest.json').sort(([a], [b]) => compareStrings(a, b)));
}

/** `package.json` and `datapackage.json` for `version`, given the digests of the content files. */
function versionedFiles(dir: string, version: string, digests: Record<string, Digest>, sources: readonly SourceTermsRef[]): Record<string, string> {
  const descriptor = buildDataPackage({ version, sqliteFile: path.join(dir, 'movies.sqlite'), files: digests, sources });
  return { 'package.json': packageJson(version), 'datapackage.json': `${JSON.stringify(descriptor, null, 2)}\n` };
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

/**
 * Replaces `outDir` by `staging` (its files flushed to the disk): the old folder is moved aside first, put
 * back if the new one cannot take its place, and removed once the parent folder's new entries are on the disk.
 */
function swapIn(staging: string, outDir: string): void {
  const previous = `${outDir}.previous`;
  syncFolder(staging);
  rmSync(previous, { recursive: true, force: true });
  const hadPrevious = existsSync(outDir);
  if (hadPrevious) onFile(outDir, 'moving the previous snapshot aside', () => renameSync(outDir, previous));
  try {
    onFile(outDir, 'moving the new snapshot into place', () => renameSync(staging, outDir));
  } catch (error) {
    if (hadPrevious) renameSync(previous, outDir);
    throw error;
  }
  syncFolder(path.dirname(outDir));
  rmSync(previous, { recursive: true, force: true });
}

/** A file-system failure of a snapshot, told with what it leaves: nothing published, the previous snapshot as it was. */
function toldWithSnapshot(error: unknown, outDir: string): unknown {
  if (!(error instanceof FileSystemError)) return error;
  return error.retold(existsSync(outDir) ? `nothing was published: the previous snapshot in ${shownPath(outDir)} stays as it was` : 'nothing was published');
}

/**
 * The one check every publisher goes through (a run before it collects anything, then `SnapshotWriter.open`):
 * `outDir` must be a snapshot folder by the rule of `inspectSnapshot` — else `WrongFolderError`, and nothing,
 * not even beside it, is touched — whose manifest can be read — else `SnapshotUnreadableError`, unless
 * `replaceBroken`. Finishes a swap a crash interrupted. Gives the previous snapshot's manifest (null for a
 * new folder or a broken snapshot being replaced) and every version known to have been issued there.
 */
export function publishTarget(outDir: string, options: { replaceBroken?: boolean } = {}): { previous: Manifest | null; issued: string[] } {
  let folder = inspectSnapshot(outDir);
  if (recoverSnapshot(outDir)) folder = inspectSnapshot(outDir);
  if (folder.kind === 'broken' && !options.replaceBroken) throw new SnapshotUnreadableError(folder.file, folder.reason);
  const previous = folder.kind === 'snapshot' ? folder.manifest : null;
  return { previous, issued: [...(previous ? [previous.version] : []), ...historyVersions(outDir)] };
}

/**
 * Finishes a swap that a crash interrupted: the target missing but its previous copy present → restore it
 * (and say so: true). Staging folders left by a crash are removed.
 */
export function recoverSnapshot(outDir: string): boolean {
  const previous = `${outDir}.previous`;
  let restored = false;
  if (!existsSync(outDir) && existsSync(previous)) {
    onFile(outDir, 'restoring the previous snapshot', () => renameSync(previous, outDir));
    restored = true;
  } else if (existsSync(previous)) rmSync(previous, { recursive: true, force: true });
  const parent = path.dirname(outDir);
  if (!existsSync(parent)) return restored;
  const base = `${path.basename(outDir)}.staging-`;
  for (const name of readdirSync(parent)) {
    if (name.startsWith(base)) rmSync(path.join(parent, name), { recursive: true, force: true });
  }
  return restored;
}
