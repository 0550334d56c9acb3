/**
 * Records for tests: a film with nothing known but what a test gives it, checked by the schema.
 */
import { Movie, type SlotAnswer } from '../../src/schema/movie.ts';

/** The answers of a film nothing is known of (what the build gives a film no source reports on). */
export const NO_ANSWER: Record<'during' | 'after', SlotAnswer> = {
  during: { answer: 'unknown', probability: null, basis: 'none', why: 'No source reports on this film’s credits.' },
  after: { answer: 'unknown', probability: null, basis: 'none', why: 'No source reports on this film’s credits.' },
};

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
    creditScenes: { during: null, after: null, confidence: 0, scenes: [], evidence: [], slots: NO_ANSWER },
    scores: {},
    sources: [],
    ...extra,
  });
}
