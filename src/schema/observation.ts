/**
 * Observations: what one source said about one film, with where (`url`) and when (`observedAt`).
 *
 * They are the durable layer between collection and normalization. Parsers produce them from a response
 * body, the pipeline files them under a film id and stores them in `observations/<source>.jsonl`, and
 * normalization turns all of them into canonical records. A source that fails keeps its last good
 * observations, so a broken source never erases data: it only ages.
 *
 * Field conventions: a key that is absent means "this response does not carry it"; `null` means "the
 * response carries the field and says it is missing" (a score with no votes, a Metascore of "tbd").
 */
import { z } from 'zod';
import { IsoDate, MovieId, MovieIds, ObservedAt } from './ids.ts';
import { SourceId } from './sources.ts';
import { CastMember, CreditScene, SlotReadings } from './movie.ts';
import { SCORE_GROUP_NAMES, type ScoreGroup as ScoreGroupName } from './scores.ts';

const Text = z.string().min(1);
const Percent = z.number().int().min(0).max(100);
const TenPoint = z.number().min(0).max(10);
const Count = z.number().int().min(1);

const base = {
  source: SourceId,
  /** The response this was read from, API keys removed. */
  url: z.string().url(),
  observedAt: ObservedAt,
  /** The film id the pipeline filed this under. */
  movie: MovieId,
  /** The ids the response itself gives for its film (used to link and to check identity). */
  ids: MovieIds,
};

export const DetailsObservation = z
  .object({
    ...base,
    kind: z.literal('details'),
    /** English title (absent when the response is localised to another language). */
    title: Text.nullable().optional(),
    /** Title in the language the response was localised to, with that language. */
    localizedTitle: Text.optional(),
    language: z.string().min(2).max(10).optional(),
    originalTitle: Text.nullable().optional(),
    year: z.number().int().min(1870).max(2100).nullable().optional(),
    releaseDate: IsoDate.nullable().optional(),
    runtimeMinutes: z.number().int().min(1).max(1500).nullable().optional(),
    contentRating: Text.nullable().optional(),
    genres: z.array(Text).optional(),
    companies: z.array(Text).optional(),
    countries: z.array(z.string().regex(/^[A-Z]{2}$/)).optional(),
    languages: z.array(z.string().regex(/^[a-z]{2,3}$/)).optional(),
    synopsis: Text.nullable().optional(),
    /** Release status where the source gives one ("Released", "Post Production"…). */
    status: Text.optional(),
  })
  .strict();
export type DetailsObservation = z.infer<typeof DetailsObservation>;

export const CreditsObservation = z
  .object({
    ...base,
    kind: z.literal('credits'),
    directors: z.array(Text),
    /** Top-billed cast in billing order. */
    cast: z.array(CastMember),
  })
  .strict();
export type CreditsObservation = z.infer<typeof CreditsObservation>;

/** Only links ids (an external-ids response, a search result picked unambiguously, a crosswalk entry). */
export const IdsObservation = z
  .object({
    ...base,
    kind: z.literal('ids'),
  })
  .strict();
export type IdsObservation = z.infer<typeof IdsObservation>;

/** A release-dates response: the US theatrical date and certification. */
export const ReleasesObservation = z
  .object({
    ...base,
    kind: z.literal('releases'),
    countries: z.number().int().min(0),
    usTheatricalDate: IsoDate.nullable(),
    usCertification: Text.nullable(),
  })
  .strict();
export type ReleasesObservation = z.infer<typeof ReleasesObservation>;

/** A scoring site's group (the score catalogue's). */
export const ScoreGroup = z.enum(SCORE_GROUP_NAMES as [ScoreGroupName, ...ScoreGroupName[]]);
export type ScoreGroup = ScoreGroupName;

export const ScoreObservation = z.discriminatedUnion('group', [
  z.object({ ...base, kind: z.literal('score'), group: z.literal('tmdb'), voteAverage: TenPoint.nullable(), voteCount: Count.nullable().optional() }).strict(),
  z.object({ ...base, kind: z.literal('score'), group: z.literal('imdb'), rating: TenPoint.nullable(), votes: Count.nullable().optional() }).strict(),
  z
    .object({
      ...base,
      kind: z.literal('score'),
      group: z.literal('rottenTomatoes'),
      tomatometer: Percent.nullable().optional(),
      criticCount: Count.nullable().optional(),
      audienceScore: Percent.nullable().optional(),
      audienceCount: Count.nullable().optional(),
    })
    .strict(),
  z
    .object({
      ...base,
      kind: z.literal('score'),
      group: z.literal('metacritic'),
      metascore: Percent.nullable().optional(),
      criticCount: Count.nullable().optional(),
      userScore: TenPoint.nullable().optional(),
      userCount: Count.nullable().optional(),
    })
    .strict(),
]);
export type ScoreObservation = z.infer<typeof ScoreObservation>;

/**
 * A source's claim about the credit slots. `during`/`after`: true = the source reports something in that
 * slot that it calls a scene; false = the source positively says there is nothing; null = no claim.
 * `strength` says how much the claim weighs (a crowd keyword list without stinger keywords is at most weak
 * evidence of "no").
 */
export const CreditScenesObservation = z
  .object({
    ...base,
    kind: z.literal('creditScenes'),
    during: z.boolean().nullable(),
    after: z.boolean().nullable(),
    strength: z.enum(['strong', 'weak']),
    scenes: z.array(CreditScene),
    /** The source's own words or tags behind the claim. */
    detail: Text.optional(),
    /** How a source that tags slots (AfterCredits) tagged each: what the answer's inference reads. */
    reading: SlotReadings.optional(),
    /**
     * A feed that lists its whole catalogue each time stopped listing the film: absent from `DELIST_AFTER`
     * healthy listings in a row since this date (set by the pipeline, `src/pipeline/listings.ts`; cleared when
     * the feed lists it again). The claim still counts.
     */
    noLongerListedSince: ObservedAt.optional(),
  })
  .strict();
export type CreditScenesObservation = z.infer<typeof CreditScenesObservation>;

export const Observation = z.union([
  DetailsObservation,
  CreditsObservation,
  IdsObservation,
  ReleasesObservation,
  ScoreObservation,
  CreditScenesObservation,
]);
export type Observation = z.infer<typeof Observation>;
export type ObservationKind = Observation['kind'];

/** What a parser returns: an observation before the pipeline has dated it and filed it under a film. */
export type ParsedObservation = DistributiveOmit<Observation, 'observedAt' | 'movie'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The key under which a newer observation replaces an older one. */
export function observationKey(o: Pick<Observation, 'movie' | 'source' | 'kind'> & { group?: string }): string {
  return `${o.movie}\u0000${o.source}\u0000${o.kind}${o.group ? `:${o.group}` : ''}`;
}

/** The order of observations: in a store file, and in a film's stream to the build (film, kind, score group, URL). */
export function sortKeyOf(o: Observation): string {
  return `${o.movie}\u0000${o.kind}\u0000${o.kind === 'score' ? o.group : ''}\u0000${o.url}`;
}
