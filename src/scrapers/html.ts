/**
 * Reading structured data out of HTML pages without building a DOM: `<script>` blocks (JSON-LD,
 * `__NEXT_DATA__`, `#media-scorecard-json`, `#scoreDetails`…) and `<meta>` tags are found by scanning the
 * text, which is an order of magnitude faster than parsing the page. Selector fallbacks for older markup use
 * cheerio's htmlparser2 backend (`cheerio/slim`) on top of these.
 */
import { decodeHTML } from 'entities';
import { safeJsonParse } from '../normalize/text.ts';

export interface ScriptBlock {
  /** Attributes of the `<script>` tag, names lower-cased, values entity-decoded. */
  attributes: Record<string, string>;
  /** Raw text between the tags. */
  text: string;
  /** Offset of the tag in the page. */
  offset: number;
}

const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
const ATTRIBUTE = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** Parses the attribute text of a tag (`id="x" type='y' async`). */
export function parseAttributes(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const m of text.matchAll(ATTRIBUTE)) {
    const name = m[1]!.toLowerCase();
    if (name === '__proto__' || name in attributes) continue;
    attributes[name] = decodeHTML(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attributes;
}

/** Every `<script>` block of a page, in order. */
export function scriptBlocks(html: string): ScriptBlock[] {
  const blocks: ScriptBlock[] = [];
  for (const m of html.matchAll(SCRIPT)) {
    blocks.push({ attributes: parseAttributes(m[1] ?? ''), text: m[2] ?? '', offset: m.index ?? 0 });
  }
  return blocks;
}

export type JsonRead = { ok: true; value: unknown } | { ok: false; error: string };

/** Parses a script's JSON (trimmed; HTML comments around it tolerated); never throws. */
export function readScriptJson(text: string): JsonRead {
  const trimmed = text.trim().replace(/^<!--/, '').replace(/-->$/, '').trim();
  if (trimmed === '') return { ok: false, error: 'empty script' };
  try {
    return { ok: true, value: safeJsonParse(trimmed) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** The JSON of the `<script id="…">` block, `null` when there is no such block. */
export function scriptJsonById(html: string, id: string): JsonRead | null {
  const block = scriptBlocks(html).find((b) => b.attributes.id === id);
  return block ? readScriptJson(block.text) : null;
}

/**
 * Every JSON-LD object of a page: each `application/ld+json` block, arrays and `@graph` flattened. Blocks
 * that are not valid JSON are returned in `errors` (a page can carry one broken block beside a good one).
 */
export function jsonLdObjects(html: string): { objects: Record<string, unknown>[]; errors: string[] } {
  const objects: Record<string, unknown>[] = [];
  const errors: string[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      objects.push(object);
      if (Array.isArray(object['@graph'])) (object['@graph'] as unknown[]).forEach(visit);
    }
  };
  for (const block of scriptBlocks(html)) {
    if ((block.attributes.type ?? '').trim().toLowerCase() !== 'application/ld+json') continue;
    const read = readScriptJson(block.text);
    if (read.ok) visit(read.value);
    else errors.push(read.error);
  }
  return { objects, errors };
}

/** The first JSON-LD object whose `@type` is (or includes) one of `types`. */
export function jsonLdOfType(objects: readonly Record<string, unknown>[], ...types: string[]): Record<string, unknown> | undefined {
  return objects.find((o) => {
    const type = o['@type'];
    return Array.isArray(type) ? type.some((t) => types.includes(String(t))) : types.includes(String(type));
  });
}

const META = /<meta\b([^>]*)>/gi;

/** The `content` of the first `<meta property|name="…">` tag, entity-decoded; undefined when absent. */
export function metaContent(html: string, key: string): string | undefined {
  for (const m of html.matchAll(META)) {
    const attributes = parseAttributes(m[1] ?? '');
    if (attributes.property === key || attributes.name === key || attributes.itemprop === key) return attributes.content;
  }
  return undefined;
}

/** The `href` of `<link rel="canonical">`, if any. */
export function canonicalUrl(html: string): string | undefined {
  for (const m of html.matchAll(/<link\b([^>]*)>/gi)) {
    const attributes = parseAttributes(m[1] ?? '');
    if ((attributes.rel ?? '').toLowerCase().split(/\s+/).includes('canonical')) return attributes.href;
  }
  return undefined;
}

/** Whether the text looks like an HTML document (a page served where JSON or YAML was expected). */
export function looksLikeHtml(text: string): boolean {
  return /^\s*(<!--[\s\S]*?-->\s*)*<(!doctype html|html|head|body)\b/i.test(text);
}
