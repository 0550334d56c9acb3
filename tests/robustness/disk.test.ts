/**
 * Durable writes on a hostile disk. On real small file systems (a tmpfs mounted for the test, as root): a
 * nearly full disk during an observation save and during a publish — the error names the path and "disk
 * full", the old file or snapshot stays byte for byte, no temporary is left — and a read-only observation
 * folder; each is one line and exit 1 from the command line, never a stack trace. Then: every errno a person
 * can act on translated; an observation file cut off mid-line stops the run before collecting or building,
 * naming file and line; temporaries of a writer killed with SIGKILL are removed at the next start, ignored by
 * git and never committed by `commit:snapshot`.
 *
 * The mounts need root: elsewhere those tests are skipped with a notice.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  ftruncateSync,
  fstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DamagedObservationsError, FileSystemError, shownPath } from '../../src/errors.ts';
import { onFile, temporaryPathOf } from '../../src/lib/files.ts';
import { Observation } from '../../src/schema/observation.ts';
import { ObservationStore } from '../../src/observations/store.ts';
import type { Movie } from '../../src/schema/movie.ts';
import { runPipeline } from '../../src/pipeline/run.ts';
import { SqliteWriter } from '../../src/publish/sqlite.ts';
import { CORPUS_DIR, REPO_ROOT } from '../helpers/corpus.ts';
import { filesOf } from '../helpers/folder.ts';

const ROOT = mkdtempSync(path.join(tmpdir(), 'stingerdb-disk-'));
const mounts: string[] = [];

/** Mounts a tmpfs of `size` (`192k`, `1m`) at a new folder; null when this process cannot (not root, no mount). */
function mountTmpfs(name: string, size: string): string | null {
  const dir = path.join(ROOT, name);
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return null;
  }
  mounts.push(dir);
  return dir;
}

const CAN_MOUNT = process.getuid?.() === 0 && mountTmpfs('probe', '64k') !== null;
if (!CAN_MOUNT) console.warn('disk.test.ts: not root, or mount -t tmpfs failed: the full-disk and read-only tests are skipped');

afterAll(() => {
  // A SQLite thread stopped after a failure may still hold its (deleted) file for a moment: detach lazily then.
  for (const dir of mounts.reverse()) if (spawnSync('umount', [dir]).status !== 0) spawnSync('umount', ['-l', dir]);
  rmSync(ROOT, { recursive: true, force: true });
});

/** Fills the file system of `dir` until `leave` bytes (rounded to pages) are free. */
function fillUp(dir: string, leave: number): void {
  const filler = path.join(dir, 'filler');
  const fd = openSync(filler, 'w');
  try {
    const block = Buffer.alloc(1 << 16, 1);
    try {
      for (;;) writeSync(fd, block);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    }
    ftruncateSync(fd, Math.max(0, fstatSync(fd).size - leave));
  } finally {
    closeSync(fd);
  }
}

const TSX = path.join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs');

