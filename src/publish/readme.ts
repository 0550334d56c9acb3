/**
 * The dataset package's README, written for the people who install it: a first-five-minutes script, the
 * lookups, JSON and SQLite access, the data dictionary (generated from the schema), the SQLite tables (from
 * `TABLES`), attribution and terms of each source, and the versioning policy.
 *
 * Every output it shows is real: `readmeExamples` runs the example code against the snapshot being written
 * (its own `index.cjs` reader and `movies.sqlite`), so the README cannot drift from the data or the API. The
 * package test runs the same code from the installed package and compares. Outputs never include the
 * version: the README is part of the content hash.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import Database from 'better-sqlite3';
import type { Movie } from '../schema/movie.ts';
import type { SourceTermsRef } from '../schema/sources.ts';
import { fold } from '../lib/fold.ts';
import type { MovieAnswer } from './compact.ts';
import { RECORDS_PACKAGE, SQLITE_FILE, SQLITE_PACKAGE } from './manifest.ts';
import { TABLES, type ColumnDoc } from './sqlite.ts';

/** The file name the README gives its first script. */
export const QUICK_START_FILE = 'first-five-minutes.mjs';

/** Example code with the output it gave on this snapshot. */
export interface ReadmeExamples {
  /** The first-five-minutes script and its stdout. */
  quickStart: { script: string; output: string };
  /** Lookup expressions and what each returned (JSON, or "undefined"). */
  lookups: { code: string; result: string }[];
  /** SQL run with the `sqlite3` shell, and its output in the shell's default (list) mode. */
  sql: { query: string; output: string }[];
}

/** The dataset package's reader, as the examples use it. */
interface Reader {
  getMovie(id: string): MovieAnswer | undefined;
  search(text: string, options?: { year?: number; limit?: number }): MovieAnswer[];
}

/** Films kept per level of richness as example candidates (the first ones in id order). */
const CANDIDATES_PER_LEVEL = 16;

/**
 * The films a README example may show, gathered one record at a time: per level of richness (how much the
 * record documents), the first `CANDIDATES_PER_LEVEL` in id order with a title, a year, a TMDB id and a known
 * verdict; and the first two titled films whose TMDB score is missing (to show that missing is null).
 */
export class ExampleCandidates {
  private readonly byRichness = new Map<number, Movie[]>();
  private readonly unrated: Movie[] = [];

  /** Takes the next record (records come in id order). */
  consider(m: Movie): void {
    if (m.title && m.scores.tmdb?.voteAverage === null && this.unrated.length < 2) this.unrated.push(m);
    if (!(m.title && m.year && m.ids.tmdb && (m.creditScenes.during !== null || m.creditScenes.after !== null) && fold(m.title))) return;
    const richness =
      (m.creditScenes.scenes.length ? 4 : 0) + Object.keys(m.scores).length * 2 + (m.synopsis ? 1 : 0) + (m.creditScenes.during !== null && m.creditScenes.after !== null ? 1 : 0);
    const level = this.byRichness.get(richness) ?? [];
    if (level.length < CANDIDATES_PER_LEVEL) this.byRichness.set(richness, [...level, m]);
  }

  /** Candidates best first: richest, then by id. */
  ranked(): Movie[] {
    return [...this.byRichness].sort(([a], [b]) => b - a).flatMap(([, films]) => films);
  }

  /** A titled film other than `id` whose TMDB score is missing, if any. */
  unratedOtherThan(id: string): Movie | null {
    return this.unrated.find((m) => m.id !== id) ?? null;
  }
}

/**
 * Runs the README's examples against the snapshot in `dir` (data files, reader and SQLite already written).
 * Null when no film can serve as the example (an empty or id-only dataset): the README then shows the code only.
 */
