/**
 * A consumer that outlives a publish: a Node process keeps calling the lookups — the dataset package's (answers)
 * and the records companion's (full records) — in a loop while the pipeline publishes new snapshots into the
 * same folder, again and again. Every answer must be one snapshot's or the other's — never a record read through the other snapshot's index (a `SyntaxError`, or another
 * film's bytes) — and once a publish is over, the lookups answer from the new snapshot.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Movie } from '../../src/schema/movie.ts';
import { toAnswer } from '../../src/publish/compact.ts';
import { publishSnapshot } from '../../src/publish/snapshot.ts';
import { buildSnapshot, removeSnapshot, type Snapshot } from '../helpers/snapshot.ts';
import { SOURCE_TERMS } from '../../src/scrapers/index.ts';

let snapshot: Snapshot;
let root: string;

beforeAll(async () => {
  snapshot = await buildSnapshot();
  root = mkdtempSync(path.join(tmpdir(), 'stingerdb-reader-swap-'));
}, 60_000);

afterAll(() => {
  removeSnapshot(snapshot);
  rmSync(root, { recursive: true, force: true });
});

/** The consumer: loops over lookups until told to stop, checking each answer against both snapshots. */
const CONSUMER = `
const fs = require('node:fs');
const [,, pkg, expectedFile, stopFile] = process.argv;
const reader = require(pkg);
const expected = JSON.parse(fs.readFileSync(expectedFile, 'utf8'));
const ids = Object.keys(expected.a);
const tally = { calls: 0, errors: 0, mixed: 0, fromA: 0, fromB: 0, firstProblem: null };
// Keys sorted, as the snapshot writes records.
const canonical = (v) => JSON.stringify(v, (k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => (p < q ? -1 : 1))) : x));
const judge = (id, got) => {
  const text = canonical(got);
  if (text === canonical(expected.a[id])) tally.fromA++;
  else if (text === canonical(expected.b[id])) tally.fromB++;
  else { tally.mixed++; tally.firstProblem ??= id + ': ' + text.slice(0, 200); }
};
let i = 0;
while (!fs.existsSync(stopFile)) {
  const id = ids[(i++ * 7919) % ids.length];
  tally.calls++;
  try {
    judge(id, reader.getMovie(id));
    if (i % 50 === 0) {
      const everything = reader.all();
      const versionA = canonical(everything[0]) === canonical(expected.a[everything[0].id]);
      const versionB = canonical(everything[0]) === canonical(expected.b[everything[0].id]);
      if (!versionA && !versionB) { tally.mixed++; tally.firstProblem ??= 'all(): neither snapshot'; }
    }
  } catch (error) {
    tally.errors++;
    tally.firstProblem ??= id + ': ' + error.constructor.name + ': ' + error.message;
  }
}
process.stdout.write(JSON.stringify(tally));
`;

/** Each reader, the file that loads it inside a snapshot, and what it gives of a record. */
const READERS = [
  { name: 'stingerdb', entry: 'index.cjs', view: (m: Movie): unknown => toAnswer(m) },
  { name: 'stingerdb-records', entry: 'records/index.cjs', view: (m: Movie): unknown => m },
];

describe.each(READERS)('a consumer of $name that outlives a publish', ({ name, entry, view }) => {
  it('reads each record from one snapshot or the other, never through the other snapshot’s index', async () => {
    const a = snapshot.movies;
    // Another snapshot of the same films whose records and answers are longer: every byte offset moves.
    const b = a.map((m) => ({ ...m, ...(m.title && { title: `Republished: ${m.title}` }), synopsis: `Republished. ${m.synopsis ?? 'A film.'}` })) as Movie[];
    const outDir = path.join(root, name, 'dataset');
    const publish = (movies: readonly Movie[], n: number) =>
      publishSnapshot({ terms: SOURCE_TERMS, outDir, movies, extras: { sources: {}, creditConflicts: [] }, date: new Date(Date.UTC(2026, 11, 1 + n)) });
    publish(a, 0);
    const expectedFile = path.join(root, name, 'expected.json');
    writeFileSync(expectedFile, JSON.stringify({ a: Object.fromEntries(a.map((m) => [m.id, view(m)])), b: Object.fromEntries(b.map((m) => [m.id, view(m)])) }));
    const consumerFile = path.join(root, name, 'consumer.cjs');
    writeFileSync(consumerFile, CONSUMER);
    const stopFile = path.join(root, name, 'stop');

    const child = spawn(process.execPath, [consumerFile, path.join(outDir, entry), expectedFile, stopFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let n = 1; n <= 8; n++) {
      publish(n % 2 ? b : a, n);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    writeFileSync(stopFile, '');
    expect(await exited, stderr).toBe(0);
    const tally = JSON.parse(stdout) as { calls: number; errors: number; mixed: number; fromA: number; fromB: number; firstProblem: string | null };
    expect(tally.firstProblem).toBeNull();
    expect(tally.errors).toBe(0);
    expect(tally.mixed).toBe(0);
    // The loop really ran across the publishes, and saw both snapshots.
    expect(tally.calls).toBeGreaterThan(500);
    expect(tally.fromA).toBeGreaterThan(0);
    expect(tally.fromB).toBeGreaterThan(0);
    expect(existsSync(stopFile)).toBe(true);
  }, 120_000);

  it('answers from the new snapshot once a publish is over, in the same process', () => {
    const outDir = path.join(root, name, 'sequential');
    const film = snapshot.movies.find((m, i) => i > 0 && m.title)!;
    const publish = (movies: readonly Movie[], n: number) =>
      publishSnapshot({ terms: SOURCE_TERMS, outDir, movies, extras: { sources: {}, creditConflicts: [] }, date: new Date(Date.UTC(2026, 11, 1 + n)) });
    const first = publish(snapshot.movies, 0).version;
    const script = path.join(root, name, 'sequential.cjs');
    writeFileSync(
      script,
      `const reader = require(${JSON.stringify(path.join(outDir, entry))});
       const before = [reader.getMovie(${JSON.stringify(film.id)}).title, reader.info().version, reader.all().length];
       process.stdin.once('data', () => {
         process.stdout.write(JSON.stringify({ before, after: [reader.getMovie(${JSON.stringify(film.id)}).title, reader.info().version, reader.all().length, reader.search('Renamed For The Test').length] }));
         process.exit(0);
       });
       process.stdout.write('ready\\n');`,
    );
    return new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out === 'ready\n') {
          const renamed = snapshot.movies.filter((m) => m.id !== snapshot.movies[0]!.id).map((m) => (m.id === film.id ? { ...m, title: 'Renamed For The Test' } : m));
          const version = publish(renamed, 1).version;
          child.stdin.write('go\n');
          child.on('close', () => {
            try {
              expect(err).toBe('');
              const { before, after } = JSON.parse(out.slice('ready\n'.length)) as { before: unknown[]; after: unknown[] };
              expect(before).toEqual([film.title, first, snapshot.movies.length]);
              expect(after).toEqual(['Renamed For The Test', version, snapshot.movies.length - 1, 1]);
              resolve();
            } catch (error) {
              reject(error);
            }
          });
        }
      });
    });
  }, 60_000);
});
