'use strict';
/**
 * stingerdb — should you stay for the credits? Generated package file (source:
 * src/publish/package/answers/index.cjs in the stingerdb repository); do not edit it in the published package.
 *
 * The answers of every film, read without parsing them all: `movies.answers.json` holds one film per line, as
 * an array of values in the order of the index's `columns`; `movies.index.json` gives the byte range of each
 * line, the ids sorted (found by binary search; stored as the lines of one string, which parses several times
 * faster than an array) and `whys` (lines likewise), each sentence a why column points at; `movies.tmdb.json`
 * the TMDB ids ascending with their rows, parsed on the first `findByTmdbId`. The index is parsed on the first
 * lookup, the titles (`movies.titles.json`) on the first search; `all()` parses every line once, on demand, and
 * freezes the answers deeply. Nothing is read at import time. Zero dependencies: only `node:fs` and `node:path`.
 *
 * A process may outlive a publish into the folder it reads: every call checks which snapshot is on disk (the
 * identity of `movies.answers.json`) and answers from one snapshot, never from a mix (see the reading part
 * below, the full records reader's, copied at publish). Full records: the companion package stingerdb-records,
 * the same lookups returning `Movie`.
 */
/** The file whose identity is the snapshot's, and that holds one film per line. */
const RECORDS = 'movies.answers.json';

// Reading a snapshot that a publish may replace (part, readLine, consistently): the records reader's, copied here.
// stingerdb:node — reading a snapshot that a publish may replace; shared with the answers reader (copied at publish).
const fs = require('node:fs');
const path = require('node:path');

const here = __dirname;
const MOVIES = path.join(here, RECORDS);
/** How often a call starts again when it meets a publish (a swap takes microseconds). */
const RETRIES = 200;
/** The snapshot read so far: its identity, and each file parsed from it (null until asked for). */
let snapshot = null;

/** Thrown inside a call when the snapshot changed under it: the call starts again. */
class SnapshotChanged extends Error {}

