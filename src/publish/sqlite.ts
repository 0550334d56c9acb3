/**
 * `movies.sqlite`: the same records as `movies.json`, in normalized tables any SQLite client can query.
 *
 * Deterministic: rows are inserted in id order in one transaction (streamed, as the records come), the
 * full-text index is rebuilt at the end and the file is vacuumed, so the same records give the same bytes
 * (for a given SQLite version).
 * The version is not known while the content is written (it depends on whether the content changed), so
 * `meta.version` is stamped in by `stampSqliteVersion` once the content hash is taken.
 * The table layout is documented in `TABLES` (the dataset README and datapackage.json come from it).
 */
import { createRequire } from 'node:module';
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { FileSystemError } from '../errors.ts';
import type { Movie } from '../schema/movie.ts';
import { SCORE_CATALOGUE, SCORE_GROUP_NAMES, scoresOf, type ScoreGroup } from '../schema/scores.ts';

/** A column as documented: its Table Schema type (what a reader gets) and what it holds. */
export interface ColumnDoc {
  /** Table Schema type: `string`, `date` (ISO calendar date as TEXT), `integer`, `number`. */
  type: 'string' | 'date' | 'integer' | 'number';
  description: string;
}

/** A documented table. `virtual` tables (the FTS index) are not data tables of their own. */
export interface TableDoc {
  description: string;
  columns: Readonly<Record<string, ColumnDoc>>;
  virtual?: boolean;
}

const text = (description: string): ColumnDoc => ({ type: 'string', description });
const integer = (description: string): ColumnDoc => ({ type: 'integer', description });
const movieRef = text('the film (`movies.id`)');
const order = integer('0-based order within the film');

/**
 * Every table and column of `movies.sqlite`, documented. The dataset README and the `datapackage.json`
 * table schemas are generated from it; a test checks it against the file's real columns and types.
 */
export const TABLES: Readonly<Record<string, TableDoc>> = {
  meta: {
    description: 'Snapshot metadata: one row per key — `version` (the package version), `schemaVersion` (major version of the record schema), `generator`.',
    columns: { key: text('"version", "schemaVersion" or "generator"'), value: text('its value') },
  },
  movies: {
    description: 'One row per film; `record` holds the full JSON record (as in `movies.json`).',
    columns: {
      id: text('stingerdb id: the IMDb id, or "tmdb:<n>" while no IMDb id is known'),
      imdb_id: text('IMDb id, e.g. "tt0133093"'),
      tmdb_id: integer('TMDB movie id'),
      wikidata_id: text('Wikidata item, e.g. "Q83495"'),
      rotten_tomatoes_id: text('Rotten Tomatoes path, "m/<slug>"'),
      metacritic_id: text('Metacritic path, "movie/<slug>"'),
      title: text('English title; NULL for films known only by id'),
      original_title: text('title in the original language'),
      year: integer('year of first release'),
      release_date: { type: 'date', description: 'date of first release (ISO 8601)' },
      runtime_minutes: integer('running time of the theatrical cut, minutes'),
      content_rating: text('US certification, e.g. "PG-13"'),
      synopsis: text('short plot summary, plain text'),
      during_credits: integer('1: a scene plays during the end credits; 0: positive evidence that none does; NULL: unknown'),
      after_credits: integer('1: a scene plays after the credits; 0: positive evidence that none does; NULL: unknown'),
      credit_confidence: { type: 'number', description: 'confidence in the two verdicts, 0 to 1' },
      during_answer: text('the answer for the "during" slot: "yes", "no" or "unknown" (README "The answer")'),
      during_probability: { type: 'number', description: 'P(a scene plays during the credits), calibrated; NULL when nothing is known' },
      during_basis: text('what the answer rests on: "reported", "inferred" or "none" (its "why" is in the record, creditScenes.slots)'),
      after_answer: text('the answer for the "after" slot: "yes", "no" or "unknown"'),
      after_probability: { type: 'number', description: 'P(a scene plays after the credits), calibrated; NULL when nothing is known' },
      after_basis: text('what the answer rests on: "reported", "inferred" or "none"'),
      record: text('the full record, JSON'),
    },
  },
  genres: { description: 'Genres of a film, in the source\'s order.', columns: { movie_id: movieRef, position: order, name: text('genre') } },
  directors: { description: 'Directors of a film.', columns: { movie_id: movieRef, position: order, name: text('director') } },
  cast_members: {
    description: 'Top-billed cast, in billing order.',
    columns: { movie_id: movieRef, position: integer('billing order, 0-based'), name: text('performer'), character: text('character, or NULL') },
  },
  companies: { description: 'Production companies.', columns: { movie_id: movieRef, position: order, name: text('company') } },
  countries: { description: 'Production countries.', columns: { movie_id: movieRef, position: order, code: text('ISO 3166-1 alpha-2 code') } },
  languages: { description: 'Spoken languages.', columns: { movie_id: movieRef, position: order, code: text('ISO 639-1 code (639-2 where no 639-1 exists)') } },
  credit_scenes: {
    description: 'What plays during or after the credits, non-scenes included with their kind (only `scene` and `bloopers` make a slot true).',
    columns: {
      movie_id: movieRef,
      position: order,
      slot: text('"during" or "after"'),
      kind: text('scene, bloopers, audio, stills, dedication, text or trailer'),
      description: text('what happens (a spoiler), or NULL'),
    },
  },
  credit_evidence: {
    description: 'What each source claimed about the credit slots.',
    columns: {
      movie_id: movieRef,
      position: order,
      source: text('source id'),
      during_credits: integer('1 / 0, or NULL when the source makes no claim'),
      after_credits: integer('1 / 0, or NULL when the source makes no claim'),
      detail: text('the source\'s own words or tags, or NULL'),
      observed_at: text('when it was observed, ISO 8601 (may be YYYY or YYYY-MM)'),
    },
  },
  scores: {
    description: 'One row per score a source has for a film; a missing score is a row whose value is NULL, never 0.',
    columns: {
      movie_id: movieRef,
      site: text(listed(SCORE_GROUP_NAMES)),
      metric: text(listed(SCORE_CATALOGUE.map((s) => `${s.field} (${s.scale === 'percent' ? '0-100' : '0-10'})`))),
      value: { type: 'number', description: 'the score on its own scale, or NULL when missing' },
      count: integer('reviews, ratings or votes behind it, or NULL when not given'),
      source: text('source it was read from'),
      observed_at: text('when it was observed, ISO 8601 (may be YYYY or YYYY-MM)'),
    },
  },
  sources: {
    description: 'The responses each record was built from.',
    columns: { movie_id: movieRef, position: order, source: text('source id'), url: text('URL, API keys removed'), observed_at: text('when it was observed, ISO 8601') },
  },
  movie_titles: {
    description: 'FTS5 full-text index over `movies.title` and `movies.original_title` (unicode61 tokenizer, diacritics removed): `SELECT m.* FROM movie_titles JOIN movies m ON m.rowid = movie_titles.rowid WHERE movie_titles MATCH \'amelie\'`.',
    columns: { title: text('title'), original_title: text('original title') },
    virtual: true,
  },
};

