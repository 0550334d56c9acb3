/**
 * Records for tests: a film with nothing known but what a test gives it, checked by the schema.
 */
import { Movie } from '../../src/schema/movie.ts';

/** A valid record of film `id` (an IMDb id or `tmdb:<n>`), empty but for `extra`. */
export function movieRecord(id: string, extra: Partial<Movie> = {}): Movie {
  return Movie.parse({
    id,
    ids: id.startsWith('tt') ? { imdb: id } : { tmdb: Number(id.slice(5)) },
    title: null,
    genres: [],
    directors: [],
    cast: [],
    companies: [],
    countries: [],
    languages: [],
    creditScenes: { during: null, after: null, confidence: 0, scenes: [], evidence: [] },
    scores: {},
    sources: [],
    ...extra,
  });
}
