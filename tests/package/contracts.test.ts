/**
 * The readers' contracts at their edges — the dataset package's (each film's answer) and the records
 * companion's (full records) — through the ESM and the CommonJS entry alike: `search` options
 * (null or undefined mean the defaults; a limit that is not a positive whole number is a TypeError, never a
 * silently shortened answer), `findByTmdbId` (a positive whole number or a string of decimal digits, nothing
 * that merely converts to one), and `all()` / `compact()` (deeply frozen: a caller cannot change what later
 * calls return). And both packages' `engines` admit exactly the Node releases the README's JSON imports run on.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishSnapshot } from '../../src/publish/snapshot.ts';
import { SOURCE_TERMS } from '../../src/scrapers/index.ts';
import { movieRecord } from '../helpers/records.ts';

let root: string;
let datasetDir: string;

const FILMS = [
  movieRecord('tt0133093', { ids: { imdb: 'tt0133093', tmdb: 603 }, title: 'The Matrix', year: 1999 }),
  movieRecord('tt0234215', { ids: { imdb: 'tt0234215', tmdb: 604 }, title: 'The Matrix Reloaded', year: 2003 }),
  movieRecord('tt0242653', { ids: { imdb: 'tt0242653', tmdb: 605 }, title: 'The Matrix Revolutions', year: 2003 }),
];

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'stingerdb-contracts-'));
  datasetDir = path.join(root, 'dataset');
  publishSnapshot({ terms: SOURCE_TERMS, outDir: datasetDir, movies: FILMS, extras: { sources: {}, creditConflicts: [] }, date: new Date('2026-11-27T00:00:00Z') });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The two readers: the dataset package's and the records companion's (its folder inside the snapshot). */
const READERS = [
  { name: 'stingerdb', folder: () => datasetDir },
  { name: 'stingerdb-records', folder: () => path.join(datasetDir, 'records') },
];

/** Runs `probes` (an expression over `$`, the module) through the ESM entry and the CommonJS entry of the reader in `folder`; both must print the same. */
function probe(probes: string, folder = datasetDir): unknown {
  const body = `const attempt = (f) => { try { return { value: f() }; } catch (e) { return { error: e.constructor.name, message: e.message }; } };\nconsole.log(JSON.stringify(${probes}));\n`;
  const esmFile = path.join(root, 'probe.mjs');
  const cjsFile = path.join(root, 'probe.cjs');
  writeFileSync(esmFile, `import * as $ from ${JSON.stringify(path.join(folder, 'index.js'))};\n${body}`);
  writeFileSync(cjsFile, `'use strict';\nconst $ = require(${JSON.stringify(path.join(folder, 'index.cjs'))});\n${body}`);
  const esm = execFileSync(process.execPath, [esmFile], { encoding: 'utf8' });
  const cjs = execFileSync(process.execPath, [cjsFile], { encoding: 'utf8' });
  expect(cjs, 'the CommonJS entry answers as the ESM entry does').toBe(esm);
  return JSON.parse(esm);
}

const ids = (expression: string) => `attempt(() => ${expression}.map((m) => m.id))`;

describe.each(READERS)('$name: search options', ({ folder }) => {
  it('null and undefined options, and null fields, mean the defaults', () => {
    const [plain, withNull, withUndefined, nullFields] = probe(
      `[${ids("$.search('matrix')")}, ${ids("$.search('matrix', null)")}, ${ids("$.search('matrix', undefined)")}, ${ids("$.search('matrix', { year: null, limit: null })")}]`,
      folder(),
    ) as { value: string[] }[];
    expect(plain!.value).toEqual(['tt0133093', 'tt0234215', 'tt0242653']);
    expect([withNull, withUndefined, nullFields]).toEqual([plain, plain, plain]);
  });

  it('a limit that is not a positive whole number is a TypeError naming the option, never a shortened answer', () => {
    const results = probe(`[-1, 0, 1.5, '2', NaN, Infinity].map((limit) => ${ids("$.search('matrix', { limit })")})`, folder()) as { error?: string; message?: string }[];
    for (const result of results) {
      expect(result.error).toBe('TypeError');
      expect(result.message).toMatch(/limit/);
    }
    expect(probe(`[${ids("$.search('matrix', { limit: 2 })")}, ${ids("$.search('matrix', { limit: 3 })")}, ${ids("$.search('matrix', { limit: 50 })")}]`, folder())).toEqual([
      { value: ['tt0133093', 'tt0234215'] },
      { value: ['tt0133093', 'tt0234215', 'tt0242653'] },
      { value: ['tt0133093', 'tt0234215', 'tt0242653'] },
    ]);
  });

  it('a year that is not a whole number, or options that are not an object, are a TypeError', () => {
    const results = probe(`[${ids("$.search('matrix', { year: '2003' })")}, ${ids("$.search('matrix', 5)")}, ${ids("$.search('matrix', { year: 2003 })")}]`, folder()) as {
      error?: string;
      value?: string[];
    }[];
    expect(results.map((r) => r.error)).toEqual(['TypeError', 'TypeError', undefined]);
    expect(results[2]!.value).toEqual(['tt0234215', 'tt0242653']);
  });
});

