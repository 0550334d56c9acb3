/**
 * IMDb page data shapes, as zod schemas (the type is named like its schema).
 *
 * Two kinds of embedded data: the JSON-LD `Movie` of a title page (2020 pages, and the 2023+ pages beside
 * their Next.js data), and `script#__NEXT_DATA__` of 2023+ pages (`props.pageProps.aboveTheFoldData` /
 * `mainColumnData`, IMDb's GraphQL answers). They describe what the parsers rely on and nothing more: every
 * object is `.loose()`, and a value whose type changed between generations (`ratingValue` "9.3" in 2020,
 * 9.3 since 2023) is accepted as either; `parse.ts` converts and range-checks.
 */
import { z } from 'zod';

/** A number that some generations send as a JSON string ("9.3"). */
const NumberLike = z.union([z.number(), z.string()]);
/** GraphQL `{text}` (TitleText, Markdown…). */
const Text = z.object({ text: z.string().nullable().optional() }).loose();

/** JSON-LD `aggregateRating`: `ratingCount` is missing from some trimmed 2026 pages. */
export const ImdbAggregateRating = z
  .object({
    ratingValue: NumberLike.nullable().optional(),
    ratingCount: NumberLike.nullable().optional(),
  })
  .loose();
export type ImdbAggregateRating = z.infer<typeof ImdbAggregateRating>;

/**
 * The JSON-LD `Movie` of a title page. `name` is the original (or English) title, `alternateName` the
 * visitor's localised one; on 2023+ pages `datePublished` and `contentRating` follow the visitor's country.
 */
export const ImdbJsonLdMovie = z
  .object({
    url: z.string().nullable().optional(),
    name: z.string().nullable().optional(),
    alternateName: z.string().nullable().optional(),
    datePublished: z.string().nullable().optional(),
    contentRating: z.string().nullable().optional(),
    duration: z.string().nullable().optional(),
    aggregateRating: ImdbAggregateRating.nullable().optional(),
  })
  .loose();
export type ImdbJsonLdMovie = z.infer<typeof ImdbJsonLdMovie>;

/** GraphQL `ReleaseDate`: the visitor's country's release when it has one (`country.id` "HU"). */
export const ImdbReleaseDate = z
  .object({
    day: z.number().int().nullable().optional(),
    month: z.number().int().nullable().optional(),
    year: z.number().int().nullable().optional(),
    country: z.object({ id: z.string().nullable().optional() }).loose().nullable().optional(),
  })
  .loose();
export type ImdbReleaseDate = z.infer<typeof ImdbReleaseDate>;

/** `aboveTheFoldData`: the title block (rating, Metascore, titles, year, runtime, review totals). */
export const ImdbAboveTheFold = z
  .object({
    id: z.string().nullable().optional(),
    titleText: Text.nullable().optional(),
    originalTitleText: Text.nullable().optional(),
    releaseYear: z.object({ year: z.number().int().nullable().optional() }).loose().nullable().optional(),
    releaseDate: ImdbReleaseDate.nullable().optional(),
    runtime: z.object({ seconds: z.number().nullable().optional() }).loose().nullable().optional(),
    certificate: z.object({ rating: z.string().nullable().optional() }).loose().nullable().optional(),
    ratingsSummary: z
      .object({ aggregateRating: NumberLike.nullable().optional(), voteCount: NumberLike.nullable().optional() })
      .loose()
      .nullable()
      .optional(),
    metacritic: z
      .object({ metascore: z.object({ score: NumberLike.nullable().optional() }).loose().nullable().optional() })
      .loose()
      .nullable()
      .optional(),
    reviews: z.object({ total: NumberLike.nullable().optional() }).loose().nullable().optional(),
    criticReviewsTotal: z.object({ total: NumberLike.nullable().optional() }).loose().nullable().optional(),
  })
  .loose();
export type ImdbAboveTheFold = z.infer<typeof ImdbAboveTheFold>;

/** One crazy credit of the GraphQL data: `text.plaidHtml` is its HTML. */
export const ImdbCrazyCreditNode = z
  .object({
    id: z.string().nullable().optional(),
    text: z.object({ plaidHtml: z.string().nullable().optional(), plainText: z.string().nullable().optional() }).loose(),
  })
  .loose();
export type ImdbCrazyCreditNode = z.infer<typeof ImdbCrazyCreditNode>;

/** `mainColumnData`: the release date with its country, and the crazy credits shown on the title page. */
export const ImdbMainColumn = z
  .object({
    releaseDate: ImdbReleaseDate.nullable().optional(),
    crazyCredits: z
      .object({ edges: z.array(z.object({ node: ImdbCrazyCreditNode }).loose()) })
      .loose()
      .nullable()
      .optional(),
  })
  .loose();
export type ImdbMainColumn = z.infer<typeof ImdbMainColumn>;

/** `__NEXT_DATA__` of a 2023+ title page. */
export const ImdbNextData = z
  .object({
    props: z
      .object({
        pageProps: z
          .object({
            tconst: z.string().nullable().optional(),
            aboveTheFoldData: ImdbAboveTheFold.nullable().optional(),
            mainColumnData: ImdbMainColumn.nullable().optional(),
          })
          .loose(),
      })
      .loose(),
  })
  .loose();
export type ImdbNextData = z.infer<typeof ImdbNextData>;
