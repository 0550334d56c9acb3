/**
 * Replays the AfterCredits feed's recorded history night by night, as the nightly job would have lived it: one
 * run per day of the history (`--as-of` the end of that day, so each answers from that day's newest capture),
 * into a folder of its own (never `observations/` or `dataset/`). Prints a line per night — the capture read,
 * its size, whether it was judged degraded, the version published and what its `changes.json` lists — then the
 * figures: nights, degraded nights, versions published, and whether the final dataset carries, for every film
 * the feed ever listed, the evidence of its newest listing.
 *
 *   npx tsx scripts/replay-feed-history.ts [--corpus ../shared/corpus] [--keep <dir>] [--all-sources]
 *
 * By default only the feed runs (`--only aftercredits`, no watchlist): a night takes a second or two.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCorpusIndex } from '../src/http/replay.ts';
import type { Movie } from '../src/schema/movie.ts';
import { runPipeline } from '../src/pipeline/run.ts';
import type { Changes } from '../src/publish/changes.ts';
import { AFTERCREDITS_FEED_URL, creditScenesFromEntry, parseAfterCreditsFeed } from '../src/scrapers/aftercredits.ts';

const HELP = `Replays the AfterCredits feed's recorded history night by night and prints what each night did.

  npx tsx scripts/replay-feed-history.ts [options]

  --corpus <dir>     the recorded corpus (default ../shared/corpus)
  --keep <dir>       run in this folder and keep it (observations/, dataset/, state/); default a temporary one
  --all-sources      run every source over the default watchlist each night, not only the feed
  -h, --help         this help
`;

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: '../shared/corpus' },
    keep: { type: 'string' },
    'all-sources': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

const corpus = path.resolve(values.corpus!);
const captures = loadCorpusIndex(corpus)
  .filter((e) => e.source === 'aftercredits' && e.url === AFTERCREDITS_FEED_URL && e.file.includes('/history/'))
  .sort((a, b) => (a.capturedAt < b.capturedAt ? -1 : 1));
const days = [...new Set(captures.map((c) => c.capturedAt.slice(0, 10)))];
const root = values.keep ? path.resolve(values.keep) : mkdtempSync(path.join(tmpdir(), 'stingerdb-history-'));
mkdirSync(root, { recursive: true });
const dirs = { observationsDir: path.join(root, 'observations'), outDir: path.join(root, 'dataset'), stateDir: path.join(root, 'state') };
const watchlist = path.join(root, 'watchlist.json');
if (!values['all-sources']) writeFileSync(watchlist, '[]');

let degraded = 0;
let versions = 0;
let noLongerListed = 0;
const started = Date.now();
process.stdout.write(`${days.length} nights, ${captures.length} captures (${days[0]} → ${days.at(-1)}), in ${root}\n`);
process.stdout.write(`night       capture                listed  state     version            added  flips  updated\n`);
for (const day of days) {
  const asOf = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000 - 1);
  const report = await runPipeline({
    steps: { collect: true, build: true },
    replay: corpus,
    asOf,
    date: asOf,
    now: () => asOf.getTime(),
    ...(values['all-sources'] ? { watchlist: 'watchlist.json' } : { only: ['aftercredits'], watchlist }),
    ...dirs,
  });
  const feed = report.collect?.feeds.find((f) => f.source === 'aftercredits');
  if (feed?.degraded) degraded++;
  noLongerListed += feed?.noLongerListed.length ?? 0;
  let counts = '';
  if (report.publish?.changed) {
    versions++;
    const changes = JSON.parse(readFileSync(path.join(dirs.outDir, 'changes.json'), 'utf8')) as Changes;
    counts = `${String(changes.added.length).padStart(5)}  ${String(new Set(changes.verdictFlips.map((f) => f.id)).size).padStart(5)}  ${String(changes.updated.length).padStart(7)}`;
  }
  const state = !feed ? 'not due' : feed.degraded ? 'DEGRADED' : 'healthy';
  const version = report.refused ? 'refused' : report.publish?.changed ? report.publish.version : '—';
  process.stdout.write(`${day}  ${(feed?.at ?? '').padEnd(21)}  ${String(feed?.listed ?? '').padStart(6)}  ${state.padEnd(8)}  ${version.padEnd(17)}  ${counts}\n`);
  for (const id of feed?.noLongerListed ?? []) process.stdout.write(`            no longer listed: ${id}\n`);
}

// Every film ever listed, with the claim of its newest listing, against the final dataset.
const newest = new Map<string, { detail: string; during: boolean | null; after: boolean | null }>();
for (const capture of captures) {
  for (const entry of parseAfterCreditsFeed(readFileSync(path.join(corpus, capture.file), 'utf8')).entries) {
    const claim = creditScenesFromEntry(entry);
    newest.set(entry.imdb, { detail: claim.detail!, during: claim.during, after: claim.after });
  }
}
const dataset = new Map((JSON.parse(readFileSync(path.join(dirs.outDir, 'records', 'movies.json'), 'utf8')) as Movie[]).map((m) => [m.id, m]));
let covered = 0;
const differing: string[] = [];
for (const [id, claim] of newest) {
  const evidence = dataset.get(id)?.creditScenes.evidence.find((e) => e.source === 'aftercredits');
  if (!evidence) continue;
  covered++;
  if (evidence.detail !== claim.detail || (evidence.during ?? null) !== claim.during || (evidence.after ?? null) !== claim.after) differing.push(id);
}
const withVerdict = [...dataset.values()].filter((m) => m.creditScenes.evidence.some((e) => e.source === 'aftercredits' && (e.during != null || e.after != null))).length;
process.stdout.write(
  [
    '',
    `nights replayed: ${days.length} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
    `degraded nights detected: ${degraded}`,
    `versions published: ${versions}`,
    `films ever listed: ${newest.size}; with AfterCredits evidence at the end: ${covered}; evidence not that of the newest listing: ${differing.length}${differing.length ? ` (${differing.slice(0, 10).join(', ')})` : ''}`,
    `films with an AfterCredits verdict (a slot claimed) at the end: ${withVerdict}`,
    `films that became "no longer listed": ${noLongerListed}`,
    '',
  ].join('\n'),
);
if (!values.keep) rmSync(root, { recursive: true, force: true });
process.exitCode = covered === newest.size && differing.length === 0 ? 0 : 1;
