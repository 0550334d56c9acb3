/**
 * A snapshot folder's files, byte for byte: every file inside it (the companion package's `sqlite/` folder
 * included), by its path inside the folder, so a test can say a snapshot stayed exactly as it was.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Every file under `dir` (dot files left out) → its content, sorted by path. */
export function filesOf(dir: string): Record<string, Buffer> {
  const names = (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((name) => !name.split('/').some((part) => part.startsWith('.')))
    .sort();
  return Object.fromEntries(names.map((name) => [name, readFileSync(path.join(dir, name))]));
}
