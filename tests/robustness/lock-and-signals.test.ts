/**
 * One run at a time, and signals that stop the whole process tree — tested on the real command line:
 * `npm run pipeline`, live against a loopback that stands for TMDB (`tests/fixtures/route-sources.mjs` sends the
 * CLI's requests there) and holds its answers back, so a run lasts as long as the test needs.
 *
 * - a second run while one holds the folders exits 2 at once naming the holder; the first completes and publishes;
 * - a stale lock (dead pid, or a pid now used by another process) is taken over with a notice; a failing run
 *   releases its locks; the drift check refuses to read folders a run holds;
 * - SIGTERM to npm, SIGINT to the process group (a terminal's Ctrl-C) and npm killed outright each stop the
 *   whole tree within seconds, leave the previous snapshot byte for byte, print one line saying what was kept,
 *   and the same command run again resumes from the journal and publishes.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LockedError, RunStoppedError, UsageError, StopRequest } from '../../src/errors.ts';
import { checkDrift } from '../../src/pipeline/drift.ts';
import { lockFileOf, RunLock } from '../../src/pipeline/lock.ts';
import { runPipeline, type RunOptions } from '../../src/pipeline/run.ts';
import { REPO_ROOT } from '../helpers/corpus.ts';
import { dirs, HOUR, KEY, runAgainstMirror, startMirror, T0, type Mirror } from '../helpers/tmdb-mirror.ts';
import { filesOf } from '../helpers/folder.ts';

type Dirs = ReturnType<typeof dirs>;
const FIRST_VERSION = '2.20261127.0';
const LATER = T0 + 48 * HOUR;

let mirror: Mirror;
/** Fight Club's details as recorded (a stopped run is started after its score changed). */
let fightClub: string;
const roots: string[] = [];
const newDirs = (name: string) => {
  const d = dirs(name);
  roots.push(d.root);
  return d;
};

beforeAll(async () => {
  mirror = await startMirror();
  fightClub = mirror.bodies.get('/3/movie/550')!;
});
afterAll(async () => {
  mirror.release();
  await mirror.server.close();
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A run inside the test process, answered by the mirror at once. */
function runHere(d: Dirs, at: number, extra: Partial<RunOptions> = {}) {
  return runAgainstMirror(mirror, d, at, extra);
}

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `npm run pipeline -- …` live over the mirror, in its own process group (like a job started from a terminal). */
function npmPipeline(d: Dirs, at: number): { proc: ChildProcess; exited: Promise<Finished>; output: Promise<Finished> } {
  const proc = spawn('npm', ['run', 'pipeline', '--', '--only', 'tmdb', '--watchlist', d.watchlist, '--out', d.outDir, '--observations', d.observationsDir, '--state', d.stateDir, '-q'], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      TMDB_API_KEY: KEY,
      STINGERDB_NOW: new Date(at).toISOString(),
      SOURCE_DATE_EPOCH: String(Math.floor(at / 1000)),
      NODE_OPTIONS: `--import=${pathToFileURL(path.join(REPO_ROOT, 'tests/fixtures/route-sources.mjs')).href}`,
      STINGERDB_TEST_ROUTES: JSON.stringify({ 'https://api.themoviedb.org': mirror.server.origin }),
    },
  });
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (c) => (stdout += c));
  proc.stderr!.on('data', (c) => (stderr += c));
  // `exit`: npm itself ended; `close`: every process writing to its pipes (the whole tree) has ended too.
  const exited = new Promise<Finished>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  const output = new Promise<Finished>((resolve) => proc.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { proc, exited, output };
}

/** The CLI run by hand (`node --import tsx src/cli.ts run …`), as a second run would be started. */
function cliPipeline(d: Dirs, at: number): Promise<Finished> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'run', '--only', 'tmdb', '--watchlist', d.watchlist, '--out', d.outDir, '--observations', d.observationsDir, '--state', d.stateDir, '-q'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TMDB_API_KEY: KEY, STINGERDB_NOW: new Date(at).toISOString() },
  });
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (c) => (stdout += c));
  proc.stderr!.on('data', (c) => (stderr += c));
  return new Promise((resolve) => proc.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/** Resolves once `condition` holds (checked every 20 ms); the test's own timeout bounds it. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 20));
}

/** Pid → parent pid of every process, from /proc. */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      map.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Ended while we looked.
    }
  }
  return map;
}

/** The pids of `root` and all its descendants, now. */
function tree(root: number): number[] {
  const all = parents();
  const found = [root];
  for (let i = 0; i < found.length; i++) for (const [pid, ppid] of all) if (ppid === found[i] && !found.includes(pid)) found.push(pid);
  return found;
}

