/**
 * What the dataset package ships about its schema, all generated from the zod schema in
 * `src/normalize/schema.ts`: `schema.json` (JSON Schema 2020-12), the TypeScript declarations of a record
 * (with the schema's descriptions as TSDoc), and the README's data dictionary. Nothing here is written by hand.
 */
import { z } from 'zod';
import { Movie, SCHEMA_VERSION } from '../normalize/schema.ts';

type JsonSchema = {
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
  format?: string;
  [key: string]: unknown;
};

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

/** TypeScript declarations of a record: one interface per named schema, TSDoc from descriptions. */
export function recordDeclarations(): string {
  const schema = movieJsonSchema();
  const defs = schema.$defs ?? {};
  const out: string[] = [];
  for (const [name, def] of Object.entries(defs)) {
    out.push(tsdoc(def.description, ''));
    if (def.type === 'object' && def.properties) {
      out.push(`export interface ${name} ${objectType(def, '')}`);
    } else {
      out.push(`export type ${name} = ${typeOf(def, '')};`);
    }
    out.push('');
  }
  return out.join('\n');
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

function constraints(s: JsonSchema): string[] {
  const notes: string[] = [];
  if (s.pattern) notes.push(`Pattern: \`${s.pattern}\``);
  if (s.minimum !== undefined || s.maximum !== undefined) notes.push(`Range: ${s.minimum ?? '-∞'} to ${s.maximum ?? '∞'}`);
  return notes;
}

function objectType(s: JsonSchema, indent: string): string {
  const required = new Set(s.required ?? []);
  const lines = Object.entries(s.properties ?? {}).map(([key, prop]) => {
    const inner = `${indent}  `;
    const variants = prop.anyOf ?? [prop];
    const doc = tsdoc(prop.description, inner, variants.flatMap(constraints));
    return `${doc.replace(/\n$/, '')}${doc ? '\n' : ''}${inner}${key}${required.has(key) ? '' : '?'}: ${typeOf(prop, inner)};`;
  });
  return `{\n${lines.join('\n')}\n${indent}}`;
}

function typeOf(s: JsonSchema, indent: string): string {
  if (s.$ref) return s.$ref.replace('#/$defs/', '');
  if (s.anyOf) return s.anyOf.map((v) => typeOf(v, indent)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (Array.isArray(s.type)) return s.type.map((t) => typeOf({ ...s, type: t }, indent)).join(' | ');
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
      const item = s.items ? typeOf(s.items, indent) : 'unknown';
      return /[|&]/.test(item) ? `Array<${item}>` : `${item}[]`;
    }
    case 'object':
      return s.properties ? objectType(s, indent) : 'Record<string, unknown>';
    default:
      return 'unknown';
  }
}

/** The README data dictionary: one table per named schema. */
export function dataDictionary(): string {
  const defs = movieJsonSchema().$defs ?? {};
  const sections: string[] = [];
  for (const [name, def] of Object.entries(defs)) {
    if (def.type !== 'object' || !def.properties) continue;
    const required = new Set(def.required ?? []);
    const rows = Object.entries(def.properties).map(([key, prop]) => {
      const type = typeOf(prop, '').replace(/\s+/g, ' ').replace(/\|/g, '\\|');
      const notes = (prop.anyOf ?? [prop]).flatMap(constraints).join('; ');
      return `| \`${key}\`${required.has(key) ? '' : ' (optional)'} | \`${type.length > 60 ? 'object' : type}\` | ${(prop.description ?? '').replace(/\|/g, '\\|')}${notes ? ` ${notes.replace(/\|/g, '\\|')}.` : ''} |`;
    });
    sections.push(`### ${name}\n\n${def.description ?? ''}\n\n| field | type | meaning |\n|---|---|---|\n${rows.join('\n')}`);
  }
  return sections.join('\n\n');
}
