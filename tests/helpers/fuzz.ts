/**
 * Seeded mutations of recorded responses, for the parser fuzz test. Every variant comes from a seed derived
 * from the run's seed, the file and the iteration (`variantSeed`), so one failing variant is rebuilt exactly
 * from those three.
 *
 * What is done to a body, by format:
 * - HTML: truncate it or cut a span out of it; drop or duplicate a tag; corrupt the JSON inside a `<script>`
 *   block (bytes or values); swap numbers for words; insert a huge attribute (closed or not); nest elements
 *   thousands deep; change the charset (bytes that lie about their encoding); strip the structured-data
 *   blocks (all, or one); inject markup, `javascript:` URLs, bidi and zero-width characters into text.
 * - JSON: truncate; delete or insert bytes; drop keys; retype values (words for numbers, wrong types,
 *   out-of-range numbers, huge strings); duplicate array members; nest arrays thousands deep; add `__proto__`
 *   and `constructor` keys; inject hostile text; change the charset.
 * - YAML feed (one entry a line): truncate; drop, duplicate or corrupt lines; numbers to words; a huge line;
 *   deep flow nesting; hostile text in tags; change the charset.
 * None of them writes a plausible different value where a value was (a score of 96 never becomes 71): any
 * value a parser still returns from a variant must be the one it returns from the recorded body.
 */
import { decodeText } from '../../src/http/client.ts';

/** A uniform random number in [0, 1). */
export type Random = () => number;

