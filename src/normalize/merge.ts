/**
 * Merge: one film's observations → its details and ids, in an explicit, readable precedence.
 *
 * For each field the first source in `DETAILS_PRECEDENCE` that has a value wins (within one source, the
 * newest observation). TMDB leads for details because it is an edited database with ids for everything;
 * OMDb mirrors IMDb's data; the review sites' pages carry details only as a side effect.
 */
import type { MovieIds } from '../schema/ids.ts';
import type { SourceId } from '../schema/sources.ts';
import type { CastMember } from '../schema/movie.ts';
import type { CreditsObservation, DetailsObservation, Observation, ReleasesObservation } from '../schema/observation.ts';
import { compareObservedAt } from '../lib/dates.ts';

/** Which source's details win, first to last. */
export const DETAILS_PRECEDENCE: readonly SourceId[] = ['tmdb', 'omdb', 'imdb', 'wikidata', 'rottentomatoes', 'metacritic', 'mcuapi', 'aftercredits'];

/** Which source's ids win when two disagree (a renamed slug, a re-keyed entity). */
export const IDS_PRECEDENCE: Readonly<Record<keyof MovieIds, readonly SourceId[]>> = {
  imdb: ['tmdb', 'omdb', 'wikidata', 'imdb', 'aftercredits', 'mcuapi', 'rottentomatoes', 'metacritic'],
  tmdb: ['tmdb', 'wikidata', 'mcuapi', 'omdb', 'imdb', 'rottentomatoes', 'metacritic', 'aftercredits'],
  wikidata: ['wikidata', 'tmdb', 'omdb', 'imdb', 'rottentomatoes', 'metacritic', 'mcuapi', 'aftercredits'],
  rottenTomatoes: ['rottentomatoes', 'wikidata', 'omdb', 'tmdb', 'imdb', 'metacritic', 'mcuapi', 'aftercredits'],
  metacritic: ['metacritic', 'wikidata', 'omdb', 'tmdb', 'imdb', 'rottentomatoes', 'mcuapi', 'aftercredits'],
};

const CAST_LIMIT = 10;

/** Orders observations by a source precedence, then newest first. */
export function byPrecedence<T extends Observation>(observations: readonly T[], precedence: readonly SourceId[]): T[] {
  const rank = (s: SourceId) => {
    const i = precedence.indexOf(s);
    return i === -1 ? precedence.length : i;
  };
  return [...observations].sort((a, b) => rank(a.source) - rank(b.source) || compareObservedAt(b.observedAt, a.observedAt) || (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
}

function first<T extends Observation, V>(observations: readonly T[], read: (o: T) => V | null | undefined): V | undefined {
  for (const o of observations) {
    const value = read(o);
    if (value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)) return value;
  }
  return undefined;
}

export interface MergedDetails {
  ids: MovieIds;
  title: string | null;
  originalTitle?: string;
  year?: number;
  releaseDate?: string;
  runtimeMinutes?: number;
  contentRating?: string;
  genres: string[];
  directors: string[];
  cast: CastMember[];
  companies: string[];
  countries: string[];
  languages: string[];
  synopsis?: string;
  /** Ids on which sources disagree: `key: value (source) vs value (source)`. */
  idConflicts: string[];
}

export function mergeDetails(id: string, observations: readonly Observation[]): MergedDetails {
  const details = byPrecedence(observations.filter((o): o is DetailsObservation => o.kind === 'details'), DETAILS_PRECEDENCE);
  const credits = byPrecedence(observations.filter((o): o is CreditsObservation => o.kind === 'credits'), DETAILS_PRECEDENCE);
  const releases = byPrecedence(observations.filter((o): o is ReleasesObservation => o.kind === 'releases'), DETAILS_PRECEDENCE);
  const { ids, conflicts } = mergeIds(id, observations);

  const originalTitle = first(details, (o) => o.originalTitle);
  const title = first(details, (o) => o.title) ?? originalTitle ?? null;
  const releaseDate = first(details, (o) => o.releaseDate) ?? first(releases, (o) => o.usTheatricalDate);
  const year = first(details, (o) => o.year) ?? (releaseDate ? Number(releaseDate.slice(0, 4)) : undefined);
  const directors = first(credits, (o) => (o.directors.length ? o.directors : null)) ?? [];
  const cast = (first(credits, (o) => (o.cast.length ? o.cast : null)) ?? []).slice(0, CAST_LIMIT);

  return {
    ids,
    title,
    ...(originalTitle !== undefined && { originalTitle }),
    ...(year !== undefined && { year }),
    ...(releaseDate !== undefined && { releaseDate }),
    ...optional('runtimeMinutes', first(details, (o) => o.runtimeMinutes)),
    ...optional('contentRating', first(releases, (o) => o.usCertification) ?? first(details, (o) => o.contentRating)),
    genres: first(details, (o) => o.genres) ?? [],
    directors,
    cast,
    companies: first(details, (o) => o.companies) ?? [],
    countries: first(details, (o) => o.countries) ?? [],
    languages: first(details, (o) => o.languages) ?? [],
    ...optional('synopsis', first(details, (o) => o.synopsis)),
    idConflicts: conflicts,
  };
}

function optional<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return (value === undefined || value === null ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Every id any observation gives, the canonical id first; disagreements resolved by `IDS_PRECEDENCE` and reported. */
export function mergeIds(id: string, observations: readonly Observation[]): { ids: MovieIds; conflicts: string[] } {
  const ids: MovieIds = {};
  const conflicts: string[] = [];
  for (const key of Object.keys(IDS_PRECEDENCE) as (keyof MovieIds)[]) {
    const ordered = byPrecedence(
      observations.filter((o) => o.ids[key] !== undefined),
      IDS_PRECEDENCE[key],
    );
    const values = new Map<string | number, SourceId>();
    for (const o of ordered) if (!values.has(o.ids[key]!)) values.set(o.ids[key]!, o.source);
    if (values.size === 0) continue;
    const [winner] = values.keys();
    (ids as Record<string, unknown>)[key] = winner;
    if (values.size > 1) conflicts.push(`${key}: ${[...values].map(([v, s]) => `${v} (${s})`).join(' vs ')}`);
  }
  if (id.startsWith('tt')) ids.imdb = id;
  return { ids, conflicts };
}

