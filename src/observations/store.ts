/**
 * The observation store: `observations/<source>.jsonl`, one observation per line, keys sorted, lines
 * sorted by film, kind and URL — so that a refresh is a reviewable diff and `dataset/` can be rebuilt
 * offline from what is committed.
 *
 * A newer observation replaces the older one with the same film, source, kind (and score group); nothing
 * else is ever removed, so a source that fails keeps its last good observations. Files are replaced
 * atomically through `src/lib/files.ts` (every byte written, fsync, rename, fsync of the folder; on a full disk
 * the old file stays and the error says so). A file with an unreadable line — cut off mid-line by a full disk
 * or a killed writer, not JSON, failing the schema — is an error naming the file and line
 * (`DamagedObservationsError`) on first read: read as fewer observations, it would publish fewer records, and
 * rewritten, it would lose the lines that could not be read.
 *
 * Loading is lazy, because a build over a million films must not hold them all: `verify` and `size` come
 * from a scan that validates every line without keeping it; the observations are kept in memory only when
 * something asks for them (`all`, `put`, a collect run). `sources()` gives each source's observations in file
 * order for the streaming build — from memory when loaded, else read from the files again a chunk at a time
 * (each line is validated once, by the scan). A file whose lines are out of order (edited by hand) is sorted
 * in memory, alone.
 *
 * A store is a folder of `<source>.jsonl` files: a folder that holds other things and no such file (the
 * dataset, a corpus, a source tree) is not one, and is refused when the store is opened — before a run
 * collects anything, and long before `save` would write into it.
 */
