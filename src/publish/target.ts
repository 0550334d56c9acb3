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
 * Then the one check every publisher goes through before it writes (`publishTarget`), the swap that replaces
 * the folder whole (`swapIn`: the old snapshot or the new one, never a mix) and the recovery of a swap a crash
 * interrupted (`recoverSnapshot`).
 */
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { FileSystemError, SnapshotUnreadableError, WrongFolderError, formatIssues, shownPath } from '../errors.ts';
import { onFile, syncFolder } from '../lib/files.ts';
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
  // Plain names, or one folder deep (the companion package's `sqlite/…`): the drift check reads each listed
  // file inside the folder, never outside it.
  files: z.record(z.string().regex(/^(?:[A-Za-z0-9][A-Za-z0-9_-]*\/)?[A-Za-z0-9][A-Za-z0-9._-]*$/), z.object({ bytes: z.number().int().nonnegative(), sha256: z.string().regex(SHA256) })),
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

/**
 * Replaces `outDir` by `staging` (its files flushed to the disk): the old folder is moved aside first, put
 * back if the new one cannot take its place, and removed once the parent folder's new entries are on the disk.
 */
export function swapIn(staging: string, outDir: string): void {
  const previous = `${outDir}.previous`;
  syncFolder(staging);
  rmSync(previous, { recursive: true, force: true });
  const hadPrevious = existsSync(outDir);
  if (hadPrevious) onFile(outDir, 'moving the previous snapshot aside', () => renameSync(outDir, previous));
  try {
    onFile(outDir, 'moving the new snapshot into place', () => renameSync(staging, outDir));
  } catch (error) {
    if (hadPrevious) renameSync(previous, outDir);
    throw error;
  }
  syncFolder(path.dirname(outDir));
  rmSync(previous, { recursive: true, force: true });
}

/** A file-system failure of a snapshot, told with what it leaves: nothing published, the previous snapshot as it was. */
export function toldWithSnapshot(error: unknown, outDir: string): unknown {
  if (!(error instanceof FileSystemError)) return error;
  return error.retold(existsSync(outDir) ? `nothing was published: the previous snapshot in ${shownPath(outDir)} stays as it was` : 'nothing was published');
}

/**
 * The one check every publisher goes through (a run before it collects anything, then `SnapshotWriter.open`):
 * `outDir` must be a snapshot folder by the rule of `inspectSnapshot` — else `WrongFolderError`, and nothing,
 * not even beside it, is touched — whose manifest can be read — else `SnapshotUnreadableError`, unless
 * `replaceBroken`. Finishes a swap a crash interrupted. Gives the previous snapshot's manifest (null for a
 * new folder or a broken snapshot being replaced) and every version known to have been issued there.
 */
export function publishTarget(outDir: string, options: { replaceBroken?: boolean } = {}): { previous: Manifest | null; issued: string[] } {
  let folder = inspectSnapshot(outDir);
  if (recoverSnapshot(outDir)) folder = inspectSnapshot(outDir);
  if (folder.kind === 'broken' && !options.replaceBroken) throw new SnapshotUnreadableError(folder.file, folder.reason);
  const previous = folder.kind === 'snapshot' ? folder.manifest : null;
  return { previous, issued: [...(previous ? [previous.version] : []), ...historyVersions(outDir)] };
}

/**
 * Finishes a swap that a crash interrupted: the target missing but its previous copy present → restore it
 * (and say so: true). Staging folders left by a crash are removed.
 */
export function recoverSnapshot(outDir: string): boolean {
  const previous = `${outDir}.previous`;
  let restored = false;
  if (!existsSync(outDir) && existsSync(previous)) {
    onFile(outDir, 'restoring the previous snapshot', () => renameSync(previous, outDir));
    restored = true;
  } else if (existsSync(previous)) rmSync(previous, { recursive: true, force: true });
  const parent = path.dirname(outDir);
  if (!existsSync(parent)) return restored;
  const base = `${path.basename(outDir)}.staging-`;
  for (const name of readdirSync(parent)) {
    if (name.startsWith(base)) rmSync(path.join(parent, name), { recursive: true, force: true });
  }
  return restored;
}
