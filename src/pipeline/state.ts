/**
 * Run state (`.stingerdb/state.sqlite`, not committed; CI keeps it between nightly runs as a cache): what the
 * scheduler needs beyond the observations themselves.
 *
 * - `attempts`: per source and film, when it was last checked and how that went (ok, unanswered, failed,
 *   with consecutive failures) — so a refresh that finds nothing new changes no observation and no byte of
 *   the dataset, yet the film counts as fresh;
 * - `validators`: ETag / Last-Modified per URL, for conditional requests (a 304 costs no body and no parse);
 * - `journal`: every response answered during a run that is not finished (gzip). A run killed at any
 *   moment (kill -9) loses nothing and repeats no completed fetch: the next run asks the same questions
 *   (attempts of the killed run were never committed) and the journal answers those it already has.
 *   Cleared, together with the run's attempts being committed, once the observation files are written;
 * - `runs`: start, end and per-source results of each run (parse-failure rates for the quality gates);
 * - `listings`: per whole-catalogue feed and film, when the feed last listed it and how many healthy listings
 *   in a row have left it out since (`listings.ts`: "no longer listed"), committed with the run;
 * - `meta`: cursors such as the TMDB change feed's last date, and the highest dataset version issued (so a
 *   version is never issued twice, even when the snapshot that carried it is damaged or gone).
 *
 * SQLite in WAL mode: every write is a committed transaction, so a killed process leaves the state as of its
 * last completed request.
 *
 * The folder holds nothing else: one that holds other things and no `state.sqlite` is not a run state
 * folder (`--state` pointing at the wrong place), and is refused before anything is written into it.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { RunStateUnreadableError, WrongFolderError } from '../errors.ts';
import { folderEntries, holdsWithout } from '../lib/folders.ts';
import { highestVersion } from '../publish/version.ts';

export type AttemptOutcome = 'ok' | 'unanswered' | 'failed';

export interface Attempt {
  source: string;
  film: string;
  /** When the source was last asked about the film (ISO date-time). */
  checkedAt: string;
  outcome: AttemptOutcome;
  /** Consecutive failed attempts (0 after a success). */
  failures: number;
  error: string | null;
}

/** A response kept in the journal. */
export interface JournaledResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  observedAt: string;
}

/** A check made during a run, committed with the run. */
export interface PendingAttempt {
  source: string;
  film: string;
  outcome: AttemptOutcome;
  checkedAt: string;
  error: string | null;
}

export interface Validators {
  etag?: string;
  lastModified?: string;
}

/** A whole-catalogue feed's memory of one film (see `listings.ts`). */
export interface ListingRow {
  film: string;
  /** When the feed last listed it (the answer's capture or fetch time). */
  lastListedAt: string;
  /** Healthy listings in a row that left it out since. */
  absences: number;
  /** The first of those listings (null while it is listed). */
  absentSince: string | null;
}

/** What a run learnt of one feed's listing, committed with the run. */
export interface ListingUpdate {
  source: string;
  rows: readonly ListingRow[];
  /** Set when the listing was healthy: its size becomes the one the next listings are judged against. */
  healthy?: { entries: number; at: string };
}

