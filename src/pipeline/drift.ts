/**
 * The drift check (CI, `npm run build -- --check`): is `dataset/` intact, and exactly what the committed
 * observations give? It never writes into `dataset/`.
 *
 * - Intact: every file the manifest lists is there, with the size and sha256 it lists, and nothing else is
 *   (but the manifest itself).
 * - What the observations give: the snapshot is rebuilt, streaming like `npm run build`, in a scratch folder,
 *   as it would be published under the committed version — the release notes (`changes.json`, `CHANGES.md`),
 *   which depend on earlier snapshots and not on the records, taken as the manifest lists them. Every rebuilt
 *   file, the manifest included, must be byte for byte the committed one.
 *
 * Each file that differs or is missing is named, with what to do about it.
 *
 * It takes no lock (it writes nothing of the runs'), yet a run going on beside it cannot make it read a state
 * half-written: it refuses while a run holds `observations/` or `dataset/` — before it reads and again once it
 * has — and reads its own copy of the observation files (hard links: each file is only ever replaced by
 * rename, so a run that starts meanwhile changes nothing the check reads).
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gitRestore, shownFolder } from '../errors.ts';
import { ObservationStore } from '../observations/store.ts';
import { COMPANIONS, MANIFEST_FILES, type Manifest } from '../publish/manifest.ts';
import { digestFile, type Digest } from '../publish/hashed-file.ts';
import { SnapshotWriter } from '../publish/snapshot.ts';
import { inspectSnapshot } from '../publish/target.ts';
import { SOURCE_TERMS } from '../scrapers/index.ts';
import { lockHolder, lockedError } from './lock.ts';
import { buildInto } from './run.ts';

/** Files whose content is the history of earlier releases, not a function of the records. */
const RELEASE_NOTES = ['changes.json', 'CHANGES.md'];

export interface DriftReport {
  ok: boolean;
  /** One line when it matches; else the files that differ, one per line, and what to do. */
  message: string;
}

