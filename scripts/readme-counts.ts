/**
 * The README's paragraph of what the committed snapshot holds, from `dataset/records/movies.json` — between the markers
 * `<!-- snapshot counts -->` and `<!-- /snapshot counts -->`. `commit:snapshot` rewrites it with every data commit
 * (so the nightly refresh keeps it true); `tests/readme.test.ts` fails when it is not what the snapshot gives.
 *
 *   npx tsx scripts/readme-counts.ts     # rewrite README.md's paragraph
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Movie } from '../src/schema/movie.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const START = '<!-- snapshot counts -->';
/** A README that holds this marker gets the paragraph. */
export const COUNTS_MARKER = START;
const END = '<!-- /snapshot counts -->';

const n = (count: number) => count.toLocaleString('en-US');

/** The paragraph for these records. */
export function countsParagraph(movies: readonly Movie[]): string {
  const answered = (m: Movie, slot: 'during' | 'after') => m.creditScenes.slots[slot].answer !== 'unknown';
  const count = (test: (m: Movie) => boolean) => n(movies.filter(test).length);
  return [
    `What the committed snapshot holds: **${n(movies.length)} films**, every one with an answer per slot;`,
    `${count((m) => m.title !== null)} with a title (most films come from the AfterCredits feed, which names them by IMDb id`,
    `only — a live run with the API keys fills in the rest), ${count((m) => Object.values(m.scores).some(Boolean))} with at least one review score,`,
    `${count((m) => m.creditScenes.during !== null || m.creditScenes.after !== null)} with a slot reported by a source,`,
    `${count((m) => answered(m, 'during') || answered(m, 'after'))} with at least one slot answered "yes" or "no" and`,
    `${count((m) => answered(m, 'during') && answered(m, 'after'))} with both (\`dataset/manifest.json\` has every count and the coverage of every field).`,
  ].join('\n');
}

/** `readme` with its paragraph replaced (throws when the markers are missing). */
export function withCounts(readme: string, movies: readonly Movie[]): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md: the markers ${START} … ${END} are missing`);
  return `${readme.slice(0, start + START.length)}\n${countsParagraph(movies)}\n${readme.slice(end)}`;
}

export function readSnapshot(root = REPO_ROOT): Movie[] {
  return JSON.parse(readFileSync(path.join(root, 'dataset/records/movies.json'), 'utf8')) as Movie[];
}

if (process.argv[1]?.endsWith('readme-counts.ts')) {
  const file = path.join(REPO_ROOT, 'README.md');
  writeFileSync(file, withCounts(readFileSync(file, 'utf8'), readSnapshot()));
  console.log('README.md: snapshot counts updated');
}
