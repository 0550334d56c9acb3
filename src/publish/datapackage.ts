/**
 * `datapackage.json`: the snapshot described as a Frictionless Data Package (v2), so that data tools
 * (frictionless-py, dpkit, Open Data portals) can list, check and load it without reading our README.
 *
 * Resources: the full records (`movies.json`, nested — described by its JSON Schema, `schema.json`, since a
 * Table Schema cannot describe nesting), the compact records (a flat table, with a Table Schema generated from
 * the zod schema) and every data table of `movies.sqlite` (Table Schemas from the file's own columns, keys
 * and foreign keys, described from `TABLES`). Sources carry their licence or terms; there is no single
 * licence for the whole, so `licenses` lists the terms of every source that contributed.
 *
 * It carries the version and the final digests, so it is written after the version is known.
 */
import Database from 'better-sqlite3';
import { z } from 'zod';
import type { SourceId, SourceTermsRef } from '../schema/sources.ts';
import type { Movie } from '../schema/movie.ts';
import { SCORE_CATALOGUE } from '../schema/scores.ts';
import { ANSWER_COLUMNS, CompactMovie, MovieAnswer, WHY_COLUMNS } from './compact.ts';
import type { JsonSchema } from './schema-outputs.ts';
import { ANSWERS_FILE, COMPACT_FILE, RECORDS_FILE, RECORDS_PACKAGE, SQLITE_FILE, SQLITE_PACKAGE } from './manifest.ts';
import { TABLES } from './sqlite.ts';

interface License {
  path: string;
  title: string;
}

interface TableSchemaField {
  name: string;
  type: string;
  description?: string;
  constraints?: Record<string, unknown>;
  /** Not a Table Schema property: the ids of the sources this field's values come from in this snapshot. */
  sources?: string[];
  /** Not a Table Schema property: the terms of those sources — what may be done with this field's values. */
  licenses?: License[];
}

interface TableSchema {
  fields: TableSchemaField[];
  primaryKey?: string[];
  foreignKeys?: { fields: string[]; reference: { resource: string; fields: string[] } }[];
}

/** A Data Resource: one file (or one table of the SQLite file) with its size and digest. */
export interface DataResource {
  name: string;
  path: string;
  type?: 'table';
  title?: string;
  description: string;
  format: string;
  mediatype: string;
  encoding?: string;
  bytes: number;
  hash: string;
  dialect?: Record<string, unknown>;
  schema?: TableSchema;
  /** Not a Data Package property: the JSON Schema of a nested (non-tabular) JSON resource. */
  jsonSchema?: string;
}

/** The `datapackage.json` descriptor. */
export interface DataPackage {
  $schema: string;
  name: string;
  title: string;
  description: string;
  version: string;
  homepage: string;
  keywords: string[];
  licenses?: License[];
  sources: { title: string; path: string; licenses: License[]; attribution?: string }[];
  resources: DataResource[];
}

/** The Data Package profile the descriptor follows. */
export const DATA_PACKAGE_PROFILE = 'https://datapackage.org/profiles/2.0/datapackage.json';

/** The answer fields that are not read from a source but computed by stingerdb from the credit-scene claims. */
const DERIVED = new Set(['confidence', 'duringAnswer', 'duringProbability', 'duringBasis', 'duringWhy', 'afterAnswer', 'afterProbability', 'afterBasis', 'afterWhy']);
const SCORE_BY_NAME = new Map(SCORE_CATALOGUE.map((s) => [s.name as string, s]));

/**
 * Where each field of the answers (and of the compact records, whose fields are a subset) comes from in a
 * snapshot, gathered one record at a time: a score, from the source its group names; the verdicts and what is
 * computed from them, from the sources of the credit-scene evidence; title, year and ids, from the responses
 * the record was built from. A score, title, year or id counts only when present (a null comes from nobody).
 */
export class FieldSources {
  private readonly byField = new Map<string, Set<string>>(ANSWER_COLUMNS.map((c) => [c, new Set<string>()]));

  /** Takes the next record, with its answer (`toAnswer`). */
  add(movie: Movie, answer: MovieAnswer): void {
    const responses = movie.sources.map((s) => s.source);
    const evidence = movie.creditScenes.evidence.map((e) => e.source);
    for (const column of ANSWER_COLUMNS) {
      const score = SCORE_BY_NAME.get(column);
      const credit = column === 'during' || column === 'after' || DERIVED.has(column);
      // A credit claim counts even when it leaves a slot null: the answer reads what a source did not say too.
      if (answer[column] === null && !credit) continue;
      const from = score ? [movie.scores[score.group]?.source] : credit ? evidence : responses;
      const set = this.byField.get(column)!;
      for (const source of from) if (source) set.add(source);
    }
  }

