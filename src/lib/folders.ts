/**
 * Folders given on the command line (`--out`, `--observations`, `--state`). Each role recognises its own
 * folder — the snapshot by its manifest (`src/publish/target.ts`), the observation store by its
 * `<source>.jsonl` files, the run state by its `state.sqlite` — and refuses any other before a run reads
 * the network or writes anything. What the rules share is here: nothing at the path is a new folder, a file
 * is never one.
 */
import { readdirSync, statSync } from 'node:fs';
import { WrongFolderError } from '../errors.ts';

/**
 * The names in `dir`, or null when nothing is there yet. A file (or a path through a file) where a folder
 * is expected is a `WrongFolderError` naming `role` and saying what to give instead (`todo`).
 */
export function folderEntries(dir: string, role: string, todo: string): string[] | null {
  let stat;
  try {
    stat = statSync(dir, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') throw new WrongFolderError(dir, role, 'a parent of it is a file', todo);
    throw error;
  }
  if (!stat) return null;
  if (!stat.isDirectory()) throw new WrongFolderError(dir, role, 'it is a file', todo);
  return readdirSync(dir);
}

/** "it holds 3 entries and no manifest.json": why a non-empty folder is not the one expected. */
export function holdsWithout(entries: readonly string[], missing: string): string {
  return `it holds ${entries.length === 1 ? '1 entry' : `${entries.length} entries`} and no ${missing}`;
}