import { closeSync, existsSync, mkdirSync, openSync, readSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { DamagedObservationsError, WrongFolderError, formatIssues, type DamagedLine } from '../errors.ts';
import { folderEntries, holdsWithout } from '../lib/folders.ts';
import { onFile, removeStaleTemporaries, writeFileAtomic } from '../lib/files.ts';
import { observedAtToDate } from '../lib/dates.ts';
import { filmIdCode, filmIdOfCode } from '../schema/ids.ts';
import { SOURCE_IDS, type SourceId } from '../schema/sources.ts';
import { safeJsonParse, stableStringify } from '../lib/json.ts';
import { CreditScenesObservation, CreditsObservation, DetailsObservation, IdsObservation, Observation, ReleasesObservation, ScoreObservation, observationKey } from '../schema/observation.ts';
import { sortKeyOf } from '../schema/observation.ts';

/** What identity needs of an observation: where it is filed, the ids it gives, and (asked only on a conflict) where it came from. */
export interface ObservationLinks {
  movie: string;
  ids: { imdb?: string; tmdb?: number };
  via(): { source: string; url: string };
}

/** One source's observations in store order (sorted by film, kind, group and URL, as `save` writes them). */
export interface SourceObservations {
  source: SourceId;
  /** A pass over them from the first; every call starts a new pass. */
  observations(): Iterable<Observation>;
  /** The same observations' links, in the same order: from a file, without parsing whole lines. */
  links(): Iterable<ObservationLinks>;
}

/** What the scan learnt about one source file. */
interface FileScan {
  source: SourceId;
  file: string;
  /** Lines in store order (each sort key ≥ the previous one). */
  sorted: boolean;
  /** A key appears on more than one line (of one film): loading keeps the last. */
  repeats: boolean;
  /** What identity needs of the file, noted by the scan (see `LinkLog`). */
  links: LinkLog;
  /** Observations it holds (valid lines, a key repeated within a film counted once). */
  count: number;
}

export class ObservationStore {
  private readonly byKey = new Map<string, Observation>();
  /** For every key touched since loading: its serialized value then (null = it did not exist). */
  private readonly original = new Map<string, string | null>();
  private readonly ignored: string[] = [];
  private scanned: FileScan[] | null = null;
  private loaded = false;

  private constructor(readonly dir: string) {}

  /**
   * The store of `<source>.jsonl` files in `dir` (a missing or empty folder is an empty store); read on first
   * use. A file, or a folder with other things and no `<source>.jsonl`, is a `WrongFolderError`.
   */
  static load(dir: string): ObservationStore {
    const role = 'an observation store';
    const todo = 'Give a new or empty folder, or a folder of <source>.jsonl files such as observations/.';
    const entries = folderEntries(dir, role, todo);
    // Any `<name>.jsonl` is the store's (an unknown source's file is ignored with a notice, not a reason to
    // refuse the folder), and so is a temporary left by an interrupted save (`<source>.jsonl.tmp-<pid>`).
    const isStoreFile = (name: string) => /\.jsonl(\.tmp-\d+)?$/.test(name);
    if (entries?.length && !entries.some(isStoreFile)) {
      throw new WrongFolderError(dir, role, holdsWithout(entries, '<source>.jsonl file'), todo);
    }
    return new ObservationStore(dir);
  }

  /**
   * Reads every file once (the scan, kept for what follows). Throws `DamagedObservationsError`, naming each
   * damaged file and its first unreadable line, when a line cannot be read.
   */
  verify(): void {
    this.scan();
  }

  /** Files of the folder that are no known source's (`<name>.jsonl`), as notices: they are not read. */
  get ignoredFiles(): readonly string[] {
    this.scan();
    return this.ignored;
  }

  /**
   * Removes the temporaries that interrupted saves (kill -9, a power cut) left in the folder, so that
   * nothing commits them; those of another live process are left alone. Returns the files removed.
   */
  removeStaleTemporaries(): string[] {
    return removeStaleTemporaries(this.dir);
  }

  /** Every line of every file, validated once, nothing kept; throws when a line cannot be read. */
  private scan(): FileScan[] {
    if (this.scanned) return this.scanned;
    const scanned: FileScan[] = [];
    const damaged: DamagedLine[] = [];
    this.ignored.length = 0;
    if (existsSync(this.dir)) {
      for (const name of readdirSync(this.dir).sort()) {
        if (!name.endsWith('.jsonl')) continue;
        const source = name.slice(0, -'.jsonl'.length);
        const file = path.join(this.dir, name);
        if (!(SOURCE_IDS as readonly string[]).includes(source)) {
          this.ignored.push(`${file}: unknown source "${source}": file ignored`);
          continue;
        }
        const scan = scanFile(source as SourceId, file);
        if ('damaged' in scan) damaged.push(scan.damaged);
        else scanned.push(scan);
      }
    }
    if (damaged.length) throw new DamagedObservationsError(this.dir, damaged);
    return (this.scanned = scanned);
  }

  /** Keeps every observation in memory (the scan has validated them). */
  private ensureLoaded(): void {
    if (this.loaded) return;
    for (const scan of this.scan()) for (const observation of fileObservations(scan)) this.byKey.set(keyOf(observation), observation);
    this.loaded = true;
  }

  /** Each source's observations in store order: from memory when loaded, else streamed from its file. */
  sources(): SourceObservations[] {
    if (!this.loaded) {
      return this.scan().map((scan) => {
        if (!scan.sorted) return inMemory(scan.source, sortedObservations([...new Map([...fileObservations(scan)].map((o) => [keyOf(o), o])).values()]));
        const observations = () => sortedFileObservations(scan);
        // A key given twice in a film: loading keeps the last line only, so its links are read from what loading keeps.
        return { source: scan.source, observations, links: scan.repeats ? () => linksOf(observations()) : () => scan.links.replay(scan.file) };
      });
    }
    const bySource = new Map<SourceId, Observation[]>();
    for (const o of this.byKey.values()) {
      const list = bySource.get(o.source);
      if (list) list.push(o);
      else bySource.set(o.source, [o]);
    }
    return [...bySource]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([source, list]) => inMemory(source, sortedObservations(list)));
  }

  /**
   * Adds observations, replacing older ones under the same key, and returns those that changed the store.
   * An observation that says exactly what the stored one says (same URL, same values) keeps the stored
   * one and its date: `observedAt` is when a source was first seen saying this, so a refresh that finds
   * nothing new changes no byte (when it was last checked is the run state's business). A stored one dated
   * after the new one (filed by a run whose clock was set ahead, or from a later capture than the one an
   * `--as-of` replay reads) cannot be when it was first seen: the earlier date replaces it.
   */
  put(observations: readonly Observation[]): Observation[] {
    this.ensureLoaded();
    const stored: Observation[] = [];
    for (const observation of observations) {
      const key = keyOf(observation);
      const previous = this.byKey.get(key);
      if (previous && sameClaimSince(previous, observation)) continue;
      if (!this.original.has(key)) this.original.set(key, previous ? stableStringify(previous) : null);
      // Two answers of one run may take turns under a key (details' ids, then external ids): when the last
      // one says what was loaded, the loaded observation, with its date, stays.
      const loaded = this.original.get(key);
      if (loaded && sameClaimSince(JSON.parse(loaded) as Observation, observation)) {
        this.byKey.set(key, JSON.parse(loaded) as Observation);
        continue;
      }
      this.byKey.set(key, observation);
      stored.push(observation);
    }
    return stored;
  }

  /**
   * Keys whose observation differs from what was loaded. Net of everything put since: a film whose
   * requests file two observations under one key in turn (details' ids, then external ids) counts once,
   * and not at all when the result is what was there before.
   */
  private changedKeys(): string[] {
    const keys: string[] = [];
    for (const [key, before] of this.original) {
      const now = this.byKey.get(key);
      if ((now ? stableStringify(now) : null) !== before) keys.push(key);
    }
    return keys;
  }

  /** Per source, the films whose observations differ from what was loaded (net, like `changedCount`). */
  changedFilms(): Map<SourceId, Set<string>> {
    const films = new Map<SourceId, Set<string>>();
    for (const key of this.changedKeys()) {
      const [movie, source] = key.split('\u0000') as [string, SourceId];
      if (!films.has(source)) films.set(source, new Set());
      films.get(source)!.add(movie);
    }
    return films;
  }

  /** How many observations differ from what was loaded. */
  changedCount(): number {
    return this.changedKeys().length;
  }

  all(): Observation[] {
    this.ensureLoaded();
    return [...this.byKey.values()];
  }

  bySource(source: SourceId): Observation[] {
    return this.all().filter((o) => o.source === source);
  }

  get size(): number {
    return this.loaded ? this.byKey.size : this.scan().reduce((n, scan) => n + scan.count, 0);
  }

  /** Writes every changed source file atomically; returns the files written. */
  save(): string[] {
    const written: string[] = [];
    const dirty = new Set(this.changedKeys().map((key) => key.split('\u0000')[1] as SourceId));
    if (dirty.size === 0) return written;
    onFile(this.dir, 'creating the folder', () => mkdirSync(this.dir, { recursive: true }));
    for (const source of [...dirty].sort()) {
      const lines = sortedObservations(this.bySource(source)).map((o) => stableStringify(o));
      const file = path.join(this.dir, `${source}.jsonl`);
      writeFileAtomic(file, lines.length ? `${lines.join('\n')}\n` : '');
      written.push(file);
    }
    this.original.clear();
    return written;
  }
}