  /** The sources of a field, in `order` (the sources' order). */
  of(field: string, order: readonly SourceTermsRef[]): SourceTermsRef[] {
    const used = this.byField.get(field) ?? new Set();
    return order.filter((s) => used.has(s.id));
  }
}

/** The sources whose data the records carry (`used`: ids named by their scores, evidence or contributing responses), in `order`. */
export function contributingSources(used: ReadonlySet<string>, order: readonly SourceTermsRef[]): SourceTermsRef[] {
  return order.filter((s) => used.has(s.id));
}

/** The descriptor of a snapshot: `files` are the digests of the files written so far (`movies.sqlite` is also read). */
export function buildDataPackage(input: {
  version: string;
  sqliteFile: string;
  files: Readonly<Record<string, { bytes: number; sha256: string }>>;
  sources: readonly SourceTermsRef[];
  /** Where each field's values come from (absent: the fields carry no per-field sources). */
  fieldSources?: FieldSources;
}): DataPackage {
  const file = (name: string) => {
    const digest = input.files[name];
    if (!digest) throw new Error(`datapackage.json: ${name} was not written`);
    return { path: name, bytes: digest.bytes, hash: `sha256:${digest.sha256}` };
  };
  const license = (s: SourceTermsRef): License => ({ path: s.termsUrl, title: `${s.name} — ${s.licence}` });
  // Each field with the sources its values come from and their terms: what may be done with that column alone.
  const withSources = (schema: TableSchema): TableSchema => {
    const fieldSources = input.fieldSources;
    if (!fieldSources) return schema;
    return {
      ...schema,
      fields: schema.fields.map((f) => {
        const from = fieldSources.of(f.name, input.sources);
        const derived = DERIVED.has(f.name) ? ' Computed by stingerdb from the credit-scene claims of these sources (and from what they did not say).' : '';
        return { ...f, ...(derived && { description: `${f.description ?? ''}${derived}`.trim() }), sources: from.map((s) => s.id), licenses: from.map(license) };
      }),
    };
  };
  return {
    $schema: DATA_PACKAGE_PROFILE,
    name: 'stingerdb',
    title: 'stingerdb: end-credit scenes and review scores of films',
    description:
      'Does this film have a scene during or after the end credits? For every film it knows, stingerdb gives the verdict ' +
      '(true, false with positive evidence, or null for unknown) with its confidence and evidence, the film\'s details, and its ' +
      'review scores (Metascore, Metacritic user score, Tomatometer, audience score, IMDb rating, TMDB user score), each with ' +
      'its source and date. A missing value is null, never 0.',
    version: input.version,
    homepage: 'https://github.com/stingerdb/stingerdb#readme',
    keywords: ['movies', 'films', 'end credits', 'post-credits scenes', 'review scores'],
    // The profile wants at least one licence when the key is there; an empty dataset has none to name.
    ...(input.sources.length && { licenses: input.sources.map(license) }),
    sources: input.sources.map((s) => ({
      title: s.name,
      path: s.homepage,
      licenses: [license(s)],
      ...(s.attribution && { attribution: s.attribution }),
    })),
    resources: [
      {
        name: 'movies-answers',
        type: 'table',
        ...file(ANSWERS_FILE),
        title: 'Films, answers',
        description:
          'Each film\'s answer (the dataset package\'s data): one array per film, sorted by id, its values in the order of the fields below (also `columns` in movies.index.json); each why is the position of its sentence in `whys` of movies.index.json.',
        format: 'json',
        mediatype: 'application/json',
        encoding: 'utf-8',
        dialect: { header: false, itemType: 'array' },
        schema: withSources(answersTableSchema()),
      },
      {
        name: 'movies',
        ...file(RECORDS_FILE),
        title: 'Films, full records',
        description: `Every record, sorted by id, one per line; nested (ids, credit scenes with evidence, score groups, sources). In the companion package ${RECORDS_PACKAGE.name}; its JSON Schema is ${RECORDS_PACKAGE.dir}/schema.json.`,
        format: 'json',
        mediatype: 'application/json',
        encoding: 'utf-8',
        jsonSchema: `${RECORDS_PACKAGE.dir}/schema.json`,
      },
      {
        name: 'movies-compact',
        type: 'table',
        ...file(COMPACT_FILE),
        title: 'Films, compact',
        description: `The verdict and the scores of every film, flat: one object per film, every key present, null when unknown or not rated. In the companion package ${RECORDS_PACKAGE.name}.`,
        format: 'json',
        mediatype: 'application/json',
        encoding: 'utf-8',
        dialect: { itemType: 'object' },
        schema: withSources(compactTableSchema()),
      },
      ...sqliteResources(input.sqliteFile, file(SQLITE_FILE)),
    ],
  };
}

