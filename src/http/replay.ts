/**
 * Replay: answers requests from a recorded corpus laid out like `../shared/corpus` (an `index.json` that
 * gives, for each file, the URL it answers, its status, content type and capture date).
 *
 * It is an undici `MockAgent`, so the HTTP client runs exactly the same code live and in replay. Matching a
 * request to a recording, in order:
 *
 * 1. **exact** — same host, path (trailing slash ignored) and query, once credentials and the API's default
 *    parameters are dropped and case-insensitive parameters are lower-cased; the newest capture wins (ties:
 *    the last file name).
 * 2. **variant** — same resource recorded with other values of the parameters a source declares as
 *    presentation only (TMDB `append_to_response`, `language`): the recorded body is served as recorded, with
 *    the recorded URL, and the parser reads from that URL what it holds (an appended section that was not
 *    recorded is absent, not empty; a French title is a localised title). Only 2xx recordings qualify.
 * 3. **alias** — a recorded body that, by its own content, is also the answer to another request of the same
 *    API (an OMDb record fetched by title is the record `?i=<its imdbID>` returns), matched exactly or as a
 *    variant like a recording of that request. Sources declare these.
 *
 * Nothing else answers: an unrecorded URL is a `NotRecordedError` miss, counted in the run summary. Error
 * bodies whose URL the corpus marks as reconstructed (illustrative endpoints) are never served — they are
 * parser fixtures, not answers. JSON-LD extracts (status null) are not HTTP bodies and are never served.
 *
 * **As of a moment** (`asOf`, the CLI's `--as-of`): only recordings captured no later than that moment answer,
 * so a corpus holding a feed's nightly history replays it night by night. A capture date of month or year
 * precision counts as its last instant (a recording of "2026-05" may be from May 31st): nothing that could be
 * from after the moment is served.
 *
 * **Contained**: the corpus is a folder of files its index names. Every file resolves (symlinks followed)
 * inside that folder or the corpus is refused at load, naming the entries; sizes are read from the file system
 * before anything is read, and a recording larger than the client's body limit is answered as the network's
 * would be — `BodyTooLargeError` — without reading it.
 */
