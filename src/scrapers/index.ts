/**
 * The source registry: an explicit, ordered list (no directory globbing). Order matters: per-film sources
 * run in this order, so ids found by one (TMDB's IMDb and Wikidata ids) are known to those after it, and
 * it is the tie-break order wherever sources are otherwise equal.
 */
import { aftercredits } from './aftercredits.ts';
import { imdb } from './imdb/index.ts';
import { mcuapi } from './mcuapi/index.ts';
import { metacritic } from './metacritic/index.ts';
import { omdb } from './omdb/index.ts';
import { rottentomatoes } from './rottentomatoes/index.ts';
import type { SourceTermsRef } from '../schema/sources.ts';
import type { Source } from './source.ts';
import { tmdb } from './tmdb/index.ts';
import { wikidata } from './wikidata/index.ts';

export const SOURCES: readonly Source[] = [tmdb, wikidata, omdb, rottentomatoes, metacritic, imdb, aftercredits, mcuapi];

/** Each source named with its terms, in registry order (what the published package says of its sources). */
export const SOURCE_TERMS: readonly SourceTermsRef[] = SOURCES.map((s) => ({ id: s.id, name: s.name, homepage: s.homepage, ...s.terms }));
