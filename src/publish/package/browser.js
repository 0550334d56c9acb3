// stingerdb-records — the entry for browsers, bundlers and edge runtimes (the "browser" and "worker" conditions,
// and `stingerdb-records/browser`). Generated package file (source: src/publish/package/browser.js in the stingerdb
// repository; its pure part is index.cjs's, copied in at publish); do not edit it in the published package.
//
// The same lookups as the Node entry, async: the package's files are read by `fetch` from a base URL — by
// default the folder this module was loaded from (a CDN that serves npm packages, e.g.
// https://cdn.jsdelivr.net/npm/stingerdb-records@<version>/browser.js), or the one given to `configure` / `open` (where
// a site serves the package's files). A lookup never downloads every record: `movies.index.json` gives the byte
// range of each record in `movies.json`, read with an HTTP Range request (a server that ignores Range answers
// the whole file, which then works, only slower); `search` reads `movies.titles.json` once. Pin a versioned base
// URL: files of two versions are never mixed when the URL names one. No Node built-ins, no dependencies.

/* stingerdb:core */

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
  // stingerdb:end-fetch
  const readRow = async (row) => {
    const { offsets, lengths } = await file('movies.index.json');
    const [start, end] = [offsets[row], offsets[row] + lengths[row] - 1];
    const response = await get('movies.json', { headers: { Range: `bytes=${start}-${end}` } });
    const bytes = new Uint8Array(await response.arrayBuffer());
    return JSON.parse(new TextDecoder().decode(response.status === 206 ? bytes : bytes.subarray(start, end + 1)));
  };

  const rowIndex = () => file('movies.index.json');
  const tmdbIndex = rowIndex;
  const verdict = verdictOf;

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
// stingerdb:end-lookups
