'use strict';
/**
 * stingerdb — read the dataset. Generated package file (source: src/publish/package/index.cjs in the
 * stingerdb repository); do not edit it in the published package.
 *
 * Lookups never parse the whole dataset: `movies.index.json` gives the byte range of each record inside
 * `movies.json` (one record per line), so `getMovie` reads and parses one line. `all()` parses everything,
 * once, on demand. Nothing is loaded at import time.
 */
const fs = require('node:fs');
const path = require('node:path');

const here = __dirname;
let index = null;
let fd = null;
let everything = null;
let manifest = null;

function loadIndex() {
  if (index === null) index = JSON.parse(fs.readFileSync(path.join(here, 'movies.index.json'), 'utf8'));
  return index;
}

function readRecord(range) {
  if (fd === null) fd = fs.openSync(path.join(here, 'movies.json'), 'r');
  const buffer = Buffer.allocUnsafe(range[1]);
  fs.readSync(fd, buffer, 0, range[1], range[0]);
  return JSON.parse(buffer.toString('utf8'));
}

/** Lower case, accents and punctuation removed: "Amélie!" and "amelie" match. */
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
  const range = loadIndex().ids[id];
  return range ? readRecord(range) : undefined;
}

function findByTmdbId(tmdbId) {
  const id = loadIndex().tmdb[String(tmdbId)];
  return id ? getMovie(id) : undefined;
}

function creditScenes(id) {
  const movie = getMovie(id);
  if (!movie) return undefined;
  const { during, after, confidence, scenes } = movie.creditScenes;
  return { during, after, confidence, scenes };
}

function search(text, options) {
  const query = fold(text);
  const year = options && options.year;
  const limit = (options && options.limit) || 20;
  if (!query) return [];
  const hits = [];
  for (const [id, title, originalTitle, movieYear] of loadIndex().titles) {
    if (year !== undefined && movieYear !== year) continue;
    let rank = Infinity;
    for (const candidate of [title, originalTitle]) {
      if (!candidate) continue;
      if (candidate === query) rank = Math.min(rank, 0);
      else if (candidate.startsWith(`${query} `)) rank = Math.min(rank, 1);
      else if (` ${candidate} `.includes(` ${query} `)) rank = Math.min(rank, 2);
      else if (candidate.includes(query)) rank = Math.min(rank, 3);
    }
    if (rank !== Infinity) hits.push([rank, id]);
  }
  hits.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
  return hits.slice(0, limit).map(([, id]) => getMovie(id));
}

function all() {
  if (everything === null) everything = JSON.parse(fs.readFileSync(path.join(here, 'movies.json'), 'utf8'));
  return everything;
}

function info() {
  if (manifest === null) manifest = JSON.parse(fs.readFileSync(path.join(here, 'manifest.json'), 'utf8'));
  return { version: manifest.version, schemaVersion: manifest.schemaVersion, counts: manifest.counts };
}

module.exports = { getMovie, findByTmdbId, creditScenes, search, all, info };