/** Runs the command line as a person would (a child process), from the repository. */
function cli(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', TSX, path.join(REPO_ROOT, 'src/cli.ts'), ...args, '--quiet'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const STACK_LINE = /^\s+at /m;
const COMMITTED_FEED = readFileSync(path.join(REPO_ROOT, 'observations/aftercredits.jsonl'), 'utf8');
const FEED_LINES = COMMITTED_FEED.trimEnd().split('\n');
/** An older, smaller AfterCredits file (what a store holds before a refresh brings the rest of the feed). */
const OLDER_FEED = `${FEED_LINES.slice(0, 1000).join('\n')}\n`;

/** The AfterCredits feed collected from the recorded corpus into `observations`: the save rewrites the file whole. */
function collectFeed(observations: string, state: string) {
  return cli('collect', '--replay', CORPUS_DIR, '--only', 'aftercredits', '--observations', observations, '--state', state);
}

function creditObservation(movie: string): Observation {
  return Observation.parse({
    source: 'aftercredits',
    movie,
    kind: 'creditScenes',
    url: 'https://raw.githubusercontent.com/Kometa-Team/AfterCredits/master/aftercredits.yml',
    observedAt: '2026-11-27',
    ids: { imdb: movie },
    during: true,
    after: null,
    strength: 'strong',
    scenes: [],
  });
}

describe.skipIf(!CAN_MOUNT)('a nearly full disk', () => {
  it('an observation save fails naming the file and "disk full"; the old file stays byte for byte, no temporary is left', () => {
    const disk = mountTmpfs('full-observations', '2m')!;
    const observations = path.join(disk, 'observations');
    mkdirSync(observations);
    const file = path.join(observations, 'aftercredits.jsonl');
    writeFileSync(file, OLDER_FEED);
    fillUp(disk, 64 * 1024);

    // In-process: the typed error, with its path and errno.
    const store = ObservationStore.load(observations);
    store.put(Array.from({ length: 400 }, (_, i) => creditObservation(`tt${String(9_000_000 + i).padStart(7, '0')}`)));
    let error: unknown;
    try {
      store.save();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FileSystemError);
    expect(error).toMatchObject({ errno: 'ENOSPC', path: file, operation: 'writing' });
    expect((error as Error).message).toBe(`${file}: disk full (ENOSPC) while writing — the previous file is kept; free some space and run again`);
    expect(readFileSync(file, 'utf8')).toBe(OLDER_FEED);
    expect(readdirSync(observations)).toEqual(['aftercredits.jsonl']);

    // The whole feed collected from the command line: one line, exit 1, the file untouched.
    const run = collectFeed(observations, path.join(ROOT, 'full-observations-state'));
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toBe(`${file}: disk full (ENOSPC) while writing — the previous file is kept; free some space and run again\n`);
    expect(readFileSync(file, 'utf8')).toBe(OLDER_FEED);
    expect(readdirSync(observations)).toEqual(['aftercredits.jsonl']);

    // Space freed, the rerun writes the whole file.
    rmSync(path.join(disk, 'filler'));
    const rerun = collectFeed(observations, path.join(ROOT, 'full-observations-state'));
    expect(rerun.status, rerun.stderr).toBe(0);
    // What the same collect writes on a disk with room: the older file's films kept, the feed's filed.
    const roomy = path.join(ROOT, 'roomy-observations');
    mkdirSync(roomy, { recursive: true });
    writeFileSync(path.join(roomy, 'aftercredits.jsonl'), OLDER_FEED);
    expect(collectFeed(roomy, path.join(ROOT, 'roomy-state')).status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(path.join(roomy, 'aftercredits.jsonl'), 'utf8'));
    expect(readFileSync(file, 'utf8').split('\n').length).toBeGreaterThan(FEED_LINES.length * 0.9);
  }, 120_000);

  it('a publish fails naming the file and "disk full", says the previous snapshot stays, and leaves it byte for byte', async () => {
    const disk = mountTmpfs('full-dataset', '16m')!;
    const outDir = path.join(disk, 'dataset');
    cpSync(path.join(REPO_ROOT, 'dataset'), outDir, { recursive: true });
    const before = filesOf(outDir);
    fillUp(disk, 512 * 1024);

    const build = runPipeline({ steps: { collect: false, build: true }, observationsDir: path.join(REPO_ROOT, 'observations'), outDir });
    const error = await build.then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(FileSystemError);
    expect(error).toMatchObject({ errno: 'ENOSPC' });
    expect((error as FileSystemError).path.startsWith(`${outDir}.staging-`)).toBe(true);
    expect((error as Error).message).toMatch(/: disk full \(ENOSPC\) while \w+.* — nothing was published: the previous snapshot in .*\/dataset stays as it was; free some space and run again$/);
    expect(readdirSync(disk).sort()).toEqual(['dataset', 'filler']);
    const after = filesOf(outDir);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const [name, bytes] of Object.entries(before)) expect(after[name]!.equals(bytes), name).toBe(true);
  }, 120_000);

  it('SQLite running out of space ("database or disk is full") is a disk-full error naming movies.sqlite', () => {
    const disk = mountTmpfs('full-sqlite', '192k')!;
    const file = path.join(disk, 'movies.sqlite');
    const movies = JSON.parse(readFileSync(path.join(REPO_ROOT, 'dataset/records/movies.json'), 'utf8')) as Movie[];
    const writer = new SqliteWriter(file, { schemaVersion: '1' });
    let error: unknown;
    try {
      for (const movie of movies) writer.add(movie);
      writer.finish();
    } catch (caught) {
      error = caught;
      writer.abort();
    }
    expect(error).toBeInstanceOf(FileSystemError);
    expect(error).toMatchObject({ errno: 'ENOSPC', path: file });
    expect((error as Error).message).toBe(`${file}: disk full (ENOSPC) while writing; free some space and run again`);
  }, 60_000);
});