export function readmeExamples(dir: string, candidates: ExampleCandidates): ReadmeExamples | null {
  const require = createRequire(import.meta.url);
  const readerFile = require.resolve(path.join(dir, 'index.cjs'));
  const reader = require(readerFile) as Reader & Record<string, unknown>;
  try {
    // The best-documented candidate that its own title search finds first.
    const film = candidates.ranked().find((m) => reader.search(fold(m.title!), { year: m.year })[0]?.id === m.id);
    if (!film) return null;
    const query = fold(film.title!);
    const script = quickStartScript(query, film.year!);
    const lines: string[] = [];
    const body = script.replace(/^import .*\n/m, '');
    vm.runInNewContext(body, { ...reader, console: { log: (...args: unknown[]) => lines.push(args.map(String).join(' ')) } });

    const other = candidates.unratedOtherThan(film.id);
    const lookupCode = [
      `getMovie('${film.id}')`,
      `creditScenes('${film.id}').slots.after`,
      `findByTmdbId(${film.ids.tmdb})?.title`,
      `search('${query.split(' ').slice(-1)[0]}', { limit: 3 }).map((m) => [m.id, m.title, m.year])`,
      ...(other ? [`getMovie('${other.id}').tmdbVoteAverage`] : []),
      `getMovie('tt0000000')`,
    ];
    const lookups = lookupCode.map((code) => ({ code, result: showJson(vm.runInNewContext(code, { ...reader })) }));

    const sql = sqlExamples(film).map((query) => ({ query, output: sqliteListOutput(path.join(dir, SQLITE_FILE), query) }));
    return { quickStart: { script, output: lines.join('\n') }, lookups, sql };
  } finally {
    // The reader keeps its parsed index in module state: the next snapshot written here must load afresh.
    delete require.cache[readerFile];
  }
}

function quickStartScript(query: string, year: number): string {
  return `import { search, creditScenes } from 'stingerdb';

// Find the film: case, accents and punctuation do not matter.
const [film] = search('${query}', { year: ${year} });
console.log(\`\${film.title} (\${film.year}) is \${film.id}\`);

// Should you stay? Every film has an answer per slot — "yes", "no" or "unknown" — with its probability and why.
for (const [slot, { answer, probability, why }] of Object.entries(creditScenes(film.id).slots)) {
  console.log(\`\${slot} the credits: \${answer} (\${probability}): \${why}\`);
}

// Its scores; a score nobody gave is null, never 0.
console.log(\`Metascore \${film.metascore}, IMDb \${film.imdbRating}, TMDB \${film.tmdbVoteAverage}\`);
`;
}


function sqlExamples(film: Movie): string[] {
  const word = fold(film.title!).split(' ').sort((a, b) => b.length - a.length)[0]!;
  return [
    `SELECT id, title, year, during_credits, after_credits FROM movies WHERE tmdb_id = ${film.ids.tmdb}`,
    `SELECT m.id, m.title FROM movie_titles JOIN movies m ON m.rowid = movie_titles.rowid WHERE movie_titles MATCH '${word}' ORDER BY rank, m.id LIMIT 3`,
    `SELECT site, metric, value, count, source, observed_at FROM scores WHERE movie_id = '${film.id}' ORDER BY site, metric`,
  ];
}

/** What `sqlite3 <file> "<query>"` prints: columns joined by "|", NULL as nothing, REAL values with a decimal point. */
function sqliteListOutput(file: string, query: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const statement = db.prepare(query);
    const real = statement.columns().map((c) => c.type === 'REAL');
    const rows = statement.raw().all() as unknown[][];
    return rows
      .map((row) => row.map((v, i) => (v === null ? '' : typeof v === 'number' && real[i] && Number.isInteger(v) ? v.toFixed(1) : String(v))).join('|'))
      .join('\n');
  } finally {
    db.close();
  }
}

/** JSON for a reader: objects and arrays that fit on a line stay on one line, spaced like code. */
export function showJson(value: unknown, indent = ''): string {
  if (value === undefined) return 'undefined';
  const flat = oneLine(value);
  if (flat.length + indent.length <= 100 || value === null || typeof value !== 'object') return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((v) => `${inner}${showJson(v, inner)}`).join(',\n')}\n${indent}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${showJson(v, inner)}`).join(',\n')}\n${indent}}`;
}

function oneLine(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(oneLine).join(', ')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length ? `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${oneLine(v)}`).join(', ')} }` : '{}';
  }
  return JSON.stringify(value);
}

/** `1.2 MB`, `310 kB`: file sizes as people read them. */
function size(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1000))} kB`;
}

/** What the README is written from. */
export interface ReadmeInput {
  /** The data dictionary (from `dataDictionary()`). */
  dictionary: string;
  /** Sources whose data the snapshot carries, with their terms. */
  sources: readonly SourceTermsRef[];
  examples: ReadmeExamples | null;
  /** Byte sizes of the data files. */
  sizes: { full: number; compact: number; answers: number; sqlite: number };
  /** Films in the snapshot. */
  count: number;
}