/** One file's scan, or its first unreadable line (the whole file is read, to count the others). */
function scanFile(source: SourceId, file: string): FileScan | { damaged: DamagedLine } {
  const scan: FileScan = { source, file, sorted: true, repeats: false, count: 0, links: new LinkLog() };
  let damaged: DamagedLine | undefined;
  let previous = '';
  let block = '';
  const blockKeys = new Set<string>();
  for (const [number, text, offset, ended] of readLines(file)) {
    const observation = readLine(source, text, ended);
    if (typeof observation === 'string') {
      if (damaged) damaged.others++;
      else damaged = { file, line: number, reason: observation, others: 0 };
      continue;
    }
    if (damaged) continue;
    const sortKey = sortKeyOf(observation);
    if (sortKey < previous) scan.sorted = false;
    previous = sortKey;
    if (observation.movie !== block) {
      block = observation.movie;
      blockKeys.clear();
      scan.links.startFilm(block, offset);
    }
    scan.links.note(observation, offset);
    const key = keyOf(observation);
    if (blockKeys.has(key)) scan.repeats = true;
    else scan.count++;
    blockKeys.add(key);
  }
  if (damaged) return { damaged };
  // Out of order, a key may repeat anywhere in the file: count what loading it keeps.
  if (!scan.sorted) scan.count = new Set([...fileObservations(scan)].map(keyOf)).size;
  return scan;
}

/**
 * A line as an observation, or why it is not one. A last line without its newline that does not parse was
 * cut off mid-write (a full disk, a killed writer): said so, since the way out is the committed copy.
 */
