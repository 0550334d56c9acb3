'use strict';
/**
 * stingerdb-records — read the full records of the dataset (the companion of the stingerdb package, whose
 * lookups give each film's answer). Generated package file (source: src/publish/package/index.cjs in the
 * stingerdb repository); do not edit it in the published package.
 *
 * Lookups never parse the whole dataset: `movies.index.json` gives the byte range of each record inside
 * `movies.json` (one record per line), so `getMovie` reads and parses that one line. The index holds flat
 * arrays by row — ids sorted, so an id is found by binary search; TMDB ids ascending likewise — because flat
 * arrays parse several times faster than objects keyed by id. It is parsed on the first lookup; the titles
 * (`movies.titles.json`) on the first search; `all()` and `compact()` parse their file once, on demand, and
 * freeze it deeply (every call returns that same frozen array: a caller cannot change what the next gets).
 * Nothing is read at import time. Zero dependencies: only `node:fs` and `node:path`.
 *
 * A process may outlive a publish: the pipeline replaces the whole folder with a new snapshot. Every call
 * checks which snapshot is on disk (the identity of its `movies.json`: device, inode, size, mtime) and starts
 * afresh when it changed, and every file is read so that it is known to belong to that snapshot — a record is
 * read through a descriptor whose identity is checked, an index or list is kept only when `movies.json` was the
 * same before and after reading it. A call that meets a swap in progress starts again on the new snapshot: it
 * answers from one snapshot, never from a mix.
 */
/** The file whose identity is the snapshot's (see `onDisk`), and that holds one record per line. */
const RECORDS = 'movies.json';

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

// stingerdb:end-node

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

// stingerdb:end-core

/** The record of a row of snapshot `s`. */
const readRow = readLine;
/** The index that finds a row by id (`ids`), and the one by TMDB id (`tmdbIds`, `tmdbRows`): here one file. */
const rowIndex = (s) => part(s, 'index', 'movies.index.json');
const tmdbIndex = rowIndex;
/** What `creditScenes` gives of a record. */
const verdict = verdictOf;

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
// stingerdb:end-lookups

function all() {
  return consistently((s) => deepFreeze(part(s, 'everything', 'movies.json')));
}

function compact() {
  return consistently((s) => deepFreeze(part(s, 'compact', 'movies.compact.json')));
}

module.exports = { getMovie, findByTmdbId, creditScenes, search, all, compact, info, scores, fold };