/** The dataset package's README.md. */
export function datasetReadme(input: ReadmeInput): string {
  const { examples } = input;
  const quickStart = examples
    ? `\`\`\`js
${examples.quickStart.script}\`\`\`

\`\`\`console
$ node ${QUICK_START_FILE}
${examples.quickStart.output}
\`\`\``
    : `\`\`\`js
import { search, creditScenes } from 'stingerdb';

const [film] = search('the matrix', { year: 1999 });
console.log(film && creditScenes(film.id).slots);
\`\`\``;
  const lookups = examples
    ? `\`\`\`js
import { getMovie, findByTmdbId, creditScenes, search } from 'stingerdb';

${examples.lookups.map(({ code, result }) => `${code};\n${result.split('\n').map((line, i) => `// ${i === 0 ? '→ ' : '  '}${line}`).join('\n')}`).join('\n\n')}
\`\`\``
    : '';
  const sql = examples
    ? examples.sql.map(({ query, output }) => `\`\`\`console\n$ sqlite3 node_modules/stingerdb-sqlite/movies.sqlite "${query}"\n${output}\n\`\`\``).join('\n\n')
    : '';
  const tables = Object.entries(TABLES)
    .map(([name, t]) => {
      const rows = Object.entries(t.columns).map(([column, doc]) => `| \`${column}\` | ${SQL_TYPES[doc.type]} | ${cell(doc.description)} |`);
      return `### \`${name}\`\n\n${t.description}\n\n| column | type | meaning |\n|---|---|---|\n${rows.join('\n')}`;
    })
    .join('\n\n');
  const sources = input.sources
    .map((s) => `| [${s.name}](${s.homepage}) | ${cell(s.licence)} | ${s.attribution ? cell(s.attribution) : '—'} | [terms](${s.termsUrl}) |`)
    .join('\n');

  return `<!-- Generated by the stingerdb pipeline — do not edit. -->
# stingerdb

Does this film have a scene during the end credits, after them, or none — and how sure are we? stingerdb
answers that for ${input.count} films: per slot (during the credits, after them) \`"yes"\`, \`"no"\` or
\`"unknown"\`, with its calibrated probability and one sentence saying why — beside the verdicts sources
reported, the title, the year, the ids and the review scores (Metascore and Metacritic user score, Tomatometer
and audience score, IMDb rating, TMDB user score).

A missing value is \`null\`, never \`0\`, \`""\` or \`"%"\`. Zero dependencies; ESM and CommonJS; TypeScript
types with every field documented; Node 18 from 18.20, or 20.10 or later (the JSON imports below use import
attributes, which older releases lack); browsers, bundlers and edge runtimes too.

This package is each film's answer, and stays small at any size of the dataset. Two companion packages, released
from the same snapshot with the same version, hold the rest:

| package | what it holds | size of this snapshot |
|---|---|---|
| \`stingerdb\` (this one) | each film's answer: \`movies.answers.json\`, the same lookups below | ${size(input.sizes.answers)} of answers |
| \`stingerdb-records\` | the full records (\`Movie\`: details, synopsis, cast, every score with its source and date, the credit scenes with their evidence), \`movies.compact.json\`, the JSON Schema — and the same lookups returning full records | ${size(input.sizes.full)} + ${size(input.sizes.compact)} |
| \`stingerdb-sqlite\` | all of it as one SQLite database | ${size(input.sizes.sqlite)} |

## Your first five minutes

\`\`\`sh
npm install stingerdb
\`\`\`

Save this as \`${QUICK_START_FILE}\` and run it:

${quickStart}

\`answer\` is what to show; \`probability\` how likely a scene plays there (show it when the answer is
\`"unknown"\`: "Probably not (11%)"). \`during\` and \`after\` are what sources reported: \`true\` yes; \`false\`
no, and only when a source gives positive evidence of absence; \`null\` not reported — never read \`null\` as
"no". See "The answer" below.

## Lookups

| function | returns |
|---|---|
| \`getMovie(id)\` | the answer (\`MovieAnswer\`) of a film by its stingerdb id — the IMDb id, or \`"tmdb:<n>"\` while no IMDb id is known — or \`undefined\` |
| \`findByTmdbId(n)\` | the answer of a film by its TMDB id (a positive whole number, or a string of decimal digits such as \`'603'\`; anything else, \`'0x25B'\` included, matches nothing), or \`undefined\` |
| \`creditScenes(id)\` | the verdicts and the answer per slot (\`CreditAnswer\`: \`during\`, \`after\`, \`confidence\`, \`slots\` — the same shape as a full record's \`creditScenes\`, without its scenes and evidence), or \`undefined\` |
| \`search(text, { year?, limit? })\` | films whose title or original title matches, case-, accent- and punctuation-insensitive; exact titles first (default limit 20; options or a field null or undefined mean the default; a limit that is not a positive whole number throws a \`TypeError\`) |
| \`all()\` | every film's answer |
| \`info()\` | version, schema version and counts of this snapshot |
| \`scores()\` | the scores this dataset carries, in order (\`ScoreInfo\`: group, field, count field, label, scale, how it is written) — also \`stingerdb/scores.json\` |
| \`fold(text)\` | a title folded the way \`search\` folds it, for keys of your own |

A \`MovieAnswer\` is flat, every key present: \`id\`, \`tmdbId\`, \`title\`, \`year\`, \`during\`, \`after\`,
\`confidence\`, per slot \`duringAnswer\` / \`duringProbability\` / \`duringBasis\` / \`duringWhy\` (and the same
for \`after\`), and the six scores as bare numbers (\`metascore\`, \`metacriticUserScore\`, \`tomatometer\`,
\`audienceScore\`, \`imdbRating\`, \`tmdbVoteAverage\`).

The lookups are synchronous and read only what they need: \`movies.index.json\` (loaded on the first lookup)
gives the byte range of each film's line in \`movies.answers.json\`, so \`getMovie\` reads and parses one line;
\`search\` loads the folded titles (\`movies.titles.json\`) on its first call. Nothing is read at import time.
\`all()\` parses every line once and returns the same array on every call, frozen deeply: changing it throws a
\`TypeError\` in strict mode (ES modules) and does nothing otherwise, so no caller can change what the next one
gets; take \`structuredClone(all())\` to edit. \`getMovie\` and \`search\` give fresh answers, yours to change.

${lookups}

CommonJS works the same way: \`const { getMovie, creditScenes } = require('stingerdb');\`. In TypeScript the
types come with the package (\`MovieAnswer\`, \`CreditAnswer\`, \`SlotAnswer\`, and the full record's \`Movie\`…):
\`import { getMovie, type MovieAnswer } from 'stingerdb';\`.

## In a browser, a bundler or an edge runtime

Bundlers and edge runtimes resolve \`stingerdb\` (conditions \`browser\`, \`worker\`; or \`stingerdb/browser\`) to
\`browser.js\`: the same lookups, async (\`await getMovie(id)\`), reading this package's files by \`fetch\` — one
film per lookup by an HTTP Range request, never the whole dataset. It reads from the folder it was loaded from
(a CDN serving npm packages); a bundled site gives the folder where it serves them, pinned to one version:
\`configure({ baseUrl: 'https://cdn.jsdelivr.net/npm/stingerdb@<version>/' })\`. \`open(baseUrl, { fetch })\` gives
the lookups for a base and a fetch of your own. \`all()\` is Node-only (it reads every answer).

## Full records: stingerdb-records

\`\`\`sh
npm install stingerdb-records
\`\`\`

The same lookups, returning full records (\`Movie\`), plus \`compact()\`; and the whole dataset as JSON:

\`\`\`js
import { getMovie } from 'stingerdb-records';                                       // getMovie(id): Movie
import movies from 'stingerdb-records/movies.json' with { type: 'json' };          // Movie[], ${size(input.sizes.full)}
import films from 'stingerdb-records/movies.compact.json' with { type: 'json' };   // CompactMovie[], ${size(input.sizes.compact)}
\`\`\`

A full record's answer is \`creditScenes.slots\` (the same \`SlotAnswer\` as here), beside the scenes, the
evidence of every source, the details and every score with its source and date. Switching from \`stingerdb\` to
\`stingerdb-records\` is a change of the import: the functions are the same. Install the same version of each
when you use both (\`info().version\`): their files come from one snapshot. \`stingerdb-records/schema.json\` is
the JSON Schema of a record. \`stingerdb/datapackage.json\` describes every file of the three packages as a
[Frictionless Data Package](https://datapackage.org/) (resources with Table Schemas, sources with their
licences); \`stingerdb/manifest.json\` lists counts, coverage and the size and sha256 of every file.

## SQLite

The same data in tables any SQLite client opens, with an index on every id and FTS5 full-text search on
titles, is the companion package \`stingerdb-sqlite\` (${size(input.sizes.sqlite)}):

\`\`\`sh
npm install stingerdb-sqlite
\`\`\`

It holds \`movies.sqlite\` (\`require.resolve('stingerdb-sqlite/movies.sqlite')\` gives its path). \`meta\` holds
the package \`version\` and the \`schemaVersion\`.

${sql}

${tables}

## Files

- \`index.js\`, \`index.cjs\` (Node), \`browser.js\` (browsers, bundlers, edge runtimes) and their declarations.
- \`movies.answers.json\` — each film's answer, sorted by id, one per line: an array of values in the order of
  \`columns\` in \`movies.index.json\` (each column named in its \`whyColumns\` as a position in its \`whys\`).
- \`movies.index.json\` — the columns, the why sentences and the ids (each the lines of one string) and the byte range of each film's line; \`movies.tmdb.json\` — the TMDB ids with their rows (used by the lookups).
- \`movies.titles.json\` — folded titles and years (used by \`search\`).
- \`scores.json\` — the scores and how to show each.
- \`datapackage.json\` — Frictionless Data Package descriptor of the three packages' files.
- \`manifest.json\` — version, counts, coverage per field and per source, conflicts, size and sha256 of every file.
- \`changes.json\`, \`CHANGES.md\` — what changed in each release.

## What the verdict means

\`during\` is true when at least one scene — story, gag, bloopers or outtakes, sequel setup, musical number —
plays while the end credits run; \`after\` is true when a scene plays after all the credits have finished.
Audio alone, still images, dedication or in-memoriam cards, "X will return" text cards and trailers never
make a slot true; they are listed in \`scenes\` with their kind. \`false\` needs positive evidence of absence;
\`null\` means unknown. The reference is the theatrical release. \`evidence\` lists what each source claimed.

## The answer

\`creditScenes.slots.during\` and \`creditScenes.slots.after\` answer *should I stay for the credits?* for
every film, beside what sources reported:

- \`answer\`: \`"yes"\` (a scene plays there), \`"no"\` (nothing worth staying for) or \`"unknown"\` (not sure
  enough either way — show the probability, e.g. "Probably not (11%)");
- \`probability\`: P(a scene plays there), calibrated on hand-checked films (among slots given 0.9, about nine
  in ten have one); \`null\` when nothing is known;
- \`basis\`: \`"reported"\` (a source's claim about the slot decides it), \`"inferred"\` (from what sources did
  not say: a list that would have named the film, a report that names only the other slot) or \`"none"\`;
- \`why\`: one plain sentence to show as it is.

A slot reported \`true\` is never answered "no", nor one reported \`false\` "yes". How the probability is
measured, and how often the answers are right: the stingerdb repository's README, "The answer".

## Data dictionary

${input.dictionary}

## Sources, attribution and terms

| source | licence or terms | attribution | |
|---|---|---|---|
${sources}

Each record lists in \`sources\` the responses it was built from, and each score and each piece of credit-scene
evidence names its source. When you show or redistribute this data, give the attribution above and follow
each source's terms; some of them (TMDB) do not allow commercial use.

**Licence.** \`LICENSE\` in this package: the code (\`index.js\`, \`index.cjs\`, the declarations) is MIT; the data
comes under the terms of its sources above, so the package as a whole is for non-commercial use wherever it
carries TMDB or OMDb values. Values whose source is Wikidata (CC0), the AfterCredits feed or the MCU API (MIT)
carry no such limit. \`datapackage.json\` says it per field: each column of the answers and of the compact records lists
the \`sources\` its values come from in this snapshot, with their \`licenses\`.

## Versioning

Versions read \`<major>.<YYYYMMDD>.<n>\`, e.g. \`2.20261202.0\`: the release date, and \`n\` counting
releases of the same day. A data refresh never breaks \`^2\`: within a major version fields are only added,
never removed, renamed or retyped, and no file leaves the package; a change that breaks a reader is a new major
(2: the package holds each film's answer, the full records and SQLite moved to the companion packages
\`stingerdb-records\` and \`stingerdb-sqlite\`; the record schema, \`schemaVersion\`, is still 1). A refresh in which nothing changed publishes no new version. The version is in \`package.json\`,
\`info().version\`, \`manifest.json\` and the SQLite \`meta\` table; pin an exact version when you need reproducible answers.
`;
}

