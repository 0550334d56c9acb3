/**
 * MCU API static-mirror shapes, as zod schemas (the type is named like its schema).
 *
 * They describe what the parsers rely on and nothing more: every object is `.loose()`, so fields the API
 * adds (`_links`, `saga`, `multiverse_designation`…) pass through. Records of the API are plain objects in a
 * top-level array; `index.json` is the mirror's manifest. Values are checked and converted in `parse.ts`.
 */
import { z } from 'zod';

const RecordId = z.number().int().positive();

/** `index.json`: when the mirror was generated, a hash of its content, and how many records each file has. */
export const McuIndex = z
  .object({
    generated_at: z.string(),
    content_hash: z.string().nullable().optional(),
    counts: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
export type McuIndex = z.infer<typeof McuIndex>;

/**
 * One `movies.json` record. `post_credit_scenes` is a count (not a list); `duration` is in minutes, 0 for
 * films not out yet; `directed_by` is one string ("Anthony Russo, Joe Russo", "" when unknown); `imdb_id` and
 * `release_date` are null for announced films.
 */
export const McuMovie = z
  .object({
    id: RecordId,
    title: z.string().nullable().optional(),
    release_date: z.string().nullable().optional(),
    duration: z.number().nullable().optional(),
    overview: z.string().nullable().optional(),
    directed_by: z.string().nullable().optional(),
    post_credit_scenes: z.number().int().min(0).nullable().optional(),
    imdb_id: z.string().nullable().optional(),
    is_mcu: z.boolean().nullable().optional(),
  })
  .loose();
export type McuMovie = z.infer<typeof McuMovie>;

/**
 * One `post-credit-scenes.json` record: a scene of a film (`movie_id`) or of a TV show (`tvshow_id`), with the
 * maintainer's description and `is_stinger` (≈ "mid-credits", see `parse.ts`).
 */
export const McuScene = z
  .object({
    id: RecordId,
    movie_id: RecordId.nullable().optional(),
    tvshow_id: RecordId.nullable().optional(),
    description: z.string().nullable().optional(),
    is_stinger: z.boolean().nullable().optional(),
    teases_movie_id: RecordId.nullable().optional(),
    teases_tvshow_id: RecordId.nullable().optional(),
  })
  .loose();
export type McuScene = z.infer<typeof McuScene>;
