/**
 * Pure parsers for the MCU API static mirror (`index.json`, `movies.json`, `post-credit-scenes.json`) and
 * stingerdb's reading of its scene records.
 *
 * Quirks they absorb:
 * - The scenes file names films by the API's own `movie_id`, not by IMDb id: it is read against the films of
 *   `movies.json` (a catalogue passed in), and only films with a valid IMDb id are named in observations.
 * - `post_credit_scenes` is a count; only MCU films (`is_mcu` true) have scene records. Non-MCU films (Fox,
 *   Sony) carry 0 or 1 without records, and announced films carry 0: neither says anything → no claim.
 * - `is_stinger` is not a position. It behaves like "mid-credits" (Thanos in The Avengers, Baby Groot in
 *   Guardians of the Galaxy) and false like "after the credits", but the maintainer misfiles some scenes:
 *   teen Groot in Guardians of the Galaxy Vol. 2 is a mid-credits scene yet false, and The Incredible Hulk's
 *   Tony Stark scene, counted as its post-credit scene, is the epilogue before the credits. So a scene's
 *   position is read in this order: a documented override (`POSITION_OVERRIDES`), then what the description
 *   itself says ("post-credits", "mid-credits", "before the credits"), and only then `is_stinger` as a hint.
 *   A description that calls the slot a preview or trailer of another film is not a scene (No Way Home's
 *   Multiverse of Madness preview).
 * - The maintainer catalogues every credit scene of a released MCU film: a slot with no scene record is a
 *   claim that nothing plays there (Endgame: 0 — aftercredits.com lists only a sound after its credits).
 */
import type { z } from 'zod';
import { LayoutChangedError, UnexpectedContentError, formatIssues, quoted } from '../../errors.ts';
import { IMDB_ID } from '../../schema/ids.ts';
import { type CreditScene, type ScenePosition } from '../../schema/movie.ts';
import { parseDate, parseRuntime, plainText, plainTitle } from '../../lib/text.ts';
import type { CreditScenesObservation, ParsedObservation } from '../../schema/observation.ts';
import { McuIndex, McuMovie, McuScene } from './schema.ts';
import { jsonApi } from '../json.ts';

const SOURCE = 'mcuapi';

type CreditScenesParsed = Omit<CreditScenesObservation, 'observedAt' | 'movie'>;

// ---------------------------------------------------------------------------------------------------------
// Reading bodies

const readJson = jsonApi(SOURCE, 'an MCU API', () => null).read;

/**
 * The records of a top-level array, each validated on its own: a malformed record is a problem line and is
 * skipped; a body with no valid record at all is a layout change.
 */
function readRecords<S extends z.ZodType>(body: string, url: string, schema: S, what: string): { records: z.infer<S>[]; problems: string[] } {
  const json = readJson(body, url);
  if (!Array.isArray(json)) throw new UnexpectedContentError(SOURCE, url, `expected an array of ${what} records, got ${json === null ? 'null' : typeof json}`);
  const records: z.infer<S>[] = [];
  const problems: string[] = [];
  json.forEach((item, index) => {
    const result = schema.safeParse(item);
    if (result.success) records.push(result.data);
    else problems.push(`record ${index}: not a ${what} record (${formatIssues(result.error.issues, 3).join(' ').replace(/^- /, '')})`);
  });
  if (records.length === 0) throw new LayoutChangedError(SOURCE, url, [`array of ${what} records`], `${what} record`);
  return { records, problems };
}

/** The newest `updated_at`/`created_at` of some records, as an ISO date (a lower bound of the feed's date). */
function newestRecordDate(records: readonly Record<string, unknown>[]): string | null {
  let newest: string | null = null;
  for (const record of records) {
    for (const key of ['updated_at', 'created_at']) {
      const date = parseDate(record[key]);
      if (date && (newest === null || date > newest)) newest = date;
    }
  }
  return newest;
}

// ---------------------------------------------------------------------------------------------------------
// index.json

/** The mirror's manifest. */
export interface McuFeedIndex {
  /** When the mirror was generated (ISO date-time, as the feed gives it). */
  generatedAt: string;
  /** `generatedAt` as a calendar date: the feed's date, which decides which films are released. */
  feedDate: string;
  contentHash: string | null;
  /** Records per file (`movies`, `post_credit_scenes`, …). */
  counts: Record<string, number>;
}

