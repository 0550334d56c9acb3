/**
 * What changed between two snapshots: films added and removed, credit verdicts and answers that flipped, scores that
 * moved by more than a threshold, films whose record changed in any other way (`updated`: evidence, details,
 * sources — so that every record that differs is accounted for), per-source coverage before → after. Written
 * as `changes.json` (this version's diff) and prepended to `CHANGES.md` (the release notes, newest first).
 *
 * Both snapshots are read from their `movies.json` (one record per line, sorted by id), the ids from their
 * `movies.index.json` (the same rows), and diffed as a merge of two sorted streams: neither dataset is held in
 * memory, and a record is parsed only when its text differs from the other snapshot's (or it was added or
 * removed). The lists go to scratch files as they are found and are copied into `changes.json` at the end,
 * which is byte for byte what `stableStringify(changes, 2)` would give. A previous snapshot out of id order is
 * diffed through a map of its records instead; one that cannot be read gives no diff rather than a wrong one.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { FileOutput } from '../lib/files.ts';
import type { Movie, SlotAnswer } from '../schema/movie.ts';
import { SCORE_CATALOGUE, scoreValue, type ScoreName } from '../schema/scores.ts';
import { compareStrings } from '../lib/text.ts';
import { stableStringify } from '../lib/json.ts';
import { RECORDS_PACKAGE } from './manifest.ts';

/** At most this many items of each kind are listed in CHANGES.md (changes.json has them all). */
const MARKDOWN_LIMIT = 50;


/** What the diff needs of a record. */
export interface FilmSummary {
  title: string | null;
  during: boolean | null;
  after: boolean | null;
  /** The answer per slot (null in a snapshot from before the answers). */
  answers: Record<'during' | 'after', SlotAnswer['answer'] | null>;
  scores: Record<ScoreName, number | null>;
}

export interface Changes {
  version: string;
  previousVersion: string | null;
  counts: { before: number; after: number };
  added: { id: string; title: string | null }[];
  removed: { id: string; title: string | null }[];
  verdictFlips: { id: string; title: string | null; slot: 'during' | 'after'; from: boolean | null; to: boolean | null }[];
  /** Answers (`creditScenes.slots`) that changed: "yes", "no", "unknown" (not listed when the previous snapshot had none). */
  answerFlips: { id: string; title: string | null; slot: 'during' | 'after'; from: SlotAnswer['answer']; to: SlotAnswer['answer'] }[];
  scoreMoves: { id: string; title: string | null; score: ScoreName; from: number | null; to: number | null }[];
  /** Films in both snapshots whose record changed in no way listed above (evidence, details, sources). */
  updated: { id: string; title: string | null }[];
  coverage: Record<string, { before: number; after: number }>;
}

type ListName = 'added' | 'removed' | 'verdictFlips' | 'answerFlips' | 'scoreMoves' | 'updated';

/** One record of a snapshot as the diff reads it: its text, and its summary (parsed only when asked for). */
export interface FilmRecord {
  text: string;
  summary(): FilmSummary;
}

/**
 * A diff as CHANGES.md needs it: every count, and each list's first `MARKDOWN_LIMIT` items with its
 * length (`changes.json` has them all).
 */
export interface ChangesPreview extends Omit<Changes, ListName> {
  lists: { [K in ListName]: { head: Changes[K]; total: number } };
}

export function summarize(m: Movie): FilmSummary {
  const scores = {} as Record<ScoreName, number | null>;
  for (const score of SCORE_CATALOGUE) scores[score.name] = scoreValue(m.scores, score);
  const slots = (m.creditScenes as Partial<Movie['creditScenes']>).slots;
  const answers = { during: slots?.during.answer ?? null, after: slots?.after.answer ?? null };
  return { title: m.title, during: m.creditScenes.during, after: m.creditScenes.after, answers, scores };
}

/** A published snapshot's records as (id, record), in file order; every call reads the file again. */
export type RecordStream = () => Iterable<[string, FilmRecord]>;

/**
 * The records of a snapshot in `dir`, from its `movies.json`; null when it has none. The ids come from
 * `movies.index.json` when it lists as many rows (each checked against its line), else from parsing each line.
 * A line that does not parse throws when read.
 */