/** The Table Schema of the compact file, from its zod schema. */
export function compactTableSchema(): TableSchema {
  return tableSchemaOf(CompactMovie, 'CompactMovie');
}

/** The Table Schema of the answers file: `MovieAnswer`'s fields in order, each why as a position in `whys`. */
export function answersTableSchema(): TableSchema {
  const schema = tableSchemaOf(MovieAnswer, 'MovieAnswer');
  const fields = schema.fields.map((f): TableSchemaField =>
    WHY_COLUMNS.has(f.name) ? { name: f.name, type: 'integer', description: `${f.description} Stored as the position of the sentence in \`whys\` of movies.index.json.`, constraints: { required: true, minimum: 0 } } : f,
  );
  return { ...schema, fields };
}

function tableSchemaOf(zodSchema: z.ZodType, id: string): TableSchema {
  const json = z.toJSONSchema(zodSchema, { target: 'draft-2020-12' }) as JsonSchema;
  const root = json.$defs?.[id] ?? json;
  const required = new Set(root.required ?? []);
  const fields = Object.entries(root.properties ?? {}).map(([name, prop]): TableSchemaField => {
    const variants = prop.anyOf ?? [prop];
    const value = variants.find((v) => v.type !== 'null') ?? prop;
    const nullable = variants.some((v) => v.type === 'null');
    const constraints: Record<string, unknown> = {};
    if (required.has(name) && !nullable) constraints.required = true;
    if (value.pattern) constraints.pattern = value.pattern;
    if (value.minimum !== undefined) constraints.minimum = value.minimum;
    if (value.maximum !== undefined && Math.abs(value.maximum) !== Number.MAX_SAFE_INTEGER) constraints.maximum = value.maximum;
    return {
      name,
      type: typeof value.type === 'string' ? value.type : 'any',
      ...(prop.description && { description: prop.description }),
      ...(Object.keys(constraints).length && { constraints }),
    };
  });
  return { fields, primaryKey: ['id'] };
}

const SQLITE_RESOURCE_PREFIX = 'movies-sqlite-';

/** One tabular resource per data table of the SQLite file, its schema read from the file itself. */
function sqliteResources(sqliteFile: string, file: { path: string; bytes: number; hash: string }): DataResource[] {
  const db = new Database(sqliteFile, { readonly: true });
  try {
    return Object.entries(TABLES)
      .filter(([, doc]) => !doc.virtual)
      .map(([table, doc]): DataResource => {
        const columns = db.prepare(`SELECT name, "notnull" AS required, pk FROM pragma_table_info(?) ORDER BY cid`).all(table) as { name: string; required: number; pk: number }[];
        const unique = new Set(
          (db.prepare(`SELECT ii.name FROM pragma_index_list(?) il JOIN pragma_index_info(il.name) ii WHERE il."unique" = 1 AND il.origin = 'u'`).all(table) as { name: string }[]).map((r) => r.name),
        );
        const foreignKeys = db.prepare(`SELECT "from", "table", "to" FROM pragma_foreign_key_list(?) ORDER BY id, seq`).all(table) as { from: string; table: string; to: string }[];
        const primaryKey = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
        return {
          name: `${SQLITE_RESOURCE_PREFIX}${table.replace(/_/g, '-')}`,
          type: 'table',
          ...file,
          title: `movies.sqlite: ${table}`,
          description: `${doc.description} (In the companion package ${SQLITE_PACKAGE.name}; ${SQLITE_FILE} in the snapshot's folder.)`,
          format: 'sqlite',
          mediatype: 'application/vnd.sqlite3',
          dialect: { table },
          schema: {
            fields: columns.map((c) => {
              const column = doc.columns[c.name];
              if (!column) throw new Error(`movies.sqlite: column ${table}.${c.name} is not documented in TABLES`);
              const constraints: Record<string, unknown> = {};
              if (c.required || c.pk) constraints.required = true;
              if (unique.has(c.name)) constraints.unique = true;
              return { name: c.name, type: column.type, description: column.description, ...(Object.keys(constraints).length && { constraints }) };
            }),
            ...(primaryKey.length && { primaryKey }),
            ...(foreignKeys.length && {
              foreignKeys: foreignKeys.map((fk) => ({
                fields: [fk.from],
                reference: { resource: `${SQLITE_RESOURCE_PREFIX}${fk.table.replace(/_/g, '-')}`, fields: [fk.to] },
              })),
            }),
          },
        };
      });
  } finally {
    db.close();
  }
}