/** Reads `index.json`. A manifest without a readable `generated_at` is not the manifest we know. */
export function parseMcuIndex(body: string, url: string): McuFeedIndex {
  const result = McuIndex.safeParse(readJson(body, url));
  if (!result.success) throw new UnexpectedContentError(SOURCE, url, `not the mirror's index.json:\n${formatIssues(result.error.issues, 5).join('\n')}`);
  const feedDate = parseDate(result.data.generated_at);
  if (!feedDate) throw new UnexpectedContentError(SOURCE, url, `generated_at ${quoted(result.data.generated_at, 40)} is not a date`);
  return {
    generatedAt: result.data.generated_at,
    feedDate,
    contentHash: result.data.content_hash ?? null,
    counts: Object.fromEntries(Object.entries(result.data.counts ?? {}).filter((e): e is [string, number] => Number.isInteger(e[1]))),
  };
}

// ---------------------------------------------------------------------------------------------------------
// movies.json

/** One film of `movies.json`, read. */
export interface McuFilm {
  /** The API's own id (what scene records refer to). */
  id: number;
  title: string | null;
  /** The IMDb id, validated; null when the feed has none or a malformed one. */
  imdb: string | null;
  releaseDate: string | null;
  runtimeMinutes: number | null;
  directors: string[];
  synopsis: string | null;
  /** The feed's count of the film's credit scenes (see the module notes for when it means something). */
  postCreditScenes: number | null;
  isMcu: boolean;
}

/** `movies.json` read: its films, one problem per skipped record, and the newest record date. */
export interface McuCatalogue {
  films: McuFilm[];
  problems: string[];
  newestRecordDate: string | null;
}

/** "Anthony Russo, Joe Russo" → two names; "" → none. */
function directorsOf(directedBy: string | null | undefined): string[] {
  const text = plainText(directedBy ?? null);
  if (!text) return [];
  return [...new Set(text.split(/\s*(?:,|&|\band\b)\s*/).map((name) => name.trim()).filter(Boolean))];
}

/** Reads `movies.json` into films. */
export function parseMcuMovies(body: string, url: string): McuCatalogue {
  const { records, problems } = readRecords(body, url, McuMovie, 'movie');
  const films = records.map((record): McuFilm => {
    const imdb = record.imdb_id?.trim() || null;
    if (imdb !== null && !IMDB_ID.test(imdb)) problems.push(`movie ${record.id}: imdb_id ${quoted(imdb, 40)} is not an IMDb id (film not named)`);
    return {
      id: record.id,
      title: plainTitle(record.title ?? null),
      imdb: imdb !== null && IMDB_ID.test(imdb) ? imdb : null,
      releaseDate: parseDate(record.release_date ?? null),
      runtimeMinutes: parseRuntime(record.duration ?? null),
      directors: directorsOf(record.directed_by),
      synopsis: plainText(record.overview ?? null),
      postCreditScenes: record.post_credit_scenes ?? null,
      isMcu: record.is_mcu === true,
    };
  });
  return { films, problems, newestRecordDate: newestRecordDate(records) };
}

/** Details (title, release date, year, runtime, synopsis) and directors of every film named by an IMDb id. */
export function filmObservations(films: readonly McuFilm[], url: string): ParsedObservation[] {
  const observations: ParsedObservation[] = [];
  for (const film of films) {
    if (film.imdb === null) continue;
    const ids = { imdb: film.imdb };
    observations.push({
      source: SOURCE,
      kind: 'details',
      url,
      ids,
      title: film.title,
      releaseDate: film.releaseDate,
      year: film.releaseDate ? Number(film.releaseDate.slice(0, 4)) : null,
      runtimeMinutes: film.runtimeMinutes,
      ...(film.synopsis !== null && { synopsis: film.synopsis }),
    });
    if (film.directors.length > 0) observations.push({ source: SOURCE, kind: 'credits', url, ids, directors: film.directors, cast: [] });
  }
  return observations;
}

// ---------------------------------------------------------------------------------------------------------
// post-credit-scenes.json

/** One scene record, read. */
export interface McuSceneRecord {
  id: number;
  /** The API id of the film (null for TV-show scenes). */
  movieId: number | null;
  tvShowId: number | null;
  description: string | null;
  isStinger: boolean | null;
  teasesMovieId: number | null;
}

/** `post-credit-scenes.json` read. */
export interface McuSceneFeed {
  scenes: McuSceneRecord[];
  problems: string[];
  newestRecordDate: string | null;
}

