/**
 * Metacritic (HTML pages; no data licence, so requests are few and slow): the Metascore with its critic
 * count, the user score where a page carries it, and the film's details and directors.
 *
 * A film with a known slug (`movie/<slug>`) gets its page, `https://www.metacritic.com/movie/<slug>/`
 * (trailing slash since 2023). Without one, a title search picks the single result with the same title and
 * year — remakes and sequels get unrelated slugs (Dune 1984 is `movie/dune`; The Matrix Resurrections is
 * `movie/the-matrix-4`) — and the film page follows. The search URL carries the title in its path, spaces
 * as "+", as Metacritic's own search form builds it.
 */
import { METACRITIC_ID } from '../../schema/ids.ts';
import type { ParsedObservation } from '../../schema/observation.ts';
import { defineSource, type MovieContext, type SourceRequest } from '../source.ts';
import { parseMovie, parseSearch } from './parse.ts';

const SITE = 'https://www.metacritic.com';

/** The page of a film: `movie/<slug>` → `https://www.metacritic.com/movie/<slug>/`. */
export function filmPageRequest(slug: string, fallback?: SourceRequest): SourceRequest {
  return {
    label: 'film page',
    url: `${SITE}/${slug}/`,
    parse: parseMovie,
    // A renamed slug answers 404: the title search can still find the film.
    ...(fallback && { fallback: [fallback] }),
  };
}

/** The search URL of a title: `/search/movie/<title, spaces as +>/results`. */
export function searchUrl(title: string): string {
  return `${SITE}/search/movie/${encodeURIComponent(title.trim()).replace(/%20/g, '+')}/results`;
}

/**
 * A title search that picks one film by title and year, then asks for its page — unless the search is the
 * fallback of that very page, which has just failed to answer.
 */
export function searchRequest(title: string, year?: number, failedSlug?: string): SourceRequest {
  return {
    label: 'search',
    url: searchUrl(title),
    parse: (body, url) => parseSearch(body, url, year === undefined ? { title } : { title, year }),
    next: (observations: readonly ParsedObservation[]) => {
      const slug = observations.find((o) => o.kind === 'ids')?.ids.metacritic;
      return slug && slug !== failedSlug ? [filmPageRequest(slug)] : [];
    },
  };
}

/** The Metacritic source. */
export const metacritic = defineSource({
  id: 'metacritic',
  name: 'Metacritic',
  homepage: `${SITE}/`,
  hosts: ['www.metacritic.com'],
  limits: { concurrency: 1, minIntervalMs: 2000 },
  robots: true,
  refresh: { score: 1, default: 7 },
  terms: {
    licence: 'Site content (Fandom Terms of Use): no data licence; read politely, one page at a time',
    termsUrl: 'https://www.fandom.com/terms-of-use',
  },
  kind: 'HTML pages',
  gives: 'Metascore and critic count, user score where the page carries it, release date, content rating, directors',
  requestOf: (recorded) => {
    const film = recorded.movie ?? {};
    if (recorded.kind === 'search-page') return film.title ? { request: searchRequest(film.title, film.year), discovery: false } : null;
    return { request: filmPageRequest(film.metacritic ?? 'movie/unknown'), discovery: false };
  },
  requests: (movie: MovieContext): SourceRequest[] => {
    const slug = movie.ids.metacritic;
    const known = slug !== undefined && METACRITIC_ID.test(slug) ? slug : undefined;
    const search = movie.title ? searchRequest(movie.title, movie.year, known) : undefined;
    if (known !== undefined) return [filmPageRequest(known, search)];
    return search ? [search] : [];
  },
});
