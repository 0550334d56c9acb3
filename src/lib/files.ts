/**
 * Writing files so that a failure never leaves half of one — the ground floor every file the pipeline writes
 * goes through (observation files, the dataset snapshot, its scratch files). Imports nothing from `src/` but
 * the errors.
 *
 * - Complete: `writeSync` may write fewer bytes than it was given (a nearly full disk does exactly that, and
 *   the next write fails); every write here loops until all are written or the disk says why not.
 * - Durable: a file that must survive a crash is flushed to the disk (fsync) before it replaces another, and
 *   its folder is flushed after the rename, so the new name survives a power cut too.
 * - Atomic: `writeFileAtomic` writes `<file>.tmp-<pid>` and renames it over the file; on any error the
 *   temporary is removed and the old file stays as it was. A writer killed mid-write (kill -9) leaves its
 *   temporary behind: `removeStaleTemporaries` removes those whose process is gone.
 * - Named: an errno a person can act on (disk full, read-only, permission…) comes out as a `FileSystemError`
 *   naming the path, instead of a stack trace.
 */
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { FileSystemError } from '../errors.ts';

/** Runs `act` on `file`; an errno a person can act on comes out as a `FileSystemError` about `file`. */
export function onFile<T>(file: string, operation: string, act: () => T): T {
  try {
    return act();
  } catch (error) {
    throw FileSystemError.from(error, file, operation) ?? error;
  }
}

/** A file written from its start, every byte it is given (`writeSync` is called again for what it did not write). */
export class FileOutput {
  private readonly fd: number;

  constructor(readonly file: string) {
    this.fd = onFile(file, 'creating it', () => openSync(file, 'w'));
  }

  write(data: string | Uint8Array): void {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    onFile(this.file, 'writing', () => {
      for (let written = 0; written < bytes.length; ) written += writeSync(this.fd, bytes, written, bytes.length - written);
    });
  }

  /** Flushes what was written to the disk: from now on it survives a crash. */
  sync(): void {
    onFile(this.file, 'flushing it to the disk', () => fsyncSync(this.fd));
  }

  close(): void {
    onFile(this.file, 'closing it', () => closeSync(this.fd));
  }
}

/** Writes `content` as the whole of `file` and flushes it to the disk. */
export function writeFileDurable(file: string, content: string | Uint8Array): void {
  const out = new FileOutput(file);
  try {
    out.write(content);
    out.sync();
  } finally {
    out.close();
  }
}

/**
 * Replaces `file` so that readers — and the file after a crash — see either the old content or the new one,
 * never a part: a complete, flushed temporary renamed over it, then the folder flushed. On any error the
 * temporary is removed, the old file stays, and the error (a `FileSystemError` when a person can act on it)
 * names `file`.
 */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  const temporary = temporaryPathOf(file);
  try {
    writeFileDurable(temporary, content);
    onFile(temporary, 'renaming it into place', () => renameSync(temporary, file));
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // The first error says more (and a folder that refuses this removal refused the temporary's creation).
    }
    if (error instanceof FileSystemError) throw error.retold(existsSync(file) ? 'the previous file is kept' : 'nothing was written', { path: file, operation: 'writing' });
    throw error;
  }
  syncFolder(path.dirname(file));
}

/** Flushes a file written by someone else (SQLite, without its own sync) to the disk. */
export function syncFile(file: string): void {
  flush(file, 'r+', 'it');
}

/** Flushes a folder's entries to the disk, so that a rename into it survives a crash. */
export function syncFolder(dir: string): void {
  flush(dir, 'r', 'the folder');
}

function flush(target: string, mode: 'r' | 'r+', what: string): void {
  const fd = onFile(target, `opening ${what}`, () => openSync(target, mode));
  try {
    onFile(target, `flushing ${what} to the disk`, () => fsyncSync(fd));
  } finally {
    closeSync(fd);
  }
}

/** The temporary that `writeFileAtomic` writes before renaming it over `file`: `<file>.tmp-<pid>`. */
export function temporaryPathOf(file: string, pid = process.pid): string {
  return `${file}.tmp-${pid}`;
}

const TEMPORARY = /\.tmp-(\d+)$/;

/**
 * Removes the temporaries in `dir` that no write is under way on: those of a process that is gone (killed
 * mid-write), and this process's own (its writes are synchronous: none is under way while this runs). A
 * temporary of a live process — another run writing into the same folder — is left alone. Returns the
 * files removed.
 */
export function removeStaleTemporaries(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const pid = TEMPORARY.exec(name)?.[1];
    if (pid === undefined || (Number(pid) !== process.pid && isRunning(Number(pid)))) continue;
    const file = path.join(dir, name);
    onFile(file, 'removing it (a temporary left by an interrupted write)', () => rmSync(file, { force: true }));
    removed.push(file);
  }
  return removed;
}

/** Whether a process with this id exists (signal 0 tests without sending anything; EPERM: it exists, not ours). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