/** Which of `pids` still run, after waiting up to 10 s for them to end. */
async function survivors(pids: readonly number[]): Promise<number[]> {
  const alive = () => pids.filter((pid) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '));
  const deadline = Date.now() + 10_000;
  while (alive().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return alive();
}

/** Every file of a folder with its sha256 (the snapshot, byte for byte). */
function digests(dir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(filesOf(dir)).map(([name, content]) => [name, createHash('sha256').update(content).digest('hex')]));
}

function journalSize(d: Dirs): number {
  if (!existsSync(path.join(d.stateDir, 'state.sqlite'))) return 0;
  const db = new Database(path.join(d.stateDir, 'state.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM journal').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function lockFilesOf(d: Dirs): string[] {
  return [d.stateDir, d.observationsDir, d.outDir].map(lockFileOf).filter((file) => existsSync(file));
}

/** A pid no process has: one that ran and ended. */
function deadPid(): number {
  const probe = spawnSync('true');
  return probe.pid!;
}

describe('one run at a time', () => {
  it('a second run while the first holds the folders exits 2 at once; the first completes and publishes', async () => {
    const d = newDirs('two-runs');
    mirror.requests = [];
    mirror.holdAfter = 2;
    const first = npmPipeline(d, T0);
    try {
      await until(() => mirror.requests.length > 2);
      const holder = JSON.parse(readFileSync(lockFileOf(d.stateDir), 'utf8')) as { pid: number; startedAt: string; host: string; command: string };
      expect(holder.host).toBe(hostname());
      expect(holder.command).toMatch(/^stingerdb run --only tmdb /);
      expect(tree(first.proc.pid!)).toContain(holder.pid);

      const second = await cliPipeline(d, T0);
      expect(second.code, second.stderr).toBe(2);
      expect(second.stderr.trim()).toBe(
        `another run (pid ${holder.pid}, started ${holder.startedAt}) holds ${d.stateDir}: wait for it to end, or remove ${d.stateDir}.lock if no stingerdb run is going on`,
      );
      expect(existsSync(d.outDir)).toBe(false);
    } finally {
      mirror.release();
    }
    const done = await first.output;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain(`is now ${FIRST_VERSION}`);
    expect(JSON.parse(readFileSync(path.join(d.outDir, 'manifest.json'), 'utf8')).version).toBe(FIRST_VERSION);
    expect(lockFilesOf(d)).toEqual([]);
  }, 60_000);

  it('a stale lock of a process that is gone is taken over with a notice', async () => {
    const d = newDirs('stale');
    const pid = deadPid();
    for (const folder of [d.stateDir, d.observationsDir, d.outDir]) {
      writeFileSync(lockFileOf(folder), JSON.stringify({ pid, host: hostname(), startedAt: '2026-11-26T01:00:00.000Z', processStart: '1', command: 'stingerdb run' }));
    }
    const logs: string[] = [];
    const report = await runHere(d, T0, { log: (line) => logs.push(line) });
    expect(report.publish?.version).toBe(FIRST_VERSION);
    expect(logs.filter((line) => line.includes('stale lock'))).toEqual(
      [d.stateDir, d.observationsDir, d.outDir].map((f) => `${f}.lock: taking over a stale lock (pid ${pid}, started 2026-11-26T01:00:00.000Z: that process is gone)`),
    );
    expect(lockFilesOf(d)).toEqual([]);
  });

  it('a lock whose pid now belongs to another process (started at another time) is stale too', async () => {
    const d = newDirs('reused');
    // This test process is alive, but it is not the process that wrote the lock: its start time differs.
    writeFileSync(lockFileOf(d.outDir), JSON.stringify({ pid: process.pid, host: hostname(), startedAt: '2026-11-26T01:00:00.000Z', processStart: '1', command: 'stingerdb build' }));
    const logs: string[] = [];
    const report = await runHere(d, T0, { log: (line) => logs.push(line) });
    expect(report.publish?.version).toBe(FIRST_VERSION);
    expect(logs).toContain(`${d.outDir}.lock: taking over a stale lock (pid ${process.pid}, started 2026-11-26T01:00:00.000Z: pid ${process.pid} is now another process)`);
  });

  it('a run that fails releases its locks', async () => {
    const d = newDirs('failing');
    await expect(runHere(d, T0, { replay: path.join(d.root, 'no-corpus-here') })).rejects.toThrow(UsageError);
    expect(lockFilesOf(d)).toEqual([]);
    // …so the next run is not held up by it.
    expect((await runHere(d, T0)).publish?.version).toBe(FIRST_VERSION);
  });

  it('a live holder refuses a run in the same process, and the drift check will not read folders a run holds', async () => {
    const d = newDirs('held');
    await runHere(d, T0);
    const lock = RunLock.acquire([d.outDir], 'stingerdb build');
    try {
      await expect(runHere(d, T0)).rejects.toThrow(LockedError);
      expect(() => checkDrift({ observationsDir: d.observationsDir, outDir: d.outDir })).toThrow(new RegExp(`^another run \\(pid ${process.pid}, started [^)]+\\) holds ${d.outDir}:`));
    } finally {
      lock.release();
    }
    expect(checkDrift({ observationsDir: d.observationsDir, outDir: d.outDir })).toEqual({
      ok: true,
      message: `${d.outDir}/ matches ${d.observationsDir}/ (${FIRST_VERSION}): every file as its manifest lists it.`,
    });
  });
});

describe('a stop seen during the build', () => {
  it('publishes nothing: the build runs without a pause, so the stop is looked for before the swap', async () => {
    const d = newDirs('stop-in-build');
    await runHere(d, T0);
    const rebuilt = path.join(d.root, 'rebuilt');
    const stop = new AbortController();
    // Fires at the run's first pause: a build-only run has none before its records are all built.
    setImmediate(() => stop.abort(new StopRequest('SIGTERM')));
    await expect(runPipeline({ steps: { collect: false, build: true }, observationsDir: d.observationsDir, outDir: rebuilt, stateDir: d.stateDir, signal: stop.signal })).rejects.toThrow(
      new RunStoppedError('SIGTERM', 'by SIGTERM', `${rebuilt}/ not created, nothing published`),
    );
    expect(readdirSync(d.root).filter((name) => name.startsWith('rebuilt'))).toEqual([]);
    expect(lockFilesOf({ ...d, outDir: rebuilt })).toEqual([]);
  });
});

describe('signals stop the whole process tree', () => {
  /**
   * Publishes a first snapshot, then starts `npm run pipeline` two days later (everything due again, one score
   * changed: it would publish a new version), lets two answers through and holds the rest, and stops it with `stop`.
   */
  async function stoppedRun(name: string, stop: (npmPid: number) => void) {
    const d = newDirs(name);
    mirror.bodies.set('/3/movie/550', fightClub);
    await runHere(d, T0);
    const before = digests(d.outDir);
    mirror.bodies.set('/3/movie/550', JSON.stringify({ ...JSON.parse(fightClub), vote_average: 9.1 }));
    mirror.requests = [];
    mirror.holdAfter = 2;
    const run = npmPipeline(d, LATER);
    let pids: number[] = [];
    try {
      // Two answers are in the run's journal, the next requests are waiting for theirs.
      await until(() => mirror.requests.length > 2 && journalSize(d) >= 2);
      pids = tree(run.proc.pid!);
      expect(pids.length, 'npm and the pipeline process').toBeGreaterThanOrEqual(2);
      stop(run.proc.pid!);
      const exited = await run.exited;
      const left = await survivors(pids);
      // Whatever the outcome, nothing of this test is left running (and the pipes close).
      for (const pid of left) process.kill(pid, 'SIGKILL');
      const output = await run.output;
      return { d, before, exited, left, output, pids };
    } finally {
      mirror.release();
    }
  }

  /** What every stopped run must leave: the previous snapshot, the journal, no lock — and a rerun that resumes. */
  async function expectResumable(d: Dirs, before: Record<string, string>, stderr: string, why: string) {
    expect(digests(d.outDir)).toEqual(before);
    expect(readdirSync(d.root).filter((name) => name.startsWith('dataset.'))).toEqual([]);
    expect(lockFilesOf(d)).toEqual([]);
    const kept = journalSize(d);
    expect(kept).toBeGreaterThanOrEqual(1);
    const lines = stderr.split('\n').filter((line) => line.startsWith('stopped '));
    expect(lines).toEqual([`stopped ${why}: ${d.outDir}/ still ${FIRST_VERSION}, nothing published; ${kept} answers kept in the run journal — run the same command again to resume`]);

    const logs: string[] = [];
    const again = await runHere(d, LATER, { log: (line) => logs.push(line) });
    expect(again.resumed).toBe(kept);
    expect(again.publish).toMatchObject({ changed: true, version: '2.20261129.0', previousVersion: FIRST_VERSION });
    expect(journalSize(d)).toBe(0);
  }

  it('SIGTERM to npm: the pipeline stops too, exit 143, nothing published, a rerun resumes', async () => {
    const { d, before, exited, left, output } = await stoppedRun('sigterm', (pid) => process.kill(pid, 'SIGTERM'));
    expect(left, 'processes of the tree still running').toEqual([]);
    expect(exited.code, output.stderr).toBe(143);
    await expectResumable(d, before, output.stderr, 'by SIGTERM');
  }, 90_000);

  it('SIGINT to the process group (Ctrl-C): exit 130, nothing published, a rerun resumes', async () => {
    const { d, before, exited, left, output } = await stoppedRun('sigint', (pid) => process.kill(-pid, 'SIGINT'));
    expect(left, 'processes of the tree still running').toEqual([]);
    expect(exited.code, output.stderr).toBe(130);
    await expectResumable(d, before, output.stderr, 'by SIGINT');
  }, 90_000);

  it('npm killed outright (SIGKILL): the pipeline notices its parent is gone and stops the same way', async () => {
    const { d, before, exited, left, output, pids } = await stoppedRun('orphan', (pid) => process.kill(pid, 'SIGKILL'));
    expect(exited.signal).toBe('SIGKILL');
    expect(left, 'processes of the tree still running').toEqual([]);
    await expectResumable(d, before, output.stderr, `because its parent process (pid ${pids[0]}) ended`);
  }, 90_000);
});