/** Reads `post-credit-scenes.json`. Overrides that no longer fit their record are reported. */
export function parseMcuScenes(body: string, url: string): McuSceneFeed {
  const { records: listed, problems } = readRecords(body, url, McuScene, 'scene');
  // A record listed twice is one scene: counted twice, it could complete a film's listing and make an empty slot false.
  const ids = new Set<number>();
  const records = listed.filter((record) => {
    if (!ids.has(record.id)) return ids.add(record.id);
    problems.push(`scene ${record.id}: listed more than once (only the first is read)`);
    return false;
  });
  const scenes = records.map(
    (record): McuSceneRecord => ({
      id: record.id,
      movieId: record.movie_id ?? null,
      tvShowId: record.tvshow_id ?? null,
      description: plainText(record.description ?? null),
      isStinger: record.is_stinger ?? null,
      teasesMovieId: record.teases_movie_id ?? null,
    }),
  );
  for (const scene of scenes) {
    const override = POSITION_OVERRIDES[scene.id];
    if (override && override.movieId !== scene.movieId) {
      problems.push(`scene ${scene.id}: its position override is for movie ${override.movieId}, but the record now belongs to movie ${scene.movieId ?? 'none'} (override not applied)`);
    }
    if (scene.movieId === null && scene.tvShowId === null) problems.push(`scene ${scene.id}: names neither a movie nor a TV show (skipped)`);
  }
  return { scenes, problems, newestRecordDate: newestRecordDate(records) };
}

// ---------------------------------------------------------------------------------------------------------
// Where a scene plays

/** Where a scene record plays relative to the end credits; `before` = not a credit scene. */
export type SceneSlot = 'before' | ScenePosition;

/** How stingerdb reads one scene record. */
export interface SceneReading {
  /** null: neither an override, the description nor `is_stinger` places it. */
  slot: SceneSlot | null;
  /** `trailer`: the slot shows a preview of another film — never a scene. */
  kind: 'scene' | 'trailer';
  /** What decided the slot. */
  basis: 'override' | 'description' | 'is_stinger' | 'none';
  /** For an override: why, in a few words. */
  note?: string;
  /** "X will return" cards the description mentions (listed as `text`, never a scene). */
  textCards: string[];
}

/**
 * Scene records whose `is_stinger` misplaces them, checked by hand against the films (theatrical release).
 * Keyed by scene id; `movieId` guards against renumbering (a mismatch is reported and the override skipped).
 */
export const POSITION_OVERRIDES: Readonly<Record<number, { movieId: number; slot: SceneSlot; note: string }>> = {
  // The Incredible Hulk (2008): Tony Stark walks into General Ross's bar as the film's closing scene, before
  // the credits start; nothing plays during or after the credits. The feed counts it as the film's one scene.
  2: { movieId: 2, slot: 'before', note: 'the Tony Stark bar scene is the epilogue before the credits' },
  // Guardians of the Galaxy Vol. 2 (2017): four scenes play between the credit blocks (Kraglin, the Ravagers,
  // Ayesha's Adam, teen Groot) and one after them (Stan Lee's Watchers); teen Groot is filed false.
  24: { movieId: 15, slot: 'during', note: 'teen Groot is a mid-credits scene' },
};

const DESCRIPTION_SLOTS: readonly [SceneSlot, RegExp][] = [
  ['before', /\bpre-?credits?\b|\bbefore the (?:end |closing )?credits\b/i],
  ['during', /\bmid-?credits?\b|\bduring the (?:end |closing )?credits\b/i],
  ['after', /\bpost-?credits?\b|\bafter (?:all )?the (?:end |closing )?credits\b|\bend of the (?:closing )?credits\b/i],
];
const TRAILER = /\b(?:preview|trailer)s?\b/i;
const WILL_RETURN_CARD = /["“]([^"”]*\bwill return\b[^"”]*)["”]/gi;

/** Where one scene record plays, and whether it is a scene at all. */
export function readScene(scene: McuSceneRecord): SceneReading {
  const description = scene.description ?? '';
  const kind = TRAILER.test(description) ? 'trailer' : 'scene';
  const textCards = [...description.matchAll(WILL_RETURN_CARD)].map((m) => plainText(m[1]!.replace(/[.!,]+$/, ''))).filter((t): t is string => t !== null);
  const override = POSITION_OVERRIDES[scene.id];
  if (override && override.movieId === scene.movieId) return { slot: override.slot, kind, basis: 'override', note: override.note, textCards };
  // A description that names exactly one slot is the maintainer's own words about where the scene plays.
  const named = DESCRIPTION_SLOTS.filter(([, pattern]) => pattern.test(description)).map(([slot]) => slot);
  if (named.length === 1) return { slot: named[0]!, kind, basis: 'description', textCards };
  if (scene.isStinger !== null) return { slot: scene.isStinger ? 'during' : 'after', kind, basis: 'is_stinger', textCards };
  return { slot: null, kind, basis: 'none', textCards };
}