function readLine(source: SourceId, text: string, ended: boolean): Observation | string {
  let parsed: unknown;
  try {
    parsed = parseLine(text);
  } catch (error) {
    return ended ? `not JSON (${(error as Error).message})` : 'cut off mid-line (truncated file?)';
  }
  const result = validateObservation(parsed);
  if (!result.success) return `fails the schema: ${formatIssues(result.error.issues, 3).map((issue) => issue.replace(/^- /, '')).join('; ')}`;
  if (result.data.source !== source) return `an observation of source "${result.data.source}" in ${source}.jsonl`;
  return result.data;
}

const SCHEMA_BY_KIND: ReadonlyMap<unknown, z.ZodType<Observation>> = new Map<string, z.ZodType<Observation>>([
  ['details', DetailsObservation],
  ['credits', CreditsObservation],
  ['ids', IdsObservation],
  ['releases', ReleasesObservation],
  ['score', ScoreObservation],
  ['creditScenes', CreditScenesObservation],
]);

/**
 * `Observation.safeParse` at a fraction of the cost: the schema of the value's own kind first (the union
 * would try the kinds before it in turn). A value that fails it gets the union's verdict and issues.
 */
export function validateObservation(value: unknown): z.ZodSafeParseResult<Observation> {
  const kind = value !== null && typeof value === 'object' ? (value as { kind?: unknown }).kind : undefined;
  const result = SCHEMA_BY_KIND.get(kind)?.safeParse(value);
  return result?.success ? result : Observation.safeParse(value);
}

const RISKY_KEYS = /__proto__|constructor|prototype/;

/** `safeJsonParse` semantics, with plain `JSON.parse` (several times faster) for a line no risky key can be in. */
function parseLine(text: string): unknown {
  return RISKY_KEYS.test(text) ? safeJsonParse(text) : JSON.parse(text);
}

/**
 * The non-blank lines of a file with their 1-based numbers, byte offsets and whether they end with a newline
 * (only a last line can lack it), read a megabyte at a time.
 */
function* readLines(file: string): Generator<[number: number, text: string, offset: number, ended: boolean]> {
  const fd = openSync(file, 'r');
  let pending = Buffer.alloc(0);
  let pendingOffset = 0;
  let number = 0;
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(1 << 20);
      const read = readSync(fd, chunk, 0, chunk.length, null);
      const buffer = pending.length ? Buffer.concat([pending, chunk.subarray(0, read)]) : chunk.subarray(0, read);
      let start = 0;
      for (let end = buffer.indexOf(10); end !== -1; end = buffer.indexOf(10, start)) {
        number++;
        const line = buffer.toString('utf8', start, end);
        if (line.trim() !== '') yield [number, line, pendingOffset + start, true];
        start = end + 1;
      }
      pending = buffer.subarray(start);
      pendingOffset += start;
      if (read === 0) break;
    }
    const last = pending.toString('utf8');
    if (last.trim() !== '') yield [number + 1, last, pendingOffset, false];
  } finally {
    closeSync(fd);
  }
}

/** The observations of a scanned file (every line of it is valid), in file order (not validated again). */
function* fileObservations(scan: FileScan): Generator<Observation> {
  for (const [, text] of readLines(scan.file)) yield parseLine(text) as Observation;
}

/**
 * A sorted file's observations in order, a key repeated within a film kept once — its last line, as loading
 * would keep it — so that the stream is what `sources()` would give from memory.
 */
function* sortedFileObservations(scan: FileScan): Generator<Observation> {
  let block: Observation[] = [];
  for (const observation of fileObservations(scan)) {
    if (block.length > 0 && block[0]!.movie !== observation.movie) {
      yield* withoutRepeats(block);
      block = [];
    }
    block.push(observation);
  }
  yield* withoutRepeats(block);
}

/**
 * What identity needs of a file, noted while scanning it so that the build does not read it again for that:
 * per film (a run of lines filed under one id), the id if it is a `tmdb:` one, then each link to another id
 * (`ids.tmdb`, `ids.imdb`) the first time the film's lines give it — a link given again changes nothing.
 * Ids are kept as numbers (`filmIdCode`), with the byte offset of the line, read again only to say where a
 * conflicting link came from. A few tens of megabytes at a million films.
 */
