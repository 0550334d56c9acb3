/**
 * Test access to the recorded corpus, read in place from `../shared/corpus` (or `STINGERDB_CORPUS`).
 * The repository never carries copies of these files.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeText } from '../../src/http/client.ts';
import { loadCorpusIndex, type CorpusEntry } from '../../src/http/replay.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CORPUS_DIR = path.resolve(process.env.STINGERDB_CORPUS ?? path.join(REPO_ROOT, '../shared/corpus'));
export const DATASETS_DIR = path.resolve(process.env.STINGERDB_DATASETS ?? path.join(REPO_ROOT, '../shared/datasets'));

if (!existsSync(path.join(CORPUS_DIR, 'index.json'))) {
  throw new Error(`The recorded corpus is not at ${CORPUS_DIR}: check out ../shared beside the repository or set STINGERDB_CORPUS.`);
}

let cached: CorpusEntry[] | undefined;

/** Every entry of the corpus index. */
export function corpusIndex(): CorpusEntry[] {
  cached ??= loadCorpusIndex(CORPUS_DIR);
  return cached;
}

/** Entries matching a predicate (throws if none: a filter that matches nothing is a broken test). */
export function corpusEntries(predicate: (entry: CorpusEntry) => boolean): CorpusEntry[] {
  const found = corpusIndex().filter(predicate);
  if (found.length === 0) throw new Error('no corpus entry matches this filter');
  return found;
}

export function corpusEntry(file: string): CorpusEntry {
  const entry = corpusIndex().find((e) => e.file === file);
  if (!entry) throw new Error(`not in the corpus index: ${file}`);
  return entry;
}

/** A recorded body as text, decoded the way the HTTP client decodes it (Content-Type charset, meta, BOM). */
export function corpusText(file: string): string {
  const entry = corpusEntry(file);
  return decodeText(readFileSync(path.join(CORPUS_DIR, file)), entry.contentType);
}

/** The entry's `expected` values, typed loosely for field-by-field assertions. */
export function expectedOf(entry: CorpusEntry): Record<string, unknown> {
  return (entry.expected ?? {}) as Record<string, unknown>;
}