function identity(stat) {
  return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}`;
}

/** The identity of the snapshot on disk now (between the two renames of a swap the folder is briefly absent). */
function onDisk() {
  for (let attempt = 0; ; attempt++) {
    try {
      return identity(fs.statSync(MOVIES));
    } catch (error) {
      if (error.code !== 'ENOENT' || attempt >= RETRIES) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

function current() {
  const id = onDisk();
  if (snapshot === null || snapshot.id !== id) snapshot = { id, index: null, titles: null, everything: null, compact: null, lines: null, tmdb: null, manifest: null, scores: null };
  return snapshot;
}

/** Runs a lookup on the current snapshot, again from the start if a publish replaced it meanwhile. */
function consistently(lookup) {
  for (let attempt = 0; ; attempt++) {
    try {
      return lookup(current());
    } catch (error) {
      const changed = error instanceof SnapshotChanged || error.code === 'ENOENT';
      if (!changed || attempt >= RETRIES) throw error;
    }
  }
}

/** A file of snapshot `s`, parsed once: kept only if the records file was that snapshot's before and after reading. */
function part(s, key, name) {
  if (s[key] === null) {
    if (onDisk() !== s.id) throw new SnapshotChanged();
    const value = JSON.parse(fs.readFileSync(path.join(here, name), 'utf8'));
    if (onDisk() !== s.id) throw new SnapshotChanged();
    s[key] = value;
  }
  return s[key];
}

/** The line of row `row` of the records file, parsed. The file is opened per read: no descriptor is held between calls. */
function readLine(s, row) {
  const { offsets, lengths } = part(s, 'index', 'movies.index.json');
  const fd = fs.openSync(MOVIES, 'r');
  try {
    if (identity(fs.fstatSync(fd)) !== s.id) throw new SnapshotChanged();
    const buffer = Buffer.allocUnsafe(lengths[row]);
    fs.readSync(fd, buffer, 0, lengths[row], offsets[row]);
    return JSON.parse(buffer.toString('utf8'));
  } finally {
    fs.closeSync(fd);
  }
}

// stingerdb:core — the lookups' pure part, shared word for word with browser.js (the publish copies it there).
/** The position of `value` in the ascending array `sorted`, or -1. */
function find(sorted, value) {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const candidate = sorted[middle];
    if (candidate === value) return middle;
    if (candidate < value) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/**
 * A title folded for search: lower case, accents, compatibility forms and punctuation removed, so "Amélie!" and
 * "amelie" match — the fold the pipeline gives `movies.titles.json` (its test checks both give the same keys).
 */
function fold(text) {
  return String(text)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * A TMDB id as given: a positive whole number, or a string of decimal digits (as read from a URL or a form).
 * Nothing that merely converts to a number counts ("0x25B", "6.03e2", " 603", [603], true): null for those.
 */
function tmdbIdOf(value) {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : null;
  if (typeof value === 'string' && /^[0-9]{1,15}$/.test(value)) {
    const number = Number(value);
    return number > 0 ? number : null;
  }
  return null;
}

/** How well a folded title matches the folded query: 0 exact, 1 prefix, 2 whole words, 3 substring; Infinity none. */
function rank(candidate, query) {
  if (!candidate) return Infinity;
  if (candidate === query) return 0;
  if (candidate.startsWith(`${query} `)) return 1;
  if (` ${candidate} `.includes(` ${query} `)) return 2;
  if (candidate.includes(query)) return 3;
  return Infinity;
}

/** The results `search` gives when no limit is asked for. */
const DEFAULT_LIMIT = 20;

/**
 * The options of `search` checked: null or undefined (the whole object or a field) mean the default. A limit
 * that is not a positive whole number, or a year that is not a whole number, is a TypeError — never a
 * silently shorter or empty answer.
 */
function searchOptions(options) {
  if (options === undefined || options === null) return { year: undefined, limit: DEFAULT_LIMIT };
  if (typeof options !== 'object') throw new TypeError(`search(text, options): options must be an object { year?, limit? }, null or undefined (got ${typeof options})`);
  const { year, limit } = options;
  if (year !== undefined && year !== null && !Number.isInteger(year)) throw new TypeError(`search(text, { year }): year must be a whole number such as 1999 (got ${String(year)})`);
  if (limit !== undefined && limit !== null && !(Number.isInteger(limit) && limit > 0)) {
    throw new TypeError(`search(text, { limit }): limit must be a positive whole number (default ${DEFAULT_LIMIT}; got ${String(limit)})`);
  }
  return { year: year ?? undefined, limit: limit ?? DEFAULT_LIMIT };
}

/** The rows of the films whose title or original title matches folded `query`: best first, then in id order. */
function searchRows(titles, query, year, limit) {
  const hits = [];
  for (let i = 0; i < titles.rows.length; i++) {
    if (year !== undefined && titles.years[i] !== year) continue;
    const best = Math.min(rank(titles.titles[i], query), rank(titles.originalTitles[i], query));
    if (best !== Infinity) hits.push([best, titles.rows[i]]);
  }
  hits.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return hits.slice(0, limit).map(([, row]) => row);
}

/** The verdict alone of a record (what `creditScenes(id)` gives), or undefined. */
function verdictOf(movie) {
  if (!movie) return undefined;
  const { during, after, confidence, scenes, slots } = movie.creditScenes;
  return { during, after, confidence, scenes, slots };
}

/** `value` and everything in it frozen: what `all()` and `compact()` share between calls cannot be changed by a caller. */
function deepFreeze(value) {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const key of Object.keys(value)) deepFreeze(value[key]);
    Object.freeze(value);
  }
  return value;
}

// stingerdb:answers — decoding a line; shared word for word with browser.js (the publish copies it there).
/**
 * The index as the lookups use it: its ids and whys, stored as lines of one string (they parse faster so), split
 * once; the columns it names as positions in `whys` (`whyColumns`), as a set.
 */
function unpacked(index) {
  if (typeof index.ids === 'string') {
    index.ids = index.ids === '' ? [] : index.ids.split('\n');
    index.whys = index.whys === '' ? [] : index.whys.split('\n');
    index.whyColumns = new Set(index.whyColumns);
  }
  return index;
}

/** The answer of a line of `movies.answers.json` (`index`: the parsed `movies.index.json`). */
function answerOf(index, line) {
  const answer = {};
  for (let i = 0; i < index.columns.length; i++) {
    const column = index.columns[i];
    answer[column] = index.whyColumns.has(column) ? index.whys[line[i]] : line[i];
  }
  return answer;
}

/** The credit verdict and the answer per slot of an answer (what `creditScenes(id)` gives), or undefined. */
function creditOf(answer) {
  if (!answer) return undefined;
  const slot = (name) => ({ answer: answer[`${name}Answer`], probability: answer[`${name}Probability`], basis: answer[`${name}Basis`], why: answer[`${name}Why`] });
  return { during: answer.during, after: answer.after, confidence: answer.confidence, slots: { during: slot('during'), after: slot('after') } };
}
// stingerdb:end-answers

/** The index of snapshot `s`, parsed once and unpacked. */
function indexOf(s) {
  return unpacked(part(s, 'index', 'movies.index.json'));
}

/** The answer of a row of snapshot `s`. */
function readRow(s, row) {
  return answerOf(indexOf(s), readLine(s, row));
}

/** The index that finds a row by id, and the one by TMDB id (read by the first findByTmdbId only). */
const rowIndex = indexOf;
const tmdbIndex = (s) => part(s, 'tmdb', 'movies.tmdb.json');
/** What `creditScenes` gives of an answer. */
const verdict = creditOf;

// getMovie, findByTmdbId, creditScenes, search, info and scores: the records reader's, copied here.
// stingerdb:lookups — the lookups over readRow, rowIndex, tmdbIndex and verdict; shared word for word with the answers reader.
function getMovie(id) {
  if (typeof id !== 'string') return undefined;
  return consistently((s) => {
    const row = find(rowIndex(s).ids, id);
    return row < 0 ? undefined : readRow(s, row);
  });
}

function findByTmdbId(tmdbId) {
  const value = tmdbIdOf(tmdbId);
  if (value === null) return undefined;
  return consistently((s) => {
    const { tmdbIds, tmdbRows } = tmdbIndex(s);
    const at = find(tmdbIds, value);
    return at < 0 ? undefined : readRow(s, tmdbRows[at]);
  });
}

function creditScenes(id) {
  return verdict(getMovie(id));
}

/** Best matches first; films that match equally well in id order. */
function search(text, options) {
  const { year, limit } = searchOptions(options);
  const query = fold(text);
  if (!query) return [];
  return consistently((s) => searchRows(part(s, 'titles', 'movies.titles.json'), query, year, limit).map((row) => readRow(s, row)));
}

function info() {
  return consistently((s) => {
    const manifest = part(s, 'manifest', 'manifest.json');
    return { version: manifest.version, schemaVersion: manifest.schemaVersion, counts: manifest.counts };
  });
}

/** The scores this dataset carries, with how to read and show each (`scores.json`). */
function scores() {
  return consistently((s) => part(s, 'scores', 'scores.json'));
}

function all() {
  return consistently((s) => {
    if (s.everything === null) {
      const index = indexOf(s);
      const lines = part(s, 'lines', RECORDS);
      s.lines = null; // parsed for this once: the answers are what is kept
      s.everything = deepFreeze(lines.map((line) => answerOf(index, line)));
    }
    return s.everything;
  });
}

module.exports = { getMovie, findByTmdbId, creditScenes, search, all, info, scores, fold };
