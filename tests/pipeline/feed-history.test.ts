/**
 * The AfterCredits feed's real history, replayed night by night (`--as-of`): 15 nightly runs over
 * 2025-07-10 → 2025-07-24, as the recorded corpus holds them — two healthy nights, a night that drops the feed's
 * video games and its "Stingers" tags, six broken nights (10–30 films listed of ~1,960), healthy nights again,
 * one more broken night. Night by night, against what the captures themselves say:
 * - the capture the run read is the newest not after the night, and a broken night is reported degraded;
 * - no verdict of a film ever listed is lost, and each film's evidence is that of its newest listing (tags that
 *   changed on a night are picked up that night);
 * - a version is published only on nights that changed something, and its `changes.json` lists exactly the
 *   films that changed: added, verdicts flipped, otherwise updated;
 * - the films left out of five healthy listings in a row become "no longer listed", their claims kept: the
 *   feed's eight video games, dropped on 2025-07-11, and a film last listed on a broken night.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Movie } from '../../src/schema/movie.ts';
import { DEGRADED_SHARE, DELIST_AFTER } from '../../src/pipeline/listings.ts';
import { runPipeline, type RunReport } from '../../src/pipeline/run.ts';
import type { Changes } from '../../src/publish/changes.ts';
import { AFTERCREDITS_FEED_URL, creditScenesFromEntry, parseAfterCreditsFeed } from '../../src/scrapers/aftercredits.ts';
import { CORPUS_DIR, corpusIndex, corpusText } from '../helpers/corpus.ts';

/** One run a night, at 06:00 UTC (the feed's generator commits between 02:00 and 06:00). */
const NIGHTS = Array.from({ length: 15 }, (_, i) => new Date(Date.UTC(2025, 6, 10 + i, 6)));

/** The recorded captures of the feed, oldest first. */
const captures = corpusIndex()
  .filter((e) => e.source === 'aftercredits' && e.url === AFTERCREDITS_FEED_URL)
  .sort((a, b) => (a.capturedAt < b.capturedAt ? -1 : 1));

/** What a capture says of each film it lists: the evidence the pipeline should carry for it. */
interface Claim {
  during: boolean | null;
  after: boolean | null;
  detail: string;
  noLongerListedSince?: string;
}

function claimsOf(file: string): Map<string, Claim> {
  const claims = new Map<string, Claim>();
  for (const entry of parseAfterCreditsFeed(corpusText(file)).entries) {
    const evidence = creditScenesFromEntry(entry);
    claims.set(entry.imdb, { during: evidence.during, after: evidence.after, detail: evidence.detail! });
  }
  return claims;
}

