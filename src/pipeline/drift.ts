/**
 * The drift check (CI): is `dataset/` exactly what the committed observations give? The snapshot is rebuilt,
 * streaming like `npm run build`, into a scratch folder that holds only the committed manifest, so publish
 * compares content hashes and says whether it would write a new version — without touching `dataset/`.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildFromSources } from '../normalize/build.ts';
import { ObservationStore } from '../observations/store.ts';
import { SnapshotWriter } from '../publish/snapshot.ts';

export function checkDrift(options: { observationsDir: string; outDir: string }): { ok: boolean; message: string } {
  const manifest = path.join(options.outDir, 'manifest.json');
  if (!existsSync(manifest)) return { ok: false, message: `${options.outDir} has no manifest.json: run \`npm run build\` and commit dataset/.` };
  const scratch = mkdtempSync(path.join(tmpdir(), 'stingerdb-drift-'));
  try {
    const target = path.join(scratch, 'dataset');
    // Only the manifest is needed: publish compares its content hash and writes nothing when equal.
    mkdirSync(target);
    copyFileSync(manifest, path.join(target, 'manifest.json'));
    const writer = SnapshotWriter.open({ outDir: target });
    const store = ObservationStore.load(options.observationsDir);
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
