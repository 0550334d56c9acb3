/**
 * Rotten Tomatoes: the Tomatometer and critic count, the audience score ("Popcornmeter" since 2025) with its
 * exact count where the page has one, and the film's title, year, release date, runtime, rating and
 * directors, read from the film page `https://www.rottentomatoes.com/m/<slug>`.
 *
 * Quirks: an HTML source with no API and no data licence, so it reads robots.txt and sends one request at a
 * time, 2 s apart. Films without a known slug are looked up on the search page by title and year (remakes
 * share titles: The Matrix 1999 is `m/matrix`, Resurrections `m/the_matrix_resurrections`), which needs the
 * year; a stale slug falls back to the same search. Page generations from 2008 to 2026 are read (`parse.ts`).
 */
import { ROTTEN_TOMATOES_ID } from '../../schema/ids.ts';
import type { ParsedObservation } from '../../schema/observation.ts';
import { defineSource, type MovieContext, type SourceRequest } from '../source.ts';
import { parseRtPage, parseRtSearch, type RtSearchQuery } from './parse.ts';

const SITE = 'https://www.rottentomatoes.com';

/** The film page of a slug (`m/<slug>`), with requests to try when it is not answered. */
export function filmPageRequest(slug: string, fallback: SourceRequest[] = []): SourceRequest {
  return {
    label: 'film page',
    url: `${SITE}/${slug}`,
    parse: (body, url) => parseRtPage(body, url).observations,
    ...(fallback.length > 0 && { fallback }),
  };
}

function slugOf(observations: readonly ParsedObservation[]): string | undefined {
  const slug = observations.find((o) => o.kind === 'ids')?.ids.rottenTomatoes;
  return slug !== undefined && ROTTEN_TOMATOES_ID.test(slug) ? slug : undefined;
}

/** The search page for a title; its one film row of that title and year gives the slug, whose page is next. */
export function searchRequest(query: RtSearchQuery): SourceRequest {
  const url = new URL(`${SITE}/search`);
  url.searchParams.set('search', query.title);
  return {
    label: 'search',
    url: url.toString(),
    parse: (body, u) => parseRtSearch(body, u, query),
    next: (observations) => {
      const slug = slugOf(observations);
      return slug === undefined ? [] : [filmPageRequest(slug)];
    },
  };
}

/** The requests for one film: its page when the slug is known, else (or when that fails) a title search. */
export function filmRequests(movie: MovieContext): SourceRequest[] {
  // Without a year a search cannot tell a film from its remake, so it is not made.
  const search = movie.title && movie.year !== undefined ? [searchRequest({ title: movie.title, year: movie.year })] : [];
  const slug = movie.ids.rottenTomatoes;
  if (slug !== undefined && ROTTEN_TOMATOES_ID.test(slug)) return [filmPageRequest(slug, search)];
  return search;
}

/** The Rotten Tomatoes source. */
export const rottentomatoes = defineSource({
  id: 'rottentomatoes',
  name: 'Rotten Tomatoes',
  homepage: `${SITE}/`,
  hosts: ['www.rottentomatoes.com'],
  limits: { concurrency: 1, minIntervalMs: 2000 },
  robots: true,
  refresh: { score: 1, default: 7 },
  terms: {
    licence:
      'Rotten Tomatoes (Fandango) site content: no data licence and no API; pages are read politely (robots.txt, one request at a time, 2 s apart)',
    termsUrl: `${SITE}/policies/terms-and-policies`,
  },
  replay: { caseInsensitiveParams: ['search'] },
  kind: 'HTML pages',
  gives: 'Tomatometer and critic count, audience score (Popcornmeter) and exact audience count, title, year, release date, runtime, rating, directors',
  requests: filmRequests,
  requestOf: (recorded) => {
    const film = recorded.movie ?? {};
    if (recorded.kind === 'search-page') return film.title && film.year ? { request: searchRequest({ title: film.title, year: film.year }), discovery: false } : null;
    return { request: filmPageRequest(film.rottenTomatoes ?? 'm/unknown'), discovery: false };
  },
});
