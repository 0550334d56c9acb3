// stingerdb — the entry for browsers, bundlers and edge runtimes (the "browser" and "worker" conditions, and
// `stingerdb/browser`). Generated package file (source: src/publish/package/answers/browser.js in the stingerdb
// repository; its pure parts are the Node readers', copied in at publish); do not edit it in the published package.
//
// The same lookups as the Node entry, async: the package's files are read by `fetch` from a base URL — by
// default the folder this module was loaded from (a CDN that serves npm packages, e.g.
// https://cdn.jsdelivr.net/npm/stingerdb@<version>/browser.js), or the one given to `configure` / `open` (where
// a site serves the package's files). A lookup never downloads every answer: `movies.index.json` gives the byte
// range of each film's line in `movies.answers.json`, read with an HTTP Range request (a server that ignores Range
// answers the whole file, which then works, only slower); `search` reads `movies.titles.json` once. Pin a
// versioned base URL: files of two versions are never mixed when the URL names one. No Node built-ins, no
// dependencies.

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

// open(baseUrl, options) begins in the part copied here from the records entry: its fetch and file cache (`get`, `file`).
// stingerdb:fetch — reading the package's files by fetch; shared word for word with the answers entry.
/** The lookups over the package's files at `baseUrl` (`fetch`: the runtime's, unless given). */
export function open(baseUrl, options = {}) {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') throw new TypeError('stingerdb: this runtime has no fetch — give one: open(baseUrl, { fetch })');
  const base = new URL(String(baseUrl).replace(/\/?$/, '/'), globalThis.location?.href);
  const files = new Map();

  const get = async (name, init) => {
    const url = new URL(name, base);
    let response;
    try {
      response = await fetchImpl(url, init);
    } catch (error) {
      throw new Error(`stingerdb: ${url} could not be fetched (${error?.message ?? error}) — is the base URL right?`);
    }
    if (!response.ok) throw new Error(`stingerdb: ${url} answered HTTP ${response.status} — is the base URL the package's folder?`);
    return response;
  };
  // Each file parsed once; a failed read is not kept (the next call tries again).
  const file = (name) => {
    if (!files.has(name)) files.set(name, get(name).then((r) => r.json()).catch((error) => (files.delete(name), Promise.reject(error))));
    return files.get(name);
  };
  const indexFile = () => file('movies.index.json').then(unpacked);
  const readRow = async (row) => {
    const index = await indexFile();
    const [start, end] = [index.offsets[row], index.offsets[row] + index.lengths[row] - 1];
    const response = await get('movies.answers.json', { headers: { Range: `bytes=${start}-${end}` } });
    const bytes = new Uint8Array(await response.arrayBuffer());
    return answerOf(index, JSON.parse(new TextDecoder().decode(response.status === 206 ? bytes : bytes.subarray(start, end + 1))));
  };

  const rowIndex = indexFile;
  const tmdbIndex = () => file('movies.tmdb.json');
  const verdict = creditOf;

  // The lookups, the end of open() and the module's exports: the records entry's, copied here.
  // stingerdb:lookups — the lookups over readRow, rowIndex, tmdbIndex and verdict; shared word for word with the answers entry.
  async function getMovie(id) {
    if (typeof id !== 'string') return undefined;
    const row = find((await rowIndex()).ids, id);
    return row < 0 ? undefined : readRow(row);
  }
  async function findByTmdbId(tmdbId) {
    const value = tmdbIdOf(tmdbId);
    if (value === null) return undefined;
    const { tmdbIds, tmdbRows } = await tmdbIndex();
    const at = find(tmdbIds, value);
    return at < 0 ? undefined : readRow(tmdbRows[at]);
  }
  async function creditScenes(id) {
    return verdict(await getMovie(id));
  }
  async function search(text, options) {
    const { year, limit } = searchOptions(options);
    const query = fold(text);
    if (!query) return [];
    return Promise.all(searchRows(await file('movies.titles.json'), query, year, limit).map(readRow));
  }
  async function info() {
    const manifest = await file('manifest.json');
    return { version: manifest.version, schemaVersion: manifest.schemaVersion, counts: manifest.counts };
  }
  async function scores() {
    return deepFreeze(await file('scores.json'));
  }
  return { getMovie, findByTmdbId, creditScenes, search, info, scores, fold };
}

let lookups = null;

/** Where the top-level lookups read the files from (default: the folder this module was loaded from). */
export function configure(options) {
  lookups = open(options.baseUrl, options);
}

const current = () => (lookups ??= open(new URL('./', import.meta.url).href));

export const getMovie = (id) => current().getMovie(id);
export const findByTmdbId = (tmdbId) => current().findByTmdbId(tmdbId);
export const creditScenes = (id) => current().creditScenes(id);
export const search = (text, options) => current().search(text, options);
export const info = () => current().info();
export const scores = () => current().scores();
export { fold };