/** Tables (and the full-text index) first; the indexes are created once the rows are in (see `INDEXES`). */
const DDL = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE movies (
  id TEXT NOT NULL UNIQUE,
  imdb_id TEXT, tmdb_id INTEGER, wikidata_id TEXT, rotten_tomatoes_id TEXT, metacritic_id TEXT,
  title TEXT, original_title TEXT, year INTEGER, release_date TEXT, runtime_minutes INTEGER,
  content_rating TEXT, synopsis TEXT,
  during_credits INTEGER, after_credits INTEGER, credit_confidence REAL NOT NULL,
  during_answer TEXT NOT NULL, during_probability REAL, during_basis TEXT NOT NULL,
  after_answer TEXT NOT NULL, after_probability REAL, after_basis TEXT NOT NULL,
  record TEXT NOT NULL
);
CREATE TABLE genres (movie_id TEXT NOT NULL REFERENCES movies (id), position INTEGER NOT NULL, name TEXT NOT NULL, PRIMARY KEY (movie_id, position)) WITHOUT ROWID;
CREATE TABLE directors (movie_id TEXT NOT NULL REFERENCES movies (id), position INTEGER NOT NULL, name TEXT NOT NULL, PRIMARY KEY (movie_id, position)) WITHOUT ROWID;
CREATE TABLE cast_members (movie_id TEXT NOT NULL REFERENCES movies (id), position INTEGER NOT NULL, name TEXT NOT NULL, character TEXT, PRIMARY KEY (movie_id, position)) WITHOUT ROWID;
CREATE TABLE companies (movie_id TEXT NOT NULL REFERENCES movies (id), position INTEGER NOT NULL, name TEXT NOT NULL, PRIMARY KEY (movie_id, position)) WITHOUT ROWID;
CREATE TABLE countries (movie_id TEXT NOT NULL REFERENCES movies (id), position INTEGER NOT NULL, code TEXT NOT NULL, PRIMARY KEY (movie_id, position)) WITHOUT ROWID;
CREATE TABLE languages (movie_id TEXT NOT NULL REFERENCES movies (id), position INTEGER NOT NULL, code TEXT NOT NULL, PRIMARY KEY (movie_id, position)) WITHOUT ROWID;
CREATE TABLE credit_scenes (movie_id TEXT NOT NULL REFERENCES movies (id), position INTEGER NOT NULL, slot TEXT NOT NULL, kind TEXT NOT NULL, description TEXT, PRIMARY KEY (movie_id, position)) WITHOUT ROWID;
CREATE TABLE credit_evidence (movie_id TEXT NOT NULL REFERENCES movies (id), position INTEGER NOT NULL, source TEXT NOT NULL, during_credits INTEGER, after_credits INTEGER, detail TEXT, observed_at TEXT NOT NULL, PRIMARY KEY (movie_id, position)) WITHOUT ROWID;
CREATE TABLE scores (movie_id TEXT NOT NULL REFERENCES movies (id), site TEXT NOT NULL, metric TEXT NOT NULL, value REAL, count INTEGER, source TEXT NOT NULL, observed_at TEXT NOT NULL, PRIMARY KEY (movie_id, site, metric)) WITHOUT ROWID;
CREATE TABLE sources (movie_id TEXT NOT NULL REFERENCES movies (id), position INTEGER NOT NULL, source TEXT NOT NULL, url TEXT NOT NULL, observed_at TEXT NOT NULL, PRIMARY KEY (movie_id, position)) WITHOUT ROWID;
CREATE VIRTUAL TABLE movie_titles USING fts5(title, original_title, content='movies', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
`;

/**
 * Secondary indexes, built from the loaded rows (a sort: far faster than keeping them up to date row by row).
 * VACUUM lays out tables first and indexes after them, each group in creation order, so the file is the same
 * as if they had been declared with their tables.
 */
const INDEXES = `
CREATE INDEX movies_imdb_id ON movies (imdb_id);
CREATE INDEX movies_tmdb_id ON movies (tmdb_id);
CREATE INDEX movies_wikidata_id ON movies (wikidata_id);
CREATE INDEX movies_rotten_tomatoes_id ON movies (rotten_tomatoes_id);
CREATE INDEX movies_metacritic_id ON movies (metacritic_id);
CREATE INDEX movies_year ON movies (year);
CREATE INDEX scores_site_metric ON scores (site, metric, value);
`;


/** "a, b or c". */
function listed(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

const bool = (v: boolean | null | undefined) => (v === true ? 1 : v === false ? 0 : null);

/** Films per message to the SQLite thread. */
const FILMS_PER_BATCH = 256;
/** Batches sent and not yet written, at most: the producer waits beyond it (memory stays bounded). */
const BATCHES_IN_FLIGHT = 8;

/**
 * The SQLite thread: a generic executor (no knowledge of the tables) that runs what the writer sends — SQL
 * to execute, and rows for prepared statements — in order, on its own connection. Plain CommonJS, so that it
 * starts without a TypeScript loader (`execArgv: []`), wherever the writer runs.
 */
const SQLITE_THREAD = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const state = new Int32Array(workerData.shared);
const port = workerData.port;
// [2] is 1 from the writer's start until the file is open: an abort waits for that (or sees it skipped).
const db = Atomics.load(state, 1) === 0 ? new Database(workerData.file) : { open: false };
Atomics.store(state, 2, 0);
Atomics.notify(state, 2);
const statements = new Map();
port.on('message', (message) => {
  Atomics.store(state, 2, 1);
  try {
    if (Atomics.load(state, 1) === 0) {
      if (message.exec) for (const sql of message.exec) db.exec(sql);
      if (message.rows) {
        for (const [sql, values] of message.rows) {
          let statement = statements.get(sql);
          if (!statement) statements.set(sql, (statement = db.prepare(sql)));
          statement.run(values);
        }
      }
      if (message.close) db.close();
    } else if (db.open) db.close();
  } catch (error) {
    if (db.open) db.close();
    port.postMessage({ code: error && error.code, message: String(error && error.stack || error) });
    Atomics.store(state, 1, 1);
  } finally {
    Atomics.store(state, 2, 0);
    Atomics.notify(state, 2);
    Atomics.sub(state, 0, 1);
    Atomics.notify(state, 0);
    if (message.close || Atomics.load(state, 1) !== 0) port.close();
  }
});
`;

/**
 * Writes records (in id order) into a new SQLite file as they come, then rebuilds the full-text index and
 * vacuums the file on `finish`, so that the bytes depend on the records alone. One transaction for all of it,
 * as the file's change counter (in its header) counts commits: without a journal, pages that no longer fit
 * the cache go to the file, so memory stays bounded whatever the size.
 *
 * The SQLite work — half the cost of a snapshot — runs on a thread of its own, fed batches of rows, so that
 * it overlaps with building the records on a machine with two cores; the writer waits when the thread falls
 * behind, and `finish` waits for the file to be complete. The statements and their order are those of a
 * single connection writing row by row, so the file is the same.
 */
export class SqliteWriter {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  /** [0]: messages not yet handled; [1]: 1 once the thread has failed or is told to stop; [2]: 1 while it opens the file or handles a message. */
  private readonly state = new Int32Array(new SharedArrayBuffer(12));
  private batch: [string, unknown[]][] = [];
  private films = 0;
  private finishing = false;

  constructor(private readonly file: string, meta: Record<string, string>) {
    Atomics.store(this.state, 2, 1);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(SQLITE_THREAD, {
      eval: true,
      execArgv: [],
      workerData: { module: createRequire(import.meta.url).resolve('better-sqlite3'), file, shared: this.state.buffer, port: port2 },
      transferList: [port2],
    });
    this.worker.unref();
    const pragmas = ['journal_mode = OFF', 'synchronous = OFF', 'page_size = 4096', 'cache_size = -65536'].map((p) => `PRAGMA ${p}`);
    this.send({ exec: [...pragmas, DDL, 'BEGIN'] });
    for (const [key, value] of Object.entries(meta).sort(([a], [b]) => (a < b ? -1 : 1))) this.batch.push(['INSERT INTO meta (key, value) VALUES (?, ?)', [key, value]]);
  }

  /** Posts a message to the thread, first waiting while too many are pending; throws what the thread failed with. */
  private send(message: { exec?: string[]; rows?: [string, unknown[]][]; close?: true }): void {
    for (let pending = Atomics.load(this.state, 0); pending >= BATCHES_IN_FLIGHT; pending = Atomics.load(this.state, 0)) {
      Atomics.wait(this.state, 0, pending);
    }
    this.check();
    Atomics.add(this.state, 0, 1);
    this.port.postMessage(message);
  }

  /** Waits until the thread has handled everything sent. */
  private drain(): void {
    for (let pending = Atomics.load(this.state, 0); pending > 0; pending = Atomics.load(this.state, 0)) Atomics.wait(this.state, 0, pending);
    this.check();
  }

  private check(): void {
    if (Atomics.load(this.state, 1) === 0) return;
    const failure = receiveMessageOnPort(this.port)?.message as { code?: string; message: string } | undefined;
    void this.worker.terminate();
    // SQLite says "database or disk is full" for ENOSPC and EDQUOT alike.
    if (failure?.code === 'SQLITE_FULL') throw new FileSystemError(this.file, 'writing', 'ENOSPC', undefined, { cause: failure.message });
    throw new Error(`movies.sqlite: ${failure?.message ?? 'the SQLite thread failed'}`);
  }

  /** Adds one record (records come sorted by id). */
  add(m: Movie): void {
    const rows = this.batch;
    rows.push([
      MOVIE_INSERT,
      [
        m.id,
        m.ids.imdb ?? null,
        m.ids.tmdb ?? null,
        m.ids.wikidata ?? null,
        m.ids.rottenTomatoes ?? null,
        m.ids.metacritic ?? null,
        m.title,
        m.originalTitle ?? null,
        m.year ?? null,
        m.releaseDate ?? null,
        m.runtimeMinutes ?? null,
        m.contentRating ?? null,
        m.synopsis ?? null,
        bool(m.creditScenes.during),
        bool(m.creditScenes.after),
        m.creditScenes.confidence,
        ...(['during', 'after'] as const).flatMap((slot) => {
          const a = m.creditScenes.slots[slot];
          return [a.answer, a.probability, a.basis];
        }),
        JSON.stringify(m),
      ],
    ]);
    const add = (table: string, columns: number, values: unknown[]) => rowsOf(rows, table, columns, values);
    add('genres', 3, m.genres.flatMap((g, i) => [m.id, i, g]));
    add('directors', 3, m.directors.flatMap((d, i) => [m.id, i, d]));
    add('cast_members', 4, m.cast.flatMap((c, i) => [m.id, i, c.name, c.character ?? null]));
    add('companies', 3, m.companies.flatMap((c, i) => [m.id, i, c]));
    add('countries', 3, m.countries.flatMap((c, i) => [m.id, i, c]));
    add('languages', 3, m.languages.flatMap((l, i) => [m.id, i, l]));
    add('credit_scenes', 5, m.creditScenes.scenes.flatMap((s, i) => [m.id, i, s.position, s.kind, s.description ?? null]));
    add('credit_evidence', 7, m.creditScenes.evidence.flatMap((e, i) => [m.id, i, e.source, bool(e.during), bool(e.after), e.detail ?? null, e.observedAt]));
    const scores: unknown[] = [];
    for (const [site, group] of Object.entries(m.scores) as [ScoreGroup, Record<string, unknown>][]) {
      for (const { field, count } of scoresOf(site)) {
        scores.push(m.id, site, field, (group[field] as number | null) ?? null, (group[count] as number | undefined) ?? null, group.source, group.observedAt);
      }
    }
    add('scores', 7, scores);
    add('sources', 5, m.sources.flatMap((s, i) => [m.id, i, s.source, s.url, s.observedAt]));
    if (++this.films % FILMS_PER_BATCH === 0) this.flush();
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    this.send({ rows: this.batch });
    this.batch = [];
  }

  /**
   * Starts the end of the file on its thread — commit, the indexes (outside the transaction, a commit each
   * as when declared with the tables: the header's change counter matches), the full-text index, VACUUM —
   * and returns at once: `finish` waits for it.
   */
  startFinish(): void {
    if (this.finishing) return;
    this.finishing = true;
    this.flush();
    this.send({ exec: ['COMMIT', INDEXES, "INSERT INTO movie_titles (movie_titles) VALUES ('rebuild')", 'VACUUM'], close: true });
  }

  /** Completes the file (commit, indexes, full-text index, VACUUM) and closes it. */
  finish(): void {
    this.startFinish();
    this.drain();
    void this.worker.terminate();
  }

  /**
   * Stops without finishing the file (the caller removes it): the thread skips what is still queued, and this
   * waits until what it is in the middle of is done — opening the file, a batch of rows, VACUUM — so that nothing
   * creates or writes files in the folder once this returns (the thread opening the file as the folder was
   * removed made the removal fail with ENOTEMPTY).
   */
  abort(): void {
    Atomics.store(this.state, 1, 1);
    const deadline = Date.now() + ABORT_WAIT_MS;
    while (Atomics.load(this.state, 2) === 1 && Date.now() < deadline) Atomics.wait(this.state, 2, 1, 100);
    void this.worker.terminate();
  }
}

const MOVIE_INSERT = `INSERT INTO movies (id, imdb_id, tmdb_id, wikidata_id, rotten_tomatoes_id, metacritic_id, title, original_title, year,
  release_date, runtime_minutes, content_rating, synopsis, during_credits, after_credits, credit_confidence,
  during_answer, during_probability, during_basis, after_answer, after_probability, after_basis, record)
  VALUES (${Array(23).fill('?').join(', ')})`;

/** How long `abort` waits for the statement the thread is running (VACUUM of a large file takes seconds). */
const ABORT_WAIT_MS = 60_000;

/** Rows per statement at most (a film has a handful per table; this bounds a statement's parameters). */
const ROWS_PER_STATEMENT = 64;

/**
 * A film's rows of one table as statements of several rows each (`VALUES (…), (…)`): per-statement
 * overhead, not per-row work, is what a row costs. The rows go in in order, so the file is the same as row by row.
 */
function rowsOf(out: [string, unknown[]][], table: string, columns: number, values: unknown[]): void {
  const width = columns * ROWS_PER_STATEMENT;
  for (let start = 0; start < values.length; start += width) {
    const chunk = values.length <= width ? values : values.slice(start, start + width);
    out.push([insertSql(table, columns, chunk.length / columns), chunk]);
  }
}

const insertStatements = new Map<string, string>();

function insertSql(table: string, columns: number, rows: number): string {
  const key = `${table}/${rows}`;
  let sql = insertStatements.get(key);
  if (!sql) {
    const row = `(${Array(columns).fill('?').join(', ')})`;
    insertStatements.set(key, (sql = `INSERT INTO ${table} VALUES ${Array(rows).fill(row).join(', ')}`));
  }
  return sql;
}

/**
 * Writes the package version into `meta`. Called after the content hash is taken (the hash sees the file
 * without it, so an unchanged dataset keeps its version); the same file and version give the same bytes.
 */
export function stampSqliteVersion(file: string, version: string): void {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = OFF');
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('version', ?)").run(version);
  } finally {
    db.close();
  }
}