/** How each documented column type is stored. */
const SQL_TYPES: Readonly<Record<ColumnDoc['type'], string>> = { string: 'TEXT', date: 'TEXT (ISO date)', integer: 'INTEGER', number: 'REAL' };

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/**
 * The companion package's README (\`sqlite/README.md\`): what it holds, how to open it, its tables (the same
 * documentation as the dataset README's), and where the terms are.
 */
export function sqlitePackageReadme(input: { count: number; bytes: number }): string {
  const tables = Object.entries(TABLES)
    .map(([name, t]) => `- \`${name}\`: ${cell(t.description)}`)
    .join('\n');
  return `<!-- Generated by the stingerdb pipeline — do not edit. -->
# ${SQLITE_PACKAGE.name}

The [stingerdb](https://www.npmjs.com/package/stingerdb) dataset — end-credit scenes, the answer per slot, film
details and review scores of ${input.count} films — as one SQLite database, \`movies.sqlite\` (${size(input.bytes)}): normalized
tables, an index on every id, FTS5 full-text search on titles. Released with \`stingerdb\` from the same
snapshot, with the same version; it is a package of its own so that a JSON user's install does not carry it.

\`\`\`sh
npm install ${SQLITE_PACKAGE.name}
sqlite3 node_modules/${SQLITE_PACKAGE.name}/movies.sqlite "SELECT id, title, year, during_credits, after_credits FROM movies LIMIT 3"
\`\`\`

From Node: \`new Database(require.resolve('${SQLITE_PACKAGE.name}/movies.sqlite'), { readonly: true })\` with
better-sqlite3. \`meta\` holds the package \`version\` and the record \`schemaVersion\`.

## Tables

${tables}

Every column is documented in the \`stingerdb\` package's README ("SQLite") and in its \`datapackage.json\`.

## Licence

See \`LICENSE\`: the data comes under the terms of the sources it was read from — non-commercial as a whole
while it carries TMDB or OMDb values.
`;
}

