/**
 * The observation store: `observations/<source>.jsonl`, one observation per line, keys sorted, lines
 * sorted by film, kind and URL — so that a refresh is a reviewable diff and `dataset/` can be rebuilt
 * offline from what is committed.
 *
 * A newer observation replaces the older one with the same film, source, kind (and score group); nothing
 * else is ever removed, so a source that fails keeps its last good observations. Files are replaced
 * atomically (write a temporary file, fsync, rename). A file with unreadable lines is reported line by line
 * and left untouched for the whole run (its readable lines are still used), so nothing is lost by rewriting it.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { formatIssues } from '../errors.ts';
import { SOURCE_IDS, type SourceId } from '../normalize/schema.ts';
import { safeJsonParse, stableStringify } from '../normalize/text.ts';
import { Observation, observationKey } from './schema.ts';

export interface StoreProblem {
  file: string;
  line: number;
  message: string;
}

export class ObservationStore {
  private readonly byKey = new Map<string, Observation>();
  /** For every key touched since loading: its serialized value then (null = it did not exist). */
  private readonly original = new Map<string, string | null>();
  /** Sources whose file had unreadable lines: never rewritten during this run. */
  readonly frozen = new Set<SourceId>();
  readonly problems: StoreProblem[] = [];

  private constructor(readonly dir: string) {}

  /** Loads every `<source>.jsonl` in `dir` (a missing directory is an empty store). */
  static load(dir: string): ObservationStore {
    const store = new ObservationStore(dir);
    if (!existsSync(dir)) return store;
    for (const name of readdirSync(dir).sort()) {
      if (!name.endsWith('.jsonl')) continue;
      const source = name.slice(0, -'.jsonl'.length);
      const file = path.join(dir, name);
      if (!(SOURCE_IDS as readonly string[]).includes(source)) {
        store.problems.push({ file, line: 0, message: `unknown source "${source}": file ignored` });
        continue;
      }
      store.loadFile(source as SourceId, file);
    }
    return store;
  }

  private loadFile(source: SourceId, file: string): void {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      let parsed: unknown;
      try {
        parsed = safeJsonParse(line);
      } catch (error) {
        this.corrupt(source, file, index + 1, `not JSON (${(error as Error).message})`);
        return;
      }
      const result = Observation.safeParse(parsed);
      if (!result.success) {
        this.corrupt(source, file, index + 1, formatIssues(result.error.issues, 3).join(' '));
        return;
      }
      if (result.data.source !== source) {
        this.corrupt(source, file, index + 1, `observation of source "${result.data.source}" in ${source}.jsonl`);
        return;
      }
      this.byKey.set(keyOf(result.data), result.data);
    });
  }

  private corrupt(source: SourceId, file: string, line: number, message: string): void {
    this.frozen.add(source);
    this.problems.push({ file, line, message: `${message} — line skipped; ${source} observations will not be rewritten until it is fixed or removed` });
  }

  /**
   * Adds observations, replacing older ones under the same key, and returns those that changed the store.
   * An observation that says exactly what the stored one says (same URL, same values) keeps the stored
   * one and its date: `observedAt` is when a source was first seen saying this, so a refresh that finds
   * nothing new changes no byte (when it was last checked is the run state's business).
   */
  put(observations: readonly Observation[]): Observation[] {
    const stored: Observation[] = [];
    for (const observation of observations) {
      const key = keyOf(observation);
      const previous = this.byKey.get(key);
      if (previous && sameClaim(previous, observation)) continue;
      if (!this.original.has(key)) this.original.set(key, previous ? stableStringify(previous) : null);
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

  /** How many observations differ from what was loaded. */
  changedCount(): number {
    return this.changedKeys().length;
  }

  all(): Observation[] {
    return [...this.byKey.values()];
  }

  bySource(source: SourceId): Observation[] {
    return this.all().filter((o) => o.source === source);
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Writes every changed source file atomically; returns the files written. */
  save(): string[] {
    const written: string[] = [];
    const dirty = new Set(this.changedKeys().map((key) => key.split('\u0000')[1] as SourceId));
    if (dirty.size === 0) return written;
    mkdirSync(this.dir, { recursive: true });
    for (const source of [...dirty].sort()) {
      if (this.frozen.has(source)) continue;
      const lines = this.bySource(source)
        .map((o) => ({ sortKey: sortKeyOf(o), text: stableStringify(o) }))
        .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0))
        .map((l) => l.text);
      const file = path.join(this.dir, `${source}.jsonl`);
      writeFileAtomic(file, lines.length ? `${lines.join('\n')}\n` : '');
      written.push(file);
    }
    for (const [key] of this.original) {
      const source = key.split('\u0000')[1] as SourceId;
      if (!this.frozen.has(source)) this.original.delete(key);
    }
    return written;
  }
}

function sameClaim(a: Observation, b: Observation): boolean {
  return stableStringify({ ...a, observedAt: '' }) === stableStringify({ ...b, observedAt: '' });
}

function keyOf(o: Observation): string {
  return observationKey({ movie: o.movie, source: o.source, kind: o.kind, group: o.kind === 'score' ? o.group : undefined });
}

function sortKeyOf(o: Observation): string {
  return `${o.movie}\u0000${o.kind}\u0000${o.kind === 'score' ? o.group : ''}\u0000${o.url}`;
}

/** Writes a file so that readers see either the old or the new content, never a mix (temp, fsync, rename). */
export function writeFileAtomic(file: string, content: string | Buffer): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
