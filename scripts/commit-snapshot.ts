/**
 * Commits `observations/` and `dataset/` when a run changed them (the nightly workflow's commit step; works
 * the same locally). Prints what it did and, under GitHub Actions, sets the step outputs
 * `observations-changed` and `dataset-changed`.
 *
 * Only what belongs to them is added: the observation files (`observations/*.jsonl`) and the snapshot's
 * files (those its manifest lists, the manifest, and files committed before, so that one the snapshot no
 * longer has is removed) — never a temporary that an interrupted write left beside them (`*.tmp-<pid>`) — and,
 * with a new snapshot, README.md's paragraph of what it holds (`readme-counts.ts`).
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { COUNTS_MARKER, readSnapshot, withCounts } from './readme-counts.ts';
import { MANIFEST_FILES } from '../src/publish/manifest.ts';

const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
const changed = (paths: readonly string[]) => paths.length > 0 && git('status', '--porcelain', '--', ...paths) !== '';

const manifest = existsSync('dataset/manifest.json')
  ? (JSON.parse(readFileSync('dataset/manifest.json', 'utf8')) as { version: string; files: Record<string, unknown> })
  : null;
const observationFiles = [':(glob)observations/*.jsonl'];
const snapshotFiles = [
  ...new Set([
    // The manifest and its copies (the records companion has one since major 2, so: those the snapshot has), and every file it lists.
    ...(manifest ? [...MANIFEST_FILES.filter((name) => existsSync(`dataset/${name}`)), ...Object.keys(manifest.files)].map((name) => `dataset/${name}`) : []),
    ...git('ls-files', '--', 'dataset').split('\n').filter(Boolean),
  ]),
].sort();

const observations = changed(observationFiles);
const dataset = changed(snapshotFiles);
if (process.env.GITHUB_OUTPUT) {
  appendFileSync(process.env.GITHUB_OUTPUT, `observations-changed=${observations}\ndataset-changed=${dataset}\n`);
}
if (!observations && !dataset) {
  console.log('nothing changed: no commit');
  process.exit(0);
}
const version = dataset ? manifest?.version : null;
git('config', 'user.name', process.env.GIT_AUTHOR_NAME ?? 'stingerdb-bot');
git('config', 'user.email', process.env.GIT_AUTHOR_EMAIL ?? 'stingerdb-bot@users.noreply.github.com');
// The README says what the snapshot holds: kept true with every data commit.
const readme = existsSync('README.md') ? readFileSync('README.md', 'utf8') : '';
const counted = dataset && readme.includes(COUNTS_MARKER);
if (counted) writeFileSync('README.md', withCounts(readme, readSnapshot(process.cwd())));
git('add', '--all', '--', ...(observations ? observationFiles : []), ...(dataset ? snapshotFiles : []), ...(counted ? ['README.md'] : []));
git('commit', '-m', version ? `Data: stingerdb ${version}` : 'Data: refresh observations');
if (process.env.GITHUB_ACTIONS) git('push');
console.log(version ? `committed dataset ${version}` : 'committed observations');
