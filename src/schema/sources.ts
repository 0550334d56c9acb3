/**
 * The sources stingerdb reads, as a vocabulary: the ids every layer may name (observations, evidence, score
 * groups), and the shape of their terms. The registry (`src/scrapers/index.ts`) is the one ordered list of the sources themselves — what each
 * is, and the order they run and take precedence in; a type check there fails when it and this list differ.
 */
import { z } from 'zod';

/** Every source's id. Nothing takes an order from this list: the registry gives it. */
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