/** mulberry32: small, fast and good enough to pick mutations. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of one variant (FNV-1a over the run seed, the file and the iteration). */
export function variantSeed(runSeed: number, file: string, iteration: number): number {
  let hash = 0x811c9dc5;
  for (const c of `${runSeed}\u0000${file}\u0000${iteration}`) {
    hash ^= c.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function int(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function pick<T>(random: Random, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

/** The formats mutated differently. */
export type BodyFormat = 'html' | 'json' | 'yaml';

/** How a body is mutated: by its first character (the feeds that are neither HTML nor JSON are YAML). */
export function formatOf(body: string): BodyFormat {
  const start = body.replace(/^\uFEFF/, '').trimStart()[0];
  if (start === '<') return 'html';
  if (start === '{' || start === '[') return 'json';
  return 'yaml';
}

/** Words that stand where numbers were: none is a number, none is a "missing" marker ("N/A", "tbd"…). */
/**
 * What numbers are swapped for: words, and negative numbers — numbers, yet outside every scale and never a
 * count, so a parser must reject them as out of range rather than read them.
 */
const NUMBER_WORDS = ['seven', 'ninety-one', 'lots', 'eight point three', 'many', 'zero', 'X', '-7', '-0.5'];

/** Text no dataset field may carry as it is: markup, script URLs, controls, bidi overrides, zero-width characters. */
export const HOSTILE_TEXTS = [
  '<script>alert(1)</script>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">click</a>',
  'javascript:alert(1)',
  '\u202Egnp.exe',
  'a\u200B\u2060\uFEFFb',
  'bell\u0007null\u0000esc\u001B',
  '&#x202E;&#0;&#xD800;',
  '\u2066isolate\u2069 \u200Fmark',
  '<!-- comment --><![CDATA[x]]>',
] as const;

/** One mutation: a name for the report and what it does. */
interface Mutation {
  name: string;
  /**
   * False for byte-level edits (a cut span, a corrupted byte): they can turn one number into another
   * ("7.9, 1234" → "7.234"), so values read from their variants are not compared with the recorded ones.
   */
  keepsValues: boolean;
  apply: (body: string, random: Random) => string;
}

// ---------------------------------------------------------------------------------------------------------
// Shared

// A prefix of a body never parses as a whole document (JSON unclosed, HTML without </html>, a YAML line cut).
const truncate: Mutation = { name: 'truncate', keepsValues: true, apply: (b, r) => b.slice(0, int(r, 0, Math.max(0, b.length - 1))) };

const cutSpan: Mutation = {
  name: 'cut-span',
  keepsValues: false,
  apply: (b, r) => {
    const from = int(r, 0, b.length);
    return b.slice(0, from) + b.slice(Math.min(b.length, from + int(r, 1, 4096)));
  },
};

/** Bytes that lie about their encoding, decoded the way the HTTP client would decode them. */
function changeCharset(mime: string): Mutation {
  return {
    name: 'change-charset',
    keepsValues: true,
    apply: (b, r) => {
      switch (int(r, 0, 3)) {
        case 0:
          return decodeText(Buffer.from(b, 'utf8'), `${mime}; charset=windows-1252`);
        case 1:
          return decodeText(Buffer.from(b, 'latin1'), `${mime}; charset=utf-8`);
        case 2:
          return decodeText(Buffer.from(b, 'utf16le'), `${mime}; charset=utf-8`);
        default: {
          const declared = b.replace(/<head\b[^>]*>/i, (head) => `${head}<meta charset="shift_jis">`);
          return decodeText(Buffer.from(declared, 'utf8'), mime === 'text/html' ? 'text/html' : `${mime}; charset=shift_jis`);
        }
      }
    },
  };
}

// Numbers that stand alone: not the digits of an id, slug or path (tt0111161, dune_2021, /movie/550, Q42, PT2H).
const STANDALONE_NUMBER = /(?<![A-Za-z_/=\d.])\d+(?:\.\d+)?(?![A-Za-z_\d])/g;

function numbersToWords(text: string, random: Random, share: number): string {
  return text.replace(STANDALONE_NUMBER, (n) => (random() < share ? pick(random, NUMBER_WORDS) : n));
}

// ---------------------------------------------------------------------------------------------------------
// JSON values

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Placeholders replaced after serialisation by what `JSON.stringify` cannot write. */
const DEEP = '\u0000fuzz-deep\u0000';
const PROTO = '\u0000fuzz-proto\u0000';
const CONSTRUCTOR = '\u0000fuzz-constructor\u0000';

interface Slot {
  parent: Json[] | { [key: string]: Json };
  key: string | number;
}

/** Every value of a JSON tree with where it sits (iterative: the tree may be deep), at most `limit`. */
function slots(root: Json, limit = 50_000): Slot[] {
  const found: Slot[] = [];
  const stack: Json[] = [root];
  while (stack.length > 0 && found.length < limit) {
    const value = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
    for (const key of keys) {
      found.push({ parent: value, key });
      stack.push((value as Record<string | number, Json>)[key]!);
    }
  }
  return found;
}

function get(slot: Slot): Json {
  return (slot.parent as Record<string | number, Json>)[slot.key]!;
}

function set(slot: Slot, value: Json): void {
  (slot.parent as Record<string | number, Json>)[slot.key] = value;
}

function objectsOf(root: Json): { [key: string]: Json }[] {
  const objects = slots(root)
    .map(get)
    .filter((v): v is { [key: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v));
  return root !== null && typeof root === 'object' && !Array.isArray(root) ? [root, ...objects] : objects;
}

/**
 * A value that is never a valid answer where `original` was: no parser may read it as a number or as
 * "missing". Text replaces only what was not text (any text is a plausible title or certification).
 */
function wrongValue(original: Json, random: Random): Json {
  const other: (() => Json)[] = [
    () => -int(random, 1, 1000),
    // Out of every range (scores, counts, years, ids): never a value that could have been there.
    () => 1000 + int(random, 0, 1_000_000) + 0.5,
    () => 1.5e300,
    () => [],
    () => ({}),
    () => ({ value: pick(random, NUMBER_WORDS) }),
    () => [pick(random, NUMBER_WORDS)],
  ];
  const text: (() => Json)[] = [
    () => pick(random, NUMBER_WORDS),
    () => 'A'.repeat(int(random, 10_000, 300_000)),
    () => pick(random, HOSTILE_TEXTS),
  ];
  return pick(random, typeof original === 'string' ? other : [...other, ...text])();
}

const JSON_MUTATIONS: readonly { name: string; apply: (root: Json, random: Random) => boolean }[] = [
  {
    name: 'drop-key',
    apply: (root, r) => {
      const objects = objectsOf(root).filter((o) => Object.keys(o).length > 0);
      if (objects.length === 0) return false;
      const object = pick(r, objects);
      delete object[pick(r, Object.keys(object))];
      return true;
    },
  },
  {
    name: 'retype-value',
    apply: (root, r) => {
      const all = slots(root);
      if (all.length === 0) return false;
      // Leaves more often than branches: most of what parsers read is a leaf.
      const leaves = all.filter((s) => get(s) === null || typeof get(s) !== 'object');
      const slot = pick(r, leaves.length > 0 && r() < 0.8 ? leaves : all);
      set(slot, wrongValue(get(slot), r));
      return true;
    },
  },
  {
    name: 'numbers-to-words',
    apply: (root, r) => {
      const share = pick(r, [1, 0.3]);
      let changed = false;
      for (const slot of slots(root)) {
        const value = get(slot);
        const numeric = typeof value === 'number' || (typeof value === 'string' && /^\s*[\d.,]+%?\s*$/.test(value));
        if (numeric && r() < share) {
          set(slot, pick(r, NUMBER_WORDS));
          changed = true;
        }
      }
      return changed;
    },
  },
  {
    name: 'duplicate-member',
    apply: (root, r) => {
      const arrays = slots(root)
        .map(get)
        .filter((v): v is Json[] => Array.isArray(v) && v.length > 0);
      if (Array.isArray(root) && root.length > 0) arrays.push(root);
      if (arrays.length === 0) return false;
      const array = pick(r, arrays);
      array.splice(int(r, 0, array.length), 0, structuredClone(pick(r, array)));
      return true;
    },
  },
  {
    name: 'deep-nest',
    apply: (root, r) => {
      const all = slots(root);
      if (all.length === 0) return false;
      set(pick(r, all), DEEP);
      return true;
    },
  },
  {
    name: 'proto-keys',
    apply: (root, r) => {
      const objects = objectsOf(root);
      if (objects.length === 0) return false;
      for (let i = 0; i < 3; i++) {
        const object = pick(r, objects);
        object[PROTO] = { polluted: 'yes', vote_average: 7, toString: 'x' };
        object[CONSTRUCTOR] = { prototype: { polluted: 'yes' } };
      }
      return true;
    },
  },
  {
    name: 'inject-text',
    apply: (root, r) => {
      // Non-empty strings only: text where there was none would be new content (a certification, a tag).
      const strings = slots(root).filter((s) => typeof get(s) === 'string' && (get(s) as string).trim() !== '');
      if (strings.length === 0) return false;
      for (let i = 0; i < 5; i++) {
        const slot = pick(r, strings);
        // Beside the text, never instead of part of it ("preview" must still say preview).
        set(slot, r() < 0.5 ? `${pick(r, HOSTILE_TEXTS)} ${String(get(slot))}` : `${String(get(slot))} ${pick(r, HOSTILE_TEXTS)}`);
      }
      return true;
    },
  },
];

function serialise(root: Json, random: Random): string {
  let text = JSON.stringify(root);
  if (text.includes(JSON.stringify(DEEP))) {
    const depth = int(random, 1_000, 60_000);
    text = text.replace(JSON.stringify(DEEP), `${'['.repeat(depth)}0${']'.repeat(depth)}`);
  }
  return text.replaceAll(JSON.stringify(PROTO), '"__proto__"').replaceAll(JSON.stringify(CONSTRUCTOR), '"constructor"');
}

/** One structural mutation of a JSON text (unchanged when it does not parse, after an earlier mutation). */
function mutateJsonText(text: string, random: Random, only?: string): string {
  let root: Json;
  try {
    root = JSON.parse(text) as Json;
  } catch {
    return text;
  }
  const candidates = only ? JSON_MUTATIONS.filter((m) => m.name === only) : JSON_MUTATIONS;
  try {
    for (let attempt = 0; attempt < 4; attempt++) {
      if (pick(random, candidates).apply(root, random)) return serialise(root, random);
    }
  } catch {
    // A tree an earlier mutation nested too deep to copy or write again: this step leaves it as it is.
  }
  return text;
}

function corruptBytes(text: string, random: Random): string {
  const at = int(random, 0, text.length);
  return pick(random, [
    () => text.slice(0, at) + text.slice(at + 1),
    () => text.slice(0, at) + pick(random, ['{', '}', '[', ']', '"', ',', ':', '\\', '\u0000', '\uD800']) + text.slice(at),
    () => text.replace(/:/, ';'),
    () => text.slice(0, at),
  ])();
}

// ---------------------------------------------------------------------------------------------------------
// HTML

/** A random tag of the page: [start, end) of `<…>`. */
function randomTag(html: string, random: Random): [number, number] | null {
  let start = html.indexOf('<', int(random, 0, html.length));
  if (start === -1) start = html.indexOf('<');
  const end = start === -1 ? -1 : html.indexOf('>', start);
  return start === -1 || end === -1 ? null : [start, end + 1];
}

const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
const DATA_SCRIPT = /application\/(?:ld\+)?json|__NEXT_DATA__|__NUXT_DATA__|media-scorecard-json|scoreDetails|hydration|mps-page-integration/i;

/** The `<script>` blocks of a page that carry data: [start, end) of the whole block and of its text. */
function dataScripts(html: string): { block: [number, number]; text: [number, number] }[] {
  const found: { block: [number, number]; text: [number, number] }[] = [];
  for (const m of html.matchAll(SCRIPT)) {
    const text = m[2] ?? '';
    if (!DATA_SCRIPT.test(m[1] ?? '') && !/^\s*[[{]/.test(text) && !text.includes('window.mpscall')) continue;
    const start = m.index ?? 0;
    const textStart = start + m[0].indexOf('>') + 1;
    found.push({ block: [start, start + m[0].length], text: [textStart, textStart + text.length] });
  }
  return found;
}

/** The page with the text of one of its data scripts edited (unchanged when it has none). */
function inScript(html: string, random: Random, edit: (json: string) => string): string {
  const scripts = dataScripts(html);
  if (scripts.length === 0) return html;
  const { text: [from, to] } = pick(random, scripts);
  return html.slice(0, from) + edit(html.slice(from, to)) + html.slice(to);
}

const HTML_MUTATIONS: readonly Mutation[] = [
  truncate,
  cutSpan,
  {
    name: 'drop-tag',
    keepsValues: true,
    apply: (b, r) => {
      let out = b;
      for (let i = int(r, 1, 20); i > 0; i--) {
        const tag = randomTag(out, r);
        if (tag) out = out.slice(0, tag[0]) + out.slice(tag[1]);
      }
      return out;
    },
  },
  {
    name: 'duplicate-tag',
    keepsValues: true,
    apply: (b, r) => {
      let out = b;
      for (let i = int(r, 1, 20); i > 0; i--) {
        const tag = randomTag(out, r);
        if (tag) out = out.slice(0, tag[1]) + out.slice(tag[0], tag[1]) + out.slice(tag[1]);
      }
      return out;
    },
  },
  {
    name: 'corrupt-script-bytes',
    keepsValues: false,
    apply: (b, r) => inScript(b, r, (json) => corruptBytes(json, r)),
  },
  {
    name: 'corrupt-script-json',
    keepsValues: true,
    apply: (b, r) => inScript(b, r, (json) => mutateJsonText(json, r)),
  },
  {
    name: 'numbers-to-words',
    keepsValues: true,
    apply: (b, r) => {
      if (r() < 0.5) return numbersToWords(b, r, pick(r, [1, 0.3]));
      // Only inside one window of the page (the score panel is somewhere in it).
      const from = int(r, 0, b.length);
      const to = Math.min(b.length, from + int(r, 200, 20_000));
      return b.slice(0, from) + numbersToWords(b.slice(from, to), r, 1) + b.slice(to);
    },
  },
  {
    name: 'huge-attribute',
    keepsValues: true,
    apply: (b, r) => {
      const tag = randomTag(b, r);
      if (!tag) return b;
      const nameEnd = b.slice(tag[0]).search(/[\s>/]/) + tag[0];
      const value = pick(r, ['A', '"', "'", '<', ' x=', '&amp;']).repeat(int(r, 50_000, 1_000_000));
      const attribute = r() < 0.75 ? ` data-fuzz="${value.replace(/"/g, '&quot;')}"` : ` data-fuzz="${value}`;
      return b.slice(0, nameEnd) + attribute + b.slice(nameEnd);
    },
  },
  {
    name: 'deep-nest',
    keepsValues: true,
    apply: (b, r) => {
      const tag = randomTag(b, r);
      const at = tag ? tag[0] : 0;
      const depth = int(r, 1_000, 40_000);
      const open = pick(r, ['<div>', '<span>', '<p><b>', '<div class="x">']);
      const close = `</${/^<(\w+)/.exec(open)![1]}>`;
      const nested = r() < 0.5 ? open.repeat(depth) + close.repeat(depth) : open.repeat(depth);
      return b.slice(0, at) + nested + b.slice(at);
    },
  },
  changeCharset('text/html'),
  {
    name: 'strip-structured-data',
    keepsValues: true,
    apply: (b, r) => {
      const scripts = dataScripts(b);
      if (scripts.length === 0) return b;
      const removed = r() < 0.5 ? scripts : [pick(r, scripts)];
      let out = b;
      for (const { block } of [...removed].sort((x, y) => y.block[0] - x.block[0])) out = out.slice(0, block[0]) + out.slice(block[1]);
      return out;
    },
  },
  {
    name: 'inject-text',
    keepsValues: true,
    apply: (b, r) => {
      let out = b;
      for (let i = int(r, 1, 10); i > 0; i--) {
        // After a tag's end: in a text node, or in the JSON of a script block, where titles live.
        const at = out.indexOf('>', int(r, 0, out.length));
        if (at === -1) continue;
        out = out.slice(0, at + 1) + pick(r, HOSTILE_TEXTS) + out.slice(at + 1);
      }
      return r() < 0.7 ? inScript(out, r, (json) => mutateJsonText(json, r, 'inject-text')) : out;
    },
  },
];

// ---------------------------------------------------------------------------------------------------------
// JSON bodies and the YAML feed

const JSON_BODY_MUTATIONS: readonly Mutation[] = [
  truncate,
  cutSpan,
  { name: 'corrupt-bytes', keepsValues: false, apply: corruptBytes },
  ...JSON_MUTATIONS.map((m): Mutation => ({ name: m.name, keepsValues: true, apply: (b, r) => mutateJsonText(b, r, m.name) })),
  changeCharset('application/json'),
];

function mapLines(b: string, edit: (lines: string[]) => void): string {
  const lines = b.split('\n');
  edit(lines);
  return lines.join('\n');
}

const YAML_MUTATIONS: readonly Mutation[] = [
  truncate,
  cutSpan,
  { name: 'drop-lines', keepsValues: true, apply: (b, r) => mapLines(b, (lines) => lines.splice(int(r, 0, lines.length - 1), int(r, 1, 50))) },
  {
    name: 'duplicate-lines',
    keepsValues: true,
    apply: (b, r) =>
      mapLines(b, (lines) => {
        const at = int(r, 0, lines.length - 1);
        lines.splice(at, 0, ...lines.slice(at, at + int(r, 1, 20)));
      }),
  },
  {
    name: 'corrupt-line',
    keepsValues: false,
    apply: (b, r) =>
      mapLines(b, (lines) => {
        for (let i = int(r, 1, 30); i > 0; i--) {
          const at = int(r, 0, lines.length - 1);
          lines[at] = corruptBytes(lines[at]!, r);
        }
      }),
  },
  { name: 'numbers-to-words', keepsValues: true, apply: (b, r) => numbersToWords(b, r, pick(r, [1, 0.3, 0.05])) },
  {
    name: 'huge-line',
    keepsValues: true,
    apply: (b, r) =>
      mapLines(b, (lines) => lines.splice(int(r, 0, lines.length), 0, `tt0000001: {rating: 0, votes: 0, tags: [${'During Credits, '.repeat(int(r, 1_000, 30_000))}]}`)),
  },
  {
    name: 'deep-nest',
    keepsValues: true,
    apply: (b, r) =>
      mapLines(b, (lines) => {
        const depth = int(r, 100, 20_000);
        lines.splice(int(r, 0, lines.length), 0, `tt0000002: {rating: 0, votes: 0, tags: ${'['.repeat(depth)}x${']'.repeat(depth)}}`);
      }),
  },
  {
    name: 'inject-text',
    keepsValues: true,
    apply: (b, r) =>
      mapLines(b, (lines) => {
        for (let i = int(r, 1, 10); i > 0; i--) {
          const at = int(r, 0, lines.length - 1);
          // Beside tags a line already has: a line without tags gains none (that would be new content).
          lines[at] = lines[at]!.replace(/tags: \[(?=[^\]\s])/, `tags: [${JSON.stringify(pick(r, HOSTILE_TEXTS))}, `);
        }
      }),
  },
  changeCharset('text/plain'),
];

const MUTATIONS: Readonly<Record<BodyFormat, readonly Mutation[]>> = { html: HTML_MUTATIONS, json: JSON_BODY_MUTATIONS, yaml: YAML_MUTATIONS };

/** Films the YAML mutations add lines for: what a parser says about them is not compared with anything. */
export const INJECTED_FILMS: ReadonlySet<string> = new Set(['tt0000001', 'tt0000002']);

/** A variant of a body. */
export interface Variant {
  body: string;
  /** The mutations applied, in order. */
  steps: string[];
  /** Whether every value the variant still carries is the recorded one (no byte-level edit was made). */
  keepsValues: boolean;
}

/** A variant of a body: one to three mutations in a row. */
export function mutate(body: string, format: BodyFormat, random: Random): Variant {
  let out = body;
  const steps: string[] = [];
  let keepsValues = true;
  for (let i = random() < 0.7 ? 1 : int(random, 2, 3); i > 0; i--) {
    const mutation = pick(random, MUTATIONS[format]);
    out = mutation.apply(out, random);
    steps.push(mutation.name);
    keepsValues &&= mutation.keepsValues;
  }
  return { body: out, steps, keepsValues };
}
