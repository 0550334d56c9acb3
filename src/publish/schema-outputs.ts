/**
 * What the dataset package ships about its schema, all generated from the zod schemas (the record in
 * `src/schema/movie.ts`, the compact record in `./compact.ts`): `schema.json` (JSON Schema 2020-12), the
 * TypeScript declarations (every field carries its schema description as TSDoc; a field typed by a named
 * schema carries that schema's description), and the README's data dictionary. Nothing here is written by hand.
 */
import { z } from 'zod';
import { Movie, SCHEMA_VERSION } from '../schema/movie.ts';
import { CompactMovie, MovieAnswer } from './compact.ts';

/** The subset of JSON Schema that zod emits for our schemas. */
export type JsonSchema = {
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  description?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  format?: string;
  [key: string]: unknown;
};

/** The `$id` of `schema.json`: one per schema major version. */
export const SCHEMA_ID = `https://stingerdb.dev/schema/v${SCHEMA_VERSION}/movie.json`;

/** The JSON Schema of one record (`dataset/schema.json`). */
export function movieJsonSchema(): JsonSchema {
  const generated = z.toJSONSchema(Movie, { target: 'draft-2020-12' }) as JsonSchema;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SCHEMA_ID,
    $comment: 'Generated from the stingerdb zod schema — do not edit.',
    title: 'stingerdb movie record',
    ...generated,
  };
}

/** Named schemas (`$defs`) of the record and of the compact record, in declaration order. */
function namedSchemas(): Record<string, JsonSchema> {
  const compact = z.toJSONSchema(CompactMovie, { target: 'draft-2020-12' }) as JsonSchema;
  const answer = z.toJSONSchema(MovieAnswer, { target: 'draft-2020-12' }) as JsonSchema;
  return { ...movieJsonSchema().$defs, ...compact.$defs, ...answer.$defs };
}

/** TypeScript declarations of a record and a compact record: one declaration per named schema, TSDoc from descriptions. */
export function recordDeclarations(): string {
  const defs = namedSchemas();
  const out: string[] = [];
  for (const [name, def] of Object.entries(defs)) {
    const declaration = def.type === 'object' && def.properties ? `export interface ${name} ${objectType(def, '', defs)}` : `export type ${name} = ${typeOf(def, '')};`;
    out.push(`${tsdoc(def.description, '')}${declaration}\n`);
  }
  return out.join('\n');
}

/** The description a field shows: its own, else that of the named schema it refers to. */
function fieldDescription(prop: JsonSchema, defs: Record<string, JsonSchema>): string | undefined {
  return prop.description ?? (prop.$ref ? defs[refName(prop.$ref)]?.description : undefined);
}

function refName(ref: string): string {
  return ref.replace('#/$defs/', '');
}

function tsdoc(description: string | undefined, indent: string, extra: string[] = []): string {
  const lines = [...(description ? description.split('\n') : []), ...extra];
  if (lines.length === 0) return '';
  if (lines.length === 1) return `${indent}/** ${escapeDoc(lines[0]!)} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} * ${escapeDoc(l)}`).join('\n')}\n${indent} */\n`;
}

function escapeDoc(text: string): string {
  return text.replace(/\*\//g, '*\\/');
}

/** Pattern and range of a field, in words. */
function constraints(s: JsonSchema): string[] {
  const notes: string[] = [];
  if (s.pattern) notes.push(`Pattern: \`${s.pattern}\``);
  const integer = s.type === 'integer';
  // zod's `.positive()` is an exclusive minimum of 0: for an integer that is a minimum of 1.
  // zod bounds every integer by the safe-integer range: not a constraint worth reading.
  const bound = (v: number | undefined) => (v === undefined || Math.abs(v) === Number.MAX_SAFE_INTEGER ? undefined : v);
  const low = bound(s.minimum) ?? (s.exclusiveMinimum !== undefined ? (integer ? s.exclusiveMinimum + 1 : `more than ${s.exclusiveMinimum}`) : undefined);
  const high = bound(s.maximum) ?? (s.exclusiveMaximum !== undefined ? (integer ? s.exclusiveMaximum - 1 : `less than ${s.exclusiveMaximum}`) : undefined);
  const kind = integer ? ', integer' : '';
  if (low !== undefined && high !== undefined) notes.push(`Range: ${low} to ${high}${kind}`);
  else if (low !== undefined) notes.push(`At least ${low}${kind}`);
  else if (high !== undefined) notes.push(`At most ${high}${kind}`);
  else if (integer) notes.push('Integer');
  return notes;
}

function objectType(s: JsonSchema, indent: string, defs: Record<string, JsonSchema>): string {
  const required = new Set(s.required ?? []);
  const lines = Object.entries(s.properties ?? {}).map(([key, prop]) => {
    const inner = `${indent}  `;
    const variants = prop.anyOf ?? [prop];
    const doc = tsdoc(fieldDescription(prop, defs), inner, variants.flatMap(constraints));
    return `${doc}${inner}${key}${required.has(key) ? '' : '?'}: ${typeOf(prop, inner, defs)};`;
  });
  return `{\n${lines.join('\n')}\n${indent}}`;
}

function typeOf(s: JsonSchema, indent: string, defs: Record<string, JsonSchema> = {}): string {
  if (s.$ref) return refName(s.$ref);
  if (s.anyOf) return s.anyOf.map((v) => typeOf(v, indent, defs)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (Array.isArray(s.type)) return s.type.map((t) => typeOf({ ...s, type: t }, indent, defs)).join(' | ');
  switch (s.type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array': {
      const item = s.items ? typeOf(s.items, indent, defs) : 'unknown';
      return /[|&]/.test(item) ? `Array<${item}>` : `${item}[]`;
    }
    case 'object':
      return s.properties ? objectType(s, indent, defs) : 'Record<string, unknown>';
    default:
      return 'unknown';
  }
}

/** The README data dictionary: one table per named schema, every field with its type and description. */
export function dataDictionary(): string {
  const defs = namedSchemas();
  const sections: string[] = [];
  for (const [name, def] of Object.entries(defs)) {
    if (def.type !== 'object' || !def.properties) continue;
    const required = new Set(def.required ?? []);
    const rows = Object.entries(def.properties).map(([key, prop]) => {
      const type = typeOf(prop, '', defs).replace(/\s+/g, ' ');
      const named = prop.$ref ?? prop.items?.$ref;
      const shownType = named ? `[${refName(named)}](#${refName(named).toLowerCase()})${prop.$ref ? '' : '[]'}` : `\`${type.length > 60 ? 'object' : type}\``;
      const notes = (prop.anyOf ?? [prop]).flatMap(constraints).join('; ');
      const meaning = `${fieldDescription(prop, defs) ?? ''}${notes ? ` ${notes}.` : ''}`;
      return `| \`${key}\`${required.has(key) ? '' : ' (optional)'} | ${cell(shownType)} | ${cell(meaning)} |`;
    });
    sections.push(`### ${name}\n\n${def.description ?? ''}\n\n| field | type | meaning |\n|---|---|---|\n${rows.join('\n')}`);
  }
  return sections.join('\n\n');
}

/** A Markdown table cell: pipes escaped, on one line. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}
