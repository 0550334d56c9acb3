/**
 * Normalize: observations in, canonical records out. Pure and offline — the same observations always give
 * the same records, byte for byte once serialized (records sorted by id, arrays in a fixed order, no clock).
 *
 * Steps: group observations by film (`identity.ts`), merge details and ids (`merge.ts`), pick score groups
 * (`scores.ts`), reconcile credit scenes (`credits.ts`), list sources, validate against the schema. Records
 * that fail validation are returned apart with their issues (publish refuses to write them).
 *
 * It streams, so that a million films fit in memory: each source's observations come sorted by the film
 * they are filed under (as the store writes them), a first pass settles identities (the few films filed
 * under a `tmdb:` id and linked to an IMDb id later), the observations filed under such ids are held, and a
 * merge of the sources then gives one film's observations at a time, in id order. Within a film they are in
 * store order (source, then file order), whatever order they were given in.
 */
import { formatIssues } from '../errors.ts';
import type { Observation } from '../schema/observation.ts';
import { type SourceObservations } from '../observations/store.ts';
import { sortKeyOf } from '../schema/observation.ts';
import { reconcileCredits } from './credits.ts';
import { filmAnswers } from './answers.ts';
import { ANSWER_MODEL } from './answer-model.ts';
import { IdentityIndex, type IdentityConflict, type Identities } from './identity.ts';
import { mergeDetails } from './merge.ts';
import { type SourceId } from '../schema/sources.ts';
import { Movie, type SourceRef } from '../schema/movie.ts';
import { pickScores, type ScoreDisagreement } from './scores.ts';
import { compareStrings } from '../lib/text.ts';
import { fold } from '../lib/fold.ts';

export interface InvalidRecord {
  id: string;
  issues: string[];
}

export interface BuildReport {
  /** Films whose sources disagree on a credit slot. */
  creditConflicts: { id: string; title: string | null; slots: string[]; evidence: Movie['creditScenes']['evidence'] }[];
  scoreDisagreements: (ScoreDisagreement & { id: string })[];
  identityConflicts: IdentityConflict[];
  /** Ids on which sources disagree within one film. */
  idConflicts: { id: string; conflicts: string[] }[];
  /**
   * Films known only by a TMDB id (no observation links them to an IMDb id yet), with the film of an IMDb id
   * that has the same title and year, if one does — most likely the same film, filed twice until a source links them.
   */
  unlinked: { id: string; title: string | null; year: number | null; sameTitleAs?: string }[];
  /** How many films are known only by a TMDB id (`unlinked` lists the first `UNLINKED_LISTED`). */
  unlinkedCount: number;
  invalid: InvalidRecord[];
}

/** The films known only by a TMDB id listed by name (and matched to a twin): a bounded report at any scale. */
export const UNLINKED_LISTED = 1000;

export interface BuildResult {
  movies: Movie[];
  report: BuildReport;
}

/** One film as the streaming build gives it: its observations and its record (null when it fails the schema). */
export interface BuiltFilm {
  id: string;
  observations: readonly Observation[];
  movie: Movie | null;
}

/** Builds every record from observations given in any order (they are put in store order first). */
export function buildMovies(observations: readonly Observation[]): BuildResult {
  const movies: Movie[] = [];
  const report = buildFromSources(inMemorySources(observations), (film) => {
    if (film.movie) movies.push(film.movie);
  });
  return { movies, report };
}

/** Observations grouped by source and put in store order, as `SourceObservations`. */
function inMemorySources(observations: readonly Observation[]): SourceObservations[] {
  const bySource = new Map<SourceId, { sortKey: string; o: Observation }[]>();
  for (const o of observations) {
    const list = bySource.get(o.source);
    const entry = { sortKey: sortKeyOf(o), o };
    if (list) list.push(entry);
    else bySource.set(o.source, [entry]);
  }
  return [...bySource]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([source, list]) => {
      const sorted = list.sort((a, b) => compareStrings(a.sortKey, b.sortKey)).map(({ o }) => o);
      return { source, observations: () => sorted, links: () => sorted.map((o) => ({ movie: o.movie, ids: o.ids, via: () => ({ source: o.source, url: o.url }) })) };
    });
}

/** An observation with its place in store order (source, then position in that source's stream). */
interface Placed {
  o: Observation;
  source: number;
  position: number;
}

/**
 * Builds every film of `sources` (each sorted by filing key, as the store gives them) and hands them to
 * `onFilm` one at a time, in id order; returns the report. Holds only the film being built, the identity
 * index and the observations of films filed under an id that is not their canonical one.
 */
