/**
 * The sources stingerdb reads, as a vocabulary every layer may name (observations, evidence, score groups),
 * and the shape of their terms. `SOURCE_IDS` is the one order of the sources: the registry
 * (`src/scrapers/index.ts`, each source by id — a type check fails when a source is missing there or extra)
 * runs them in it, so ids found early (TMDB's IMDb and Wikidata ids, Wikidata's Rotten Tomatoes slug) are
 * known to the later ones; the build takes details and ids in it (`normalize/merge.ts`); the README's source
 * table and the package's list of sources follow it.
 */
import { z } from 'zod';

/** Every source's id, in the sources' order (see above). */
export const SOURCE_IDS = [
  'tmdb',
  'wikidata',
  'omdb',
  'rottentomatoes',
  'metacritic',
  'imdb',
  'aftercredits',
  'mcuapi',
  'watchlist',
] as const;
export const SourceId = z.enum(SOURCE_IDS).describe('A source stingerdb reads (see the README for its terms).');
export type SourceId = z.infer<typeof SourceId>;

/**
 * The watchlist is a source that is not fetched: a run files what it was given about each watched film (ids,
 * title and year) as its observations, so that a film no other source answers still gets a record (and an
 * answer, README "The answer"). Last in the order: any other source's title or year comes first.
 */
export const WATCHLIST_SOURCE = 'watchlist' as const;
/** Where the watchlist's observations say they come from (the repository's watchlist; a run's own file is its stand-in). */
export const WATCHLIST_URL = 'https://github.com/stingerdb/stingerdb/blob/main/watchlist.json';
/** The sources that are fetched: every source but the watchlist. */
export type FetchedSourceId = Exclude<SourceId, typeof WATCHLIST_SOURCE>;
export const FETCHED_SOURCE_IDS = SOURCE_IDS.filter((id): id is FetchedSourceId => id !== WATCHLIST_SOURCE);

/** The terms a source's data comes under, as its unit declares them. */
export interface SourceTerms {
  /** Licence of the data, or the terms that govern it. */
  licence: string;
  /** Attribution wording the source asks for, if any. */
  attribution?: string;
  termsUrl: string;
}

/** A source named with its terms: what the published package says of each source it carries data of. */
export interface SourceTermsRef extends SourceTerms {
  id: SourceId;
  name: string;
  homepage: string;
}
