/**
 * A real dataset package for the package tests: the pipeline replayed over the recorded corpus into a
 * temporary folder (never the repository's `dataset/`), and — as a user would get it — packed with `npm pack`
 * and installed offline into a fresh project. Each test file builds its own, once.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Movie } from '../../src/schema/movie.ts';
import { runPipeline } from '../../src/pipeline/run.ts';
import { CORPUS_DIR, REPO_ROOT } from './corpus.ts';

/** A published snapshot in a temporary folder. */
export interface Snapshot {
  /** The temporary folder holding everything (remove it with `removeSnapshot`). */
  root: string;
  /** The dataset package folder. */
  datasetDir: string;
  /** Its records, read from `movies.json`. */
  movies: Movie[];
  /** Its version. */
  version: string;
}

/** The release date the test snapshots carry. */
export const SNAPSHOT_DATE = new Date('2026-11-27T00:00:00Z');

/** Runs the whole pipeline over the replay corpus and the repository's watchlist into a temporary folder. */
export async function buildSnapshot(): Promise<Snapshot> {
  const root = mkdtempSync(path.join(tmpdir(), 'stingerdb-package-'));
  const datasetDir = path.join(root, 'dataset');
  const report = await runPipeline({
    steps: { collect: true, build: true },
    replay: CORPUS_DIR,
    watchlist: path.join(REPO_ROOT, 'watchlist.json'),
    observationsDir: path.join(root, 'observations'),
    outDir: datasetDir,
    date: SNAPSHOT_DATE,
  });
  if (!report.publish) throw new Error('the replayed pipeline published nothing (did a quality gate refuse the snapshot?)');
  const movies = JSON.parse(readFileSync(path.join(datasetDir, 'records', 'movies.json'), 'utf8')) as Movie[];
  return { root, datasetDir, movies, version: report.publish.version };
}

/** A fresh project with the packed snapshot installed in it. */
export interface Consumer {
  /** The project folder (`node_modules/stingerdb` inside, and the companions asked for beside it). */
  projectDir: string;
  /** The tarball `npm pack` wrote of the dataset package. */
  tarball: string;
  /** Paths inside that tarball, as `npm pack` listed them. */
  packedFiles: string[];
  /** Each companion package installed (its folder in the snapshot → its tarball and paths). */
  companions: Partial<Record<Companion, { tarball: string; packedFiles: string[] }>>;
}

/** The companion packages, by their folder in the snapshot: `records` (stingerdb-records), `sqlite` (stingerdb-sqlite). */
export type Companion = 'records' | 'sqlite';

/**
 * `npm pack` the snapshot, then `npm install` the tarball offline into a new ES-module project — with the
 * companion packages asked for (the snapshot's `records/` and `sqlite/` folders) beside it.
 */
export function packAndInstall(snapshot: Snapshot, options: { companions?: readonly Companion[] } = {}): Consumer {
  const packDir = path.join(snapshot.root, 'pack');
  mkdirSync(packDir, { recursive: true });
  const npm = (args: string[], cwd: string) =>
    execFileSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false', npm_config_loglevel: 'error' } });
  const pack = (dir: string) => {
    const [packed] = JSON.parse(npm(['pack', dir, '--pack-destination', packDir, '--json'], snapshot.root)) as { filename: string; files: { path: string }[] }[];
    return { tarball: path.join(packDir, packed!.filename), packedFiles: packed!.files.map((f) => f.path).sort() };
  };
  const main = pack(snapshot.datasetDir);
  const companions = Object.fromEntries((options.companions ?? []).map((c) => [c, pack(path.join(snapshot.datasetDir, c))])) as Consumer['companions'];
  const projectDir = path.join(snapshot.root, 'consumer');
  mkdirSync(projectDir, { recursive: true });
  writeFileSync(path.join(projectDir, 'package.json'), `${JSON.stringify({ name: 'stingerdb-consumer', private: true, type: 'module' }, null, 2)}\n`);
  npm(['install', '--offline', '--no-audit', '--no-fund', main.tarball, ...Object.values(companions).map((c) => c.tarball)], projectDir);
  return { projectDir, ...main, companions };
}

/** Runs a script with Node in `cwd` and returns its stdout. */
export function runNode(cwd: string, file: string, code: string): string {
  writeFileSync(path.join(cwd, file), code);
  return execFileSync(process.execPath, [file], { cwd, encoding: 'utf8' });
}

/** Removes the snapshot's temporary folder and everything built in it. */
export function removeSnapshot(snapshot: Snapshot | undefined): void {
  if (snapshot) rmSync(snapshot.root, { recursive: true, force: true });
}