describe.skipIf(!CAN_MOUNT)('a read-only observation folder', () => {
  it('a save says "read-only" with the path and what to do, in one line, exit 1', () => {
    const disk = mountTmpfs('read-only', '1m')!;
    const observations = path.join(disk, 'observations');
    mkdirSync(observations);
    const file = path.join(observations, 'aftercredits.jsonl');
    writeFileSync(file, OLDER_FEED);
    // As root, chmod would not stop a write: the file system itself is made read-only.
    execFileSync('mount', ['-o', 'remount,ro', disk]);

    const store = ObservationStore.load(observations);
    store.put([creditObservation('tt9000001')]);
    expect(() => store.save()).toThrow(expect.objectContaining({ errno: 'EROFS', path: file }));

    // A run stops at once: it cannot even take the lock beside the folder.
    const run = collectFeed(observations, path.join(ROOT, 'read-only-state'));
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toBe(`${observations}.lock: read-only file system (EROFS) while taking the run lock — nothing was read or written; make it writable (or point the option at a writable folder) and run again\n`);
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(readFileSync(file, 'utf8')).toBe(OLDER_FEED);
  }, 120_000);
});

describe('file-system errors a person can act on', () => {
  it('each errno becomes a FileSystemError naming the path, what was being done and what to do; others pass through', () => {
    const file = '/data/observations/tmdb.jsonl';
    const reasons: Record<string, RegExp> = {
      ENOSPC: /disk full \(ENOSPC\) while writing; free some space/,
      EDQUOT: /disk quota exceeded \(EDQUOT\) while writing; free some space \(or raise the quota\)/,
      EROFS: /read-only file system \(EROFS\) while writing; make it writable/,
      EACCES: /permission denied \(EACCES\) while writing; give this user write access/,
      EPERM: /operation not permitted \(EPERM\) while writing; give this user write access/,
      ENOTDIR: /a part of the path is a file, not a folder \(ENOTDIR\) while writing; move that file out of the way/,
      EISDIR: /a folder is where the file should be \(EISDIR\) while writing; move that folder out of the way/,
    };
    for (const [errno, reason] of Object.entries(reasons)) {
      const injected = Object.assign(new Error(`${errno}: injected`), { code: errno });
      let error: unknown;
      try {
        onFile(file, 'writing', () => {
          throw injected;
        });
      } catch (caught) {
        error = caught;
      }
      expect(error, errno).toBeInstanceOf(FileSystemError);
      expect(error).toMatchObject({ path: file, operation: 'writing', errno, cause: injected });
      expect((error as FileSystemError).message).toMatch(new RegExp(`^${file}: ${reason.source}`));
      expect((error as FileSystemError).advice).toMatch(/ and run again$/);
    }
    const io = Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
    expect(() => onFile(file, 'writing', () => { throw io; })).toThrow(io);
    expect(FileSystemError.from(io, file, 'writing')).toBeNull();
  });

  it('shows a path inside the working folder relative to it', () => {
    expect(shownPath(path.join(process.cwd(), 'observations', 'aftercredits.jsonl'))).toBe(path.join('observations', 'aftercredits.jsonl'));
    expect(shownPath('/elsewhere/observations/tmdb.jsonl')).toBe('/elsewhere/observations/tmdb.jsonl');
  });
});