class LinkLog {
  private films = new Float64Array(1 << 10);
  private targets = new Float64Array(1 << 10);
  private offsets = new Float64Array(1 << 10);
  private length = 0;
  private readonly seen = new Set<number>();

  private push(film: number, target: number, offset: number): void {
    if (this.length === this.films.length) {
      const grow = (a: Float64Array) => {
        const bigger = new Float64Array(a.length * 2);
        bigger.set(a);
        return bigger;
      };
      [this.films, this.targets, this.offsets] = [grow(this.films), grow(this.targets), grow(this.offsets)];
    }
    this.films[this.length] = film;
    this.targets[this.length] = target;
    this.offsets[this.length++] = offset;
  }

  /** The lines of another film begin (at `offset`). */
  startFilm(movie: string, offset: number): void {
    this.seen.clear();
    if (movie.startsWith('tmdb:')) this.push(filmIdCode(movie), 0, offset);
  }

  note(o: Observation, offset: number): void {
    const film = filmIdCode(o.movie);
    for (const target of [o.ids.tmdb !== undefined ? `tmdb:${o.ids.tmdb}` : undefined, o.ids.imdb]) {
      if (target === undefined || target === o.movie) continue;
      const code = filmIdCode(target);
      if (this.seen.has(code)) continue;
      this.seen.add(code);
      this.push(film, code, offset);
    }
  }

  /** The noted links as `ObservationLinks`, in file order. */
  *replay(file: string): Generator<ObservationLinks> {
    for (let i = 0; i < this.length; i++) {
      const target = this.targets[i]!;
      const offset = this.offsets[i]!;
      const to = target === 0 ? undefined : filmIdOfCode(target);
      const ids = to === undefined ? {} : to.startsWith('tmdb:') ? { tmdb: Number(to.slice(5)) } : { imdb: to };
      yield { movie: filmIdOfCode(this.films[i]!), ids, via: () => viaOf(parseLine(lineAt(file, offset)) as Observation) };
    }
  }
}

/** The line that starts at byte `offset` of `file`. */
function lineAt(file: string, offset: number): string {
  const fd = openSync(file, 'r');
  try {
    const parts: Buffer[] = [];
    for (let position = offset; ; ) {
      const chunk = Buffer.allocUnsafe(1 << 16);
      const read = readSync(fd, chunk, 0, chunk.length, position);
      const end = chunk.subarray(0, read).indexOf(10);
      parts.push(chunk.subarray(0, end === -1 ? read : end));
      if (end !== -1 || read === 0) break;
      position += read;
    }
    return Buffer.concat(parts).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function* linksOf(observations: Iterable<Observation>): Generator<ObservationLinks> {
  for (const o of observations) yield { movie: o.movie, ids: o.ids, via: () => viaOf(o) };
}

function viaOf(o: Observation): { source: string; url: string } {
  return { source: o.source, url: o.url };
}

function inMemory(source: SourceId, sorted: readonly Observation[]): SourceObservations {
  return { source, observations: () => sorted, links: () => linksOf(sorted) };
}

function withoutRepeats(block: readonly Observation[]): readonly Observation[] {
  if (block.length < 2) return block;
  const last = new Map<string, number>();
  block.forEach((o, i) => last.set(keyOf(o), i));
  return last.size === block.length ? block : block.filter((o, i) => last.get(keyOf(o)) === i);
}

/** Observations in store order (stable: equal sort keys keep their order). */
function sortedObservations(observations: readonly Observation[]): Observation[] {
  return observations
    .map((o) => ({ sortKey: sortKeyOf(o), o }))
    .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0))
    .map(({ o }) => o);
}

function sameClaim(a: Observation, b: Observation): boolean {
  return stableStringify({ ...a, observedAt: '' }) === stableStringify({ ...b, observedAt: '' });
}

/** `stored` says what `next` says, and was seen saying it no later than `next` (so its date stands). */
function sameClaimSince(stored: Observation, next: Observation): boolean {
  return sameClaim(stored, next) && observedAtToDate(stored.observedAt).getTime() <= observedAtToDate(next.observedAt).getTime();
}

function keyOf(o: Observation): string {
  return observationKey({ movie: o.movie, source: o.source, kind: o.kind, group: o.kind === 'score' ? o.group : undefined });
}

