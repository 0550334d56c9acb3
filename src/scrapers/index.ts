/**
 * The source registry: every source by its id (no directory globbing), run and listed in the one order of the
 * sources (`SOURCE_IDS`, `src/schema/sources.ts`). The type of `REGISTRY` fails to check when a source id has no
 * source here, when a source is here under another id, or when one is here that the vocabulary lacks.
 */
import { FETCHED_SOURCE_IDS, type FetchedSourceId, type SourceTermsRef } from '../schema/sources.ts';
import { aftercredits } from './aftercredits.ts';
import { imdb } from './imdb/index.ts';
import { mcuapi } from './mcuapi/index.ts';
import { metacritic } from './metacritic/index.ts';
import { omdb } from './omdb/index.ts';
import { rottentomatoes } from './rottentomatoes/index.ts';
import type { Source } from './source.ts';
import { tmdb } from './tmdb/index.ts';
import { wikidata } from './wikidata/index.ts';

const REGISTRY = { tmdb, wikidata, omdb, rottentomatoes, metacritic, imdb, aftercredits, mcuapi } satisfies { [K in FetchedSourceId]: Source & { id: K } };

/** Every fetched source, in the sources' order. */
export const SOURCES: readonly Source[] = FETCHED_SOURCE_IDS.map((id) => REGISTRY[id]);

/** A fetched source by its id. */
export function sourceOf(id: FetchedSourceId): Source {
  return REGISTRY[id];
}

/** What the package says of the watchlist's data: the project's own list of films (ids, titles, years). */
export const WATCHLIST_TERMS: SourceTermsRef = {
  id: 'watchlist',
  name: 'The stingerdb watchlist',
  homepage: 'https://github.com/stingerdb/stingerdb',
  licence: 'CC0-1.0',
  termsUrl: 'https://creativecommons.org/publicdomain/zero/1.0/',
};

/** Each source named with its terms, in the sources' order (what the published package says of its sources). */
export const SOURCE_TERMS: readonly SourceTermsRef[] = [...SOURCES.map((s) => ({ id: s.id, name: s.name, homepage: s.homepage, ...s.terms })), WATCHLIST_TERMS];

/**
 * The README's source table, from the registry (`tests/readme.test.ts` checks the README holds exactly this):
 * each source's id, kind, what it gives, what it needs, and its terms.
 */
export function sourceTable(): string {
  const needs = (s: Source) => (s.auth ? `\`${s.auth.env}\`` : s.optIn ? `\`--enable ${s.id}\` live` : '—');
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  return [
    '| id | kind | gives | needs | terms |',
    '|---|---|---|---|---|',
    ...SOURCES.map((s) => `| \`${s.id}\` | ${s.kind} | ${cell(s.gives)} | ${needs(s)} | [${cell(s.terms.licence)}](${s.terms.termsUrl}) |`),
  ].join('\n');
}
