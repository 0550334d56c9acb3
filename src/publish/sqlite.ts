/**
 * `movies.sqlite`: the same records as `movies.json`, in normalized tables any SQLite client can query.
 *
 * Deterministic: rows are inserted in id order in one transaction, the full-text index is rebuilt at the
 * end and the file is vacuumed, so the same records give the same bytes (for a given SQLite version).
 * The version is not known while the content is written (it depends on whether the content changed), so
 * `meta.version` is stamped in by `stampSqliteVersion` once the content hash is taken.
 * The table layout is documented in `TABLES` (the dataset README and datapackage.json come from it).
 */
import Database from 'better-sqlite3';
import type { Movie } from '../normalize/schema.ts';

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
      site: text('metacritic, rottenTomatoes, imdb or tmdb'),
      metric: text('metascore (0-100), userScore (0-10), tomatometer (0-100), audienceScore (0-100), rating (0-10) or voteAverage (0-10)'),
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

const DDL = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE movies (
  id TEXT NOT NULL UNIQUE,
  imdb_id TEXT, tmdb_id INTEGER, wikidata_id TEXT, rotten_tomatoes_id TEXT, metacritic_id TEXT,
  title TEXT, original_title TEXT, year INTEGER, release_date TEXT, runtime_minutes INTEGER,
  content_rating TEXT, synopsis TEXT,
  during_credits INTEGER, after_credits INTEGER, credit_confidence REAL NOT NULL,
  record TEXT NOT NULL
);
CREATE INDEX movies_imdb_id ON movies (imdb_id);
CREATE INDEX movies_tmdb_id ON movies (tmdb_id);
CREATE INDEX movies_wikidata_id ON movies (wikidata_id);
CREATE INDEX movies_rotten_tomatoes_id ON movies (rotten_tomatoes_id);
CREATE INDEX movies_metacritic_id ON movies (metacritic_id);
CREATE INDEX movies_year ON movies (year);
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
CREATE INDEX scores_site_metric ON scores (site, metric, value);
CREATE VIRTUAL TABLE movie_titles USING fts5(title, original_title, content='movies', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
`;

const SCORE_METRICS: Readonly<Record<string, readonly [metric: string, count: string | null][]>> = {
  metacritic: [['metascore', 'criticCount'], ['userScore', 'userCount']],
  rottenTomatoes: [['tomatometer', 'criticCount'], ['audienceScore', 'audienceCount']],
  imdb: [['rating', 'votes']],
  tmdb: [['voteAverage', 'voteCount']],
};

const bool = (v: boolean | null | undefined) => (v === true ? 1 : v === false ? 0 : null);

/** Writes `movies` (sorted by id) to a new SQLite file at `file`. */
export function writeSqlite(file: string, movies: Iterable<Movie>, meta: Record<string, string>): void {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('page_size = 4096');
    db.exec(DDL);
    const insert = {
      meta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)'),
      movie: db.prepare(`INSERT INTO movies (id, imdb_id, tmdb_id, wikidata_id, rotten_tomatoes_id, metacritic_id, title, original_title, year,
        release_date, runtime_minutes, content_rating, synopsis, during_credits, after_credits, credit_confidence, record)
        VALUES (@id, @imdb, @tmdb, @wikidata, @rt, @mc, @title, @originalTitle, @year, @releaseDate, @runtime, @contentRating, @synopsis,
        @during, @after, @confidence, @record)`),
      genre: db.prepare('INSERT INTO genres VALUES (?, ?, ?)'),
      director: db.prepare('INSERT INTO directors VALUES (?, ?, ?)'),
      cast: db.prepare('INSERT INTO cast_members VALUES (?, ?, ?, ?)'),
      company: db.prepare('INSERT INTO companies VALUES (?, ?, ?)'),
      country: db.prepare('INSERT INTO countries VALUES (?, ?, ?)'),
      language: db.prepare('INSERT INTO languages VALUES (?, ?, ?)'),
      scene: db.prepare('INSERT INTO credit_scenes VALUES (?, ?, ?, ?, ?)'),
      evidence: db.prepare('INSERT INTO credit_evidence VALUES (?, ?, ?, ?, ?, ?, ?)'),
      score: db.prepare('INSERT INTO scores VALUES (?, ?, ?, ?, ?, ?, ?)'),
      source: db.prepare('INSERT INTO sources VALUES (?, ?, ?, ?, ?)'),
    };
    db.transaction(() => {
      for (const [key, value] of Object.entries(meta).sort(([a], [b]) => (a < b ? -1 : 1))) insert.meta.run(key, value);
      for (const m of movies) {
        insert.movie.run({
          id: m.id,
          imdb: m.ids.imdb ?? null,
          tmdb: m.ids.tmdb ?? null,
          wikidata: m.ids.wikidata ?? null,
          rt: m.ids.rottenTomatoes ?? null,
          mc: m.ids.metacritic ?? null,
          title: m.title,
          originalTitle: m.originalTitle ?? null,
          year: m.year ?? null,
          releaseDate: m.releaseDate ?? null,
          runtime: m.runtimeMinutes ?? null,
          contentRating: m.contentRating ?? null,
          synopsis: m.synopsis ?? null,
          during: bool(m.creditScenes.during),
          after: bool(m.creditScenes.after),
          confidence: m.creditScenes.confidence,
          record: JSON.stringify(m),
        });
        m.genres.forEach((g, i) => insert.genre.run(m.id, i, g));
        m.directors.forEach((d, i) => insert.director.run(m.id, i, d));
        m.cast.forEach((c, i) => insert.cast.run(m.id, i, c.name, c.character ?? null));
        m.companies.forEach((c, i) => insert.company.run(m.id, i, c));
        m.countries.forEach((c, i) => insert.country.run(m.id, i, c));
        m.languages.forEach((l, i) => insert.language.run(m.id, i, l));
        m.creditScenes.scenes.forEach((s, i) => insert.scene.run(m.id, i, s.position, s.kind, s.description ?? null));
        m.creditScenes.evidence.forEach((e, i) => insert.evidence.run(m.id, i, e.source, bool(e.during), bool(e.after), e.detail ?? null, e.observedAt));
        for (const [site, group] of Object.entries(m.scores) as [string, Record<string, unknown>][]) {
          for (const [metric, countKey] of SCORE_METRICS[site] ?? []) {
            insert.score.run(m.id, site, metric, (group[metric] as number | null) ?? null, countKey ? ((group[countKey] as number | undefined) ?? null) : null, group.source, group.observedAt);
          }
        }
        m.sources.forEach((s, i) => insert.source.run(m.id, i, s.source, s.url, s.observedAt));
      }
    })();
    db.exec("INSERT INTO movie_titles (movie_titles) VALUES ('rebuild')");
    db.exec('VACUUM');
  } finally {
    db.close();
  }
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