/** The records companion's README (\`records/README.md\`): what it holds and how to use it. */
export function recordsPackageReadme(input: { count: number; sizes: { full: number; compact: number } }): string {
  return `<!-- Generated by the stingerdb pipeline — do not edit. -->
# ${RECORDS_PACKAGE.name}

The full records of the [stingerdb](https://www.npmjs.com/package/stingerdb) dataset — ${input.count} films: details,
synopsis, cast, every review score with its source and date, the credit scenes with the evidence of every source,
and the answer per slot (\`creditScenes.slots\`). Released with \`stingerdb\` from the same snapshot, with the same
version; \`stingerdb\` itself carries each film's answer only, so that its install stays small.

\`\`\`sh
npm install ${RECORDS_PACKAGE.name}
\`\`\`

\`\`\`js
import { getMovie, findByTmdbId, creditScenes, search, all, compact, info, scores, fold } from '${RECORDS_PACKAGE.name}';
import movies from '${RECORDS_PACKAGE.name}/movies.json' with { type: 'json' };          // Movie[], ${size(input.sizes.full)}
import films from '${RECORDS_PACKAGE.name}/movies.compact.json' with { type: 'json' };   // CompactMovie[], ${size(input.sizes.compact)}
\`\`\`

The lookups are \`stingerdb\`'s, returning full records (\`Movie\`; \`creditScenes(id)\` gives \`CreditVerdict\`,
scenes included), synchronous, reading one record per lookup (\`movies.index.json\` gives its byte range in
\`movies.json\`); \`compact()\` gives every film in compact form. Browsers, bundlers and edge runtimes get
\`browser.js\` (conditions \`browser\`, \`worker\`, or \`${RECORDS_PACKAGE.name}/browser\`): the same lookups, async,
one HTTP Range request per record. \`schema.json\` is the JSON Schema of a record; the data dictionary, the
sources and their terms are in the \`stingerdb\` package's README.

## Licence

See \`LICENSE\`: the code is MIT; the data comes under the terms of the sources it was read from — non-commercial
as a whole while it carries TMDB or OMDb values.
`;
}
