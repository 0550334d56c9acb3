/**
 * Publish safety, through the command line (`main`, in process): publishing replaces only a snapshot folder
 * (or a new or empty one) and refuses every other folder, and the wrong kind of observation store or run
 * state, before collecting anything; an unreadable previous snapshot is a refusal, not a first run; a version
 * is never issued twice; the drift check verifies every file of the snapshot; bad inputs are one clear line
 * with the right exit code, never a stack trace.
 *
 * Runs replay the recorded corpus with `--only aftercredits` (one feed, ~2,000 films, about a second each).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.ts';
import { PublishRefusedError, WrongFolderError } from '../../src/errors.ts';
import { RunState } from '../../src/pipeline/state.ts';
import { publishSnapshot } from '../../src/publish/snapshot.ts';
import { historyVersions } from '../../src/publish/target.ts';
import { highestVersion, nextVersion } from '../../src/publish/version.ts';
import { CORPUS_DIR, REPO_ROOT } from '../helpers/corpus.ts';
import { runDirs, type RunDirs } from '../helpers/live-run.ts';
import { SOURCE_TERMS } from '../../src/scrapers/index.ts';

/** 2026-11-27T00:00:00Z: the release date every run here is pinned to. */
const EPOCH = '1795737600';
const DAY = '20261127';

interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** `stingerdb <args>` in process, its output captured; `env` is set for the call only. */
async function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  let out = '';
  let err = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  const saved = Object.fromEntries(['SOURCE_DATE_EPOCH', 'GITHUB_STEP_SUMMARY', ...Object.keys(env)].map((key) => [key, process.env[key]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  set({ SOURCE_DATE_EPOCH: EPOCH, GITHUB_STEP_SUMMARY: undefined, ...env });
  try {
    return { code: await main(args), out, err };
  } finally {
    set(saved);
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

/** A replayed run (`--only aftercredits`) over `dirs`, with `extra` options after the defaults. */
function run(dirs: RunDirs, ...extra: string[]): string[] {
  return [
    'run', '--replay', CORPUS_DIR, '--only', 'aftercredits', '--watchlist', dirs.watchlist,
    '--observations', dirs.observationsDir, '--out', dirs.outDir, '--state', dirs.stateDir, '-q', ...extra,
  ];
}

/** Every file under `dir` with its content, to compare before and after. */
function contents(dir: string): Record<string, string> {
  if (!statSync(dir).isDirectory()) return { '': readFileSync(dir, 'latin1') };
  return Object.fromEntries(readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort().map((name) => {
    const file = path.join(dir, name);
    return [name, statSync(file).isDirectory() ? '(folder)' : readFileSync(file, 'latin1')];
  }));
}

/** A usage error: exit 2, one message naming `what`, no stack trace. */
function expectUsage(result: CliResult, what: string): void {
  expect(result.code, result.err).toBe(2);
  expect(result.err).toContain(what);
  expect(result.err).not.toMatch(/unexpected error|\n\s+at /);
}

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function dirs(name: string): RunDirs {
  const made = runDirs(name, []);
  roots.push(made.root);
  return made;
}

describe('publishing replaces only a snapshot folder; the wrong folder is refused before anything is collected', () => {
  let d: RunDirs;
  /** Folders and files that are not what the options want, each with content to keep. */
  let observations: string;
  let notes: string;
  let file: string;
  let appManifest: string;
  beforeAll(() => {
    d = dirs('wrong-folder');
    observations = path.join(d.root, 'my-observations');
    cpSync(path.join(REPO_ROOT, 'observations'), observations, { recursive: true });
    notes = path.join(d.root, 'notes');
    mkdirSync(notes);
    writeFileSync(path.join(notes, 'todo.txt'), 'buy milk\n');
    file = path.join(d.root, 'file.txt');
    writeFileSync(file, 'a file, not a folder\n');
    appManifest = path.join(d.root, 'web-app');
    mkdirSync(appManifest);
    writeFileSync(path.join(appManifest, 'manifest.json'), '{"name":"My App","icons":[]}\n');
  });

  it.each([
    ['--out at an observation store', () => ['--out', observations], () => observations],
    ['--out at a folder of other files', () => ['--out', notes], () => notes],
    ['--out at a file', () => ['--out', file], () => file],
    ["--out at another program's manifest.json", () => ['--out', appManifest], () => appManifest],
    ['--observations at a file', () => ['--observations', file], () => file],
    ['--observations at a folder of other files', () => ['--observations', notes], () => notes],
    ['--state at a file', () => ['--state', file], () => file],
    ['--state at a folder of other files', () => ['--state', notes], () => notes],
  ])('%s: exit 2 naming it, nothing touched, nothing collected', async (_name, args, target) => {
    const before = contents(target());
    const result = await cli(run(d, ...args()));
    expectUsage(result, target());
    expect(contents(target())).toEqual(before);
    // Refused before collecting: the run made no observation store, no run state and no snapshot of its own.
    for (const own of [d.observationsDir, d.stateDir, d.outDir]) expect(existsSync(own), own).toBe(false);
  });

  it('npm run build and the drift check obey the same rule', async () => {
    const before = contents(observations);
    expectUsage(await cli(['build', '--observations', observations, '--out', observations, '--state', d.stateDir, '-q']), observations);
    expectUsage(await cli(['build', '--check', '--observations', observations, '--out', observations]), observations);
    expectUsage(await cli(['build', '--check', '--observations', notes, '--out', path.join(REPO_ROOT, 'dataset')]), notes);
    expect(contents(observations)).toEqual(before);
    expect(existsSync(d.stateDir)).toBe(false);
  });

  it('publishSnapshot goes through the same check', () => {
    const before = contents(notes);
    expect(() => publishSnapshot({ terms: SOURCE_TERMS, outDir: notes, movies: [], extras: { sources: {}, creditConflicts: [] } })).toThrow(WrongFolderError);
    expect(contents(notes)).toEqual(before);
  });

  it('publishes into an empty folder', async () => {
    const empty = path.join(d.root, 'empty');
    mkdirSync(empty);
    const result = await cli(run(d, '--out', empty));
    expect(result.code, result.err).toBe(0);
    expect(JSON.parse(readFileSync(path.join(empty, 'manifest.json'), 'utf8')).version).toBe(`2.${DAY}.0`);
  });
});

describe('an unreadable previous snapshot is a refusal; versions are never issued twice', () => {
  let d: RunDirs;
  const manifestOf = () => JSON.parse(readFileSync(path.join(d.outDir, 'manifest.json'), 'utf8')) as { version: string; counts: { movies: number } };
  const runs = () => {
    const db = new Database(path.join(d.stateDir, 'state.sqlite'), { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  beforeAll(async () => {
    d = dirs('broken-manifest');
    const first = await cli(run(d));
    if (first.code !== 0) throw new Error(`the first run failed: ${first.err}`);
  }, 120_000);

  it.each([
    ['a manifest that is not JSON', () => writeFileSync(path.join(d.outDir, 'manifest.json'), '{\n')],
    ['a manifest without its fields', () => writeFileSync(path.join(d.outDir, 'manifest.json'), '{"$comment":"Generated by the stingerdb pipeline — do not edit.","counts":{}}\n')],
    ['no manifest beside the package.json', () => rmSync(path.join(d.outDir, 'manifest.json'))],
  ])('%s: exit 1 naming the manifest and the way out, the snapshot untouched, nothing collected', async (_name, damage) => {
    const manifest = readFileSync(path.join(d.outDir, 'manifest.json'));
    damage();
    try {
      const before = contents(d.outDir);
      const runsBefore = runs();
      const result = await cli(run(d));
      expect(result.code, result.err).toBe(1);
      expect(result.err).toContain(path.join(d.outDir, 'manifest.json'));
      expect(result.err).toContain(`Restore it from git (git checkout -- ${d.outDir}/), or replace it anyway with --force-publish.`);
      expect(result.err).not.toMatch(/unexpected error|\n\s+at /);
      expect(contents(d.outDir)).toEqual(before);
      expect(runs()).toBe(runsBefore);
    } finally {
      writeFileSync(path.join(d.outDir, 'manifest.json'), manifest);
    }
  });

  it('published anyway (--force-publish), the new version is above every version issued, not the same again', async () => {
    expect(manifestOf().version).toBe(`2.${DAY}.0`);
    writeFileSync(path.join(d.outDir, 'manifest.json'), '{\n');
    const result = await cli(run(d, '--force-publish'));
    expect(result.code, result.err).toBe(0);
    expect(manifestOf().version).toBe(`2.${DAY}.1`);
    expect(manifestOf().counts.movies).toBeGreaterThan(1000);
    expect(historyVersions(d.outDir)).toEqual([`2.${DAY}.1`, `2.${DAY}.0`, `2.${DAY}.1`]);
  });

  it('the run state remembers the highest version issued: a snapshot gone with its notes does not restart the count', async () => {
    const state = RunState.open(d.stateDir);
    try {
      expect(state.highestVersion()).toBe(`2.${DAY}.1`);
    } finally {
      state.close();
    }
    rmSync(d.outDir, { recursive: true });
    const result = await cli(run(d));
    expect(result.code, result.err).toBe(0);
    expect(manifestOf().version).toBe(`2.${DAY}.2`);
  });

  it('nextVersion goes above the highest version of all it is given', () => {
    const day = new Date('2026-11-27T12:00:00Z');
    expect(nextVersion(['2.20261127.3', '2.20261126.9', 'garbage', null, undefined, '2.20261127.10'], day)).toBe('2.20261127.11');
    expect(nextVersion(['2.20261130.2', '2.20261127.0'], day)).toBe('2.20261130.3');
    expect(nextVersion(['0.20271231.5'], day)).toBe('2.20261127.0');
    // The first release of a new major starts that major, whatever the date of the last one of the old.
    expect(nextVersion(['1.20271231.14'], day)).toBe('2.20261127.0');
    expect(highestVersion(['2.20261127.9', '2.20261127.10', '2.20261126.99'])).toBe('2.20261127.10');
    expect(() => nextVersion(['3.20200101.0'], day)).toThrow(PublishRefusedError);
  });
});

describe('the drift check verifies every file of the snapshot, against its manifest and against a rebuild', () => {
  let root: string;
  let dataset: string;
  let observations: string;
  const check = () => cli(['build', '--check', '--observations', observations, '--out', dataset]);
  const restore = () => {
    rmSync(dataset, { recursive: true, force: true });
    cpSync(path.join(REPO_ROOT, 'dataset'), dataset, { recursive: true });
  };
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'stingerdb-drift-check-'));
    roots.push(root);
    dataset = path.join(root, 'dataset');
    observations = path.join(root, 'observations');
    cpSync(path.join(REPO_ROOT, 'observations'), observations, { recursive: true });
    restore();
  });

  it('says "matches" on an untouched copy of the committed dataset', async () => {
    const result = await check();
    expect(result.code, result.out).toBe(0);
    expect(result.out).toMatch(/matches/);
  });

  it('names every damaged, missing or extra file, with what to do', async () => {
    writeFileSync(path.join(dataset, 'records', 'movies.json'), 'garbage\n');
    rmSync(path.join(dataset, 'sqlite', 'movies.sqlite'));
    writeFileSync(path.join(dataset, 'sqlite', 'stray.txt'), 'x\n');
    const readme = readFileSync(path.join(dataset, 'README.md'));
    readme.writeUInt8(readme.readUInt8(100) ^ 1, 100); // same size, another sha256
    writeFileSync(path.join(dataset, 'README.md'), readme);
    writeFileSync(path.join(dataset, 'stray.txt'), 'x\n');
    const result = await check();
    restore();
    expect(result.code, result.out).toBe(1);
    const named = result.out.split('\n').filter((line) => line.startsWith('- ')).map((line) => line.slice(2, line.indexOf(':')));
    expect(named).toEqual(['README.md', 'records/movies.json', 'sqlite/movies.sqlite', 'sqlite/stray.txt', 'stray.txt']);
    expect(result.out).toMatch(/- records\/movies\.json: not the file manifest\.json lists \(8 bytes, listed \d+\); differs from what .*observations\/ give/);
    expect(result.out).toMatch(/- sqlite\/movies\.sqlite: missing\n/);
    expect(result.out).toMatch(/- sqlite\/stray\.txt: not listed in manifest\.json/);
    expect(result.out).toMatch(/- README\.md: not the file manifest\.json lists \(same size, another sha256\)/);
    expect(result.out).toMatch(/- stray\.txt: not listed in manifest\.json/);
    expect(result.out).toMatch(/restore it from git \(git checkout -- .*dataset\/\)/);
    expect(result.out).toMatch(/npm run build/);
  });

  it('checks the manifest itself: edited counts, or a manifest that cannot be read', async () => {
    const file = path.join(dataset, 'manifest.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/"movies": (\d+)/, (_m, n: string) => `"movies": ${Number(n) - 1}`));
    const edited = await check();
    writeFileSync(file, 'garbage');
    const unreadable = await check();
    restore();
    expect(edited.code, edited.out).toBe(1);
    expect(edited.out).toMatch(/- manifest\.json: differs from what .*observations\/ give/);
    expect(unreadable.code, unreadable.out).toBe(1);
    expect(unreadable.out).toMatch(/manifest\.json cannot be read .*git checkout -- /);
  });

  it('names the files a change of the observations would rewrite', async () => {
    const feed = path.join(observations, 'aftercredits.jsonl');
    const lines = readFileSync(feed, 'utf8').split('\n');
    writeFileSync(feed, [...lines.slice(0, 10), ...lines.slice(11)].join('\n'));
    const result = await check();
    cpSync(path.join(REPO_ROOT, 'observations', 'aftercredits.jsonl'), feed);
    expect(result.code, result.out).toBe(1);
    for (const name of ['records/movies.json', 'movies.answers.json', 'sqlite/movies.sqlite', 'manifest.json']) expect(result.out).toMatch(new RegExp(`- ${name.replace('.', '\\.')}: differs from what`));
    expect(result.out).not.toMatch(/not the file manifest\.json lists/);
    expect(result.out).toMatch(/npm run build/);
  });
});

describe('bad inputs are one clear message with the right exit code, never a stack trace', () => {
  let d: RunDirs;
  beforeAll(() => {
    d = dirs('bad-input');
  });

  it('a state.sqlite that is not a database: exit 1, the file named, remove it (a cache)', async () => {
    const state = path.join(d.root, 'broken-state');
    mkdirSync(state);
    writeFileSync(path.join(state, 'state.sqlite'), 'not a database, just text that is long enough to be read\n'.repeat(20));
    const result = await cli(run(d, '--state', state));
    expect(result.code, result.err).toBe(1);
    expect(result.err).toContain(path.join(state, 'state.sqlite'));
    expect(result.err).toMatch(/Remove it .*cache/);
    expect(result.err).not.toMatch(/unexpected error|\n\s+at /);
    expect(result.err.trim().split('\n')).toHaveLength(1);
  });

  it.each(['99999999999999', '253402300800', 'yesterday', '-5', '1.5'])('SOURCE_DATE_EPOCH=%s: exit 2, one line naming the value', async (value) => {
    const result = await cli(run(d), { SOURCE_DATE_EPOCH: value });
    expectUsage(result, `SOURCE_DATE_EPOCH="${value}"`);
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(existsSync(d.observationsDir)).toBe(false);
  });

  it.each([
    ['missing', () => path.join(d.root, 'no-such-watchlist.json'), /no such file/],
    ['unreadable (a folder)', () => d.root, /cannot be read/],
    ['not JSON', () => write('bad.json', '[{"imdb": '), /not JSON/],
    ['failing the schema', () => write('schema.json', '[{"imdb": "tt12"}]'), /0\.imdb/],
    ['listing a film twice', () => write('twice.json', '[{"imdb": "tt0137523"}, {"imdb": "tt0137523"}]'), /tt0137523/],
  ])('a watchlist %s: exit 2 with the file named', async (_name, file, reason) => {
    const result = await cli(run(d, '--watchlist', file()));
    expectUsage(result, `watchlist ${file()}`);
    expect(result.err).toMatch(reason);
    expect(existsSync(d.observationsDir)).toBe(false);
  });

  function write(name: string, text: string): string {
    const file = path.join(d.root, name);
    writeFileSync(file, text);
    return file;
  }
});
