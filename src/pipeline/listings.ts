/**
 * Whole-catalogue feeds (the AfterCredits feed, the MCU API's films): each answer is meant to list every film
 * the feed knows, so what it leaves out says something — but only on a healthy night. The AfterCredits feed's
 * generator breaks on more than half of the 192 nights recorded in the corpus (2025-07 → 2026-03): the feed
 * shrinks from ~1,960 films to 1–1,122 and grows back the next healthy night.
 *
 * - **Degraded**: an answer listing fewer than `DEGRADED_SHARE` of what the feed usually lists (its last
 *   healthy listing, from the run state; without one, the films the store has from it), or of the size the
 *   feed declares, is degraded. Measured on the recorded nights: healthy ones list 1,764–2,004 films (≥ 89 % of
 *   the one before), broken ones at most 1,122 (57 %), so 80 % separates them with room on both sides. What a
 *   degraded answer lists is filed as usual (its entries are right: the films it names carry the same tags as
 *   on healthy nights); the films it leaves out keep their last observation, and the run report says how many
 *   and since when they were last listed. The run does not fail (`--fail-on-degraded` makes it exit 1).
 * - **No longer listed**: a film left out of `DELIST_AFTER` healthy listings in a row. In the recorded history,
 *   13 films were left out of 3 healthy listings in a row and came back; every film left out of 5 stayed out
 *   (8 video games tagged "Games", dropped on 2025-07-11, and one film). Its observation is kept and marked
 *   (`noLongerListedSince`, shown in the record's evidence); its claim still counts toward the verdict: a film
 *   does not lose its scenes, and the mark lets a consumer see that the source no longer stands by it. When the
 *   feed lists it again, its fresh observation replaces the marked one.
 *
 * Pure: the run state's rows and the store's observations in, updated rows, marked observations and a health
 * report out; the collect step files the observations and the run commits the rows with its checks.
 */
import type { SourceId } from '../schema/sources.ts';
import type { CreditScenesObservation, Observation } from '../schema/observation.ts';
import type { FeedListing } from '../scrapers/source.ts';
import type { ListingRow, ListingUpdate } from './state.ts';

/** An answer listing less than this share of the usual (or declared) size is degraded. */
export const DEGRADED_SHARE = 0.8;
/** Healthy listings in a row that must leave a film out before it is "no longer listed". */
export const DELIST_AFTER = 5;

/** How one feed's answer looked, for the run report. */
export interface FeedHealth {
  source: SourceId;
  /** When the answer was captured or fetched. */
  at: string;
  /** Entries it listed. */
  listed: number;
  /** The size the feed declares, when it does. */
  declared: number | null;
  /** What it was judged against: its last healthy listing, or the films the store has from it (null: nothing yet). */
  usual: number | null;
  degraded: boolean;
  /** Films known from this feed that the answer leaves out (not counting those no longer listed): they keep their last observation. */
  missing: number;
  /** When those films were last listed (oldest and newest of their dates). */
  missingLastListed: { oldest: string; newest: string } | null;
  /** Films that became "no longer listed" with this answer. */
  noLongerListed: string[];
  /** Films listed again after being "no longer listed". */
  listedAgain: string[];
}

export interface ListingAssessment {
  health: FeedHealth;
  /** The rows to commit with the run. */
  update: ListingUpdate;
  /** The feed's stored credit-scene observations of films that became "no longer listed", marked. */
  marked: CreditScenesObservation[];
}

export function assessListing(input: {
  source: SourceId;
  listing: FeedListing;
  /** When the answer was captured (replay) or fetched (live). */
  at: string;
  /** The run state's rows for this feed (empty without a run state). */
  rows: ReadonlyMap<string, ListingRow>;
  /** The feed's last committed healthy listing, if any. */
  lastHealthy: { entries: number; at: string } | undefined;
  /** Every stored observation of this source (the answer's own already filed). */
  stored: readonly Observation[];
}): ListingAssessment {
  const { source, listing, at, rows, stored } = input;
  const listed = new Set(listing.films);
  const storedFilms = new Map<string, Observation[]>();
  for (const o of stored) storedFilms.set(o.movie, [...(storedFilms.get(o.movie) ?? []), o]);
  const claims = (film: string) => (storedFilms.get(film) ?? []).filter((o): o is CreditScenesObservation => o.kind === 'creditScenes');
  const unmarkedFilms = [...storedFilms.keys()].filter((film) => !claims(film).some((o) => o.noLongerListedSince)).length;

  const usual = input.lastHealthy?.entries ?? (unmarkedFilms > 0 ? unmarkedFilms : null);
  const declared = listing.declared ?? null;
  const degraded = (usual !== null && listing.entries < DEGRADED_SHARE * usual) || (declared !== null && listing.entries < DEGRADED_SHARE * declared);

  const updated: ListingRow[] = [];
  const marked: CreditScenesObservation[] = [];
  const noLongerListed: string[] = [];
  const listedAgain: string[] = [];
  const lastListed: string[] = [];
  for (const film of [...new Set([...rows.keys(), ...storedFilms.keys(), ...listed])].sort()) {
    const row = rows.get(film);
    if (listed.has(film)) {
      updated.push({ film, lastListedAt: at, absences: 0, absentSince: null });
      if (claims(film).some((o) => o.noLongerListedSince)) listedAgain.push(film);
      continue;
    }
    // Not listed: a known film the answer leaves out. Without a row yet, it was last seen when it was observed.
    const since = row?.lastListedAt ?? oldestObservedAt(storedFilms.get(film) ?? []);
    if (since === undefined || (row && row.absences >= DELIST_AFTER)) continue;
    lastListed.push(since);
    if (degraded) continue;
    const absences = (row?.absences ?? 0) + 1;
    const absentSince = row?.absentSince ?? at;
    updated.push({ film, lastListedAt: since, absences, absentSince });
    if (absences === DELIST_AFTER) {
      const unmarked = claims(film).filter((o) => !o.noLongerListedSince);
      if (unmarked.length) noLongerListed.push(film);
      for (const o of unmarked) marked.push({ ...o, noLongerListedSince: absentSince });
    }
  }
  lastListed.sort();
  return {
    health: {
      source,
      at,
      listed: listing.entries,
      declared,
      usual,
      degraded,
      missing: lastListed.length,
      missingLastListed: lastListed.length ? { oldest: lastListed[0]!, newest: lastListed.at(-1)! } : null,
      noLongerListed,
      listedAgain,
    },
    update: { source, rows: updated, ...(!degraded && { healthy: { entries: listing.entries, at } }) },
    marked,
  };
}

function oldestObservedAt(observations: readonly Observation[]): string | undefined {
  return observations.map((o) => o.observedAt).sort()[0];
}
