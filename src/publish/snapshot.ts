/**
 * Publish: serialize records into the dataset package (`dataset/`). It only writes — the records are built
 * and validated upstream (once: by the build, or by `checkRecords` for records handed over all at once).
 *
 * Streaming: `SnapshotWriter` takes the records one at a time, in id order, and no file is ever held whole in
 * memory (files are hashed as they are written or read back in chunks, `./hashed-file.ts`), so a million films
 * publish in a bounded footprint. Deterministic: the same records give byte-identical files.
 *
 * The steps around the writing live beside it: the target folder is checked before anything is written, and
 * the finished snapshot replaces it whole by rename, the old one or the new one and never a mix
 * (`./target.ts`); its version, release notes and manifest come once its content is hashed (`./release.ts`).
 * A full disk or a read-only folder stops the snapshot with a `FileSystemError` that says the previous snapshot
 * stays.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PublishRefusedError, formatIssues } from '../errors.ts';
import { onFile, writeFileDurable } from '../lib/files.ts';
import { fold } from '../lib/fold.ts';
import { stableStringify } from '../lib/json.ts';
import { compareStrings } from '../lib/text.ts';
import { MOVIE_ID } from '../schema/ids.ts';
import { Movie, SCHEMA_VERSION } from '../schema/movie.ts';
import { publishedScores } from '../schema/scores.ts';
import type { SourceTermsRef } from '../schema/sources.ts';
import { ANSWER_COLUMNS, WHY_COLUMNS, answerRow, toAnswer, toCompact } from './compact.ts';
import { packageLicence } from './licence.ts';
import { FieldSources, contributingSources } from './datapackage.ts';
import { HashedFile, JsonColumn, LinesColumn, Numbers, assemble, digestFile, type Digest } from './hashed-file.ts';
import { ANSWERS_FILE, COMPACT_FILE, COMPANIONS, ManifestCounts, RECORDS_FILE, RECORDS_PACKAGE, SQLITE_FILE, SQLITE_PACKAGE, type Manifest, type ManifestExtras } from './manifest.ts';
import { ExampleCandidates, datasetReadme, readmeExamples, recordsPackageReadme, sqlitePackageReadme } from './readme.ts';
import { contentHashOf, release, releasedAs, type StagedSnapshot } from './release.ts';
import { dataDictionary, movieJsonSchema, recordDeclarations } from './schema-outputs.ts';
import { SqliteWriter } from './sqlite.ts';
import { publishTarget, swapIn, toldWithSnapshot } from './target.ts';

const PACKAGE_TEMPLATES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'package');

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
  private readonly fieldSources = new FieldSources();
  private readonly moviesFile: HashedFile;
  private readonly compactFile: HashedFile;
  private readonly answersFile: HashedFile;
  private readonly columns: Record<'ids' | 'offsets' | 'lengths' | 'answerOffsets' | 'answerLengths' | 'titleRows' | 'titles' | 'originalTitles' | 'years', JsonColumn>;
  /** Each why sentence of the answers, with its position in the index's `whys`. */
  private readonly whys = new Map<string, number>();
  /** The ids in row order, as the answers' index writes them: lines of one string. */
  private readonly idLines: LinesColumn;
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
    this.moviesFile = new HashedFile(path.join(staging, RECORDS_FILE));
    this.moviesFile.write('[\n');
    this.compactFile = new HashedFile(path.join(staging, COMPACT_FILE));
    this.compactFile.write('[\n');
    this.answersFile = new HashedFile(path.join(staging, ANSWERS_FILE));
    this.answersFile.write('[\n');
    const column = (name: string) => new JsonColumn(path.join(scratch, name));
    this.idLines = new LinesColumn(path.join(scratch, 'idLines'));
    this.columns = {
      ids: column('ids'),
      offsets: column('offsets'),
      lengths: column('lengths'),
      answerOffsets: column('answerOffsets'),
      answerLengths: column('answerLengths'),
      titleRows: column('titleRows'),
      titles: column('titles'),
      originalTitles: column('originalTitles'),
      years: column('years'),
    };
    this.sqlite = new SqliteWriter(path.join(staging, SQLITE_FILE), { schemaVersion: String(SCHEMA_VERSION), generator: 'stingerdb pipeline' });
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
      for (const companion of COMPANIONS.map((c) => path.join(staging, c.dir))) {
        onFile(companion, 'creating the folder', () => mkdirSync(companion));
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
    this.idLines.push(movie.id);
    this.columns.offsets.push(String(offset));
    this.columns.lengths.push(String(this.moviesFile.bytes - offset));
    if (row > 0) this.answersFile.write(',\n');
    const answerOffset = this.answersFile.bytes;
    // Each record's compact form and answer made once: the compact file, the answers and their field sources share them.
    const compact = toCompact(movie);
    const answer = toAnswer(movie, compact);
    this.answersFile.write(JSON.stringify(answerRow(answer, this.whys)));
    this.columns.answerOffsets.push(String(answerOffset));
    this.columns.answerLengths.push(String(this.answersFile.bytes - answerOffset));
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
    this.compactFile.write(`${this.compactRows++ === 0 ? '' : ',\n'}${JSON.stringify(compact)}`);
    this.sqlite.add(movie);
    this.counts.add(movie);
    for (const s of movie.sources) this.usedSources.add(s.source);
    for (const e of movie.creditScenes.evidence) this.usedSources.add(e.source);
    for (const group of Object.values(movie.scores)) if (group) this.usedSources.add(group.source);
    this.candidates.consider(movie);
    this.fieldSources.add(movie, answer);
  }

  /** Throws the snapshot away: nothing is written, the previous snapshot stays. */
  abort(): void {
    this.moviesFile.discard();
    this.compactFile.discard();
    this.answersFile.discard();
    for (const column of Object.values(this.columns)) column.discard();
    this.idLines.discard();
    this.sqlite.abort();
    this.removeWorkFolders();
  }

  private removeWorkFolders(): void {
    // Retried: a removal racing anything that still closes a file in the folder fails with ENOTEMPTY once.
    rmSync(this.staging, { recursive: true, force: true, maxRetries: 3 });
    rmSync(this.scratch, { recursive: true, force: true, maxRetries: 3 });
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
      return releasedAs(this.staged(extras), version, history);
    } finally {
      this.removeWorkFolders();
    }
  }

  private complete(extras: ManifestExtras): PublishResult {
    const { staging, outDir, previous } = this;
    const staged = this.staged(extras);
    if (previous !== null && previous.contentHash === staged.contentHash) {
      this.removeWorkFolders();
      return { changed: false, version: previous.version, previousVersion: previous.version, files: [], outDir };
    }
    const version = release(staged);
    swapIn(staging, outDir);
    return { changed: true, version, previousVersion: previous?.version ?? null, files: readdirSync(outDir).sort(), outDir };
  }

  /** The snapshot with its content complete, as its release needs it. */
  private staged(extras: ManifestExtras): StagedSnapshot {
    const { digests, sources } = this.completeContent();
    return {
      staging: this.staging,
      scratch: this.scratch,
      outDir: this.outDir,
      previous: this.previous,
      issued: this.issued,
      ...(this.date && { date: this.date }),
      counts: this.counts,
      digests,
      sources,
      fieldSources: this.fieldSources,
      contentHash: contentHashOf(this.staging, digests, sources, this.fieldSources),
      extras,
      put: (name, content) => this.put(digests, name, content),
    };
  }

  /** Writes a file of the snapshot in one piece, flushed to the disk, and notes its digest. */
  private put(digests: Map<string, Digest>, name: string, content: string | Buffer): void {
    const buffer = typeof content === 'string' ? Buffer.from(content) : content;
    writeFileDurable(path.join(this.staging, name), buffer);
    digests.set(name, { bytes: buffer.length, sha256: createHash('sha256').update(buffer).digest('hex') });
  }

  /** Completes every file whose content does not carry the version. */
  private completeContent(): { digests: Map<string, Digest>; sources: SourceTermsRef[] } {
    const { staging } = this;
    const digests = new Map<string, Digest>();
    const put = (name: string, content: string | Buffer) => this.put(digests, name, content);
    // The SQLite thread completes its file (indexes, full-text index, VACUUM) while the JSON files are closed here.
    this.sqlite.startFinish();
    const end = this.rows > 0 ? '\n]\n' : ']\n';
    this.moviesFile.write(end);
    digests.set(RECORDS_FILE, this.moviesFile.close());
    this.compactFile.write(this.compactRows > 0 ? '\n]\n' : ']\n');
    digests.set(COMPACT_FILE, this.compactFile.close());
    this.answersFile.write(end);
    digests.set(ANSWERS_FILE, this.answersFile.close());
    const column = Object.fromEntries(Object.entries(this.columns).map(([name, c]) => [name, c.close()])) as Record<keyof SnapshotWriter['columns'], string>;
    for (const [name, digest] of Object.entries(this.writeIndexes(column))) digests.set(name, digest);
    const titles: [string, string][] = [
      ['rows', column.titleRows],
      ['titles', column.titles],
      ['originalTitles', column.originalTitles],
      ['years', column.years],
    ];
    for (const name of ['movies.titles.json', `${RECORDS_PACKAGE.dir}/movies.titles.json`]) digests.set(name, assemble(path.join(staging, name), titles));
    this.sqlite.finish();
    const sqliteFile = path.join(staging, SQLITE_FILE);
    digests.set(SQLITE_FILE, digestFile(sqliteFile));
    const records = (name: string) => `${RECORDS_PACKAGE.dir}/${name}`;
    put(records('schema.json'), `${JSON.stringify(movieJsonSchema(), null, 2)}\n`);
    const scores = `${JSON.stringify(publishedScores(), null, 2)}\n`;
    put('scores.json', scores);
    put(records('scores.json'), scores);
    const template = (name: string) => readFileSync(path.join(PACKAGE_TEMPLATES, name), 'utf8');
    const typings = (api: string) => `// Generated from the stingerdb schema — do not edit.\n\n${recordDeclarations()}\n${template('shared.d.ts')}\n${template(api)}`;
    // The dataset package: the answers' readers, their pure parts copied from the full records reader.
    const fullReader = template('index.cjs');
    const answersReader = withParts(template('answers/index.cjs'), fullReader, ['node', 'core', 'lookups']);
    put('index.cjs', answersReader);
    put('index.js', template('answers/index.js'));
    put('index.d.cts', typings('answers/api.d.ts'));
    put('index.d.ts', `${typings('answers/api.d.ts')}\n${template('answers/default.d.ts')}`);
    const fullBrowser = template('browser.js');
    put('browser.js', withParts(withParts(withParts(template('answers/browser.js'), fullReader, ['core']), answersReader, ['answers']), fullBrowser, ['fetch', 'lookups']));
    put('browser.d.ts', template('answers/browser.d.ts'));
    // The companion stingerdb-records: the full records and their reader.
    put(records('index.cjs'), fullReader);
    put(records('index.d.cts'), typings('api.d.ts'));
    put(records('index.d.ts'), `${typings('api.d.ts')}\n${template('default.d.ts')}`);
    for (const name of ['index.js', 'movies.json.d.cts', 'movies.compact.json.d.cts', 'browser.d.ts']) put(records(name), template(name));
    put(records('browser.js'), withParts(fullBrowser, fullReader, ['core']));
    const sources = contributingSources(this.usedSources, this.terms);
    const licence = packageLicence(sources);
    for (const dir of ['', ...COMPANIONS.map((c) => `${c.dir}/`)]) put(`${dir}LICENSE`, licence);
    const sizes = { full: digests.get(RECORDS_FILE)!.bytes, compact: digests.get(COMPACT_FILE)!.bytes, answers: digests.get(ANSWERS_FILE)!.bytes, sqlite: statSync(sqliteFile).size };
    put(`${SQLITE_PACKAGE.dir}/README.md`, sqlitePackageReadme({ count: this.rows, bytes: sizes.sqlite }));
    put(records('README.md'), recordsPackageReadme({ count: this.rows, sizes }));
    // The README last, since it runs its examples on the rest.
    put(
      'README.md',
      datasetReadme({
        dictionary: dataDictionary(),
        sources,
        examples: readmeExamples(staging, this.candidates),
        sizes,
        count: this.rows,
      }),
    );

    return { digests, sources };
  }

  /**
   * Both `movies.index.json`: the dataset package's (byte ranges in `movies.answers.json`, its `columns`, the
   * columns stored as a position in `whys` (`whyColumns`), and `whys` and `ids` as lines of one string each; its TMDB ids in `movies.tmdb.json`) and the records
   * companion's (byte ranges in `movies.json`, ids as an array, the TMDB ids); the TMDB ids sorted (by id, then row).
   */
  private writeIndexes(column: Record<'ids' | 'offsets' | 'lengths' | 'answerOffsets' | 'answerLengths', string>): Record<string, Digest> {
    const order = Int32Array.from({ length: this.tmdbIds.length }, (_, i) => i);
    const ids = this.tmdbIds.values;
    const rows = this.tmdbRows.values;
    order.sort((a, b) => ids[a]! - ids[b]! || rows[a]! - rows[b]!);
    const scratch = (out: JsonColumn | LinesColumn, values: Iterable<string>) => {
      for (const value of values) out.push(value);
      return out.close();
    };
    const file = (name: string) => path.join(this.scratch, name);
    const tmdbIds = scratch(new JsonColumn(file('tmdbIds')), Array.from(order, (i) => String(ids[i])));
    const tmdbRows = scratch(new JsonColumn(file('tmdbRows')), Array.from(order, (i) => String(rows[i])));
    const columns = scratch(new JsonColumn(file('columns')), ANSWER_COLUMNS.map((c) => JSON.stringify(c)));
    const whyColumns = scratch(new JsonColumn(file('whyColumns')), [...WHY_COLUMNS].map((c) => JSON.stringify(c)));
    const whys = scratch(new LinesColumn(file('whys')), this.whys.keys());
    const idLines = this.idLines.close();
    const recordsIndex = `${RECORDS_PACKAGE.dir}/movies.index.json`;
    return {
      // The answers' index keeps its ids and whys as lines of one string each: the first lookup parses it faster.
      'movies.index.json': assemble(path.join(this.staging, 'movies.index.json'), [
        ['columns', columns],
        ['whyColumns', whyColumns],
        ['whys', whys, 'lines'],
        ['ids', idLines, 'lines'],
        ['offsets', column.answerOffsets],
        ['lengths', column.answerLengths],
      ]),
      // Apart, read by the first findByTmdbId only: the first getMovie parses a third less.
      'movies.tmdb.json': assemble(path.join(this.staging, 'movies.tmdb.json'), [
        ['tmdbIds', tmdbIds],
        ['tmdbRows', tmdbRows],
      ]),
      [recordsIndex]: assemble(path.join(this.staging, recordsIndex), [
        ['ids', column.ids],
        ['offsets', column.offsets],
        ['lengths', column.lengths],
        ['tmdbIds', tmdbIds],
        ['tmdbRows', tmdbRows],
      ]),
    };
  }
}


/**
 * A reader template with the parts of another reader copied in: each part `name` is the source's text between
 * `// stingerdb:<name>` and `// stingerdb:end-<name>`, put in place of the template's block comment that says
 * `stingerdb:<name>` — so the pure lookups and the snapshot reading are written once and shipped in every reader.
 */
export function withParts(template: string, source: string, parts: readonly string[]): string {
  let out = template;
  for (const part of parts) {
    const start = source.indexOf(`// stingerdb:${part}`);
    const end = source.indexOf(`// stingerdb:end-${part}`);
    const slot = `/* stingerdb:${part} */`;
    if (start < 0 || end < start || !out.includes(slot)) throw new Error(`package templates: the ${part} markers are missing`);
    out = out.replace(slot, () => source.slice(start, end).trimEnd());
  }
  return out;
}
