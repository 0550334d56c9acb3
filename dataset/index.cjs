'use strict';
/**
 * stingerdb — read the dataset. Generated package file (source: src/publish/package/index.cjs in the
 * stingerdb repository); do not edit it in the published package.
 *
 * Lookups never parse the whole dataset: `movies.index.json` gives the byte range of each record inside
 * `movies.json` (one record per line), so `getMovie` reads and parses that one line. The index holds flat
 * arrays by row — ids sorted, so an id is found by binary search; TMDB ids ascending likewise — because flat
 * arrays parse several times faster than objects keyed by id. It is parsed on the first lookup; the titles
 * (`movies.titles.json`) on the first search; `all()` and `compact()` parse their file once, on demand.
 * Nothing is read at import time. Zero dependencies: only `node:fs` and `node:path`.
 */
const fs = require('node:fs');
const path = require('node:path');

const here = __dirname;
let index = null;
let titles = null;
let everything = null;
let compactRecords = null;
let manifest = null;

function readJson(name) {
  return JSON.parse(fs.readFileSync(path.join(here, name), 'utf8'));
}

function loadIndex() {
  if (index === null) index = readJson('movies.index.json');
  return index;
}

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

/** The record of a row. The file is opened per read: no descriptor is held between calls. */
function readRow(row) {
  const { offsets, lengths } = loadIndex();
  const fd = fs.openSync(path.join(here, 'movies.json'), 'r');
  try {
    const buffer = Buffer.allocUnsafe(lengths[row]);
    fs.readSync(fd, buffer, 0, lengths[row], offsets[row]);
    return JSON.parse(buffer.toString('utf8'));
  } finally {
    fs.closeSync(fd);
  }
}

/** Lower case, accents and punctuation removed: "Amélie!" and "amelie" match. Same folding as the index. */
function fold(text) {
  return String(text)
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function getMovie(id) {
  if (typeof id !== 'string') return undefined;
  const row = find(loadIndex().ids, id);
  return row < 0 ? undefined : readRow(row);
}

function findByTmdbId(tmdbId) {
  const value = Number(tmdbId);
  if (!Number.isInteger(value)) return undefined;
  const { tmdbIds, tmdbRows } = loadIndex();
  const at = find(tmdbIds, value);
  return at < 0 ? undefined : readRow(tmdbRows[at]);
}

function creditScenes(id) {
  const movie = getMovie(id);
  if (!movie) return undefined;
  const { during, after, confidence, scenes } = movie.creditScenes;
  return { during, after, confidence, scenes };
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

/** Best matches first; films that match equally well in id order. */
function search(text, options) {
  const query = fold(text);
  const year = options && options.year;
  const limit = (options && options.limit) || 20;
  if (!query) return [];
  if (titles === null) titles = readJson('movies.titles.json');
  const hits = [];
  for (let i = 0; i < titles.rows.length; i++) {
    if (year !== undefined && titles.years[i] !== year) continue;
    const best = Math.min(rank(titles.titles[i], query), rank(titles.originalTitles[i], query));
    if (best !== Infinity) hits.push([best, titles.rows[i]]);
  }
  hits.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return hits.slice(0, limit).map(([, row]) => readRow(row));
}

function all() {
  if (everything === null) everything = readJson('movies.json');
  return everything;
}

function compact() {
  if (compactRecords === null) compactRecords = readJson('movies.compact.json');
  return compactRecords;
}

function info() {
  if (manifest === null) manifest = readJson('manifest.json');
  return { version: manifest.version, schemaVersion: manifest.schemaVersion, counts: manifest.counts };
}

module.exports = { getMovie, findByTmdbId, creditScenes, search, all, compact, info };
