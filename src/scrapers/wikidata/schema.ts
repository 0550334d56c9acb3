/**
 * Wikidata API response shapes (`wbgetentities`, `list=search`, error bodies), as zod schemas (the type is
 * named like its schema).
 *
 * Only the structure the parsers walk is checked: statements, snaks, labels and sitelinks. A snak's
 * `datavalue.value` stays `unknown` here because its shape depends on the datatype (a string for external
 * ids and review scores, `{time, precision}` for dates, `{amount, unit}` for quantities, `{id}` for items);
 * `parse.ts` reads each by the property it expects. Objects are `.loose()`: Wikibase adds fields over time.
 */
import { z } from 'zod';

/** A snak: `snaktype` "value", "somevalue" or "novalue"; only "value" snaks carry a `datavalue`. */
export const WikidataSnak = z
  .object({
    snaktype: z.string(),
    property: z.string().optional(),
    datavalue: z.object({ value: z.unknown(), type: z.string().optional() }).loose().optional(),
  })
  .loose();
export type WikidataSnak = z.infer<typeof WikidataSnak>;

/** A statement: its main value, its rank ("preferred", "normal", "deprecated") and qualifiers by property. */
export const WikidataStatement = z
  .object({
    mainsnak: WikidataSnak,
    /** Statement ids of old edits may be lower-case ("q2262932$…"): never matched on. */
    id: z.string().optional(),
    rank: z.string().optional(),
    qualifiers: z.record(z.string(), z.array(WikidataSnak)).optional(),
  })
  .loose();
export type WikidataStatement = z.infer<typeof WikidataStatement>;

/** An item, as `wbgetentities` returns it under `entities.<id>` (props may limit what it carries). */
export const WikidataEntity = z
  .object({
    id: z.string(),
    type: z.string().optional(),
    labels: z.record(z.string(), z.object({ language: z.string().optional(), value: z.string() }).loose()).optional(),
    sitelinks: z.record(z.string(), z.object({ site: z.string().optional(), title: z.string() }).loose()).optional(),
    claims: z.record(z.string(), z.array(WikidataStatement)).optional(),
  })
  .loose();
export type WikidataEntity = z.infer<typeof WikidataEntity>;

/**
 * A `wbgetentities` answer: one entry per id asked for. A missing (deleted, never created) entity is
 * `{"id":…, "missing":""}`: the key's presence says it, its value is an empty string.
 */
export const WikidataEntities = z
  .object({
    entities: z.record(z.string(), z.looseObject({ id: z.string().optional() })),
    success: z.number().optional(),
  })
  .loose();
export type WikidataEntities = z.infer<typeof WikidataEntities>;

/** A `list=search` answer; on Wikidata an item's page `title` is its id ("Q2262932") in namespace 0. */
export const WikidataSearch = z
  .object({
    query: z
      .object({
        searchinfo: z.object({ totalhits: z.number().int().nonnegative() }).loose().optional(),
        search: z.array(z.object({ ns: z.number().int().optional(), title: z.string() }).loose()),
      })
      .loose(),
  })
  .loose();
export type WikidataSearch = z.infer<typeof WikidataSearch>;

/** A MediaWiki API error body: `{"error":{"code":"no-such-entity","info":"…"},"servedby":"…"}`. */
export const WikidataErrorBody = z
  .object({
    error: z.object({ code: z.string(), info: z.string().optional() }).loose(),
  })
  .loose();
export type WikidataErrorBody = z.infer<typeof WikidataErrorBody>;
