/**
 * What the folder given as the snapshot (`--out`, default `dataset/`) holds. Publishing replaces that folder
 * whole, so it may only ever replace a stingerdb snapshot, and it decides so before anything is collected or
 * written. The rule:
 *
 * - nothing at the path, or an empty folder: a new snapshot;
 * - a `manifest.json` that is a stingerdb manifest (its `$comment` or `name` say so) and holds what
 *   publishing reads of it (version, schema version, content hash, counts, coverage, file digests): a snapshot;
 * - a folder that claims to be one but whose manifest cannot be used — `manifest.json` not JSON, a stingerdb
 *   manifest without those fields, or no usable manifest beside a `package.json` named `stingerdb`: a broken
 *   snapshot (publishing is refused unless forced, the drift check fails; restore it from git);
 * - anything else (a file, a folder of other files, another program's `manifest.json`): not a snapshot — a
 *   usage error, nothing touched.
 *
 * Read-only: nothing here writes.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { WrongFolderError, formatIssues } from '../errors.ts';
import { folderEntries, holdsWithout } from '../lib/folders.ts';
import { safeJsonParse } from '../lib/json.ts';
import { MANIFEST_COMMENT, PACKAGE_NAME, type Manifest } from './manifest.ts';
import { VERSION } from './version.ts';

const SHA256 = /^[0-9a-f]{64}$/;

/** What publishing and the drift check read of a previous manifest; the rest is carried along unread. */
const UsableManifest = z.object({
  version: z.string().regex(VERSION),
  schemaVersion: z.number().int().positive(),
  contentHash: z.string().regex(SHA256),
  counts: z.object({ movies: z.number().int().nonnegative() }),
  coverage: z.object({ fields: z.record(z.string(), z.number().int().nonnegative()) }),
  // Plain names only: the drift check reads each listed file inside the folder.
  files: z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/), z.object({ bytes: z.number().int().nonnegative(), sha256: z.string().regex(SHA256) })),
});

export type SnapshotFolder =
  /** Nothing at the path, or an empty folder. */
  | { kind: 'new' }
  | { kind: 'snapshot'; manifest: Manifest }
  /** A snapshot whose manifest cannot be used: `file` is the manifest, `reason` what is wrong with it. */
  | { kind: 'broken'; file: string; reason: string };

/** What to give instead of a folder that is not a snapshot. */
const SNAPSHOT_TODO = 'Give a new or empty folder, or a stingerdb snapshot folder such as dataset/.';

/** Classifies `dir` by the rule above; throws `WrongFolderError` when it is not a snapshot folder at all. */
export function inspectSnapshot(dir: string): SnapshotFolder {
  const role = 'a stingerdb snapshot folder';
  const entries = folderEntries(dir, role, SNAPSHOT_TODO);
  if (!entries || entries.length === 0) return { kind: 'new' };
  const file = path.join(dir, 'manifest.json');
  const claimed = packageName(dir) === PACKAGE_NAME;
  if (!entries.includes('manifest.json')) {
    if (claimed) return { kind: 'broken', file, reason: 'missing' };
    throw new WrongFolderError(dir, role, holdsWithout(entries, 'manifest.json'), SNAPSHOT_TODO);
  }
  let raw: unknown;
  try {
    raw = safeJsonParse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { kind: 'broken', file, reason: (error as Error).message };
  }
  const marks = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  if (!claimed && marks.$comment !== MANIFEST_COMMENT && marks.name !== PACKAGE_NAME) {
    throw new WrongFolderError(dir, role, 'its manifest.json is not a stingerdb manifest', SNAPSHOT_TODO);
  }
  const parsed = UsableManifest.safeParse(raw);
  if (!parsed.success) return { kind: 'broken', file, reason: formatIssues(parsed.error.issues, 3).map((line) => line.slice(2)).join('; ') };
  return { kind: 'snapshot', manifest: raw as Manifest };
}

/** The `name` of the folder's `package.json`, if it has a readable one. */
function packageName(dir: string): unknown {
  try {
    return (safeJsonParse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown } | null)?.name;
  } catch {
    return undefined;
  }
}

/**
 * The versions the folder's release notes name: every heading of `CHANGES.md` and the `version` of
 * `changes.json` (its last key, read from the end of the file: the lists before it can be long). Notes that
 * are missing or unreadable name none; they only add to what the manifest and the run state know.
 */
export function historyVersions(dir: string): string[] {
  const versions: string[] = [];
  try {
    for (const m of readFileSync(path.join(dir, 'CHANGES.md'), 'utf8').matchAll(/^## (\S+)$/gm)) versions.push(m[1]!);
  } catch {
    // No release notes: nothing to add.
  }
  const tail = fileTail(path.join(dir, 'changes.json'), 256);
  const last = tail ? /"version": "([^"]+)"\s*\}\s*$/.exec(tail) : null;
  if (last) versions.push(last[1]!);
  return versions.filter((v) => VERSION.test(v));
}

/** The last `bytes` bytes of a file as text, or null when it cannot be read. */
function fileTail(file: string, bytes: number): string | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.alloc(Math.min(bytes, size));
    readSync(fd, buffer, 0, buffer.length, size - buffer.length);
    return buffer.toString('utf8');
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