const root = mkdtempSync(path.join(tmpdir(), 'stingerdb-feed-history-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const dirs = { observationsDir: path.join(root, 'observations'), outDir: path.join(root, 'dataset'), stateDir: path.join(root, 'state') };
const watchlist = path.join(root, 'watchlist.json');
writeFileSync(watchlist, '[]');

const night = (asOf: Date): Promise<RunReport> =>
  runPipeline({ steps: { collect: true, build: true }, replay: CORPUS_DIR, asOf, date: asOf, now: () => asOf.getTime(), only: ['aftercredits'], watchlist, ...dirs });

const readDataset = () => new Map((JSON.parse(readFileSync(path.join(dirs.outDir, 'records', 'movies.json'), 'utf8')) as Movie[]).map((m) => [m.id, m]));

describe('the AfterCredits feed history, night by night', () => {
  it('keeps every verdict, picks up changes, reports broken nights, publishes exactly what changed', async () => {
    /** Each film's evidence as of its newest listing so far. */
    const expected = new Map<string, Claim>();
    /** Healthy listings in a row that left each known film out, and the first of them. */
    const absences = new Map<string, { count: number; since: string }>();
    let usual: number | null = null;
    let version: string | null = null;
    const degradedNights: string[] = [];
    const delisted = new Map<string, string>();

    for (const asOf of NIGHTS) {
      const capture = captures.filter((c) => Date.parse(c.capturedAt) <= asOf.getTime()).at(-1)!;
      const listed = claimsOf(capture.file);
      const entries = (capture.expected as { entries: number }).entries;
      const degraded = usual !== null && entries < DEGRADED_SHARE * usual;
      if (!degraded) usual = entries;

      const before = new Map([...expected].map(([id, claim]) => [id, JSON.stringify(claim)]));
      for (const [id, claim] of listed) {
        expected.set(id, claim);
        absences.delete(id);
      }
      if (!degraded) {
        for (const id of expected.keys()) {
          if (listed.has(id)) continue;
          const a = absences.get(id) ?? { count: 0, since: capture.capturedAt };
          absences.set(id, { count: a.count + 1, since: a.since });
          if (a.count + 1 === DELIST_AFTER) {
            expected.set(id, { ...expected.get(id)!, noLongerListedSince: a.since });
            delisted.set(id, a.since);
          }
        }
      }
      const changed = [...expected].filter(([id, claim]) => before.get(id) !== JSON.stringify(claim)).map(([id]) => id);

      const report = await night(asOf);
      const when = `as of ${asOf.toISOString()} (capture ${capture.capturedAt}, ${entries} entries)`;
      expect(report.refused, when).toBeUndefined();
      const feed = report.collect!.feeds.find((f) => f.source === 'aftercredits')!;
      expect(feed, when).toMatchObject({ at: capture.capturedAt, listed: entries, degraded });
      if (degraded) degradedNights.push(capture.capturedAt);

      // Every film ever listed keeps its verdict, as of its newest listing.
      const dataset = readDataset();
      for (const [id, claim] of expected) {
        const record = dataset.get(id);
        expect(record, `${when}: ${id} lost`).toBeDefined();
        const evidence = record!.creditScenes.evidence.find((e) => e.source === 'aftercredits');
        expect({ during: evidence?.during ?? null, after: evidence?.after ?? null, detail: evidence?.detail, noLongerListedSince: evidence?.noLongerListedSince }, `${when}: ${id}`).toEqual({
          during: claim.during,
          after: claim.after,
          detail: claim.detail,
          noLongerListedSince: claim.noLongerListedSince,
        });
        expect(record!.creditScenes.during, `${when}: ${id}`).toBe(claim.during === true ? true : null);
        expect(record!.creditScenes.after, `${when}: ${id}`).toBe(claim.after === true ? true : null);
      }
      expect(dataset.size, when).toBe(expected.size);

      // A version only when something changed, and its changes.json names exactly what did.
      expect(report.publish?.changed, when).toBe(changed.length > 0);
      if (changed.length > 0) {
        expect(report.publish!.previousVersion, when).toBe(version);
        version = report.publish!.version;
        const changes = JSON.parse(readFileSync(path.join(dirs.outDir, 'changes.json'), 'utf8')) as Changes;
        const flipped = (id: string) => {
          const was = before.get(id);
          if (!was) return false;
          const old = JSON.parse(was) as Claim;
          const now = expected.get(id)!;
          return old.during !== now.during || old.after !== now.after;
        };
        const ids = (list: { id: string }[]) => [...new Set(list.map((x) => x.id))].sort();
        expect(ids(changes.added), when).toEqual(changed.filter((id) => !before.has(id)).sort());
        expect(ids(changes.verdictFlips), when).toEqual(changed.filter((id) => before.has(id) && flipped(id)).sort());
        expect(ids(changes.updated), when).toEqual(changed.filter((id) => before.has(id) && !flipped(id)).sort());
        expect(changes.removed, when).toEqual([]);
      } else {
        expect(report.publish?.version, when).toBe(version);
      }
    }

    // The stretch holds broken nights, and films the feed stopped listing for good: its video games.
    expect(degradedNights).toEqual([
      '2025-07-12T02:01:54Z', '2025-07-13T02:10:28Z', '2025-07-14T02:05:30Z', '2025-07-15T02:05:18Z',
      '2025-07-16T02:02:11Z', '2025-07-17T02:02:32Z', '2025-07-18T02:04:26Z', '2025-07-23T02:04:23Z',
    ]);
    const games = ['tt0363582', 'tt0802999', 'tt1125798', 'tt1233574', 'tt1288501', 'tt1450746', 'tt1648163', 'tt1937113'];
    expect(Object.fromEntries([...delisted].sort())).toEqual({
      ...Object.fromEntries(games.map((id) => [id, '2025-07-11T04:59:48Z'])),
      // Listed last on a broken night (07-18), left out of every healthy one since.
      tt31036941: '2025-07-19T02:46:10Z',
    });
  }, 240_000);
});