export interface RunRecord {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  mode: string;
  /** Per source: requests, parsed responses, parse failures… */
  sources: Record<string, { requests: number; parsed: number; parseFailures: number; observations: number; failures: number }>;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS attempts (source TEXT NOT NULL, film TEXT NOT NULL, checked_at TEXT NOT NULL, outcome TEXT NOT NULL,
  failures INTEGER NOT NULL, error TEXT, PRIMARY KEY (source, film)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS validators (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS journal (url TEXT PRIMARY KEY, status INTEGER NOT NULL, headers TEXT NOT NULL, body BLOB NOT NULL, observed_at TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT, mode TEXT NOT NULL, sources TEXT NOT NULL DEFAULT '{}');
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS listings (source TEXT NOT NULL, film TEXT NOT NULL, last_listed_at TEXT NOT NULL, absences INTEGER NOT NULL,
  absent_since TEXT, PRIMARY KEY (source, film)) WITHOUT ROWID;
`;

/** The state's database file in its folder. */
const STATE_FILE = 'state.sqlite';
/** SQLite's answers for a file that is not a usable database (not busy, not a full disk: those pass). */
const UNREADABLE = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CANTOPEN']);
/** The `meta` key of the highest dataset version issued. */
const HIGHEST_VERSION = 'highestVersion';

/** Throws `WrongFolderError` unless `dir` is new, empty or a run state folder (it holds `state.sqlite`). Writes nothing. */
export function checkStateFolder(dir: string): void {
  const todo = 'Give a new or empty folder, or the folder of an earlier run state such as .stingerdb/live.';
  const entries = folderEntries(dir, 'a run state folder', todo);
  if (entries?.length && !entries.includes(STATE_FILE)) {
    throw new WrongFolderError(dir, 'a run state folder', holdsWithout(entries, STATE_FILE), todo);
  }
}

export class RunState {
  private readonly db: Database.Database;
  private readonly statements;

  private constructor(readonly file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.statements = {
      attempt: this.db.prepare('SELECT source, film, checked_at AS checkedAt, outcome, failures, error FROM attempts WHERE source = ? AND film = ?'),
      attemptsOf: this.db.prepare('SELECT source, film, checked_at AS checkedAt, outcome, failures, error FROM attempts WHERE source = ?'),
      putAttempt: this.db.prepare(
        `INSERT INTO attempts (source, film, checked_at, outcome, failures, error) VALUES (@source, @film, @checkedAt, @outcome, @failures, @error)
         ON CONFLICT (source, film) DO UPDATE SET checked_at = excluded.checked_at, outcome = excluded.outcome, failures = excluded.failures, error = excluded.error`,
      ),
      validators: this.db.prepare('SELECT etag, last_modified AS lastModified FROM validators WHERE url = ?'),
      putValidators: this.db.prepare('INSERT OR REPLACE INTO validators (url, etag, last_modified) VALUES (?, ?, ?)'),
      journal: this.db.prepare('INSERT OR REPLACE INTO journal (url, status, headers, body, observed_at) VALUES (?, ?, ?, ?, ?)'),
      journaled: this.db.prepare('SELECT status, headers, body, observed_at AS observedAt FROM journal WHERE url = ?'),
      journalSize: this.db.prepare('SELECT count(*) AS n FROM journal'),
      clearJournal: this.db.prepare('DELETE FROM journal'),
      startRun: this.db.prepare('INSERT INTO runs (started_at, mode) VALUES (?, ?)'),
      finishRun: this.db.prepare('UPDATE runs SET finished_at = ?, sources = ? WHERE id = ?'),
      lastRun: this.db.prepare('SELECT id, started_at AS startedAt, finished_at AS finishedAt, mode, sources FROM runs WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1'),
      listingsOf: this.db.prepare('SELECT film, last_listed_at AS lastListedAt, absences, absent_since AS absentSince FROM listings WHERE source = ?'),
      putListing: this.db.prepare(
        `INSERT INTO listings (source, film, last_listed_at, absences, absent_since) VALUES (@source, @film, @lastListedAt, @absences, @absentSince)
         ON CONFLICT (source, film) DO UPDATE SET last_listed_at = excluded.last_listed_at, absences = excluded.absences, absent_since = excluded.absent_since`,
      ),
      getMeta: this.db.prepare('SELECT value FROM meta WHERE key = ?'),
      setMeta: this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
    };
  }

  /**
   * Opens (or starts) the run state in `dir`. A file, or a folder holding other things, is a
   * `WrongFolderError`; a `state.sqlite` that is not a database a `RunStateUnreadableError`.
   */
  static open(dir: string): RunState {
    checkStateFolder(dir);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, STATE_FILE);
    try {
      return new RunState(file);
    } catch (error) {
      if (error instanceof Database.SqliteError && UNREADABLE.has(error.code)) throw new RunStateUnreadableError(file, error.message);
      throw error;
    }
  }

  close(): void {
    this.db.close();
  }

  attempt(source: string, film: string): Attempt | undefined {
    return this.statements.attempt.get(source, film) as Attempt | undefined;
  }

  /** Every attempt of a source, by film (the scheduler reads them once per run). */
  attemptsOf(source: string): Map<string, Attempt> {
    return new Map((this.statements.attemptsOf.all(source) as Attempt[]).map((a) => [a.film, a]));
  }

  recordAttempt(source: string, film: string, outcome: AttemptOutcome, checkedAt: string, error: string | null = null): void {
    const previous = this.attempt(source, film);
    const failures = outcome === 'failed' ? (previous?.failures ?? 0) + 1 : 0;
    this.statements.putAttempt.run({ source, film, checkedAt, outcome, failures, error });
  }

  validators(url: string): Validators | undefined {
    const row = this.statements.validators.get(url) as { etag: string | null; lastModified: string | null } | undefined;
    if (!row) return undefined;
    return { ...(row.etag && { etag: row.etag }), ...(row.lastModified && { lastModified: row.lastModified }) };
  }

  saveValidators(url: string, validators: Validators): void {
    if (!validators.etag && !validators.lastModified) return;
    this.statements.putValidators.run(url, validators.etag ?? null, validators.lastModified ?? null);
  }

  /** Keeps a response of the current run until the run is committed. */
  journalResponse(url: string, response: JournaledResponse): void {
    this.statements.journal.run(url, response.status, JSON.stringify(response.headers), gzipSync(response.body, { level: 1 }), response.observedAt);
  }

  /** The response an interrupted run already received for this URL, if any. */
  journaledResponse(url: string): JournaledResponse | undefined {
    const row = this.statements.journaled.get(url) as { status: number; headers: string; body: Buffer; observedAt: string } | undefined;
    if (!row) return undefined;
    return { status: row.status, headers: JSON.parse(row.headers) as Record<string, string>, body: gunzipSync(row.body).toString('utf8'), observedAt: row.observedAt };
  }

  /** Responses waiting in the journal (an interrupted run left them when > 0 at start). */
  journalSize(): number {
    return (this.statements.journalSize.get() as { n: number }).n;
  }

  /**
   * Ends a run once its observations are on disk: its checks become the scheduler's memory, its journal is
   * emptied and its per-source results are kept for the quality gates — all in one transaction.
   */
  commitRun(id: number, at: string, attempts: readonly PendingAttempt[], sources: RunRecord['sources'], listings: readonly ListingUpdate[] = []): void {
    this.db.transaction(() => {
      for (const a of attempts) this.recordAttempt(a.source, a.film, a.outcome, a.checkedAt, a.error);
      for (const update of listings) {
        for (const row of update.rows) this.statements.putListing.run({ source: update.source, ...row });
        if (update.healthy) this.statements.setMeta.run(`listing:${update.source}`, JSON.stringify(update.healthy));
      }
      this.statements.clearJournal.run();
      this.statements.finishRun.run(at, JSON.stringify(sources), id);
    })();
  }

  startRun(at: string, mode: string): number {
    return Number(this.statements.startRun.run(at, mode).lastInsertRowid);
  }

  lastRun(): RunRecord | undefined {
    const row = this.statements.lastRun.get() as (Omit<RunRecord, 'sources'> & { sources: string }) | undefined;
    return row ? { ...row, sources: JSON.parse(row.sources) as RunRecord['sources'] } : undefined;
  }

  /** A feed's memory of the films it listed, by film. */
  listingsOf(source: string): Map<string, ListingRow> {
    return new Map((this.statements.listingsOf.all(source) as ListingRow[]).map((row) => [row.film, row]));
  }

  /** The size and date of a feed's last healthy listing, if one was committed. */
  lastHealthyListing(source: string): { entries: number; at: string } | undefined {
    const value = this.getMeta(`listing:${source}`);
    return value ? (JSON.parse(value) as { entries: number; at: string }) : undefined;
  }

  getMeta(key: string): string | undefined {
    return (this.statements.getMeta.get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.statements.setMeta.run(key, value);
  }

  /** The highest dataset version issued by runs with this state. */
  highestVersion(): string | undefined {
    return this.getMeta(HIGHEST_VERSION);
  }

  /** Notes a published version; the highest one is kept. */
  recordVersion(version: string): void {
    this.setMeta(HIGHEST_VERSION, highestVersion([this.highestVersion(), version])!);
  }
}