/** Checks `outDir` against its manifest and against a rebuild from `observationsDir` (see above). */
export function checkDrift(options: { observationsDir: string; outDir: string }): DriftReport {
  const out = shownFolder(options.outDir);
  const observations = shownFolder(options.observationsDir);
  const restore = `If ${out} was damaged, restore it from git (${gitRestore(options.outDir)}).`;
  const regenerate = `To publish what ${observations} give, run \`npm run build\` and commit ${out}`;
  refuseWhileWritten(options);
  const folder = inspectSnapshot(options.outDir);
  ObservationStore.load(options.observationsDir); // refuses a folder that is not an observation store
  const scratch = mkdtempSync(path.join(tmpdir(), 'stingerdb-drift-store-'));
  try {
    const store = ObservationStore.load(copyObservations(options.observationsDir, path.join(scratch, 'observations')));
    const report = compare(options, folder, store, { out, observations, restore, regenerate });
    // A run that took the locks while the check read may have replaced some files and not others yet.
    refuseWhileWritten(options);
    return report;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function compare(
  options: { observationsDir: string; outDir: string },
  folder: ReturnType<typeof inspectSnapshot>,
  store: ObservationStore,
  { out, observations, restore, regenerate }: { out: string; observations: string; restore: string; regenerate: string },
): DriftReport {
  if (folder.kind === 'new') return { ok: false, message: `${out} holds no snapshot. ${regenerate}.` };
  if (folder.kind === 'broken') return { ok: false, message: `${out}manifest.json cannot be read (${folder.reason}). ${restore} ${regenerate}.` };
  const { manifest } = folder;
  const present = filesIn(options.outDir);
  const damaged = againstManifest(manifest, present);
  const rebuilt = againstRebuild(store, manifest, present, observations);
  if (typeof rebuilt === 'string') return { ok: false, message: rebuilt };
  const names = [...new Set([...damaged.keys(), ...rebuilt.keys()])].sort();
  if (names.length === 0) return { ok: true, message: `${out} matches ${observations} (${manifest.version}): every file as its manifest lists it.` };
  const lines = names.map((name) => `- ${name}: ${[...new Set([...(damaged.get(name) ?? []), ...(rebuilt.get(name) ?? [])])].join('; ')}`);
  const todo = [...(damaged.size ? [restore] : []), ...(rebuilt.size ? [`${regenerate}.`] : [])];
  return { ok: false, message: `${out} does not match (${names.length} ${names.length === 1 ? 'file' : 'files'}):\n${lines.join('\n')}\n${todo.join(' ')}` };
}

/**
 * Every file in the folder with its digest, named by its path inside it (`sqlite/movies.sqlite`): the
 * companion packages' folders are part of the snapshot. Any other folder is listed as such, with no digest.
 */
function filesIn(dir: string, prefix = ''): Map<string, Digest | 'folder'> {
  const files = new Map<string, Digest | 'folder'>();
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (!statSync(file).isDirectory()) files.set(`${prefix}${name}`, digestFile(file));
    else if (prefix === '' && COMPANIONS.some((c) => c.dir === name)) for (const [inner, digest] of filesIn(file, `${name}/`)) files.set(inner, digest);
    else files.set(`${prefix}${name}`, 'folder');
  }
  return files;
}

/** File → what is wrong with it, as the manifest lists the files. */
function againstManifest(manifest: Manifest, present: ReadonlyMap<string, Digest | 'folder'>): Map<string, string[]> {
  const problems = new Map<string, string[]>();
  for (const [name, listed] of Object.entries(manifest.files)) {
    const actual = present.get(name);
    const problem = !actual ? 'missing' : actual === 'folder' ? 'a folder, not a file' : differs(actual, listed) ? `not the file manifest.json lists (${sizes(actual, listed)})` : null;
    if (problem) problems.set(name, [problem]);
  }
  for (const name of present.keys()) if (!MANIFEST_FILES.includes(name) && !(name in manifest.files)) problems.set(name, ['not listed in manifest.json']);
  return problems;
}

/** File → how it differs from the rebuild; or why there is no rebuild to compare with. */
function againstRebuild(
  store: ObservationStore,
  manifest: Manifest,
  present: ReadonlyMap<string, Digest | 'folder'>,
  observations: string,
): Map<string, string[]> | string {
  const scratch = mkdtempSync(path.join(tmpdir(), 'stingerdb-drift-'));
  try {
    const writer = SnapshotWriter.open({ outDir: path.join(scratch, 'dataset'), terms: SOURCE_TERMS });
    const build = buildInto(writer, store);
    if (build.report.invalid.length) {
      writer.abort();
      return `${observations} give ${build.report.invalid.length} records that fail the schema: run \`npm run build\` to see them.`;
    }
    const notes = Object.fromEntries(RELEASE_NOTES.filter((name) => manifest.files[name]).map((name) => [name, manifest.files[name]!]));
    const expected = writer.expected(manifest.version, notes, build.extras);
    const problems = new Map<string, string[]>();
    const reason = `differs from what ${observations} give`;
    for (const [name, digest] of expected) {
      if (RELEASE_NOTES.includes(name)) continue; // checked against the manifest only
      const actual = present.get(name);
      if (!actual) problems.set(name, ['missing']);
      else if (actual !== 'folder' && differs(actual, digest)) problems.set(name, [reason]);
    }
    for (const name of present.keys()) if (!expected.has(name)) problems.set(name, [`not part of what ${observations} give`]);
    return problems;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function differs(a: Digest, b: Digest): boolean {
  return a.bytes !== b.bytes || a.sha256 !== b.sha256;
}

function sizes(actual: Digest, listed: Digest): string {
  return actual.bytes === listed.bytes ? 'same size, another sha256' : `${actual.bytes} bytes, listed ${listed.bytes}`;
}

/** `LockedError` when a live run holds the observations or the dataset. */
function refuseWhileWritten(options: { observationsDir: string; outDir: string }): void {
  for (const folder of [options.observationsDir, options.outDir]) {
    const holder = lockHolder(folder);
    if (holder) throw lockedError(folder, holder);
  }
}

/** The store's files as they are now, in `copy` (hard links where the file system allows: a replaced file keeps its old link). */
function copyObservations(dir: string, copy: string): string {
  mkdirSync(copy);
  if (!existsSync(dir)) return copy;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.jsonl')) continue;
    try {
      linkSync(path.join(dir, name), path.join(copy, name));
    } catch {
      copyFileSync(path.join(dir, name), path.join(copy, name));
    }
  }
  return copy;
}
