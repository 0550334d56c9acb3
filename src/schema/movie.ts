/**
 * The canonical record, schema v1 — defined once, here.
 *
 * Everything else is derived from these zod schemas: the JSON Schema (`dataset/schema.json`) and the
 * TypeScript declarations shipped in the dataset package, the SQLite columns, the README data dictionary.
 * Descriptions become TSDoc in consumers' editors, so they are written for the people who read them there.
 *
 * Rules that hold for every field: missing is `null` (or an absent optional key), never `0`, `""` or `"%"`;
 * text is plain text; dates are ISO 8601; ids are validated by pattern.
 */
import { z } from 'zod';
import { IsoDate, MovieId, MovieIds, ObservedAt } from './ids.ts';
import { SCORE_GROUPS, SCORE_GROUP_NAMES, ScoreCount, scaleSchema, scoresOf, type ScoreEntry, type ScoreGroup } from './scores.ts';
import { SourceId } from './sources.ts';

export const SCHEMA_VERSION = 1;

const PlainText = z.string().min(1);

export const CastMember = z
  .object({
    name: PlainText.describe('Performer\'s name.'),
    character: PlainText.optional().describe('Character played, as credited.'),
  })
  .strict()
  .meta({ id: 'CastMember', description: 'A top-billed cast member, in billing order.' });
export type CastMember = z.infer<typeof CastMember>;

export const ScenePosition = z
  .enum(['during', 'after'])
  .meta({ id: 'ScenePosition', description: '"during": plays while the end credits run; "after": plays once all credits have finished.' });
export type ScenePosition = z.infer<typeof ScenePosition>;

/**
 * What plays in a credit slot. Only `scene` and `bloopers` make a slot true; the others are listed so that
 * a user knows what they would wait for, but they are not scenes.
 */
export const SceneKind = z
  .enum(['scene', 'bloopers', 'audio', 'stills', 'dedication', 'text', 'trailer'])
  .meta({ id: 'SceneKind', description: 'scene: a story scene, gag, sequel setup or musical number; bloopers: outtakes or bloopers; audio: sound only; ' +
      'stills: still images; dedication: dedication or in-memoriam card; text: a text card such as "X will return"; ' +
      'trailer: a preview of another film. ' +
      'Only scene and bloopers make a slot true.', });
export type SceneKind = z.infer<typeof SceneKind>;

export const CreditScene = z
  .object({
    position: ScenePosition,
    kind: SceneKind,
    description: PlainText.optional().describe('What happens (a spoiler), when a source describes it.'),
  })
  .strict()
  .meta({ id: 'CreditScene', description: 'One thing that plays during or after the end credits.' });
export type CreditScene = z.infer<typeof CreditScene>;

/**
 * How a source that tags credit slots (AfterCredits) tagged one slot, read by its parser. Only "scene" and
 * "scene-of-both" are claims of a scene; the others are what the answer's inference reads (README "The answer").
 */
export const SlotReading = z
  .enum(['scene', 'scene-of-both', 'non-scene', 'not-mentioned', 'unplaced'])
  .meta({
    id: 'SlotReading',
    description:
      'scene: the slot is tagged alone, with a scene; scene-of-both: tagged by one tag for both slots; non-scene: tagged, but a sound, stills or a card may be all that plays; ' +
      'not-mentioned: the source tagged the other slot only; unplaced: the source lists the film without saying where anything plays.',
  });
export type SlotReading = z.infer<typeof SlotReading>;

export const SlotReadings = z.object({ during: SlotReading, after: SlotReading }).strict();
export type SlotReadings = z.infer<typeof SlotReadings>;

export const CreditSceneEvidence = z
  .object({
    source: SourceId,
    during: z.boolean().nullable().optional().describe('What this source claims about the "during" slot; null or absent = no claim.'),
    after: z.boolean().nullable().optional().describe('What this source claims about the "after" slot; null or absent = no claim.'),
    detail: PlainText.optional().describe('The source\'s own words or tags behind the claim.'),
    reading: SlotReadings.optional().describe('How the source tagged each slot, for a source that tags slots (AfterCredits).'),
    observedAt: ObservedAt,
    noLongerListedSince: ObservedAt.optional().describe(
      'The source, a feed that lists its whole catalogue, has stopped listing this film: absent from every healthy listing since this date (several in a row; README: "no longer listed"). Its claim still counts (a film does not lose its scenes), but the source no longer stands by it.',
    ),
  })
  .strict()
  .meta({ id: 'CreditSceneEvidence', description: 'One source\'s claim about the credit slots of a film.' });
export type CreditSceneEvidence = z.infer<typeof CreditSceneEvidence>;

export const SlotAnswer = z
  .object({
    answer: z.enum(['yes', 'no', 'unknown']).describe('"yes": stay, a scene plays in this slot; "no": nothing worth staying for; "unknown": not sure enough either way (see probability).'),
    probability: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .describe('P(a scene plays in this slot), calibrated on hand-checked films (among slots given 0.9, nine in ten have one); null when nothing is known.'),
    basis: z
      .enum(['reported', 'inferred', 'none'])
      .describe('reported: a source\'s claim about this slot decides it; inferred: what sources did not say (a list that would have named it, a report silent on it); none: nothing is known.'),
    why: PlainText.describe('One plain sentence saying why, for a reader.'),
  })
  .strict()
  .meta({ id: 'SlotAnswer', description: 'Should you stay for this slot: the answer, its probability, what it rests on and why (README "The answer").' });
