/**
 * OMDb API response shapes, as zod schemas (the type is named like its schema).
 *
 * Every OMDb value is a JSON string ("N/A" for missing), so the schemas only check that the fields the
 * parsers rely on are strings where present; values are read and converted in `parse.ts`. Objects are
 * `.loose()`: fields OMDb adds, and the ones it drops for series (DVD, BoxOffice, Production, Website), pass.
 * The 2011 bodies of imdbapi.com, OMDb's predecessor domain, use other names (`Rating`, `Votes`, `ID`,
 * optional `tomato*` fields) and have no `Type`: the title schema accepts both generations.
 */
import { z } from 'zod';

/** One `Ratings[]` entry: "Internet Movie Database" "7.1/10", "Rotten Tomatoes" "57%", "Metacritic" "55/100". */
export const OmdbRating = z.object({ Source: z.string(), Value: z.string() }).loose();
export type OmdbRating = z.infer<typeof OmdbRating>;

/** A title record (`?i=` or `?t=`): a movie, series, episode or game. */
export const OmdbTitle = z
  .object({
    Response: z.literal('True'),
    Title: z.string(),
    Year: z.string().optional(),
    Rated: z.string().optional(),
    Released: z.string().optional(),
    Runtime: z.string().optional(),
    Genre: z.string().optional(),
    Director: z.string().optional(),
    Actors: z.string().optional(),
    Ratings: z.array(OmdbRating).optional(),
    Metascore: z.string().optional(),
    imdbRating: z.string().optional(),
    imdbVotes: z.string().optional(),
    imdbID: z.string().optional(),
    /** "movie", "series", "episode", "game"; absent in 2011 bodies. */
    Type: z.string().optional(),
    /** Series only. */
    totalSeasons: z.string().optional(),
    /** 2011 (imdbapi.com) name of `imdbRating`. */
    Rating: z.string().optional(),
    /** 2011 name of `imdbVotes` (no thousands separators). */
    Votes: z.string().optional(),
    /** 2011 name of `imdbID`. */
    ID: z.string().optional(),
    /** 2011 Tomatometer, when asked for with `tomatoes=true`. */
    tomatoMeter: z.string().optional(),
    /** 2011 number of critic reviews behind `tomatoMeter`. */
    tomatoReviews: z.string().optional(),
  })
  .loose();
export type OmdbTitle = z.infer<typeof OmdbTitle>;

/** One `?s=` result. `Year` is a range with an EN DASH for series ("2007–2019", open "2015–"). */
export const OmdbSearchItem = z
  .object({
    Title: z.string(),
    Year: z.string(),
    imdbID: z.string(),
    Type: z.string(),
    Poster: z.string().optional(),
  })
  .loose();
export type OmdbSearchItem = z.infer<typeof OmdbSearchItem>;

/** A `?s=` page: at most 10 results; `totalResults` is a string. */
export const OmdbSearchPage = z
  .object({
    Response: z.literal('True'),
    Search: z.array(OmdbSearchItem),
    totalResults: z.string(),
  })
  .loose();
export type OmdbSearchPage = z.infer<typeof OmdbSearchPage>;

/**
 * An error body, served with HTTP 200 (401 for key errors): `{"Response":"False","Error":"Movie not found!"}`,
 * or the 2011 `{"Response":"Parse Error"}` without an `Error`.
 */
export const OmdbErrorBody = z
  .object({
    Response: z.enum(['False', 'Parse Error']),
    Error: z.string().optional(),
  })
  .loose();
export type OmdbErrorBody = z.infer<typeof OmdbErrorBody>;
