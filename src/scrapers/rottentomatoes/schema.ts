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
 * Every object is loose (`z.looseObject`: unknown keys kept) and every value is accepted in each form seen;
 * values are checked and converted in `parse.ts`, so a schema failure means "not the shape we know", never
 * "a value we dislike".
 */
import { z } from 'zod';

/**
 * A value a block may leave out or send as null: both are accepted here, and `parse.ts` tells them apart
 * (absent = the block does not carry it; null = it says the value is missing).
 */
function maybe<T extends z.ZodType>(schema: T) {
  return schema.nullable().optional();
}

/** A number that some generations send as a JSON string ("96", "8.30", "426"); absent or null allowed. */
const NumberLike = maybe(z.union([z.number(), z.string()]));
/** A string; absent or null allowed. */
const Text = maybe(z.string());

/** A `Person` of JSON-LD (`director`, `actor`). */
export const RtJsonLdPerson = z.looseObject({ name: Text });
export type RtJsonLdPerson = z.infer<typeof RtJsonLdPerson>;

/** One person or a list of them: JSON-LD allows both. */
const People = maybe(z.union([RtJsonLdPerson, z.array(RtJsonLdPerson)]));

/** JSON-LD `aggregateRating` of a film page: the Tomatometer (`name` "Tomatometer"), never the audience score. */
export const RtJsonLdAggregateRating = z.looseObject({
  name: Text,
  ratingValue: NumberLike,
  ratingCount: NumberLike,
  reviewCount: NumberLike,
});
export type RtJsonLdAggregateRating = z.infer<typeof RtJsonLdAggregateRating>;

/**
 * JSON-LD `Movie`. `duration` is the film's ("2 hr. 11 min.", 2023) when present; the `video` object beside
 * it is a trailer, whose `duration` ("2:29") is never the film's. `datePublished` is null on 2019-2021 pages.
 * The 2019 extract calls the cast `actors`, later pages `actor`.
 */
export const RtJsonLdMovie = z.looseObject({
  name: z.string(),
  url: Text,
  contentRating: Text,
  datePublished: Text,
  duration: Text,
  aggregateRating: maybe(RtJsonLdAggregateRating),
  director: People,
  actor: People,
  actors: People,
});
export type RtJsonLdMovie = z.infer<typeof RtJsonLdMovie>;

/** `window.mpscall` of `script#mps-page-integration` (2019-2024): string values keyed `cag[score]`, `cag[release]`… */
export const RtMpsCall = z.record(z.string(), z.unknown());
export type RtMpsCall = z.infer<typeof RtMpsCall>;

/**
 * What a score of both score blocks (2023 `script#scoreDetails`, 2024 `script#media-scorecard-json`) carries
 * under the same names: the critics' average, the banded count shown, liked and not-liked reviews, and the
 * counts. For the audience, `ratingCount` is the exact number of ratings (2023 only) and `reviewCount` the
 * written reviews; for critics both count reviews.
 */
const ScoreCounts = {
  averageRating: NumberLike,
  bandedRatingCount: Text,
  likedCount: NumberLike,
  notLikedCount: NumberLike,
  ratingCount: NumberLike,
  reviewCount: NumberLike,
};

/**
 * A score of `script#scoreDetails` (2023): `value` a number (absent when there is none), `state`
 * "certified-fresh" / "fresh" / "rotten" / "upright" / "spilled" / "".
 */
export const RtScoreDetailsScore = z.looseObject({ value: NumberLike, state: Text, ...ScoreCounts });
export type RtScoreDetailsScore = z.infer<typeof RtScoreDetailsScore>;

/** `script#scoreDetails` (2023 to April 2024): the scoreboard shown on the page and the modal's detail. */
export const RtScoreDetails = z.looseObject({
  scoreboard: z.looseObject({
    tomatometerScore: maybe(RtScoreDetailsScore),
    audienceScore: maybe(RtScoreDetailsScore),
    title: Text,
    /** "2011, Fantasy/Adventure, 2h 11m". */
    info: Text,
    rating: Text,
  }),
  modal: maybe(z.looseObject({ tomatometerScoreTop: maybe(RtScoreDetailsScore), audienceScoreVerified: maybe(RtScoreDetailsScore) })),
});
export type RtScoreDetails = z.infer<typeof RtScoreDetails>;

/**
 * A score of `script#media-scorecard-json` (April 2024 on): `score` a string ("96"), `sentiment`
 * "POSITIVE"/"NEGATIVE", `bandedRatingCount` "250,000+ Ratings" (audience) or "0 Verified Ratings"; the
 * audience has no exact rating count, only `reviewCount` (written reviews).
 */
export const RtScorecardScore = z.looseObject({ score: NumberLike, title: Text, certified: maybe(z.boolean()), sentiment: Text, ...ScoreCounts });
export type RtScorecardScore = z.infer<typeof RtScorecardScore>;

/** `script#media-scorecard-json` (April 2024 on). The audience score is titled "Popcornmeter" from 2025. */
export const RtMediaScorecard = z.looseObject({
  criticsScore: maybe(RtScorecardScore),
  audienceScore: maybe(RtScorecardScore),
  hideAudienceScore: maybe(z.boolean()),
  overlay: maybe(z.looseObject({ criticsTop: maybe(RtScorecardScore), audienceVerified: maybe(RtScorecardScore) })),
});
export type RtMediaScorecard = z.infer<typeof RtMediaScorecard>;

/** `script#hydration` (2026): the film's title and year; `primaryVideo` is a trailer, not the film. */
export const RtHydration = z.looseObject({ title: Text, releaseYear: NumberLike });
export type RtHydration = z.infer<typeof RtHydration>;