export type SlotAnswer = z.infer<typeof SlotAnswer>;

export const CreditScenes = z
  .object({
    during: z
      .boolean()
      .nullable()
      .describe('true: at least one scene plays while the end credits run; false: a source gives positive evidence that none does; null: unknown.'),
    after: z
      .boolean()
      .nullable()
      .describe('true: a scene plays after all the credits have finished; false: positive evidence that none does; null: unknown.'),
    confidence: z.number().min(0).max(1).describe('How sure stingerdb is of the two verdicts together, 0 to 1.'),
    scenes: z.array(CreditScene).describe('What plays in the credits, with its kind; non-scenes (audio, stills, cards) are listed too.'),
    evidence: z.array(CreditSceneEvidence).describe('What each source claimed, sorted by source.'),
    slots: z
      .object({ during: SlotAnswer, after: SlotAnswer })
      .strict()
      .describe('The answer for each slot, for every film: what `during`/`after` report, plus what can be inferred from what sources did not say.'),
  })
  .strict()
  .meta({ id: 'CreditScenes', description: 'The end-credit verdict: is there a scene during the credits, after them, or none — and how sure we are. The reference is the theatrical release.' });
export type CreditScenes = z.infer<typeof CreditScenes>;

type EntriesOf<G extends ScoreGroup> = Extract<ScoreEntry, { group: G }>;
/** A group's zod shape, typed from the catalogue: each score (nullable) and its count (optional), then where it came from. */
type ScoreGroupShape<G extends ScoreGroup> = { [E in EntriesOf<G> as E['field']]: z.ZodNullable<z.ZodNumber> } & {
  [E in EntriesOf<G> as E['count']]: z.ZodOptional<z.ZodNumber>;
} & { source: typeof SourceId; observedAt: typeof ObservedAt };

/** One scoring site's group of scores, from the score catalogue. */
function scoreGroup<G extends ScoreGroup>(group: G) {
  const shape: Record<string, z.ZodType> = {};
  for (const score of scoresOf(group)) {
    shape[score.field] = scaleSchema(score.scale).nullable().describe(score.describe);
    shape[score.count] = ScoreCount.optional().describe(score.describeCount);
  }
  shape.source = SourceId.describe('The source this group was read from.');
  shape.observedAt = ObservedAt;
  const { schemaId, description } = SCORE_GROUPS[group];
  return z
    .object(shape as ScoreGroupShape<G>)
    .strict()
    .meta({ id: schemaId, description });
}

type ScoresShape = { [G in ScoreGroup]: z.ZodOptional<ReturnType<typeof scoreGroup<G>>> };

export const Scores = z
  .object(Object.fromEntries(SCORE_GROUP_NAMES.map((group) => [group, scoreGroup(group).optional()])) as unknown as ScoresShape)
  .strict()
  .meta({ id: 'Scores', description: 'Review scores, one group per scoring site, each with the source it was read from and when. A group is absent when no source has it.' });
export type Scores = z.infer<typeof Scores>;

export const SourceRef = z
  .object({
    source: SourceId,
    url: z.string().url().describe('The response the data came from (API keys removed).'),
    observedAt: ObservedAt,
  })
  .strict()
  .meta({ id: 'SourceRef', description: 'A response that contributed to this record.' });
export type SourceRef = z.infer<typeof SourceRef>;

export const Movie = z
  .object({
    id: MovieId,
    ids: MovieIds,
    title: PlainText.nullable().describe('English title; the original title when no English one is known; null while only an id is known (feed-only films).'),
    originalTitle: PlainText.optional().describe('Title in the original language.'),
    year: z.number().int().min(1870).max(2100).optional().describe('Year of first release.'),
    releaseDate: IsoDate.optional().describe('Date of first (primary) release.'),
    runtimeMinutes: z.number().int().min(1).max(1500).optional().describe('Running time of the theatrical cut, in minutes.'),
    contentRating: PlainText.optional().describe('US certification, e.g. "PG-13".'),
    genres: z.array(PlainText).describe('Genres, in the source\'s order.'),
    directors: z.array(PlainText).describe('Directors.'),
    cast: z.array(CastMember).describe('Top-billed cast, at most 10.'),
    companies: z.array(PlainText).describe('Production companies.'),
    countries: z.array(z.string().regex(/^[A-Z]{2}$/)).describe('Production countries, ISO 3166-1 alpha-2.'),
    languages: z.array(z.string().regex(/^[a-z]{2,3}$/)).describe('Spoken languages, ISO 639-1 (or 639-2 where no 639-1 exists).'),
    synopsis: PlainText.optional().describe('Short plot summary (plain text).'),
    creditScenes: CreditScenes,
    scores: Scores,
    sources: z.array(SourceRef).describe('Every response that contributed, sorted by source then URL.'),
  })
  .strict()
  .meta({ id: 'Movie', description: 'One feature film: its details, review scores and end-credit scene verdict.' });
export type Movie = z.infer<typeof Movie>;