export function buildFromSources(sources: readonly SourceObservations[], onFilm: (film: BuiltFilm) => void): BuildReport {
  const index = new IdentityIndex();
  for (const source of sources) for (const links of source.links()) index.add(links);
  const identities = index.settle();
  const report: BuildReport = { creditConflicts: [], scoreDisagreements: [], identityConflicts: identities.conflicts, idConflicts: [], unlinked: [], unlinkedCount: 0, invalid: [] };
  // Titles of the unlinked films (they sort before every IMDb id, so they are all known when those come).
  const unlinkedByTitle = new Map<string, BuildReport['unlinked'][number]>();
  const held = holdRemapped(sources, identities);
  const waiting = [...held.keys()].sort(compareStrings);
  let next = 0;

  const emit = (id: string, placed: Placed[]) => {
    placed.sort((a, b) => a.source - b.source || a.position - b.position);
    const film = buildFilm(id, placed.map((p) => p.o), report);
    const movie = film.movie;
    if (movie && id.startsWith('tmdb:')) {
      if (report.unlinkedCount++ < UNLINKED_LISTED) {
        const entry = { id, title: movie.title, year: movie.year ?? null };
        report.unlinked.push(entry);
        if (movie.title) unlinkedByTitle.set(`${fold(movie.title)}\u0000${movie.year ?? ''}`, entry);
      }
    } else if (movie?.title && unlinkedByTitle.size) {
      const twin = unlinkedByTitle.get(`${fold(movie.title)}\u0000${movie.year ?? ''}`);
      if (twin && !twin.sameTitleAs) twin.sameTitleAs = id;
    }
    onFilm(film);
  };

  for (const { key, placed } of mergeByKey(sources)) {
    while (next < waiting.length && waiting[next]! < key) {
      emit(waiting[next]!, held.get(waiting[next]!)!);
      next++;
    }
    if (identities.remapped.has(key)) continue; // held already: built with the film it belongs to
    if (waiting[next] === key) {
      placed.push(...held.get(key)!);
      next++;
    }
    emit(key, placed);
  }
  for (; next < waiting.length; next++) emit(waiting[next]!, held.get(waiting[next]!)!);
  return report;
}

/** The observations filed under remapped keys, by canonical id (they sort before the keys that come after the last one). */
function holdRemapped(sources: readonly SourceObservations[], identities: Identities): Map<string, Placed[]> {
  const held = new Map<string, Placed[]>();
  if (identities.remapped.size === 0) return held;
  const last = [...identities.remapped.keys()].sort(compareStrings).at(-1)!;
  sources.forEach((source, sourceIndex) => {
    let position = 0;
    for (const o of source.observations()) {
      if (o.movie > last) break;
      const id = identities.remapped.get(o.movie);
      if (id !== undefined) {
        const list = held.get(id);
        const entry = { o, source: sourceIndex, position };
        if (list) list.push(entry);
        else held.set(id, [entry]);
      }
      position++;
    }
  });
  return held;
}

/** A k-way merge of the sources by filing key: each key once, with all its observations. */
function* mergeByKey(sources: readonly SourceObservations[]): Generator<{ key: string; placed: Placed[] }> {
  const cursors = sources.map((source, sourceIndex) => {
    const iterator = source.observations()[Symbol.iterator]();
    return { sourceIndex, iterator, current: iterator.next(), position: 0 };
  });
  for (;;) {
    let key: string | undefined;
    for (const c of cursors) if (!c.current.done && (key === undefined || c.current.value.movie < key)) key = c.current.value.movie;
    if (key === undefined) return;
    const placed: Placed[] = [];
    for (const c of cursors) {
      let previous = '';
      while (!c.current.done && c.current.value.movie === key) {
        placed.push({ o: c.current.value, source: c.sourceIndex, position: c.position++ });
        previous = c.current.value.movie;
        c.current = c.iterator.next();
      }
      if (!c.current.done && previous && c.current.value.movie < previous) {
        throw new Error(`build: ${sources[c.sourceIndex]!.source} observations are not sorted by film (${c.current.value.movie} after ${previous})`);
      }
    }
    yield { key, placed };
  }
}

/** One film's record from its observations, its conflicts and disagreements added to `report`. */
function buildFilm(id: string, observations: readonly Observation[], report: BuildReport): BuiltFilm {
  const details = mergeDetails(id, observations);
  const { scores, disagreements } = pickScores(observations);
  const { creditScenes: reported, conflicts } = reconcileCredits(observations);
  const { idConflicts, ...fields } = details;
  const slots = filmAnswers(observations, { year: details.year, releaseDate: details.releaseDate, tmdbVotes: scores.tmdb?.voteCount }, ANSWER_MODEL, reported);
  const creditScenes = { ...reported, slots };
  const candidate = { id, ...fields, creditScenes, scores, sources: sourcesOf(observations) };
  const parsed = Movie.safeParse(candidate);
  if (!parsed.success) {
    report.invalid.push({ id, issues: formatIssues(parsed.error.issues) });
    return { id, observations, movie: null };
  }
  if (conflicts.length) report.creditConflicts.push({ id, title: details.title, slots: conflicts, evidence: creditScenes.evidence });
  for (const d of disagreements) report.scoreDisagreements.push({ id, ...d });
  if (idConflicts.length) report.idConflicts.push({ id, conflicts: idConflicts });
  return { id, observations, movie: parsed.data };
}

function sourcesOf(observations: readonly Observation[]): SourceRef[] {
  const refs = new Map<string, SourceRef>();
  for (const o of observations) {
    const key = `${o.source}\u0000${o.url}\u0000${o.observedAt}`;
    if (!refs.has(key)) refs.set(key, { source: o.source, url: o.url, observedAt: o.observedAt });
  }
  return [...refs.values()].sort((a, b) => compareStrings(a.source, b.source) || compareStrings(a.url, b.url) || compareStrings(a.observedAt, b.observedAt));
}