describe('an observation file cut off mid-line', () => {
  /** The committed AfterCredits file cut in the middle of line `line`. */
  function cutFeed(name: string, line: number): { observations: string; file: string } {
    const observations = path.join(ROOT, name, 'observations');
    mkdirSync(observations, { recursive: true });
    const file = path.join(observations, 'aftercredits.jsonl');
    const kept = FEED_LINES.slice(0, line - 1).join('\n');
    writeFileSync(file, `${kept}\n${FEED_LINES[line - 1]!.slice(0, 100)}`);
    return { observations, file };
  }

  it('is an error naming the file and line, never read as fewer observations', () => {
    const { observations, file } = cutFeed('cut', 1351);
    const store = ObservationStore.load(observations);
    expect(() => store.verify()).toThrow(DamagedObservationsError);
    expect(() => store.sources()).toThrow(DamagedObservationsError);
    const message = (() => {
      try {
        store.verify();
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toBe(
      `${file}:1351: cut off mid-line (truncated file?)\n` +
        `stopped before collecting or building: restore the committed copy (git checkout -- ${observations}/) or remove the file to start that source afresh`,
    );

    // A last line that is whole but lacks its newline is read; a line cut in the middle of the file is "not JSON".
    writeFileSync(file, FEED_LINES.slice(0, 1351).join('\n'));
    expect(ObservationStore.load(observations).size).toBe(1351);
    writeFileSync(file, `${[...FEED_LINES.slice(0, 4), FEED_LINES[4]!.slice(0, 100), ...FEED_LINES.slice(5)].join('\n')}\n`);
    expect(() => ObservationStore.load(observations).verify()).toThrow(/aftercredits\.jsonl:5: not JSON \(/);
  });

  it('stops a run before collecting or building: exit 1, file:line and the way out, no dataset and no run state', () => {
    const { observations, file } = cutFeed('cut-run', 1351);
    const outDir = path.join(ROOT, 'cut-run', 'dataset');
    const stateDir = path.join(ROOT, 'cut-run', 'state');
    const run = cli('run', '--replay', CORPUS_DIR, '--only', 'aftercredits', '--observations', observations, '--out', outDir, '--state', stateDir);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr.split('\n')).toEqual([
      `${file}:1351: cut off mid-line (truncated file?)`,
      `stopped before collecting or building: restore the committed copy (git checkout -- ${observations}/) or remove the file to start that source afresh`,
      '',
    ]);
    expect(existsSync(outDir)).toBe(false);
    expect(existsSync(stateDir)).toBe(false);
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(1351);
  }, 120_000);
});

describe('temporaries of an interrupted save', () => {
  it('one left by a writer killed with SIGKILL is removed at the next start; one of a live writer is left alone', async () => {
    const observations = path.join(ROOT, 'killed', 'observations');
    mkdirSync(observations, { recursive: true });
    const file = path.join(observations, 'aftercredits.jsonl');
    writeFileSync(file, OLDER_FEED);

    // A writer that dies between writing its temporary and renaming it.
    const writer = spawn(
      process.execPath,
      ['--import', TSX, '--input-type=module', '-e', `import { writeFileDurable, temporaryPathOf } from ${JSON.stringify(path.join(REPO_ROOT, 'src/lib/files.ts'))};
writeFileDurable(temporaryPathOf(process.argv[1]), 'half a file');
process.stdout.write('written');
setInterval(() => {}, 1000);`, file],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => writer.stdout!.once('data', () => resolve()));
    const killed = new Promise((resolve) => writer.once('exit', resolve));
    writer.kill('SIGKILL');
    await killed;
    const stale = temporaryPathOf(file, writer.pid);
    expect(existsSync(stale)).toBe(true);

    // Another run, alive, writing its own temporary; and one of this very process (a save that never finished).
    const other = spawn('sleep', ['60']);
    const live = temporaryPathOf(file, other.pid);
    const own = temporaryPathOf(file);
    writeFileSync(live, 'being written');
    writeFileSync(own, 'left over');
    try {
      const logs: string[] = [];
      await runPipeline({ steps: { collect: false, build: true }, observationsDir: observations, outDir: path.join(ROOT, 'killed', 'dataset'), log: (line) => logs.push(line) });
      expect(readdirSync(observations).sort()).toEqual(['aftercredits.jsonl', path.basename(live)]);
      expect(logs.filter((line) => line.includes('interrupted save')).sort()).toEqual([own, stale].sort().map((f) => `observations: removed ${f} (left by an interrupted save)`));
      expect(readFileSync(file, 'utf8')).toBe(OLDER_FEED);
    } finally {
      other.kill('SIGKILL');
    }
  }, 60_000);

  it('git ignores them', () => {
    const ignored = spawnSync('git', ['check-ignore', '--no-index', 'observations/aftercredits.jsonl.tmp-4242', 'dataset/movies.json.tmp-7'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(ignored.stdout.trim().split('\n')).toEqual(['observations/aftercredits.jsonl.tmp-4242', 'dataset/movies.json.tmp-7']);
    const kept = spawnSync('git', ['check-ignore', '--no-index', 'observations/aftercredits.jsonl'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(kept.status).toBe(1);
  });

  it('commit:snapshot commits the observation files and the snapshot files, never a temporary', () => {
    const repo = path.join(ROOT, 'commit');
    mkdirSync(path.join(repo, 'observations'), { recursive: true });
    mkdirSync(path.join(repo, 'dataset', 'records'), { recursive: true });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
    git('init', '-q');
    // No .gitignore here: the script itself must leave temporaries out.
    writeFileSync(path.join(repo, 'observations', 'aftercredits.jsonl'), OLDER_FEED);
    writeFileSync(path.join(repo, 'observations', 'aftercredits.jsonl.tmp-4242'), 'half a file');
    writeFileSync(path.join(repo, 'dataset', 'records', 'movies.json'), '[\n]\n');
    const manifest = JSON.stringify({ version: '2.20261127.0', files: { 'records/movies.json': {} } });
    writeFileSync(path.join(repo, 'dataset', 'manifest.json'), manifest);
    writeFileSync(path.join(repo, 'dataset', 'records', 'manifest.json'), manifest);
    writeFileSync(path.join(repo, 'dataset', 'records', 'movies.json.tmp-4242'), '[');
    writeFileSync(path.join(repo, 'README.md'), '# a copy\n\n<!-- snapshot counts -->\nstale\n<!-- /snapshot counts -->\n');
    const env = { ...process.env, GITHUB_ACTIONS: '', GITHUB_OUTPUT: '' };
    const result = spawnSync(process.execPath, ['--import', TSX, path.join(REPO_ROOT, 'scripts/commit-snapshot.ts')], { cwd: repo, encoding: 'utf8', env });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe('committed dataset 2.20261127.0\n');
    expect(git('show', '--name-only', '--format=%s', 'HEAD').split('\n')).toEqual([
      'Data: stingerdb 2.20261127.0',
      '',
      'README.md',
      'dataset/manifest.json',
      'dataset/records/manifest.json',
      'dataset/records/movies.json',
      'observations/aftercredits.jsonl',
    ]);
    expect(git('status', '--porcelain')).toBe('?? dataset/records/movies.json.tmp-4242\n?? observations/aftercredits.jsonl.tmp-4242');
    // The README's paragraph of what the snapshot holds is rewritten with it.
    expect(readFileSync(path.join(repo, 'README.md'), 'utf8')).toContain('What the committed snapshot holds: **0 films**');
  });
});
