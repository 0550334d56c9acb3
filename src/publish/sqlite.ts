/**
 * `movies.sqlite`: the same records as `movies.json`, in normalized tables any SQLite client can query.
 *
 * Deterministic: rows are inserted in id order in one transaction, the full-text index is rebuilt at the
 * end and the file is vacuumed, so the same records give the same bytes (for a given SQLite version).
 * The table layout is documented in `TABLES` (the dataset README is generated from it).
 */
import Database from 'better-sqlite3';
import type { Movie } from '../normalize/schema.ts';

/** Tables and their columns, for the README. */
export const TABLES: Readonly<Record<string, { description: string; columns: Readonly<Record<string, string>> }>> = {
  meta: { description: 'Snapshot metadata.', columns: { key: '"version", "schemaVersion", "generator"', value: 'its value' } },
  movies: {
    description: 'One row per film; `record` holds the full JSON record.',
    columns: {
      id: 'stingerdb id (IMDb id, or "tmdb:<n>")',
      imdb_id: 'IMDb id', tmdb_id: 'TMDB id', wikidata_id: 'Wikidata item', rotten_tomatoes_id: '"m/<slug>"', metacritic_id: '"movie/<slug>"',
      title: 'English title (NULL for films known only by id)', original_title: 'original-language title', year: 'year of first release',
      release_date: 'ISO date', runtime_minutes: 'minutes', content_rating: 'US certification', synopsis: 'plain text',
      during_credits: '1 / 0 / NULL (unknown)', after_credits: '1 / 0 / NULL (unknown)', credit_confidence: '0-1',
      record: 'the full record (JSON)',
    },
  },
  genres: { description: 'Genres of a film, in order.', columns: { movie_id: 'movies.id', position: '0-based order', name: 'genre' } },
  directors: { description: 'Directors of a film.', columns: { movie_id: 'movies.id', position: '0-based order', name: 'director' } },
  cast_members: { description: 'Top-billed cast.', columns: { movie_id: 'movies.id', position: 'billing order', name: 'performer', character: 'character or NULL' } },
  companies: { description: 'Production companies.', columns: { movie_id: 'movies.id', position: 'order', name: 'company' } },
  countries: { description: 'Production countries.', columns: { movie_id: 'movies.id', position: 'order', code: 'ISO 3166-1 alpha-2' } },
  languages: { description: 'Spoken languages.', columns: { movie_id: 'movies.id', position: 'order', code: 'ISO 639-1' } },
  credit_scenes: {
    description: 'What plays during or after the credits (non-scenes included, with their kind).',
    columns: { movie_id: 'movies.id', position: 'order', slot: '"during" / "after"', kind: 'scene, bloopers, audio, stills, dedication, text', description: 'text or NULL' },
  },
  credit_evidence: {
    description: 'What each source claimed about the credit slots.',
    columns: { movie_id: 'movies.id', source: 'source id', during_credits: '1 / 0 / NULL (no claim)', after_credits: '1 / 0 / NULL', detail: 'the source\'s words or tags', observed_at: 'ISO date' },
  },
  scores: {
    description: 'One row per score; a missing score is a row with value NULL.',
    columns: {
      movie_id: 'movies.id', site: 'metacritic, rottenTomatoes, imdb, tmdb',
      metric: 'metascore, userScore, tomatometer, audienceScore, rating, voteAverage', value: 'number or NULL',
      count: 'reviews/ratings/votes behind it, or NULL', source: 'source it was read from', observed_at: 'ISO date',
    },
  },
  sources: { description: 'Responses each record was built from.', columns: { movie_id: 'movies.id', source: 'source id', url: 'URL (keys removed)', observed_at: 'ISO date' } },
  movie_titles: { description: 'FTS5 index (unicode61, diacritics removed) over movies.title and movies.original_title.', columns: { title: 'title', original_title: 'original title' } },
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
CREATE TABLE genres (movie_id TEXT NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL, PRIMARY KEY (movie_id, position)) WITHOUT ROWID;
CREATE TABLE directors (movie_id TEXT NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL, PRIMARY KEY (movie_id, position)) WITHOUT ROWID;
CREATE TABLE cast_members (movie_id TEXT NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL, character TEXT, PRIMARY KEY (movie_id, position)) WITHOUT ROWID;
CREATE TABLE companies (movie_id TEXT NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL, PRIMARY KEY (movie_id, position)) WITHOUT ROWID;
CREATE TABLE countries (movie_id TEXT NOT NULL, position INTEGER NOT NULL, code TEXT NOT NULL, PRIMARY KEY (movie_id, position)) WITHOUT ROWID;
CREATE TABLE languages (movie_id TEXT NOT NULL, position INTEGER NOT NULL, code TEXT NOT NULL, PRIMARY KEY (movie_id, position)) WITHOUT ROWID;
CREATE TABLE credit_scenes (movie_id TEXT NOT NULL, position INTEGER NOT NULL, slot TEXT NOT NULL, kind TEXT NOT NULL, description TEXT, PRIMARY KEY (movie_id, position)) WITHOUT ROWID;
CREATE TABLE credit_evidence (movie_id TEXT NOT NULL, position INTEGER NOT NULL, source TEXT NOT NULL, during_credits INTEGER, after_credits INTEGER, detail TEXT, observed_at TEXT NOT NULL, PRIMARY KEY (movie_id, position)) WITHOUT ROWID;
CREATE TABLE scores (movie_id TEXT NOT NULL, site TEXT NOT NULL, metric TEXT NOT NULL, value REAL, count INTEGER, source TEXT NOT NULL, observed_at TEXT NOT NULL, PRIMARY KEY (movie_id, site, metric)) WITHOUT ROWID;
CREATE TABLE sources (movie_id TEXT NOT NULL, position INTEGER NOT NULL, source TEXT NOT NULL, url TEXT NOT NULL, observed_at TEXT NOT NULL, PRIMARY KEY (movie_id, position)) WITHOUT ROWID;
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
