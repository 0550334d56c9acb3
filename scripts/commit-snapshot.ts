/**
 * Commits `observations/` and `dataset/` when a run changed them (the nightly workflow's commit step; works
 * the same locally). Prints what it did and, under GitHub Actions, sets the step outputs
 * `observations-changed` and `dataset-changed`.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';

const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
const changed = (path: string) => git('status', '--porcelain', '--', path) !== '';

const observations = changed('observations');
const dataset = changed('dataset');
if (process.env.GITHUB_OUTPUT) {
  appendFileSync(process.env.GITHUB_OUTPUT, `observations-changed=${observations}\ndataset-changed=${dataset}\n`);
}
if (!observations && !dataset) {
  console.log('nothing changed: no commit');
  process.exit(0);
}
const version = dataset ? (JSON.parse(readFileSync('dataset/manifest.json', 'utf8')) as { version: string }).version : null;
git('config', 'user.name', process.env.GIT_AUTHOR_NAME ?? 'stingerdb-bot');
git('config', 'user.email', process.env.GIT_AUTHOR_EMAIL ?? 'stingerdb-bot@users.noreply.github.com');
git('add', '--', 'observations', 'dataset');
git('commit', '-m', version ? `Data: stingerdb ${version}` : 'Data: refresh observations');
if (process.env.GITHUB_ACTIONS) git('push');
console.log(version ? `committed dataset ${version}` : 'committed observations');