export function snapshotRecords(dir: string): RecordStream | null {
  // The full records are the companion's (`records/`); a snapshot written before major 2 had them at the top.
  const folder = [path.join(dir, RECORDS_PACKAGE.dir), dir].find((d) => existsSync(path.join(d, 'movies.json')));
  if (folder === undefined) return null;
  const full = path.join(folder, 'movies.json');
  const ids = indexIds(folder);
  return function* () {
    let row = 0;
    for (const text of recordLines(full)) {
      const indexed = ids?.[row++];
      // The index's id must be this line's own (`"id":"…"` occurs once per record, at its top level).
      const id = indexed !== undefined && text.includes(`"id":${JSON.stringify(indexed)}`) ? indexed : (JSON.parse(text) as { id: string }).id;
      let summary: FilmSummary | undefined;
      yield [id, { text, summary: () => (summary ??= summarize(JSON.parse(text) as Movie)) }];
    }
  };
}

/** The row ids of a snapshot's index, or null when it has no readable one. */
function indexIds(dir: string): string[] | null {
  try {
    const { ids } = JSON.parse(readFileSync(path.join(dir, 'movies.index.json'), 'utf8')) as { ids?: unknown };
    return Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? (ids as string[]) : null;
  } catch {
    return null;
  }
}

/** Each record line (`{…}` or `{…},`, without the comma) of a one-record-per-line JSON array, read a megabyte at a time. */
function* recordLines(file: string): Generator<string> {
  const fd = openSync(file, 'r');
  const chunk = Buffer.allocUnsafe(1 << 20);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for (;;) {
      const bytes = readSync(fd, chunk, 0, chunk.length, null);
      const text = rest + (bytes > 0 ? decoder.write(chunk.subarray(0, bytes)) : decoder.end());
      const lines = text.split('\n');
      rest = bytes > 0 ? lines.pop()! : '';
      for (const line of lines) {
        const record = line.endsWith(',') ? line.slice(0, -1) : line;
        if (record.startsWith('{')) yield record;
      }
      if (bytes === 0) break;
    }
  } finally {
    closeSync(fd);
  }
}

/** Thrown inside a merge when the previous snapshot turns out not to be in id order. */
class OutOfOrder extends Error {}

/** One change list: items rendered for `changes.json` into a scratch file, the first few kept for the notes. */
class ChangeList<T> {
  private readonly out: FileOutput;
  private pending: string[] = [];
  private pendingSize = 0;
  readonly head: T[] = [];
  total = 0;

  constructor(readonly file: string) {
    this.out = new FileOutput(file);
  }

  push(item: T): void {
    if (this.head.length < MARKDOWN_LIMIT) this.head.push(item);
    const text = `${this.total === 0 ? '' : ',\n'}${indent(stableStringify(item, 2), '    ')}`;
    this.total++;
    this.pending.push(text);
    this.pendingSize += text.length;
    if (this.pendingSize > 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.pending.length) this.out.write(this.pending.join(''));
    this.pending = [];
    this.pendingSize = 0;
  }

  close(): void {
    this.flush();
    this.out.close();
  }
}

function indent(text: string, prefix: string): string {
  return prefix + text.replace(/\n/g, `\n${prefix}`);
}

/**
 * Diffs `next` (this snapshot's summaries, sorted by id) against `previous` (the previous snapshot's, null
 * when there is none) and writes `changes.json` to `file`, using `scratchDir` for the lists. Returns what the
 * release notes need.
 */
