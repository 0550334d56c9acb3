/**
 * One run at a time: an exclusive lock per folder a run writes (the run state, `observations/`, `dataset/`),
 * held for the whole run and released on every way out (normal end, error, signal, `process.exit`).
 *
 * The lock of a folder is a file beside it, `<folder>.lock` (`dataset.lock`): `dataset/` is replaced by a
 * rename when a snapshot is published, so a lock inside it would move away with the old snapshot. The file
 * holds who took it (pid, host, when, the process's start time, the command) as JSON. It appears whole: it is
 * written under a private name and hard-linked into place, which, like `open(…, 'wx')`, fails when the lock
 * exists — and no reader ever sees it empty or half-written.
 *
 * A lock left by a process that is gone (killed with SIGKILL, the machine rebooted) is taken over with one line
 * of notice: its pid is not alive, or it is alive but started at another time than the lock says (the pid was
 * reused by an unrelated process; the start time comes from `/proc/<pid>/stat`, where there is one). A lock
 * taken on another host is never judged stale from here.
 */
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { FileSystemError, LockedError } from '../errors.ts';
import { onFile, writeFileDurable } from '../lib/files.ts';

/** What a lock file says about the run holding it. */
export interface LockHolder {
  pid: number;
  host: string;
  /** When the run took the lock (ISO date-time). */
  startedAt: string;
  /** The process's start time in clock ticks since boot (`/proc/<pid>/stat`, field 22); null where unknown. */
  processStart: string | null;
  /** The command that took it (`stingerdb run --replay …`). */
  command: string;
}

/** Locks held by this process, released when it exits however it exits. */
const held = new Set<RunLock>();
let exitHookInstalled = false;

/** The locks of one run, taken together; `release` gives them all back. */
export class RunLock {
  private constructor(private readonly files: Map<string, string>) {}

  /**
   * Locks every folder in `folders` (absolute paths), or none: when one is held by a live run, those already
   * taken are given back and `LockedError` names the holder. Stale locks are taken over, each with a line to `log`.
   */
  static acquire(folders: readonly string[], command: string, log: (line: string) => void = () => undefined): RunLock {
    const lock = new RunLock(new Map());
    try {
      for (const folder of new Set(folders.map((f) => path.resolve(f)))) lock.files.set(lockFileOf(folder), takeLock(folder, command, log));
    } catch (error) {
      lock.release();
      throw error;
    }
    held.add(lock);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', () => {
        for (const l of held) l.release();
      });
    }
    return lock;
  }

  /** Removes the lock files that are still this run's (idempotent). */
  release(): void {
    for (const [file, content] of this.files) {
      try {
        if (readFileSync(file, 'utf8') === content) unlinkSync(file);
      } catch {
        // Already gone: nothing to give back.
      }
    }
    this.files.clear();
    held.delete(this);
  }
}

/** `<folder>.lock`, beside the folder. */
export function lockFileOf(folder: string): string {
  return `${path.resolve(folder)}.lock`;
}

/** The live run holding `folder`'s lock, if any (a stale or unreadable lock counts as none; nothing is changed). */
export function lockHolder(folder: string): LockHolder | null {
  const holder = readHolder(lockFileOf(folder));
  return holder && staleness(holder) === null ? holder : null;
}

/** The `LockedError` a run gets when `holder` holds `folder`. */
export function lockedError(folder: string, holder: LockHolder): LockedError {
  return new LockedError(path.resolve(folder), lockFileOf(folder), holder.pid, holder.startedAt, holder.host === hostname() ? null : holder.host);
}

function takeLock(folder: string, command: string, log: (line: string) => void): string {
  const file = lockFileOf(folder);
  try {
    return onFile(file, 'taking the run lock', () => takeLockFile(folder, file, command, log));
  } catch (error) {
    throw error instanceof FileSystemError ? error.retold('nothing was read or written', { path: file, operation: 'taking the run lock' }) : error;
  }
}

function takeLockFile(folder: string, file: string, command: string, log: (line: string) => void): string {
  mkdirSync(path.dirname(file), { recursive: true });
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    processStart: processStartOf(process.pid),
    command,
  };
  const content = `${JSON.stringify(me)}\n`;
  // Three tries: a takeover can lose a race with another run taking over the same stale lock.
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createWhole(file, content)) return content;
    const holder = readHolder(file);
    if (!holder) {
      // Unreadable: not written by this code (a lock file is never seen half-written). Left for a person.
      throw new LockedError(path.resolve(folder), file, null, null, null);
    }
    const stale = staleness(holder);
    if (stale === null) throw lockedError(folder, holder);
    if (takeOver(file, holder)) log(`${file}: taking over a stale lock (pid ${holder.pid}, started ${holder.startedAt}: ${stale})`);
  }
  const holder = readHolder(file);
  throw holder ? lockedError(folder, holder) : new LockedError(path.resolve(folder), file, null, null, null);
}

/** Creates `file` with `content` in one step; false when it exists. */
function createWhole(file: string, content: string): boolean {
  const draft = `${file}.${process.pid}.draft`;
  writeFileDurable(draft, content);
  try {
    linkSync(draft, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(draft);
  }
}

/**
 * Moves a stale lock out of the way. The rename is atomic, so of two runs taking over the same lock one moves
 * it; if what was moved turns out to be a fresh lock (the other run's, taken meanwhile), it is put back.
 */
function takeOver(file: string, stale: LockHolder): boolean {
  const aside = `${file}.${process.pid}.stale`;
  try {
    renameSync(file, aside);
  } catch {
    return false;
  }
  const moved = readHolder(aside);
  if (moved && (moved.pid !== stale.pid || moved.startedAt !== stale.startedAt)) {
    try {
      linkSync(aside, file);
    } catch {
      // Someone else holds it by now; the next try reads theirs.
    }
    unlinkSync(aside);
    return false;
  }
  unlinkSync(aside);
  return true;
}

function readHolder(file: string): LockHolder | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (!Number.isInteger(value.pid) || typeof value.startedAt !== 'string' || typeof value.host !== 'string') return null;
    return { pid: value.pid!, host: value.host, startedAt: value.startedAt, processStart: value.processStart ?? null, command: String(value.command ?? '') };
  } catch {
    return null;
  }
}

/** Why a holder's lock is stale, or null when its run may still be going on. */
function staleness(holder: LockHolder): string | null {
  if (holder.host !== hostname()) return null;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: alive, only not ours to signal.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return 'that process is gone';
  }
  const start = processStartOf(holder.pid);
  if (holder.processStart && start && start !== holder.processStart) return `pid ${holder.pid} is now another process`;
  return null;
}

/** A process's start time (clock ticks since boot) from `/proc/<pid>/stat`; null without procfs. */
function processStartOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces or parentheses: count after the last one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}
