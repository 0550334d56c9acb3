/**
 * Reading structured data out of HTML pages without building a DOM: `<script>` blocks (JSON-LD,
 * `__NEXT_DATA__`, `#media-scorecard-json`, `#scoreDetails`…) and `<meta>` tags are found by scanning the
 * text, which is an order of magnitude faster than parsing the page. Selector fallbacks for older markup use
 * cheerio's htmlparser2 backend (`cheerio/slim`) on top of these.
 */
import { load, type CheerioAPI } from 'cheerio/slim';
import { decodeHTML } from 'entities';
import { UnexpectedContentError, type LayoutChangedError } from '../errors.ts';
import { plainText } from '../lib/text.ts';
import { safeJsonParse } from '../lib/json.ts';

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

/** How deep arrays and `@graph`s are followed for JSON-LD objects. */
const MAX_JSON_LD_DEPTH = 8;

/**
 * Every JSON-LD object of a page: each `application/ld+json` block, arrays and `@graph` flattened. Blocks
 * that are not valid JSON are returned in `errors` (a page can carry one broken block beside a good one).
 */
export function jsonLdObjects(html: string): { objects: Record<string, unknown>[]; errors: string[] } {
  const objects: Record<string, unknown>[] = [];
  const errors: string[] = [];
  // JSON-LD puts its objects at the top, in an array or in `@graph`: a few levels at most. Deeper nesting is
  // not JSON-LD, and walking it recursively would let a hostile page overflow the stack.
  const visit = (value: unknown, depth = 0) => {
    if (depth > MAX_JSON_LD_DEPTH) return;
    if (Array.isArray(value)) for (const item of value) visit(item, depth + 1);
    else if (value && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      objects.push(object);
      if (Array.isArray(object['@graph'])) for (const item of object['@graph'] as unknown[]) visit(item, depth + 1);
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
    // Only strings name a type; anything else (a hostile page can nest arrays in @type) is not stringified.
    return Array.isArray(type) ? type.some((t) => typeof t === 'string' && types.includes(t)) : typeof type === 'string' && types.includes(type);
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

/** Deeper than any real page (the corpus pages nest at most 40 deep): a page nested deeper is refused. */
export const MAX_NESTING = 512;

const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
// Script, style and comment bodies first, so that the tags inside them are not counted.
const NESTING_TOKENS = /<script\b[^>]*>[\s\S]*?<\/script\s*>|<style\b[^>]*>[\s\S]*?<\/style\s*>|<!--[\s\S]*?-->|<(\/?)([A-Za-z][\w:-]*)[^>]*?(\/?)>/gi;

/**
 * How deep the page's elements nest, counted (without a DOM) until it exceeds `limit`. Thousands of nested
 * elements make an HTML parser and its selectors quadratic: fragments are checked with this before they are
 * loaded (`loadFragment`).
 * As HTML parsers do, `<div/>` opens an element outside SVG and MathML; a closing tag closes what its
 * element left open (an unclosed `<p>` or `<li>`).
 */
export function nestingDepth(html: string, limit = Number.POSITIVE_INFINITY): number {
  const open: string[] = [];
  let foreign = 0;
  let deepest = 0;
  for (const m of html.matchAll(NESTING_TOKENS)) {
    const name = m[2]?.toLowerCase();
    if (!name) continue;
    if (m[1]) {
      const at = open.lastIndexOf(name);
      // A stray closing tag far from its element (or without one) closes nothing.
      if (at < 0 || open.length - at > 64) continue;
      for (let i = at; i < open.length; i++) if (open[i] === 'svg' || open[i] === 'math') foreign--;
      open.length = at;
    } else if (!VOID_ELEMENTS.has(name) && !(m[3] && foreign > 0)) {
      open.push(name);
      if (name === 'svg' || name === 'math') foreign++;
      deepest = Math.max(deepest, open.length);
      if (deepest > limit) return deepest;
    }
  }
  return deepest;
}

/**
 * A fragment of a page loaded for a selector fallback (cheerio's htmlparser2 backend). A fragment whose
 * elements nest deeper than any real page's (`MAX_NESTING`) is refused with an `UnexpectedContentError`:
 * loading and querying it would take seconds.
 */
export function loadFragment(fragment: string, source: string, url: string): CheerioAPI {
  if (nestingDepth(fragment, MAX_NESTING) > MAX_NESTING) {
    throw new UnexpectedContentError(source, url, `elements nested more than ${MAX_NESTING} deep: not a page this parser reads`);
  }
  return load(fragment);
}

/**
 * What a page says it is when it is not content: a bot challenge, a login or consent wall, an error page
 * served with HTTP 200. Read from its `<title>` and first `<h1>`, the words such pages put there (not from
 * password fields or consent scripts: real pages carry login and consent widgets too). Only asked of a page
 * that holds none of the data a parser reads.
 */
const INTERSTITIALS: readonly [kind: string, words: RegExp][] = [
  [
    'a bot-challenge page',
    /^(?:just a moment|attention required|access denied|pardon our interruption|are you a (?:robot|human)|robot check|security check|one more step|please verify|verif(?:y|ying) (?:that )?you are (?:a )?human)/i,
  ],
  ['a login page', /\b(?:sign[ -]?in|log[ -]?in|sign up|create (?:an |your )?account)\b/i],
  ['a consent page', /\b(?:cookies?|consent|before you continue|(?:we value )?your privacy|privacy (?:choices|preferences|settings|center))\b/i],
  [
    'an error page',
    /^(?:error\s*:?\s*)?[45]\d\d\b|\b(?:http|error) [45]\d\d\b|\bnot found\b|\bpage (?:cannot|can't|could not|couldn't) be found\b|\bno longer (?:available|exists)\b|\b(?:server|internal) error\b|\bservice unavailable\b|\btemporarily unavailable\b|\bunder maintenance\b|\bsomething went wrong\b|\ban (?:unexpected )?error (?:has )?occurred\b|\bbad gateway\b|\bgateway time-?out\b/i,
  ],
];

/** Scripts of the challenge pages of Cloudflare, Imperva, DataDome, PerimeterX and AWS WAF (some have no title). */
const CHALLENGE_SCRIPTS = /\/cdn-cgi\/challenge-platform\/|window\._cf_chl_opt|_Incapsula_Resource|captcha-delivery\.com|\bpx-captcha\b|window\.gokuProps|awsWafCookieDomainList|\.awswaf\.com\//;

/** The kind of non-content page `html` is ("a login page"…) with the title it shows, or null. */
export function interstitialOf(html: string): { kind: string; title: string } | null {
  const title = plainText(/<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html)?.[1] ?? null, { maxLength: 200 }) ?? '';
  const heading = plainText(/<h1\b[^>]*>([\s\S]*?)<\/h1\s*>/i.exec(html)?.[1] ?? null, { maxLength: 200 }) ?? '';
  for (const [kind, words] of INTERSTITIALS) {
    if (words.test(title) || words.test(heading)) return { kind, title: title || heading };
  }
  if (CHALLENGE_SCRIPTS.test(html)) return { kind: 'a bot-challenge page', title: title || heading };
  return null;
}

/**
 * The error for a page that holds none of what a parser reads: what the page is instead when it says so
 * (`UnexpectedContentError`: a login, consent, challenge or error page), else the layout change.
 */
export function noContentError(source: string, url: string, html: string, layoutChanged: LayoutChangedError): UnexpectedContentError | LayoutChangedError {
  const page = interstitialOf(html);
  return page ? new UnexpectedContentError(source, url, `${page.kind} ("${page.title.slice(0, 80)}"), not the page asked for`) : layoutChanged;
}
