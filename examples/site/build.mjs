// @ts-check
/**
 * Builds the example site from the installed `stingerdb-records` package (the full records: synopsis, scores
 * with their sources) and `stingerdb`'s `datapackage.json`: one static page per film with a title ("Does
 * <title> have end credit scenes?") and an index page with search.
 *
 *   npm install && node build.mjs [--out public]
 *
 * It reads only the packages' public API (`all`, `info`, `scores`, `fold`) and `stingerdb/datapackage.json` (for
 * the attribution each source asks for). Film pages go to `<out>/films/`, which is emptied first; nothing else is removed.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { all, fold, info, scores } from 'stingerdb-records';
import { STYLESHEET, filmPage, indexPage, pageName } from './render.mjs';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'public' } } });
const out = path.resolve(/** @type {string} */ (values.out));

/** @type {{ sources: { attribution?: string }[] }} */
const datapackage = createRequire(import.meta.url)('stingerdb/datapackage.json');
const site = {
  version: info().version,
  attributions: datapackage.sources.flatMap((s) => (s.attribution ? [s.attribution] : [])),
  scores: scores(),
  fold,
};

// Films known only by id have no title to ask a question about.
const films = all()
  .filter((m) => m.title !== null)
  .sort((a, b) => (a.title ?? '').localeCompare(b.title ?? '', 'en') || (a.id < b.id ? -1 : 1));

rmSync(path.join(out, 'films'), { recursive: true, force: true });
mkdirSync(path.join(out, 'films'), { recursive: true });
for (const movie of films) writeFileSync(path.join(out, 'films', pageName(movie.id)), filmPage(movie, site));
writeFileSync(path.join(out, 'index.html'), indexPage(films, site));
writeFileSync(path.join(out, 'site.css'), STYLESHEET);
console.log(`${films.length} film pages and an index in ${out} (stingerdb ${site.version})`);
