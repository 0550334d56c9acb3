'use strict';
/**
 * A consumer of the dataset, for the lookup benchmark: plain Node, no TypeScript, as an app would run it.
 * Opens one access path, answers the first id (the parent times process start → that first line), then times
 * `getMovie` on every other id of the file and prints the latencies as JSON.
 *
 * node bench/lookup-probe.cjs <answers|records|json|sqlite> <dataset dir> <ids file> [better-sqlite3 path]
 *
 * answers: the dataset package's `getMovie` (each film's answer); records: the records companion's (full
 * records); json: the whole `records/movies.json` parsed into a map; sqlite: the SQLite companion's `movies` table.
 */
const fs = require('node:fs');
const path = require('node:path');

const [access, dir, idsFile, sqlitePath] = process.argv.slice(2);

/** getMovie over one access path. */
function open() {
  if (access === 'answers') return require(path.join(dir, 'index.cjs')).getMovie;
  if (access === 'records') return require(path.join(dir, 'records', 'index.cjs')).getMovie;
  if (access === 'json') {
    const byId = new Map(JSON.parse(fs.readFileSync(path.join(dir, 'records', 'movies.json'), 'utf8')).map((m) => [m.id, m]));
    return (id) => byId.get(id);
  }
  if (access === 'sqlite') {
    const Database = require(sqlitePath);
    const statement = new Database(path.join(dir, 'sqlite', 'movies.sqlite'), { readonly: true }).prepare('SELECT record FROM movies WHERE id = ?');
    return (id) => {
      const row = statement.get(id);
      return row && JSON.parse(row.record);
    };
  }
  throw new Error(`unknown access path ${access}`);
}

const getMovie = open();
const ids = fs.readFileSync(idsFile, 'utf8').split('\n').filter(Boolean);
const first = getMovie(ids[0]);
process.stdout.write(`first ${first ? first.id : 'none'}\n`);

const times = new Float64Array(ids.length - 1);
let found = 0;
for (let i = 1; i < ids.length; i++) {
  const started = process.hrtime.bigint();
  const movie = getMovie(ids[i]);
  times[i - 1] = Number(process.hrtime.bigint() - started) / 1000;
  if (movie && movie.id === ids[i]) found++;
}
times.sort();
const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
process.stdout.write(
  `${JSON.stringify({ access, lookups: times.length, found, p50Us: at(0.5), p99Us: at(0.99), maxUs: times[times.length - 1], peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
