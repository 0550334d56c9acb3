/**
 * Metacritic page data shapes, as zod schemas (the type is named like its schema).
 *
 * Two kinds of embedded data: the JSON-LD `Movie` object of a film page (2021 extract and 2023+ pages), and
 * the components of the Nuxt payload (`__NUXT_DATA__`) that 2023+ pages render from. They describe what the
 * parsers rely on and nothing more: every object is `.loose()`, and values that changed type between
 * generations (`ratingValue` "60" in 2021, 85 since 2023) are accepted as either; `parse.ts` converts them.
 */
import { z } from 'zod';

/** A number that the 2021 JSON-LD sends as a string ("60", "57"). */
const NumberLike = z.union([z.number(), z.string()]);

/** A person of the JSON-LD (`director`, `actor`). */
export const MetacriticPerson = z.object({ name: z.string().nullable().optional() }).loose();
export type MetacriticPerson = z.infer<typeof MetacriticPerson>;

/** One person or a list of them (schema.org allows both). */
const People = z.union([MetacriticPerson, z.array(MetacriticPerson)]);

/**
 * The Metascore as JSON-LD: `{ratingValue: 85, reviewCount: 41}` since 2023, `{ratingValue: "60",
 * ratingCount: "57"}` in 2021. The whole object is absent when a film has no Metascore yet.
 */
export const MetacriticAggregateRating = z
  .object({
    ratingValue: NumberLike.nullable().optional(),
    reviewCount: NumberLike.nullable().optional(),
    ratingCount: NumberLike.nullable().optional(),
  })
  .loose();
export type MetacriticAggregateRating = z.infer<typeof MetacriticAggregateRating>;

/**
 * The JSON-LD `Movie` of a film page. `duration` is read only from the 2021 generation (2023+ pages write
 * hours as minutes); `trailer` is a `VideoObject` with a duration of its own, never the film's.
 */
export const MetacriticJsonLdMovie = z
  .object({
    name: z.string(),
    url: z.string().nullable().optional(),
    datePublished: z.string().nullable().optional(),
    dateCreated: z.string().nullable().optional(),
    contentRating: z.string().nullable().optional(),
    duration: z.string().nullable().optional(),
    description: z.string().nullable().optional(),
    genre: z.union([z.string(), z.array(z.string())]).nullable().optional(),
    director: People.nullable().optional(),
    actor: People.nullable().optional(),
    aggregateRating: MetacriticAggregateRating.nullable().optional(),
  })
  .loose();
export type MetacriticJsonLdMovie = z.infer<typeof MetacriticJsonLdMovie>;

/**
 * The `item` of a score-summary component of the Nuxt payload: `score` 0-10 for users (null while "tbd"),
 * `reviewCount` the ratings behind it.
 */
export const MetacriticScoreSummary = z
  .object({
    score: NumberLike.nullable().optional(),
    reviewCount: NumberLike.nullable().optional(),
  })
  .loose();
export type MetacriticScoreSummary = z.infer<typeof MetacriticScoreSummary>;

/** A page component of the Nuxt payload: `{meta: {componentName}, data: {item}}`. */
export const MetacriticNuxtComponent = z
  .object({
    meta: z.object({ componentName: z.string() }).loose(),
    data: z.object({ item: MetacriticScoreSummary.nullable().optional() }).loose().nullable().optional(),
  })
  .loose();
export type MetacriticNuxtComponent = z.infer<typeof MetacriticNuxtComponent>;