// ---------------------------------------------------------------------------------------------------------
// A film's credit-scene claim

/**
 * Days after release during which an empty slot is only weak evidence: the maintainer may not have
 * catalogued a new film's scenes yet (Spider-Man: Brand New Day, 17 days old in the 2026-08-17 mirror, has
 * one scene recorded where aftercredits.com reports both slots).
 */
export const CATALOGUE_SETTLING_DAYS = 90;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function describeReading(scene: McuSceneRecord, reading: SceneReading): string {
  const where = reading.slot === null ? 'position unknown' : reading.slot === 'before' ? 'before the credits' : reading.slot === 'during' ? 'during the credits' : 'after the credits';
  const why =
    reading.basis === 'override' ? `override: ${reading.note}` : reading.basis === 'description' ? 'per its description' : reading.basis === 'is_stinger' ? `is_stinger ${scene.isStinger}` : 'no is_stinger';
  return `scene ${scene.id} ${where}${reading.kind === 'trailer' ? ', a preview of another film' : ''} (${why})`;
}

/**
 * The credit-scene claim of one film, or null when the feed says nothing about it: a non-MCU film, a film
 * without an IMDb id, a film not released before the feed's date, or an incomplete listing that places no
 * scene. A slot with a scene is true; a slot without one is false when the film's listing is complete (as
 * many records as its count, each placed) — weakly so while the film is within `CATALOGUE_SETTLING_DAYS` of
 * its release — and null otherwise. Pre-credits scenes and previews of other films never make a slot true.
 */
export function creditScenesOfFilm(film: McuFilm, records: readonly McuSceneRecord[], feedDate: string, url: string): CreditScenesParsed | null {
  if (!film.isMcu || film.imdb === null || film.releaseDate === null || film.releaseDate >= feedDate) return null;
  const read = records.map((scene) => ({ scene, reading: readScene(scene) }));
  const scenes: CreditScene[] = [];
  const placed = new Set<ScenePosition>();
  for (const { scene, reading } of read) {
    if (reading.slot !== 'during' && reading.slot !== 'after') continue;
    if (reading.kind === 'scene') placed.add(reading.slot);
    // A preview of another film is listed as what it is, and never makes the slot true.
    scenes.push({ position: reading.slot, kind: reading.kind, ...(scene.description !== null && { description: scene.description }) });
    for (const card of reading.textCards) scenes.push({ position: reading.slot, kind: 'text', description: card });
  }
  const complete = film.postCreditScenes !== null && records.length === film.postCreditScenes && read.every((r) => r.reading.slot !== null);
  const claim = (slot: ScenePosition): boolean | null => (placed.has(slot) ? true : complete ? false : null);
  const during = claim('during');
  const after = claim('after');
  if (during === null && after === null) return null;
  const age = daysBetween(film.releaseDate, feedDate);
  const settling = (during === false || after === false) && age < CATALOGUE_SETTLING_DAYS;
  const parts = [`MCU API: post_credit_scenes ${film.postCreditScenes ?? 'missing'}`, ...read.map((r) => describeReading(r.scene, r.reading))];
  if (settling) parts.push(`released ${age} days before the feed: an empty slot may not be catalogued yet`);
  return {
    source: SOURCE,
    kind: 'creditScenes',
    url,
    ids: { imdb: film.imdb },
    during,
    after,
    strength: settling ? 'weak' : 'strong',
    scenes,
    detail: parts.join('; '),
  };
}

/** Every film's credit-scene claim, from the catalogue of `movies.json` and the scene records. */
export function creditSceneObservations(films: readonly McuFilm[], feed: McuSceneFeed, feedDate: string, url: string): { observations: ParsedObservation[]; problems: string[] } {
  const byFilm = new Map<number, McuSceneRecord[]>();
  const problems: string[] = [];
  const known = new Set(films.map((f) => f.id));
  for (const scene of feed.scenes) {
    if (scene.movieId === null) continue;
    if (!known.has(scene.movieId)) {
      problems.push(`scene ${scene.id}: movie ${scene.movieId} is not in movies.json (skipped)`);
      continue;
    }
    byFilm.set(scene.movieId, [...(byFilm.get(scene.movieId) ?? []), scene]);
  }
  const observations: ParsedObservation[] = [];
  for (const film of films) {
    const claim = creditScenesOfFilm(film, byFilm.get(film.id) ?? [], feedDate, url);
    if (claim) observations.push(claim);
  }
  return { observations, problems };
}