export function writeChangesJson(input: {
  file: string;
  scratchDir: string;
  version: string;
  previousVersion: string | null;
  previous: RecordStream | null;
  next: RecordStream;
  coverageBefore: Record<string, number>;
  coverageAfter: Record<string, number>;
}): ChangesPreview {
  const open = () => ({
    added: new ChangeList<Changes['added'][number]>(path.join(input.scratchDir, 'added')),
    removed: new ChangeList<Changes['removed'][number]>(path.join(input.scratchDir, 'removed')),
    verdictFlips: new ChangeList<Changes['verdictFlips'][number]>(path.join(input.scratchDir, 'verdictFlips')),
    answerFlips: new ChangeList<Changes['answerFlips'][number]>(path.join(input.scratchDir, 'answerFlips')),
    scoreMoves: new ChangeList<Changes['scoreMoves'][number]>(path.join(input.scratchDir, 'scoreMoves')),
    updated: new ChangeList<Changes['updated'][number]>(path.join(input.scratchDir, 'updated')),
  });
  let lists = open();
  let counts: Changes['counts'];
  try {
    counts = diffSorted(input.previous, input.next, lists);
  } catch (error) {
    for (const list of Object.values(lists)) list.close();
    if (!(error instanceof OutOfOrder)) {
      if (!(error instanceof SyntaxError)) throw error;
      // Not a snapshot this version can read: no diff rather than a wrong one.
      lists = open();
      counts = diffSorted(null, input.next, lists);
    } else {
      lists = open();
      counts = diffByMap(input.previous!, input.next, lists);
    }
  }
  for (const list of Object.values(lists)) list.close();
  const coverage: Changes['coverage'] = {};
  for (const field of [...new Set([...Object.keys(input.coverageBefore), ...Object.keys(input.coverageAfter)])].sort()) {
    const before = input.coverageBefore[field] ?? 0;
    const after = input.coverageAfter[field] ?? 0;
    if (before !== after) coverage[field] = { before, after };
  }
  // The keys in stableStringify's (sorted) order; each list copied from its scratch file.
  const out = new FileOutput(input.file);
  try {
    const entry = (key: string, text: string, last = false) => out.write(`  ${JSON.stringify(key)}: ${text}${last ? '\n' : ',\n'}`);
    const list = (key: ListName) => {
      const { file, total } = lists[key];
      if (total === 0) return entry(key, '[]');
      out.write(`  ${JSON.stringify(key)}: [\n`);
      copyInto(out, file);
      out.write('\n  ],\n');
    };
    out.write('{\n');
    list('added');
    list('answerFlips');
    entry('counts', indent(stableStringify(counts, 2), '  ').slice(2));
    entry('coverage', indent(stableStringify(coverage, 2), '  ').slice(2));
    entry('previousVersion', JSON.stringify(input.previousVersion));
    list('removed');
    list('scoreMoves');
    list('updated');
    list('verdictFlips');
    entry('version', JSON.stringify(input.version), true);
    out.write('}\n');
    out.sync();
  } finally {
    out.close();
  }
  return {
    version: input.version,
    previousVersion: input.previousVersion,
    counts,
    coverage,
    lists: {
      added: { head: lists.added.head, total: lists.added.total },
      removed: { head: lists.removed.head, total: lists.removed.total },
      verdictFlips: { head: lists.verdictFlips.head, total: lists.verdictFlips.total },
      answerFlips: { head: lists.answerFlips.head, total: lists.answerFlips.total },
      scoreMoves: { head: lists.scoreMoves.head, total: lists.scoreMoves.total },
      updated: { head: lists.updated.head, total: lists.updated.total },
    },
  };
}

function copyInto(out: FileOutput, file: string): void {
  const fd = openSync(file, 'r');
  const chunk = Buffer.allocUnsafe(1 << 20);
  try {
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) out.write(chunk.subarray(0, read));
  } finally {
    closeSync(fd);
  }
}

type Lists = { [K in ListName]: ChangeList<Changes[K][number]> };

/** What changed in one film present in both snapshots (nothing when its record is the same text). */
function compareFilm(id: string, beforeRecord: FilmRecord, nowRecord: FilmRecord, lists: Lists): void {
  if (beforeRecord.text === nowRecord.text) return;
  const before = beforeRecord.summary();
  const now = nowRecord.summary();
  let listed = false;
  for (const slot of ['during', 'after'] as const) {
    if (before[slot] !== now[slot]) {
      lists.verdictFlips.push({ id, title: now.title, slot, from: before[slot], to: now[slot] });
      listed = true;
    }
    const [from, to] = [before.answers[slot], now.answers[slot]];
    if (from !== null && to !== null && from !== to) {
      lists.answerFlips.push({ id, title: now.title, slot, from, to });
      listed = true;
    }
  }
  for (const { name: score, changeThreshold } of SCORE_CATALOGUE) {
    const from = before.scores[score];
    const to = now.scores[score];
    const moved = from === null || to === null ? from !== to : Math.abs(to - from) > changeThreshold;
    if (moved) {
      lists.scoreMoves.push({ id, title: now.title, score, from, to });
      listed = true;
    }
  }
  if (!listed) lists.updated.push({ id, title: now.title });
}