describe.each(READERS)('$name: findByTmdbId', ({ folder }) => {
  it('finds a film by a positive whole number or a string of decimal digits', () => {
    expect(probe(`[603, '603', 604.0, '605'].map((id) => $.findByTmdbId(id)?.id)`, folder())).toEqual(['tt0133093', 'tt0133093', 'tt0234215', 'tt0242653']);
  });

  it('matches nothing for what only converts to a TMDB id: hex, exponent, padded, signed, fractional, arrays, booleans', () => {
    const probes = `['0x25B', '6.03e2', '603.0', ' 603', '603 ', '+603', '-603', '', '0', 0, -603, 603.5, [603], true, null, undefined, 603n, '٦٠٣']`;
    expect(probe(`${probes}.map((id) => $.findByTmdbId(id) === undefined)`, folder())).toEqual(Array(18).fill(true));
  });
});

describe('stingerdb: all()', () => {
  it('returns a deeply frozen array of answers: changing it throws, and later calls answer as before', () => {
    const result = probe(`(() => {
  const tries = [
    attempt(() => $.all().push({})),
    attempt(() => { $.all()[0].title = 'Changed'; }),
    attempt(() => { $.all()[0].afterAnswer = 'yes'; }),
    attempt(() => $.all().sort((a, b) => (a.id < b.id ? 1 : -1))),
  ].map((t) => t.error);
  return { tries, all: $.all().map((m) => [m.id, m.title, m.afterAnswer]), frozen: Object.isFrozen($.all()), compact: typeof $.compact };
})()`);
    expect(result).toEqual({ tries: Array(4).fill('TypeError'), all: FILMS.map((m) => [m.id, m.title, 'unknown']), frozen: true, compact: 'undefined' });
  });

  it('getMovie and search give a fresh answer each call: changing one changes nothing else', () => {
    expect(probe(`(() => { const a = $.getMovie('tt0133093'); a.title = 'Changed'; $.search('matrix')[0].title = 'Changed'; return [$.getMovie('tt0133093').title, $.search('matrix')[0].title, $.all()[0].title]; })()`)).toEqual([
      'The Matrix',
      'The Matrix',
      'The Matrix',
    ]);
  });
});

describe('stingerdb-records: all() and compact()', () => {
  const records = () => path.join(datasetDir, 'records');
  it('return deeply frozen arrays: changing them throws, and later calls answer as before', () => {
    const result = probe(`(() => {
  const tries = [
    attempt(() => $.all().push({})),
    attempt(() => { $.all()[0].title = 'Changed'; }),
    attempt(() => { $.all()[0].creditScenes.after = true; }),
    attempt(() => $.all()[0].genres.push('drama')),
    attempt(() => $.all().sort((a, b) => (a.id < b.id ? 1 : -1))),
    attempt(() => $.compact().pop()),
    attempt(() => { $.compact()[0].title = 'Changed'; }),
  ].map((t) => t.error);
  return { tries, all: $.all().map((m) => [m.id, m.title, m.creditScenes.after, m.genres.length]), compact: $.compact().map((f) => [f.id, f.title]), frozen: Object.isFrozen($.all()) && Object.isFrozen($.compact()) };
})()`, records());
    expect(result).toEqual({
      tries: Array(7).fill('TypeError'),
      all: FILMS.map((m) => [m.id, m.title, null, 0]),
      compact: FILMS.map((m) => [m.id, m.title]),
      frozen: true,
    });
  });

  it('getMovie and search give a fresh record each call: changing one changes nothing else', () => {
    expect(probe(`(() => { const a = $.getMovie('tt0133093'); a.title = 'Changed'; $.search('matrix')[0].title = 'Changed'; return [$.getMovie('tt0133093').title, $.search('matrix')[0].title, $.all()[0].title]; })()`, records())).toEqual([
      'The Matrix',
      'The Matrix',
      'The Matrix',
    ]);
  });
});

/** Whether Node `version` satisfies `range`, for the two forms the package uses: `^a.b.c` and `>=a.b.c`, joined by `||`. */
function satisfies(version: string, range: string): boolean {
  const parse = (v: string) => v.split('.').map(Number) as [number, number, number];
  const compare = (a: number[], b: number[]) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;
  const v = parse(version);
  return range.split('||').some((part) => {
    const [, operator, bound] = /^\s*(\^|>=)(\d+\.\d+\.\d+)\s*$/.exec(part) ?? [];
    if (!operator) throw new Error(`unexpected range part "${part}"`);
    const b = parse(bound!);
    return compare(v, b) >= 0 && (operator === '>=' || v[0] === b[0]);
  });
}

describe('the Node releases the package supports', () => {
  it.each(READERS)('$name: engines admit the releases with JSON import attributes (18.20+, 20.10+) and no others, and the README says the same', ({ folder }) => {
    const { engines } = JSON.parse(readFileSync(path.join(folder(), 'package.json'), 'utf8')) as { engines: { node: string } };
    const admitted = ['18.0.0', '18.19.1', '18.20.0', '18.20.8', '19.9.0', '20.0.0', '20.9.0', '20.10.0', '20.19.0', '22.0.0', '24.1.0'].filter((v) => satisfies(v, engines.node));
    expect(admitted).toEqual(['18.20.0', '18.20.8', '20.10.0', '20.19.0', '22.0.0', '24.1.0']);
    const readme = readFileSync(path.join(datasetDir, 'README.md'), 'utf8');
    expect(readme).toContain("with { type: 'json' }");
    expect(readme.replace(/\s+/g, ' ')).toContain('Node 18 from 18.20, or 20.10 or later');
  });
});
