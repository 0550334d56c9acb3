/**
 * The drift check (CI): is `dataset/` exactly what the committed observations give? The snapshot is rebuilt,
 * streaming like `npm run build`, into a scratch folder that holds only the committed manifest, so publish
 * compares content hashes and says whether it would write a new version — without touching `dataset/`.
 *
 * It takes no lock (it writes nothing of the run's), yet a run going on beside it cannot make it read a state
 * half-written: it refuses while a run holds `observations/` or `dataset/`, and reads its own copy of them —
 * the manifest and every observation file, each whole since they are only ever replaced by rename — so a run
 * that starts once the copy is made changes nothing the check reads.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildFromSources } from '../normalize/build.ts';
import { ObservationStore } from '../observations/store.ts';
import { SnapshotWriter } from '../publish/snapshot.ts';
import { lockHolder, lockedError } from './lock.ts';

export function checkDrift(options: { observationsDir: string; outDir: string }): { ok: boolean; message: string } {
  refuseWhileWritten(options);
  const manifest = path.join(options.outDir, 'manifest.json');
  if (!existsSync(manifest)) return { ok: false, message: `${options.outDir} has no manifest.json: run \`npm run build\` and commit dataset/.` };
  const scratch = mkdtempSync(path.join(tmpdir(), 'stingerdb-drift-'));
  try {
    const target = path.join(scratch, 'dataset');
    // Only the manifest is needed: publish compares its content hash and writes nothing when equal.
    mkdirSync(target);
    copyFileSync(manifest, path.join(target, 'manifest.json'));
    const observationsDir = copyObservations(options.observationsDir, path.join(scratch, 'observations'));
    // A run that took the locks while the copy was made may have replaced some files and not others yet.
    refuseWhileWritten(options);
    const writer = SnapshotWriter.open({ outDir: target });
    const store = ObservationStore.load(observationsDir);
    let invalid = 0;
    try {
      const report = buildFromSources(store.sources(), (film) => {
        if (film.movie && !invalid) writer.add(film.movie);
      });
      invalid = report.invalid.length;
    } catch (error) {
      writer.abort();
      throw error;
    }
    if (invalid) {
      writer.abort();
      return { ok: false, message: `observations/ give ${invalid} records that fail the schema: run \`npm run build\` to see them.` };
    }
    const result = writer.finish({ sources: {}, creditConflicts: [] });
    return result.changed
      ? { ok: false, message: `dataset/ is not what observations/ gives (it would become ${result.version}). Regenerate it with \`npm run build\` and commit dataset/.` }
      : { ok: true, message: `dataset/ matches observations/ (${result.version}).` };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
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