/** The merge of two id-sorted streams (throws `OutOfOrder` if `previous` is not sorted). */
function diffSorted(previous: RecordStream | null, next: RecordStream, lists: Lists): Changes['counts'] {
  const before = (previous ?? (() => []))()[Symbol.iterator]();
  let old = before.next();
  let lastOld = '';
  const advance = () => {
    old = before.next();
    if (!old.done) {
      if (compareStrings(old.value[0], lastOld) <= 0) throw new OutOfOrder();
      lastOld = old.value[0];
    }
  };
  if (!old.done) lastOld = old.value[0];
  const counts = { before: 0, after: 0 };
  for (const [id, now] of next()) {
    counts.after++;
    while (!old.done && old.value[0] < id) {
      lists.removed.push({ id: old.value[0], title: old.value[1].summary().title });
      counts.before++;
      advance();
    }
    if (!old.done && old.value[0] === id) {
      compareFilm(id, old.value[1], now, lists);
      counts.before++;
      advance();
    } else {
      lists.added.push({ id, title: now.summary().title });
    }
  }
  for (; !old.done; advance()) {
    lists.removed.push({ id: old.value[0], title: old.value[1].summary().title });
    counts.before++;
  }
  return counts;
}

/** The same diff with the previous summaries in a map (a previous snapshot out of id order). */
function diffByMap(previous: RecordStream, next: RecordStream, lists: Lists): Changes['counts'] {
  const before = new Map(previous());
  const counts = { before: before.size, after: 0 };
  for (const [id, now] of next()) {
    counts.after++;
    const old = before.get(id);
    if (old) {
      compareFilm(id, old, now, lists);
      before.delete(id);
    } else {
      lists.added.push({ id, title: now.summary().title });
    }
  }
  for (const [id, old] of [...before].sort(([a], [b]) => compareStrings(a, b))) lists.removed.push({ id, title: old.summary().title });
  return counts;
}

const show = (v: boolean | number | null) => (v === null ? 'unknown' : v === true ? 'yes' : v === false ? 'no' : String(v));
/** Titles are plain text, but Markdown would still read `[x](javascript:…)` or `![x](…)` in them as links. */
const escapeMarkdown = (text: string) => text.replace(/[\\`*_{}[\]()#+!|<>~]/g, '\\$&');
const name = (x: { id: string; title: string | null }) => `${x.title ? `${escapeMarkdown(x.title)} ` : ''}(\`${x.id}\`)`;

/** One version's section of CHANGES.md. */
export function changesMarkdown(changes: ChangesPreview): string {
  const lines = [`## ${changes.version}`, ''];
  lines.push(
    changes.previousVersion
      ? `Since ${changes.previousVersion}: ${changes.counts.before} → ${changes.counts.after} films.`
      : `First snapshot: ${changes.counts.after} films.`,
    '',
  );
  const list = <T>(title: string, { head, total }: { head: T[]; total: number }, line: (item: T) => string) => {
    if (total === 0) return;
    lines.push(`### ${title} (${total})`, '');
    for (const item of head.slice(0, MARKDOWN_LIMIT)) lines.push(`- ${line(item)}`);
    if (total > MARKDOWN_LIMIT) lines.push(`- … and ${total - MARKDOWN_LIMIT} more (see changes.json)`);
    lines.push('');
  };
  if (changes.previousVersion) {
    list('Added', changes.lists.added, name);
    list('Removed', changes.lists.removed, name);
  }
  list('Credit verdicts that changed', changes.lists.verdictFlips, (f) => `${name(f)} ${f.slot}: ${show(f.from)} → ${show(f.to)}`);
  list('Answers that changed', changes.lists.answerFlips, (f) => `${name(f)} ${f.slot}: ${f.from} → ${f.to}`);
  list('Scores that moved', changes.lists.scoreMoves, (m) => `${name(m)} ${m.score}: ${show(m.from)} → ${show(m.to)}`);
  list('Other changes (evidence, details, sources)', changes.lists.updated, name);
  const coverage = Object.entries(changes.coverage);
  if (coverage.length && changes.previousVersion) {
    lines.push('### Coverage', '', '| field | before | after |', '|---|---|---|');
    for (const [field, { before, after }] of coverage) lines.push(`| ${field} | ${before} | ${after} |`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** CHANGES.md with this version's section on top of the previous notes. */
export function prependChanges(previousNotes: string | null, section: string): string {
  const header = '<!-- Generated by the stingerdb pipeline — do not edit. -->\n# Changes\n\n';
  const body = previousNotes?.startsWith(header) ? previousNotes.slice(header.length) : '';
  return `${header}${section}${body}`;
}
