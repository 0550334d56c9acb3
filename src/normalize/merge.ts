/**
 * Merge: one film's observations → its details and ids, in the sources' one order (`SOURCE_IDS`).
 *
 * For each field the first source in that order that has a value wins (within one source, the newest
 * observation): TMDB, an edited database with ids for everything; Wikidata's structured statements; OMDb's
 * copy of IMDb's data; the review sites' pages, which carry details only as a side effect; IMDb's own page,
 * which follows the visitor's country (a Hungarian title for a visitor in Hungary); the feeds last. An id is
 * taken from the site it belongs to first (`ID_OWNER`: a Rotten Tomatoes slug from Rotten Tomatoes' own
 * page), then in the same order.
 */
import { ID_OWNER, type MovieIds } from '../schema/ids.ts';
import { SOURCE_IDS, type SourceId } from '../schema/sources.ts';
import type { Movie } from '../schema/movie.ts';
import type { CreditsObservation, DetailsObservation, Observation, ReleasesObservation } from '../schema/observation.ts';
import { compareObservedAt } from '../lib/dates.ts';

/** Which source's ids win when two disagree (a renamed slug, a re-keyed entity): the id's own site, then the order. */
const idPrecedence = (key: keyof MovieIds): readonly SourceId[] => [ID_OWNER[key], ...SOURCE_IDS.filter((s) => s !== ID_OWNER[key])];

const CAST_LIMIT = 10;

/** Orders observations by a source precedence (by default the sources' order), then newest first. */
export function byPrecedence<T extends Observation>(observations: readonly T[], precedence: readonly SourceId[] = SOURCE_IDS): T[] {
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

/** The record's details, as the observations give them (the record's own fields: `Movie`). */
export type MergedDetails = Pick<
  Movie,
  'ids' | 'title' | 'originalTitle' | 'year' | 'releaseDate' | 'runtimeMinutes' | 'contentRating' | 'genres' | 'directors' | 'cast' | 'companies' | 'countries' | 'languages' | 'synopsis'
> & {
  /** Ids on which sources disagree: `key: value (source) vs value (source)`. */
  idConflicts: string[];
};

export function mergeDetails(id: string, observations: readonly Observation[]): MergedDetails {
  const details = byPrecedence(observations.filter((o): o is DetailsObservation => o.kind === 'details'));
  const credits = byPrecedence(observations.filter((o): o is CreditsObservation => o.kind === 'credits'));
  const releases = byPrecedence(observations.filter((o): o is ReleasesObservation => o.kind === 'releases'));
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

/** Every id any observation gives, the canonical id first; disagreements resolved by `idPrecedence` and reported. */
export function mergeIds(id: string, observations: readonly Observation[]): { ids: MovieIds; conflicts: string[] } {
  const ids: MovieIds = {};
  const conflicts: string[] = [];
  for (const key of Object.keys(ID_OWNER) as (keyof MovieIds)[]) {
    const ordered = byPrecedence(
      observations.filter((o) => o.ids[key] !== undefined),
      idPrecedence(key),
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