import { closeSync, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { MockAgent } from 'undici';
import { z } from 'zod';
import { BodyTooLargeError, ReplayCorpusError, ValidationError, formatIssues } from '../errors.ts';
import { DEFAULT_MAX_BODY_BYTES, REPLAY_HEADERS } from './client.ts';
import { CREDENTIAL_PARAMS } from './redact.ts';

/** An index larger than this is not a corpus index (the real one is about 300 kB). */
const MAX_INDEX_BYTES = 64 * 1024 * 1024;

/** How a source's host is matched in replay. */
export interface ReplayPolicy {
  /** Parameters whose value is the API's default, dropped before matching (`{ page: '1' }`). */
  defaultParams?: Record<string, string>;
  /** Parameters the API compares case-insensitively (title queries). */
  caseInsensitiveParams?: readonly string[];
  /** Presentation-only parameters: a recording with other values still answers (see "variant"). */
  variantParams?: readonly string[];
  /** Other request URLs a recorded 2xx body answers by its own content (see "alias"). */
  aliases?: (body: string, entry: CorpusEntry) => string[];
}

export const CorpusEntry = z
  .object({
    file: z.string().min(1),
    source: z.string().min(1),
    kind: z.string().min(1),
    url: z.string().url(),
    urlReconstructed: z.boolean().optional(),
    status: z.number().int().nullable(),
    contentType: z.string().optional(),
    capturedAt: z.string().regex(/^\d{4}(-\d{2}(-\d{2}(T[\d:.]+Z)?)?)?$/),
    markup: z.string().optional(),
    complete: z.boolean().optional(),
    locale: z.string().optional(),
    movie: z.record(z.string(), z.unknown()).nullable().optional(),
    expected: z.unknown().optional(),
    notes: z.string().nullable().optional(),
  })
  .loose();
export type CorpusEntry = z.infer<typeof CorpusEntry>;

export interface ReplayMatch {
  entry: CorpusEntry;
  match: 'exact' | 'variant' | 'alias';
}

interface Keyed {
  entry: CorpusEntry;
  exactKey: string;
  variantKey: string;
  variantValues: Map<string, string>;
}

/** Reads a corpus index; throws `ValidationError` naming the bad entries. */
export function loadCorpusIndex(dir: string): CorpusEntry[] {
  const indexPath = path.join(dir, 'index.json');
  let raw: unknown;
  try {
    const size = statSync(indexPath).size;
    if (size > MAX_INDEX_BYTES) throw new Error(`${size} bytes, more than a corpus index can be (${MAX_INDEX_BYTES})`);
    raw = JSON.parse(readBounded(indexPath, MAX_INDEX_BYTES).toString('utf8'));
  } catch (error) {
    throw new ValidationError(`replay corpus ${indexPath}`, [`- (file): ${(error as Error).message}`]);
  }
  const parsed = z.array(CorpusEntry).safeParse(raw);
  if (!parsed.success) throw new ValidationError(`replay corpus ${indexPath}`, formatIssues(parsed.error.issues));
  return parsed.data;
}

/** Orders capture dates of mixed precision ("2025" < "2025-02" < "2025-02-13T00:00:00Z"). */
export function compareCapturedAt(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The last instant a capture date can stand for, in ms ("2026-05" → the end of May 31st, 2026). */
export function capturedBy(capturedAt: string): number {
  const [year, month, day] = capturedAt.slice(0, 10).split('-').map(Number) as [number, number?, number?];
  if (capturedAt.length > 10) return Date.parse(capturedAt);
  if (day !== undefined) return Date.UTC(year, month! - 1, day + 1) - 1;
  if (month !== undefined) return Date.UTC(year, month, 1) - 1;
  return Date.UTC(year + 1, 0, 1) - 1;
}

export interface ReplayOptions {
  /** Serve only recordings captured no later than this moment (see the module notes). */
  asOf?: Date;
  /** Recordings larger than this are answered with `BodyTooLargeError`, unread (the client's body limit). */
  maxBodyBytes?: number;
}

export class ReplayCorpus {
  private readonly byExact = new Map<string, Keyed[]>();
  private readonly byVariant = new Map<string, Keyed[]>();
  private readonly aliasExact = new Map<string, Keyed[]>();
  private readonly aliasVariant = new Map<string, Keyed[]>();
  private readonly bodies = new Map<string, Buffer>();
  /** Each entry's file: where it resolved inside the corpus and its size. */
  private readonly files = new Map<string, { path: string; bytes: number }>();
  private readonly maxBodyBytes: number;
  /** Entries that are in the index but never served, with the reason. */
  readonly unserved: { file: string; reason: string }[] = [];

  constructor(
    readonly dir: string,
    readonly entries: readonly CorpusEntry[],
    private readonly policies: ReadonlyMap<string, ReplayPolicy>,
    options: ReplayOptions = {},
  ) {
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.locateFiles(entries);
    for (const entry of entries) {
      if (options.asOf && capturedBy(entry.capturedAt) > options.asOf.getTime()) {
        this.unserved.push({ file: entry.file, reason: `captured after ${options.asOf.toISOString()} (--as-of)` });
        continue;
      }
      if (entry.status === null) {
        this.unserved.push({ file: entry.file, reason: 'not an HTTP body (extract)' });
        continue;
      }
      if (entry.kind === 'error' && entry.urlReconstructed) {
        this.unserved.push({ file: entry.file, reason: 'error body with an illustrative URL' });
        continue;
      }
      const keyed = this.key(entry.url, entry);
      push(this.byExact, keyed.exactKey, keyed);
      push(this.byVariant, keyed.variantKey, keyed);
      const policy = this.policyFor(entry.url);
      if (policy?.aliases && entry.status >= 200 && entry.status < 300) {
        for (const alias of this.aliasesOf(policy, entry)) {
          const aliasKeyed = this.key(alias, entry);
          if (aliasKeyed.exactKey === keyed.exactKey) continue;
          push(this.aliasExact, aliasKeyed.exactKey, aliasKeyed);
          push(this.aliasVariant, aliasKeyed.variantKey, aliasKeyed);
        }
      }
    }
  }

  static load(dir: string, policies: ReadonlyMap<string, ReplayPolicy>, options: ReplayOptions = {}): ReplayCorpus {
    return new ReplayCorpus(dir, loadCorpusIndex(dir), policies, options);
  }

  /**
   * Resolves every entry's file inside the corpus folder (symlinks followed) and reads its size; refuses the
   * corpus, naming the entries, when a file is outside the folder, missing or not a regular file.
   */
  private locateFiles(entries: readonly CorpusEntry[]): void {
    const root = realpathSync(this.dir);
    const problems: string[] = [];
    for (const entry of entries) {
      const lexical = path.resolve(root, entry.file);
      if (!isInside(root, lexical)) {
        problems.push(`- ${JSON.stringify(entry.file)}: outside the corpus folder`);
        continue;
      }
      let real: string;
      try {
        real = realpathSync(lexical);
      } catch (error) {
        problems.push(`- ${JSON.stringify(entry.file)}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
        continue;
      }
      if (!isInside(root, real)) {
        problems.push(`- ${JSON.stringify(entry.file)}: a link to ${real}, outside the corpus folder`);
        continue;
      }
      const stat = statSync(real);
      if (!stat.isFile()) {
        problems.push(`- ${JSON.stringify(entry.file)}: not a regular file`);
        continue;
      }
      this.files.set(entry.file, { path: real, bytes: stat.size });
    }
    if (problems.length) throw new ReplayCorpusError(root, problems);
  }

  /** The recording that answers `url`, or null. */
  match(url: string): ReplayMatch | null {
    const wanted = this.key(url);
    // Recordings of this very request first, then bodies that answer it by their content (aliases).
    for (const [exactMap, variantMap, kind] of [
      [this.byExact, this.byVariant, 'recorded'],
      [this.aliasExact, this.aliasVariant, 'alias'],
    ] as const) {
      const exact = newest(exactMap.get(wanted.exactKey)?.map((k) => k.entry));
      if (exact) return { entry: exact, match: kind === 'alias' ? 'alias' : 'exact' };
      const variants = (variantMap.get(wanted.variantKey) ?? []).filter((k) => k.entry.status! >= 200 && k.entry.status! < 300);
      if (variants.length > 0) {
        // Fewest differing presentation parameters first (a default-language body before a French one), then newest.
        const differing = (k: Keyed) => {
          let n = 0;
          for (const name of new Set([...k.variantValues.keys(), ...wanted.variantValues.keys()])) {
            if (k.variantValues.get(name) !== wanted.variantValues.get(name)) n += name === 'language' ? 2 : 1;
          }
          return n;
        };
        const best = Math.min(...variants.map(differing));
        const entry = newest(variants.filter((k) => differing(k) === best).map((k) => k.entry));
        if (entry) return { entry, match: kind === 'alias' ? 'alias' : 'variant' };
      }
    }
    return null;
  }

  /** The body as it is served (recorded bytes, or the documented wrapping for entity-only recordings). */
  body(entry: CorpusEntry): Buffer {
    let body = this.bodies.get(entry.file);
    if (!body) {
      const file = this.files.get(entry.file);
      if (!file) throw new ReplayCorpusError(this.dir, [`- ${JSON.stringify(entry.file)}: not an entry of this corpus`]);
      if (file.bytes > this.maxBodyBytes) throw new BodyTooLargeError('GET', entry.url, this.maxBodyBytes);
      body = readBounded(file.path, this.maxBodyBytes);
      if (entry.source === 'wikidata' && entry.kind === 'entity') {
        // The corpus holds the entity object only; the API wraps it (see the entry's notes).
        const entity = JSON.parse(body.toString('utf8')) as { id: string };
        body = Buffer.from(JSON.stringify({ entities: { [entity.id]: entity }, success: 1 }));
      }
      this.bodies.set(entry.file, body);
    }
    return body;
  }

  /** A MockAgent that answers every request from this corpus and refuses the network. */
  dispatcher(): MockAgent {
    const agent = new MockAgent({ connections: 1 });
    agent.disableNetConnect();
    const origins = new Set<string>();
    for (const entry of this.entries) {
      const u = new URL(entry.url);
      origins.add(`https://${u.host}`);
      origins.add(`http://${u.host}`);
    }
    for (const origin of origins) {
      agent
        .get(origin)
        .intercept({ path: (p) => this.match(origin + p) !== null, method: 'GET' })
        .reply((options) => {
          const found = this.match(origin + options.path)!;
          return {
            statusCode: found.entry.status ?? 200,
            data: this.body(found.entry),
            responseOptions: {
              headers: {
                'content-type': found.entry.contentType ?? 'application/octet-stream',
                [REPLAY_HEADERS.file]: found.entry.file,
                [REPLAY_HEADERS.url]: found.entry.url,
                [REPLAY_HEADERS.capturedAt]: found.entry.capturedAt,
                [REPLAY_HEADERS.match]: found.match,
              },
            },
          };
        })
        .persist();
    }
    return agent;
  }

  /** A policy's aliases of one body; a body the policy cannot read (HTML from a JSON API) has none. */
  private aliasesOf(policy: ReplayPolicy, entry: CorpusEntry): string[] {
    try {
      return policy.aliases!(this.body(entry).toString('utf8'), entry).filter((alias) => URL.canParse(alias));
    } catch {
      return [];
    }
  }

  private policyFor(url: string): ReplayPolicy | undefined {
    try {
      return this.policies.get(new URL(url).hostname);
    } catch {
      return undefined;
    }
  }

  private key(url: string, _entry?: CorpusEntry): Keyed & { entry: CorpusEntry } {
    const u = new URL(url);
    const policy = this.policies.get(u.hostname);
    let pathname = decodeURIComponentSafe(u.pathname);
    if (pathname.length > 1 && pathname.endsWith('/')) pathname = pathname.slice(0, -1);
    const params: [string, string][] = [];
    const variantValues = new Map<string, string>();
    for (const [name, rawValue] of u.searchParams) {
      if (CREDENTIAL_PARAMS.has(name.toLowerCase())) continue;
      if (policy?.defaultParams && Object.hasOwn(policy.defaultParams, name) && policy.defaultParams[name] === rawValue) continue;
      const value = policy?.caseInsensitiveParams?.includes(name) ? rawValue.toLowerCase() : rawValue;
      if (policy?.variantParams?.includes(name)) variantValues.set(name, normalizeList(value));
      else params.push([name, value]);
    }
    params.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    // Encoded again, so that a value holding `&`, `=` or `#` cannot pass for several parameters.
    const pair = ([k, v]: [string, string]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`;
    const base = `${u.hostname}${pathname}?${params.map(pair).join('&')}`;
    const variants = [...variantValues].sort(([a], [b]) => (a < b ? -1 : 1)).map(pair);
    return {
      entry: _entry as CorpusEntry,
      exactKey: `${base}#${variants.join('&')}`,
      variantKey: base,
      variantValues,
    };
  }
}

/** Comma lists (append_to_response) compare as sets. */
function normalizeList(value: string): string {
  return value.includes(',') ? value.split(',').map((s) => s.trim()).sort().join(',') : value;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Whether `file` is `root` or below it (both absolute, resolved). */
function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** A file's bytes, refused when it holds more than `limit` (it may have grown since it was measured). */
function readBounded(file: string, limit: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > limit) throw new Error(`${file}: ${size} bytes, more than ${limit}`);
    const buffer = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function newest(entries: readonly CorpusEntry[] | undefined): CorpusEntry | undefined {
  if (!entries || entries.length === 0) return undefined;
  return [...entries].sort((a, b) => compareCapturedAt(a.capturedAt, b.capturedAt) || (a.file < b.file ? -1 : 1)).at(-1);
}
