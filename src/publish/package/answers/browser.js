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

/* stingerdb:core */

/* stingerdb:answers */

// open(baseUrl, options) begins in the part copied here from the records entry: its fetch and file cache (`get`, `file`).
/* stingerdb:fetch */
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
  /* stingerdb:lookups */
