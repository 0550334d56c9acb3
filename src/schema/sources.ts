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
] as const;
export const SourceId = z.enum(SOURCE_IDS).describe('A source stingerdb reads (see the README for its terms).');
export type SourceId = z.infer<typeof SourceId>;

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
