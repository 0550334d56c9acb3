/**
 * Rotten Tomatoes: the shapes of the structured data its pages embed, as zod schemas (the type is named like
 * its schema). One page generation after another moved its numbers between these blocks:
 * - JSON-LD `Movie` (2019 on): `aggregateRating` is the Tomatometer only; `ratingValue` is a number in 2019
 *   and a string ("96") from 2021; `name` carries the year ("Dune (2021)") in 2026 pages;
 * - `window.mpscall` of `script#mps-page-integration` (2019-2024): ad targeting values `cag[…]`, all strings;
 * - `script#scoreDetails` (2023 to April 2024): `scoreboard.{tomatometerScore, audienceScore}` with exact
 *   counts (`audienceScore.ratingCount`) beside the banded one shown on the page;
 * - `script#media-scorecard-json` (April 2024 on): `criticsScore`/`audienceScore` with scores as strings and
 *   only a banded audience count; `overlay.criticsTop` and `overlay.audienceVerified`;
 * - `script#hydration` (2026): `title` and `releaseYear` (a string), and the trailer (`primaryVideo`).
 * Every object is `.loose()` and every value is accepted in each form seen; values are checked and converted
 * in `parse.ts`, so a schema failure means "not the shape we know", never "a value we dislike".
 */
import { z } from 'zod';

/** A number that some generations send as a JSON string ("96", "8.30", "426"). */
const NumberLike = z.union([z.number(), z.string()]);

/** A `Person` of JSON-LD (`director`, `actor`). */
export const RtJsonLdPerson = z.object({ name: z.string().nullable().optional() }).loose();
export type RtJsonLdPerson = z.infer<typeof RtJsonLdPerson>;

/** One person or a list of them: JSON-LD allows both. */
const People = z.union([RtJsonLdPerson, z.array(RtJsonLdPerson)]);

/** JSON-LD `aggregateRating` of a film page: the Tomatometer (`name` "Tomatometer"), never the audience score. */
export const RtJsonLdAggregateRating = z
  .object({
    name: z.string().nullable().optional(),
    ratingValue: NumberLike.nullable().optional(),
    ratingCount: NumberLike.nullable().optional(),
    reviewCount: NumberLike.nullable().optional(),
  })
  .loose();
export type RtJsonLdAggregateRating = z.infer<typeof RtJsonLdAggregateRating>;

/**
 * JSON-LD `Movie`. `duration` is the film's ("2 hr. 11 min.", 2023) when present; the `video` object beside
 * it is a trailer, whose `duration` ("2:29") is never the film's. `datePublished` is null on 2019-2021 pages.
 * The 2019 extract calls the cast `actors`, later pages `actor`.
 */
export const RtJsonLdMovie = z
  .object({
    name: z.string(),
    url: z.string().nullable().optional(),
    contentRating: z.string().nullable().optional(),
    datePublished: z.string().nullable().optional(),
    duration: z.string().nullable().optional(),
    aggregateRating: RtJsonLdAggregateRating.nullable().optional(),
    director: People.nullable().optional(),
    actor: People.nullable().optional(),
    actors: People.nullable().optional(),
  })
  .loose();
export type RtJsonLdMovie = z.infer<typeof RtJsonLdMovie>;

/** `window.mpscall` of `script#mps-page-integration` (2019-2024): string values keyed `cag[score]`, `cag[release]`… */
export const RtMpsCall = z.record(z.string(), z.unknown());
export type RtMpsCall = z.infer<typeof RtMpsCall>;

/**
 * A score of `script#scoreDetails` (2023): `value` a number (absent when there is none), `state`
 * "certified-fresh" / "fresh" / "rotten" / "upright" / "spilled" / "". For the audience, `ratingCount` is the
 * exact number of ratings and `reviewCount` the written reviews; for critics both count reviews.
 */
export const RtScoreDetailsScore = z
  .object({
    value: NumberLike.nullable().optional(),
    state: z.string().nullable().optional(),
    averageRating: NumberLike.nullable().optional(),
    bandedRatingCount: z.string().nullable().optional(),
    likedCount: NumberLike.nullable().optional(),
    notLikedCount: NumberLike.nullable().optional(),
    ratingCount: NumberLike.nullable().optional(),
    reviewCount: NumberLike.nullable().optional(),
  })
  .loose();
export type RtScoreDetailsScore = z.infer<typeof RtScoreDetailsScore>;

/** `script#scoreDetails` (2023 to April 2024): the scoreboard shown on the page and the modal's detail. */
export const RtScoreDetails = z
  .object({
    scoreboard: z
      .object({
        tomatometerScore: RtScoreDetailsScore.nullable().optional(),
        audienceScore: RtScoreDetailsScore.nullable().optional(),
        title: z.string().nullable().optional(),
        /** "2011, Fantasy/Adventure, 2h 11m". */
        info: z.string().nullable().optional(),
        rating: z.string().nullable().optional(),
      })
      .loose(),
    modal: z
      .object({
        tomatometerScoreTop: RtScoreDetailsScore.nullable().optional(),
        audienceScoreVerified: RtScoreDetailsScore.nullable().optional(),
      })
      .loose()
      .nullable()
      .optional(),
  })
  .loose();
export type RtScoreDetails = z.infer<typeof RtScoreDetails>;

/**
 * A score of `script#media-scorecard-json` (April 2024 on): `score` a string ("96"), `sentiment`
 * "POSITIVE"/"NEGATIVE", `bandedRatingCount` "250,000+ Ratings" (audience) or "0 Verified Ratings"; the
 * audience has no exact rating count, only `reviewCount` (written reviews).
 */
export const RtScorecardScore = z
  .object({
    score: NumberLike.nullable().optional(),
    title: z.string().nullable().optional(),
    certified: z.boolean().nullable().optional(),
    sentiment: z.string().nullable().optional(),
    averageRating: NumberLike.nullable().optional(),
    bandedRatingCount: z.string().nullable().optional(),
    likedCount: NumberLike.nullable().optional(),
    notLikedCount: NumberLike.nullable().optional(),
    ratingCount: NumberLike.nullable().optional(),
    reviewCount: NumberLike.nullable().optional(),
  })
  .loose();
export type RtScorecardScore = z.infer<typeof RtScorecardScore>;

/** `script#media-scorecard-json` (April 2024 on). The audience score is titled "Popcornmeter" from 2025. */
export const RtMediaScorecard = z
  .object({
    criticsScore: RtScorecardScore.nullable().optional(),
    audienceScore: RtScorecardScore.nullable().optional(),
    hideAudienceScore: z.boolean().nullable().optional(),
    overlay: z
      .object({
        criticsTop: RtScorecardScore.nullable().optional(),
        audienceVerified: RtScorecardScore.nullable().optional(),
      })
      .loose()
      .nullable()
      .optional(),
  })
  .loose();
export type RtMediaScorecard = z.infer<typeof RtMediaScorecard>;

/** `script#hydration` (2026): the film's title and year; `primaryVideo` is a trailer, not the film. */
export const RtHydration = z
  .object({
    title: z.string().nullable().optional(),
    releaseYear: NumberLike.nullable().optional(),
  })
  .loose();
export type RtHydration = z.infer<typeof RtHydration>;
